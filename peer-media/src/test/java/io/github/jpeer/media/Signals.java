package io.github.jpeer.media;

import java.lang.management.ManagementFactory;

/** Signal measures shared by the tests. */
final class Signals {
  private Signals() {}

  /** Normalised cross-correlation of {@code a[i]} with {@code b[i + lag]} over {@code n}. */
  static double correlation(short[] a, int aStart, short[] b, int bStart, int n) {
    double ab = 0;
    double aa = 0;
    double bb = 0;
    for (int i = 0; i < n; i++) {
      double x = a[aStart + i];
      double y = b[bStart + i];
      ab += x * y;
      aa += x * x;
      bb += y * y;
    }
    return aa == 0 || bb == 0 ? 0 : ab / Math.sqrt(aa * bb);
  }

  /** The lag in {@code [0, maxLag]} at which {@code decoded} best matches {@code original}. */
  static int bestLag(short[] original, short[] decoded, int start, int n, int maxLag) {
    int best = 0;
    double bestCorrelation = -2;
    for (int lag = 0; lag <= maxLag; lag++) {
      double c = correlation(original, start, decoded, start + lag, n);
      if (c > bestCorrelation) {
        bestCorrelation = c;
        best = lag;
      }
    }
    return best;
  }

  /** Sum of squared differences of {@code a[aStart..]} and {@code b[bStart..]} over {@code n}. */
  static double errorEnergy(short[] a, int aStart, short[] b, int bStart, int n) {
    double sum = 0;
    for (int i = 0; i < n; i++) {
      double d = a[aStart + i] - b[bStart + i];
      sum += d * d;
    }
    return sum;
  }

  /** A sine of {@code amplitude} at {@code frequencyHz}. */
  static short[] sine(int sampleRate, double frequencyHz, double amplitude, int frames) {
    short[] pcm = new short[frames];
    for (int i = 0; i < frames; i++) {
      pcm[i] = (short) Math.round(amplitude * Math.sin(2 * Math.PI * frequencyHz * i / sampleRate));
    }
    return pcm;
  }

  /**
   * Fits {@code a sin + b cos} at {@code frequencyHz} to {@code pcm[start..start+n)} by least
   * squares and returns the signal-to-residual ratio in dB: how purely the tone survived.
   */
  static double toneSnrDb(short[] pcm, int start, int n, int sampleRate, double frequencyHz) {
    double ss = 0;
    double cc = 0;
    double sc = 0;
    double xs = 0;
    double xc = 0;
    for (int i = 0; i < n; i++) {
      double w = 2 * Math.PI * frequencyHz * (start + i) / sampleRate;
      double s = Math.sin(w);
      double c = Math.cos(w);
      double x = pcm[start + i];
      ss += s * s;
      cc += c * c;
      sc += s * c;
      xs += x * s;
      xc += x * c;
    }
    double det = ss * cc - sc * sc;
    double a = (xs * cc - xc * sc) / det;
    double b = (xc * ss - xs * sc) / det;
    double signal = 0;
    double residual = 0;
    for (int i = 0; i < n; i++) {
      double w = 2 * Math.PI * frequencyHz * (start + i) / sampleRate;
      double fit = a * Math.sin(w) + b * Math.cos(w);
      signal += fit * fit;
      double r = pcm[start + i] - fit;
      residual += r * r;
    }
    return 10 * Math.log10(signal / Math.max(residual, 1e-9));
  }

  /** RMS of {@code pcm[start..start+n)}. */
  static double rms(short[] pcm, int start, int n) {
    double sum = 0;
    for (int i = start; i < start + n; i++) {
      sum += (double) pcm[i] * pcm[i];
    }
    return Math.sqrt(sum / n);
  }

  /** What one {@link #allocatedBytes()} call itself allocates (816 B on JDK 17), to subtract. */
  static long measurementOverhead() {
    long overhead = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      long before = allocatedBytes();
      overhead = Math.min(overhead, allocatedBytes() - before);
    }
    return overhead;
  }

  /** Bytes allocated so far by the current thread. */
  static long allocatedBytes() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
        .getCurrentThreadAllocatedBytes();
  }
}
