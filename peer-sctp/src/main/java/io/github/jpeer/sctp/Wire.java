package io.github.jpeer.sctp;

import java.util.ArrayList;
import java.util.List;

/** Big-endian field access and the TLV layout shared by parameters and error causes. */
final class Wire {
  private Wire() {}

  static int u8(byte[] b, int off) {
    return b[off] & 0xFF;
  }

  static int u16(byte[] b, int off) {
    return ((b[off] & 0xFF) << 8) | (b[off + 1] & 0xFF);
  }

  static int i32(byte[] b, int off) {
    return ((b[off] & 0xFF) << 24)
        | ((b[off + 1] & 0xFF) << 16)
        | ((b[off + 2] & 0xFF) << 8)
        | (b[off + 3] & 0xFF);
  }

  static void put16(byte[] b, int off, int v) {
    b[off] = (byte) (v >>> 8);
    b[off + 1] = (byte) v;
  }

  static void put32(byte[] b, int off, int v) {
    b[off] = (byte) (v >>> 24);
    b[off + 1] = (byte) (v >>> 16);
    b[off + 2] = (byte) (v >>> 8);
    b[off + 3] = (byte) v;
  }

  static int pad4(int n) {
    return (n + 3) & ~3;
  }

  /**
   * Reads a run of TLVs (type 16 bits, length 16 bits counting the 4-byte header, value, padding to
   * 4 bytes) from {@code [off, off+len)} into (type, value) pairs.
   */
  static List<Parameter> readTlvs(byte[] b, int off, int len, String what)
      throws SctpParseException {
    List<Parameter> out = new ArrayList<>();
    int end = off + len;
    int p = off;
    while (p < end) {
      if (end - p < 4) {
        throw new SctpParseException(what + ": " + (end - p) + " trailing bytes at offset " + p);
      }
      int type = u16(b, p);
      int tlvLen = u16(b, p + 2);
      if (tlvLen < 4 || tlvLen > end - p) {
        throw new SctpParseException(
            what
                + " type "
                + type
                + ": length "
                + tlvLen
                + " does not fit "
                + (end - p)
                + " bytes");
      }
      byte[] value = new byte[tlvLen - 4];
      System.arraycopy(b, p + 4, value, 0, value.length);
      out.add(new Parameter(type, value));
      // the last TLV's padding may be absent; anything else must be padded
      p += Math.min(pad4(tlvLen), end - p);
    }
    return out;
  }

  /**
   * Length of the TLVs as a chunk length counts them: RFC 9260 3.2 includes the padding of every
   * parameter except the last one.
   */
  static int tlvsLength(List<Parameter> tlvs) {
    int n = 0;
    for (int i = 0; i < tlvs.size(); i++) {
      int len = 4 + tlvs.get(i).length();
      n += i == tlvs.size() - 1 ? len : pad4(len);
    }
    return n;
  }

  static int writeTlvs(List<Parameter> tlvs, byte[] b, int off) {
    int p = off;
    for (int i = 0; i < tlvs.size(); i++) {
      Parameter t = tlvs.get(i);
      put16(b, p, t.type());
      put16(b, p + 2, 4 + t.length());
      t.copyValue(b, p + 4);
      int end = p + 4 + t.length();
      p += pad4(4 + t.length());
      if (i < tlvs.size() - 1) {
        for (int z = end; z < p; z++) {
          b[z] = 0;
        }
      } else {
        p = end;
      }
    }
    return p - off;
  }
}
