package io.github.jpeer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

/** The queue under MediaSession's pollTransmit and pollEvent. */
class SlotRingTest {
  /** A slot holding one number, so the test can tell what it was filled with. */
  private static final class Slot {
    int value;
  }

  private static void add(SlotRing<Slot> ring, int value) {
    ring.claim().value = value;
    ring.commit();
  }

  @Test
  void slotsComeOutInOrderAndTheOnePolledLastIsNotRefilledUntilTheNextPoll() {
    SlotRing<Slot> ring = new SlotRing<>(2, Slot::new);
    add(ring, 1);
    Slot first = ring.poll();
    assertEquals(1, first.value);
    // Two more while the first is still held: the ring grows rather than refill it.
    add(ring, 2);
    add(ring, 3);
    assertEquals(1, first.value);
    assertEquals(2, ring.size());
    assertEquals(2, ring.poll().value);
    assertEquals(3, ring.poll().value);
    assertNull(ring.poll());
    assertEquals(0, ring.size());
  }

  @Test
  void growingKeepsTheOrderAndTheSlots() {
    SlotRing<Slot> ring = new SlotRing<>(4, Slot::new);
    // Move head away from index 0 first, so that the growth has to rotate.
    add(ring, 0);
    Slot reused = ring.poll();
    for (int i = 1; i <= 9; i++) {
      add(ring, i);
    }
    for (int i = 1; i <= 9; i++) {
      assertEquals(i, ring.poll().value);
    }
    assertNull(ring.poll());
    // The first slot came round again after growing: it was kept, not made anew.
    int seen = 0;
    for (int i = 0; i < 16; i++) {
      add(ring, i);
      Slot s = ring.poll();
      seen += s == reused ? 1 : 0;
    }
    assertEquals(1, seen);
  }

  @Test
  void aClaimNotCommittedIsHandedOutAgain() {
    SlotRing<Slot> ring = new SlotRing<>(2, Slot::new);
    Slot claimed = ring.claim();
    assertSame(claimed, ring.claim());
    assertNull(ring.poll());
    add(ring, 7);
    Slot polled = ring.poll();
    assertSame(claimed, polled);
    assertNotSame(polled, ring.claim());
  }

  /** One in, drained to null, a thousand times (how the drivers poll): one slot is made, not 16. */
  @Test
  void aSteadyFlowUsesTwoSlots() {
    int[] made = {0};
    SlotRing<Slot> ring =
        new SlotRing<>(
            16,
            () -> {
              made[0]++;
              return new Slot();
            });
    for (int i = 0; i < 1000; i++) {
      add(ring, i);
      assertEquals(i, ring.poll().value);
      assertNull(ring.poll());
    }
    assertEquals(1, made[0]);
  }
}
