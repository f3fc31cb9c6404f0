package io.github.jpeer.rtp;

import io.github.jpeer.testkit.AllocationMeter;

/** Measures heap allocation of the current thread, for the zero-allocation tests. */
final class Allocations {

  private Allocations() {}

  /**
   * Bytes {@code body} allocates in the steady state: the least of several measured rounds after
   * warm-up (see {@link AllocationMeter}), so a one-off deoptimisation does not count.
   */
  static long allocatedBytes(Runnable body) {
    return AllocationMeter.minAllocatedBytes(
        iterations -> {
          body.run();
          return 0;
        },
        20,
        1);
  }

  static byte[] hex(String hex) {
    return java.util.HexFormat.of().parseHex(hex.replaceAll("\\s", ""));
  }
}
