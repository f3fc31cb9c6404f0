package io.github.jpeer.sctp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Delayed SACK, RTO backoff and the congestion window, observed from outside. */
class SctpTimersTest {
  private static SctpPair established(SctpConfig cfg) {
    SctpPair pair = new SctpPair(41, cfg);
    pair.connectBoth();
    return pair;
  }

  private static boolean hasSack(byte[] p) throws SctpParseException {
    for (Chunk c : SctpPacket.parse(p, 0, p.length).chunks()) {
      if (c instanceof SelectiveAckChunk) {
        return true;
      }
    }
    return false;
  }

  @Test
  void sackIsDelayed200MillisOrSentOnTheSecondPacket() throws Exception {
    // an RTO of 1 s, so that half of it does not shorten the 200 ms delay
    SctpPair pair =
        established(
            SctpPair.fastConfig().toBuilder()
                .rtoMillis(1000, 1000, 60_000)
                .delayedAckMillis(200)
                .build());
    int id = pair.a.openChannel(pair.now(), DataChannelConfig.reliable("d").withNegotiatedId(0));
    pair.b.openChannel(pair.now(), DataChannelConfig.reliable("d").withNegotiatedId(0));
    pair.flush();
    long t0 = pair.now();
    // RFC 9260 6.2: one in-order packet with DATA -> SACK held back for up to 200 ms
    pair.a.send(t0, id, new byte[] {1}, true);
    byte[] first = pair.a.pollTransmit();
    pair.b.handleReceive(t0, first, 0, first.length);
    assertNull(pair.b.pollTransmit());
    assertEquals(t0 + 200_000_000L, pair.b.pollTimeoutNanos());
    pair.b.handleTimeout(t0 + 200_000_000L);
    byte[] delayed = pair.b.pollTransmit();
    assertNotNull(delayed);
    assertTrue(hasSack(delayed));
    // two packets -> SACK at once after the second
    pair.a.send(t0, id, new byte[] {2}, true);
    byte[] p1 = pair.a.pollTransmit();
    pair.a.send(t0, id, new byte[] {3}, true);
    byte[] p2 = pair.a.pollTransmit();
    long t1 = t0 + 200_000_000L;
    pair.b.handleReceive(t1, p1, 0, p1.length);
    assertNull(pair.b.pollTransmit());
    pair.b.handleReceive(t1, p2, 0, p2.length);
    byte[] sack = pair.b.pollTransmit();
    assertNotNull(sack);
    assertTrue(hasSack(sack));
    // out of order (a gap) -> SACK at once
    pair.a.send(t1, id, new byte[] {4}, true);
    pair.a.pollTransmit(); // lost
    pair.a.send(t1, id, new byte[] {5}, true);
    byte[] afterGap = pair.a.pollTransmit();
    pair.b.handleReceive(t1, afterGap, 0, afterGap.length);
    byte[] gapSack = pair.b.pollTransmit();
    SelectiveAckChunk s =
        (SelectiveAckChunk) SctpPacket.parse(gapSack, 0, gapSack.length).chunks().get(0);
    assertEquals(1, s.gapAckBlocks().size());
    assertEquals(new SelectiveAckChunk.GapAckBlock(2, 2), s.gapAckBlocks().get(0));
  }

  @Test
  void rtoBacksOffToTheMaximumAndTheAssociationFails() {
    SctpConfig cfg = SctpPair.fastConfig().toBuilder().maxAssociationRetransmits(5).build();
    SctpPair pair = established(cfg);
    int id = pair.a.openChannel(pair.now(), DataChannelConfig.reliable("r"));
    pair.runFor(1_000);
    long rtoBefore = pair.a.stats().rtoMillis();
    assertTrue(rtoBefore >= 100 && rtoBefore <= 200, "rto " + rtoBefore);
    pair.net.blackhole(SctpPair.ADDR_B);
    pair.a.send(pair.now(), id, new byte[100], true);
    pair.runUntil(() -> pair.a.stats().t3Expirations() == 2, 10_000);
    assertEquals(4 * rtoBefore, pair.a.stats().rtoMillis());
    assertEquals(1200, pair.a.stats().cwndBytes(), "cwnd falls to one MTU after T3");
    pair.runUntil(() -> pair.a.stats().t3Expirations() == 5, 30_000);
    assertEquals(2000, pair.a.stats().rtoMillis(), "capped at RTO.Max");
    pair.runUntil(pair.a::isEnded, 30_000);
    SctpEvent.Aborted ab = SctpPair.of(pair.eventsA, SctpEvent.Aborted.class).get(0);
    assertTrue(ab.reason().contains("retransmission"), ab.reason());
  }

  @Test
  void congestionWindowGrowsInSlowStart() {
    SctpPair pair = established(SctpPair.fastConfig());
    long initial = pair.a.stats().cwndBytes();
    assertEquals(4380, initial, "RFC 9260 7.2.1: min(4*MTU, max(2*MTU, 4380))");
    int id = pair.a.openChannel(pair.now(), DataChannelConfig.reliable("cw"));
    for (int i = 0; i < 100; i++) {
      pair.a.send(pair.now(), id, new byte[10_000], true);
    }
    pair.runUntil(() -> pair.a.bufferedAmount(id) == 0, 10_000);
    pair.runFor(500);
    assertTrue(pair.a.stats().cwndBytes() > 10 * initial, pair.a.stats().toString());
    assertEquals(0, pair.a.stats().retransmissions());
  }
}
