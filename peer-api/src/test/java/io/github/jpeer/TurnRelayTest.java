package io.github.jpeer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jpeer.testkit.Coturn;
import io.github.jpeer.testkit.SelfSigned;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two jpeer connections that can only meet through a TURN relay: Debian's coturn, started by the
 * test on 127.0.0.1 with long-term credentials. Host candidates are removed from the descriptions
 * handed across, so the only remote candidates are relayed ones. Fails, naming the package, when
 * {@code turnserver} is not installed.
 */
@Tag("interop")
class TurnRelayTest {
  @Test
  @Timeout(value = 40, unit = TimeUnit.SECONDS)
  void audioFlowsThroughCoturnWhenOnlyRelayedCandidatesAreExchanged() throws Exception {
    relayedCall(false);
  }

  // Bug: PeerStats.relayed() is documented as "whether the selected pair goes through a TURN
  // relay", but CandidatePair.isRelayed() looks only at the local candidate. Here both sides may
  // pick host -> remote relay (coturn's permission for the peer's relay IP also admits its host
  // socket on the same IP): every packet crosses a relay, yet relayed() is false on both sides.
  @Test
  @Timeout(value = 40, unit = TimeUnit.SECONDS)
  void relayedIsTrueOnBothSidesOfARelayedCall() throws Exception {
    relayedCall(true);
  }

  /**
   * iceTransportPolicy RELAY (W3C): each side signals its relayed candidate only, without the test
   * removing anything, and every packet crosses coturn.
   */
  @Test
  @Timeout(value = 40, unit = TimeUnit.SECONDS)
  void theRelayPolicySignalsOnlyRelayedCandidatesAndConnectsThroughCoturn() throws Exception {
    relayedCall(true, true);
  }

  /**
   * TURN over TCP (RFC 8656 section 3.1, {@code ?transport=tcp}): a's only TURN server is coturn
   * over TCP and a takes relayed candidates only, so its every packet crosses that one TCP
   * connection (framed, ChannelData padded); b relays over UDP. Audio flows both ways.
   */
  @Test
  @Timeout(value = 40, unit = TimeUnit.SECONDS)
  void aCallWhoseOneSideReachesCoturnOnlyOverTcp() throws Exception {
    relayedCall(true, true, true);
  }

  private void relayedCall(boolean expectRelayedFlag) throws Exception {
    relayedCall(expectRelayedFlag, false, false);
  }

  private void relayedCall(boolean expectRelayedFlag, boolean relayPolicy) throws Exception {
    relayedCall(expectRelayedFlag, relayPolicy, false);
  }

  private void relayedCall(boolean expectRelayedFlag, boolean relayPolicy, boolean aOverTcp)
      throws Exception {
    Path binary = Coturn.binary();
    Coturn turn = Coturn.start(binary);
    if (aOverTcp) {
      turn.awaitTcp();
    }
    String turnUrl = turn.url();
    String turnUrlA = aOverTcp ? turnUrl + "?transport=tcp" : turnUrl;
    IceTransportPolicy policy = relayPolicy ? IceTransportPolicy.RELAY : IceTransportPolicy.ALL;
    TestPeer a =
        TestPeer.loopback(
            "a",
            c ->
                c.audioCodec(MediaCodec.OPUS)
                    .iceServer(turnUrlA, Coturn.USER, Coturn.PASSWORD)
                    .iceTransportPolicy(policy));
    TestPeer b =
        TestPeer.loopback(
            "b",
            c ->
                c.audioCodec(MediaCodec.OPUS)
                    .iceServer(turnUrl, Coturn.USER, Coturn.PASSWORD)
                    .iceTransportPolicy(policy));
    try (PeerLoop loop = PeerLoop.start("turn")) {
      TestPeer.addBoth(loop, a, b);
      // Complete descriptions (gathering waits for the relay allocation); without host lines,
      // which the relay policy leaves out by itself.
      java.util.List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
      TestPeer.connect(
          loop,
          a,
          b,
          false,
          sdp -> {
            seen.add(sdp);
            return relayPolicy ? sdp : TestPeer.withoutHostCandidates(sdp);
          });
      if (relayPolicy) {
        for (String sdp : seen) {
          for (String line : sdp.split("\r\n")) {
            if (line.startsWith("a=candidate")) {
              assertTrue(line.contains(" typ relay"), "the relay policy signalled " + line);
            }
          }
          assertTrue(sdp.contains(" typ relay"), sdp);
        }
      }
      PeerStats sa = a.stats(loop);
      PeerStats sb = b.stats(loop);
      // Each path crosses a relay: no host line was handed over (and no srflx is gathered on a
      // NAT-less host), so every selected pair has a relayed candidate at one end: ours, or the
      // remote's (then the remote may see us as peer-reflexive behind its own relay).
      String pairs = "a: " + sa.selectedCandidatePair() + ", b: " + sb.selectedCandidatePair();
      assertTrue(sa.selectedCandidatePair().contains("relay"), pairs);
      assertTrue(sb.selectedCandidatePair().contains("relay"), pairs);
      if (expectRelayedFlag) {
        assertTrue(sa.relayed() && sb.relayed(), pairs);
      }
      if (relayPolicy) {
        // both relay-only, so each selected local candidate is its own relay
        assertEquals(aOverTcp ? "tcp" : "udp", sa.candidatePair().relayProtocol(), pairs);
        assertEquals("udp", sb.candidatePair().relayProtocol(), pairs);
      }

      TestPeer.tenFramesEachWay(a, b);
      // (A late answer to a retransmitted check may show as stun-unknown-transaction: fine.)
      for (PeerStats s : new PeerStats[] {a.stats(loop), b.stats(loop)}) {
        assertEquals(10, s.audio().packetsReceived(), s.toString());
        assertEquals(0, s.audio().packetsLost(), s.toString());
        assertEquals(null, s.dropped().get("srtp-auth"), s.toString());
      }
    } finally {
      a.pc.close();
      b.pc.close();
      turn.close();
    }
  }

  /**
   * A wrong TURN password against coturn: the connection says so (onIceCandidateError with 401 and
   * our reason, a WARNING, PeerStats.iceServerErrors) without the password anywhere, and the
   * complete description comes anyway, without a relay candidate.
   */
  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void aWrongTurnPasswordIsReportedWithoutTheSecret() throws Exception {
    String wrong = "not-the-turn-password-7f3a";
    try (Coturn turn = Coturn.start(Coturn.binary());
        LogCapture log = LogCapture.of("io.github.jpeer")) {
      Gathered g = gatherWith(turn.url(), wrong, c -> {});
      try {
        IceCandidateError e = g.error();
        assertEquals(401, e.errorCode(), e.toString());
        assertTrue(e.url().startsWith("turn:127.0.0.1:"), e.url());
        assertTrue(e.errorText().contains("username and password"), e.errorText());
        assertTrue(g.description() != null, "gathering completed");
        assertTrue(!g.description().contains("typ relay"), g.description());
        assertEquals(1, g.pc().getStats().iceServerErrors());
        List<String> warnings =
            log.lines().stream().filter(l -> l.contains("no relay from TURN server")).toList();
        assertEquals(1, warnings.size(), log.lines().toString());
        for (String line : log.lines()) {
          assertTrue(!line.contains(wrong), "the password was logged: " + line);
        }
        assertTrue(!e.toString().contains(wrong));
      } finally {
        g.pc().close();
      }
    }
  }

  /**
   * A TURN server over TCP that refuses the connection: reported at once as 701 with the reason
   * (not after the 39.5 s a transaction over TCP may wait), and gathering completes.
   */
  @Test
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void aRefusedTcpTurnServerIsReportedAtOnce() throws Exception {
    int port;
    try (java.nio.channels.ServerSocketChannel s = java.nio.channels.ServerSocketChannel.open()) {
      s.bind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0));
      port = ((java.net.InetSocketAddress) s.getLocalAddress()).getPort();
    } // closed: connecting there is refused
    Gathered g = gatherWith("turn:127.0.0.1:" + port + "?transport=tcp", "p", c -> {});
    try {
      assertEquals(701, g.error().errorCode(), g.error().toString());
      assertTrue(g.error().errorText().contains("TCP connection"), g.error().errorText());
      assertTrue(g.description() != null, "gathering completed");
      assertTrue(g.nanos() < 5_000_000_000L, "at once, not after a timeout: " + g.nanos());
    } finally {
      g.pc().close();
    }
  }

  /**
   * TURN over TLS (turns:, RFC 8656 section 3.1) against coturn's TLS listener with a certificate
   * the test makes: a's only TURN server is turns: with that certificate in its trust store, a is
   * relay-only, and the call's audio flows; the stats say the relay runs over tls.
   */
  @Test
  @Timeout(value = 40, unit = TimeUnit.SECONDS)
  void aCallWhoseOneSideReachesCoturnOnlyOverTls(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    SelfSigned cert = SelfSigned.forLoopback(dir);
    java.security.KeyStore trust = cert.trustStore();
    try (Coturn turn =
        Coturn.startWithTls(Coturn.binary(), cert.certificate(), cert.privateKey())) {
      turn.awaitTcp();
      String tls = "turns:127.0.0.1:" + turn.tlsAddress().getPort();
      TestPeer a =
          TestPeer.loopback(
              "a",
              c ->
                  c.audioCodec(MediaCodec.OPUS)
                      .iceServer(tls, Coturn.USER, Coturn.PASSWORD)
                      .turnTrustStore(trust)
                      .iceTransportPolicy(IceTransportPolicy.RELAY));
      TestPeer b =
          TestPeer.loopback(
              "b",
              c ->
                  c.audioCodec(MediaCodec.OPUS)
                      .iceServer(turn.url(), Coturn.USER, Coturn.PASSWORD)
                      .iceTransportPolicy(IceTransportPolicy.RELAY));
      try (PeerLoop loop = PeerLoop.start("turn-tls")) {
        TestPeer.addBoth(loop, a, b);
        TestPeer.connect(loop, a, b, false, java.util.function.UnaryOperator.identity());
        PeerStats sa = a.stats(loop);
        assertEquals("tls", sa.candidatePair().relayProtocol(), sa.toString());
        TestPeer.tenFramesEachWay(a, b);
      } finally {
        a.pc.close();
        b.pc.close();
      }
    }
  }

  /**
   * The same server without its certificate in the trust store (the JDK's cacerts does not know
   * it): the TLS handshake fails, which is reported as 701 at once, not after a timeout.
   */
  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void aTurnsServerWhoseCertificateIsNotTrustedIsReported(
      @org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    SelfSigned cert = SelfSigned.forLoopback(dir);
    try (Coturn turn = Coturn.startWithTls(Coturn.binary(), cert.certificate(), cert.privateKey());
        LogCapture log = LogCapture.of("io.github.jpeer")) {
      turn.awaitTcp();
      Gathered g =
          gatherWith("turns:127.0.0.1:" + turn.tlsAddress().getPort(), Coturn.PASSWORD, c -> {});
      try {
        assertEquals(701, g.error().errorCode(), g.error().toString());
        assertTrue(
            log.lines().stream().anyMatch(l -> l.contains("TLS")),
            "the log says TLS failed: " + log.lines());
        for (String line : log.lines()) {
          assertTrue(!line.contains(Coturn.PASSWORD), "the password was logged: " + line);
        }
      } finally {
        g.pc().close();
      }
    }
  }

  /** What gathering with one ICE server said: its error, the complete description, how long. */
  private record Gathered(
      PeerConnection pc, IceCandidateError error, String description, long nanos) {}

  /**
   * A connection on 127.0.0.1 whose one ICE server is {@code url} (user {@link Coturn#USER}, {@code
   * password}), driven by hand until onIceCandidateError and the complete description both came, or
   * 10 s; fails if no error came. The caller closes the connection.
   */
  private static Gathered gatherWith(
      String url, String password, java.util.function.Consumer<PeerConfiguration.Builder> more)
      throws Exception {
    PeerConfiguration.Builder b =
        PeerConfiguration.builder()
            .audioCodec(MediaCodec.OPUS)
            .bindAddress(java.net.InetAddress.getLoopbackAddress())
            .includeLoopback(true)
            .iceServer(url, Coturn.USER, password);
    more.accept(b);
    PeerConnection pc = PeerConnection.create(b.build());
    java.util.concurrent.CompletableFuture<IceCandidateError> error =
        new java.util.concurrent.CompletableFuture<>();
    java.util.concurrent.CompletableFuture<String> full =
        new java.util.concurrent.CompletableFuture<>();
    pc.onIceCandidateError(error::complete);
    pc.onLocalDescription(full::complete);
    long start = System.nanoTime();
    pc.createOffer();
    java.util.concurrent.CountDownLatch never = new java.util.concurrent.CountDownLatch(1);
    while (!(error.isDone() && full.isDone()) && System.nanoTime() - start < 10_000_000_000L) {
      pc.loop();
      never.await(5, TimeUnit.MILLISECONDS);
    }
    long took = System.nanoTime() - start;
    IceCandidateError e = error.getNow(null);
    if (e == null) {
      pc.close();
      throw new AssertionError("no onIceCandidateError in 10 s");
    }
    return new Gathered(pc, e, full.getNow(null), took);
  }
}
