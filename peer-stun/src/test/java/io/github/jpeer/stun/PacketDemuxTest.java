package io.github.jpeer.stun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jpeer.testkit.AllocationMeter;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class PacketDemuxTest {

  // RFC 7983 section 7: the first-byte ranges.
  @Test
  void everyFirstByteIsClassifiedByItsRange() {
    for (int b = 0; b < 256; b++) {
      PacketKind expected;
      if (b <= 3) {
        expected = PacketKind.STUN;
      } else if (b >= 16 && b <= 19) {
        expected = PacketKind.ZRTP;
      } else if (b >= 20 && b <= 63) {
        expected = PacketKind.DTLS;
      } else if (b >= 64 && b <= 79) {
        expected = PacketKind.TURN_CHANNEL;
      } else if (b >= 128 && b <= 191) {
        expected = PacketKind.RTP_RTCP;
      } else {
        expected = PacketKind.UNKNOWN;
      }
      byte[] packet = {9, (byte) b, 0};
      assertEquals(expected, PacketDemux.classify(packet, 1, 2), "first byte " + b);
      assertEquals(
          expected, PacketDemux.classify(ByteBuffer.wrap(packet, 1, 2)), "first byte " + b);
      assertEquals(expected, PacketDemux.classify(b));
    }
    assertEquals(PacketKind.UNKNOWN, PacketDemux.classify(new byte[3], 1, 0));
    assertEquals(PacketKind.UNKNOWN, PacketDemux.classify(ByteBuffer.allocate(0)));
    assertEquals(PacketKind.UNKNOWN, PacketDemux.classify(-1));
    assertEquals(PacketKind.UNKNOWN, PacketDemux.classify(256));
  }

  @Test
  void realPacketsAreClassified() {
    assertEquals(PacketKind.STUN, kind(Rfc5769Vectors.SAMPLE_REQUEST));
    assertEquals(PacketKind.STUN, kind(Rfc5769Vectors.SAMPLE_IPV4_RESPONSE));
    assertEquals(PacketKind.DTLS, kind(new byte[] {22, (byte) 0xFE, (byte) 0xFD})); // handshake
    assertEquals(PacketKind.DTLS, kind(new byte[] {23, (byte) 0xFE, (byte) 0xFD})); // app data
    assertEquals(PacketKind.RTP_RTCP, kind(new byte[] {(byte) 0x80, 111})); // RTP, Opus
    assertEquals(PacketKind.RTP_RTCP, kind(new byte[] {(byte) 0x81, (byte) 200})); // RTCP SR
    assertEquals(PacketKind.TURN_CHANNEL, kind(new byte[] {0x40, 0x00, 0, 0}));
  }

  private static PacketKind kind(byte[] b) {
    return PacketDemux.classify(b, 0, b.length);
  }

  @Test
  void isStunChecksTheHeader() {
    byte[] v = Rfc5769Vectors.SAMPLE_REQUEST;
    assertTrue(StunMessage.isStun(v, 0, v.length));
    assertFalse(StunMessage.isStun(v, 0, v.length - 4));
    assertFalse(StunMessage.isStun(new byte[] {0x40, 0, 0, 4, 1, 2, 3, 4}, 0, 8));
  }

  @Test
  void perPacketChecksAllocateNothing() {
    byte[][] packets = {
      Rfc5769Vectors.SAMPLE_REQUEST,
      {0x40, 0x01, 0x00, 0x04, 1, 2, 3, 4},
      {(byte) 0x80, 111, 0, 1},
      {22, (byte) 0xFE, (byte) 0xFD},
      {0x50, 0, 0, 0},
    };
    ChannelData view = new ChannelData();
    AllocationMeter.assertAllocatesNothing(
        "classify / isStun / ChannelData wrap+encode", 100_000, n -> loop(packets, view, n));
  }

  private static long loop(byte[][] packets, ChannelData view, int iterations) {
    long sink = 0;
    for (int i = 0; i < iterations; i++) {
      sink += run(packets[i % packets.length], view);
    }
    return sink;
  }

  private static int run(byte[] p, ChannelData view) {
    int r = PacketDemux.classify(p, 0, p.length).ordinal();
    r += StunMessage.isStun(p, 0, p.length) ? 1 : 0;
    if (view.wrap(p, 0, p.length)) {
      r += view.channelNumber() + view.dataLength() + view.dataOffset();
    }
    r += ChannelData.encode(0x4002, p, 0, Math.min(p.length, 4), SCRATCH, 0, true);
    return r;
  }

  private static final byte[] SCRATCH = new byte[64];
}
