package io.github.jpeer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PeerConfigurationTest {
  @Test
  void defaultsAreLibpeers() {
    PeerConfiguration c = PeerConfiguration.builder().build();
    assertEquals(MediaCodec.OPUS, c.audioCodec());
    assertEquals(MediaCodec.NONE, c.videoCodec());
    assertEquals(DataChannelType.NONE, c.dataChannel());
    assertEquals(List.of(), c.iceServers());
    assertSame(NanoClock.SYSTEM, c.clock());
  }

  @Test
  void keepsEverythingItIsGiven() {
    NanoClock clock = () -> 42;
    MediaFrameListener audio = (frame, ts) -> {};
    PeerConfiguration c =
        PeerConfiguration.builder()
            .iceServer("stun:127.0.0.1:3478")
            .iceServer("turn:127.0.0.1:3479", "u", "p")
            .audioCodec(MediaCodec.PCMA)
            .videoCodec(MediaCodec.H264)
            .dataChannel(DataChannelType.BINARY)
            .onAudioTrack(audio)
            .portRange(40000, 40010)
            .includeLoopback(true)
            .clock(clock)
            .build();
    assertEquals(2, c.iceServers().size());
    assertTrue(c.iceServers().get(1).isTurn());
    assertEquals(MediaCodec.PCMA, c.audioCodec());
    assertEquals(MediaCodec.H264, c.videoCodec());
    assertSame(audio, c.onAudioTrack());
    assertEquals(40000, c.minPort());
    assertEquals(40010, c.maxPort());
    assertSame(clock, c.clock());
  }

  @Test
  void misuseSaysWhatToDo() {
    PeerConfiguration.Builder b = PeerConfiguration.builder();
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> b.audioCodec(MediaCodec.H264))
            .getMessage()
            .contains("use OPUS, PCMA, PCMU or NONE"));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> b.videoCodec(MediaCodec.OPUS))
            .getMessage()
            .contains("use H264 or NONE"));
    assertThrows(IllegalArgumentException.class, () -> b.portRange(5000, 4000));
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> PeerConfiguration.builder().audioCodec(MediaCodec.NONE).build());
    assertTrue(e.getMessage().contains("set audioCodec, videoCodec or dataChannel"));
  }

  @Test
  void aConnectionIsNamedForItsLogs() {
    assertEquals("call-42", PeerConfiguration.builder().name("call-42").build().name());
    assertEquals(null, PeerConfiguration.builder().build().name());
    IllegalArgumentException blank =
        assertThrows(IllegalArgumentException.class, () -> PeerConfiguration.builder().name(" "));
    assertTrue(blank.getMessage().contains("blank"), blank.getMessage());
    IllegalArgumentException tooLong =
        assertThrows(
            IllegalArgumentException.class,
            () -> PeerConfiguration.builder().name("x".repeat(101)));
    assertTrue(tooLong.getMessage().contains("101 characters"), tooLong.getMessage());
  }

  @Test
  void unnamedConnectionsAreNumberedInCreationOrder() {
    PeerConfiguration c =
        PeerConfiguration.builder()
            .bindAddress(java.net.InetAddress.getLoopbackAddress())
            .includeLoopback(true)
            .build();
    try (PeerConnection a = PeerConnection.create(c);
        PeerConnection b = PeerConnection.create(c)) {
      assertTrue(a.name().matches("pc-\\d+"), a.name());
      assertEquals(
          Long.parseLong(a.name().substring(3)) + 1, Long.parseLong(b.name().substring(3)));
      assertTrue(a.toString().contains(a.name()), a.toString());
    }
  }

  @Test
  void theRelayPolicyNeedsATurnServerAndSaysSo() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () ->
                PeerConfiguration.builder()
                    .iceServer("stun:127.0.0.1:3478")
                    .iceTransportPolicy(IceTransportPolicy.RELAY)
                    .build());
    assertTrue(e.getMessage().contains("no TURN server"), e.getMessage());
    assertEquals(IceTransportPolicy.ALL, PeerConfiguration.builder().build().iceTransportPolicy());
    assertEquals(
        IceTransportPolicy.RELAY,
        PeerConfiguration.builder()
            .iceServer("turn:127.0.0.1:3478", "u", "p")
            .iceTransportPolicy(IceTransportPolicy.RELAY)
            .build()
            .iceTransportPolicy());
  }
}
