package io.github.jpeer.media;

/**
 * Small conversions on 16-bit PCM: mono to stereo and back, and to and from little-endian bytes
 * (the layout of WAV files and of {@code javax.sound} lines). Stateless; the methods allocate
 * nothing and throw {@link IllegalArgumentException} only when a range does not fit its array.
 */
public final class Pcm {
  private Pcm() {}

  /**
   * Duplicates each mono sample into both channels: {@code frames} samples in, {@code 2 * frames}
   * interleaved samples out. {@code mono} and {@code stereo} must not overlap.
   */
  public static void monoToStereo(
      short[] mono, int monoOffset, int frames, short[] stereo, int stereoOffset) {
    Checks.range("mono", monoOffset, frames, mono.length);
    Checks.range("stereo", stereoOffset, 2 * frames, stereo.length);
    for (int i = 0; i < frames; i++) {
      short s = mono[monoOffset + i];
      stereo[stereoOffset + 2 * i] = s;
      stereo[stereoOffset + 2 * i + 1] = s;
    }
  }

  /**
   * Averages the two channels of {@code frames} interleaved stereo samples into mono. Writing over
   * the input in place ({@code mono == stereo}, same offset) is allowed.
   */
  public static void stereoToMono(
      short[] stereo, int stereoOffset, int frames, short[] mono, int monoOffset) {
    Checks.range("stereo", stereoOffset, 2 * frames, stereo.length);
    Checks.range("mono", monoOffset, frames, mono.length);
    for (int i = 0; i < frames; i++) {
      // The sum of two shorts fits an int; the shift rounds toward minus infinity, like
      // every integer PCM mixer, and cannot overflow.
      int left = stereo[stereoOffset + 2 * i];
      int right = stereo[stereoOffset + 2 * i + 1];
      mono[monoOffset + i] = (short) ((left + right) >> 1);
    }
  }

  /** Writes {@code count} samples as little-endian 16-bit bytes ({@code 2 * count} bytes). */
  public static void toLittleEndian(
      short[] pcm, int pcmOffset, int count, byte[] out, int outOffset) {
    Checks.range("pcm", pcmOffset, count, pcm.length);
    Checks.range("out", outOffset, 2 * count, out.length);
    for (int i = 0; i < count; i++) {
      short s = pcm[pcmOffset + i];
      out[outOffset + 2 * i] = (byte) s;
      out[outOffset + 2 * i + 1] = (byte) (s >> 8);
    }
  }

  /** Reads {@code count} little-endian 16-bit samples from {@code 2 * count} bytes. */
  public static void fromLittleEndian(
      byte[] in, int inOffset, int count, short[] pcm, int pcmOffset) {
    Checks.range("in", inOffset, 2 * count, in.length);
    Checks.range("pcm", pcmOffset, count, pcm.length);
    for (int i = 0; i < count; i++) {
      pcm[pcmOffset + i] =
          (short) ((in[inOffset + 2 * i] & 0xFF) | (in[inOffset + 2 * i + 1] << 8));
    }
  }

  /** Clamps an int to the 16-bit range, for mixing and filtering. */
  static short saturate(int value) {
    return (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, value));
  }
}
