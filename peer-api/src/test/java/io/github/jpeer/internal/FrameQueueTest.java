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
    assertTrue(q.offer(b));
    assertEquals(1, b.position(), "the caller's position is not moved");
    assertTrue(q.offer(ByteBuffer.wrap(new byte[] {4})));
    assertFalse(q.offer(ByteBuffer.wrap(new byte[] {5})));
    assertEquals(1, q.dropped());
    FrameQueue.Slot s = q.poll();
    assertArrayEquals(new byte[] {1, 2, 3}, Arrays.copyOf(s.data(), s.length()));
    q.release(s);
    assertEquals(4, q.poll().data()[0]);
    assertNull(q.poll());
    assertThrows(IllegalArgumentException.class, () -> q.offer(ByteBuffer.allocate(9)));
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
                if (q.offer(b)) {
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
  void manyProducersLoseNothingButTheCountedDropsAndKeepTheirOwnOrder() throws Exception {
    // Four threads offer without retrying into a small ring while one thread drains it: every
    // frame either arrives, in its producer's order, or is counted as dropped.
    int producers = 4;
    int perProducer = 5_000;
    FrameQueue q = new FrameQueue(16, 8);
    CountDownLatch done = new CountDownLatch(producers);
    long[] offered = new long[producers];
    for (int p = 0; p < producers; p++) {
      int id = p;
      Thread t =
          new Thread(
              () -> {
                byte[] frame = new byte[8];
                for (int i = 0; i < perProducer; i++) {
                  ByteBuffer.wrap(frame).putInt(0, id).putInt(4, i);
                  if (q.offer(frame, 0, 8)) {
                    offered[id]++;
                  }
                }
                done.countDown();
              },
              "producer-" + p);
      t.setDaemon(true);
      t.start();
    }
    int[] next = new int[producers];
    long received = 0;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      FrameQueue.Slot s = q.poll();
      if (s == null) {
        if (done.getCount() == 0 && q.size() == 0) {
          break;
        }
        Thread.onSpinWait();
        continue;
      }
      ByteBuffer b = ByteBuffer.wrap(s.data());
      int id = b.getInt(0);
      int seq = b.getInt(4);
      assertEquals(8, s.length());
      assertTrue(seq >= next[id], "producer " + id + " frame " + seq + " after " + next[id]);
      next[id] = seq + 1;
      received++;
      q.release(s);
    }
    assertTrue(done.await(5, TimeUnit.SECONDS));
    long accepted = 0;
    for (long o : offered) {
      accepted += o;
    }
    assertEquals(accepted, received, "every accepted frame arrives");
    assertEquals((long) producers * perProducer, received + q.dropped(), "the rest are counted");
  }

  @Test
  void arraysAndDirectBuffersAreCopiedToo() {
    FrameQueue q = new FrameQueue(2, 8);
    assertTrue(q.offer(new byte[] {0, 1, 2, 3}, 1, 2));
    ByteBuffer direct = ByteBuffer.allocateDirect(3).put(new byte[] {7, 8, 9}).flip();
    assertTrue(q.offer(direct));
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
            q.offer(frame);
            FrameQueue.Slot s = q.poll();
            sum += s.length();
            q.release(s);
          }
          return sum;
        });
  }

  @Test
  void slotsGrowToTheFramesTheyCarryWithinTheLimit() {
    // A video queue's limit is 1 MiB per frame; its slots must not each hold that from the start.
    FrameQueue q = new FrameQueue(2, 1 << 20);
    assertTrue(q.offer(new byte[10], 0, 10));
    FrameQueue.Slot small = q.poll();
    assertTrue(small.data().length <= 4096, "a fresh slot holds " + small.data().length);
    q.release(small);
    byte[] big = new byte[300_000];
    big[299_999] = 42;
    assertTrue(q.offer(big, 0, big.length));
    FrameQueue.Slot s = q.poll();
    assertEquals(300_000, s.length());
    assertEquals(42, s.data()[299_999]);
    assertTrue(s.data().length >= 300_000 && s.data().length <= 1 << 20, "" + s.data().length);
    q.release(s);
    // The largest frame allowed still fits; one byte more is refused.
    byte[] limit = new byte[1 << 20];
    assertTrue(q.offer(ByteBuffer.wrap(limit)));
    assertEquals(1 << 20, q.poll().length());
    assertThrows(
        IllegalArgumentException.class, () -> q.offer(new byte[(1 << 20) + 1], 0, (1 << 20) + 1));
  }

  @Test
  void aGrownQueueAllocatesNothingForFramesItHasSeen() {
    FrameQueue q = new FrameQueue(4, 1 << 20);
    byte[] keyframe = new byte[60_000];
    byte[] delta = new byte[3_000];
    for (int i = 0; i < 8; i++) { // every slot carries a keyframe once
      q.offer(keyframe, 0, keyframe.length);
      q.release(q.poll());
    }
    AllocationMeter.assertAllocatesNothing(
        "FrameQueue with grown slots",
        1_000,
        n -> {
          long sum = 0;
          for (int i = 0; i < n; i++) {
            byte[] frame = i % 30 == 0 ? keyframe : delta;
            q.offer(frame, 0, frame.length);
            FrameQueue.Slot s = q.poll();
            sum += s.length();
            q.release(s);
          }
          return sum;
        });
  }
}
