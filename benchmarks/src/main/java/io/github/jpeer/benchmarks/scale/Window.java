package io.github.jpeer.benchmarks.scale;

/**
 * The measured interval on {@link System#nanoTime()}. A packet belongs to it by the send time it
 * carries, on both sides: the sender counts what it sent inside, the receiver what it got of those,
 * so packets in flight at either edge count neither as sent nor as lost.
 */
final class Window {
  private volatile long startNanos = Long.MAX_VALUE;
  private volatile long endNanos = Long.MAX_VALUE;

  /** Opens the window now for {@code lengthNanos}; returns its start. Called once. */
  long open(long lengthNanos) {
    long start = System.nanoTime();
    endNanos = start + lengthNanos; // end first: a reader that sees the start sees the end
    startNanos = start;
    return start;
  }

  long endNanos() {
    return endNanos;
  }

  static final int BEFORE = 0;
  static final int INSIDE = 1;
  static final int AFTER = 2;

  /**
   * Where a packet sent at {@code sentNanos} falls: {@link #BEFORE}, {@link #INSIDE} or {@link
   * #AFTER} the window. Any thread.
   *
   * <p>Arithmetic, not a comparison that the per-packet code branches on: a branch never taken
   * before the window opens is compiled as an uncommon trap, and taking it at the opening (and
   * again at the close) deoptimised the send loop and the receive callback with jpeer's dispatch
   * inlined into it, all under full load. The hundreds of milliseconds of slow packets that
   * followed, until C2 had compiled them again, were most of the measured p99 at 2000 connections.
   * Callers count every packet, by phase, so their code is the same throughout.
   */
  int phase(long sentNanos) {
    // nanoTime is non-negative here (a monotonic clock from boot), so none of this overflows.
    return (int) ((startNanos - 1 - sentNanos) >>> 63) + (int) ((endNanos - 1 - sentNanos) >>> 63);
  }
}
