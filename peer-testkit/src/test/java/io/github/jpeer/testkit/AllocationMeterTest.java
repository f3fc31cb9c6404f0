package io.github.jpeer.testkit;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AllocationMeterTest {
  private static volatile Object escape;

  @Test
  void passesForArithmeticAndCatchesAnObjectPerCall() {
    AllocationMeter.assertAllocatesNothing(
        "a sum",
        10_000,
        n -> {
          long s = 0;
          for (int i = 0; i < n; i++) {
            s += i * 31L;
          }
          return s;
        });
    AssertionError e =
        assertThrows(
            AssertionError.class,
            () ->
                AllocationMeter.assertAllocatesNothing(
                    "an array per call",
                    10_000,
                    n -> {
                      for (int i = 0; i < n; i++) {
                        escape = new byte[16];
                      }
                      return n;
                    }));
    assertTrue(e.getMessage().contains("an array per call allocated"), e.getMessage());
  }
}
