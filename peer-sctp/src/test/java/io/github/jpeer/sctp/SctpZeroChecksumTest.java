package io.github.jpeer.sctp;

import static io.github.jpeer.sctp.SctpPair.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** RFC 9653 zero checksum: used only when both sides offer it, and never for the handshake. */
class SctpZeroChecksumTest {
  private static boolean zero(byte[] p) {
    return p[8] == 0 && p[9] == 0 && p[10] == 0 && p[11] == 0;
  }

  private static SctpPair run(boolean zeroA, boolean zeroB) {
    SctpConfig a = SctpPair.fastConfig().toBuilder().zeroChecksum(zeroA).build();
    SctpConfig b = SctpPair.fastConfig().toBuilder().zeroChecksum(zeroB).build();
    SctpPair pair = new SctpPair(51, a, b);
    pair.recordWire = true;
    pair.connectBoth();
    int id = pair.a.openChannel(pair.now(), DataChannelConfig.reliable("z"));
    pair.runUntil(() -> pair.b.channel(id).isPresent(), 2_000);
    for (int i = 0; i < 10; i++) {
      pair.a.send(pair.now(), id, new byte[3_000], true);
    }
    pair.runUntil(() -> of(pair.eventsB, SctpEvent.Message.class).size() == 10, 5_000);
    return pair;
  }

  @Test
  void bothOfferingSendsZeroChecksumsAfterTheHandshake() throws Exception {
    SctpPair pair = run(true, true);
    int zeros = 0;
    for (byte[] p : pair.wire) {
      Chunk first = SctpPacket.parse(p, 0, p.length).chunks().get(0);
      if (first instanceof InitChunk || first instanceof CookieEchoChunk) {
        assertTrue(SctpPacket.checksumMatches(p, 0, p.length), "handshake keeps its CRC32c");
      } else if (zero(p)) {
        zeros++;
      }
    }
    assertTrue(zeros > 10, "zero-checksum packets: " + zeros);
    assertEquals(0, pair.a.stats().badChecksum() + pair.b.stats().badChecksum());
  }

  @Test
  void oneSideOfferingKeepsRealChecksums() {
    SctpPair pair = run(true, false);
    for (byte[] p : pair.wire) {
      assertTrue(SctpPacket.checksumMatches(p, 0, p.length));
    }
    // and a zero checksum sent to the side that did not offer it is dropped
    byte[] forged = pair.wire.get(pair.wire.size() - 1).clone();
    forged[8] = forged[9] = forged[10] = forged[11] = 0;
    pair.b.handleReceive(pair.now(), forged, 0, forged.length);
    assertEquals(1, pair.b.stats().badChecksum());
  }
}
