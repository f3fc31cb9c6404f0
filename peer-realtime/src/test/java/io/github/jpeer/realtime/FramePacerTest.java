package io.github.jpeer.realtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The sender's schedule, in made-up time: fixed deadlines, no drift, a resync after a stall. */
class FramePacerTest {
  private static final long FRAME = 20_000_000L;

  @Test
  void deadlinesFollowTheEpochWhateverTheWakeUps() {
    FramePacer pacer = new FramePacer(FRAME, 1_000);
    assertEquals(1_000 + FRAME, pacer.deadlineNanos(0, 1_000));
    // Woke 7 ms late for frame 1: frame 2's deadline is still on the grid (no drift).
    assertEquals(1_000 + 2 * FRAME, pacer.deadlineNanos(1, 1_000 + FRAME + 7_000_000));
    assertEquals(1_000 + 3 * FRAME, pacer.deadlineNanos(2, 1_000 + 2 * FRAME + 19_000_000));
    // A thousand frames on, still exactly on the grid.
    assertEquals(1_000 + 1_000 * FRAME, pacer.deadlineNanos(999, 1_000 + 999 * FRAME));
  }

  @Test
  void longStallStartsANewScheduleInsteadOfABurst() {
    FramePacer pacer = new FramePacer(FRAME, 0);
    long now = 5_000_000_000L; // 5 s stall at frame 3
    assertEquals(now, pacer.deadlineNanos(3, now));
    assertEquals(now + FRAME, pacer.deadlineNanos(4, now + 1_000));
    assertEquals(now + 2 * FRAME, pacer.deadlineNanos(5, now + FRAME + 3_000_000));
  }
}
