package io.github.jpeer.agent;

import static io.github.jpeer.agent.SimHarness.seconds;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jpeer.agent.SimHarness.Peer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Two agents connecting over a simulated network, in virtual time. */
class IceConnectivityTest {
  static final InetSocketAddress A_HOST = addr("10.0.0.1", 5000);
  static final InetSocketAddress B_HOST = addr("10.0.0.2", 6000);
  static final InetSocketAddress STUN = addr("198.51.100.1", 3478);
  static final InetSocketAddress TURN = addr("198.51.100.2", 3478);

  static InetSocketAddress addr(String ip, int port) {
    try {
      return new InetSocketAddress(InetAddress.getByName(ip), port);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  static InetAddress ip(String ip) {
    return addr(ip, 0).getAddress();
  }

  static void connect(SimHarness h, Peer a, Peer b) {
    a.gather(h);
    b.gather(h);
    SimHarness.signal(a, b);
    awaitCompleted(h, a, b, seconds(30));
  }

  static void awaitCompleted(SimHarness h, Peer a, Peer b, long timeoutNanos) {
    assertTrue(
        h.runUntil(() -> a.completed() && b.completed(), timeoutNanos),
        () -> "not completed: " + a.state() + " / " + b.state());
  }

  /** Both peers gathered, each knowing the other's credentials but no candidates yet. */
  static void gatherAndExchangeCredentials(SimHarness h, Peer a, Peer b) {
    a.gather(h);
    b.gather(h);
    a.agent.setRemoteCredentials(b.agent.localCredentials());
    b.agent.setRemoteCredentials(a.agent.localCredentials());
  }

  /** After an ICE restart: signals the new credentials and candidates afresh. */
  static void signalAgain(Peer a, Peer b) {
    a.trickleTo = null;
    b.trickleTo = null;
    SimHarness.signal(a, b);
  }

  /** b (at 10.0.0.2) behind a firewall that lets UDP through to and from the TURN server only. */
  static void onlyTurnReachableFromB(SimHarness h) {
    SimNat nat =
        new SimNat(ip("203.0.113.7"), SimNat.Filtering.ADDRESS_DEPENDENT, ip("10.0.0.2"))
            .allowOutbound(TURN::equals);
    h.net.setMiddlebox(nat::apply);
  }

  /** A configuration using the simulated TURN server as {@code user} with this password. */
  static IceConfig withTurn(String password) {
    return IceConfig.builder().turnServer(new TurnServer(TURN, "user", password)).build();
  }

  /** a's selected local candidate is b's selected remote one. */
  static void assertSamePair(Peer a, Peer b) {
    assertEquals(
        a.agent.selectedPair().local().address(), b.agent.selectedPair().remote().address());
  }

  static void assertDataFlows(SimHarness h, Peer a, Peer b) {
    byte[] hello = "hello from a".getBytes(StandardCharsets.UTF_8);
    byte[] reply = "hello from b".getBytes(StandardCharsets.UTF_8);
    int beforeB = b.appData.size();
    int beforeA = a.appData.size();
    assertTrue(a.sendData(hello));
    assertTrue(b.sendData(reply));
    assertTrue(
        h.runUntil(() -> b.appData.size() > beforeB && a.appData.size() > beforeA, seconds(2)));
    assertArrayEquals(hello, b.appData.get(b.appData.size() - 1));
    assertArrayEquals(reply, a.appData.get(a.appData.size() - 1));
    assertEquals(
        b.agent.selectedPair().remote().address(),
        b.appDataPairs.get(b.appDataPairs.size() - 1).remote().address());
  }

  @Test
  void twoAgentsConnectDirectlyAndAgreeOnThePair() {
    SimHarness h = new SimHarness(1);
    Peer a = h.peer("a", IceConfig.defaults(), true, 11, A_HOST);
    Peer b = h.peer("b", IceConfig.defaults(), false, 12, B_HOST);
    long start = h.now();
    connect(h, a, b);
    assertSamePair(a, b);
    assertEquals(
        a.agent.selectedPair().remote().address(), b.agent.selectedPair().local().address());
    assertTrue(a.agent.selectedPair().nominated());
    assertTrue(b.agent.selectedPair().nominated());
    assertEquals(
        java.util.List.of(IceState.CHECKING, IceState.CONNECTED, IceState.COMPLETED), a.states());
    assertDataFlows(h, a, b);
    assertEquals(0, a.agent.stats().dropped() + b.agent.stats().dropped());
    // Connected in well under a second of virtual time on a perfect network.
    assertTrue(a.firstEntered.get(IceState.COMPLETED) - start < seconds(0.2));
  }

  @Test
  void selectedPairRoundTripIsMeasuredFromChecksSentOnce() {
    SimHarness h = new SimHarness(7);
    h.net.setDelayNanos(seconds(0.015)); // one way: 30 ms round trip
    Peer a = h.peer("a", IceConfig.defaults(), true, 71, A_HOST);
    Peer b = h.peer("b", IceConfig.defaults(), false, 72, B_HOST);
    assertEquals(-1, a.agent.selectedRoundTripNanos());
    connect(h, a, b);
    for (Peer p : new Peer[] {a, b}) {
      long rtt = p.agent.selectedRoundTripNanos();
      assertTrue(rtt >= seconds(0.030) && rtt < seconds(0.035), p + " rtt " + rtt);
    }
    // Consent responses keep the estimate current when the path gets slower.
    h.net.setDelayNanos(seconds(0.050));
    h.runFor(seconds(120));
    long rtt = a.agent.selectedRoundTripNanos();
    assertTrue(rtt > seconds(0.080) && rtt <= seconds(0.101), "rtt after the change " + rtt);
  }

  @Test
  void roundTripIsSeededWhenEveryRequestNeedsARetransmission() {
    // Every STUN request's first transmission is lost, so no response answers a request sent
    // once (Karn's rule gives no sample at all): the estimate is seeded from the retransmissions.
    SimHarness h = new SimHarness(8);
    h.net.setDelayNanos(seconds(0.020)); // one way: 40 ms round trip
    java.util.Set<String> seen = new java.util.HashSet<>();
    h.net.setMiddlebox(
        d -> {
          byte[] b = d.data();
          boolean request = b.length >= 20 && b[0] == 0 && b[1] == 1; // STUN Binding request
          if (request && seen.add(java.util.HexFormat.of().formatHex(b, 8, 20))) {
            return null;
          }
          return d;
        });
    Peer a = h.peer("a", IceConfig.defaults(), true, 81, A_HOST);
    Peer b = h.peer("b", IceConfig.defaults(), false, 82, B_HOST);
    connect(h, a, b);
    for (Peer p : new Peer[] {a, b}) {
      long rtt = p.agent.selectedRoundTripNanos();
      assertTrue(rtt >= seconds(0.040) && rtt < seconds(0.045), p + " seeded rtt " + rtt);
    }
    // A clean sample replaces the seed: let requests through once from now on.
    h.net.setMiddlebox(null);
    h.net.setDelayNanos(seconds(0.010));
    h.runFor(seconds(30));
    long rtt = a.agent.selectedRoundTripNanos();
    assertTrue(rtt >= seconds(0.020) && rtt < seconds(0.025), "rtt after clean samples " + rtt);
  }

  @Test
  void staysCompletedForMinutesWithConsentChecks() {
    SimHarness h = new SimHarness(2);
    Peer a = h.peer("a", IceConfig.defaults(), true, 21, A_HOST);
    Peer b = h.peer("b", IceConfig.defaults(), false, 22, B_HOST);
    connect(h, a, b);
    long sentBefore = a.agent.stats().checksSent();
    h.runFor(seconds(120));
    assertEquals(IceState.COMPLETED, a.state());
    assertEquals(IceState.COMPLETED, b.state());
    long consentChecks = a.agent.stats().checksSent() - sentBefore;
    // One every 5 s +/- 20%: 120 s gives 20 to 30.
    assertTrue(consentChecks >= 20 && consentChecks <= 30, "consent checks " + consentChecks);
  }

  @ParameterizedTest
  @ValueSource(strings = {"ENDPOINT_INDEPENDENT", "ADDRESS_DEPENDENT"})
  void connectsThroughANatWithServerReflexiveCandidates(String filtering) {
    SimHarness h = new SimHarness(3);
    SimNat nat = new SimNat(ip("203.0.113.7"), SimNat.Filtering.valueOf(filtering), ip("10.0.0.2"));
    h.net.setMiddlebox(nat::apply);
    h.add(new SimStunServer(STUN));
    IceConfig withStun = IceConfig.builder().stunServer(STUN).build();
    InetSocketAddress aPublic = addr("192.0.2.10", 5000);
    Peer a = h.peer("a", withStun, true, 31, aPublic);
    Peer b = h.peer("b", withStun, false, 32, B_HOST);
    connect(h, a, b);
    InetSocketAddress mapping = nat.mappingOf(B_HOST);
    assertNotNull(mapping);
    assertTrue(
        b.agent.localCandidates().stream()
            .anyMatch(
                c -> c.type() == CandidateType.SERVER_REFLEXIVE && c.address().equals(mapping)));
    // a sees b through its public mapping, and b's pair is on its host base.
    assertEquals(mapping, a.agent.selectedPair().remote().address());
    assertEquals(
        B_HOST.getAddress(),
        b.agent.selectedPair().local().relatedAddress() == null
            ? b.agent.selectedPair().local().address().getAddress()
            : b.agent.selectedPair().local().relatedAddress().getAddress());
    assertDataFlows(h, a, b);
  }

  @Test
  void connectsThroughATurnRelayWhenOnlyTheRelayIsReachable() {
    SimHarness h = new SimHarness(4);
    onlyTurnReachableFromB(h);
    SimTurnServer turn = h.add(new SimTurnServer(TURN, "user", "secret", seconds(3600)));
    IceConfig withTurn = withTurn("secret");
    Peer a = h.peer("a", IceConfig.defaults(), true, 41, addr("192.0.2.10", 5000));
    Peer b = h.peer("b", withTurn, false, 42, B_HOST);
    connect(h, a, b);
    assertTrue(b.agent.selectedPair().isRelayed());
    assertEquals(1, turn.allocations);
    assertTrue(turn.unauthorized >= 1, "the first Allocate is answered 401");
    assertTrue(turn.permissionRequests >= 1);
    assertDataFlows(h, a, b);
    // The selected relayed pair got a channel: data now travels as ChannelData.
    assertTrue(h.runUntil(() -> turn.channelBinds >= 1, seconds(2)));
    int channelData = turn.channelDataToClient;
    assertDataFlows(h, a, b);
    assertTrue(turn.channelDataToClient > channelData);
    // 25 minutes: allocation, permission and channel refreshes keep the relay alive.
    h.runFor(seconds(25 * 60));
    assertEquals(IceState.COMPLETED, b.state());
    assertEquals(IceState.COMPLETED, a.state());
    assertTrue(turn.refreshes >= 2, "refreshes " + turn.refreshes);
    assertTrue(turn.channelBinds >= 3, "channel binds " + turn.channelBinds);
    assertDataFlows(h, a, b);
    b.agent.close(h.now());
    h.runFor(seconds(1));
    assertEquals(1, turn.deallocations);
    assertEquals(0, turn.liveAllocations());
    assertEquals(IceState.CLOSED, b.state());
  }

  @Test
  void staleNonceIsRenewedDuringRefreshes() {
    SimHarness h = new SimHarness(5);
    onlyTurnReachableFromB(h);
    // The nonce expires every 2 minutes: refreshes and permission renewals meet 438.
    SimTurnServer turn = h.add(new SimTurnServer(TURN, "user", "secret", seconds(120)));
    IceConfig withTurn = withTurn("secret");
    Peer a = h.peer("a", IceConfig.defaults(), true, 51, addr("192.0.2.10", 5000));
    Peer b = h.peer("b", withTurn, false, 52, B_HOST);
    connect(h, a, b);
    h.runFor(seconds(15 * 60));
    assertTrue(turn.staleNonces >= 1, "no 438 seen");
    assertEquals(IceState.COMPLETED, b.state());
    assertDataFlows(h, a, b);
  }

  @Test
  void wrongTurnPasswordEndsGatheringWithoutRelay() {
    SimHarness h = new SimHarness(6);
    SimTurnServer turn = h.add(new SimTurnServer(TURN, "user", "secret", seconds(3600)));
    IceConfig withTurn = withTurn("wrong");
    Peer b = h.peer("b", withTurn, false, 62, B_HOST);
    b.gather(h);
    assertTrue(h.runUntil(() -> b.agent.isGatheringComplete(), seconds(10)));
    assertFalse(
        b.agent.localCandidates().stream().anyMatch(c -> c.type() == CandidateType.RELAYED));
    assertTrue(turn.unauthorized >= 2);
  }

  @Test
  void gatheringCompletesWhenTheStunServerNeverAnswers() {
    SimHarness h = new SimHarness(7);
    IceConfig withStun = IceConfig.builder().stunServer(STUN).build(); // nobody at STUN
    Peer b = h.peer("b", withStun, false, 72, B_HOST);
    long start = h.now();
    b.gather(h);
    h.step(h.now());
    assertFalse(b.agent.isGatheringComplete());
    assertTrue(h.runUntil(() -> b.agent.isGatheringComplete(), seconds(10)));
    assertEquals(seconds(5), h.now() - start, "the configured gathering timeout");
    assertTrue(b.events.stream().anyMatch(e -> e instanceof IceEvent.GatheringComplete));
  }

  @Test
  void connectsWithTwentyPercentLossAndReordering() {
    SimHarness h = new SimHarness(8);
    h.net.setLossRate(0.2).setJitterNanos(seconds(0.08)).setDuplicateRate(0.05);
    Peer a = h.peer("a", IceConfig.defaults(), true, 81, A_HOST, addr("10.0.1.1", 5001));
    Peer b = h.peer("b", IceConfig.defaults(), false, 82, B_HOST, addr("10.0.1.2", 6001));
    connect(h, a, b);
    h.runFor(seconds(60));
    assertEquals(IceState.COMPLETED, a.state());
    assertEquals(IceState.COMPLETED, b.state());
    assertSamePair(a, b);
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void roleConflictIsResolvedByTheTieBreaker(boolean bothControlling) {
    SimHarness h = new SimHarness(9);
    Peer a = h.peer("a", IceConfig.defaults(), bothControlling, 91, A_HOST);
    Peer b = h.peer("b", IceConfig.defaults(), bothControlling, 92, B_HOST);
    connect(h, a, b);
    assertNotEquals(a.agent.isControlling(), b.agent.isControlling());
    Peer winner = Long.compareUnsigned(a.agent.tieBreaker(), b.agent.tieBreaker()) >= 0 ? a : b;
    // The larger tie-breaker ends controlling (RFC 8445 section 7.3.1.1).
    assertTrue(winner.agent.isControlling());
    assertTrue(a.agent.stats().roleConflicts() + b.agent.stats().roleConflicts() >= 1);
    assertTrue(count(a, IceEvent.RoleChanged.class) + count(b, IceEvent.RoleChanged.class) >= 1);
    assertSamePair(a, b);
    assertDataFlows(h, a, b);
  }

  @Test
  void trickledCandidatesArrivingAfterTheRemoteChecksAreMerged() {
    SimHarness h = new SimHarness(10);
    Peer a = h.peer("a", IceConfig.defaults(), true, 101, A_HOST);
    Peer b = h.peer("b", IceConfig.defaults(), false, 102, B_HOST);
    gatherAndExchangeCredentials(h, a, b);
    // Only a learns b's candidate; b learns a's address from a's checks (peer-reflexive).
    for (IceCandidate c : b.agent.localCandidates()) {
      a.agent.addRemoteCandidate(h.now(), c);
    }
    awaitCompleted(h, a, b, seconds(10));
    assertEquals(CandidateType.PEER_REFLEXIVE, b.agent.selectedPair().remote().type());
    // a's real candidate arrives late: merged with the peer-reflexive one, nothing breaks.
    for (IceCandidate c : a.agent.localCandidates()) {
      b.agent.addRemoteCandidate(h.now(), c);
    }
    h.runFor(seconds(10));
    assertEquals(1, b.agent.remoteCandidates().size());
    assertEquals(IceState.COMPLETED, b.state());
    assertDataFlows(h, a, b);
  }

  @Test
  void remoteCredentialsArrivingAfterTheRemoteChecks() {
    SimHarness h = new SimHarness(11);
    Peer a = h.peer("a", IceConfig.defaults(), true, 111, A_HOST);
    Peer b = h.peer("b", IceConfig.defaults(), false, 112, B_HOST);
    a.gather(h);
    b.gather(h);
    a.agent.setRemoteCredentials(b.agent.localCredentials());
    for (IceCandidate c : b.agent.localCandidates()) {
      a.agent.addRemoteCandidate(h.now(), c);
    }
    h.runFor(seconds(0.3));
    assertTrue(b.agent.stats().checksReceived() > 0);
    b.agent.setRemoteCredentials(a.agent.localCredentials());
    awaitCompleted(h, a, b, seconds(10));
  }

  @Test
  void trickleInReverseOrderWithManyCandidates() {
    SimHarness h = new SimHarness(12);
    h.add(new SimStunServer(STUN));
    IceConfig withStun = IceConfig.builder().stunServer(STUN).build();
    Peer a =
        h.peer("a", withStun, true, 121, A_HOST, addr("10.0.1.1", 5001), addr("fd00::1", 5002));
    Peer b = h.peer("b", withStun, false, 122, B_HOST, addr("fd00::2", 6002));
    a.gather(h);
    b.gather(h);
    h.runUntil(() -> a.agent.isGatheringComplete() && b.agent.isGatheringComplete(), seconds(10));
    a.agent.setRemoteCredentials(b.agent.localCredentials());
    b.agent.setRemoteCredentials(a.agent.localCredentials());
    java.util.List<IceCandidate> fromA = new java.util.ArrayList<>(a.agent.localCandidates());
    java.util.Collections.reverse(fromA);
    for (IceCandidate c : b.agent.localCandidates()) {
      a.agent.addRemoteCandidate(h.now(), c);
    }
    for (IceCandidate c : fromA) {
      h.runFor(seconds(0.02));
      b.agent.addRemoteCandidate(h.now(), c);
    }
    b.agent.endOfRemoteCandidates();
    awaitCompleted(h, a, b, seconds(10));
    // IPv6 is preferred (RFC 8421): the selected pair is the IPv6 one.
    assertTrue(
        a.agent.selectedPair().local().address().getAddress() instanceof java.net.Inet6Address);
    assertDataFlows(h, a, b);
  }

  @Test
  void consentHoldsForFiveMinutesAtTwentyPercentLossEachWayOverFiftySeeds() {
    int disconnects = 0;
    for (int seed = 0; seed < 50; seed++) {
      SimHarness h = new SimHarness(5000 + seed);
      h.net.setDelayNanos(seconds(0.010));
      Peer a = h.peer("a", IceConfig.defaults(), true, 2 * seed + 1, A_HOST);
      Peer b = h.peer("b", IceConfig.defaults(), false, 2 * seed + 2, B_HOST);
      connect(h, a, b);
      h.net.setLossRate(0.20);
      long checksBefore = a.agent.stats().checksSent();
      h.runFor(seconds(300));
      for (Peer p : new Peer[] {a, b}) {
        assertEquals(IceState.COMPLETED, p.state(), "seed " + seed + " " + p + ": " + p.states());
        if (p.states().contains(IceState.DISCONNECTED)) {
          disconnects++;
        }
      }
      // About 60 consent checks in 5 min, plus the retransmissions the losses called for.
      long sent = a.agent.stats().checksSent() - checksBefore;
      assertTrue(sent >= 60 && sent <= 150, "seed " + seed + ": " + sent + " consent requests");
    }
    assertEquals(0, disconnects, "DISCONNECTED in a healthy call at 20% loss");
  }

  @Test
  void consentRidesOutLossBurstsOfSecondsOverTwentySeeds() {
    for (int seed = 0; seed < 20; seed++) {
      SimHarness h = new SimHarness(6000 + seed);
      h.net.setDelayNanos(seconds(0.010));
      Peer a = h.peer("a", IceConfig.defaults(), true, 2 * seed + 101, A_HOST);
      Peer b = h.peer("b", IceConfig.defaults(), false, 2 * seed + 102, B_HOST);
      connect(h, a, b);
      // Bursts of 2 s on average (some 5 s and more) starting with 1 in 20 requests, plus 5%.
      h.net.setBurstLoss(0.05, seconds(2)).setLossRate(0.05);
      h.runFor(seconds(300));
      assertTrue(h.net.burstDropped() > 0, "no burst in seed " + seed);
      // A burst can outlast the 12 s to DISCONNECTED (one did, at the end of seed 0): what must
      // hold is that none lasts to FAILED and that consent comes back once the bursts stop.
      h.net.setBurstLoss(0, 0).setLossRate(0);
      h.runFor(seconds(8));
      for (Peer p : new Peer[] {a, b}) {
        assertEquals(IceState.COMPLETED, p.state(), "seed " + seed + " " + p + ": " + p.states());
        assertFalse(p.states().contains(IceState.FAILED), "seed " + seed + ": " + p.states());
      }
    }
  }

  @Test
  void consentLossReportsDisconnectedThenFailedAtTheConfiguredTimes() {
    SimHarness h = new SimHarness(13);
    IceConfig config =
        IceConfig.builder()
            .consentIntervalNanos(seconds(5))
            .disconnectedTimeoutNanos(seconds(12))
            .consentTimeoutNanos(seconds(30))
            .build();
    Peer a = h.peer("a", config, true, 131, A_HOST);
    Peer b = h.peer("b", config, false, 132, B_HOST);
    connect(h, a, b);
    h.runFor(seconds(3));
    long vanished = h.now();
    h.net.blackhole(B_HOST);
    assertTrue(h.runUntil(() -> a.state() == IceState.FAILED, seconds(60)));
    long disconnectedAfter = a.firstEntered.get(IceState.DISCONNECTED) - vanished;
    long failedAfter = a.firstEntered.get(IceState.FAILED) - vanished;
    // The last consent response came at most one interval (6 s) before the peer vanished.
    assertTrue(
        disconnectedAfter > seconds(6) && disconnectedAfter <= seconds(12),
        "disconnected after " + disconnectedAfter);
    assertTrue(
        failedAfter > seconds(24) && failedAfter <= seconds(30), "failed after " + failedAfter);
    assertEquals(null, a.agent.selectedPair());
    assertFalse(a.sendData(new byte[] {1}));
    assertTrue(
        a.events.stream()
            .anyMatch(e -> e instanceof IceEvent.SelectedPairChanged s && s.pair() == null));
  }

  @Test
  void iceRestartAfterConsentLossConnectsAgain() {
    SimHarness h = new SimHarness(19);
    Peer a = h.peer("a", IceConfig.defaults(), true, 191, A_HOST);
    Peer b = h.peer("b", IceConfig.defaults(), false, 192, B_HOST);
    connect(h, a, b);
    h.net.blackhole(B_HOST);
    assertTrue(
        h.runUntil(
            () -> a.state() == IceState.FAILED && b.state() == IceState.FAILED, seconds(40)));
    h.net.restore(B_HOST);
    h.runFor(seconds(5));
    assertEquals(IceState.FAILED, a.state(), "consent loss lasts until a restart");
    a.agent.restartIce(h.now(), true);
    b.agent.restartIce(h.now(), false);
    signalAgain(a, b);
    awaitCompleted(h, a, b, seconds(10));
    assertDataFlows(h, a, b);
  }

  /**
   * The controlled agent restarts (its side made the restart offer): the roles swap for the new
   * session, each agent reports it, the new session's pair is nominated by the new controlling
   * agent, and data flows on it with the new credentials.
   */
  @Test
  void aRestartFromTheControlledSideSwapsTheRoles() {
    SimHarness h = new SimHarness(23);
    Peer a = h.peer("a", IceConfig.defaults(), true, 231, A_HOST);
    Peer b = h.peer("b", IceConfig.defaults(), false, 232, B_HOST);
    connect(h, a, b);
    IceCredentials before = b.agent.localCredentials();
    b.agent.restartIce(h.now(), true);
    a.agent.restartIce(h.now(), false);
    signalAgain(a, b);
    awaitCompleted(h, a, b, seconds(10));
    h.runFor(seconds(1));
    assertFalse(before.equals(b.agent.localCredentials()));
    assertTrue(a.events.contains(new IceEvent.RoleChanged(false)), a.events.toString());
    assertTrue(b.events.contains(new IceEvent.RoleChanged(true)), b.events.toString());
    assertEquals(b.agent.localCredentials(), a.agent.remoteCredentials());
    assertTrue(b.agent.selectedPair().nominated(), "nominated by b, controlling now");
    assertDataFlows(h, a, b);
    assertEquals(0, a.agent.stats().roleConflicts() + b.agent.stats().roleConflicts());
  }

  @Test
  void disconnectedRecoversWhenThePeerComesBack() {
    SimHarness h = new SimHarness(14);
    Peer a = h.peer("a", IceConfig.defaults(), true, 141, A_HOST);
    Peer b = h.peer("b", IceConfig.defaults(), false, 142, B_HOST);
    connect(h, a, b);
    h.net.blackhole(B_HOST);
    assertTrue(h.runUntil(() -> a.state() == IceState.DISCONNECTED, seconds(20)));
    h.net.restore(B_HOST);
    assertTrue(h.runUntil(() -> a.state() == IceState.COMPLETED, seconds(10)));
    assertDataFlows(h, a, b);
  }

  @Test
  void iceRestartKeepsTheOldPairUntilANewOneIsSelected() {
    SimHarness h = new SimHarness(15);
    Peer a = h.peer("a", IceConfig.defaults(), true, 151, A_HOST, addr("10.0.1.1", 5001));
    Peer b = h.peer("b", IceConfig.defaults(), false, 152, B_HOST, addr("10.0.1.2", 6001));
    connect(h, a, b);
    IceCredentials oldA = a.agent.localCredentials();
    a.agent.restartIce(h.now(), true);
    b.agent.restartIce(h.now(), false);
    assertNotEquals(oldA, a.agent.localCredentials());
    // Before the new credentials are exchanged the old pair still carries data.
    assertNotNull(a.agent.selectedPair());
    assertDataFlows(h, a, b);
    signalAgain(a, b);
    int changes = count(a, IceEvent.SelectedPairChanged.class);
    assertTrue(
        h.runUntil(
            () ->
                count(a, IceEvent.SelectedPairChanged.class) > changes
                    && a.completed()
                    && b.completed(),
            seconds(10)));
    assertDataFlows(h, a, b);
    h.runFor(seconds(40));
    assertEquals(IceState.COMPLETED, a.state());
  }

  static int count(Peer p, Class<?> type) {
    return (int) p.events.stream().filter(type::isInstance).count();
  }

  @Test
  void mdnsCandidatesAreResolvedLaterAndUnresolvableOnesCounted() {
    SimHarness h = new SimHarness(16);
    Peer a = h.peer("a", IceConfig.defaults(), true, 161, A_HOST);
    Peer b = h.peer("b", IceConfig.defaults(), false, 162, B_HOST);
    gatherAndExchangeCredentials(h, a, b);
    IceCandidate real = b.agent.localCandidates().get(0);
    a.agent.addRemoteCandidate(
        h.now(),
        IceCandidate.parse("candidate:9 1 udp 2130706431 unknown-host.local 6000 typ host"));
    IceCandidate known =
        new IceCandidate(
            real.foundation(),
            real.priority(),
            InetSocketAddress.createUnresolved("known-4bcf.local", 6000),
            CandidateType.HOST,
            null);
    a.agent.addRemoteCandidate(h.now(), known);
    a.agent.addRemoteCandidate(h.now(), known); // the same name again: asked once
    h.runFor(seconds(1));
    java.util.List<String> asked = new java.util.ArrayList<>();
    for (IceEvent e : a.events) {
      if (e instanceof IceEvent.MdnsQuery q) {
        asked.add(q.hostname());
      }
    }
    assertEquals(java.util.List.of("unknown-host.local", "known-4bcf.local"), asked);
    a.agent.resolveMdns(h.now(), "unknown-host.local", null);
    a.agent.resolveMdns(h.now(), "nobody-asked.local", B_HOST.getAddress()); // ignored
    assertEquals(1, a.agent.stats().unresolvedMdns());
    assertEquals(IceState.NEW, a.state());
    a.agent.resolveMdns(h.now(), "KNOWN-4bcf.local", B_HOST.getAddress()); // the answer, later
    awaitCompleted(h, a, b, seconds(10));
    assertEquals(B_HOST, a.agent.selectedPair().remote().address());
  }

  @Test
  void aCheckWithTheWrongPasswordIsCountedAndChangesNothing() {
    SimHarness h = new SimHarness(17);
    Peer a = h.peer("a", IceConfig.defaults(), true, 171, A_HOST);
    Peer b = h.peer("b", IceConfig.defaults(), false, 172, B_HOST);
    connect(h, a, b);
    CandidatePair before = b.agent.selectedPair();
    IceCredentials creds = a.agent.localCredentials();
    byte[] forged =
        io.github.jpeer.stun.StunMessage.builder(
                io.github.jpeer.stun.StunClass.REQUEST,
                io.github.jpeer.stun.StunMethod.BINDING,
                io.github.jpeer.stun.TransactionId.random(h.random()))
            .username(b.agent.localCredentials().ufrag() + ":" + creds.ufrag())
            .priority(1)
            .iceControlling(1)
            .useCandidate()
            .messageIntegrity(
                io.github.jpeer.stun.StunCredentials.shortTermKey("wrongwrongwrongwrongwrong"))
            .fingerprint()
            .encode();
    InetSocketAddress attacker = addr("10.0.0.66", 7000);
    Received r = b.agent.handleReceive(h.now(), B_HOST, attacker, forged, 0, forged.length);
    assertEquals(Received.Kind.DROPPED, r.kind());
    assertEquals(1, b.agent.stats().badIntegrity());
    assertEquals(before, b.agent.selectedPair());
    assertEquals(IceState.COMPLETED, b.state());
    assertEquals(1, b.agent.remoteCandidates().size(), "no peer-reflexive candidate learned");
    assertEquals(null, b.agent.pollTransmit(), "nothing answered");
  }

  @Test
  void agentsWithMismatchedPasswordsNeverConnect() {
    SimHarness h = new SimHarness(18);
    Peer a = h.peer("a", IceConfig.defaults(), true, 181, A_HOST);
    Peer b = h.peer("b", IceConfig.defaults(), false, 182, B_HOST);
    a.gather(h);
    b.gather(h);
    a.agent.setRemoteCredentials(
        new IceCredentials(b.agent.localCredentials().ufrag(), "0000000000000000000000"));
    b.agent.setRemoteCredentials(a.agent.localCredentials());
    a.trickleTo = b;
    b.trickleTo = a;
    a.agent.addRemoteCandidate(h.now(), b.agent.localCandidates().get(0));
    b.agent.addRemoteCandidate(h.now(), a.agent.localCandidates().get(0));
    h.runFor(seconds(30));
    // a's checks carry the wrong MESSAGE-INTEGRITY: b drops and counts them, never answers,
    // so a never gets a valid pair; b (controlled) gets no nomination and never completes.
    assertFalse(a.firstEntered.containsKey(IceState.CONNECTED));
    assertFalse(b.firstEntered.containsKey(IceState.COMPLETED));
    assertTrue(b.agent.stats().badIntegrity() > 0);
  }
}
