package io.github.jpeer.sctp;

/**
 * SHUTDOWN ACK (RFC 9260 section 3.3.9): acknowledges a SHUTDOWN once all data is acked.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Type = 8    |Chunk  Flags   |      Length = 4               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public record ShutdownAckChunk() implements Chunk {
  @Override
  public int type() {
    return SHUTDOWN_ACK;
  }

  @Override
  public int flags() {
    return 0;
  }

  @Override
  public int valueLength() {
    return 0;
  }

  @Override
  public void writeValue(byte[] b, int off) {
    // no value
  }

  static ShutdownAckChunk parse(int len) throws SctpParseException {
    if (len != 0) {
      throw new SctpParseException("SHUTDOWN_ACK has no value, got " + len + " bytes");
    }
    return new ShutdownAckChunk();
  }
}
