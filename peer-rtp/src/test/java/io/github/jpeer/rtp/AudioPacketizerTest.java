package io.github.jpeer.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AudioPacketizerTest {

  @Test
  void opusTimestampsAreIn48kHzUnits() {
    // RFC 7587 4.1: 20 ms is 960 ticks whatever the encoder's internal rate.
    OpusPacketizer opus = new OpusPacketizer(111, 0xABCD, new SplittableRandom(1));
    long firstTimestamp = opus.stream().nextTimestamp();
    int firstSeq = opus.stream().nextSequenceNumber();
    byte[] frame = {(byte) 0xFC, 1, 2, 3};
    byte[] dst = new byte[100];
    RtpPacket view = new RtpPacket();
    int[] durations = {960, 960, 480, 2880, 120};
    long expectedTimestamp = firstTimestamp;
    for (int i = 0; i < durations.length; i++) {
      int length = opus.packetize(frame, 0, frame.length, durations[i], i == 0, dst, 0);
      assertEquals(12 + frame.length, length);
      assertTrue(view.wrap(dst, 0, length));
      assertEquals(111, view.payloadType());
      assertEquals(0xABCD, view.ssrc());
      assertEquals((firstSeq + i) & 0xFFFF, view.sequenceNumber());
      assertEquals(expectedTimestamp, view.timestamp());
      assertEquals(i == 0, view.marker());
      assertArrayEquals(frame, Arrays.copyOfRange(dst, 12, length));
      expectedTimestamp = (expectedTimestamp + durations[i]) & 0xFFFF_FFFFL;
    }
    // DTX: 200 ms of silence skipped, the next packet's timestamp jumps by 9600.
    opus.stream().skip(9600);
    opus.packetize(frame, 0, frame.length, 960, true, dst, 0);
    view.wrap(dst, 0, 16);
    assertEquals((expectedTimestamp + 9600) & 0xFFFF_FFFFL, view.timestamp());
    assertThrows(IllegalArgumentException.class, () -> opus.packetize(frame, 0, 4, 100, dst, 0));
  }

  @Test
  void g711TimestampAdvancesBySamples() {
    G711Packetizer pcma = new G711Packetizer(G711Packetizer.PCMA, 5, new SplittableRandom(2));
    long start = pcma.stream().nextTimestamp();
    byte[] samples = new byte[160];
    Arrays.fill(samples, (byte) 0xD5);
    byte[] dst = new byte[200];
    RtpPacket view = new RtpPacket();
    for (int i = 0; i < 3; i++) {
      int length = pcma.packetize(samples, 0, 160, dst, 0);
      assertTrue(view.wrap(dst, 0, length));
      assertEquals(8, view.payloadType());
      assertEquals((start + 160L * i) & 0xFFFF_FFFFL, view.timestamp());
      assertFalse(view.marker());
    }
    pcma.packetize(samples, 0, 80, dst, 0);
    assertEquals((start + 560) & 0xFFFF_FFFFL, pcma.stream().nextTimestamp());
  }

  @Test
  void sequenceAndTimestampWrapAround() {
    RtpPacketizer stream = new RtpPacketizer(0, 1, 8000, new SplittableRandom(3));
    byte[] dst = new byte[20];
    RtpPacket view = new RtpPacket();
    int seq = stream.nextSequenceNumber();
    for (int i = 0; i < 70_000; i++) {
      stream.packetize(dst, 0, 0, 100_000, false, dst, 0);
      view.wrap(dst, 0, 12);
      assertEquals((seq + i) & 0xFFFF, view.sequenceNumber());
    }
    assertTrue(stream.nextTimestamp() >= 0 && stream.nextTimestamp() <= 0xFFFF_FFFFL);
  }

  @Test
  void sameSeedGivesSameInitialState() {
    RtpPacketizer a = new RtpPacketizer(96, 1, 90000, new SplittableRandom(42));
    RtpPacketizer b = new RtpPacketizer(96, 1, 90000, new SplittableRandom(42));
    assertEquals(a.nextSequenceNumber(), b.nextSequenceNumber());
    assertEquals(a.nextTimestamp(), b.nextTimestamp());
  }

  @Test
  void opusAndG711PacketizersAllocateNothing() {
    OpusPacketizer opus = new OpusPacketizer(111, 1, new SplittableRandom(4));
    G711Packetizer pcmu = new G711Packetizer(G711Packetizer.PCMU, 2, new SplittableRandom(5));
    byte[] frame = new byte[120];
    byte[] samples = new byte[160];
    byte[] dst = new byte[300];
    long allocated =
        Allocations.allocatedBytes(
            () -> {
              for (int i = 0; i < 10_000; i++) {
                opus.packetize(frame, 0, frame.length, 960, dst, 0);
                pcmu.packetize(samples, 0, samples.length, dst, 0);
              }
            });
    assertEquals(0, allocated);
  }
}
