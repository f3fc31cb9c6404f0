package io.github.jpeer.benchmarks.scale;

/**
 * Send-to-callback latencies in 10 us buckets up to 1 s, plus one overflow bucket and the exact
 * maximum: preallocated, so recording a packet allocates nothing. Not thread-safe: one per loop
 * thread, merged once the measurement is over.
 */
final class LatencyHistogram {
  static final long BUCKET_NANOS = 10_000;

  /** Buckets below the overflow one: 100,000 x 10 us = 1 s. */
  static final int BUCKETS = 100_000;

  private final int[] counts = new int[BUCKETS + 1]; // the last one: 1 s and more
  private long count;
  private long maxNanos;

  void record(long nanos) {
    long n = Math.max(0, nanos); // one clock for send and receive: only a bug makes it negative
    long bucket = n / BUCKET_NANOS;
    counts[bucket >= BUCKETS ? BUCKETS : (int) bucket]++;
    count++;
    if (n > maxNanos) {
      maxNanos = n;
    }
  }

  /** Adds {@code other}'s counts to this one's. */
  void add(LatencyHistogram other) {
    for (int i = 0; i <= BUCKETS; i++) {
      counts[i] += other.counts[i];
    }
    count += other.count;
    maxNanos = Math.max(maxNanos, other.maxNanos);
  }

  long count() {
    return count;
  }

  long maxNanos() {
    return maxNanos;
  }

  /** Latencies of 1 s or more. */
  long overflow() {
    return counts[BUCKETS];
  }

  /**
   * The {@code quantile} (0 to 1) as the upper edge of its bucket (so never below the truth by more
   * than 10 us, and never above the maximum), or -1 if nothing was recorded.
   */
  long quantileNanos(double quantile) {
    if (count == 0) {
      return -1;
    }
    long rank = Math.max(1, (long) Math.ceil(quantile * count));
    long seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
      seen += counts[i];
      if (seen >= rank) {
        return Math.min((i + 1) * BUCKET_NANOS, maxNanos);
      }
    }
    return maxNanos; // in the overflow bucket
  }
}
