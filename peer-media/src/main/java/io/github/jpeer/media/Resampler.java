package io.github.jpeer.media;

import java.util.Arrays;

/**
 * Streaming sample-rate converter for 16-bit PCM between any two rates whose ratio reduces to small
 * integers, in particular all of Opus's 8, 12, 16, 24 and 48 kHz (and 44.1 kHz to and from 48 kHz
 * for WAV files).
 *
 * <p>A rational polyphase filter: conceptually upsample by L (insert L-1 zeros), low-pass, keep
 * every M-th sample, with L/M = outputRate/inputRate in lowest terms; only the taps that meet
 * non-zero input are computed. The low-pass is a Kaiser-windowed sinc (80 dB stop-band) with its
 * pass band up to 85% and its stop band from 100% of the lower rate's Nyquist frequency, so
 * downsampling does not alias (48 to 8 kHz keeps 0 to 3.4 kHz and removes everything from 4 kHz)
 * and upsampling leaves no images.
 *
 * <p>State (the last input samples) carries across calls, so a stream can be fed in frames of any
 * size. The output lags the input by {@link #delayOutputFrames()}. Not thread-safe; {@link
 * #process} allocates only when a call's input is longer than any before.
 */
public final class Resampler {

  /** Largest up- or down-sampling factor after reduction (44.1 to 48 kHz needs 160). */
  private static final int MAX_FACTOR = 640;

  private static final double STOPBAND_DB = 80.0;

  private final int inputRate;
  private final int outputRate;
  private final int channels;
  private final int up;
  private final int down;
  private final int tapsPerPhase;
  private final double[][] phases;
  private final double delayOutputFrames;
  // Per channel: tapsPerPhase - 1 samples of history followed by the current input.
  private float[][] work;
  // Position of the next output on the upsampled time axis, relative to the current input.
  private long nextPosition;

  /**
   * Creates a converter.
   *
   * @param inputRate input sample rate in Hz
   * @param outputRate output sample rate in Hz
   * @param channels 1 or 2 (interleaved)
   * @throws IllegalArgumentException if a rate is not positive, channels is not 1 or 2, or the
   *     ratio does not reduce to factors of at most 640
   */
  public Resampler(int inputRate, int outputRate, int channels) {
    if (inputRate <= 0 || outputRate <= 0) {
      throw new IllegalArgumentException(
          "rates must be positive, got " + inputRate + " Hz to " + outputRate + " Hz");
    }
    if (channels != 1 && channels != 2) {
      throw new IllegalArgumentException(
          "channels " + channels + " is not supported; use 1 (mono) or 2 (stereo)");
    }
    int gcd = gcd(inputRate, outputRate);
    this.inputRate = inputRate;
    this.outputRate = outputRate;
    this.channels = channels;
    this.up = outputRate / gcd;
    this.down = inputRate / gcd;
    if (up > MAX_FACTOR || down > MAX_FACTOR) {
      throw new IllegalArgumentException(
          inputRate
              + " Hz to "
              + outputRate
              + " Hz reduces to "
              + up
              + "/"
              + down
              + ", beyond the supported "
              + MAX_FACTOR
              + "; use rates such as 8000, 12000, 16000, 24000, 44100, 48000");
    }
    if (up == 1 && down == 1) {
      tapsPerPhase = 1;
      phases = new double[][] {{1.0}};
      delayOutputFrames = 0;
    } else {
      // Design on the upsampled axis (rate up * inputRate) around the lower Nyquist frequency.
      double upsampledRate = (double) up * inputRate;
      double lowerNyquist = Math.min(inputRate, outputRate) / 2.0;
      double passEdge = 0.85 * lowerNyquist;
      double transitionWidth = lowerNyquist - passEdge;
      double cutoff = (passEdge + lowerNyquist) / 2 / upsampledRate; // cycles per sample
      double transitionRadians = 2 * Math.PI * transitionWidth / upsampledRate;
      // Kaiser's formulas for the length and shape giving STOPBAND_DB of attenuation.
      int minLength = (int) Math.ceil((STOPBAND_DB - 7.95) / (2.285 * transitionRadians)) + 1;
      // Centre the filter on a multiple of `down`, so the delay is a whole number of output
      // samples and resample() can line the output up with the input exactly.
      int centerTaps = (minLength / 2 + down - 1) / down * down;
      int length = 2 * centerTaps + 1;
      double beta = 0.1102 * (STOPBAND_DB - 8.7);
      tapsPerPhase = (length + up - 1) / up;
      phases = new double[up][tapsPerPhase];
      double center = (length - 1) / 2.0;
      double i0Beta = besselI0(beta);
      for (int j = 0; j < length; j++) {
        double x = j - center;
        double sinc = x == 0 ? 2 * cutoff : Math.sin(2 * Math.PI * cutoff * x) / (Math.PI * x);
        double ratio = x / center;
        double window = besselI0(beta * Math.sqrt(Math.max(0, 1 - ratio * ratio))) / i0Beta;
        // Gain `up` restores the level lost to the inserted zeros.
        phases[j % up][j / up] = sinc * window * up;
      }
      delayOutputFrames = center / down;
    }
    work = new float[channels][tapsPerPhase - 1 + 960];
  }

  /** Input rate in Hz. */
  public int inputRate() {
    return inputRate;
  }

  /** Output rate in Hz. */
  public int outputRate() {
    return outputRate;
  }

  /** Channels (interleaved). */
  public int channels() {
    return channels;
  }

  /** How far the output lags the input, in output samples per channel (the filter's delay). */
  public double delayOutputFrames() {
    return delayOutputFrames;
  }

  /**
   * Most output samples per channel one call of {@link #process} can produce for {@code
   * inputFrames} input samples per channel: size the output array with this.
   */
  public int maxOutputFrames(int inputFrames) {
    return (int) (((long) inputFrames * up + down - 1) / down) + 1;
  }

  /**
   * Converts {@code inputFrames} samples per channel (interleaved) and writes the output that they
   * complete. Over a stream, the output count averages {@code inputFrames * outputRate /
   * inputRate}; a single call may give one more or one less.
   *
   * @return output samples per channel written at {@code out[outOffset]}
   * @throws IllegalArgumentException if a range does not fit its array; {@link #maxOutputFrames}
   *     output frames always fit
   */
  public int process(short[] in, int inOffset, int inputFrames, short[] out, int outOffset) {
    Checks.range("in", inOffset, inputFrames * channels, in.length);
    long end = (long) inputFrames * up;
    int outputFrames = end > nextPosition ? (int) ((end - nextPosition + down - 1) / down) : 0;
    Checks.range("out", outOffset, outputFrames * channels, out.length);
    int history = tapsPerPhase - 1;
    if (work[0].length < history + inputFrames) {
      float[][] grown = new float[channels][history + inputFrames];
      for (int c = 0; c < channels; c++) {
        System.arraycopy(work[c], 0, grown[c], 0, history);
      }
      work = grown;
    }
    for (int c = 0; c < channels; c++) {
      float[] buffer = work[c];
      for (int i = 0; i < inputFrames; i++) {
        buffer[history + i] = in[inOffset + i * channels + c];
      }
    }
    int produced = 0;
    long position = nextPosition;
    for (; position < end; position += down) {
      int base = (int) (position / up);
      double[] taps = phases[(int) (position % up)];
      int outIndex = outOffset + produced * channels;
      for (int c = 0; c < channels; c++) {
        float[] buffer = work[c];
        // taps[k] weighs input sample base - k, stored at history + base - k.
        int newest = history + base;
        double sum = 0;
        for (int k = 0; k < tapsPerPhase; k++) {
          sum += taps[k] * buffer[newest - k];
        }
        out[outIndex + c] = Pcm.saturate((int) Math.round(sum));
      }
      produced++;
    }
    nextPosition = position - end;
    for (int c = 0; c < channels; c++) {
      System.arraycopy(work[c], inputFrames, work[c], 0, history);
    }
    return produced;
  }

  /** Clears the history, as a new converter. */
  public void reset() {
    for (float[] buffer : work) {
      Arrays.fill(buffer, 0f);
    }
    nextPosition = 0;
  }

  /**
   * Converts a whole clip (e.g. a WAV file) in one go, compensating the filter delay so the output
   * lines up with the input and has {@code round(frames * outputRate / inputRate)} samples per
   * channel.
   *
   * @param pcm interleaved samples
   * @throws IllegalArgumentException as the constructor, or if {@code pcm.length} is not a multiple
   *     of {@code channels}
   */
  public static short[] resample(short[] pcm, int inputRate, int outputRate, int channels) {
    Resampler resampler = new Resampler(inputRate, outputRate, channels);
    if (pcm.length % channels != 0) {
      throw new IllegalArgumentException(
          "pcm length " + pcm.length + " is not a multiple of " + channels + " channels");
    }
    int frames = pcm.length / channels;
    int wanted = (int) Math.round((double) frames * outputRate / inputRate);
    int skip = (int) Math.round(resampler.delayOutputFrames);
    // Feed enough trailing silence to flush the filter's delay line.
    int tailFrames = (int) Math.ceil((double) (skip + 2) * inputRate / outputRate) + 1;
    short[] padded = Arrays.copyOf(pcm, (frames + tailFrames) * channels);
    short[] all = new short[resampler.maxOutputFrames(frames + tailFrames) * channels];
    int produced = resampler.process(padded, 0, frames + tailFrames, all, 0);
    short[] result = new short[wanted * channels];
    int available = Math.max(0, Math.min(wanted, produced - skip));
    System.arraycopy(all, skip * channels, result, 0, available * channels);
    return result;
  }

  private static int gcd(int a, int b) {
    while (b != 0) {
      int t = a % b;
      a = b;
      b = t;
    }
    return a;
  }

  /** Zeroth-order modified Bessel function of the first kind, by its power series. */
  private static double besselI0(double x) {
    double sum = 1;
    double term = 1;
    double halfX = x / 2;
    for (int k = 1; k < 50; k++) {
      term *= (halfX / k) * (halfX / k);
      sum += term;
      if (term < sum * 1e-17) {
        break;
      }
    }
    return sum;
  }
}
