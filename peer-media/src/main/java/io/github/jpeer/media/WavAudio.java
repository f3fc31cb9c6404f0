package io.github.jpeer.media;

import java.util.Arrays;

/**
 * A decoded WAV clip: its format and its interleaved 16-bit samples.
 *
 * @param format sample rate and channels
 * @param samples interleaved samples; copied on the way in and out, so the record stays immutable
 */
public record WavAudio(PcmFormat format, short[] samples) {

  /** Copies {@code samples} and checks it holds whole frames. */
  public WavAudio {
    if (format == null || samples == null) {
      throw new IllegalArgumentException("format and samples must not be null");
    }
    if (samples.length % format.channels() != 0) {
      throw new IllegalArgumentException(
          samples.length
              + " samples is not a whole number of "
              + format.channels()
              + "-channel frames");
    }
    samples = samples.clone();
  }

  /** A copy of the interleaved samples. */
  @Override
  public short[] samples() {
    return samples.clone();
  }

  /** Samples per channel. */
  public int frames() {
    return samples.length / format.channels();
  }

  /** Duration in milliseconds, rounded down. */
  public long durationMillis() {
    return frames() * 1000L / format.sampleRate();
  }

  /** Compares format and sample values (arrays by content). */
  @Override
  public boolean equals(Object other) {
    return other instanceof WavAudio that
        && format.equals(that.format)
        && Arrays.equals(samples, that.samples);
  }

  @Override
  public int hashCode() {
    return format.hashCode() * 31 + Arrays.hashCode(samples);
  }

  @Override
  public String toString() {
    return "WavAudio[" + format + ", " + frames() + " frames]";
  }
}
