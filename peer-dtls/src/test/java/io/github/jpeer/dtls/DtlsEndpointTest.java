package io.github.jpeer.dtls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jpeer.dtls.DtlsEvent.ApplicationData;
import io.github.jpeer.dtls.DtlsEvent.Closed;
import io.github.jpeer.dtls.DtlsEvent.Failed;
import io.github.jpeer.dtls.DtlsEvent.HandshakeComplete;
import io.github.jpeer.srtp.SrtpProfile;
import io.github.jpeer.testkit.SimNetwork;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.bouncycastle.tls.CipherSuite;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Two real endpoints through the simulated network: handshake, keys, data, failures, close. */
class DtlsEndpointTest {

  @AfterEach
  void noThreadLeft() throws InterruptedException {
    ThreadLeakCheck.assertNoDtlsThreadsAfterJoin(10_000);
  }

  @Test
  void handshakeOverLossyReorderingNetworkExportsMatchingKeysAndCarriesData() {
    SimNetwork net =
        new SimNetwork(7).setLossRate(0.15).setJitterNanos(5_000_000).setDuplicateRate(0.05);
    DtlsPair pair = DtlsPair.create(net, 100);
    pair.start();
    assertTrue(pair.pumpUntil(pair::bothConnected), () -> "handshake did not finish: " + pair);

    HandshakeComplete c = DtlsPair.ofType(pair.clientEvents, HandshakeComplete.class).get(0);
    HandshakeComplete s = DtlsPair.ofType(pair.serverEvents, HandshakeComplete.class).get(0);
    // The default preference puts AES-128-GCM first and both sides support it.
    assertEquals(SrtpProfile.AEAD_AES_128_GCM, c.profile());
    assertEquals(SrtpProfile.AEAD_AES_128_GCM, s.profile());
    assertArrayEquals(c.keys().localKey(), s.keys().remoteKey());
    assertArrayEquals(c.keys().localSalt(), s.keys().remoteSalt());
    assertArrayEquals(c.keys().remoteKey(), s.keys().localKey());
    assertArrayEquals(c.keys().remoteSalt(), s.keys().localSalt());
    assertFalse(java.util.Arrays.equals(c.keys().localKey(), c.keys().remoteKey()));
    assertEquals(16, c.keys().localKey().length);
    assertEquals(12, c.keys().localSalt().length);
    assertEquals(DtlsPair.TestCertificates.ecdsa(101).fingerprint(), c.remoteFingerprint());
    assertEquals(DtlsPair.TestCertificates.ecdsa(100).fingerprint(), s.remoteFingerprint());
    assertEquals(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, c.cipherSuite());

    // Data both ways, through the same lossy network: send each message until it arrives.
    sendUntilDelivered(pair, pair.client, pair.serverEvents, "hello server");
    sendUntilDelivered(pair, pair.server, pair.clientEvents, "hello client");
    pair.closeBoth();
  }

  /** A pair on a network seeded with {@code netSeed}, started and connected on both sides. */
  private static DtlsPair connectedPair(
      long netSeed, DtlsConfig.Builder client, DtlsConfig.Builder server) {
    DtlsPair pair = new DtlsPair(new SimNetwork(netSeed), client, server);
    pair.start();
    assertTrue(pair.pumpUntil(pair::bothConnected), pair::toString);
    return pair;
  }

  /** A {@link DtlsPair#create} pair, started and connected on both sides. */
  private static DtlsPair connectedPair(SimNetwork net, long seed) {
    DtlsPair pair = DtlsPair.create(net, seed);
    pair.start();
    assertTrue(pair.pumpUntil(pair::bothConnected), pair::toString);
    return pair;
  }

  /** A pair whose handshake must fail on both sides; returned to check why. */
  private static DtlsPair failedPair(
      long netSeed, DtlsConfig.Builder client, DtlsConfig.Builder server) {
    DtlsPair pair = new DtlsPair(new SimNetwork(netSeed), client, server);
    pair.start();
    assertTrue(pair.pumpUntil(pair::bothFailed), pair::toString);
    return pair;
  }

  private static Failed firstFailure(List<DtlsEvent> events) {
    return DtlsPair.ofType(events, Failed.class).get(0);
  }

  private static void sendUntilDelivered(
      DtlsPair pair, DtlsEndpoint from, List<DtlsEvent> toEvents, String text) {
    byte[] payload = text.getBytes(StandardCharsets.UTF_8);
    for (int attempt = 0; attempt < 50; attempt++) {
      from.sendApplicationData(payload, 0, payload.length);
      for (int i = 0; i < 5; i++) {
        pair.step();
      }
      for (ApplicationData d : DtlsPair.ofType(toEvents, ApplicationData.class)) {
        if (new String(d.data(), StandardCharsets.UTF_8).equals(text)) {
          return;
        }
      }
    }
    throw new AssertionError("'" + text + "' never arrived");
  }

  @Test
  void dataBothWaysOnPerfectNetworkArrivesExactlyOnceAndInOrder() {
    DtlsPair pair = connectedPair(new SimNetwork(1), 200);
    for (int i = 0; i < 20; i++) {
      byte[] a = ("c" + i).getBytes(StandardCharsets.UTF_8);
      byte[] b = ("s" + i).getBytes(StandardCharsets.UTF_8);
      pair.client.sendApplicationData(a, 0, a.length);
      pair.server.sendApplicationData(b, 0, b.length);
    }
    assertTrue(
        pair.pumpUntil(
            () ->
                DtlsPair.ofType(pair.serverEvents, ApplicationData.class).size() == 20
                    && DtlsPair.ofType(pair.clientEvents, ApplicationData.class).size() == 20));
    List<ApplicationData> atServer = DtlsPair.ofType(pair.serverEvents, ApplicationData.class);
    for (int i = 0; i < 20; i++) {
      assertEquals("c" + i, new String(atServer.get(i).data(), StandardCharsets.UTF_8));
    }
    assertTrue(pair.client.maxApplicationDataBytes() > 1000);
    assertThrows(
        IllegalArgumentException.class,
        () -> pair.client.sendApplicationData(new byte[5000], 0, 5000));
    pair.closeBoth();
  }

  @Test
  void rsaCertificatesAndConfiguredProfilePreference() {
    DtlsCertificate clientCert = DtlsPair.TestCertificates.rsa(300);
    DtlsCertificate serverCert = DtlsPair.TestCertificates.rsa(301);
    DtlsPair pair =
        connectedPair(
            3,
            DtlsPair.builder(DtlsRole.CLIENT, clientCert, serverCert.fingerprint(), 1)
                .srtpProfiles(
                    List.of(
                        SrtpProfile.AES128_CM_HMAC_SHA1_32, SrtpProfile.AES128_CM_HMAC_SHA1_80)),
            DtlsPair.builder(DtlsRole.SERVER, serverCert, clientCert.fingerprint(), 2)
                .srtpProfiles(
                    List.of(
                        SrtpProfile.AEAD_AES_256_GCM,
                        SrtpProfile.AES128_CM_HMAC_SHA1_80,
                        SrtpProfile.AES128_CM_HMAC_SHA1_32)));
    HandshakeComplete c = DtlsPair.ofType(pair.clientEvents, HandshakeComplete.class).get(0);
    // The server's preference wins among what the client offered.
    assertEquals(SrtpProfile.AES128_CM_HMAC_SHA1_80, c.profile());
    assertEquals(30, c.keys().localKey().length + c.keys().localSalt().length);
    assertEquals(CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, c.cipherSuite());
    pair.closeBoth();
  }

  @Test
  void aes256GcmKeysHaveProfileLengths() {
    DtlsCertificate cc = DtlsPair.TestCertificates.ecdsa(310);
    DtlsCertificate sc = DtlsPair.TestCertificates.ecdsa(311);
    DtlsPair pair =
        connectedPair(
            4,
            DtlsPair.builder(DtlsRole.CLIENT, cc, sc.fingerprint(), 1)
                .srtpProfiles(List.of(SrtpProfile.AEAD_AES_256_GCM)),
            DtlsPair.builder(DtlsRole.SERVER, sc, cc.fingerprint(), 2));
    HandshakeComplete s = DtlsPair.ofType(pair.serverEvents, HandshakeComplete.class).get(0);
    assertEquals(SrtpProfile.AEAD_AES_256_GCM, s.profile());
    assertEquals(32, s.keys().localKey().length);
    assertEquals(12, s.keys().remoteSalt().length);
    pair.closeBoth();
  }

  @Test
  void noCommonSrtpProfileFailsBothSidesWithoutKeys() {
    DtlsCertificate cc = DtlsPair.TestCertificates.ecdsa(320);
    DtlsCertificate sc = DtlsPair.TestCertificates.ecdsa(321);
    DtlsPair pair =
        failedPair(
            5,
            DtlsPair.builder(DtlsRole.CLIENT, cc, sc.fingerprint(), 1)
                .srtpProfiles(List.of(SrtpProfile.AES128_CM_HMAC_SHA1_32)),
            DtlsPair.builder(DtlsRole.SERVER, sc, cc.fingerprint(), 2)
                .srtpProfiles(List.of(SrtpProfile.AEAD_AES_128_GCM)));
    Failed f = firstFailure(pair.serverEvents);
    assertTrue(f.reason().contains("no common SRTP profile"), f.reason());
    assertEquals(DtlsFailure.NO_COMMON_SRTP_PROFILE, f.kind());
    assertEquals(DtlsFailure.NO_COMMON_SRTP_PROFILE, pair.server.failure());
    assertEquals(DtlsFailure.ALERT_RECEIVED, firstFailure(pair.clientEvents).kind());
    assertTrue(DtlsPair.ofType(pair.clientEvents, HandshakeComplete.class).isEmpty());
    assertTrue(DtlsPair.ofType(pair.serverEvents, HandshakeComplete.class).isEmpty());
  }

  @Test
  void serverFingerprintMismatchFailsClientWithBadCertificateAlertAndNoKeys() {
    DtlsCertificate cc = DtlsPair.TestCertificates.ecdsa(400);
    DtlsCertificate sc = DtlsPair.TestCertificates.ecdsa(401);
    DtlsCertificate other = DtlsPair.TestCertificates.ecdsa(402);
    DtlsPair pair =
        failedPair(
            6,
            DtlsPair.builder(DtlsRole.CLIENT, cc, other.fingerprint(), 1),
            DtlsPair.builder(DtlsRole.SERVER, sc, cc.fingerprint(), 2));
    Failed clientFailure = firstFailure(pair.clientEvents);
    assertTrue(clientFailure.reason().contains("fingerprint mismatch"), clientFailure.reason());
    assertEquals(DtlsFailure.FINGERPRINT_MISMATCH, clientFailure.kind());
    assertEquals(clientFailure.reason(), pair.client.failureReason());
    assertTrue(clientFailure.reason().contains(other.fingerprint().format()));
    assertTrue(clientFailure.reason().contains(sc.fingerprint().format()));
    // The server learns why from the alert the client sent.
    Failed serverFailure = firstFailure(pair.serverEvents);
    assertTrue(serverFailure.reason().contains("bad_certificate"), serverFailure.reason());
    assertEquals(DtlsFailure.ALERT_RECEIVED, serverFailure.kind());
    assertTrue(DtlsPair.ofType(pair.clientEvents, HandshakeComplete.class).isEmpty());
    assertTrue(DtlsPair.ofType(pair.serverEvents, HandshakeComplete.class).isEmpty());
  }

  @Test
  void clientFingerprintMismatchFailsServer() {
    DtlsCertificate cc = DtlsPair.TestCertificates.ecdsa(410);
    DtlsCertificate sc = DtlsPair.TestCertificates.ecdsa(411);
    DtlsCertificate other = DtlsPair.TestCertificates.ecdsa(412);
    DtlsPair pair =
        failedPair(
            8,
            DtlsPair.builder(DtlsRole.CLIENT, cc, sc.fingerprint(), 1),
            DtlsPair.builder(DtlsRole.SERVER, sc, other.fingerprint("sha-1"), 2));
    Failed serverFailure = firstFailure(pair.serverEvents);
    assertTrue(serverFailure.reason().contains("fingerprint mismatch"), serverFailure.reason());
    assertTrue(serverFailure.reason().contains(cc.fingerprint("sha-1").format()));
    Failed clientFailure = firstFailure(pair.clientEvents);
    assertTrue(clientFailure.reason().contains("bad_certificate"), clientFailure.reason());
    assertTrue(DtlsPair.ofType(pair.clientEvents, HandshakeComplete.class).isEmpty());
  }

  @Test
  void anyOfSeveralFingerprintsWithOtherHashFunctionsIsAccepted() {
    DtlsCertificate cc = DtlsPair.TestCertificates.ecdsa(420);
    DtlsCertificate sc = DtlsPair.TestCertificates.ecdsa(421);
    DtlsCertificate other = DtlsPair.TestCertificates.ecdsa(422);
    DtlsPair pair =
        connectedPair(
            9,
            DtlsPair.builder(DtlsRole.CLIENT, cc, other.fingerprint(), 1)
                .remoteFingerprint(sc.fingerprint("sha-512")),
            DtlsPair.builder(DtlsRole.SERVER, sc, cc.fingerprint("sha-384"), 2));
    pair.closeBoth();
  }

  @Test
  void expiredRemoteCertificateIsAcceptedWhenFingerprintMatches() {
    long year2020 = 1_577_836_800_000L;
    DtlsCertificate expired =
        DtlsCertificate.generate(
            DtlsCertificate.KeyType.ECDSA_P256,
            DtlsPair.TestCertificates.random(430),
            year2020,
            year2020 + 86_400_000L);
    DtlsCertificate sc = DtlsPair.TestCertificates.ecdsa(431);
    DtlsPair pair =
        connectedPair(
            10,
            DtlsPair.builder(DtlsRole.CLIENT, expired, sc.fingerprint(), 1),
            DtlsPair.builder(DtlsRole.SERVER, sc, expired.fingerprint(), 2));
    pair.closeBoth();
  }

  @Test
  void handshakeTimeoutOnVirtualClockFailsAndEndsThread() throws InterruptedException {
    DtlsCertificate cc = DtlsPair.TestCertificates.ecdsa(500);
    DtlsEndpoint lonely =
        new DtlsEndpoint(
            DtlsPair.builder(
                    DtlsRole.CLIENT, cc, DtlsPair.TestCertificates.ecdsa(501).fingerprint(), 1)
                .handshakeTimeoutNanos(10_000_000_000L)
                .build());
    long t0 = 5_000_000_000L;
    lonely.start(t0);
    assertEquals(t0 + 10_000_000_000L, lonely.pollTimeoutNanos());
    lonely.handleTimeout(t0 + 9_999_999_999L);
    assertEquals(DtlsEndpoint.State.HANDSHAKING, lonely.state());
    lonely.handleTimeout(t0 + 10_000_000_000L);
    assertEquals(DtlsEndpoint.State.FAILED, lonely.state());
    DtlsEvent e = lonely.pollEvent();
    assertTrue(
        e instanceof Failed f
            && f.reason().contains("timed out")
            && f.kind() == DtlsFailure.HANDSHAKE_TIMEOUT,
        String.valueOf(e));
    assertNull(lonely.pollEvent());
    assertEquals(Long.MAX_VALUE, lonely.pollTimeoutNanos());
    ThreadLeakCheck.assertNoDtlsThreadsAfterJoin(10_000);
    // A ClientHello was sent before the timeout (the remote just never answered).
    assertNotNull(lonely.pollTransmit());
  }

  @Test
  void garbageBeforeAndAfterHandshakeIsCountedAndDropped() {
    DtlsPair pair = DtlsPair.create(new SimNetwork(11), 600);
    Random random = new Random(600);
    // Garbage reaches the server before the client's hello.
    for (int i = 0; i < 20; i++) {
      byte[] junk = junk(random);
      pair.server.handleReceive(pair.clock.nanoTime(), junk, 0, junk.length);
      pair.client.handleReceive(pair.clock.nanoTime(), junk, 0, junk.length);
    }
    // A well-framed record with a wrong MAC and a non-DTLS datagram (RTP-like first byte 0x80).
    byte[] forged = forgedRecord(random);
    byte[] rtp = {(byte) 0x80, 0, 0, 1};
    pair.server.handleReceive(pair.clock.nanoTime(), rtp, 0, rtp.length);
    pair.start();
    assertTrue(pair.pumpUntil(pair::bothConnected));
    long malformedBefore = pair.server.malformedDatagrams();
    assertTrue(malformedBefore >= 15, "malformed: " + malformedBefore);
    pair.server.handleReceive(pair.clock.nanoTime(), rtp, 0, rtp.length);
    assertEquals(malformedBefore + 1, pair.server.malformedDatagrams(), "RTP is not DTLS");

    for (int i = 0; i < 50; i++) {
      byte[] junk = junk(random);
      pair.client.handleReceive(pair.clock.nanoTime(), junk, 0, junk.length);
      pair.client.handleReceive(pair.clock.nanoTime(), forged, 0, forged.length);
    }
    assertTrue(pair.client.malformedDatagrams() >= 40);
    // Caught by its GCM tag before BouncyCastle (DtlsForgedRecordTest has the details).
    assertEquals(50, pair.client.forgedRecords());
    assertEquals(0, pair.client.rejectedRecords());
    assertEquals(DtlsEndpoint.State.CONNECTED, pair.client.state());
    byte[] ping = "still up".getBytes(StandardCharsets.UTF_8);
    pair.server.sendApplicationData(ping, 0, ping.length);
    assertTrue(
        pair.pumpUntil(() -> !DtlsPair.ofType(pair.clientEvents, ApplicationData.class).isEmpty()));
    pair.closeBoth();
  }

  @Test
  void aRetransmittedFlightAfterTheHandshakeIsCountedApartFromRejectedRecords() {
    // Chromium, whose retransmit timer is short, resends its flight after jpeer has finished;
    // those records are dropped but are not forgeries and must not read as such in the stats.
    DtlsPair pair = DtlsPair.create(new SimNetwork(17), 620);
    List<byte[]> toClient = new ArrayList<>();
    pair.onDeliver =
        d -> {
          if (d.to().equals(DtlsPair.CLIENT_ADDRESS)) {
            toClient.add(d.data().clone());
          }
        };
    pair.start();
    assertTrue(pair.pumpUntil(pair::bothConnected));
    pair.onDeliver = d -> {};
    int records = 0;
    for (byte[] datagram : toClient) {
      for (int pos = 0; pos + 13 <= datagram.length; records++) {
        pos += 13 + (((datagram[pos + 11] & 0xff) << 8) | (datagram[pos + 12] & 0xff));
      }
      pair.client.handleReceive(pair.clock.nanoTime(), datagram, 0, datagram.length);
    }
    // ServerHello .. ServerHelloDone, the ChangeCipherSpec, and the encrypted Finished (known by
    // its record length) are all late handshake records, none a rejected one.
    assertTrue(records >= 6, "server records: " + records);
    assertEquals(records, pair.client.lateHandshakeRecords());
    assertEquals(0, pair.client.rejectedRecords());
    // A forged application record is a forged one.
    byte[] forged = forgedRecord(new Random(620));
    pair.client.handleReceive(pair.clock.nanoTime(), forged, 0, forged.length);
    assertEquals(1, pair.client.forgedRecords());
    assertEquals(0, pair.client.rejectedRecords());
    assertEquals(DtlsEndpoint.State.CONNECTED, pair.client.state());
    byte[] ping = "after the replay".getBytes(StandardCharsets.UTF_8);
    pair.server.sendApplicationData(ping, 0, ping.length);
    assertTrue(
        pair.pumpUntil(() -> !DtlsPair.ofType(pair.clientEvents, ApplicationData.class).isEmpty()));
    pair.closeBoth();
  }

  @Test
  void shortEncryptedRecordsAreDroppedNotFatal() {
    // Regression: BouncyCastle's AEAD ciphers raise decode_error for an epoch-1 record shorter
    // than nonce + tag, and its record layer then failed the association; found by
    // DtlsEndpointFuzzTest. Such unauthenticated records must only be dropped. With an AES-GCM
    // suite the record screen drops them before BouncyCastle; DiscardingTlsCrypto still guards
    // the ChaCha20-Poly1305 suites.
    DtlsPair pair = connectedPair(new SimNetwork(16), 610);
    for (int length = 0; length < 24; length++) {
      for (int type = 20; type <= 24; type++) {
        byte[] record = DtlsBasicsTest.record(type, 0xFEFD, length);
        record[4] = 1; // epoch 1: the encrypted epoch
        record[10] = (byte) (100 + length);
        pair.client.handleReceive(pair.clock.nanoTime(), record, 0, record.length);
        pair.server.handleReceive(pair.clock.nanoTime(), record, 0, record.length);
      }
    }
    assertEquals(DtlsEndpoint.State.CONNECTED, pair.client.state());
    assertEquals(DtlsEndpoint.State.CONNECTED, pair.server.state());
    assertEquals(24 * 5, pair.client.forgedRecords());
    assertEquals(24 * 5, pair.server.forgedRecords());
    byte[] ping = "alive".getBytes(StandardCharsets.UTF_8);
    pair.client.sendApplicationData(ping, 0, ping.length);
    assertTrue(
        pair.pumpUntil(() -> !DtlsPair.ofType(pair.serverEvents, ApplicationData.class).isEmpty()));
    pair.closeBoth();
  }

  static byte[] junk(Random random) {
    byte[] junk = new byte[1 + random.nextInt(200)];
    random.nextBytes(junk);
    junk[0] = (byte) (20 + random.nextInt(44));
    return junk;
  }

  /** An application_data record in epoch 1 with the right framing and random ciphertext. */
  static byte[] forgedRecord(Random random) {
    byte[] record = new byte[13 + 40];
    random.nextBytes(record);
    record[0] = 23;
    record[1] = (byte) 0xFE;
    record[2] = (byte) 0xFD;
    record[3] = 0;
    record[4] = 1;
    record[11] = 0;
    record[12] = 40;
    return record;
  }

  @Test
  void closeFromClientIsSeenByServer() {
    DtlsPair pair = connectedPair(new SimNetwork(12), 700);
    pair.client.close();
    assertTrue(pair.pumpUntil(() -> pair.server.state() == DtlsEndpoint.State.CLOSED));
    assertEquals(List.of(new Closed(true)), DtlsPair.ofType(pair.serverEvents, Closed.class));
    assertEquals(List.of(new Closed(false)), DtlsPair.ofType(pair.clientEvents, Closed.class));
    assertThrows(
        IllegalStateException.class, () -> pair.client.sendApplicationData(new byte[1], 0, 1));
    pair.client.close();
    assertEquals(1, DtlsPair.ofType(pair.clientEvents, Closed.class).size());
  }

  @Test
  void recordsAfterCloseAreDroppedQuietlyOnBothSides() throws InterruptedException {
    DtlsPair pair = connectedPair(new SimNetwork(14), 720);
    // Capture a genuine application_data record on its way to the server.
    List<byte[]> captured = new java.util.ArrayList<>();
    pair.clientToServerFilter =
        d -> {
          captured.add(d.clone());
          return d;
        };
    pair.client.sendApplicationData(new byte[] {1, 2, 3}, 0, 3);
    assertTrue(pair.pumpUntil(() -> !captured.isEmpty()));
    pair.client.close();
    assertTrue(pair.pumpUntil(() -> pair.server.state() == DtlsEndpoint.State.CLOSED));
    // Let the close_notify exchange finish, so what follows is only the injected records' effect.
    while (pair.client.pollTransmit() != null || pair.server.pollTransmit() != null) {
      pair.collect();
    }
    pair.collect();
    int clientEvents = pair.clientEvents.size();
    int serverEvents = pair.serverEvents.size();
    // Replayed data, a fresh ClientHello-shaped record and garbage, into both closed endpoints.
    byte[] garbage = {23, (byte) 0xfe, (byte) 0xfd, 0, 1, 0, 0, 0, 0, 0, 9, 0, 2, 7, 7};
    for (DtlsEndpoint closed : List.of(pair.client, pair.server)) {
      for (byte[] record : List.of(captured.get(0), garbage, new byte[] {22, 1, 2})) {
        closed.handleReceive(pair.clock.nanoTime(), record, 0, record.length);
        closed.handleTimeout(pair.clock.advanceMillis(10));
      }
      assertEquals(DtlsEndpoint.State.CLOSED, closed.state());
      assertNull(closed.pollTransmit(), "a closed endpoint answers nothing");
      assertEquals(Long.MAX_VALUE, closed.pollTimeoutNanos());
    }
    pair.collect();
    assertEquals(clientEvents, pair.clientEvents.size(), "no event after close");
    assertEquals(serverEvents, pair.serverEvents.size(), "no event after close");
    ThreadLeakCheck.assertNoDtlsThreadsAfterJoin(5_000);
  }

  @Test
  void closeFromServerIsSeenByClient() {
    DtlsPair pair = connectedPair(new SimNetwork(13), 710);
    pair.server.close();
    assertTrue(pair.pumpUntil(() -> pair.client.state() == DtlsEndpoint.State.CLOSED));
    assertEquals(List.of(new Closed(true)), DtlsPair.ofType(pair.clientEvents, Closed.class));
  }

  @Test
  void closeDuringHandshakeEndsThreadAndReportsClosed() throws InterruptedException {
    DtlsPair pair = DtlsPair.create(new SimNetwork(14), 720);
    pair.start();
    pair.client.close();
    pair.server.close();
    pair.collect();
    assertEquals(List.of(new Closed(false)), DtlsPair.ofType(pair.clientEvents, Closed.class));
    assertEquals(List.of(new Closed(false)), DtlsPair.ofType(pair.serverEvents, Closed.class));
    ThreadLeakCheck.assertNoDtlsThreadsAfterJoin(10_000);
    pair.collect();
    assertEquals(2, pair.clientEvents.size() + pair.serverEvents.size());
  }

  @Test
  void datagramsReceivedBeforeStartAreKeptForTheHandshake() {
    // A browser client may send its ClientHello before our answer is applied and start() called.
    DtlsPair pair = DtlsPair.create(new SimNetwork(17), 740);
    pair.client.start(pair.clock.nanoTime());
    assertTrue(pair.pumpUntil(() -> pair.net.delivered() > 0));
    assertEquals(DtlsEndpoint.State.NEW, pair.server.state());
    pair.server.start(pair.clock.nanoTime());
    assertTrue(pair.pumpUntil(pair::bothConnected));
    pair.closeBoth();
  }

  @Test
  void lostCertificateVerifyFollowedByChangeCipherSpecDoesNotStallServer() {
    // Regression: BouncyCastle switched the server's read epoch on a ChangeCipherSpec that
    // arrived while the client's CertificateVerify was lost, then dropped every retransmitted
    // epoch-0 record, and the handshake stalled until its timeout (found by a lossy stress run).
    DtlsPair pair = DtlsPair.create(new SimNetwork(18), 750);
    boolean[] dropped = {false};
    pair.clientToServerFilter =
        d ->
            DtlsPair.withoutRecords(
                d,
                (r, at) -> {
                  if (!dropped[0] && DtlsPair.isRecord(r, at, 22, 15)) {
                    dropped[0] = true;
                    return true;
                  }
                  return false;
                });
    pair.start();
    assertTrue(pair.pumpUntil(pair::bothConnected), pair::toString);
    assertTrue(dropped[0]);
    pair.closeBoth();
  }

  @Test
  void serverAnswersRetransmittedFinishedWithItsFinalFlight() {
    // The client never gets the server's ChangeCipherSpec, and every retransmitted client
    // Certificate is lost, so BouncyCastle's "whole previous flight again" rule never fires:
    // only the endpoint's answer to the authenticated Finished completes the handshake.
    DtlsPair pair = DtlsPair.create(new SimNetwork(19), 760);
    boolean[] droppedCcs = {false};
    int[] certificates = {0};
    pair.serverToClientFilter =
        d ->
            DtlsPair.withoutRecords(
                d,
                (r, at) -> {
                  if (!droppedCcs[0] && DtlsPair.isRecord(r, at, 20, -1)) {
                    droppedCcs[0] = true;
                    return true;
                  }
                  return false;
                });
    pair.clientToServerFilter =
        d ->
            DtlsPair.withoutRecords(
                d, (r, at) -> DtlsPair.isRecord(r, at, 22, 11) && certificates[0]++ > 0);
    pair.start();
    assertTrue(pair.pumpUntil(pair::bothConnected), pair::toString);
    assertTrue(droppedCcs[0]);
    assertTrue(certificates[0] > 1, "the client must have retransmitted its flight");
    pair.closeBoth();
  }

  @Test
  void apiMisuseIsReportedWithIllegalStateOrArgument() {
    DtlsPair pair = DtlsPair.create(new SimNetwork(15), 730);
    assertThrows(
        IllegalStateException.class, () -> pair.client.sendApplicationData(new byte[1], 0, 1));
    assertThrows(
        IllegalArgumentException.class, () -> pair.client.handleReceive(0, new byte[4], 2, 3));
    pair.start();
    assertThrows(IllegalStateException.class, () -> pair.client.start(0));
    pair.closeBoth();
  }
}
