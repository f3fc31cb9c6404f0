package io.github.jpeer.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReceiverStatisticsTest {

  private static final long TICK_NANOS_8K = 125_000; // one 8 kHz tick

  @Test
  void jitterMatchesHandComputedExample() {
    // RFC 3550 A.8 with transit times 1000, 1010, 990, 1020 ticks:
    // |D| = 10, 20, 30; J = 10/16 = 0.625; 0.625 + (20 - 0.625)/16 = 1.8359375;
    // 1.8359375 + (30 - 1.8359375)/16 = 3.59619140625.
    ReceiverStatistics stats = new ReceiverStatistics(7, 8000, 1);
    long[] rtp = {0, 160, 320, 480};
    long[] arrivalTicks = {1000, 1170, 1310, 1500};
    for (int i = 0; i < 4; i++) {
      assertTrue(stats.onPacket(i, rtp[i], arrivalTicks[i] * TICK_NANOS_8K));
    }
    assertEquals(3.59619140625, stats.jitter(), 1e-12);
    assertEquals(3, stats.reportBlock(0).jitter());
  }

  @Test
  void jitterIgnoresTimestampWrapAndLargeClockValues() {
    ReceiverStatistics stats = new ReceiverStatistics(7, 90000, 1);
    long base = 0xFFFF_FF00L;
    long nanos = 4_000_000_000_000_000_000L;
    for (int i = 0; i < 100; i++) {
      // Exactly 33.333 ms of 90 kHz per frame: 3000 ticks.
      stats.onPacket(
          i, (base + 3000L * i) & 0xFFFF_FFFFL, nanos + i * 33_333_333L + (i % 2) * 1000);
    }
    assertTrue(stats.jitter() < 1.0, "jitter " + stats.jitter());
  }

  @Test
  void lossAndFractionLostPerInterval() {
    ReceiverStatistics stats = new ReceiverStatistics(9, 8000, 1);
    for (int seq = 100; seq < 110; seq++) {
      if (seq != 103 && seq != 105) {
        stats.onPacket(seq, seq * 160L, seq * 20_000_000L);
      }
    }
    ReportBlock first = stats.reportBlock(0);
    // RFC 3550 A.3: expected 10, received 8, lost 2, fraction (2 << 8) / 10 = 51.
    assertEquals(2, first.cumulativeLost());
    assertEquals(51, first.fractionLost());
    assertEquals(109, first.extendedHighestSequence());
    assertEquals(9, first.ssrc());
    for (int seq = 110; seq < 120; seq++) {
      stats.onPacket(seq, seq * 160L, seq * 20_000_000L);
    }
    ReportBlock second = stats.reportBlock(0);
    assertEquals(0, second.fractionLost());
    assertEquals(2, second.cumulativeLost());
    // Duplicates make the loss negative, and the interval's fraction is then 0.
    stats.onPacket(119, 119 * 160L, 0);
    stats.onPacket(119, 119 * 160L, 0);
    stats.onPacket(119, 119 * 160L, 0);
    ReportBlock third = stats.reportBlock(0);
    assertEquals(-1, third.cumulativeLost());
    assertEquals(0, third.fractionLost());
  }

  @Test
  void extendedSequenceAcrossWrapWithReordering() {
    ReceiverStatistics stats = new ReceiverStatistics(1, 8000, 1);
    int[] order = {65533, 65535, 65534, 0, 2, 1, 3};
    for (int seq : order) {
      assertTrue(stats.onPacket(seq, 0, 0));
    }
    assertEquals(65536 + 3, stats.extendedHighestSequence());
    assertEquals(7, stats.packetsExpected());
    assertEquals(0, stats.cumulativeLost());
  }

  @Test
  void probationAndRestartDetection() {
    // RFC 3550 A.1: two packets in sequence validate a new source.
    ReceiverStatistics stats = new ReceiverStatistics(1, 8000);
    assertFalse(stats.onPacket(1000, 0, 0));
    assertFalse(stats.isValid());
    assertTrue(stats.onPacket(1001, 0, 0));
    assertTrue(stats.isValid());
    assertEquals(1, stats.packetsReceived());
    assertTrue(stats.onPacket(1002, 0, 0));
    // A jump of more than MAX_DROPOUT is not believed until the next packet follows it.
    assertFalse(stats.onPacket(20000, 0, 0));
    assertTrue(stats.onPacket(20001, 0, 0));
    assertEquals(20001, stats.extendedHighestSequence());
    assertEquals(1, stats.packetsReceived());
    // A reordered packet within MAX_MISORDER is counted.
    assertTrue(stats.onPacket(19990, 0, 0));
    // Out-of-sequence packets during probation restart it.
    ReceiverStatistics other = new ReceiverStatistics(2, 8000);
    assertFalse(other.onPacket(5, 0, 0));
    assertFalse(other.onPacket(9, 0, 0));
    assertTrue(other.onPacket(10, 0, 0));
  }

  @Test
  void lastSenderReportAndDelay() {
    ReceiverStatistics stats = new ReceiverStatistics(3, 48000, 1);
    stats.onPacket(1, 0, 0);
    assertEquals(0, stats.reportBlock(5_000_000_000L).lastSenderReport());
    stats.onSenderReport(0x0102030405060708L, 10_000_000_000L);
    ReportBlock block = stats.reportBlock(11_500_000_000L);
    assertEquals(0x03040506L, block.lastSenderReport());
    // 1.5 s in 1/65536 s units.
    assertEquals(98304, block.delaySinceLastSenderReport());
  }

  @Test
  void ntpConversions() {
    assertEquals(NtpTime.EPOCH_OFFSET_SECONDS << 32, NtpTime.fromEpochNanos(0));
    long ntp = NtpTime.fromEpochNanos(1_700_000_000_500_000_000L);
    assertEquals(1_700_000_000L + NtpTime.EPOCH_OFFSET_SECONDS, ntp >>> 32);
    assertEquals(0x80000000L, ntp & 0xFFFF_FFFFL);
    assertEquals(1_700_000_000_500_000_000L, NtpTime.toEpochNanos(ntp));
    assertEquals(0xFFFF_FFFFL, NtpTime.toCompactDuration(100_000L * 1_000_000_000L));
    assertEquals(0, NtpTime.toCompactDuration(-5));
  }

  @Test
  void unwrapperHandlesWrapAndReordering() {
    // Sequence numbers around 65535 -> 0, with reordering on both sides of the wrap.
    SequenceUnwrapper unwrapper = new SequenceUnwrapper();
    int[] input = {65530, 65532, 65531, 65535, 1, 65534, 0, 2, 65533, 3};
    long[] expected = {65530, 65532, 65531, 65535, 65537, 65534, 65536, 65538, 65533, 65539};
    List<Long> got = new ArrayList<>();
    for (int seq : input) {
      got.add(unwrapper.unwrap(seq));
    }
    List<Long> want = new ArrayList<>();
    for (long e : expected) {
      want.add(e);
    }
    assertEquals(want, got);
    assertEquals(65539, unwrapper.highest());
    // Many cycles: stepping by 30000 keeps increasing.
    SequenceUnwrapper steps = new SequenceUnwrapper();
    long previous = -1;
    for (int i = 0; i < 100; i++) {
      long value = steps.unwrap((i * 30000) & 0xFFFF);
      assertEquals(i * 30000L, value);
      assertTrue(value > previous);
      previous = value;
    }
    assertEquals(-1, new SequenceUnwrapper().highest());
    SequenceUnwrapper fromZero = new SequenceUnwrapper();
    fromZero.unwrap(0);
    // A packet from before the first one maps below it.
    assertEquals(-1, fromZero.peek(65535));
    assertEquals(0, fromZero.highest());
  }
}
