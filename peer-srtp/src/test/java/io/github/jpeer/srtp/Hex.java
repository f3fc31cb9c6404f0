package io.github.jpeer.srtp;

/** Hex helpers for the tests; whitespace in the RFC's hex dumps is ignored. */
final class Hex {
  private Hex() {}

  static byte[] bytes(String hex) {
    String s = hex.replaceAll("\\s", "");
    byte[] out = new byte[s.length() / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
    }
    return out;
  }

  static String string(byte[] b, int off, int len) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < len; i++) {
      sb.append(String.format("%02x", b[off + i]));
    }
    return sb.toString();
  }

  static String string(byte[] b) {
    return string(b, 0, b.length);
  }
}
