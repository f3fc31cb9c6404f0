package io.github.jpeer.sctp;

import static io.github.jpeer.sctp.SctpPair.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/** TSNs and SSNs wrap around (serial number arithmetic, RFC 9260 section 1.6). */
class SctpWrapAroundTest {
  /** A generator whose second {@code nextInt()} (the initial TSN) is {@code initialTsn}. */
  private static RandomGenerator withInitialTsn(long seed, int initialTsn) {
    SplittableRandom r = new SplittableRandom(seed);
    return new RandomGenerator() {
      private int intCalls;

      @Override
      public long nextLong() {
        return r.nextLong();
      }

      @Override
      public int nextInt() {
        return ++intCalls == 2 ? initialTsn : r.nextInt();
      }
    };
  }

  @Test
  void tsnAndSsnWrapWithoutLossOfOrder() {
    SctpConfig cfg = SctpPair.fastConfig();
    SctpAssociation a = new SctpAssociation(cfg, true, withInitialTsn(1, -20));
    SctpAssociation b = new SctpAssociation(cfg, false, withInitialTsn(2, -3));
    SctpPair wrapped = new SctpPair(new io.github.jpeer.testkit.SimNetwork(31), a, b);
    wrapped.net.setLossRate(0.02).setJitterNanos(3_000_000);
    wrapped.connectBoth();
    int id = a.openChannel(wrapped.now(), DataChannelConfig.reliable("wrap"));
    List<Integer> got = new ArrayList<>();
    wrapped.onEventB =
        e -> {
          if (e instanceof SctpEvent.Message m) {
            got.add(
                ((m.data()[0] & 0xFF) << 16) | ((m.data()[1] & 0xFF) << 8) | (m.data()[2] & 0xFF));
          }
        };
    int total = 66_000; // more than 65 536 SSNs on one stream
    int next = 0;
    while (got.size() < total) {
      while (next < total && a.bufferedAmount(id) < 16_384) {
        a.send(
            wrapped.now(),
            id,
            new byte[] {(byte) (next >>> 16), (byte) (next >>> 8), (byte) next},
            true);
        next++;
      }
      assertTrue(wrapped.stepOnce(), "stalled at " + got.size());
    }
    for (int i = 0; i < total; i++) {
      assertEquals(i, got.get(i));
    }
    // b's traffic wraps its TSN right away too; a close (RE-CONFIG sequence numbers) still works
    b.send(wrapped.now(), id, new byte[] {0, 0, 1}, true);
    b.closeChannel(wrapped.now(), id);
    wrapped.runUntil(() -> !of(wrapped.eventsA, SctpEvent.ChannelClosed.class).isEmpty(), 5_000);
    assertEquals(1, of(wrapped.eventsA, SctpEvent.Message.class).size());
  }
}
