package io.github.jpeer.media;

/**
 * Audio level of 16-bit PCM in dBFS (decibels relative to full scale, 32768), for a live level
 * line: RMS and peak of the last block measured, and a peak that holds and decays slowly so a
 * display can show it.
 *
 * <p>A full-scale sine reads about -3.01 dB RMS and 0 dB peak; digital silence reads {@link
 * #SILENCE_DBFS}. Not thread-safe; {@link #measure} allocates nothing.
 */
public final class LevelMeter {

  /** What silence reads: below the -96 dB floor of 16-bit audio, so a display can clip it. */
  public static final double SILENCE_DBFS = -120.0;

  private static final double FULL_SCALE = 32768.0;

  private double rmsDbfs = SILENCE_DBFS;
  private double peakDbfs = SILENCE_DBFS;
  private double heldPeakDbfs = SILENCE_DBFS;
  private final double decayDbPerBlock;

  /**
   * Creates a meter whose held peak falls by {@code decayDbPerBlock} per measured block when the
   * signal is quieter (e.g. 1.0 with 20 ms blocks falls 50 dB per second).
   */
  public LevelMeter(double decayDbPerBlock) {
    if (!(decayDbPerBlock >= 0)) {
      throw new IllegalArgumentException(
          "decayDbPerBlock " + decayDbPerBlock + " must be 0 or more, e.g. 1.0");
    }
    this.decayDbPerBlock = decayDbPerBlock;
  }

  /** Measures one block of samples (all channels together if interleaved). */
  public void measure(short[] pcm, int offset, int count) {
    rmsDbfs = rmsDbfs(pcm, offset, count);
    peakDbfs = peakDbfs(pcm, offset, count);
    heldPeakDbfs = Math.max(peakDbfs, heldPeakDbfs - decayDbPerBlock);
  }

  /** RMS level of the last block, in dBFS. */
  public double rmsDbfs() {
    return rmsDbfs;
  }

  /** Peak level of the last block, in dBFS. */
  public double peakDbfs() {
    return peakDbfs;
  }

  /** The highest recent peak, decaying by the configured step per block, in dBFS. */
  public double heldPeakDbfs() {
    return heldPeakDbfs;
  }

  /**
   * RMS level of {@code count} samples in dBFS; {@link #SILENCE_DBFS} for silence or an empty
   * range.
   */
  public static double rmsDbfs(short[] pcm, int offset, int count) {
    Checks.range("pcm", offset, count, pcm.length);
    if (count == 0) {
      return SILENCE_DBFS;
    }
    double sumSquares = 0;
    for (int i = offset; i < offset + count; i++) {
      double s = pcm[i];
      sumSquares += s * s;
    }
    return toDbfs(Math.sqrt(sumSquares / count));
  }

  /** Peak level of {@code count} samples in dBFS; -32768 reads as 0 dBFS. */
  public static double peakDbfs(short[] pcm, int offset, int count) {
    return toDbfs(peak(pcm, offset, count));
  }

  /** Largest absolute sample value of {@code count} samples, 0 to 32768. */
  public static int peak(short[] pcm, int offset, int count) {
    Checks.range("pcm", offset, count, pcm.length);
    int peak = 0;
    for (int i = offset; i < offset + count; i++) {
      peak = Math.max(peak, Math.abs((int) pcm[i]));
    }
    return peak;
  }

  private static double toDbfs(double amplitude) {
    if (amplitude <= 0) {
      return SILENCE_DBFS;
    }
    return Math.max(SILENCE_DBFS, 20 * Math.log10(amplitude / FULL_SCALE));
  }
}
