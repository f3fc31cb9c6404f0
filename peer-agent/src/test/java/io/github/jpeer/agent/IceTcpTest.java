package io.github.jpeer.agent;

import static io.github.jpeer.agent.IceConnectivityTest.addr;
import static io.github.jpeer.agent.IceConnectivityTest.awaitCompleted;
import static io.github.jpeer.agent.IceConnectivityTest.connect;
import static io.github.jpeer.agent.SimHarness.seconds;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jpeer.agent.SimHarness.Peer;
import io.github.jpeer.stun.StreamFramer;
import io.github.jpeer.testkit.SimStreams;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ICE-TCP (RFC 6544) between two agents over simulated TCP ({@link SimStreams}) in virtual time,
 * with RFC 4571 framing in the harness the way a driver does it.
 */
class IceTcpTest {
  static final InetSocketAddress A_UDP = addr("10.0.0.1", 5000);
  static final InetSocketAddress B_UDP = addr("10.0.0.2", 6000);
  static final InetSocketAddress A_TCP = addr("10.0.0.1", 7000);
  static final InetSocketAddress B_TCP = addr("10.0.0.2", 8000);
  static final InetSocketAddress A_ACTIVE = addr("10.0.0.1", IceCandidate.DISCARD_PORT);
  static final InetSocketAddress B_ACTIVE = addr("10.0.0.2", IceCandidate.DISCARD_PORT);
  static final long ONE_WAY = seconds(0.001); // SimStreams' default delay

  static IceConfig tcpOnly() {
    return IceConfig.builder().udp(false).build();
  }

  /** Two TCP-only peers that also own UDP sockets (which must stay silent). */
  static Peer[] tcpOnlyPeers(SimHarness h, boolean aControlling) {
    Peer a = h.peer("a", tcpOnly(), aControlling, 11, List.of(A_UDP), List.of(A_TCP));
    Peer b = h.peer("b", tcpOnly(), !aControlling, 12, List.of(B_UDP), List.of(B_TCP));
    return new Peer[] {a, b};
  }

  static List<Transmit> packetsOn(Peer p, InetSocketAddress local, InetSocketAddress remote) {
    List<Transmit> out = new ArrayList<>();
    for (Transmit t : p.streamTransmits) {
      if (!t.isClose() && t.local().equals(local) && t.destination().equals(remote)) {
        out.add(t);
      }
    }
    return out;
  }

  static long closes(Peer p, InetSocketAddress local, InetSocketAddress remote) {
    return p.streamTransmits.stream()
        .filter(t -> t.isClose() && t.local().equals(local) && t.destination().equals(remote))
        .count();
  }

  @ParameterizedTest(name = "a controlling {0}, chunks of {1} to {2} bytes")
  @CsvSource({"true, 1, 1", "false, 1, 1", "true, 1, 150", "false, 1, 150"})
  void tcpOnlyAgentsConnectAndCarryDataBothWays(boolean aControlling, int minChunk, int maxChunk) {
    SimHarness h = new SimHarness(aControlling ? 101 : 102);
    h.streams.setChunkSizes(minChunk, maxChunk);
    Peer[] peers = tcpOnlyPeers(h, aControlling);
    Peer a = peers[0];
    Peer b = peers[1];
    Peer controlling = aControlling ? a : b;
    Peer controlled = aControlling ? b : a;
    InetSocketAddress dialler = aControlling ? A_ACTIVE : B_ACTIVE;
    InetSocketAddress listener = aControlling ? B_TCP : A_TCP;
    connect(h, a, b);

    // Only TCP candidates are signalled, and no UDP datagram ever left.
    for (Peer p : peers) {
      assertEquals(2, p.agent.localCandidates().size(), p + " " + p.agent.localCandidates());
      assertTrue(p.agent.localCandidates().stream().allMatch(IceCandidate::isTcp));
      assertEquals(StreamFramer.Framing.RFC_4571, p.agent.selectedFraming());
    }
    assertEquals(0, h.net.sent());

    // The controlling agent's active candidate dialled the controlled one's passive candidate
    // (that pair has the higher priority: 90 above the peer-reflexive 80 on the controlled side).
    CandidatePair ours = controlling.agent.selectedPair();
    assertEquals(dialler, ours.local().address());
    assertEquals(IceCandidate.TcpType.ACTIVE, ours.local().tcpType());
    assertEquals(listener, ours.remote().address());
    assertEquals(IceCandidate.TcpType.PASSIVE, ours.remote().tcpType());
    SimStreams.End dialled = h.streamEnd(controlling, dialler, listener);
    assertNotNull(dialled);
    CandidatePair theirs = controlled.agent.selectedPair();
    assertEquals(listener, theirs.local().address());
    assertEquals(IceCandidate.TcpType.PASSIVE, theirs.local().tcpType());
    // The far end as the accepted socket sees it: the dialler's IP and ephemeral port.
    assertEquals(dialled.local(), theirs.remote().address());
    assertEquals(CandidateType.PEER_REFLEXIVE, theirs.remote().type());
    assertEquals(IceCandidate.TcpType.ACTIVE, theirs.remote().tcpType());
    assertTrue(theirs.remote().address().getPort() >= SimStreams.FIRST_EPHEMERAL_PORT);

    // Application data both ways, of sizes that make frames span chunks (and chunks span frames).
    Random sizes = new Random(7);
    List<byte[]> toControlled = new ArrayList<>();
    List<byte[]> toControlling = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      byte[] x = new byte[1 + sizes.nextInt(1200)];
      byte[] y = new byte[1 + sizes.nextInt(1200)];
      sizes.nextBytes(x);
      sizes.nextBytes(y);
      x[0] = (byte) 0x80; // RTP-like first byte: never taken for STUN
      y[0] = (byte) 0x80;
      toControlled.add(x);
      toControlling.add(y);
      assertTrue(controlling.sendData(x));
      assertTrue(controlled.sendData(y));
    }
    assertTrue(
        h.runUntil(
            () -> controlled.appData.size() == 20 && controlling.appData.size() == 20, seconds(2)),
        () -> controlled.appData.size() + " / " + controlling.appData.size());
    for (int i = 0; i < 20; i++) {
      assertArrayEquals(toControlled.get(i), controlled.appData.get(i), "to controlled #" + i);
      assertArrayEquals(toControlling.get(i), controlling.appData.get(i), "to controlling #" + i);
      assertEquals(theirs.remote().address(), controlled.appDataPairs.get(i).remote().address());
      assertEquals(listener, controlling.appDataPairs.get(i).remote().address());
    }
    assertEquals(0, a.agent.stats().dropped() + b.agent.stats().dropped());
    assertEquals(0, h.streams.bytesDropped());
    // The controlled agent's own dial (to the controlling one's listener) was pruned after the
    // nomination: only the selected pair's connection is left.
    assertEquals(2, h.streams.connectCount());
    assertEquals(1, h.streams.connections());
    assertTrue(h.streams.isOpen(dialled));
    InetSocketAddress otherActive = aControlling ? B_ACTIVE : A_ACTIVE;
    InetSocketAddress otherListener = aControlling ? A_TCP : B_TCP;
    assertNull(h.streamEnd(controlled, otherActive, otherListener));
  }

  @Test
  void withUdpAndTcpTheUdpPairWinsAndTheTcpConnectionsAreClosed() {
    SimHarness h = new SimHarness(201);
    Peer a = h.peer("a", IceConfig.defaults(), true, 21, List.of(A_UDP), List.of(A_TCP));
    Peer b = h.peer("b", IceConfig.defaults(), false, 22, List.of(B_UDP), List.of(B_TCP));
    connect(h, a, b);
    for (Peer p : new Peer[] {a, b}) {
      CandidatePair sel = p.agent.selectedPair();
      assertFalse(sel.local().isTcp(), p + " selected " + sel);
      assertFalse(sel.remote().isTcp(), p + " selected " + sel);
      assertNull(p.agent.selectedFraming());
      assertEquals(CandidateType.HOST, sel.local().type());
    }
    assertEquals(A_UDP, a.agent.selectedSocket());
    assertEquals(B_UDP, a.agent.selectedDestination());
    // a nominates its UDP pair as soon as it succeeds (the best pair it has), so its own TCP check
    // never comes due; b checks on until it hears the nomination, and dials a's listener.
    Set<InetSocketAddress> dialledTo = new HashSet<>();
    for (SimStreams.End e : h.streams.connects()) {
      dialledTo.add(e.remote());
    }
    assertEquals(Set.of(A_TCP), dialledTo);
    assertEquals(1, packetsOn(b, B_ACTIVE, A_TCP).size());
    h.runFor(seconds(1));
    // Every connection opened is closed again at both ends, because an agent asked for it: its
    // pair was pruned after the nomination (the far end, told of the close, asks nothing more).
    assertEquals(0, h.streams.connections(), "connections left open");
    for (SimStreams.End e : h.streams.connects()) {
      assertFalse(h.streams.isOpen(e), e + " still open");
      Peer dialler = e.local().getAddress().equals(A_TCP.getAddress()) ? a : b;
      Peer acceptor = dialler == a ? b : a;
      InetSocketAddress active = new InetSocketAddress(e.local().getAddress(), 9);
      long byDialler = closes(dialler, active, e.remote());
      long byAcceptor = closes(acceptor, e.remote(), e.local());
      assertTrue(byDialler <= 1 && byAcceptor <= 1, e + ": " + byDialler + ", " + byAcceptor);
      assertTrue(byDialler + byAcceptor >= 1, e + " was closed by no agent");
    }
    for (Peer p : new Peer[] {a, b}) {
      // No stream packet went out after that peer's close request for the same pair.
      for (int i = 0; i < p.streamTransmits.size(); i++) {
        Transmit c = p.streamTransmits.get(i);
        if (c.isClose()) {
          for (Transmit later : p.streamTransmits.subList(i + 1, p.streamTransmits.size())) {
            assertFalse(
                later.local().equals(c.local()) && later.destination().equals(c.destination()),
                p + " sent on " + c.local() + " -> " + c.destination() + " after closing it");
          }
        }
      }
    }
    // The data path is the UDP one and keeps working.
    IceConnectivityTest.assertDataFlows(h, a, b);
  }

  @Test
  void aCheckOverTcpIsSentOnceAndFailsAfterTheTimeUdpWouldHaveRetransmitted() {
    SimHarness h = new SimHarness(301);
    Peer[] peers = tcpOnlyPeers(h, true);
    Peer a = peers[0];
    Peer b = peers[1];
    a.gather(h);
    b.gather(h);
    SimHarness.signal(a, b);
    // Every connection loses its bytes from the moment it is made (before any could arrive).
    long limit = h.now() + seconds(20);
    while (h.now() < limit && !(a.state() == IceState.FAILED && b.state() == IceState.FAILED)) {
      h.step(limit);
      for (SimStreams.End e : h.streams.connects()) {
        h.streams.blackhole(e);
      }
    }
    assertEquals(IceState.FAILED, a.state());
    assertEquals(IceState.FAILED, b.state());
    assertEquals(0, h.streams.bytesDelivered());
    assertEquals(2, h.streams.connectCount());

    List<Transmit> checks = packetsOn(a, A_ACTIVE, B_TCP);
    assertEquals(1, checks.size(), "checks sent on a's TCP pair");
    assertEquals(1, a.agent.stats().checksSent());
    assertEquals(1, packetsOn(b, B_ACTIVE, A_TCP).size());
    assertEquals(1, b.agent.stats().checksSent());
    assertEquals(1, a.agent.stats().pairsFailed());
    // RFC 6544 section 7.1: the one check fails when a UDP one sent 7 times would have given up:
    // RTO 250 ms (one pair in progress: Ta = 50 ms is below the 250 ms floor), doubling to the
    // 1 s cap, over 7 transmissions: 250 + 500 + 1000 * 5 ms.
    long sentAt = a.streamTransmitNanos.get(a.streamTransmits.indexOf(checks.get(0)));
    assertEquals(seconds(5.75), a.firstEntered.get(IceState.FAILED) - sentAt);
    // The failed pair's connection is closed, once.
    assertEquals(1, closes(a, A_ACTIVE, B_TCP));
  }

  @Test
  void aRemoteActiveCandidateIsNeverDialled() {
    SimHarness h = new SimHarness(401);
    Peer[] peers = tcpOnlyPeers(h, true);
    Peer a = peers[0];
    Peer b = peers[1];
    a.gather(h);
    b.gather(h);
    SimHarness.signal(a, b); // each signals its own active candidate at port 9
    assertTrue(a.agent.remoteCandidates().stream().anyMatch(c -> c.address().equals(B_ACTIVE)));
    // More that must never be dialled: active at a real port, simultaneous-open, passive at 9.
    for (String line :
        new String[] {
          "7 1 tcp 1518280447 10.0.0.2 8100 typ host tcptype active",
          "8 1 tcp 1518280447 10.0.0.2 8200 typ host tcptype so",
          "9 1 tcp 1518280447 10.0.0.3 9 typ host tcptype passive",
        }) {
      a.agent.addRemoteCandidate(h.now(), IceCandidate.parse(line));
    }
    h.streams.listen(addr("10.0.0.2", 8100));
    h.streams.listen(addr("10.0.0.2", 8200));
    h.streams.listen(addr("10.0.0.3", 9));
    awaitCompleted(h, a, b, seconds(30));
    h.runFor(seconds(10));
    // The only connects: each active candidate to the other's passive one, once.
    List<InetSocketAddress> dialledTo = new ArrayList<>();
    for (SimStreams.End e : h.streams.connects()) {
      dialledTo.add(e.remote());
    }
    dialledTo.sort(java.util.Comparator.comparing(InetSocketAddress::toString));
    assertEquals(List.of(A_TCP, B_TCP), dialledTo);
    for (CandidatePair p : a.agent.pairs()) {
      assertFalse(
          p.local().tcpType() == IceCandidate.TcpType.ACTIVE
              && p.remote().tcpType() != IceCandidate.TcpType.PASSIVE,
          "a pair dials " + p.remote());
      assertTrue(p.remote().address().getPort() != IceCandidate.DISCARD_PORT, "pair " + p);
    }
    for (Peer p : peers) {
      for (Transmit t : p.streamTransmits) {
        assertTrue(t.destination().getPort() != IceCandidate.DISCARD_PORT, p + " sent " + t);
      }
    }
  }

  @Test
  void aRefusedConnectionFailsItsPairAtOnceAndTheAgentWhenNothingIsLeft() {
    SimHarness h = new SimHarness(501);
    Peer a = h.peer("a", tcpOnly(), true, 51, List.of(), List.of(A_TCP));
    a.gather(h);
    IceAgent far = new IceAgent(IceConfig.defaults(), false, SimHarness.seededRandom(52));
    a.agent.setRemoteCredentials(far.localCredentials());
    // Nothing listens at the remote passive candidate.
    a.agent.addRemoteCandidate(
        h.now(), IceCandidate.parse("1 1 tcp 1518280447 10.0.0.2 8000 typ host tcptype passive"));
    assertTrue(h.runUntil(() -> a.state() == IceState.FAILED, seconds(10)), "state " + a.state());
    assertEquals(1, h.streams.refused());
    assertEquals(1, a.streamTransmits.size(), "only the check: no close for a refused connect");
    Transmit check = a.streamTransmits.get(0);
    assertEquals(A_ACTIVE, check.local());
    assertEquals(B_TCP, check.destination());
    assertEquals(List.of(h.streams.connects().get(0)), a.streamsLost);
    // Refused one round trip after the connect, not at the check's 5.75 s timeout.
    assertEquals(2 * ONE_WAY, a.firstEntered.get(IceState.FAILED) - a.streamTransmitNanos.get(0));
    assertEquals(1, a.agent.stats().pairsFailed());
    assertEquals(1, a.agent.stats().checksSent());
    assertEquals(List.of(IceState.CHECKING, IceState.FAILED), a.states());
  }

  @Test
  void aRemoteActiveCandidateKeepsTheAgentFromFailingUntilItsConnectionCouldHaveCome() {
    SimHarness h = new SimHarness(503);
    Peer a = h.peer("a", tcpOnly(), true, 53, List.of(), List.of(A_TCP));
    a.gather(h);
    IceAgent far = new IceAgent(IceConfig.defaults(), false, SimHarness.seededRandom(54));
    a.agent.setRemoteCredentials(far.localCredentials());
    long signalled = h.now();
    // Our dial is refused, but the remote may still connect to our passive candidate: it never
    // does here, so FAILED comes when a check of ours would have given up (5.75 s), not at once.
    a.agent.addRemoteCandidate(
        h.now(), IceCandidate.parse("1 1 tcp 1518280447 10.0.0.2 8000 typ host tcptype passive"));
    a.agent.addRemoteCandidate(
        h.now(), IceCandidate.parse("2 1 tcp 1526668799 10.0.0.2 9 typ host tcptype active"));
    assertTrue(h.runUntil(() -> a.state() == IceState.FAILED, seconds(10)), "state " + a.state());
    assertEquals(1, h.streams.refused());
    assertEquals(5_750_000_000L, a.firstEntered.get(IceState.FAILED) - signalled);
    assertEquals(List.of(IceState.CHECKING, IceState.FAILED), a.states());
  }

  @Test
  void aRefusedConnectionFailsOnlyItsPairWhileAnotherWorks() {
    SimHarness h = new SimHarness(502);
    Peer[] peers = tcpOnlyPeers(h, true);
    Peer a = peers[0];
    Peer b = peers[1];
    a.gather(h);
    b.gather(h);
    InetSocketAddress nobody = addr("10.0.0.2", 8001);
    SimHarness.signal(a, b);
    // Above b's own passive candidate, so that it is checked first (a nominates its best pair as
    // soon as that pair succeeds, and checks nothing else then).
    a.agent.addRemoteCandidate(
        h.now(), IceCandidate.parse("5 1 tcp 2000000000 10.0.0.2 8001 typ host tcptype passive"));
    awaitCompleted(h, a, b, seconds(10));
    assertEquals(1, h.streams.refused());
    assertEquals(1, a.streamsLost.stream().filter(e -> e.remote().equals(nobody)).count());
    assertEquals(1, packetsOn(a, A_ACTIVE, nobody).size());
    assertEquals(0, closes(a, A_ACTIVE, nobody));
    assertEquals(B_TCP, a.agent.selectedPair().remote().address());
    assertFalse(a.states().contains(IceState.FAILED));
  }

  @ParameterizedTest(name = "a controlling {0}")
  @ValueSource(booleans = {true, false})
  void consentOverTcpKeepsTheCallAndAClosedConnectionEndsIt(boolean aControlling) {
    SimHarness h = new SimHarness(aControlling ? 601 : 602);
    Peer[] peers = tcpOnlyPeers(h, aControlling);
    Peer a = peers[0];
    Peer b = peers[1];
    connect(h, a, b);
    List<IceState> statesBefore = a.states();
    InetSocketAddress aLocal = a.agent.selectedSocket();
    InetSocketAddress aRemote = a.agent.selectedDestination();
    long sentBefore = a.agent.stats().checksSent();
    long receivedBefore = a.agent.stats().checksReceived();
    int packetsBefore = packetsOn(a, aLocal, aRemote).size();

    h.runFor(seconds(60));
    for (Peer p : peers) {
      assertEquals(IceState.COMPLETED, p.state(), p.toString());
    }
    assertEquals(statesBefore, a.states(), "no state change during 60 s of consent");
    long consentSent = a.agent.stats().checksSent() - sentBefore;
    long consentAnswered = a.agent.stats().checksReceived() - receivedBefore;
    // One every 5 s +/- 20%: 60 s gives 10 to 15.
    assertTrue(consentSent >= 10 && consentSent <= 15, "consent checks " + consentSent);
    // Each request and each answer went once on the selected connection: no retransmission.
    assertEquals(
        consentSent + consentAnswered, packetsOn(a, aLocal, aRemote).size() - packetsBefore);
    assertEquals(0, h.streams.bytesDropped());

    // b's side of the selected connection closes; a hears it one delay later and fails.
    InetSocketAddress bLocal = b.agent.selectedSocket();
    InetSocketAddress bRemote = b.agent.selectedDestination();
    assertNotNull(h.streamEnd(b, bLocal, bRemote));
    long closedAt = h.now();
    h.hangUp(b, bLocal, bRemote);
    assertTrue(h.runUntil(() -> a.state() == IceState.FAILED, seconds(1)), "a " + a.state());
    assertEquals(ONE_WAY, a.firstEntered.get(IceState.FAILED) - closedAt);
    assertEquals(IceState.FAILED, b.state());
    assertEquals(closedAt, b.firstEntered.get(IceState.FAILED));
    assertEquals(0, closes(a, aLocal, aRemote), "a was told: nothing left to close");
  }

  @Test
  void aResetSelectedConnectionFailsBothEnds() {
    SimHarness h = new SimHarness(604);
    h.streams.setChunkSizes(1, 40);
    Peer[] peers = tcpOnlyPeers(h, false);
    Peer a = peers[0];
    Peer b = peers[1];
    connect(h, a, b);
    InetSocketAddress aLocal = a.agent.selectedSocket();
    InetSocketAddress aRemote = a.agent.selectedDestination();
    InetSocketAddress bLocal = b.agent.selectedSocket();
    InetSocketAddress bRemote = b.agent.selectedDestination();
    SimStreams.End end = h.streamEnd(a, aLocal, aRemote);
    SimStreams.End bEnd = h.streamEnd(b, bLocal, bRemote);
    assertNotNull(end);
    assertEquals(new SimStreams.End(end.remote(), end.local()), bEnd, "the same connection");
    long resetAt = h.now();
    h.streams.reset(resetAt, end);
    assertTrue(
        h.runUntil(() -> a.state() == IceState.FAILED && b.state() == IceState.FAILED, seconds(1)),
        a.state() + " / " + b.state());
    // Both ends hear of it at once, and neither asks to close what is already gone.
    assertEquals(resetAt, a.firstEntered.get(IceState.FAILED));
    assertEquals(resetAt, b.firstEntered.get(IceState.FAILED));
    assertFalse(h.streams.isOpen(end));
    assertFalse(h.streams.isOpen(bEnd));
    assertTrue(a.streamsLost.contains(end));
    assertTrue(b.streamsLost.contains(bEnd));
    assertEquals(0, closes(a, aLocal, aRemote));
    assertEquals(0, closes(b, bLocal, bRemote));
    // No pair is left to carry data, so nothing dials again.
    long connects = h.streams.connectCount();
    for (Peer p : peers) {
      assertNull(p.agent.selectedPair());
      assertTrue(p.events.contains(new IceEvent.SelectedPairChanged(null)), p.toString());
      assertFalse(p.sendData(new byte[] {(byte) 0x80}));
    }
    h.runFor(seconds(10));
    assertEquals(connects, h.streams.connectCount());
    assertEquals(0, h.streams.connections(), "the pruned connection is closed too");
  }

  @Test
  void withUdpOffItsSocketsNeitherSignalNorAnswer() {
    // b (UDP and TCP) learns a's UDP host address anyway and checks it: a, TCP only, stays mute
    // on UDP, and the call goes over TCP.
    SimHarness h = new SimHarness(701);
    long[] fromAUdp = {0};
    h.net.setMiddlebox(
        d -> {
          if (d.from().equals(A_UDP)) {
            fromAUdp[0]++;
          }
          return d;
        });
    Peer a = h.peer("a", tcpOnly(), true, 71, List.of(A_UDP), List.of(A_TCP));
    Peer b = h.peer("b", IceConfig.defaults(), false, 72, List.of(B_UDP), List.of(B_TCP));
    a.gather(h);
    b.gather(h);
    SimHarness.signal(a, b);
    b.agent.addRemoteCandidate(
        h.now(), IceCandidate.parse("99 1 udp 2122194687 10.0.0.1 5000 typ host"));
    awaitCompleted(h, a, b, seconds(30));
    h.runFor(seconds(10));
    assertEquals(0, fromAUdp[0], "datagrams from a's UDP socket");
    assertTrue(h.net.sent() > 0, "b did check a's UDP address");
    assertTrue(a.agent.stats().unknownSource() > 0);
    assertEquals(StreamFramer.Framing.RFC_4571, a.agent.selectedFraming());
    assertEquals(StreamFramer.Framing.RFC_4571, b.agent.selectedFraming());
    assertTrue(a.agent.localCandidates().stream().allMatch(IceCandidate::isTcp));
  }

  @Test
  void anIceRestartOverTcpKeepsTheCallUp() {
    // The new session's pairs run over the same connections as the old session's (a connection is
    // named by its two addresses): when the new session's pair takes over and the old session's
    // pairs are pruned, the connection they share stays open.
    SimHarness h = new SimHarness(801);
    Peer[] peers = tcpOnlyPeers(h, true);
    Peer a = peers[0];
    Peer b = peers[1];
    connect(h, a, b);
    IceCredentials before = a.agent.localCredentials();
    a.agent.restartIce(h.now(), true);
    b.agent.restartIce(h.now(), false);
    IceConnectivityTest.signalAgain(a, b);
    awaitCompleted(h, a, b, seconds(10));
    assertFalse(before.equals(a.agent.localCredentials()));
    h.runFor(seconds(10));
    for (Peer p : peers) {
      assertEquals(IceState.COMPLETED, p.state(), p + " " + p.states());
      assertEquals(StreamFramer.Framing.RFC_4571, p.agent.selectedFraming());
    }
    IceConnectivityTest.assertDataFlows(h, a, b);
  }

  @Test
  void aRoleConflictOverTcpIsResolved() {
    SimHarness h = new SimHarness(802);
    Peer a = h.peer("a", tcpOnly(), true, 81, List.of(), List.of(A_TCP));
    Peer b = h.peer("b", tcpOnly(), true, 82, List.of(), List.of(B_TCP));
    connect(h, a, b);
    assertTrue(a.agent.isControlling() != b.agent.isControlling());
    assertTrue(a.agent.stats().roleConflicts() + b.agent.stats().roleConflicts() >= 1);
    IceConnectivityTest.assertDataFlows(h, a, b);
    h.runFor(seconds(10));
    assertEquals(IceState.COMPLETED, a.state());
    assertEquals(IceState.COMPLETED, b.state());
  }

  @Test
  void aClosedSelectedConnectionGoesFromCompletedStraightToFailed() {
    // The call's connection closed: consent is lost at once, COMPLETED straight to FAILED with no
    // DISCONNECTED on the way (it would be one for no time at all).
    SimHarness h = new SimHarness(603);
    Peer[] peers = tcpOnlyPeers(h, true);
    Peer a = peers[0];
    Peer b = peers[1];
    connect(h, a, b);
    int aStates = a.states().size();
    int bStates = b.states().size();
    h.hangUp(b, b.agent.selectedSocket(), b.agent.selectedDestination());
    assertTrue(h.runUntil(() -> a.state() == IceState.FAILED, seconds(1)), "a " + a.state());
    assertEquals(List.of(IceState.FAILED), a.states().subList(aStates, a.states().size()));
    assertEquals(List.of(IceState.FAILED), b.states().subList(bStates, b.states().size()));
  }
}
