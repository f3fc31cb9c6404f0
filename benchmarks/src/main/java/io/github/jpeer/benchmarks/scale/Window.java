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

  /** Whether a packet sent at {@code sentNanos} is measured. Any thread. */
  boolean contains(long sentNanos) {
    return sentNanos >= startNanos && sentNanos < endNanos;
  }
}
