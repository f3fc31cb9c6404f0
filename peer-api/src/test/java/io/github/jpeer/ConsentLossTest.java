package io.github.jpeer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jpeer.testkit.ImpairingRelay.Side;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A path that dies (an outage both ways in the relay between two connections on real sockets): each
 * side goes FAILED about 30 s after its last consent response (RFC 7675 section 5.1), with a reason
 * and a stats key that say consent was lost.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ConsentLossTest {
  @Test
  void aDeadPathFailsBothSidesAfterThirtySecondsSayingConsentWasLost() throws Exception {
    try (PeerLoop loop = PeerLoop.start("consent-loss");
        RelayedPair pair = new RelayedPair(loop, 7675, c -> c.audioCodec(MediaCodec.OPUS))) {
      pair.connect();
      // A call that was up: a few seconds with RTCP both ways (the DTLS server's proof that the
      // client finished; without it the server fails first, for that reason, see DtlsHalfOpenTest).
      long up = System.nanoTime() + 3_000_000_000L;
      pair.await(() -> System.nanoTime() - up >= 0, 5_000, "a call that was up");
      long dead = System.nanoTime();
      pair.relay.outage(Side.A, 60_000);
      pair.relay.outage(Side.B, 60_000);
      pair.await(
          () ->
              pair.offerer.states.contains(PeerConnectionState.FAILED)
                  && pair.answerer.states.contains(PeerConnectionState.FAILED),
          45_000,
          "both sides to fail");
      long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - dead);
      // The last response came at most one consent interval (6 s) before the path died.
      assertTrue(seconds >= 23 && seconds <= 31, "failed " + seconds + " s after the path died");
      for (TestPeer p : new TestPeer[] {pair.offerer, pair.answerer}) {
        String reason = loop.submit(p.pc::failureReason).get(5, TimeUnit.SECONDS);
        assertTrue(reason != null && reason.contains("consent lost"), p.name + ": " + reason);
        assertEquals("ice-consent-lost", p.stats(loop).failure());
        assertTrue(p.states.contains(PeerConnectionState.DISCONNECTED), p.name + ": " + p.states);
      }
    }
  }
}
