package io.github.jpeer.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimNetworkTest {
  private static final InetSocketAddress A = new InetSocketAddress("127.0.0.1", 1000);
  private static final InetSocketAddress B = new InetSocketAddress("127.0.0.1", 2000);

  @Test
  void deliversAfterDelayAndNotBefore() {
    VirtualClock clock = new VirtualClock();
    SimNetwork net = new SimNetwork(1).setDelayNanos(5_000_000);
    byte[] payload = {1, 2, 3};
    net.send(clock.nanoTime(), A, B, payload);
    payload[0] = 9; // the network owns a copy
    assertNull(net.poll(clock.advanceMillis(4)));
    assertEquals(clock.nanoTime() + 1_000_000, net.nextDeliveryNanos());
    Datagram d = net.poll(clock.advanceMillis(1));
    assertArrayEquals(new byte[] {1, 2, 3}, d.data());
    assertEquals(A, d.from());
    assertEquals(B, d.to());
    assertEquals(Long.MAX_VALUE, net.nextDeliveryNanos());
  }

  @Test
  void lossAndDuplicationFollowTheirRatesAndTheSeed() {
    List<Integer> first = run(42);
    assertEquals(first, run(42), "same seed, same packets");
    // 2000 packets at 20% loss and 10% duplication: about 1600 + 160 arrive.
    assertTrue(first.size() > 1650 && first.size() < 1870, "arrived " + first.size());
  }

  @Test
  void burstLossDropsEverythingForASpanOfTimeNotACountOfDatagrams() {
    VirtualClock clock = new VirtualClock();
    // A burst starts with 1 in 100 datagrams and lasts 50 ms on average; one datagram per ms.
    SimNetwork net = new SimNetwork(9).setBurstLoss(0.01, 50_000_000L);
    boolean[] arrived = new boolean[20_000];
    for (int i = 0; i < arrived.length; i++) {
      net.send(clock.nanoTime(), A, B, new byte[] {(byte) (i >>> 8), (byte) i, (byte) (i >>> 16)});
      clock.advanceMillis(1);
      for (Datagram d : net.pollAll(clock.nanoTime())) {
        byte[] b = d.data();
        arrived[((b[2] & 0xFF) << 16) | ((b[0] & 0xFF) << 8) | (b[1] & 0xFF)] = true;
      }
    }
    int bursts = 0;
    int lost = 0;
    for (int i = 0; i < arrived.length; i++) {
      if (!arrived[i]) {
        lost++;
        if (i == 0 || arrived[i - 1]) {
          bursts++;
        }
      }
    }
    assertEquals(net.burstDropped(), lost, "every loss is a burst's");
    assertEquals(net.dropped(), net.burstDropped());
    // A burst every ~100 + 50 ms in 20 s: about 130; ~50 datagrams each.
    assertTrue(bursts > 90 && bursts < 180, "bursts " + bursts);
    double mean = (double) lost / bursts;
    assertTrue(mean > 35 && mean < 65, "mean burst " + mean + " datagrams");
    assertThrows(IllegalArgumentException.class, () -> net.setBurstLoss(0.1, 0));
  }

  @Test
  void reorderHoldsAShareBackSoLaterDatagramsOvertakeIt() {
    VirtualClock clock = new VirtualClock();
    SimNetwork net = new SimNetwork(3).setReorder(0.1, 30_000_000, 60_000_000);
    for (int i = 0; i < 1000; i++) {
      net.send(clock.nanoTime(), A, B, new byte[] {(byte) (i >>> 8), (byte) i});
      clock.advanceNanos(100_000);
    }
    assertTrue(net.reordered() > 60 && net.reordered() < 140, "held " + net.reordered());
    List<Datagram> out = net.pollAll(clock.advanceMillis(61));
    assertEquals(1000, out.size());
    // a held datagram is overtaken by the 300 to 600 sent in its 30 to 60 ms
    int overtakenBy = 0;
    for (int i = 1; i < out.size(); i++) {
      int prev = ((out.get(i - 1).data()[0] & 0xFF) << 8) | (out.get(i - 1).data()[1] & 0xFF);
      int cur = ((out.get(i).data()[0] & 0xFF) << 8) | (out.get(i).data()[1] & 0xFF);
      overtakenBy = Math.max(overtakenBy, prev - cur);
    }
    assertTrue(overtakenBy >= 250, "overtaken by " + overtakenBy);
  }

  @Test
  void aBottleneckPacesDeliveriesAndDropsWhatItsQueueCannotHold() {
    VirtualClock clock = new VirtualClock();
    // 1 MB/s: a 1000-byte datagram takes 1 ms on the link; the queue holds 10 ms of them
    SimNetwork net = new SimNetwork(4).setDelayNanos(0).setBandwidth(1_000_000, 10_000_000);
    for (int i = 0; i < 20; i++) {
      net.send(clock.nanoTime(), A, B, new byte[1000]);
    }
    assertEquals(9, net.queueDropped(), "11 fit (one on the link, ten waiting)");
    assertEquals(clock.nanoTime() + 1_000_000, net.nextDeliveryNanos());
    assertEquals(5, net.pollAll(clock.advanceMillis(5)).size());
    assertEquals(6, net.pollAll(clock.advanceMillis(100)).size());
    // another receiver has its own link
    net.send(clock.nanoTime(), B, A, new byte[1000]);
    assertEquals(1, net.pollAll(clock.advanceMillis(1)).size());
  }

  @Test
  void jitterReorders() {
    VirtualClock clock = new VirtualClock();
    SimNetwork net = new SimNetwork(7).setJitterNanos(20_000_000);
    for (int i = 0; i < 100; i++) {
      net.send(clock.advanceMillis(1), A, B, new byte[] {(byte) i});
    }
    List<Datagram> out = net.pollAll(clock.advanceMillis(100));
    assertEquals(100, out.size());
    int inversions = 0;
    for (int i = 1; i < out.size(); i++) {
      if (out.get(i).data()[0] < out.get(i - 1).data()[0]) {
        inversions++;
      }
    }
    assertTrue(inversions > 10, "expected reordering, got " + inversions + " inversions");
  }

  @Test
  void blackholeAndMiddlebox() {
    VirtualClock clock = new VirtualClock();
    SimNetwork net = new SimNetwork(3);
    net.blackhole(B);
    net.send(clock.nanoTime(), A, B, new byte[1]);
    net.restore(B);
    InetSocketAddress mapped = new InetSocketAddress("127.0.0.2", 3000);
    net.setMiddlebox(d -> d.to().equals(B) ? new Datagram(mapped, d.to(), d.data()) : null);
    net.send(clock.nanoTime(), A, B, new byte[1]);
    net.send(clock.nanoTime(), B, A, new byte[1]);
    List<Datagram> out = net.pollAll(clock.advanceMillis(10));
    assertEquals(1, out.size());
    assertEquals(mapped, out.get(0).from());
    assertEquals(2, net.dropped());
  }

  @Test
  void rejectsNonsenseSettings() {
    SimNetwork net = new SimNetwork(0);
    assertThrows(IllegalArgumentException.class, () -> net.setLossRate(1.5));
    assertThrows(IllegalArgumentException.class, () -> net.setDelayNanos(-1));
    assertThrows(IllegalArgumentException.class, () -> new VirtualClock().advanceNanos(-1));
  }

  private static List<Integer> run(long seed) {
    VirtualClock clock = new VirtualClock();
    SimNetwork net = new SimNetwork(seed).setLossRate(0.2).setDuplicateRate(0.1);
    for (int i = 0; i < 2000; i++) {
      net.send(clock.advanceMillis(1), A, B, new byte[] {(byte) i, (byte) (i >> 8)});
    }
    List<Integer> got = new ArrayList<>();
    for (Datagram d : net.pollAll(clock.advanceMillis(10))) {
      got.add((d.data()[0] & 0xff) | (d.data()[1] & 0xff) << 8);
    }
    return got;
  }
}
