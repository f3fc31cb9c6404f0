package io.github.jpeer.testkit;

/**
 * A clock that moves only when a test moves it. Starts at an arbitrary non-zero instant so that
 * code which wrongly treats 0 as "unset" is caught.
 *
 * <p>Not thread-safe: a test owns it.
 */
public final class VirtualClock {
  private long nowNanos;

  /** A clock starting at 1 000 s of virtual time. */
  public VirtualClock() {
    this(1_000_000_000_000L);
  }

  /** A clock starting at {@code startNanos}. */
  public VirtualClock(long startNanos) {
    this.nowNanos = startNanos;
  }

  /** The current virtual time in nanoseconds. */
  public long nanoTime() {
    return nowNanos;
  }

  /** Moves time forward by {@code nanos} (must not be negative) and returns the new time. */
  public long advanceNanos(long nanos) {
    if (nanos < 0) {
      throw new IllegalArgumentException("time only moves forward; got " + nanos + " ns");
    }
    nowNanos += nanos;
    return nowNanos;
  }

  /** Moves time forward by {@code millis} milliseconds and returns the new time. */
  public long advanceMillis(long millis) {
    return advanceNanos(millis * 1_000_000L);
  }

  /** Moves time to {@code targetNanos} if that is later than now; returns the current time. */
  public long advanceTo(long targetNanos) {
    if (targetNanos > nowNanos) {
      nowNanos = targetNanos;
    }
    return nowNanos;
  }
}
