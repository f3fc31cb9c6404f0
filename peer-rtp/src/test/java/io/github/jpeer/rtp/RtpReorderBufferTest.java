package io.github.jpeer.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RtpReorderBufferTest {
  private static final long MS = 1_000_000L;
  private static final long WAIT = 100 * MS;

  private static byte[] packet(int seq) {
    byte[] p = new byte[12 + 20];
    RtpHeaderWriter.writeFixed(p, 0, false, 96, seq, 0, 0x42);
    Arrays.fill(p, 12, p.length, (byte) seq);
    return p;
  }

  private static int push(RtpReorderBuffer b, int seq, long now) {
    byte[] p = packet(seq);
    return b.push(p, 0, p.length, now);
  }

  /** Everything poll releases now, as sequence numbers; checks each packet's bytes too. */
  private static List<Integer> drain(RtpReorderBuffer b, long now) {
    List<Integer> out = new ArrayList<>();
    while (b.poll(now, WAIT)) {
      int seq = ((b.packet()[2] & 0xff) << 8) | (b.packet()[3] & 0xff);
      assertArrayEquals(packet(seq), Arrays.copyOf(b.packet(), b.length()), "bytes of " + seq);
      out.add(seq);
    }
    return out;
  }

  @Test
  void inOrderPacketsPassStraightThrough() {
    RtpReorderBuffer b = new RtpReorderBuffer(64);
    for (int seq = 100; seq < 110; seq++) {
      assertEquals(RtpReorderBuffer.HELD, push(b, seq, seq * MS));
      assertEquals(List.of(seq), drain(b, seq * MS));
    }
    assertEquals(0, b.skipped());
    assertEquals(Long.MAX_VALUE, b.releaseDeadlineNanos(WAIT));
  }

  @Test
  void aReorderedPacketIsWaitedForAndReleasedInOrder() {
    RtpReorderBuffer b = new RtpReorderBuffer(64);
    push(b, 1, 0);
    assertEquals(List.of(1), drain(b, 0));
    push(b, 3, 10 * MS);
    push(b, 4, 11 * MS);
    assertEquals(List.of(), drain(b, 11 * MS), "3 and 4 wait for 2");
    assertEquals(10 * MS + WAIT, b.releaseDeadlineNanos(WAIT));
    push(b, 2, 30 * MS);
    assertEquals(List.of(2, 3, 4), drain(b, 30 * MS));
    assertEquals(0, b.skipped());
    assertEquals(RtpReorderBuffer.LATE, push(b, 2, 31 * MS), "a copy of 2 after its release");
    assertEquals(1, b.late());
  }

  @Test
  void aLostPacketIsGivenUpOnAfterTheWait() {
    RtpReorderBuffer b = new RtpReorderBuffer(64);
    push(b, 1, 0);
    drain(b, 0);
    push(b, 3, 10 * MS);
    assertEquals(List.of(), drain(b, 10 * MS + WAIT - 1));
    assertEquals(List.of(3), drain(b, 10 * MS + WAIT));
    assertEquals(1, b.skipped());
    assertEquals(RtpReorderBuffer.LATE, push(b, 2, 200 * MS), "2 came after it was given up on");
  }

  @Test
  void duplicatesAreNotHeldTwice() {
    RtpReorderBuffer b = new RtpReorderBuffer(64);
    push(b, 1, 0);
    push(b, 3, 0);
    assertEquals(RtpReorderBuffer.DUPLICATE, push(b, 3, 0));
    push(b, 2, 0);
    assertEquals(List.of(1, 2, 3), drain(b, 0));
  }

  @Test
  void worksAcrossTheSequenceNumberWrap() {
    RtpReorderBuffer b = new RtpReorderBuffer(64);
    push(b, 65534, 0);
    push(b, 0, 0);
    push(b, 65535, 0);
    push(b, 1, 0);
    assertEquals(List.of(65534, 65535, 0, 1), drain(b, 0));
  }

  @Test
  void aJumpBeyondTheWindowGivesUpOnWhatFallsOutOfIt() {
    RtpReorderBuffer b = new RtpReorderBuffer(16);
    push(b, 0, 0);
    drain(b, 0);
    push(b, 2, 0); // 1 missing, 2 held
    push(b, 40, 0); // 40 - 15 = 25: everything below 25 is past waiting for
    assertEquals(List.of(2), drain(b, 0), "no wait for 1 and 3..24: out of the window");
    assertEquals(1 + 22, b.skipped());
    assertEquals(List.of(), drain(b, WAIT - 1), "25..39 are inside it and get the usual wait");
    assertEquals(List.of(40), drain(b, WAIT));
    assertEquals(1 + 22 + 15, b.skipped());
  }

  @Test
  void missingPacketsAreAskedForAtMostMaxTriesEveryInterval() {
    RtpReorderBuffer b = new RtpReorderBuffer(64);
    push(b, 10, 0);
    drain(b, 0);
    push(b, 13, 0); // 11 and 12 missing
    int[] out = new int[8];
    assertEquals(Long.MIN_VALUE, b.nextNackNanos(20 * MS, 2), "never asked: due at once");
    assertEquals(2, b.missing(0, 20 * MS, 2, out));
    assertArrayEquals(new int[] {11, 12}, Arrays.copyOf(out, 2));
    assertEquals(0, b.missing(19 * MS, 20 * MS, 2, out), "not again within the interval");
    assertEquals(20 * MS, b.nextNackNanos(20 * MS, 2));
    push(b, 12, 19 * MS); // 12 arrives: only 11 is asked for again
    assertEquals(1, b.missing(20 * MS, 20 * MS, 2, out));
    assertEquals(11, out[0]);
    assertEquals(0, b.missing(100 * MS, 20 * MS, 2, out), "two tries are the most");
    assertEquals(Long.MAX_VALUE, b.nextNackNanos(20 * MS, 2));
    // The out array bounds the answer.
    push(b, 30, 100 * MS);
    assertEquals(1, b.missing(100 * MS, 20 * MS, 2, new int[1]));
  }

  @Test
  void rejectsBadArguments() {
    assertThrows(IllegalArgumentException.class, () -> new RtpReorderBuffer(48));
    assertThrows(IllegalArgumentException.class, () -> new RtpReorderBuffer(8));
    RtpReorderBuffer b = new RtpReorderBuffer(16);
    assertThrows(IllegalArgumentException.class, () -> b.push(new byte[11], 0, 11, 0));
    assertFalse(b.poll(0, WAIT), "nothing pushed: nothing released");
  }

  @Test
  void holdingAndReleasingAllocateNothingOnceEverySlotIsInUse() {
    RtpReorderBuffer b = new RtpReorderBuffer(64);
    byte[] p = packet(0);
    int[] out = new int[16];
    int[] seq = {0};
    long[] now = {0};
    long[] released = {0};
    Runnable traffic =
        () -> {
          for (int i = 0; i < 200; i++) {
            // Pairs swapped: 1, 0, 3, 2, ... so every packet after the first of a pair waits.
            int s = (seq[0] + (i % 2 == 0 ? 1 : -1)) & 0xffff;
            seq[0] += 1;
            p[2] = (byte) (s >>> 8);
            p[3] = (byte) s;
            now[0] += MS;
            b.push(p, 0, p.length, now[0]);
            b.missing(now[0], 10 * MS, 3, out);
            while (b.poll(now[0], WAIT)) {
              released[0]++;
            }
          }
        };
    traffic.run();
    assertEquals(0, Allocations.allocatedBytes(traffic));
    assertEquals(0, b.skipped(), "swapped pairs are reordered, never lost");
    assertTrue(released[0] >= 2 * 200 - 1, "released " + released[0]);
  }

  private static boolean passThrough(RtpReorderBuffer b, int seq) {
    byte[] p = packet(seq);
    return b.passThrough(p, 0, p.length);
  }

  @Test
  void inOrderPacketsPassThroughWithoutACopyAndAGapSendsThemThroughTheBuffer() {
    RtpReorderBuffer b = new RtpReorderBuffer(16);
    assertTrue(passThrough(b, 65534)); // the first one starts the stream
    assertTrue(passThrough(b, 65535));
    assertTrue(passThrough(b, 0)); // across the wrap
    assertFalse(passThrough(b, 2)); // a gap: not due, so the caller pushes it
    assertEquals(RtpReorderBuffer.HELD, push(b, 2, 0));
    assertFalse(passThrough(b, 1), "due, but 2 is held: it must go through the buffer");
    assertEquals(RtpReorderBuffer.HELD, push(b, 1, 0));
    assertEquals(List.of(1, 2), drain(b, 0));
    assertTrue(passThrough(b, 3), "nothing held any more");
    assertEquals(RtpReorderBuffer.LATE, push(b, 0, 0));
    assertEquals(RtpReorderBuffer.LATE, push(b, 3, 0), "passed through: its turn is over");
    assertEquals(0, b.skipped());
  }
}
