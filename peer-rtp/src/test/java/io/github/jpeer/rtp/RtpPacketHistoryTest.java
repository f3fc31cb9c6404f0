package io.github.jpeer.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RtpPacketHistoryTest {
  private static final long MS = 1_000_000L;

  /** An RTP packet with sequence number {@code seq} and {@code payload} bytes all equal to seq. */
  private static byte[] packet(int seq, int payload) {
    byte[] p = new byte[12 + payload];
    RtpHeaderWriter.writeFixed(p, 0, false, 96, seq, seq * 3000L, 0x1234);
    Arrays.fill(p, 12, p.length, (byte) seq);
    return p;
  }

  @Test
  void returnsTheStoredBytesForASequenceNumber() {
    RtpPacketHistory h = new RtpPacketHistory(64, 1000 * MS);
    byte[] a = packet(10, 100);
    byte[] b = packet(11, 1100);
    h.store(a, 0, a.length, 0);
    h.store(b, 0, b.length, 0);
    byte[] dst = new byte[1500];
    assertEquals(a.length, h.copy(10, MS, 0, dst, 3));
    assertArrayEquals(a, Arrays.copyOfRange(dst, 3, 3 + a.length));
    assertEquals(b.length, h.copy(11, MS, 0, dst, 0));
    assertArrayEquals(b, Arrays.copyOfRange(dst, 0, b.length));
    assertEquals(RtpPacketHistory.NOT_FOUND, h.copy(12, MS, 0, dst, 0));
  }

  @Test
  void storesFromAnOffsetInTheCallersArray() {
    RtpPacketHistory h = new RtpPacketHistory(16, 1000 * MS);
    byte[] p = packet(7, 20);
    byte[] framed = new byte[p.length + 9];
    System.arraycopy(p, 0, framed, 5, p.length);
    h.store(framed, 5, p.length, 0);
    Arrays.fill(framed, (byte) 0); // the history must hold its own copy
    byte[] dst = new byte[64];
    assertEquals(p.length, h.copy(7, 0, 0, dst, 0));
    assertArrayEquals(p, Arrays.copyOf(dst, p.length));
  }

  @Test
  void aSlotReusedByALaterSequenceNumberIsNotSentForTheOldOne() {
    RtpPacketHistory h = new RtpPacketHistory(16, 1000 * MS);
    for (int seq = 0; seq < 20; seq++) {
      byte[] p = packet(seq, 10);
      h.store(p, 0, p.length, 0);
    }
    byte[] dst = new byte[64];
    assertEquals(RtpPacketHistory.NOT_FOUND, h.copy(3, 0, 0, dst, 0)); // overwritten by 19
    assertEquals(22, h.copy(19, 0, 0, dst, 0));
    assertEquals(19, dst[12]);
    assertEquals(22, h.copy(4, 0, 0, dst, 0)); // the oldest one still kept
  }

  @Test
  void followsTheSequenceNumberAcrossItsWrap() {
    RtpPacketHistory h = new RtpPacketHistory(32, 1000 * MS);
    for (int i = 0; i < 20; i++) {
      int seq = (65530 + i) & 0xffff;
      byte[] p = packet(seq, 8);
      h.store(p, 0, p.length, 0);
    }
    byte[] dst = new byte[64];
    for (int i = 0; i < 20; i++) {
      int seq = (65530 + i) & 0xffff;
      assertEquals(20, h.copy(seq, 0, 0, dst, 0), "seq " + seq);
      assertEquals(seq, ((dst[2] & 0xff) << 8) | (dst[3] & 0xff));
    }
    // The NACK's 16-bit number is what is looked up; a value outside 0..65535 never matches.
    assertEquals(RtpPacketHistory.NOT_FOUND, h.copy(65536 + 2, 0, 0, dst, 0));
  }

  @Test
  void refusesPacketsOlderThanTheMaximumAge() {
    RtpPacketHistory h = new RtpPacketHistory(16, 500 * MS);
    byte[] p = packet(1, 10);
    h.store(p, 0, p.length, 1000 * MS);
    byte[] dst = new byte[64];
    assertEquals(RtpPacketHistory.TOO_OLD, h.copy(1, 1501 * MS, 0, dst, 0));
    assertEquals(p.length, h.copy(1, 1500 * MS, 0, dst, 0));
  }

  @Test
  void resendsTheSamePacketAgainOnlyAfterTheMinimumInterval() {
    RtpPacketHistory h = new RtpPacketHistory(16, 1000 * MS);
    byte[] p = packet(5, 10);
    h.store(p, 0, p.length, 0);
    byte[] dst = new byte[64];
    assertEquals(p.length, h.copy(5, 10 * MS, 50 * MS, dst, 0));
    assertEquals(RtpPacketHistory.TOO_SOON, h.copy(5, 59 * MS, 50 * MS, dst, 0));
    assertEquals(p.length, h.copy(5, 60 * MS, 50 * MS, dst, 0));
    assertEquals(RtpPacketHistory.TOO_SOON, h.copy(5, 61 * MS, 50 * MS, dst, 0));
    // Storing the slot anew (a later packet with the same slot, then this one again) resets it.
    h.store(p, 0, p.length, 62 * MS);
    assertEquals(p.length, h.copy(5, 63 * MS, 50 * MS, dst, 0));
  }

  @Test
  void growsASlotForALargerPacket() {
    RtpPacketHistory h = new RtpPacketHistory(16, 1000 * MS);
    byte[] small = packet(2, 10);
    byte[] large = packet(18, 1400); // same slot as 2, larger than the 1200-byte default
    h.store(small, 0, small.length, 0);
    h.store(large, 0, large.length, 0);
    byte[] dst = new byte[2000];
    assertEquals(large.length, h.copy(18, 0, 0, dst, 0));
    assertArrayEquals(large, Arrays.copyOf(dst, large.length));
  }

  @Test
  void rejectsBadConstructionAndInput() {
    assertThrows(IllegalArgumentException.class, () -> new RtpPacketHistory(100, 1));
    assertThrows(IllegalArgumentException.class, () -> new RtpPacketHistory(8, 1));
    assertThrows(IllegalArgumentException.class, () -> new RtpPacketHistory(65536, 1));
    assertThrows(IllegalArgumentException.class, () -> new RtpPacketHistory(64, 0));
    RtpPacketHistory h = new RtpPacketHistory(64, 1);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> h.store(new byte[11], 0, 11, 0));
    assertTrue(e.getMessage().contains("11 bytes"), e.getMessage());
  }

  @Test
  void storingAndResendingAllocateNothingOnceEverySlotIsInUse() {
    RtpPacketHistory h = new RtpPacketHistory(256, 1000 * MS);
    byte[] p = packet(0, 1100);
    byte[] dst = new byte[1500];
    int[] seq = {0};
    long[] now = {0};
    Runnable sendAndResend =
        () -> {
          for (int i = 0; i < 300; i++) {
            int s = seq[0]++ & 0xffff;
            p[2] = (byte) (s >>> 8);
            p[3] = (byte) s;
            now[0] += MS;
            h.store(p, 0, p.length, now[0]);
            h.copy((s - 40) & 0xffff, now[0], 0, dst, 0);
          }
        };
    sendAndResend.run(); // fills every slot once
    assertEquals(0, Allocations.allocatedBytes(sendAndResend));
  }
}
