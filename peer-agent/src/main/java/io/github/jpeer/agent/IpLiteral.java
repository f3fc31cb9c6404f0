package io.github.jpeer.agent;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Parses IPv4 and IPv6 address literals without ever touching DNS (the agent is sans-IO, and {@link
 * InetAddress#getByName} would resolve anything that is not a literal).
 */
final class IpLiteral {
  private IpLiteral() {}

  /** The address {@code text} spells, or {@code null} if it is not an IP literal. */
  static InetAddress parse(String text) {
    byte[] bytes = text.indexOf(':') >= 0 ? parseV6(text) : parseV4(text);
    if (bytes == null) {
      return null;
    }
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      return null; // unreachable: the length is 4 or 16
    }
  }

  private static byte[] parseV4(String s) {
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) {
      return null;
    }
    byte[] out = new byte[4];
    for (int i = 0; i < 4; i++) {
      int v = decimal(parts[i]);
      if (v < 0 || v > 255) {
        return null;
      }
      out[i] = (byte) v;
    }
    return out;
  }

  private static int decimal(String s) {
    if (s.isEmpty() || s.length() > 3) {
      return -1;
    }
    int v = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  private static byte[] parseV6(String s) {
    int scope = s.indexOf('%');
    if (scope >= 0) {
      s = s.substring(0, scope); // zone ids mean nothing to a remote peer
    }
    if (s.startsWith("[") && s.endsWith("]")) {
      s = s.substring(1, s.length() - 1);
    }
    int gap = s.indexOf("::");
    if (gap >= 0 && s.indexOf("::", gap + 1) >= 0) {
      return null;
    }
    int[] head = groups(gap >= 0 ? s.substring(0, gap) : s);
    int[] tail = gap >= 0 ? groups(s.substring(gap + 2)) : new int[0];
    if (head == null || tail == null) {
      return null;
    }
    int total = head.length + tail.length;
    if ((gap < 0 && total != 8) || (gap >= 0 && total > 7)) {
      return null;
    }
    byte[] out = new byte[16];
    for (int i = 0; i < head.length; i++) {
      out[2 * i] = (byte) (head[i] >>> 8);
      out[2 * i + 1] = (byte) head[i];
    }
    for (int i = 0; i < tail.length; i++) {
      int g = 8 - tail.length + i;
      out[2 * g] = (byte) (tail[i] >>> 8);
      out[2 * g + 1] = (byte) tail[i];
    }
    return out;
  }

  /** Colon-separated hex groups; a trailing dotted quad counts as two groups. */
  private static int[] groups(String s) {
    if (s.isEmpty()) {
      return new int[0];
    }
    String[] parts = s.split(":", -1);
    boolean v4Tail = parts[parts.length - 1].indexOf('.') >= 0;
    int[] out = new int[parts.length + (v4Tail ? 1 : 0)];
    for (int i = 0; i < parts.length; i++) {
      String p = parts[i];
      if (v4Tail && i == parts.length - 1) {
        byte[] v4 = parseV4(p);
        if (v4 == null) {
          return null;
        }
        out[i] = ((v4[0] & 0xFF) << 8) | (v4[1] & 0xFF);
        out[i + 1] = ((v4[2] & 0xFF) << 8) | (v4[3] & 0xFF);
        break;
      }
      if (p.isEmpty() || p.length() > 4) {
        return null;
      }
      int v = 0;
      for (int j = 0; j < p.length(); j++) {
        int d = Character.digit(p.charAt(j), 16);
        if (d < 0) {
          return null;
        }
        v = (v << 4) | d;
      }
      out[i] = v;
    }
    return out;
  }
}
