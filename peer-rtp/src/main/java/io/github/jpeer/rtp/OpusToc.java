package io.github.jpeer.rtp;

/**
 * The duration of an Opus packet from its TOC byte (RFC 6716 3.1): the {@code samplesAt48kHz} that
 * {@link OpusPacketizer#packetize} advances the RTP timestamp by (RFC 7587 4.1: always in 48 kHz
 * units), whatever frame size the encoder was set to.
 *
 * <pre>
 *    0 1 2 3 4 5 6 7
 *   +-+-+-+-+-+-+-+-+
 *   | config  |s| c |     config: mode, bandwidth and frame size (table in RFC 6716 3.1)
 *   +-+-+-+-+-+-+-+-+     c: 0 one frame, 1 and 2 two frames, 3 arbitrary (count in byte 1)
 * </pre>
 */
public final class OpusToc {
  private OpusToc() {}

  /** Samples at 48 kHz of one frame for each of the 32 configurations. */
  private static final int[] FRAME_SAMPLES = new int[32];

  static {
    for (int config = 0; config < 32; config++) {
      int samples;
      if (config < 12) {
        samples = new int[] {480, 960, 1920, 2880}[config & 3]; // SILK: 10, 20, 40, 60 ms
      } else if (config < 16) {
        samples = (config & 1) == 0 ? 480 : 960; // Hybrid: 10, 20 ms
      } else {
        samples = new int[] {120, 240, 480, 960}[config & 3]; // CELT: 2.5, 5, 10, 20 ms
      }
      FRAME_SAMPLES[config] = samples;
    }
  }

  /**
   * Samples at 48 kHz that the packet {@code data[off, off+len)} holds, or -1 if it is not a valid
   * Opus packet (empty, or code 3 without its frame count byte, or over 120 ms).
   */
  public static int samplesAt48kHz(byte[] data, int off, int len) {
    if (len < 1) {
      return -1;
    }
    return samplesAt48kHz(data[off], len >= 2 ? data[off + 1] : 0, len);
  }

  /**
   * The same from the packet's first two bytes ({@code second} is ignored when {@code len < 2}):
   * for a packet in a buffer that is not an array.
   */
  public static int samplesAt48kHz(byte first, byte second, int len) {
    if (len < 1) {
      return -1;
    }
    int toc = first & 0xff;
    int frame = FRAME_SAMPLES[toc >>> 3];
    int frames;
    switch (toc & 3) {
      case 0 -> frames = 1;
      case 1, 2 -> frames = 2;
      default -> {
        if (len < 2) {
          return -1;
        }
        frames = second & 0x3f;
        if (frames == 0) {
          return -1;
        }
      }
    }
    int samples = frame * frames;
    return samples > 5760 ? -1 : samples; // RFC 6716 3.2.5: at most 120 ms per packet
  }
}
