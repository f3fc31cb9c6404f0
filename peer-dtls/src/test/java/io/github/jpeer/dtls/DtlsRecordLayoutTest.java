package io.github.jpeer.dtls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jpeer.dtls.DtlsEvent.HandshakeComplete;
import io.github.jpeer.testkit.SimNetwork;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The handshake completes whatever legal record layout the peer picks: handshake messages cut at
 * any offset, several fragments per record, several records per datagram, records out of order and
 * duplicated (see {@link Refragmenter}), over a network that also loses, duplicates and delays
 * datagrams. Both directions are rewritten, so both roles are exercised.
 */
class DtlsRecordLayoutTest {
  @AfterEach
  void noThreadLeft() throws InterruptedException {
    ThreadLeakCheck.assertNoDtlsThreadsAfterJoin(10_000);
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
  void refragmentedShuffledFlightsAlwaysComplete(long seed) {
    DtlsPair pair = DtlsPair.create(new SimNetwork(seed).setJitterNanos(2_000_000), 1000 + seed);
    Refragmenter toServer = new Refragmenter(seed * 31, 0.2);
    Refragmenter toClient = new Refragmenter(seed * 37, 0.2);
    pair.clientToServerBurst = toServer;
    pair.serverToClientBurst = toClient;
    assertConnectsWithMatchingKeys(pair);
    assertTrue(toServer.piecesWritten > 0 && toClient.piecesWritten > 0);
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {21, 22, 23, 24, 25, 26, 27, 28})
  void refragmentedFlightsCompleteOverLossAndDuplication(long seed) {
    SimNetwork net =
        new SimNetwork(seed).setLossRate(0.15).setDuplicateRate(0.05).setJitterNanos(5_000_000);
    DtlsPair pair = DtlsPair.create(net, 1000 + seed);
    pair.clientToServerBurst = new Refragmenter(seed * 31, 0.1);
    pair.serverToClientBurst = new Refragmenter(seed * 37, 0.1);
    assertConnectsWithMatchingKeys(pair);
  }

  @org.junit.jupiter.api.Test
  void changeCipherSpecBeforeTheLastCertificateVerifyFragmentIsHeldNotLost() {
    // Regression: the server's hold-back of an early ChangeCipherSpec looked only for a whole
    // CertificateVerify in one record, so a client that fragments it (OpenSSL at -mtu 256) made
    // the server hold the ChangeCipherSpec forever and the handshake never completed.
    DtlsPair pair = DtlsPair.create(new SimNetwork(40), 1040);
    // Numbers above the client's own, so that rewritten records are never taken for replays.
    Refragmenter numbering = new Refragmenter(0, 0, 1_000);
    java.util.List<byte[]> flight = new java.util.ArrayList<>();
    boolean[] rewritten = {false};
    pair.clientToServerBurst =
        burst -> {
          java.util.List<byte[]> records = singleRecords(burst);
          if (!rewritten[0]) {
            if (flight.isEmpty()
                && records.stream().noneMatch(r -> DtlsPair.isRecord(r, 0, 22, 11))) {
              return burst; // ClientHello: as it is
            }
            // Collect the client's final flight (it may leave over several steps) up to Finished.
            flight.addAll(records);
            if (DtlsRecords.epoch(flight.get(flight.size() - 1), 0) != 1) {
              return java.util.List.of();
            }
            rewritten[0] = true;
            records = splitCertificateVerifyAndPutCcsFirst(flight);
          }
          java.util.List<byte[]> out = new java.util.ArrayList<>();
          for (byte[] r : records) {
            out.add(numbering.renumbered(r));
          }
          return out;
        };
    assertConnectsWithMatchingKeys(pair);
    assertTrue(pair.server.heldBackRecords() > 0, "the ChangeCipherSpec was not held back");
  }

  @ParameterizedTest(name = "maxDatagramBytes {0}")
  @ValueSource(ints = {DtlsConfig.MIN_MAX_DATAGRAM_BYTES, 400, 1200})
  void ourFlightsFitTheConfiguredDatagramSize(int maxDatagramBytes) {
    DtlsCertificate clientCert = DtlsPair.TestCertificates.rsa(1050);
    DtlsCertificate serverCert = DtlsPair.TestCertificates.rsa(1051);
    DtlsPair pair =
        new DtlsPair(
            new SimNetwork(50).setLossRate(0.1),
            DtlsPair.builder(DtlsRole.CLIENT, clientCert, serverCert.fingerprint(), 1052)
                .maxDatagramBytes(maxDatagramBytes),
            DtlsPair.builder(DtlsRole.SERVER, serverCert, clientCert.fingerprint(), 1053)
                .maxDatagramBytes(maxDatagramBytes));
    assertConnectsWithMatchingKeys(pair);
    int largest = 0;
    int packed = 0;
    for (byte[] d : pair.sentByEndpoints) {
      largest = Math.max(largest, d.length);
      if (DtlsRecords.end(d, 0) < d.length) {
        packed++;
      }
    }
    assertTrue(largest <= maxDatagramBytes, "sent a datagram of " + largest + " bytes");
    // Handshake records queued together leave together when they fit.
    assertTrue(packed > 0, "no datagram carried more than one record");
  }

  private static void assertConnectsWithMatchingKeys(DtlsPair pair) {
    pair.start();
    if (!pair.pumpUntil(pair::bothConnected)) {
      pair.closeBoth();
      org.junit.jupiter.api.Assertions.fail("not connected: " + pair);
    }
    HandshakeComplete c = DtlsPair.ofType(pair.clientEvents, HandshakeComplete.class).get(0);
    HandshakeComplete s = DtlsPair.ofType(pair.serverEvents, HandshakeComplete.class).get(0);
    assertArrayEquals(c.keys().localKey(), s.keys().remoteKey());
    assertArrayEquals(c.keys().remoteKey(), s.keys().localKey());
    assertEquals(c.profile(), s.profile());
    pair.closeBoth();
  }

  /**
   * The client's final flight (one record per datagram) with its CertificateVerify cut in two
   * records, and the ChangeCipherSpec and Finished sent between them.
   */
  private static java.util.List<byte[]> splitCertificateVerifyAndPutCcsFirst(
      java.util.List<byte[]> burst) {
    java.util.List<byte[]> records = new java.util.ArrayList<>(burst);
    int cv = -1;
    for (int i = 0; i < records.size() && cv < 0; i++) {
      if (DtlsPair.isRecord(records.get(i), 0, DtlsRecords.HANDSHAKE, 15)) {
        cv = i; // the first: the client may have sent its flight again while it was collected
      }
    }
    if (cv < 0) {
      return burst;
    }
    byte[] r = records.remove(cv);
    int body = DtlsRecords.HEADER_BYTES;
    int length = DtlsRecords.uint24(r, body + 9);
    int half = length / 2;
    byte[] first = handshakeRecord(r, body, 0, half);
    byte[] second = handshakeRecord(r, body, half, length - half);
    java.util.List<byte[]> out = new java.util.ArrayList<>(records);
    // Certificate, ClientKeyExchange, half the CertificateVerify, CCS, Finished, the other half.
    out.add(cv, first);
    out.add(second);
    return out;
  }

  /** Every record of the datagrams as a datagram of its own. */
  private static java.util.List<byte[]> singleRecords(java.util.List<byte[]> datagrams) {
    java.util.List<byte[]> out = new java.util.ArrayList<>();
    for (byte[] d : datagrams) {
      for (int pos = 0; DtlsRecords.hasHeader(pos, d.length); pos = DtlsRecords.end(d, pos)) {
        out.add(java.util.Arrays.copyOfRange(d, pos, DtlsRecords.end(d, pos)));
      }
    }
    return out;
  }

  /** A record with one fragment of the message in {@code r}; numbered later. */
  private static byte[] handshakeRecord(byte[] r, int body, int from, int len) {
    byte[] out = new byte[DtlsRecords.HEADER_BYTES + DtlsRecords.HANDSHAKE_HEADER_BYTES + len];
    System.arraycopy(r, 0, out, 0, DtlsRecords.HEADER_BYTES);
    int recordLength = DtlsRecords.HANDSHAKE_HEADER_BYTES + len;
    out[11] = (byte) (recordLength >> 8);
    out[12] = (byte) recordLength;
    int h = DtlsRecords.HEADER_BYTES;
    System.arraycopy(r, body, out, h, 6);
    out[h + 6] = (byte) (from >> 16);
    out[h + 7] = (byte) (from >> 8);
    out[h + 8] = (byte) from;
    out[h + 9] = (byte) (len >> 16);
    out[h + 10] = (byte) (len >> 8);
    out[h + 11] = (byte) len;
    System.arraycopy(r, body + DtlsRecords.HANDSHAKE_HEADER_BYTES + from, out, h + 12, len);
    return out;
  }
}
