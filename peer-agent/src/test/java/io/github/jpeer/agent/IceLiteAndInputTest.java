package io.github.jpeer.agent;

import static io.github.jpeer.agent.IceConnectivityTest.A_HOST;
import static io.github.jpeer.agent.IceConnectivityTest.B_HOST;
import static io.github.jpeer.agent.IceConnectivityTest.addr;
import static io.github.jpeer.agent.SimHarness.seconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jpeer.agent.SimHarness.Peer;
import io.github.jpeer.stun.StunClass;
import io.github.jpeer.stun.StunCredentials;
import io.github.jpeer.stun.StunMessage;
import io.github.jpeer.stun.StunMethod;
import io.github.jpeer.stun.StunVerification;
import io.github.jpeer.stun.TransactionId;
import io.github.jpeer.testkit.Datagram;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** A remote ICE-lite agent, and bad input through the public API. */
class IceLiteAndInputTest {

  /** An ICE-lite agent (RFC 8445 section 2.5): answers checks, never sends any. */
  static final class LiteAgent implements SimHarness.Node {
    final InetSocketAddress address;
    final IceCredentials credentials;
    int requests;
    int nominations;
    boolean silent;

    LiteAgent(InetSocketAddress address, IceCredentials credentials) {
      this.address = address;
      this.credentials = credentials;
    }

    @Override
    public boolean owns(InetSocketAddress a) {
      return address.equals(a);
    }

    @Override
    public void receive(long nowNanos, Datagram d, SimHarness h) {
      StunMessage m = StunMessage.decode(d.data());
      byte[] key = StunCredentials.shortTermKey(credentials.pwd());
      if (silent
          || !m.is(StunClass.REQUEST, StunMethod.BINDING)
          || m.verify(key, true) != StunVerification.OK
          || !m.username().startsWith(credentials.ufrag() + ":")) {
        return;
      }
      requests++;
      if (m.useCandidate()) {
        nominations++;
      }
      h.send(
          address,
          d.from(),
          m.successResponseBuilder()
              .xorMappedAddress(d.from())
              .messageIntegrity(key)
              .fingerprint()
              .encode());
    }
  }

  @Test
  void weNominateAndKeepConsentWithALiteAgentThatNeverChecks() {
    SimHarness h = new SimHarness(21);
    LiteAgent lite = h.add(new LiteAgent(B_HOST, IceCredentials.random(h.random())));
    // We start controlled, as the answerer would; a lite peer makes us controlling.
    Peer a = h.peer("a", IceConfig.defaults(), false, 211, A_HOST);
    a.gather(h);
    a.agent.setRemoteIceLite(true);
    assertTrue(a.agent.isControlling());
    a.agent.setRemoteCredentials(lite.credentials);
    a.agent.addRemoteCandidate(
        h.now(),
        new IceCandidate(
            "1", IceCandidate.priority(126, 65535, 1), B_HOST, CandidateType.HOST, null));
    assertTrue(h.runUntil(a::completed, seconds(5)));
    assertEquals(1, lite.nominations);
    int before = lite.requests;
    h.runFor(seconds(300));
    // Five minutes on our own consent checks alone: still completed, ~60 checks answered.
    assertEquals(IceState.COMPLETED, a.state());
    assertTrue(lite.requests - before >= 50, "consent checks " + (lite.requests - before));
    lite.silent = true;
    assertTrue(h.runUntil(() -> a.state() == IceState.FAILED, seconds(31)));
  }

  private static Peer connected(SimHarness h) {
    Peer a = h.peer("a", IceConfig.defaults(), true, 1, A_HOST);
    Peer b = h.peer("b", IceConfig.defaults(), false, 2, B_HOST);
    IceConnectivityTest.connect(h, a, b);
    h.step(h.now());
    return b;
  }

  @Test
  void badInputIsCountedPerReasonAndNeverThrows() {
    SimHarness h = new SimHarness(22);
    Peer b = connected(h);
    IceAgent agent = b.agent;
    CandidatePair selected = agent.selectedPair();
    InetSocketAddress from = A_HOST;
    byte[] key = StunCredentials.shortTermKey(agent.localCredentials().pwd());
    String user = agent.localCredentials().ufrag() + ":" + agent.remoteCredentials().ufrag();

    // Malformed: STUN first byte, bad length.
    byte[] junk = {
      0, 1, 0, 4, 0x21, 0x12, (byte) 0xA4, 0x42, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12
    };
    assertEquals(
        Received.Kind.DROPPED,
        agent.handleReceive(h.now(), B_HOST, from, junk, 0, junk.length).kind());
    assertEquals(1, agent.stats().malformed());

    // Unknown transaction: a response nobody asked for.
    byte[] response =
        StunMessage.builder(
                StunClass.SUCCESS_RESPONSE, StunMethod.BINDING, TransactionId.random(h.random()))
            .xorMappedAddress(B_HOST)
            .fingerprint()
            .encode();
    agent.handleReceive(h.now(), B_HOST, from, response, 0, response.length);
    assertEquals(1, agent.stats().unknownTransaction());

    // Unknown ufrag.
    byte[] otherUfrag = request("nobody:" + agent.remoteCredentials().ufrag(), key, h);
    agent.handleReceive(h.now(), B_HOST, from, otherUfrag, 0, otherUfrag.length);
    assertEquals(1, agent.stats().unknownUfrag());

    // Bad fingerprint: flip a bit in the CRC.
    byte[] badCrc = request(user, key, h);
    badCrc[badCrc.length - 1] ^= 1;
    agent.handleReceive(h.now(), B_HOST, from, badCrc, 0, badCrc.length);
    assertEquals(1, agent.stats().badFingerprint());

    // No fingerprint at all on a check.
    byte[] noCrc =
        StunMessage.builder(StunClass.REQUEST, StunMethod.BINDING, TransactionId.random(h.random()))
            .username(user)
            .priority(5)
            .iceControlling(7)
            .messageIntegrity(key)
            .encode();
    agent.handleReceive(h.now(), B_HOST, from, noCrc, 0, noCrc.length);
    assertEquals(2, agent.stats().badFingerprint());

    // Bad integrity.
    byte[] badMi = request(user, StunCredentials.shortTermKey("not-the-password-at-all"), h);
    agent.handleReceive(h.now(), B_HOST, from, badMi, 0, badMi.length);
    assertEquals(1, agent.stats().badIntegrity());

    // Application data from a stranger.
    byte[] dtls = {22, (byte) 0xFE, (byte) 0xFD, 0, 0};
    assertEquals(
        Received.Kind.DROPPED,
        agent.handleReceive(h.now(), B_HOST, addr("192.0.2.99", 9), dtls, 0, dtls.length).kind());
    assertEquals(1, agent.stats().unknownSource());
    // Empty datagram and a datagram on a socket the agent does not know.
    agent.handleReceive(h.now(), B_HOST, from, new byte[0], 0, 0);
    agent.handleReceive(h.now(), addr("10.9.9.9", 1), from, dtls, 0, dtls.length);
    assertEquals(2, agent.stats().malformed());
    assertEquals(2, agent.stats().unknownSource());

    assertEquals(IceState.COMPLETED, agent.state());
    assertEquals(selected, agent.selectedPair());
    // None of it was answered.
    assertNull(agent.pollTransmit());
  }

  @Test
  void applicationDataOnTheSelectedPairIsHandedUpWithoutCopies() {
    SimHarness h = new SimHarness(23);
    Peer b = connected(h);
    byte[] buf = new byte[64];
    buf[10] = 23; // DTLS application_data content type
    Received r = b.agent.handleReceive(h.now(), B_HOST, A_HOST, buf, 10, 30);
    assertEquals(Received.Kind.APPLICATION_DATA, r.kind());
    assertSame(buf, r.data());
    assertEquals(10, r.offset());
    assertEquals(30, r.length());
    assertEquals(b.agent.selectedPair(), r.pair());
  }

  static byte[] request(String username, byte[] key, SimHarness h) {
    return StunMessage.builder(
            StunClass.REQUEST, StunMethod.BINDING, TransactionId.random(h.random()))
        .username(username)
        .priority(12345)
        .iceControlling(99)
        .messageIntegrity(key)
        .fingerprint()
        .encode();
  }
}
