package io.github.jpeer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Server connections on one UDP port of their loop (ICE-lite), clients with sockets of their own on
 * another loop, over real loopback sockets.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SharedUdpPortTest {
  private static final InetSocketAddress ANY_LOOPBACK_PORT =
      new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

  /** A server side on {@code port}: ICE-lite, the port's address its only candidate. */
  private static TestPeer server(String name, SharedUdpPort port) {
    return new TestPeer(name, PeerConfiguration.builder().sharedPort(port).iceLite(true));
  }

  private static TestPeer client(String name) {
    return TestPeer.loopback(name, c -> c.iceTcp(false));
  }

  /**
   * The client offers (non-trickle: its complete description), the server answers; both connections
   * driven by their own loops.
   */
  private static void call(PeerLoop clientLoop, TestPeer c, PeerLoop serverLoop, TestPeer s)
      throws Exception {
    CompletableFuture<String> fullOffer = new CompletableFuture<>();
    c.pc.onIceCandidate(fullOffer::complete);
    clientLoop.submit(c.pc::createOffer).get(5, TimeUnit.SECONDS);
    String offer = fullOffer.get(10, TimeUnit.SECONDS);
    String answer =
        serverLoop
            .submit(
                () -> {
                  s.pc.setRemoteDescription(offer, SdpType.OFFER);
                  return s.pc.createAnswer();
                })
            .get(5, TimeUnit.SECONDS);
    clientLoop
        .submit(() -> c.pc.setRemoteDescription(answer, SdpType.ANSWER))
        .get(5, TimeUnit.SECONDS);
  }

  @Test
  void eightCallsShareOneServerPortAndCarryAudioBothWays() throws Exception {
    try (PeerLoop serverLoop = PeerLoop.start("server");
        PeerLoop clientLoop = PeerLoop.start("clients")) {
      SharedUdpPort port = serverLoop.openSharedPort(ANY_LOOPBACK_PORT);
      List<TestPeer[]> calls = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        TestPeer c = client("c" + i);
        TestPeer s = server("s" + i, port);
        clientLoop.add(c.pc).get(5, TimeUnit.SECONDS);
        serverLoop.add(s.pc).get(5, TimeUnit.SECONDS);
        call(clientLoop, c, serverLoop, s);
        calls.add(new TestPeer[] {c, s});
      }
      for (TestPeer[] call : calls) {
        call[0].completed.get(20, TimeUnit.SECONDS);
        call[1].completed.get(20, TimeUnit.SECONDS);
      }
      assertEquals(8, port.size());
      for (TestPeer[] call : calls) {
        String answer = serverLoop.submit(call[1].pc::localDescription).get(5, TimeUnit.SECONDS);
        assertTrue(answer.contains("\r\na=ice-lite\r\n"), answer);
        List<String> candidates =
            answer.lines().filter(l -> l.startsWith("a=candidate")).distinct().toList();
        assertEquals(1, candidates.size(), "one candidate, the port's: " + candidates);
        assertTrue(
            candidates.get(0).contains(" " + port.localAddress().getPort() + " typ host"),
            candidates.get(0));
        assertEquals(List.of(port.localAddress()), call[1].pc.localAddresses());
      }
      // Every frame of every call arrives, both ways, each at its own call.
      for (int f = 0; f < 10; f++) {
        for (int i = 0; i < calls.size(); i++) {
          assertTrue(calls.get(i)[0].pc.sendAudio(frame(f, i, 0)));
          assertTrue(calls.get(i)[1].pc.sendAudio(frame(f, i, 1)));
        }
        TestPeer.pace(20);
      }
      for (int i = 0; i < calls.size(); i++) {
        for (int f = 0; f < 10; f++) {
          assertEquals(
              ByteBuffer.wrap(frame(f, i, 0)),
              ByteBuffer.wrap(TestPeer.take(calls.get(i)[1].audio, "server " + i + " " + f)));
          assertEquals(
              ByteBuffer.wrap(frame(f, i, 1)),
              ByteBuffer.wrap(TestPeer.take(calls.get(i)[0].audio, "client " + i + " " + f)));
        }
      }
      assertEquals(0, port.unknownSources(), "every datagram found its connection");
      assertEquals(0, port.unknownUfrags());
      for (TestPeer[] call : calls) {
        PeerStats stats = call[1].stats(serverLoop);
        java.util.Map<String, Long> dropped = new java.util.HashMap<>(stats.dropped());
        // A flight the peer sent again while eight handshakes shared two cores: benign.
        dropped.remove("dtls-late-handshake");
        dropped.remove("dtls-before-remote-description");
        assertEquals(java.util.Map.of(), dropped, call[1] + " dropped nothing: " + stats);
      }
      // A server connection that closes leaves the port: checks for its ufrag find no one.
      TestPeer[] first = calls.get(0);
      String closedAnswer =
          serverLoop.submit(first[1].pc::localDescription).get(5, TimeUnit.SECONDS);
      String ufrag =
          closedAnswer.lines().filter(l -> l.startsWith("a=ice-ufrag:")).findFirst().orElseThrow();
      serverLoop.submit(first[1].pc::close).get(5, TimeUnit.SECONDS);
      TestPeer.await(() -> port.size() == 7, 5_000, "the closed connection to leave the port");
      try (DatagramSocket stranger = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
        byte[] check = bindingRequest(ufrag.substring("a=ice-ufrag:".length()) + ":remote");
        stranger.send(new DatagramPacket(check, check.length, port.localAddress()));
        TestPeer.await(() -> port.unknownUfrags() == 1, 5_000, "the check to find no one");
      }
      // The others go on.
      assertTrue(calls.get(1)[0].pc.sendAudio(frame(99, 1, 0)));
      assertEquals(
          ByteBuffer.wrap(frame(99, 1, 0)),
          ByteBuffer.wrap(TestPeer.take(calls.get(1)[1].audio, "after a close")));
      port.close();
      for (int i = 1; i < calls.size(); i++) {
        calls.get(i)[1].closed.get(5, TimeUnit.SECONDS);
      }
      // CLOSED is announced before the loop thread lets go of the sockets: wait for the last one.
      TestPeer.await(() -> port.size() == 0, 5_000, "every connection to leave the closed port");
      assertTrue(port.isClosed());
    }
  }

  private static byte[] frame(int f, int call, int direction) {
    return PeerConnectionMatrixTest.audioFrame(MediaCodec.OPUS, f, call * 2 + direction);
  }

  @Test
  void datagramsOfNoConnectionAreCountedAndDropped() throws Exception {
    try (PeerLoop loop = PeerLoop.start("server");
        DatagramSocket stranger = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      SharedUdpPort port = loop.openSharedPort(ANY_LOOPBACK_PORT);
      byte[] noise = "not for anyone".getBytes(StandardCharsets.US_ASCII);
      stranger.send(new DatagramPacket(noise, noise.length, port.localAddress()));
      byte[] check = bindingRequest("nobody:remote");
      stranger.send(new DatagramPacket(check, check.length, port.localAddress()));
      TestPeer.await(
          () -> port.unknownSources() == 1 && port.unknownUfrags() == 1,
          5_000,
          "both datagrams counted: " + port);
      assertEquals(2, port.received());
    }
  }

  /** A STUN binding request with only a USERNAME (enough for the demultiplexer). */
  static byte[] bindingRequest(String username) {
    byte[] u = username.getBytes(StandardCharsets.US_ASCII);
    int padded = (u.length + 3) & ~3;
    ByteBuffer b = ByteBuffer.allocate(20 + 4 + padded);
    b.putShort((short) 0x0001).putShort((short) (4 + padded)).putInt(0x2112A442);
    b.put(new byte[12]); // transaction id
    b.putShort((short) 0x0006).putShort((short) u.length).put(u);
    return b.array();
  }

  @Test
  void theDemultiplexerReadsTheReceiversUfrag() {
    assertEquals("abcd", wire("abcd:efgh"));
    assertEquals("a", wire("a:b"));
    assertNull(wire(":efgh"), "no local part");
    assertNull(wire("abcdefgh"), "no colon");
    byte[] response = bindingRequest("abcd:efgh");
    response[0] = 0x01; // 0x0101: a success response has no USERNAME to route by
    assertNull(SharedUdpPort.localUfragOfBindingRequest(response, response.length));
    byte[] truncated = bindingRequest("abcd:efgh");
    assertNull(SharedUdpPort.localUfragOfBindingRequest(truncated, truncated.length - 4));
    byte[] dtls = {22, (byte) 0xfe, (byte) 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    assertNull(SharedUdpPort.localUfragOfBindingRequest(dtls, dtls.length));
  }

  private static String wire(String username) {
    byte[] b = bindingRequest(username);
    return SharedUdpPort.localUfragOfBindingRequest(b, b.length);
  }

  @Test
  void misuseSaysWhatToDo() throws Exception {
    try (PeerLoop loop = PeerLoop.start("server");
        PeerLoop other = PeerLoop.start("other")) {
      SharedUdpPort port = loop.openSharedPort(ANY_LOOPBACK_PORT);
      IllegalArgumentException wildcard =
          assertThrows(
              IllegalArgumentException.class, () -> loop.openSharedPort(new InetSocketAddress(0)));
      assertTrue(wildcard.getMessage().contains("concrete address"), wildcard.getMessage());
      IllegalStateException withStun =
          assertThrows(
              IllegalStateException.class,
              () ->
                  PeerConfiguration.builder()
                      .sharedPort(port)
                      .iceServer("stun:127.0.0.1:3478")
                      .build());
      assertTrue(withStun.getMessage().contains("ICE servers"), withStun.getMessage());
      IllegalStateException withTcp =
          assertThrows(
              IllegalStateException.class,
              () -> PeerConfiguration.builder().sharedPort(port).iceTcp(true).build());
      assertTrue(withTcp.getMessage().contains("iceTcp(true)"), withTcp.getMessage());
      assertTrue(!PeerConfiguration.builder().sharedPort(port).build().iceTcp());
      IllegalStateException liteWithTurn =
          assertThrows(
              IllegalStateException.class,
              () ->
                  PeerConfiguration.builder()
                      .iceLite(true)
                      .iceServer("turn:127.0.0.1:3478", "user", "pass")
                      .iceTransportPolicy(IceTransportPolicy.RELAY)
                      .build());
      assertTrue(liteWithTurn.getMessage().contains("ICE-lite"), liteWithTurn.getMessage());

      PeerConnection pc =
          PeerConnection.create(PeerConfiguration.builder().sharedPort(port).build());
      try {
        IllegalArgumentException wrongLoop =
            assertThrows(IllegalArgumentException.class, () -> other.add(pc));
        assertTrue(wrongLoop.getMessage().contains(loop.toString()), wrongLoop.getMessage());
        IllegalStateException ownLoop = assertThrows(IllegalStateException.class, pc::loop);
        assertTrue(ownLoop.getMessage().contains("loop.add(pc)"), ownLoop.getMessage());
      } finally {
        pc.close();
      }
    }
  }

  @Test
  void twoLiteAgentsAreRefusedAtTheDescription() throws Exception {
    TestPeer a = TestPeer.loopback("lite-a", c -> c.iceLite(true).iceTcp(false));
    TestPeer b = TestPeer.loopback("lite-b", c -> c.iceLite(true).iceTcp(false));
    try {
      String offer = a.pc.createOffer();
      assertTrue(offer.contains("\r\na=ice-lite\r\n"), offer);
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> b.pc.setRemoteDescription(offer, SdpType.OFFER));
      assertTrue(e.getMessage().contains("one side must run full ICE"), e.getMessage());
    } finally {
      a.pc.close();
      b.pc.close();
    }
  }

  @Test
  void aLiteOffererIsControlledAndConnects() throws Exception {
    try (PeerLoop loop = PeerLoop.start("lite")) {
      TestPeer lite = TestPeer.loopback("lite-offerer", c -> c.iceLite(true).iceTcp(false));
      TestPeer full = TestPeer.loopback("full-answerer", c -> c.iceTcp(false));
      TestPeer.addBoth(loop, lite, full);
      TestPeer.connect(loop, lite, full, false);
      TestPeer.tenFramesEachWay(lite, full);
    }
  }
}
