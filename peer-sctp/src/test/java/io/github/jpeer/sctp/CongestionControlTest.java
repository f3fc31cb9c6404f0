package io.github.jpeer.sctp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The congestion window alone (RFC 9260 7.2), with an MTU of 1200 bytes. */
class CongestionControlTest {
  private static final int MTU = 1200;
  private final CongestionControl cc = new CongestionControl(SctpConfig.builder().mtu(MTU).build());

  /** Starts and grows the window over ten fully used round trips. */
  private void startAndGrow() {
    cc.start(100_000);
    for (int i = 0; i < 10; i++) {
      cc.onAck(true, MTU, cc.cwnd());
    }
  }

  // RFC 9260 7.2.1: initial cwnd = min(4 * MTU, max(2 * MTU, 4380))
  @Test
  void initialWindow() {
    cc.start(100_000);
    assertEquals(4380, cc.cwnd());
  }

  // RFC 9260 7.2.1: in slow start cwnd grows by at most one MTU per SACK, and only if it was used
  @Test
  void slowStartGrowsByAtMostOneMtuWhenTheWindowWasUsed() {
    cc.start(100_000);
    cc.onAck(true, 3000, 4000);
    assertEquals(4380 + MTU, cc.cwnd());
    cc.onAck(true, 3000, 100);
    assertEquals(4380 + MTU, cc.cwnd(), "window not used: no growth");
    cc.onAck(false, 3000, 6000);
    assertEquals(4380 + MTU, cc.cwnd(), "cumulative ack did not move: no growth");
  }

  // RFC 9260 7.2.3: after T3, ssthresh = max(cwnd / 2, 4 * MTU) and cwnd = 1 MTU
  @Test
  void timeoutRestartsFromOneMtu() {
    cc.start(100_000);
    cc.onRetransmissionTimeout();
    assertEquals(MTU, cc.cwnd());
    // now in slow start up to ssthresh = 4 * MTU
    cc.onAck(true, MTU, MTU);
    assertEquals(2 * MTU, cc.cwnd());
  }

  // RFC 9260 7.2.3: one reduction per loss episode; no growth until the episode ends
  @Test
  void oneReductionPerEpisode() {
    startAndGrow();
    long before = cc.cwnd();
    assertTrue(cc.onLoss(50, 40));
    long reduced = Math.max(before / 2, 4L * MTU);
    assertEquals(reduced, cc.cwnd());
    assertFalse(cc.onLoss(60, 45), "same episode");
    assertEquals(reduced, cc.cwnd());
    cc.onCumulativeAck(49);
    cc.onAck(true, MTU, reduced);
    assertEquals(reduced, cc.cwnd(), "still recovering");
    cc.onCumulativeAck(50);
    cc.onAck(true, MTU, reduced);
    assertTrue(cc.cwnd() >= reduced, "episode over: the window may grow again");
  }

  // RFC 3522 (Eifel) as applied here: a spurious retransmission of the trigger undoes the cut
  @Test
  void spuriousTriggerUndoesTheReduction() {
    startAndGrow();
    long before = cc.cwnd();
    cc.onLoss(50, 40);
    cc.onSpuriousRetransmission(41);
    assertEquals(Math.max(before / 2, 4L * MTU), cc.cwnd(), "another TSN: no undo");
    cc.onSpuriousRetransmission(40);
    assertEquals(before, cc.cwnd());
    assertTrue(cc.onLoss(70, 60), "the undone episode is over");
  }
}
