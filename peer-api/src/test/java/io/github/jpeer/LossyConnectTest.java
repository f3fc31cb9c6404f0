package io.github.jpeer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jpeer.testkit.ImpairingRelay;
import io.github.jpeer.testkit.ImpairingRelay.Side;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Connecting through a lossy path over real sockets: two connections on one {@link PeerLoop},
 * joined by an {@link ImpairingRelay} on 127.0.0.1 that drops the given share of datagrams each
 * way, holds 5% back for 30-60 ms and duplicates 3%. Every trial must reach COMPLETED on both sides
 * (ICE and the DTLS handshake recover from their losses); the connect times are printed (median and
 * 95th percentile), not asserted, since wall time on a shared machine is noisy.
 *
 * <p>Run: {@code mvn -pl peer-api -am -Dtest=LossyConnectTest
 * -Dsurefire.failIfNoSpecifiedTests=false test}.
 */
class LossyConnectTest {
  private static final int TRIALS = 10;
  private static final List<Long> ICE_MILLIS = new ArrayList<>();
  private static final List<String> SPLITS = new ArrayList<>();

  @ParameterizedTest(name = "{0}% loss")
  @ValueSource(ints = {10, 20})
  void everyTrialConnectsThroughLoss(int lossPercent) throws Exception {
    List<Long> millis = new ArrayList<>();
    ICE_MILLIS.clear();
    SPLITS.clear();
    for (int trial = 0; trial < TRIALS; trial++) {
      millis.add(connectOnce(lossPercent / 100.0, 1000L * lossPercent + trial));
    }
    Collections.sort(millis);
    System.out.printf(
        "connect through %d%% loss (+5%% reordered 30-60 ms, 3%% duplicated), %d trials:"
            + " median %d ms, p95 %d ms, worst %d ms, all %s%n",
        lossPercent,
        TRIALS,
        millis.get(TRIALS / 2),
        millis.get((int) Math.ceil(TRIALS * 0.95) - 1),
        millis.get(TRIALS - 1),
        millis);
    System.out.println("  per trial, ICE (both CONNECTED) + the rest (DTLS): " + SPLITS);
  }

  /** One call through a fresh relay; the milliseconds from the answer to both COMPLETED. */
  private static long connectOnce(double loss, long seed) throws Exception {
    try (PeerLoop loop = PeerLoop.start("lossy-connect");
        ImpairingRelay relay = ImpairingRelay.open(seed)) {
      TestPeer a = TestPeer.loopback("a", c -> c.audioCodec(MediaCodec.OPUS));
      TestPeer b = TestPeer.loopback("b", c -> c.audioCodec(MediaCodec.OPUS));
      TestPeer.addBoth(loop, a, b);
      relay.connect(Side.A, only(a.pc.localAddresses()));
      relay.connect(Side.B, only(b.pc.localAddresses()));
      relay.impairBoth(
          ImpairingRelay.Impairment.builder()
              .loss(loss)
              .reorder(0.05, 30, 60)
              .duplicate(0.03)
              .build());
      String offer = fullDescription(loop, a, a.pc::createOffer);
      String offerViaRelay = viaRelay(offer, only(a.pc.localAddresses()), relay.frontOf(Side.A));
      loop.submit(() -> b.pc.setRemoteDescription(offerViaRelay, SdpType.OFFER))
          .get(5, TimeUnit.SECONDS);
      String answer = fullDescription(loop, b, b.pc::createAnswer);
      String answerViaRelay = viaRelay(answer, only(b.pc.localAddresses()), relay.frontOf(Side.B));
      long start = System.nanoTime();
      loop.submit(() -> a.pc.setRemoteDescription(answerViaRelay, SdpType.ANSWER))
          .get(5, TimeUnit.SECONDS);
      long[] iceMillis = {-1};
      boolean done =
          relay.pumpUntil(
              () -> {
                if (iceMillis[0] < 0
                    && a.states.contains(PeerConnectionState.CONNECTED)
                    && b.states.contains(PeerConnectionState.CONNECTED)) {
                  iceMillis[0] = (System.nanoTime() - start) / 1_000_000;
                }
                return a.completed.isDone() && b.completed.isDone();
              },
              30_000);
      long elapsed = (System.nanoTime() - start) / 1_000_000;
      ICE_MILLIS.add(iceMillis[0]);
      SPLITS.add(iceMillis[0] + "+" + (elapsed - iceMillis[0]));
      assertTrue(
          done
              && !a.completed.isCompletedExceptionally()
              && !b.completed.isCompletedExceptionally(),
          "not connected after "
              + elapsed
              + " ms: "
              + a.states
              + " "
              + a.pc.failureReason()
              + " / "
              + b.states
              + " "
              + b.pc.failureReason());
      return elapsed;
    }
  }

  private static String fullDescription(
      PeerLoop loop, TestPeer peer, java.util.concurrent.Callable<String> create) throws Exception {
    CompletableFuture<String> full = new CompletableFuture<>();
    peer.pc.onIceCandidate(full::complete);
    loop.submit(create).get(5, TimeUnit.SECONDS);
    return full.get(10, TimeUnit.SECONDS);
  }

  private static InetSocketAddress only(List<InetSocketAddress> addresses) {
    assertTrue(addresses.size() == 1, "one loopback socket expected: " + addresses);
    return addresses.get(0);
  }

  /** The description with the real address in its candidates replaced by the relay's front. */
  private static String viaRelay(String sdp, InetSocketAddress real, InetSocketAddress front) {
    String from = real.getAddress().getHostAddress() + " " + real.getPort() + " typ";
    String to = front.getAddress().getHostAddress() + " " + front.getPort() + " typ";
    assertTrue(sdp.contains(from), "no candidate for " + real + " in\n" + sdp);
    return sdp.replace(from, to);
  }
}
