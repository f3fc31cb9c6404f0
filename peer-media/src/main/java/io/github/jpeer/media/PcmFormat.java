package io.github.jpeer.media;

/**
 * The shape of 16-bit linear PCM audio: a sample rate and a channel count. Samples of several
 * channels are interleaved ({@code L R L R ...}); a "frame" in this module's method names is a
 * block of audio of a given duration, and counts of samples are per channel unless a name says
 * otherwise.
 *
 * @param sampleRate samples per second per channel, in Hz (8000 to 192000)
 * @param channels 1 (mono) or 2 (stereo)
 */
public record PcmFormat(int sampleRate, int channels) {

  /** 16-bit PCM at 48 kHz mono, Opus's native rate and the usual WebRTC voice format. */
  public static final PcmFormat MONO_48K = new PcmFormat(48_000, 1);

  /** 16-bit PCM at 8 kHz mono, the G.711 (PCMA/PCMU) format. */
  public static final PcmFormat MONO_8K = new PcmFormat(8_000, 1);

  /** Checks the rate and channel count. */
  public PcmFormat {
    if (sampleRate < 8_000 || sampleRate > 192_000) {
      throw new IllegalArgumentException(
          "sampleRate " + sampleRate + " Hz is out of range; use 8000 to 192000 Hz");
    }
    if (channels != 1 && channels != 2) {
      throw new IllegalArgumentException(
          "channels " + channels + " is not supported; use 1 (mono) or 2 (stereo)");
    }
  }

  /**
   * Samples per channel in a frame of {@code durationMillis}, e.g. 960 for 20 ms at 48 kHz.
   *
   * @throws IllegalArgumentException if the duration is not positive or does not hold a whole
   *     number of samples at this rate
   */
  public int samplesPerFrame(int durationMillis) {
    if (durationMillis <= 0) {
      throw new IllegalArgumentException(
          "durationMillis " + durationMillis + " must be positive, e.g. 20");
    }
    long product = (long) sampleRate * durationMillis;
    if (product % 1000 != 0) {
      throw new IllegalArgumentException(
          durationMillis + " ms at " + sampleRate + " Hz is not a whole number of samples");
    }
    return Math.toIntExact(product / 1000);
  }

  /**
   * Interleaved {@code short}s in a frame of {@code durationMillis}: samples per frame times
   * channels.
   */
  public int shortsPerFrame(int durationMillis) {
    return samplesPerFrame(durationMillis) * channels;
  }

  /** Bytes per second of this format as 16-bit PCM, e.g. 96000 for 48 kHz mono. */
  public int bytesPerSecond() {
    return sampleRate * channels * 2;
  }

  @Override
  public String toString() {
    return sampleRate + " Hz 16-bit " + (channels == 1 ? "mono" : "stereo");
  }
}
