package io.github.jpeer.rtp;

import static io.github.jpeer.rtp.Allocations.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class H264Test {

  private static final byte[] SPS = hex("6742c01fda0140165b011000000300100000030320f1832a");
  private static final byte[] PPS = hex("68ce3c80");

  private static byte[] nal(int header, int length, long seed) {
    byte[] nal = new byte[length];
    new SplittableRandom(seed).nextBytes(nal);
    nal[0] = (byte) header;
    // A NAL unit never ends in a zero byte (rbsp_trailing_bits).
    nal[length - 1] = (byte) 0x80;
    // Keep the body free of accidental start codes (emulation prevention guarantees it).
    for (int i = 1; i < length; i++) {
      if (nal[i] == 0) {
        nal[i] = 7;
      }
    }
    return nal;
  }

  private static byte[] annexB(byte[]... nals) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] nal : nals) {
      out.writeBytes(new byte[] {0, 0, 0, 1});
      out.writeBytes(nal);
    }
    return out.toByteArray();
  }

  private static List<byte[]> packetize(H264Packetizer packetizer, byte[] au, long ticks) {
    packetizer.beginAccessUnit(au, 0, au.length, ticks);
    List<byte[]> packets = new ArrayList<>();
    byte[] buf = new byte[packetizer.mtu()];
    while (packetizer.hasNextPacket()) {
      int length = packetizer.nextPacket(buf, 0);
      packets.add(Arrays.copyOf(buf, length));
    }
    return packets;
  }

  private static final class Receiver {
    final H264Depacketizer depacketizer = new H264Depacketizer();
    final RtpPacket view = new RtpPacket();
    final List<byte[]> accessUnits = new ArrayList<>();
    final List<H264Depacketizer.Result> results = new ArrayList<>();

    void push(byte[] packet) {
      view.wrap(packet, 0, packet.length);
      results.add(depacketizer.push(view));
      while (depacketizer.pollAccessUnit()) {
        accessUnits.add(Arrays.copyOf(depacketizer.accessUnit(), depacketizer.accessUnitLength()));
      }
    }
  }

  @Test
  void spsPpsAndLargeIdrMakeStapAThenFuA() {
    // RFC 6184 5.7.1 (STAP-A) and 5.8 (FU-A): SPS + PPS aggregated, a 5000-byte IDR fragmented.
    byte[] idr = nal(0x65, 5000, 1);
    byte[] au = annexB(SPS, PPS, idr);
    H264Packetizer packetizer = new H264Packetizer(102, 0x1234, 1200, new SplittableRandom(7));
    int firstSeq = packetizer.stream().nextSequenceNumber();
    List<byte[]> packets = packetize(packetizer, au, 3000);
    assertEquals(6, packets.size());

    RtpPacket view = new RtpPacket();
    long timestamp = packetizer.stream().timestampFor(3000);
    for (int i = 0; i < packets.size(); i++) {
      byte[] p = packets.get(i);
      assertTrue(p.length <= 1200);
      assertTrue(view.wrap(p, 0, p.length));
      assertEquals(102, view.payloadType());
      assertEquals((firstSeq + i) & 0xFFFF, view.sequenceNumber());
      assertEquals(timestamp, view.timestamp());
      assertEquals(i == packets.size() - 1, view.marker());
    }
    // STAP-A: header F|max NRI|24 = 0x78, then size/NAL pairs.
    byte[] stap = packets.get(0);
    assertEquals(0x78, stap[12] & 0xFF);
    assertEquals(SPS.length, ((stap[13] & 0xFF) << 8) | (stap[14] & 0xFF));
    assertArrayEquals(SPS, Arrays.copyOfRange(stap, 15, 15 + SPS.length));
    int ppsAt = 15 + SPS.length;
    assertEquals(PPS.length, ((stap[ppsAt] & 0xFF) << 8) | (stap[ppsAt + 1] & 0xFF));
    assertEquals(ppsAt + 2 + PPS.length, stap.length);
    // FU-A: 4999 body bytes over ceil(4999 / 1186) = 5 fragments of 1000 (the last 999).
    int[] expectedFuHeaders = {0x85, 0x05, 0x05, 0x05, 0x45};
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (int i = 0; i < 5; i++) {
      byte[] fu = packets.get(1 + i);
      assertEquals(0x7C, fu[12] & 0xFF, "FU indicator: NRI 3, type 28");
      assertEquals(expectedFuHeaders[i], fu[13] & 0xFF);
      assertEquals(i < 4 ? 1000 : 999, fu.length - 14);
      body.write(fu, 14, fu.length - 14);
    }
    assertArrayEquals(Arrays.copyOfRange(idr, 1, idr.length), body.toByteArray());

    Receiver receiver = new Receiver();
    packets.forEach(receiver::push);
    assertEquals(1, receiver.accessUnits.size());
    assertArrayEquals(au, receiver.accessUnits.get(0));
    assertFalse(receiver.depacketizer.keyframeNeeded());
    assertTrue(receiver.results.stream().allMatch(r -> r == H264Depacketizer.Result.ACCEPTED));
  }

  @Test
  void droppedFuFragmentLosesTheAccessUnitAndAsksForAKeyframe() {
    byte[] idr = nal(0x65, 5000, 2);
    byte[] au = annexB(SPS, PPS, idr);
    H264Packetizer packetizer = new H264Packetizer(102, 1, 1200, new SplittableRandom(8));
    List<byte[]> first = packetize(packetizer, au, 0);
    byte[] pFrame = annexB(nal(0x41, 800, 3));
    List<byte[]> second = packetize(packetizer, pFrame, 3000);
    List<byte[]> third = packetize(packetizer, au, 6000);

    Receiver receiver = new Receiver();
    for (int i = 0; i < first.size(); i++) {
      if (i != 3) {
        receiver.push(first.get(i));
      }
    }
    assertTrue(receiver.accessUnits.isEmpty());
    assertTrue(receiver.results.contains(H264Depacketizer.Result.LOSS_DETECTED));
    assertEquals(1, receiver.depacketizer.lostAccessUnits());
    assertTrue(receiver.depacketizer.keyframeNeeded());

    // A P frame after the loss is delivered but does not clear the keyframe request.
    second.forEach(receiver::push);
    assertEquals(1, receiver.accessUnits.size());
    assertArrayEquals(pFrame, receiver.accessUnits.get(0));
    assertTrue(receiver.depacketizer.keyframeNeeded());

    third.forEach(receiver::push);
    assertEquals(2, receiver.accessUnits.size());
    assertArrayEquals(au, receiver.accessUnits.get(1));
    assertFalse(receiver.depacketizer.keyframeNeeded());
  }

  @Test
  void missingFirstFragmentAndLostMarkerPacket() {
    byte[] au = annexB(nal(0x65, 3000, 4));
    H264Packetizer packetizer = new H264Packetizer(96, 1, 1200, new SplittableRandom(9));
    List<byte[]> a = packetize(packetizer, au, 0);
    List<byte[]> b = packetize(packetizer, au, 3000);
    List<byte[]> c = packetize(packetizer, au, 6000);
    Receiver receiver = new Receiver();
    a.forEach(receiver::push);
    // b loses its last packet (the marker); c loses nothing but follows the gap.
    for (int i = 0; i < b.size() - 1; i++) {
      receiver.push(b.get(i));
    }
    c.forEach(receiver::push);
    assertEquals(1, receiver.accessUnits.size());
    assertEquals(2, receiver.depacketizer.lostAccessUnits());
    // Without a gap, a FU-A that does not start with S is malformed.
    Receiver fresh = new Receiver();
    fresh.push(a.get(1));
    assertEquals(H264Depacketizer.Result.MALFORMED, fresh.results.get(0));
    assertTrue(fresh.accessUnits.isEmpty());
  }

  @Test
  void singleNalPacketsAndThreeByteStartCodes() {
    byte[] nal1 = nal(0x41, 1188, 5); // exactly fills 1200 with the RTP header
    byte[] nal2 = nal(0x41, 700, 6);
    byte[] threeByte = new byte[3 + nal1.length + 3 + nal2.length + 2];
    threeByte[2] = 1;
    System.arraycopy(nal1, 0, threeByte, 3, nal1.length);
    threeByte[3 + nal1.length + 2] = 1;
    System.arraycopy(nal2, 0, threeByte, 6 + nal1.length, nal2.length);
    // The final two bytes are trailing_zero_8bits.
    H264Packetizer packetizer = new H264Packetizer(96, 1, 1200, new SplittableRandom(10));
    List<byte[]> packets = packetize(packetizer, threeByte, 0);
    assertEquals(2, packets.size());
    assertEquals(1200, packets.get(0).length);
    assertEquals(0x41, packets.get(0)[12]);
    Receiver receiver = new Receiver();
    packets.forEach(receiver::push);
    assertArrayEquals(annexB(nal1, nal2), receiver.accessUnits.get(0));

    // The NAL-list form gives the same packets.
    H264Packetizer again = new H264Packetizer(96, 1, 1200, new SplittableRandom(10));
    again.beginAccessUnit(List.of(nal1, nal2), 0);
    byte[] buf = new byte[1200];
    for (byte[] expected : packets) {
      int length = again.nextPacket(buf, 0);
      assertArrayEquals(expected, Arrays.copyOf(buf, length));
    }
    assertFalse(again.hasNextPacket());
    assertThrows(IllegalStateException.class, () -> again.nextPacket(buf, 0));
  }

  @Test
  void handWrittenStapAAndTimestampChangeWithoutMarker() {
    // RFC 6184 5.7.1 figure 7: STAP-A carrying two NAL units.
    byte[] stap = hex("80600001 00000064 00000001" + "78" + "0003 674d01" + "0002 68ee");
    byte[] single = hex("80600002 000000c8 00000001 65aabb");
    Receiver receiver = new Receiver();
    receiver.push(stap);
    assertTrue(receiver.accessUnits.isEmpty());
    // A new timestamp ends the previous access unit even without its marker bit.
    receiver.push(single);
    assertEquals(1, receiver.accessUnits.size());
    assertArrayEquals(hex("00000001674d01 0000000168ee"), receiver.accessUnits.get(0));
    receiver.push(hex("80e00003 000000c8 00000001 65ccdd"));
    assertArrayEquals(hex("0000000165aabb 0000000165ccdd"), receiver.accessUnits.get(1));
    // A duplicate is ignored.
    receiver.push(hex("80e00003 000000c8 00000001 65ccdd"));
    assertEquals(H264Depacketizer.Result.DUPLICATE_OR_OLD, receiver.results.get(3));
    assertEquals(2, receiver.accessUnits.size());
  }

  @Test
  void malformedPayloads() {
    String[] bad = {
      "80e00001 00000001 00000001 78 0005 6700", // STAP-A size overruns
      "80e00001 00000001 00000001 78", // empty STAP-A
      "80e00001 00000001 00000001 7c", // FU-A without FU header
      "80e00001 00000001 00000001 7c c5 aa", // S and E both set
      "80e00001 00000001 00000001 79 0000", // STAP-B is not mode 1
      "80e00001 00000001 00000001 00 aa", // type 0
    };
    for (String hex : bad) {
      Receiver receiver = new Receiver();
      receiver.push(hex(hex));
      assertEquals(H264Depacketizer.Result.MALFORMED, receiver.results.get(0), hex);
      assertTrue(receiver.accessUnits.isEmpty());
      assertTrue(receiver.depacketizer.keyframeNeeded());
    }
    Receiver receiver = new Receiver();
    receiver.push(new byte[5]);
    assertEquals(H264Depacketizer.Result.MALFORMED, receiver.results.get(0));
  }

  @Test
  void packetizerRejectsInputThatIsNotAnnexB() {
    H264Packetizer packetizer = new H264Packetizer(96, 1, 1200, new SplittableRandom(1));
    byte[] raw = {0x65, 1, 2};
    assertThrows(IllegalArgumentException.class, () -> packetizer.beginAccessUnit(raw, 0, 3, 0));
    byte[] empty = {0, 0, 1};
    assertThrows(IllegalArgumentException.class, () -> packetizer.beginAccessUnit(empty, 0, 3, 0));
    assertThrows(
        IllegalArgumentException.class,
        () -> new H264Packetizer(96, 1, 50, new SplittableRandom(1)));
  }

  @Test
  void manyAccessUnitsRoundTripAcrossSequenceWrap() {
    H264Packetizer packetizer = new H264Packetizer(96, 1, 300, new SplittableRandom(11));
    Receiver receiver = new Receiver();
    List<byte[]> sent = new ArrayList<>();
    SplittableRandom random = new SplittableRandom(12);
    for (int frame = 0; frame < 400; frame++) {
      byte[] au =
          annexB(
              nal(0x67, 1 + random.nextInt(1, 40), frame),
              nal(0x68, 1 + random.nextInt(1, 10), frame + 1),
              nal(frame % 30 == 0 ? 0x65 : 0x41, random.nextInt(2, 2000), frame + 2));
      sent.add(au);
      packetize(packetizer, au, frame * 3000L).forEach(receiver::push);
    }
    assertEquals(sent.size(), receiver.accessUnits.size());
    for (int i = 0; i < sent.size(); i++) {
      assertArrayEquals(sent.get(i), receiver.accessUnits.get(i));
    }
    assertEquals(0, receiver.depacketizer.lostAccessUnits());
  }

  @Test
  void keyframeRightAfterALostFrameIsDelivered() {
    H264Packetizer packetizer = new H264Packetizer(96, 1, 1200, new SplittableRandom(13));
    byte[] key = annexB(SPS, PPS, nal(0x65, 2500, 14));
    byte[] delta = annexB(nal(0x41, 900, 15));
    List<byte[]> first = packetize(packetizer, key, 0);
    packetize(packetizer, delta, 3000); // lost entirely
    List<byte[]> second = packetize(packetizer, delta, 6000);
    List<byte[]> third = packetize(packetizer, key, 9000);
    Receiver receiver = new Receiver();
    first.forEach(receiver::push);
    second.forEach(receiver::push);
    // The delta frame after the gap may have lost its head: dropped, keyframe asked for.
    assertEquals(1, receiver.accessUnits.size());
    assertTrue(receiver.depacketizer.keyframeNeeded());
    assertEquals(H264Depacketizer.Result.LOSS_DETECTED, receiver.results.get(first.size()));
    // A keyframe that opens with SPS after another gap is whole, so it is delivered.
    receiver.push(third.get(0));
    receiver.push(third.get(0)); // duplicate
    for (int i = 1; i < third.size(); i++) {
      receiver.push(third.get(i));
    }
    assertEquals(2, receiver.accessUnits.size());
    assertArrayEquals(key, receiver.accessUnits.get(1));
    assertFalse(receiver.depacketizer.keyframeNeeded());
  }

  @Test
  void h264PathAllocatesNothingInSteadyState() {
    H264Packetizer packetizer = new H264Packetizer(96, 1, 1200, new SplittableRandom(16));
    H264Depacketizer depacketizer = new H264Depacketizer();
    RtpPacket view = new RtpPacket();
    byte[] au = annexB(SPS, PPS, nal(0x65, 5000, 17), nal(0x41, 300, 18));
    byte[] buf = new byte[1200];
    long[] ticks = new long[1];
    long[] delivered = new long[1];
    long allocated =
        Allocations.allocatedBytes(
            () -> {
              for (int i = 0; i < 200; i++) {
                packetizer.beginAccessUnit(au, 0, au.length, ticks[0] += 3000);
                while (packetizer.hasNextPacket()) {
                  int length = packetizer.nextPacket(buf, 0);
                  view.wrap(buf, 0, length);
                  depacketizer.push(view);
                  while (depacketizer.pollAccessUnit()) {
                    delivered[0] += depacketizer.accessUnitLength();
                  }
                }
              }
            });
    assertEquals(0, allocated);
    assertEquals(0, depacketizer.lostAccessUnits());
    assertTrue(delivered[0] > 0);
  }
}
