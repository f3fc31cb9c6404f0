package io.github.jpeer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ICE-TCP (RFC 6544) between two jpeer connections over real sockets on 127.0.0.1: the driver's
 * listeners, outgoing connections and RFC 4571 framing carry the whole call (checks, DTLS, SRTP,
 * SCTP) when UDP is off, and stay out of the way when it is on.
 */
class IceTcpCallTest {
  private PeerLoop loop;

  @BeforeEach
  void startLoop() {
    loop = PeerLoop.start("ice-tcp-test");
  }

  @AfterEach
  void stop() {
    loop.close();
  }

  private static UnaryOperator<PeerConfiguration.Builder> tcpOnly() {
    return c -> c.iceUdp(false).dataChannel(DataChannelType.STRING);
  }

  @ParameterizedTest(name = "trickle={0}")
  @ValueSource(booleans = {false, true})
  void aCallOverTcpOnlyCarriesAudioAndADataChannelBothWays(boolean trickle) throws Exception {
    TestPeer a = TestPeer.loopback("tcp-a", tcpOnly());
    TestPeer b = TestPeer.loopback("tcp-b", tcpOnly());
    TestPeer.addBoth(loop, a, b);
    DataChannel fromA =
        loop.submit(() -> a.pc.createDataChannel("over-tcp")).get(5, TimeUnit.SECONDS);
    TestPeer.connect(loop, a, b, trickle);
    String offer = loop.submit(a.pc::localDescription).get(5, TimeUnit.SECONDS);
    assertFalse(offer.contains(" udp "), "no UDP candidate in a TCP-only offer:\n" + offer);
    assertTrue(
        offer.contains("tcptype passive") && offer.contains(" 9 typ host tcptype active"), offer);

    for (TestPeer p : new TestPeer[] {a, b}) {
      PeerStats.CandidatePairStats pair = p.stats(loop).candidatePair();
      assertEquals("tcp", pair.protocol(), p + ": " + pair);
      assertEquals("host", pair.localType(), p + ": " + pair);
    }
    // The offerer is controlling and dials the answerer's passive candidate, or the other way:
    // either way one side's selected candidate is active and the other's passive.
    // The controlling side dials the other's passive candidate, or accepts its connection: either
    // way, once the nomination has reached the controlled side (which meanwhile may use its own
    // best pair), one side's selected candidate is active and the other's passive.
    TestPeer.await(
        () -> {
          try {
            String ta = a.stats(loop).candidatePair().tcpType();
            String tb = b.stats(loop).candidatePair().tcpType();
            return !ta.equals(tb);
          } catch (Exception e) {
            throw new AssertionError(e);
          }
        },
        5_000,
        "one active and one passive end of the selected connection");
    TestPeer.tenFramesEachWay(a, b);
    DataChannel atB = TestPeer.take(b.opened, "the channel open at b");
    TestPeer.take(a.opened, "the channel open at a");
    fromA.send("over tcp from a");
    assertEquals("over tcp from a", TestPeer.take(b.messages, "a's message at b").text());
    byte[] big = new byte[60_000]; // many SCTP packets, many TCP segments, partial reads
    for (int i = 0; i < big.length; i++) {
      big[i] = (byte) (i * 31);
    }
    atB.send(big);
    TestPeer.Message m = TestPeer.take(a.messages, "b's large message at a");
    org.junit.jupiter.api.Assertions.assertArrayEquals(big, m.data());
    TestPeer.assertNothingDropped(a.stats(loop));
    TestPeer.assertNothingDropped(b.stats(loop));
  }

  @Test
  void whenOneSideCannotUseUdpTheCallGoesOverTcp() throws Exception {
    TestPeer a = TestPeer.loopback("both-a", c -> c.dataChannel(DataChannelType.STRING));
    TestPeer b = TestPeer.loopback("blocked-b", tcpOnly());
    TestPeer.addBoth(loop, a, b);
    TestPeer.connect(loop, b, a, false);
    assertEquals("tcp", a.stats(loop).candidatePair().protocol());
    assertEquals("tcp", b.stats(loop).candidatePair().protocol());
    TestPeer.tenFramesEachWay(a, b);
  }

  @Test
  void withUdpAndTcpBothOnTheCallPrefersUdp() throws Exception {
    TestPeer a = TestPeer.loopback("udp-a", c -> c);
    TestPeer b = TestPeer.loopback("udp-b", c -> c);
    TestPeer.addBoth(loop, a, b);
    TestPeer.connect(loop, a, b, false);
    String offer = loop.submit(a.pc::localDescription).get(5, TimeUnit.SECONDS);
    assertTrue(offer.contains(" tcp ") && offer.contains(" udp "), offer);
    assertEquals("udp", a.stats(loop).candidatePair().protocol());
    assertEquals("udp", b.stats(loop).candidatePair().protocol());
    TestPeer.tenFramesEachWay(a, b);
  }

  @Test
  void iceTcpOffGathersNoTcpCandidate() throws Exception {
    TestPeer a = TestPeer.loopback("no-tcp", c -> c.iceTcp(false));
    loop.add(a.pc).get(5, TimeUnit.SECONDS);
    java.util.concurrent.CompletableFuture<String> full =
        new java.util.concurrent.CompletableFuture<>();
    a.pc.onIceCandidate(full::complete);
    loop.submit(a.pc::createOffer).get(5, TimeUnit.SECONDS);
    String sdp = full.get(10, TimeUnit.SECONDS);
    assertFalse(sdp.contains(" tcp "), sdp);
    assertTrue(sdp.contains(" udp "), sdp);
  }

  @Test
  void forbiddingEveryTransportIsRefusedWithAdvice() {
    IllegalStateException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalStateException.class,
            () -> PeerConfiguration.builder().iceUdp(false).iceTcp(false).build());
    assertTrue(e.getMessage().contains("no way to connect"), e.getMessage());
    assertTrue(e.getMessage().contains("transport=tcp"), e.getMessage());
  }
}
