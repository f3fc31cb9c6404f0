package io.github.jpeer.stun;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jpeer.stun.StreamFramer.Framing;
import io.github.jpeer.testkit.AllocationMeter;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * RFC 4571 and TURN-over-TCP framing (RFC 8656 section 12.5): what is framed comes out whole and in
 * order however the stream cuts it, down to one byte per read; a stream that lost its framing says
 * so and yields nothing more.
 */
class StreamFramerTest {
  private static final SplittableRandom RANDOM = new SplittableRandom(4571);

  static byte[] stun(int attributeBytes) {
    StunMessage.Builder b =
        StunMessage.builder(StunClass.REQUEST, StunMethod.BINDING, TransactionId.random(RANDOM));
    if (attributeBytes > 0) {
      b.software("x".repeat(attributeBytes));
    }
    return b.encode();
  }

  static byte[] channelData(int channel, int length) {
    byte[] data = new byte[length];
    RANDOM.nextBytes(data);
    byte[] out = new byte[ChannelData.encodedLength(length, false)];
    ChannelData.encode(channel, data, 0, length, out, 0, false);
    return out;
  }

  static byte[] bytes(int first, int length) {
    byte[] p = new byte[length];
    RANDOM.nextBytes(p);
    if (length > 0) {
      p[0] = (byte) first;
    }
    return p;
  }

  /** The stream {@code packets} make when each is framed in turn. */
  static byte[] stream(StreamFramer framer, List<byte[]> packets) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : packets) {
      byte[] framed = new byte[framer.framedLength(p.length)];
      assertEquals(framed.length, framer.frame(p, 0, p.length, framed, 0));
      out.writeBytes(framed);
    }
    return out.toByteArray();
  }

  /** Feeds {@code stream} in pieces of 1 to {@code maxPiece} bytes and collects the packets. */
  static List<byte[]> cut(StreamFramer framer, byte[] stream, int maxPiece, SplittableRandom r) {
    List<byte[]> got = new ArrayList<>();
    for (int pos = 0; pos < stream.length; ) {
      int n = Math.min(stream.length - pos, 1 + r.nextInt(maxPiece));
      framer.receive(stream, pos, n);
      pos += n;
      while (framer.next()) {
        got.add(
            Arrays.copyOfRange(
                framer.frameArray(),
                framer.frameOffset(),
                framer.frameOffset() + framer.frameLength()));
      }
    }
    return got;
  }

  static void assertSame(List<byte[]> expected, List<byte[]> got) {
    assertEquals(expected.size(), got.size(), "packets out");
    for (int i = 0; i < expected.size(); i++) {
      assertArrayEquals(expected.get(i), got.get(i), "packet " + i);
    }
  }

  @Test
  void rfc4571PacketsComeOutWholeFedOneByteAtATime() {
    // STUN, DTLS, RTP, RTCP and an empty frame, as ICE-TCP carries them
    List<byte[]> packets =
        List.of(stun(12), bytes(22, 120), bytes(0x80, 172), bytes(0x81, 52), new byte[0]);
    StreamFramer framer = new StreamFramer(Framing.RFC_4571);
    byte[] stream = stream(framer, packets);
    int stunLength = packets.get(0).length;
    assertEquals(2 * packets.size() + stunLength + 120 + 172 + 52, stream.length);
    assertEquals(0, stream[0]);
    assertEquals(stunLength, stream[1], "the 16-bit length of the STUN message first");
    assertSame(packets, cut(framer, stream, 1, RANDOM));
    assertEquals(0, framer.pendingBytes());
    assertEquals(packets.size(), framer.packets());
  }

  @Test
  void aPartialPacketWaitsForTheRestAndNeverComesOutEarly() {
    StreamFramer framer = new StreamFramer(Framing.RFC_4571);
    byte[] packet = bytes(23, 1000);
    byte[] stream = stream(framer, List.of(packet));
    framer.receive(stream, 0, 1);
    assertFalse(framer.next(), "half a length");
    framer.receive(stream, 1, 600);
    assertFalse(framer.next(), "a length and part of the packet");
    assertFalse(framer.next(), "asking again changes nothing");
    assertEquals(601, framer.pendingBytes());
    framer.receive(stream, 601, stream.length - 601);
    assertTrue(framer.next());
    assertEquals(1000, framer.frameLength());
    assertFalse(framer.next());
  }

  @Test
  void randomPiecesOfManyPacketsOfEverySizeUpTo64KiB() {
    for (Framing framing : Framing.values()) {
      StreamFramer framer = new StreamFramer(framing);
      List<byte[]> packets = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        int length = i == 7 ? 0xFFFF - 4 : RANDOM.nextInt(1500);
        packets.add(
            framing == Framing.RFC_4571
                ? bytes(RANDOM.nextInt(256), i == 7 ? 0xFFFF : length)
                : i % 3 == 0 ? stun(RANDOM.nextInt(200)) : channelData(0x4000 + i, length));
      }
      byte[] stream = stream(framer, packets);
      assertSame(packets, cut(framer, stream, 3000, new SplittableRandom(framing.ordinal())));
      assertFalse(framer.isBroken());
    }
  }

  @Test
  void turnChannelDataIsPaddedToFourOnTheWayOutAndThePaddingSkippedOnTheWayIn() {
    StreamFramer framer = new StreamFramer(Framing.TURN);
    byte[] odd = channelData(0x4001, 5); // 9 bytes: three of padding follow
    byte[] framed = new byte[framer.framedLength(odd.length)];
    assertEquals(12, framer.frame(odd, 0, odd.length, framed, 0));
    assertArrayEquals(new byte[3], Arrays.copyOfRange(framed, 9, 12), "zero padding");
    byte[] message = stun(8);
    List<byte[]> packets = List.of(odd, message, channelData(0x4FFF, 0), odd);
    assertSame(packets, cut(framer, stream(framer, packets), 1, RANDOM));
  }

  @Test
  void aTurnStreamThatLostItsFramingIsBrokenForGood() {
    byte[] reserved = channelData(0x4000, 4);
    reserved[0] = 0x50; // channel 0x5000: reserved (RFC 8656 section 12)
    for (byte[] bad :
        new byte[][] {
          bytes(0x80, 40), // RTP, where only STUN and ChannelData may be
          reserved,
          {0x00, 0x01, 0x00, 0x05, 0, 0, 0, 0} // a STUN length that is not a multiple of four
        }) {
      StreamFramer framer = new StreamFramer(Framing.TURN);
      byte[] good = stun(0);
      framer.receive(good, 0, good.length);
      framer.receive(bad, 0, bad.length);
      assertTrue(framer.next(), "what came before is still good");
      assertFalse(framer.next());
      assertTrue(framer.isBroken(), Arrays.toString(bad));
      framer.receive(good, 0, good.length);
      assertFalse(framer.next(), "nothing after");
      assertEquals(bad.length + good.length, framer.discardedBytes());
    }
  }

  @Test
  void framingRefusesWhatCannotBeFramed() {
    StreamFramer rfc4571 = new StreamFramer(Framing.RFC_4571);
    byte[] big = new byte[0x10000];
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> rfc4571.frame(big, 0, big.length, new byte[big.length + 2], 0));
    assertTrue(e.getMessage().contains("65535"), e.getMessage());
    StreamFramer turn = new StreamFramer(Framing.TURN);
    byte[] rtp = bytes(0x80, 20);
    e =
        assertThrows(
            IllegalArgumentException.class, () -> turn.frame(rtp, 0, rtp.length, new byte[20], 0));
    assertTrue(e.getMessage().contains("STUN messages and ChannelData only"), e.getMessage());
    byte[] cut = Arrays.copyOf(stun(8), 24); // a STUN message missing its last bytes
    assertThrows(
        IllegalArgumentException.class, () -> turn.frame(cut, 0, cut.length, new byte[24], 0));
  }

  @Test
  void theSteadyStateAllocatesNothing() {
    StreamFramer framer = new StreamFramer(Framing.RFC_4571);
    byte[] packet = bytes(0x80, 172);
    byte[] framed = new byte[framer.framedLength(packet.length)];
    AllocationMeter.assertAllocatesNothing(
        "frame, receive in two pieces, next",
        10_000,
        n -> {
          long sum = 0;
          for (int i = 0; i < n; i++) {
            framer.frame(packet, 0, packet.length, framed, 0);
            framer.receive(framed, 0, 100);
            framer.receive(framed, 100, framed.length - 100);
            while (framer.next()) {
              sum += framer.frameLength();
            }
          }
          return sum;
        });
  }
}
