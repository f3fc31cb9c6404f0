package io.github.jpeer.agent;

import static io.github.jpeer.agent.IceConnectivityTest.A_HOST;
import static io.github.jpeer.agent.IceConnectivityTest.B_HOST;
import static io.github.jpeer.agent.IceConnectivityTest.STUN;
import static io.github.jpeer.agent.IceConnectivityTest.addr;
import static io.github.jpeer.agent.IceConnectivityTest.ip;
import static io.github.jpeer.agent.SimHarness.seconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jpeer.agent.SimHarness.Peer;
import io.github.jpeer.stun.ErrorCode;
import io.github.jpeer.stun.StunClass;
import io.github.jpeer.stun.StunCredentials;
import io.github.jpeer.stun.StunMessage;
import io.github.jpeer.stun.StunMethod;
import io.github.jpeer.stun.TransactionId;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * jpeer as the ICE-lite agent (RFC 8445 section 2.5), a full jpeer agent controlling it, in virtual
 * time over the simulated network.
 */
class IceLiteTest {
  private static final IceConfig LITE = IceConfig.builder().iceLite(true).build();

  /** A full controlling agent at {@code fullAddress} and a lite one at B_HOST, signalled. */
  private static Peer[] pair(SimHarness h, InetSocketAddress fullAddress) {
    Peer full = h.peer("full", IceConfig.defaults(), true, 1, fullAddress);
    Peer lite = h.peer("lite", LITE, false, 2, B_HOST);
    full.gather(h);
    lite.gather(h);
    full.agent.setRemoteIceLite(true); // what a=ice-lite in the answer tells it
    SimHarness.signal(full, lite);
    return new Peer[] {full, lite};
  }

  @Test
  void aFullAgentConnectsToALiteOneWhichSendsNoCheckOfItsOwn() {
    SimHarness h = new SimHarness(41);
    Peer[] p = pair(h, A_HOST);
    IceConnectivityTest.awaitCompleted(h, p[0], p[1], seconds(5));
    IceConnectivityTest.assertDataFlows(h, p[0], p[1]);
    assertEquals(List.of(IceState.CHECKING, IceState.CONNECTED, IceState.COMPLETED), p[1].states());
    h.runFor(seconds(120));
    assertEquals(IceState.COMPLETED, p[1].state(), "the full agent's consent keeps it alive");
    assertEquals(IceState.COMPLETED, p[0].state());
    assertEquals(0, p[1].agent.stats().checksSent(), "a lite agent sends no checks");
    assertTrue(p[1].agent.stats().checksReceived() >= 20, p[1].agent.stats().toString());
    assertFalse(p[1].agent.isControlling());
  }

  @Test
  void nothingLeavesALiteAgentBeforeItIsCheckedAndItGivesUpAfterThirtySeconds() {
    SimHarness h = new SimHarness(42);
    Peer lite = h.peer("lite", LITE, false, 2, B_HOST);
    long start = h.now();
    lite.gather(h);
    // It knows a remote's credentials and candidate, but the remote never checks it.
    lite.agent.setRemoteCredentials(IceCredentials.random(h.random()));
    lite.agent.addRemoteCandidate(
        h.now(),
        new IceCandidate(
            "1", IceCandidate.priority(126, 65535, 1), A_HOST, CandidateType.HOST, null));
    h.runFor(seconds(60));
    assertEquals(0, h.net.sent(), "no datagram at all");
    assertEquals(IceState.FAILED, lite.state(), "no full agent checked it within 30 s");
    assertEquals(seconds(30), lite.firstEntered.get(IceState.FAILED) - start);
    assertEquals(Long.MAX_VALUE, lite.agent.pollTimeoutNanos(), "nothing left to wait for");
    assertEquals(
        List.of(CandidateType.HOST),
        lite.agent.localCandidates().stream().map(IceCandidate::type).toList());
  }

  @Test
  void behindANatTheFullAgentIsLearntAsPeerReflexive() {
    SimHarness h = new SimHarness(43);
    SimNat nat = new SimNat(ip("203.0.113.9"), SimNat.Filtering.ADDRESS_DEPENDENT, ip("10.0.0.1"));
    h.net.setMiddlebox(nat::apply);
    Peer[] p = pair(h, A_HOST); // the full agent's host candidate is private: unreachable
    IceConnectivityTest.awaitCompleted(h, p[0], p[1], seconds(10));
    CandidatePair selected = p[1].agent.selectedPair();
    assertEquals(CandidateType.PEER_REFLEXIVE, selected.remote().type());
    assertEquals(nat.mappingOf(A_HOST), selected.remote().address());
    IceConnectivityTest.assertDataFlows(h, p[0], p[1]);
  }

  @Test
  void connectsThroughTwentyPercentLoss() {
    SimHarness h = new SimHarness(44);
    h.net.setLossRate(0.2).setJitterNanos(seconds(0.05));
    Peer[] p = pair(h, A_HOST);
    IceConnectivityTest.awaitCompleted(h, p[0], p[1], seconds(20));
    h.runFor(seconds(60));
    assertEquals(IceState.COMPLETED, p[1].state());
    IceConnectivityTest.assertSamePair(p[0], p[1]);
  }

  @Test
  void theLiteAgentFollowsANewNomination() {
    SimHarness h = new SimHarness(45);
    InetSocketAddress secondLite = addr("10.0.1.2", 6001);
    Peer full = h.peer("full", IceConfig.defaults(), true, 1, A_HOST);
    Peer lite = h.peer("lite", LITE, false, 2, B_HOST, secondLite);
    full.gather(h);
    lite.gather(h);
    full.agent.setRemoteIceLite(true);
    SimHarness.signal(full, lite);
    IceConnectivityTest.awaitCompleted(h, full, lite, seconds(5));
    InetSocketAddress first = lite.agent.selectedPair().local().address();
    InetSocketAddress other = first.equals(B_HOST) ? secondLite : B_HOST;
    // The controller nominates the other local address of the lite agent, as a full agent does
    // after a restart or a path change: a verified check with USE-CANDIDATE from the same source.
    byte[] key = StunCredentials.shortTermKey(lite.agent.localCredentials().pwd());
    byte[] nominate =
        StunMessage.builder(StunClass.REQUEST, StunMethod.BINDING, TransactionId.random(h.random()))
            .username(
                lite.agent.localCredentials().ufrag() + ":" + full.agent.localCredentials().ufrag())
            .priority(IceCandidate.priority(110, 65535, 1))
            .iceControlling(full.agent.tieBreaker())
            .useCandidate()
            .messageIntegrity(key)
            .fingerprint()
            .encode();
    h.runFor(seconds(1));
    lite.agent.handleReceive(h.now(), other, A_HOST, nominate, 0, nominate.length);
    assertEquals(other, lite.agent.selectedPair().local().address(), "the latest nomination");
    assertEquals(IceState.COMPLETED, lite.state());
  }

  @Test
  void whenTheControllerGoesSilentTheLiteAgentDisconnectsThenFails() {
    SimHarness h = new SimHarness(46);
    Peer[] p = pair(h, A_HOST);
    IceConnectivityTest.awaitCompleted(h, p[0], p[1], seconds(5));
    h.runFor(seconds(10));
    // The full agent's checks stop (its machine went away): only the lite side keeps running.
    h.net.setMiddlebox(d -> d.from().equals(A_HOST) ? null : d);
    long silentFrom = h.now();
    assertTrue(h.runUntil(() -> p[1].state() == IceState.DISCONNECTED, seconds(20)));
    long disconnectedAfter = h.now() - silentFrom;
    assertTrue(
        disconnectedAfter > seconds(6) && disconnectedAfter <= seconds(12.1),
        "DISCONNECTED 12 s after the last check, at most: " + disconnectedAfter);
    assertTrue(h.runUntil(() -> p[1].state() == IceState.FAILED, seconds(25)));
    long failedAfter = h.now() - silentFrom;
    assertTrue(
        failedAfter > seconds(24) && failedAfter <= seconds(30.1),
        "FAILED 30 s after the last check, at most: " + failedAfter);
    assertEquals(0, p[1].agent.stats().checksSent());
  }

  @Test
  void aLiteAgentAnswersRoleConflictAndNeverControls() {
    SimHarness h = new SimHarness(47);
    // The full agent wrongly starts controlled too (it missed a=ice-lite).
    Peer full = h.peer("full", IceConfig.defaults(), false, 1, A_HOST);
    Peer lite = h.peer("lite", LITE, false, 2, B_HOST);
    full.gather(h);
    lite.gather(h);
    SimHarness.signal(full, lite);
    IceConnectivityTest.awaitCompleted(h, full, lite, seconds(10));
    assertTrue(full.agent.isControlling(), "the 487 made the full agent switch");
    assertFalse(lite.agent.isControlling());
    assertTrue(lite.agent.stats().roleConflicts() >= 1);
    // And directly: a check with ICE-CONTROLLED is answered 487 whatever its tie-breaker.
    byte[] key = StunCredentials.shortTermKey(lite.agent.localCredentials().pwd());
    byte[] controlled =
        StunMessage.builder(StunClass.REQUEST, StunMethod.BINDING, TransactionId.random(h.random()))
            .username(
                lite.agent.localCredentials().ufrag() + ":" + full.agent.localCredentials().ufrag())
            .priority(IceCandidate.priority(126, 65535, 1))
            .iceControlled(Long.MAX_VALUE)
            .messageIntegrity(key)
            .fingerprint()
            .encode();
    lite.agent.handleReceive(h.now(), B_HOST, A_HOST, controlled, 0, controlled.length);
    Transmit t = lite.agent.pollTransmit();
    StunMessage answer = StunMessage.decode(t.data());
    assertTrue(answer.is(StunClass.ERROR_RESPONSE, StunMethod.BINDING), answer.toString());
    assertEquals(ErrorCode.ROLE_CONFLICT, answer.errorCode().code());
    assertFalse(lite.agent.isControlling());
  }

  @Test
  void misuseSaysWhatToDo() {
    IllegalArgumentException withStun =
        assertThrows(
            IllegalArgumentException.class,
            () -> IceConfig.builder().iceLite(true).stunServer(STUN).build());
    assertTrue(withStun.getMessage().contains("host candidates only"), withStun.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> IceConfig.builder().iceLite(true).relayOnly(true).build());
    IllegalArgumentException controlling =
        assertThrows(
            IllegalArgumentException.class,
            () -> new IceAgent(LITE, true, SimHarness.seededRandom(1)));
    assertTrue(
        controlling.getMessage().contains("always the controlled"), controlling.getMessage());
    IceAgent lite = new IceAgent(LITE, false, SimHarness.seededRandom(2));
    assertThrows(IllegalArgumentException.class, () -> lite.restartIce(0, true));
    IllegalStateException bothLite =
        assertThrows(IllegalStateException.class, () -> lite.setRemoteIceLite(true));
    assertTrue(bothLite.getMessage().contains("full ICE"), bothLite.getMessage());
  }
}
