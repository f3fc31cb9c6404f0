package io.github.jpeer;

/**
 * The one source of time of a connection: nanoseconds from an arbitrary origin, monotonic.
 *
 * <p>{@link #SYSTEM} in production; tests pass a virtual clock so that a 30 s consent timeout takes
 * no real time.
 */
@FunctionalInterface
public interface NanoClock {
  /** {@code System.nanoTime()}. */
  NanoClock SYSTEM = System::nanoTime;

  /** The current time in nanoseconds; only differences between two readings mean anything. */
  long nanoTime();
}
