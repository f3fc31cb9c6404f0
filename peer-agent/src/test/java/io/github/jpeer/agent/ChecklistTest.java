package io.github.jpeer.agent;

import static io.github.jpeer.agent.IceConnectivityTest.A_HOST;
import static io.github.jpeer.agent.IceConnectivityTest.B_HOST;
import static io.github.jpeer.agent.IceConnectivityTest.addr;
import static io.github.jpeer.agent.SimHarness.seconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jpeer.agent.SimHarness.Peer;
import io.github.jpeer.testkit.Datagram;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Pacing, retransmission, pair ordering and nomination details. */
class ChecklistTest {

  @Test
  void aCheckIsSentSevenTimesWithADoublingCappedRtoThenThePairFails() {
    SimHarness h = new SimHarness(41);
    List<Long> sendTimes = new ArrayList<>();
    InetSocketAddress nobody = addr("10.0.0.99", 9999);
    long start = h.now();
    h.net.setMiddlebox(
        d -> {
          if (d.to().equals(nobody)) {
            sendTimes.add(h.now() - start);
            return null;
          }
          return d;
        });
    Peer a = h.peer("a", IceConfig.defaults(), true, 411, A_HOST);
    a.gather(h);
    a.agent.setRemoteCredentials(IceCredentials.random(h.random()));
    a.agent.addRemoteCandidate(
        h.now(), new IceCandidate("1", 100, nobody, CandidateType.HOST, null));
    assertTrue(h.runUntil(() -> a.state() == IceState.FAILED, seconds(60)));
    // RTO 250 ms (libwebrtc's first STUN retransmission), doubling, capped at 1 s; 7 sends.
    assertEquals(
        List.of(
            0L,
            seconds(0.25),
            seconds(0.75),
            seconds(1.75),
            seconds(2.75),
            seconds(3.75),
            seconds(4.75)),
        sendTimes);
    assertEquals(seconds(5.75), a.firstEntered.get(IceState.FAILED) - start);
    assertEquals(1, a.agent.stats().pairsFailed());
  }

  @Test
  void checksArePacedByTaInPriorityOrder() {
    SimHarness h = new SimHarness(42);
    List<Datagram> sent = new ArrayList<>();
    List<Long> times = new ArrayList<>();
    long start = h.now();
    h.net.setMiddlebox(
        d -> {
          sent.add(d);
          times.add(h.now() - start);
          return null; // nothing answers
        });
    IceConfig config = IceConfig.builder().taNanos(seconds(0.02)).build();
    Peer a = h.peer("a", config, true, 421, A_HOST);
    a.gather(h);
    a.agent.setRemoteCredentials(IceCredentials.random(h.random()));
    // Three remote candidates with distinct foundations and priorities, added worst first.
    a.agent.addRemoteCandidate(
        h.now(), new IceCandidate("1", 1000, addr("10.0.0.11", 1), CandidateType.HOST, null));
    a.agent.addRemoteCandidate(
        h.now(), new IceCandidate("2", 3000, addr("10.0.0.12", 1), CandidateType.HOST, null));
    a.agent.addRemoteCandidate(
        h.now(), new IceCandidate("3", 2000, addr("10.0.0.13", 1), CandidateType.HOST, null));
    h.runFor(seconds(0.05));
    assertEquals(3, sent.size());
    assertEquals(addr("10.0.0.12", 1), sent.get(0).to());
    assertEquals(addr("10.0.0.13", 1), sent.get(1).to());
    assertEquals(addr("10.0.0.11", 1), sent.get(2).to());
    assertEquals(List.of(0L, seconds(0.02), seconds(0.04)), times);
    List<CandidatePair> pairs = a.agent.pairs();
    assertTrue(Long.compareUnsigned(pairs.get(0).priority(), pairs.get(1).priority()) > 0);
    assertEquals(
        IceCandidate.pairPriority(a.agent.localCandidates().get(0).priority(), 3000),
        pairs.get(0).priority());
  }

  @Test
  void aggressiveNominationCompletesWithTheFirstChecks() {
    SimHarness h = new SimHarness(43);
    IceConfig aggressive = IceConfig.builder().aggressiveNomination(true).build();
    Peer a = h.peer("a", aggressive, true, 431, A_HOST);
    Peer b = h.peer("b", IceConfig.defaults(), false, 432, B_HOST);
    IceConnectivityTest.connect(h, a, b);
    assertTrue(
        a.firstEntered.get(IceState.COMPLETED) - a.firstEntered.get(IceState.CHECKING)
            < seconds(0.1));
    IceConnectivityTest.assertDataFlows(h, a, b);
  }

  @Test
  void regularNominationWaitsForBetterPairsOnlyUpToTheDelay() {
    SimHarness h = new SimHarness(44);
    // a has a second, better (IPv6) socket whose pair never answers.
    InetSocketAddress deadV6 = addr("fd00::1", 5000);
    h.net.setMiddlebox(d -> d.from().equals(deadV6) || d.to().equals(deadV6) ? null : d);
    IceConfig config = IceConfig.builder().nominationDelayNanos(seconds(2)).build();
    Peer a = h.peer("a", config, true, 441, deadV6, A_HOST);
    Peer b = h.peer("b", IceConfig.defaults(), false, 442, B_HOST, addr("fd00::2", 6000));
    IceConnectivityTest.connect(h, a, b);
    long connected = a.firstEntered.get(IceState.CONNECTED);
    long completed = a.firstEntered.get(IceState.COMPLETED);
    assertTrue(completed - connected >= seconds(1.9), "nominated after " + (completed - connected));
    assertTrue(completed - connected < seconds(2.5));
    assertEquals(A_HOST, a.agent.selectedPair().local().address());
  }
}
