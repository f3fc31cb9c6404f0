package io.github.jpeer.media;

/**
 * G.711 companding (ITU-T Recommendation G.711): A-law (PCMA, RTP payload type 8) and mu-law (PCMU,
 * payload type 0), one byte per 8 kHz sample.
 *
 * <p>Table driven: decoding looks up one of two 256-entry tables, encoding one of two tables
 * indexed by the top 13 (A-law) or 14 (mu-law) bits of the 16-bit sample, the resolution G.711's
 * segments use. The tables are computed once from the segment rules of the Recommendation (A-law:
 * 13-bit input, even bits inverted; mu-law: 14-bit input with a bias of 33, all bits inverted).
 * Stateless and thread-safe; the array methods allocate nothing.
 */
public final class G711 {

  private static final short[] ALAW_TO_LINEAR = new short[256];
  private static final short[] ULAW_TO_LINEAR = new short[256];
  // Indexed by (sample >> 3) + 4096: every 13-bit value.
  private static final byte[] LINEAR_TO_ALAW = new byte[8192];
  // Indexed by (sample >> 2) + 8192: every 14-bit value.
  private static final byte[] LINEAR_TO_ULAW = new byte[16384];

  static {
    for (int code = 0; code < 256; code++) {
      ALAW_TO_LINEAR[code] = (short) alawDecode(code);
      ULAW_TO_LINEAR[code] = (short) ulawDecode(code);
    }
    for (int i = 0; i < LINEAR_TO_ALAW.length; i++) {
      LINEAR_TO_ALAW[i] = (byte) alawEncode(i - 4096);
    }
    for (int i = 0; i < LINEAR_TO_ULAW.length; i++) {
      LINEAR_TO_ULAW[i] = (byte) ulawEncode(i - 8192);
    }
  }

  private G711() {}

  /** Encodes one 16-bit sample to an A-law byte. */
  public static byte linearToAlaw(short sample) {
    return LINEAR_TO_ALAW[(sample >> 3) + 4096];
  }

  /** Decodes one A-law byte to a 16-bit sample (the segment's mid value, scaled to 16 bits). */
  public static short alawToLinear(byte code) {
    return ALAW_TO_LINEAR[code & 0xFF];
  }

  /** Encodes one 16-bit sample to a mu-law byte. */
  public static byte linearToUlaw(short sample) {
    return LINEAR_TO_ULAW[(sample >> 2) + 8192];
  }

  /** Decodes one mu-law byte to a 16-bit sample. */
  public static short ulawToLinear(byte code) {
    return ULAW_TO_LINEAR[code & 0xFF];
  }

  /**
   * Encodes {@code count} samples to A-law.
   *
   * @throws IllegalArgumentException if a range does not fit its array
   */
  public static void encodeAlaw(short[] pcm, int pcmOffset, int count, byte[] out, int outOffset) {
    Checks.range("pcm", pcmOffset, count, pcm.length);
    Checks.range("out", outOffset, count, out.length);
    for (int i = 0; i < count; i++) {
      out[outOffset + i] = LINEAR_TO_ALAW[(pcm[pcmOffset + i] >> 3) + 4096];
    }
  }

  /**
   * Decodes {@code count} A-law bytes; every byte value is valid, so this never fails on network
   * data.
   *
   * @throws IllegalArgumentException if a range does not fit its array
   */
  public static void decodeAlaw(byte[] in, int inOffset, int count, short[] pcm, int pcmOffset) {
    Checks.range("in", inOffset, count, in.length);
    Checks.range("pcm", pcmOffset, count, pcm.length);
    for (int i = 0; i < count; i++) {
      pcm[pcmOffset + i] = ALAW_TO_LINEAR[in[inOffset + i] & 0xFF];
    }
  }

  /**
   * Encodes {@code count} samples to mu-law.
   *
   * @throws IllegalArgumentException if a range does not fit its array
   */
  public static void encodeUlaw(short[] pcm, int pcmOffset, int count, byte[] out, int outOffset) {
    Checks.range("pcm", pcmOffset, count, pcm.length);
    Checks.range("out", outOffset, count, out.length);
    for (int i = 0; i < count; i++) {
      out[outOffset + i] = LINEAR_TO_ULAW[(pcm[pcmOffset + i] >> 2) + 8192];
    }
  }

  /**
   * Decodes {@code count} mu-law bytes; every byte value is valid.
   *
   * @throws IllegalArgumentException if a range does not fit its array
   */
  public static void decodeUlaw(byte[] in, int inOffset, int count, short[] pcm, int pcmOffset) {
    Checks.range("in", inOffset, count, in.length);
    Checks.range("pcm", pcmOffset, count, pcm.length);
    for (int i = 0; i < count; i++) {
      pcm[pcmOffset + i] = ULAW_TO_LINEAR[in[inOffset + i] & 0xFF];
    }
  }

  // A-law segment end points on the 13-bit magnitude: segment s covers up to 2^(s+5) - 1.
  private static int alawEncode(int value13) {
    int mask;
    int magnitude;
    if (value13 >= 0) {
      mask = 0xD5; // sign bit 1 for positive, then the even-bit inversion 0x55
      magnitude = value13;
    } else {
      mask = 0x55;
      magnitude = -value13 - 1; // one's complement, as G.711 table 1a
    }
    int segment = segmentOf(magnitude, 5);
    if (segment >= 8) {
      return 0x7F ^ mask; // clip to the largest code
    }
    int mantissa = segment < 2 ? (magnitude >> 1) & 0x0F : (magnitude >> segment) & 0x0F;
    return ((segment << 4) | mantissa) ^ mask;
  }

  private static int alawDecode(int code) {
    int a = code ^ 0x55;
    int mantissa = (a & 0x0F) << 4;
    int segment = (a & 0x70) >> 4;
    // The decoded value is the middle of the quantisation interval, on the 16-bit scale.
    int magnitude =
        switch (segment) {
          case 0 -> mantissa + 8;
          case 1 -> mantissa + 0x108;
          default -> (mantissa + 0x108) << (segment - 1);
        };
    return (a & 0x80) != 0 ? magnitude : -magnitude;
  }

  private static final int ULAW_BIAS = 0x84; // 33 on the 14-bit scale, times 4
  private static final int ULAW_CLIP = 8159; // largest 14-bit magnitude before the bias

  private static int ulawEncode(int value14) {
    int mask;
    int magnitude;
    if (value14 < 0) {
      mask = 0x7F;
      magnitude = -value14;
    } else {
      mask = 0xFF;
      magnitude = value14;
    }
    magnitude = Math.min(magnitude, ULAW_CLIP) + (ULAW_BIAS >> 2);
    int segment = segmentOf(magnitude, 6);
    if (segment >= 8) {
      return 0x7F ^ mask;
    }
    int mantissa = (magnitude >> (segment + 1)) & 0x0F;
    return ((segment << 4) | mantissa) ^ mask;
  }

  private static int ulawDecode(int code) {
    int u = ~code & 0xFF;
    int magnitude = (((u & 0x0F) << 3) + ULAW_BIAS) << ((u & 0x70) >> 4);
    return (u & 0x80) != 0 ? ULAW_BIAS - magnitude : magnitude - ULAW_BIAS;
  }

  /** The segment (0 to 7, or 8 if over) whose end point {@code 2^(s+firstBits) - 1} covers it. */
  private static int segmentOf(int magnitude, int firstBits) {
    for (int segment = 0; segment < 8; segment++) {
      if (magnitude <= (1 << (segment + firstBits)) - 1) {
        return segment;
      }
    }
    return 8;
  }
}
