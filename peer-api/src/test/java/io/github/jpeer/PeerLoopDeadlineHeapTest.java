package io.github.jpeer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.github.jpeer.testkit.AllocationMeter;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The loop's deadline heap against a plain scan, under random updates and removals. */
class PeerLoopDeadlineHeapTest {
  private final PeerLoop.Entries table = new PeerLoop.Entries();

  private PeerLoop.Entry[] entries(int n) {
    PeerLoop.Entry[] e = new PeerLoop.Entry[n];
    for (int i = 0; i < n; i++) {
      e[i] = table.add(null);
    }
    return e;
  }

  private static long earliestByScan(PeerLoop.Entry[] all) {
    long min = Long.MAX_VALUE;
    for (PeerLoop.Entry e : all) {
      if (e.heapIndex >= 0) {
        min = Math.min(min, e.deadlineNanos);
      }
    }
    return min;
  }

  @Test
  void alwaysYieldsTheEarliestDeadlineThroughRandomChanges() {
    SplittableRandom r = new SplittableRandom(19);
    PeerLoop.Entry[] all = entries(1000);
    PeerLoop.DeadlineHeap heap = new PeerLoop.DeadlineHeap(table);
    long base = System.nanoTime();
    for (int step = 0; step < 200_000; step++) {
      PeerLoop.Entry e = all[r.nextInt(all.length)];
      int op = r.nextInt(10);
      if (op == 0) {
        heap.remove(e);
      } else if (op == 1) {
        heap.update(e, Long.MAX_VALUE); // no deadline: out of the heap
      } else {
        heap.update(e, base + r.nextLong(-1_000_000_000L, 5_000_000_000L));
      }
      PeerLoop.Entry top = heap.peek();
      long expected = earliestByScan(all);
      if (expected == Long.MAX_VALUE) {
        assertNull(top);
      } else {
        assertEquals(expected, top.deadlineNanos, "step " + step);
      }
    }
    // Draining in order gives non-decreasing deadlines and empties the heap.
    long last = Long.MIN_VALUE;
    for (PeerLoop.Entry e; (e = heap.peek()) != null; ) {
      assertEquals(true, e.deadlineNanos - last >= 0 || last == Long.MIN_VALUE);
      last = e.deadlineNanos;
      heap.remove(e);
    }
    assertEquals(0, heap.size());
  }

  @Test
  void idsFreedAreReusedAndTheTableGrows() {
    PeerLoop.Entry[] all = entries(40); // past the initial 16
    assertEquals(39, all[39].id);
    table.release(all[7]);
    table.release(all[3]);
    assertNull(table.get(7));
    assertEquals(3, table.add(null).id, "the last freed first");
    assertEquals(7, table.add(null).id);
    assertEquals(40, table.add(null).id, "then new ones");
  }

  @Test
  void movingADeadlineAllocatesNothing() {
    PeerLoop.Entry[] all = entries(1000);
    PeerLoop.DeadlineHeap heap = new PeerLoop.DeadlineHeap(table);
    long base = System.nanoTime();
    for (int i = 0; i < all.length; i++) {
      heap.update(all[i], base + i * 1_000_000L);
    }
    SplittableRandom r = new SplittableRandom(3);
    AllocationMeter.assertAllocatesNothing(
        "deadline updates of 1000 connections",
        10_000,
        n -> {
          long sum = 0;
          for (int i = 0; i < n; i++) {
            heap.update(all[r.nextInt(all.length)], base + r.nextLong(1_000_000_000L));
            sum += heap.peek().deadlineNanos;
          }
          return sum;
        });
  }
}
