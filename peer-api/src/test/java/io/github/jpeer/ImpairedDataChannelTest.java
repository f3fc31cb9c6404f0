package io.github.jpeer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jpeer.testkit.ImpairingRelay.Impairment;
import io.github.jpeer.testkit.ImpairingRelay.Side;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Regression tests for issue #13, measured from outside with the public API: two connections on
 * 127.0.0.1 whose every datagram crosses an {@link io.github.jpeer.testkit.ImpairingRelay} that
 * loses, reorders (5% held 30 to 60 ms) and duplicates (3%). Before the fix a reliable channel
 * moved 0.02 MB/s at 10% loss and 8 of 1000 messages in 180 s at 20%, and {@link
 * DataChannel#bufferedAmount()} read 0 while hundreds of messages waited.
 *
 * <p>These run on real sockets and real time on a shared machine, so they assert completion within
 * a generous bound, integrity and order, never a speed; each prints its rate (surefire keeps it in
 * the test's output file). The protocol's throughput is asserted in virtual time by peer-sctp's
 * SctpLossRecoveryTest, and bufferedAmount through an outage and partial reliability under loss by
 * WholeCallSimTest; what stays here is the driver under loss (PeerLoop, and loop() by hand). {@link
 * LossMatrixTest} measures the whole matrix.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ImpairedDataChannelTest {
  private PeerLoop loop;
  private RelayedPair pair;

  @AfterEach
  void close() {
    if (pair != null) {
      pair.close();
    }
    if (loop != null) {
      loop.close();
    }
  }

  static Impairment lossy(double loss) {
    return Impairment.builder().loss(loss).reorder(0.05, 30, 60).duplicate(0.03).build();
  }

  /** A message of {@code minBytes..maxBytes} carrying its index and a CRC32 of the rest. */
  static byte[] indexed(SplittableRandom r, int index, int minBytes, int maxBytes) {
    byte[] m = new byte[minBytes + r.nextInt(maxBytes - minBytes + 1)];
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

  static int checkedIndex(byte[] m) {
    CRC32 crc = new CRC32();
    crc.update(m, 8, m.length - 8);
    int stored =
        ((m[4] & 0xFF) << 24) | ((m[5] & 0xFF) << 16) | ((m[6] & 0xFF) << 8) | (m[7] & 0xFF);
    assertEquals(stored, (int) crc.getValue(), "corrupted message");
    return ((m[0] & 0xFF) << 24) | ((m[1] & 0xFF) << 16) | ((m[2] & 0xFF) << 8) | (m[3] & 0xFF);
  }

  /** Connects through the relay (driven by {@code loop}, or by hand if null); opens "bulk". */
  private DataChannel connected(PeerLoop driver, long seed, DataChannelInit init) throws Exception {
    pair = new RelayedPair(driver, seed, DataChannelType.BINARY);
    DataChannel ch = pair.onLoop(() -> pair.offerer.pc.createDataChannel("bulk", init));
    pair.connect();
    pair.await(() -> !pair.answerer.opened.isEmpty() && ch.isOpen(), 10_000, "the channel open");
    return ch;
  }

  /**
   * Queues {@code count} messages at once on a reliable ordered channel, checks each on arrival, in
   * order, and waits (bounded) for all of them; returns the rate in MB/s for the record.
   */
  static double bulk(
      RelayedPair pair, DataChannel ch, int count, int maxBytes, long boundMillis, String what) {
    SplittableRandom r = new SplittableRandom(count);
    byte[][] sent = new byte[count][];
    long total = 0;
    for (int i = 0; i < count; i++) {
      sent[i] = indexed(r, i, 1024, maxBytes);
      total += sent[i].length;
    }
    long start = System.nanoTime();
    for (byte[] m : sent) {
      ch.send(m);
    }
    long queued = ch.bufferedAmount();
    AtomicInteger next = new AtomicInteger();
    pair.await(
        () -> {
          for (TestPeer.Message m; (m = pair.answerer.messages.poll()) != null; ) {
            assertEquals(next.getAndIncrement(), checkedIndex(m.data()), "lost or out of order");
          }
          return next.get() == count;
        },
        boundMillis,
        what + ": " + next + " of " + count + " messages");
    double seconds = (System.nanoTime() - start) / 1e9;
    double rate = total / 1e6 / seconds;
    System.out.printf(
        "%s: %d messages, %.2f MB in %.2f s = %.2f MB/s (bufferedAmount right after send: %d)"
            + " relay towards B %s%n",
        what, count, total / 1e6, seconds, rate, queued, pair.relay.counts(Side.B));
    // most of what was queued waited: it was counted the moment send() returned
    assertTrue(queued > total / 2, "bufferedAmount " + queued + " of " + total + " queued");
    return rate;
  }

  @Test
  void tenPercentLossWithReorderingAndDuplicatesOnAPeerLoop() throws Exception {
    loop = PeerLoop.start("impaired-10");
    DataChannel ch = connected(loop, 10, DataChannelInit.RELIABLE);
    pair.relay.impairBoth(lossy(0.10));
    bulk(pair, ch, 100, 65_536, 60_000, "PeerLoop, 10% loss + reorder + dup");
  }

  @Test
  void twentyPercentLossWithReorderingAndDuplicatesOnAPeerLoop() throws Exception {
    loop = PeerLoop.start("impaired-20");
    DataChannel ch = connected(loop, 20, DataChannelInit.RELIABLE);
    pair.relay.impairBoth(lossy(0.20));
    bulk(pair, ch, 40, 65_536, 60_000, "PeerLoop, 20% loss + reorder + dup");
  }

  @Test
  void tenPercentLossWithReorderingAndDuplicatesWithLoopCalledByHand() throws Exception {
    DataChannel ch = connected(null, 11, DataChannelInit.RELIABLE);
    pair.relay.impairBoth(lossy(0.10));
    bulk(pair, ch, 60, 65_536, 60_000, "loop() by hand, 10% loss + reorder + dup");
  }

  @Test
  void burstLossAndJitterOnAPeerLoop() throws Exception {
    loop = PeerLoop.start("impaired-burst");
    DataChannel ch = connected(loop, 12, DataChannelInit.RELIABLE);
    pair.relay.impairBoth(
        Impairment.builder().burstLoss(0.002, 10).delayMillis(2).jitterMillis(3).build());
    bulk(pair, ch, 60, 65_536, 60_000, "PeerLoop, burst loss + 2-5 ms delay");
  }
}
