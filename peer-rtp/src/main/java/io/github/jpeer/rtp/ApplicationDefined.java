package io.github.jpeer.rtp;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * RTCP APP packet (RFC 3550 section 6.7).
 *
 * <pre>
 * |V=2|P| subtype |   PT=APP=204  |             length            |
 * |                           SSRC/CSRC                           |
 * |                          name (ASCII)                         |
 * |                   application-dependent data                ...
 * </pre>
 *
 * @param subtype 0-31
 * @param ssrc the source
 * @param name exactly four ISO-8859-1 characters
 * @param data application data, a multiple of 4 bytes (copied)
 */
public record ApplicationDefined(int subtype, int ssrc, String name, byte[] data)
    implements RtcpPacket {

  /** Validates and copies. */
  public ApplicationDefined {
    if (subtype < 0 || subtype > 31) {
      throw new IllegalArgumentException("APP subtype must be 0-31, got " + subtype);
    }
    if (name.length() != 4 || !StandardCharsets.ISO_8859_1.newEncoder().canEncode(name)) {
      throw new IllegalArgumentException(
          "APP name must be 4 ISO-8859-1 characters, got '" + name + "'");
    }
    data = data.clone();
    if (data.length % 4 != 0) {
      throw new IllegalArgumentException(
          "APP data must be a multiple of 4 bytes, got " + data.length);
    }
  }

  /** Returns a copy of the data. */
  @Override
  public byte[] data() {
    return data.clone();
  }

  int dataLength() {
    return data.length;
  }

  void copyDataTo(byte[] dst, int offset) {
    System.arraycopy(data, 0, dst, offset, data.length);
  }

  @Override
  public int packetType() {
    return TYPE_APP;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ApplicationDefined other
        && subtype == other.subtype
        && ssrc == other.ssrc
        && name.equals(other.name)
        && Arrays.equals(data, other.data);
  }

  @Override
  public int hashCode() {
    return ((31 * subtype + ssrc) * 31 + name.hashCode()) * 31 + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "ApplicationDefined[subtype="
        + subtype
        + ", ssrc="
        + Integer.toUnsignedString(ssrc)
        + ", name="
        + name
        + ", data="
        + HexFormat.of().formatHex(data)
        + "]";
  }
}
