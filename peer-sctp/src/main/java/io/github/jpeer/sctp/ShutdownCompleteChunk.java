package io.github.jpeer.sctp;

/**
 * SHUTDOWN COMPLETE (RFC 9260 section 3.3.13): the last packet of a graceful close.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Type = 14   |  Reserved   |T|      Length = 4               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * @param tagReflected the T bit
 */
public record ShutdownCompleteChunk(boolean tagReflected) implements Chunk {
  @Override
  public int type() {
    return SHUTDOWN_COMPLETE;
  }

  @Override
  public int flags() {
    return tagReflected ? 1 : 0;
  }

  @Override
  public int valueLength() {
    return 0;
  }

  @Override
  public void writeValue(byte[] b, int off) {
    // no value
  }

  static ShutdownCompleteChunk parse(int flags, int len) throws SctpParseException {
    if (len != 0) {
      throw new SctpParseException("SHUTDOWN COMPLETE has no value, got " + len + " bytes");
    }
    return new ShutdownCompleteChunk((flags & 1) != 0);
  }
}
