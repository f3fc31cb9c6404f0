package io.github.jpeer.sctp;

import java.util.Arrays;

/**
 * COOKIE ECHO (RFC 9260 section 3.3.11): returns the State Cookie from the INIT ACK unchanged.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Type = 10   |Chunk  Flags   |         Length                |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * /                     Cookie                                    /
 * \                                                               \
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * @param cookie the opaque cookie; copied in and out
 */
public record CookieEchoChunk(byte[] cookie) implements Chunk {
  /** Copies the cookie. */
  public CookieEchoChunk {
    if (cookie.length > 0xFFFF - 4) {
      throw new IllegalArgumentException("cookie too long: " + cookie.length);
    }
    cookie = cookie.clone();
  }

  /** A copy of the cookie. */
  @Override
  public byte[] cookie() {
    return cookie.clone();
  }

  @Override
  public int type() {
    return COOKIE_ECHO;
  }

  @Override
  public int flags() {
    return 0;
  }

  @Override
  public int valueLength() {
    return cookie.length;
  }

  @Override
  public void writeValue(byte[] b, int off) {
    System.arraycopy(cookie, 0, b, off, cookie.length);
  }

  static CookieEchoChunk parse(byte[] b, int off, int len) {
    return new CookieEchoChunk(Arrays.copyOfRange(b, off, off + len));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CookieEchoChunk c && Arrays.equals(c.cookie, cookie);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(cookie);
  }

  @Override
  public String toString() {
    return "CookieEchoChunk[" + cookie.length + " bytes]";
  }
}
