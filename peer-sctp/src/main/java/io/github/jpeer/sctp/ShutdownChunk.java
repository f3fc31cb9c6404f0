package io.github.jpeer.sctp;

/**
 * SHUTDOWN (RFC 9260 section 3.3.8): starts the graceful close and acks data cumulatively.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Type = 7    | Chunk  Flags  |      Length = 8               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                      Cumulative TSN Ack                       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * @param cumulativeTsnAck the last TSN received in sequence
 */
public record ShutdownChunk(int cumulativeTsnAck) implements Chunk {
  @Override
  public int type() {
    return SHUTDOWN;
  }

  @Override
  public int flags() {
    return 0;
  }

  @Override
  public int valueLength() {
    return 4;
  }

  @Override
  public void writeValue(byte[] b, int off) {
    Wire.put32(b, off, cumulativeTsnAck);
  }

  static ShutdownChunk parse(byte[] b, int off, int len) throws SctpParseException {
    if (len != 4) {
      throw new SctpParseException("SHUTDOWN value must be 4 bytes, is " + len);
    }
    return new ShutdownChunk(Wire.i32(b, off));
  }
}
