package io.github.jpeer.dtls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jpeer.dtls.DtlsEvent.ApplicationData;
import io.github.jpeer.testkit.AllocationMeter;
import io.github.jpeer.testkit.SimNetwork;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * After the handshake, epoch-1 records whose AES-GCM tag is wrong are dropped before BouncyCastle,
 * counted in {@link DtlsEndpoint#forgedRecords()}, without allocation; genuine records still pass,
 * in both directions, also when they share a datagram with forged ones.
 */
class DtlsForgedRecordTest {
  private DtlsPair pair;

  @AfterEach
  void close() throws InterruptedException {
    if (pair != null) {
      pair.closeBoth();
    }
    ThreadLeakCheck.assertNoDtlsThreadsAfterJoin(10_000);
  }

  private DtlsPair connected(long seed) {
    pair = DtlsPair.create(new SimNetwork(seed), seed);
    pair.start();
    assertTrue(pair.pumpUntil(pair::bothConnected), pair::toString);
    return pair;
  }

  /**
   * The datagrams {@code from} sends for {@code text}, taken out of the network: those of
   * application data (content type 23). A handshake flight that BouncyCastle's thread retransmitted
   * on its wall-clock timer (a loaded machine can be that slow) may be queued too, and is left out.
   */
  private static List<byte[]> sealed(DtlsEndpoint from, String text) {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    from.sendApplicationData(b, 0, b.length);
    List<byte[]> out = new ArrayList<>();
    for (byte[] d; (d = from.pollTransmit()) != null; ) {
      if (d.length > 0 && d[0] == 23) {
        out.add(d);
      }
    }
    assertEquals(1, out.size());
    return out;
  }

  private static List<String> texts(DtlsEndpoint at) {
    List<String> out = new ArrayList<>();
    for (DtlsEvent e; (e = at.pollEvent()) != null; ) {
      if (e instanceof ApplicationData d) {
        out.add(new String(d.data(), StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  enum Direction {
    CLIENT_TO_SERVER,
    SERVER_TO_CLIENT
  }

  @ParameterizedTest
  @EnumSource(Direction.class)
  void everyTamperedByteIsCaughtBeforeBouncyCastleAndGenuineRecordsStillPass(Direction direction) {
    connected(direction.ordinal() + 700);
    DtlsEndpoint from = direction == Direction.CLIENT_TO_SERVER ? pair.client : pair.server;
    DtlsEndpoint to = direction == Direction.CLIENT_TO_SERVER ? pair.server : pair.client;
    texts(to);
    long now = pair.clock.nanoTime();
    byte[] genuine = sealed(from, "genuine").get(0);
    int tampered = 0;
    // Every byte after the content type and version: epoch, sequence, length (the AAD), the
    // explicit nonce, the ciphertext and the tag. A changed length is a malformed datagram.
    for (int i = 3; i < genuine.length; i++) {
      if (i == 11 || i == 12) {
        continue;
      }
      byte[] d = genuine.clone();
      d[i] ^= 0x20;
      to.handleReceive(now, d, 0, d.length);
      tampered++;
    }
    assertEquals(tampered, to.forgedRecords());
    assertEquals(0, to.rejectedRecords(), "nothing reached BouncyCastle's MAC check");
    assertEquals(List.of(), texts(to));
    to.handleReceive(now, genuine, 0, genuine.length);
    assertEquals(List.of("genuine"), texts(to));
    assertEquals(DtlsEndpoint.State.CONNECTED, to.state());
    assertEquals(DtlsEndpoint.State.CONNECTED, from.state());
  }

  @Test
  void aDatagramMixingForgedAndGenuineRecordsKeepsTheGenuineOnes() {
    connected(710);
    texts(pair.server);
    byte[] one = sealed(pair.client, "one").get(0);
    byte[] two = sealed(pair.client, "two").get(0);
    byte[] forged = one.clone();
    forged[forged.length - 1] ^= 1;
    byte[] epoch2 = two.clone();
    epoch2[4] = 2;
    byte[] mixed = concat(forged, one, epoch2, two);
    pair.server.handleReceive(pair.clock.nanoTime(), mixed, 0, mixed.length);
    assertEquals(2, pair.server.forgedRecords());
    assertEquals(List.of("one", "two"), texts(pair.server));
    // A replay passes the screen (its tag is genuine) and BouncyCastle's window drops it.
    pair.server.handleReceive(pair.clock.nanoTime(), one, 0, one.length);
    assertEquals(List.of(), texts(pair.server));
    assertEquals(2, pair.server.forgedRecords());
    assertEquals(1, pair.server.rejectedRecords());
  }

  @Test
  void aFloodOfForgedRecordsAllocatesNothing() {
    connected(720);
    SplittableRandom random = new SplittableRandom(1);
    byte[] genuine = sealed(pair.client, "x").get(0);
    byte[][] forgeries = new byte[64][];
    for (int i = 0; i < forgeries.length; i++) {
      // Header of a genuine record, random body of the size of a data channel packet.
      int length = 1100 + i;
      byte[] d = new byte[13 + length];
      random.nextBytes(d);
      System.arraycopy(genuine, 0, d, 0, 11);
      d[11] = (byte) (length >>> 8);
      d[12] = (byte) length;
      forgeries[i] = d;
    }
    long now = pair.clock.nanoTime();
    long before = pair.server.forgedRecords();
    // The least any of 20 rounds allocated: a one-off (JIT, a TLAB refill) is not the path's.
    AllocationMeter.assertAllocatesNothing(
        "screening forged records",
        10_000,
        n -> {
          for (int i = 0; i < n; i++) {
            byte[] d = forgeries[i & 63];
            pair.server.handleReceive(now, d, 0, d.length);
          }
          return pair.server.forgedRecords();
        });
    assertTrue(pair.server.forgedRecords() - before >= 200_000, "every one counted");
    pair.server.handleReceive(now, genuine, 0, genuine.length);
    assertEquals(List.of("x"), texts(pair.server));
  }

  private static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }
}
