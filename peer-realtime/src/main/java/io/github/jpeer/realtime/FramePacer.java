package io.github.jpeer.realtime;

/**
 * When to send each audio frame: frame {@code i} is due at {@code epoch + (i + 1) * frameNanos}, so
 * a late wake-up shortens the next wait instead of pushing every later frame back (no drift). After
 * a long stall (a GC pause, a suspended laptop) it starts a new schedule from now rather than
 * sending a burst of stale frames. Times are parameters, so tests need no clock.
 */
final class FramePacer {
  private final long frameNanos;
  private final long maxLagNanos;
  private long epochNanos;

  /** A schedule of {@code frameNanos} frames starting at {@code startNanos}. */
  FramePacer(long frameNanos, long startNanos) {
    this.frameNanos = frameNanos;
    this.maxLagNanos = 10 * frameNanos;
    this.epochNanos = startNanos;
  }

  /**
   * The time frame {@code index} (0-based) is due to be followed by the next one, given that it is
   * now {@code nowNanos}.
   */
  long deadlineNanos(long index, long nowNanos) {
    long deadline = epochNanos + (index + 1) * frameNanos;
    if (nowNanos - deadline > maxLagNanos) {
      epochNanos = nowNanos - (index + 1) * frameNanos; // stalled: resync
      deadline = nowNanos;
    }
    return deadline;
  }
}
