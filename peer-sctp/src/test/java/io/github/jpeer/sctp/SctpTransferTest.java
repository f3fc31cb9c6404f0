package io.github.jpeer.sctp;

import static io.github.jpeer.sctp.SctpPair.of;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jpeer.sctp.SctpEvent.Message;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/** Bulk transfer between two associations over a lossy, reordering, duplicating network. */
class SctpTransferTest {
  private static final int MESSAGES = 10_000;

  /** Sizes from 1 B to 256 KiB, mostly small so the whole run stays a few tens of MB. */
  private static int skewedSize(SplittableRandom r) {
    double p = r.nextDouble();
    if (p < 0.90) {
      return 1 + r.nextInt(1_000);
    } else if (p < 0.99) {
      return 1 + r.nextInt(16_384);
    }
    return 1 + r.nextInt(262_144);
  }

  private static byte[] message(long seed, int index) {
    SplittableRandom r = new SplittableRandom(seed * 1_000_003L + index);
    byte[] m = new byte[skewedSize(r)];
    r.nextBytes(m);
    return m;
  }

  @Test
  void tenThousandMessagesArriveCompleteAndInOrderDespiteLossAndReordering() {
    long seed = 42;
    SctpPair pair = new SctpPair(seed, SctpPair.fastConfig());
    pair.net
        .setLossRate(0.07)
        .setDuplicateRate(0.01)
        .setDelayNanos(10_000_000)
        .setJitterNanos(8_000_000);
    pair.connectBoth();
    int id = pair.a.openChannel(pair.now(), DataChannelConfig.reliable("bulk"));
    List<byte[]> received = new ArrayList<>();
    pair.onEventB =
        e -> {
          if (e instanceof Message m) {
            received.add(m.data());
          }
        };
    int next = 0;
    long totalBytes = 0;
    while (received.size() < MESSAGES) {
      while (next < MESSAGES && pair.a.bufferedAmount(id) < 1 << 20) {
        byte[] m = message(seed, next++);
        totalBytes += m.length;
        pair.a.send(pair.now(), id, m, true);
      }
      assertTrue(pair.stepOnce(), "stalled at " + received.size());
    }
    assertEquals(MESSAGES, received.size());
    for (int i = 0; i < MESSAGES; i++) {
      assertArrayEquals(message(seed, i), received.get(i), "message " + i);
    }
    SctpStats a = pair.a.stats();
    assertTrue(a.retransmissions() > 0, a.toString());
    assertTrue(a.fastRetransmits() > 0, a.toString());
    assertTrue(pair.b.stats().duplicateDataChunks() > 0);
    assertEquals(0, pair.b.stats().droppedMessages());
    assertTrue(totalBytes > 10_000_000, "total " + totalBytes);
    assertTrue(pair.bothUp());
  }

  private static byte[] indexed(SplittableRandom r, int index) {
    byte[] m = new byte[8 + r.nextInt(4_000)];
    r.nextBytes(m);
    m[0] = (byte) (index >>> 24);
    m[1] = (byte) (index >>> 16);
    m[2] = (byte) (index >>> 8);
    m[3] = (byte) index;
    CRC32 crc = new CRC32();
    crc.update(m, 8, m.length - 8);
    int c = (int) crc.getValue();
    m[4] = (byte) (c >>> 24);
    m[5] = (byte) (c >>> 16);
    m[6] = (byte) (c >>> 8);
    m[7] = (byte) c;
    return m;
  }

  private static int checkedIndex(byte[] m) {
    CRC32 crc = new CRC32();
    crc.update(m, 8, m.length - 8);
    int c = (int) crc.getValue();
    int stored =
        ((m[4] & 0xFF) << 24) | ((m[5] & 0xFF) << 16) | ((m[6] & 0xFF) << 8) | (m[7] & 0xFF);
    assertEquals(stored, c, "corrupted message");
    return ((m[0] & 0xFF) << 24) | ((m[1] & 0xFF) << 16) | ((m[2] & 0xFF) << 8) | (m[3] & 0xFF);
  }

  private void partialReliability(DataChannelConfig cfg, long seed, int count, double loss) {
    SctpPair pair =
        new SctpPair(seed, SctpPair.fastConfig().toBuilder().heartbeatIntervalMillis(0).build());
    pair.net
        .setLossRate(loss)
        .setDuplicateRate(0.02)
        .setDelayNanos(10_000_000)
        .setJitterNanos(10_000_000);
    pair.connectBoth();
    int id = pair.a.openChannel(pair.now(), cfg);
    pair.runUntil(() -> !of(pair.eventsB, SctpEvent.ChannelOpen.class).isEmpty(), 5_000);
    Set<Integer> seen = new HashSet<>();
    int[] lastOrdered = {-1};
    pair.onEventB =
        e -> {
          if (e instanceof Message m) {
            int index = checkedIndex(m.data());
            assertTrue(seen.add(index), "message " + index + " delivered twice");
            if (cfg.ordered()) {
              assertTrue(index > lastOrdered[0], "ordered channel went backwards at " + index);
              lastOrdered[0] = index;
            }
          }
        };
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = 0; i < count; ) {
      if (pair.a.bufferedAmount(id) < 64 * 1024) {
        pair.a.send(pair.now(), id, indexed(r, i++), true);
      } else {
        assertTrue(pair.stepOnce());
      }
    }
    pair.runUntil(() -> pair.a.bufferedAmount(id) == 0, 600_000);
    pair.runFor(20_000);
    SctpStats s = pair.a.stats();
    assertTrue(s.abandonedMessages() > 0, s.toString());
    assertTrue(seen.size() > count / 2, "only " + seen.size() + " arrived");
    assertTrue(seen.size() < count, "nothing was lost, so nothing was tested");
    // everything outstanding was either acked or skipped with FORWARD TSN: no timer is left
    assertEquals(Long.MAX_VALUE, pair.a.pollTimeoutNanos(), "sender still has data outstanding");
    assertEquals(Long.MAX_VALUE, pair.b.pollTimeoutNanos(), "receiver still owes a SACK");
    assertTrue(pair.bothUp());
  }

  @Test
  void unorderedChannelWithZeroRetransmitsNeverDeliversTwiceOrCorrupted() {
    partialReliability(
        DataChannelConfig.reliable("pr").withOrdered(false).withMaxRetransmits(0), 7, 2_000, 0.08);
  }

  @Test
  void unorderedChannelWithLifetimeNeverDeliversTwiceOrCorrupted() {
    partialReliability(
        DataChannelConfig.reliable("pr").withOrdered(false).withMaxLifetimeMillis(500),
        8,
        2_000,
        0.05);
  }

  @Test
  void orderedChannelWithZeroRetransmitsKeepsOrderAndSkipsLosses() {
    partialReliability(DataChannelConfig.reliable("pr").withMaxRetransmits(0), 9, 2_000, 0.08);
  }
}
