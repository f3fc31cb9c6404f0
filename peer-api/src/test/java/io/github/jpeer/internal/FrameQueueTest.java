package io.github.jpeer.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jpeer.testkit.AllocationMeter;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FrameQueueTest {
  @Test
  void framesComeOutInOrderAndAFullQueueDrops() {
    FrameQueue q = new FrameQueue(2, 8);
    ByteBuffer b = ByteBuffer.wrap(new byte[] {9, 1, 2, 3});
    b.position(1);
    assertTrue(q.offer(b, 7));
    assertEquals(1, b.position(), "the caller's position is not moved");
    assertTrue(q.offer(ByteBuffer.wrap(new byte[] {4}), 8));
    assertFalse(q.offer(ByteBuffer.wrap(new byte[] {5}), 9));
    assertEquals(1, q.dropped());
    FrameQueue.Slot s = q.poll();
    assertArrayEquals(new byte[] {1, 2, 3}, Arrays.copyOf(s.data(), s.length()));
    assertEquals(7, s.timestamp());
    q.release(s);
    assertEquals(8, q.poll().timestamp());
    assertNull(q.poll());
    assertThrows(IllegalArgumentException.class, () -> q.offer(ByteBuffer.allocate(9), 0));
  }

  @Test
  void handsFramesAcrossThreads() throws Exception {
    FrameQueue q = new FrameQueue(64, 4);
    CountDownLatch done = new CountDownLatch(1);
    Thread producer =
        new Thread(
            () -> {
              ByteBuffer b = ByteBuffer.allocate(4);
              for (int i = 0; i < 10_000; ) {
                b.clear();
                b.putInt(0, i);
                if (q.offer(b, i)) {
                  i++;
                }
              }
              done.countDown();
            },
            "producer");
    producer.start();
    int next = 0;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (next < 10_000 && System.nanoTime() < deadline) {
      FrameQueue.Slot s = q.poll();
      if (s == null) {
        Thread.onSpinWait();
        continue;
      }
      assertEquals(next, ByteBuffer.wrap(s.data()).getInt(0));
      next++;
      q.release(s);
    }
    assertEquals(10_000, next);
    assertTrue(done.await(5, TimeUnit.SECONDS));
  }

  @Test
  void arraysAndDirectBuffersAreCopiedToo() {
    FrameQueue q = new FrameQueue(2, 8);
    assertTrue(q.offer(new byte[] {0, 1, 2, 3}, 1, 2, 5));
    ByteBuffer direct = ByteBuffer.allocateDirect(3).put(new byte[] {7, 8, 9}).flip();
    assertTrue(q.offer(direct, 6));
    FrameQueue.Slot a = q.poll();
    assertArrayEquals(new byte[] {1, 2}, Arrays.copyOf(a.data(), a.length()));
    FrameQueue.Slot b = q.poll();
    assertArrayEquals(new byte[] {7, 8, 9}, Arrays.copyOf(b.data(), b.length()));
    assertEquals(0, direct.position());
  }

  @Test
  void steadyStateAllocatesNothing() {
    FrameQueue q = new FrameQueue(4, 160);
    ByteBuffer frame = ByteBuffer.allocate(160);
    AllocationMeter.assertAllocatesNothing(
        "FrameQueue offer/poll/release",
        10_000,
        n -> {
          long sum = 0;
          for (int i = 0; i < n; i++) {
            q.offer(frame, i);
            FrameQueue.Slot s = q.poll();
            sum += s.length();
            q.release(s);
          }
          return sum;
        });
  }
}
