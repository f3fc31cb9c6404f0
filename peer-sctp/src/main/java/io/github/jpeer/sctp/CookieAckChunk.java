package io.github.jpeer.sctp;

/**
 * COOKIE ACK (RFC 9260 section 3.3.12): confirms the State Cookie; the association is up.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Type = 11   |Chunk  Flags   |      Length = 4               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public record CookieAckChunk() implements Chunk {
  @Override
  public int type() {
    return COOKIE_ACK;
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

  static CookieAckChunk parse(int len) throws SctpParseException {
    if (len != 0) {
      throw new SctpParseException("COOKIE_ACK has no value, got " + len + " bytes");
    }
    return new CookieAckChunk();
  }
}
