package io.github.jpeer.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jpeer.testkit.ImpairingRelay.Counts;
import io.github.jpeer.testkit.ImpairingRelay.Impairment;
import io.github.jpeer.testkit.ImpairingRelay.Side;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The relay over real loopback sockets: each impairment, its counters, its seed, its bounds. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ImpairingRelayTest {
  private DatagramChannel a;
  private DatagramChannel b;
  private final List<ImpairingRelay> relays = new ArrayList<>();

  @BeforeEach
  void open() throws IOException {
    a = endpoint();
    b = endpoint();
  }

  @AfterEach
  void close() throws IOException {
    relays.forEach(ImpairingRelay::close);
    a.close();
    b.close();
  }

  private static DatagramChannel endpoint() throws IOException {
    DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET);
    ch.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    ch.configureBlocking(false);
    return ch;
  }

  private ImpairingRelay relay(long seed) throws IOException {
    ImpairingRelay r = ImpairingRelay.open(seed);
    relays.add(r);
    r.connect(Side.A, (InetSocketAddress) a.getLocalAddress());
    r.connect(Side.B, (InetSocketAddress) b.getLocalAddress());
    return r;
  }

  /** What B received: the sequence numbers in arrival order, and who it came from. */
  private record Arrivals(List<Integer> seqs, List<SocketAddress> sources) {}

  /**
   * Sends {@code count} numbered datagrams from A to the relay in small batches (so no socket
   * buffer overflows) and collects what reaches B until {@code quietMillis} pass without any.
   */
  private Arrivals sendAndCollect(ImpairingRelay relay, int count, long quietMillis)
      throws IOException {
    Arrivals got = new Arrivals(new ArrayList<>(), new ArrayList<>());
    ByteBuffer out = ByteBuffer.allocate(100);
    ByteBuffer in = ByteBuffer.allocate(2048);
    for (int i = 0; i < count; i++) {
      out.clear();
      out.putInt(i).position(100).flip();
      a.send(out, relay.frontOf(Side.B));
      if (i % 20 == 19) {
        relay.pump(1_000_000L);
        drain(in, got);
      }
    }
    long[] lastArrival = {System.nanoTime()};
    relay.pumpUntil(
        () -> {
          int before = got.seqs.size();
          try {
            drain(in, got);
          } catch (IOException e) {
            throw new AssertionError(e);
          }
          if (got.seqs.size() > before) {
            lastArrival[0] = System.nanoTime();
          }
          return relay.heldCount() == 0
              && System.nanoTime() - lastArrival[0] > quietMillis * 1_000_000L;
        },
        10_000);
    return got;
  }

  private void drain(ByteBuffer in, Arrivals got) throws IOException {
    for (SocketAddress from; ; ) {
      in.clear();
      from = b.receive(in);
      if (from == null) {
        return;
      }
      got.seqs.add(in.getInt(0));
      got.sources.add(from);
    }
  }

  @Test
  void unimpairedForwardsEverythingInOrderFromTheFrontOfTheSender() throws IOException {
    ImpairingRelay relay = relay(1);
    Arrivals got = sendAndCollect(relay, 500, 50);
    assertEquals(500, got.seqs.size());
    for (int i = 0; i < 500; i++) {
      assertEquals(i, got.seqs.get(i));
      // B sees A at the relay's front of A, so it answers there
      assertEquals(relay.frontOf(Side.A), got.sources.get(i));
    }
    assertEquals(new Counts(500, 500, 0, 0, 0, 0, 0, 0, 0), relay.counts(Side.B));
  }

  @Test
  void chosenDatagramsAreDroppedBeforeAnyImpairmentAndCounted() throws IOException {
    ImpairingRelay relay = relay(9);
    relay.impair(Side.B, Impairment.builder().duplicate(1.0).build());
    // every tenth sequence number, read from the datagram's first four bytes
    relay.dropWhen(Side.B, d -> d.getInt(0) % 10 == 0 && d.remaining() == 100);
    Arrivals got = sendAndCollect(relay, 200, 50);
    Counts c = relay.counts(Side.B);
    assertEquals(20, c.chosenLost(), c.toString());
    assertEquals(180, c.duplicated(), "the chosen ones were never duplicated: " + c);
    assertEquals(360, got.seqs.size());
    assertTrue(got.seqs.stream().noneMatch(seq -> seq % 10 == 0), got.seqs.toString());
    relay.dropWhen(Side.B, null);
    assertEquals(20, sendAndCollect(relay, 10, 50).seqs.size(), "null chooses none");
  }

  @Test
  void lossDuplicationAndReorderingHappenAtTheirRatesAndAreCounted() throws IOException {
    ImpairingRelay relay = relay(2);
    relay.impair(
        Side.B, Impairment.builder().loss(0.1).duplicate(0.05).reorder(0.1, 5, 10).build());
    Arrivals got = sendAndCollect(relay, 2_000, 60);
    Counts c = relay.counts(Side.B);
    assertEquals(2_000, c.received());
    assertTrue(c.lost() > 140 && c.lost() < 260, c.toString());
    assertTrue(c.duplicated() > 50 && c.duplicated() < 140, c.toString());
    assertTrue(c.reordered() > 120 && c.reordered() < 280, c.toString());
    assertEquals(2_000 - c.lost() + c.duplicated(), c.forwarded(), c.toString());
    assertEquals(c.forwarded(), got.seqs.size());
    int inversions = 0;
    for (int i = 1; i < got.seqs.size(); i++) {
      if (got.seqs.get(i) < got.seqs.get(i - 1)) {
        inversions++;
      }
    }
    assertTrue(inversions > 50, "held datagrams were overtaken: " + inversions);
    // the other direction was not touched
    assertEquals(new Counts(0, 0, 0, 0, 0, 0, 0, 0, 0), relay.counts(Side.A));
  }

  @Test
  void theSameSeedGivesTheSameFateToTheKthDatagram() throws IOException {
    // (not burst loss: a burst lasts a time, and real timing decides which datagrams it covers)
    Impairment im = Impairment.builder().loss(0.2).duplicate(0.1).reorder(0.1, 1, 2).build();
    ImpairingRelay first = relay(3);
    first.impair(Side.B, im);
    List<Integer> one = sendAndCollect(first, 600, 40).seqs;
    first.close();
    ImpairingRelay second = relay(3);
    second.impair(Side.B, im);
    List<Integer> two = sendAndCollect(second, 600, 40).seqs;
    // the same datagrams lost and duplicated (arrival order of held ones depends on real timing)
    assertEquals(one.stream().sorted().toList(), two.stream().sorted().toList());
    assertEquals(first.counts(Side.B), second.counts(Side.B));
    assertEquals(first.counts(Side.B).lost(), second.counts(Side.B).lost());
  }

  @Test
  void burstsLoseRunsOfDatagrams() throws IOException {
    ImpairingRelay relay = relay(4);
    relay.impair(Side.B, Impairment.builder().burstLoss(0.005, 3).build());
    List<Integer> got = sendAndCollect(relay, 2_000, 40).seqs;
    int longestGap = 0;
    for (int i = 1; i < got.size(); i++) {
      longestGap = Math.max(longestGap, got.get(i) - got.get(i - 1) - 1);
    }
    assertTrue(longestGap >= 5, "a burst of 3 ms on average lost a run: " + longestGap);
    assertTrue(relay.counts(Side.B).burstLost() > 5, relay.counts(Side.B).toString());
    assertEquals(0, relay.counts(Side.B).lost(), "no independent loss was asked for");
  }

  @Test
  void delayHoldsEveryDatagramAndKeepsTheOrderWithoutJitter() throws IOException {
    ImpairingRelay relay = relay(5);
    relay.impair(Side.B, Impairment.builder().delayMillis(30).build());
    ByteBuffer out = ByteBuffer.allocate(4).putInt(7).flip();
    long sent = System.nanoTime();
    a.send(out, relay.frontOf(Side.B));
    ByteBuffer in = ByteBuffer.allocate(16);
    long[] arrived = {0};
    relay.pumpUntil(
        () -> {
          try {
            in.clear();
            if (b.receive(in) != null) {
              arrived[0] = System.nanoTime();
            }
          } catch (IOException e) {
            throw new AssertionError(e);
          }
          return arrived[0] != 0;
        },
        5_000);
    assertTrue(arrived[0] - sent >= 30_000_000L, "held for the delay");
    Arrivals rest = sendAndCollect(relay, 200, 60);
    for (int i = 0; i < 200; i++) {
      assertEquals(i, rest.seqs.get(i));
    }
  }

  @Test
  void aOneWayOutageDropsOnlyThatDirectionForItsLength() throws IOException {
    ImpairingRelay relay = relay(6);
    relay.outage(Side.B, 60_000);
    Arrivals got = sendAndCollect(relay, 100, 30);
    assertEquals(0, got.seqs.size());
    assertEquals(100, relay.counts(Side.B).outageLost());
    // B to A still flows
    ByteBuffer out = ByteBuffer.allocate(4).putInt(1).flip();
    b.send(out, relay.frontOf(Side.A));
    ByteBuffer in = ByteBuffer.allocate(16);
    assertTrue(
        relay.pumpUntil(
            () -> {
              try {
                in.clear();
                return a.receive(in) != null;
              } catch (IOException e) {
                throw new AssertionError(e);
              }
            },
            5_000));
    relay.outage(Side.B, 0); // over
    assertEquals(50, sendAndCollect(relay, 50, 30).seqs.size());
  }

  @Test
  void strayDatagramsAndAddressesOffThisMachineAreRefused() throws IOException {
    ImpairingRelay relay = relay(7);
    try (DatagramChannel stranger = endpoint()) {
      stranger.send(ByteBuffer.allocate(8), relay.frontOf(Side.B));
      relay.pump(20_000_000L);
    }
    assertEquals(0, relay.counts(Side.B).received(), "only A's datagrams go towards B");
    // TEST-NET-3 (RFC 5737), on no interface here (this sandbox's eth0 is in TEST-NET-1)
    InetAddress elsewhere = InetAddress.getByAddress(new byte[] {(byte) 203, 0, 113, 9});
    assertNull(NetworkInterface.getByInetAddress(elsewhere));
    assertThrows(
        IllegalArgumentException.class,
        () -> relay.connect(Side.A, new InetSocketAddress(elsewhere, 9)));
    assertThrows(IllegalArgumentException.class, () -> ImpairingRelay.open(1, elsewhere));
    assertThrows(IllegalArgumentException.class, () -> Impairment.builder().loss(1.5).build());
  }
}
