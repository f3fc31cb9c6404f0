package io.github.jpeer.testkit;

import java.lang.management.ManagementFactory;

/**
 * Proves that a per-packet path allocates nothing in the steady state (STYLE: "zero allocation per
 * packet, proven"), with {@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes}.
 *
 * <p>The work is warmed up until the JIT has compiled it, then measured in several rounds; the
 * <em>least</em> any round allocated must be 0. One round can see a few hundred bytes that do not
 * belong to the code under test (a deoptimisation, a class loaded by an agent such as Jazzer's in
 * the same JVM); an allocation per call shows up in every round, as at least one object times the
 * number of calls.
 */
public final class AllocationMeter {
  private static final int ROUNDS = 5;

  private AllocationMeter() {}

  /** Work to measure: does {@code iterations} calls of the per-packet path, returns a sink. */
  @FunctionalInterface
  public interface Work {
    /** Runs the path {@code iterations} times; return something derived from the results. */
    long run(int iterations);
  }

  /**
   * Bytes allocated by the least-allocating of several rounds of {@code iterations} calls, after
   * warming up with {@code warmupRounds} rounds.
   */
  public static long minAllocatedBytes(Work work, int warmupRounds, int iterations) {
    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    if (!mx.isThreadAllocatedMemorySupported()) {
      throw new IllegalStateException("this JVM cannot measure allocation per thread");
    }
    long sink = 0;
    for (int i = 0; i < warmupRounds; i++) {
      sink += work.run(iterations);
    }
    long tid = Thread.currentThread().getId();
    long min = Long.MAX_VALUE;
    for (int round = 0; round < ROUNDS; round++) {
      long before = mx.getThreadAllocatedBytes(tid);
      sink += work.run(iterations);
      long after = mx.getThreadAllocatedBytes(tid);
      min = Math.min(min, after - before);
    }
    // Keep the results alive so the JIT cannot drop the work as dead code.
    if (sink == Long.MIN_VALUE + 42) {
      throw new AssertionError("unreachable sink value");
    }
    return min;
  }

  /**
   * Throws an AssertionError naming {@code what} unless the steady-state path allocates nothing (20
   * warm-up rounds, then rounds of {@code iterations} calls).
   */
  public static void assertAllocatesNothing(String what, int iterations, Work work) {
    long bytes = minAllocatedBytes(work, 20, iterations);
    if (bytes != 0) {
      throw new AssertionError(
          what
              + " allocated "
              + bytes
              + " bytes in "
              + iterations
              + " calls (least of "
              + ROUNDS
              + " rounds); expected 0");
    }
  }
}
