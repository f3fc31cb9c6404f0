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

  /** The deadlines set, by entry id; MAX_VALUE for none. */
  private static long earliestByScan(long[] deadlines) {
    long min = Long.MAX_VALUE;
    for (long d : deadlines) {
      min = Math.min(min, d);
    }
    return min;
  }

  @Test
  void alwaysYieldsTheEarliestDeadlineThroughRandomChanges() {
    SplittableRandom r = new SplittableRandom(19);
    PeerLoop.Entry[] all = entries(1000);
    PeerLoop.DeadlineHeap heap = new PeerLoop.DeadlineHeap(table);
    long[] deadlines = new long[all.length];
    java.util.Arrays.fill(deadlines, Long.MAX_VALUE);
    long base = System.nanoTime();
    for (int step = 0; step < 200_000; step++) {
      PeerLoop.Entry e = all[r.nextInt(all.length)];
      int op = r.nextInt(10);
      if (op == 0) {
        heap.remove(e);
        deadlines[e.id] = Long.MAX_VALUE;
      } else if (op == 1) {
        heap.update(e, Long.MAX_VALUE); // no deadline: out of the heap
        deadlines[e.id] = Long.MAX_VALUE;
      } else {
        long d = base + r.nextLong(-1_000_000_000L, 5_000_000_000L);
        heap.update(e, d);
        deadlines[e.id] = d;
      }
      PeerLoop.Entry top = heap.peek();
      long expected = earliestByScan(deadlines);
      if (expected == Long.MAX_VALUE) {
        assertNull(top);
        assertEquals(Long.MAX_VALUE, heap.peekDeadline());
      } else {
        assertEquals(expected, heap.peekDeadline(), "step " + step);
        assertEquals(expected, deadlines[top.id], "the entry with that deadline, step " + step);
      }
    }
    // Draining in order gives non-decreasing deadlines and empties the heap.
    long last = Long.MIN_VALUE;
    for (PeerLoop.Entry e; (e = heap.peek()) != null; ) {
      long d = heap.peekDeadline();
      assertEquals(true, d - last >= 0 || last == Long.MIN_VALUE);
      last = d;
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
            sum += heap.peekDeadline();
          }
          return sum;
        });
  }
}
