package io.github.jpeer.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The slice of DNS (RFC 1035) that mDNS name resolution needs (RFC 6762): write a one-question
 * query, read the A and AAAA answers of a response.
 *
 * <pre>
 *  Header (RFC 1035 4.1.1), then question, answer, authority and additional sections:
 *    0  1  2  3  4  5  6  7  8  9 10 11 12 13 14 15
 *  +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 *  |                      ID                       |
 *  |QR|   Opcode  |AA|TC|RD|RA|   Z    |   RCODE   |
 *  |                    QDCOUNT                    |
 *  |                    ANCOUNT                    |
 *  |                    NSCOUNT                    |
 *  |                    ARCOUNT                    |
 *  +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 *  Resource record (4.1.3): NAME, TYPE(16), CLASS(16), TTL(32), RDLENGTH(16), RDATA
 * </pre>
 *
 * <p>Names may use compression pointers (4.1.4); pointer chains are bounded so a hostile packet
 * cannot loop. mDNS sets the top bit of CLASS for cache-flush (RFC 6762 10.2): it is ignored.
 */
public final class DnsMessage {
  /** Type A: an IPv4 address. */
  public static final int TYPE_A = 1;

  /** Type AAAA: an IPv6 address. */
  public static final int TYPE_AAAA = 28;

  private static final int CLASS_IN = 1;
  private static final int MAX_POINTERS = 16;

  private DnsMessage() {}

  /** A name and the address a response gave for it. */
  public record Answer(String name, InetAddress address) {}

  /** Malformed DNS bytes; the message says what was wrong. */
  public static final class DnsFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    DnsFormatException(String message) {
      super(message);
    }
  }

  /**
   * A standard query (opcode 0, no recursion) for {@code name} with one question of {@code type}.
   *
   * @throws IllegalArgumentException if a label is empty or longer than 63 bytes
   */
  public static byte[] query(int id, String name, int type) {
    byte[] encodedName = encodeName(name);
    byte[] out = new byte[12 + encodedName.length + 4];
    putShort(out, 0, id);
    putShort(out, 4, 1); // QDCOUNT
    System.arraycopy(encodedName, 0, out, 12, encodedName.length);
    putShort(out, 12 + encodedName.length, type);
    putShort(out, 14 + encodedName.length, CLASS_IN);
    return out;
  }

  private static byte[] encodeName(String name) {
    String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    byte[] buf = new byte[n.length() + 2];
    int pos = 0;
    for (String label : n.split("\\.", -1)) {
      byte[] b = label.getBytes(StandardCharsets.UTF_8);
      if (b.length == 0 || b.length > 63) {
        throw new IllegalArgumentException("bad DNS name '" + name + "': labels are 1..63 bytes");
      }
      if (pos + 1 + b.length + 1 > buf.length) {
        buf = java.util.Arrays.copyOf(buf, pos + 1 + b.length + 1);
      }
      buf[pos++] = (byte) b.length;
      System.arraycopy(b, 0, buf, pos, b.length);
      pos += b.length;
    }
    buf[pos++] = 0;
    return java.util.Arrays.copyOf(buf, pos);
  }

  /**
   * The A and AAAA records of a response (answer and additional sections), names lower-cased and
   * without the trailing dot.
   *
   * @throws DnsFormatException if the bytes are not a well-formed DNS response
   */
  public static List<Answer> answers(byte[] data, int length) throws DnsFormatException {
    if (length < 12 || length > data.length) {
      throw new DnsFormatException("shorter than a DNS header");
    }
    if ((data[2] & 0x80) == 0) {
      throw new DnsFormatException("a query, not a response");
    }
    int qd = getShort(data, 4);
    int an = getShort(data, 6);
    int ns = getShort(data, 8);
    int ar = getShort(data, 10);
    int[] pos = {12};
    for (int i = 0; i < qd; i++) {
      readName(data, length, pos);
      skip(length, pos, 4);
    }
    List<Answer> out = new ArrayList<>();
    int records = an + ns + ar;
    for (int i = 0; i < records; i++) {
      String name = readName(data, length, pos);
      need(length, pos[0], 10);
      int type = getShort(data, pos[0]);
      int rdLength = getShort(data, pos[0] + 8);
      pos[0] += 10;
      need(length, pos[0], rdLength);
      boolean inAnswerOrAdditional = i < an || i >= an + ns;
      if (inAnswerOrAdditional
          && ((type == TYPE_A && rdLength == 4) || (type == TYPE_AAAA && rdLength == 16))) {
        byte[] addr = java.util.Arrays.copyOfRange(data, pos[0], pos[0] + rdLength);
        try {
          out.add(new Answer(name, InetAddress.getByAddress(addr)));
        } catch (UnknownHostException impossible) {
          throw new AssertionError(impossible); // 4 or 16 bytes are always an address
        }
      }
      pos[0] += rdLength;
    }
    return out;
  }

  private static String readName(byte[] data, int length, int[] pos) throws DnsFormatException {
    StringBuilder sb = new StringBuilder();
    int p = pos[0];
    int end = -1; // where the caller resumes, once the first pointer is followed
    int pointers = 0;
    while (true) {
      need(length, p, 1);
      int len = data[p] & 0xff;
      if (len == 0) {
        p++;
        break;
      }
      if ((len & 0xc0) == 0xc0) {
        need(length, p, 2);
        if (++pointers > MAX_POINTERS) {
          throw new DnsFormatException("compression pointer loop");
        }
        if (end < 0) {
          end = p + 2;
        }
        p = ((len & 0x3f) << 8) | (data[p + 1] & 0xff);
        continue;
      }
      if ((len & 0xc0) != 0) {
        throw new DnsFormatException("reserved label type");
      }
      need(length, p + 1, len);
      if (sb.length() > 0) {
        sb.append('.');
      }
      sb.append(new String(data, p + 1, len, StandardCharsets.UTF_8));
      if (sb.length() > 255) {
        throw new DnsFormatException("name longer than 255 characters");
      }
      p += 1 + len;
    }
    pos[0] = end >= 0 ? end : p;
    return sb.toString().toLowerCase(Locale.ROOT);
  }

  private static void skip(int length, int[] pos, int n) throws DnsFormatException {
    need(length, pos[0], n);
    pos[0] += n;
  }

  private static void need(int length, int pos, int n) throws DnsFormatException {
    if (pos < 0 || n < 0 || pos + n > length) {
      throw new DnsFormatException("truncated at byte " + pos);
    }
  }

  private static int getShort(byte[] b, int off) {
    return ((b[off] & 0xff) << 8) | (b[off + 1] & 0xff);
  }

  private static void putShort(byte[] b, int off, int v) {
    b[off] = (byte) (v >>> 8);
    b[off + 1] = (byte) v;
  }
}
