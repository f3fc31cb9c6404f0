package io.github.jpeer.sdp;

import java.util.Optional;

/** The static RTP payload types of RFC 3551 section 6, used when a format has no rtpmap. */
final class StaticPayloadTypes {
  private static final RtpMap[] TABLE = new RtpMap[35];

  static {
    put(0, "PCMU", 8000, 1);
    put(3, "GSM", 8000, 1);
    put(4, "G723", 8000, 1);
    put(5, "DVI4", 8000, 1);
    put(6, "DVI4", 16000, 1);
    put(7, "LPC", 8000, 1);
    put(8, "PCMA", 8000, 1);
    put(9, "G722", 8000, 1);
    put(10, "L16", 44100, 2);
    put(11, "L16", 44100, 1);
    put(12, "QCELP", 8000, 1);
    put(13, "CN", 8000, 1);
    put(14, "MPA", 90000, 0);
    put(15, "G728", 8000, 1);
    put(16, "DVI4", 11025, 1);
    put(17, "DVI4", 22050, 1);
    put(18, "G729", 8000, 1);
    put(25, "CelB", 90000, 0);
    put(26, "JPEG", 90000, 0);
    put(28, "nv", 90000, 0);
    put(31, "H261", 90000, 0);
    put(32, "MPV", 90000, 0);
    put(33, "MP2T", 90000, 0);
    put(34, "H263", 90000, 0);
  }

  private StaticPayloadTypes() {}

  private static void put(int pt, String name, int clockRate, int channels) {
    TABLE[pt] = new RtpMap(pt, name, clockRate, channels);
  }

  static Optional<RtpMap> lookup(int payloadType) {
    return payloadType >= 0 && payloadType < TABLE.length
        ? Optional.ofNullable(TABLE[payloadType])
        : Optional.empty();
  }

  /** Returns the payload type a format token names, or -1 when it is not a number in 0..127. */
  static int payloadType(String format) {
    if (format.isEmpty() || format.length() > 3) {
      return -1;
    }
    int v = 0;
    for (int i = 0; i < format.length(); i++) {
      char c = format.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v <= 127 ? v : -1;
  }
}
