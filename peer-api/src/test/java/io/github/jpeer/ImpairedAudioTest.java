package io.github.jpeer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jpeer.testkit.ImpairingRelay;
import io.github.jpeer.testkit.ImpairingRelay.Impairment;
import io.github.jpeer.testkit.ImpairingRelay.Side;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Audio over real sockets through an {@link ImpairingRelay} that drops 10% of the datagrams each
 * way, holds 5% back for 30-60 ms and duplicates 3%: every frame the relay did not drop reaches the
 * other side exactly once and in order (reordered ones wait in the reorder stage instead of being
 * dropped as late), and the duplicates are counted as duplicates.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ImpairedAudioTest {
  private static final int FRAMES = 400; // 8 s of 20 ms frames

  private static byte[] frame(int index) {
    byte[] f = new byte[80];
    Arrays.fill(f, (byte) 0x55);
    f[0] = (byte) 0xf8; // Opus TOC: CELT FB 20 ms, mono, one frame
    f[1] = (byte) (index >>> 8);
    f[2] = (byte) index;
    return f;
  }

  @Test
  void everyFrameTheNetworkDidNotDropArrivesOnceAndInOrder() throws Exception {
    try (PeerLoop loop = PeerLoop.start("impaired-audio");
        RelayedPair pair = new RelayedPair(loop, 1013, c -> c.audioCodec(MediaCodec.OPUS))) {
      pair.connect();
      pair.relay.impairBoth(
          Impairment.builder().loss(0.10).reorder(0.05, 30, 60).duplicate(0.03).build());
      ImpairingRelay.Counts before = pair.relay.counts(Side.B);
      List<Integer> received = new ArrayList<>();
      long start = System.nanoTime();
      for (int i = 0; i < FRAMES; i++) {
        long due = start + i * 20_000_000L;
        pair.await(() -> System.nanoTime() - due >= 0, 5_000, "frame " + i + "'s time");
        assertTrue(pair.offerer.pc.sendAudio(frame(i)), "frame " + i + " queued");
        drain(pair.answerer, received);
      }
      // Held (reordered) datagrams and the last frames' reorder wait: 200 ms is plenty.
      long end = System.nanoTime() + 200_000_000L;
      pair.await(() -> System.nanoTime() - end >= 0, 5_000, "the last frames");
      drain(pair.answerer, received);
      ImpairingRelay.Counts after = pair.relay.counts(Side.B);
      long relayDropped = after.lost() - before.lost();
      long relayDuplicated = after.duplicated() - before.duplicated();
      PeerStats stats = pair.answerer.stats(loop);
      System.out.printf(
          "audio through 10%% loss, 5%% reordered 30-60 ms, 3%% duplicated: %d of %d frames"
              + " delivered; the relay dropped %d and duplicated %d datagrams towards the"
              + " receiver (RTCP and STUN included); dropped at the receiver: %s%n",
          received.size(), FRAMES, relayDropped, relayDuplicated, stats.dropped());
      for (int k = 1; k < received.size(); k++) {
        assertTrue(
            received.get(k) > received.get(k - 1),
            "out of order or twice: " + received.get(k - 1) + " then " + received.get(k));
      }
      // A frame is lost only where the relay dropped a datagram (it also drops RTCP and STUN, so
      // this bounds audio loss from above), never at the receiver.
      assertTrue(
          received.size() >= FRAMES - relayDropped,
          received.size() + " delivered, " + relayDropped + " dropped by the relay");
      assertEquals(0L, stats.dropped().getOrDefault("rtp-late", 0L), stats.toString());
      assertEquals(0L, stats.dropped().getOrDefault("srtp-replay", 0L), stats.toString());
      assertTrue(
          stats.dropped().getOrDefault("rtp-duplicate", 0L) > 0,
          "duplicates counted as such: " + stats.dropped());
      assertEquals(PeerConnectionState.COMPLETED, pair.answerer.pc.getState());
    }
  }

  private static void drain(TestPeer to, List<Integer> received) {
    for (byte[] f; (f = to.audio.poll()) != null; ) {
      received.add(((f[1] & 0xff) << 8) | (f[2] & 0xff));
    }
  }
}
