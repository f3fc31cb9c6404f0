package io.github.jpeer.dtls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jpeer.dtls.DtlsEvent.HandshakeComplete;
import io.github.jpeer.dtls.InteropHarness.Exchange;
import io.github.jpeer.dtls.InteropHarness.ExternalProgram;
import io.github.jpeer.dtls.InteropHarness.PemCertificate;
import io.github.jpeer.srtp.SrtpProfile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.bouncycastle.tls.CipherSuite;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * DTLS-SRTP against OpenSSL's s_server and s_client on 127.0.0.1, as a matrix: our role, the key
 * type of both certificates, OpenSSL's MTU, and a cipher suite OpenSSL is forced to. In each case
 * the handshake completes with the expected SRTP profile, the keying material OpenSSL exports
 * equals ours, application data flows both ways, no genuine record is screened out as forged, and
 * none of our datagrams exceeds {@link DtlsConfig#maxDatagramBytes()}.
 *
 * <p>With {@code -mtu N} OpenSSL fragments its flights into datagrams of at most N bytes (s_server
 * even leaves room for 28 bytes of IPv4 and UDP headers), and we run with {@code maxDatagramBytes =
 * N}: 256 ({@link DtlsConfig#MIN_MAX_DATAGRAM_BYTES}, the floor) and 400. Both hold, so each
 * small-MTU case also has us reassemble OpenSSL's fragmented flight. BouncyCastle fragments every
 * handshake message to our limit and we pack whole records only up to it, so even at 256 bytes no
 * datagram of ours is larger. (BouncyCastle itself keeps to a limit only from 61 bytes up, where
 * its epoch-1 Finished fits; see {@link DtlsConfig#MIN_MAX_DATAGRAM_BYTES}.)
 */
@Tag("interop")
class OpenSslInteropTest {
  private static final Pattern KEYING_MATERIAL =
      Pattern.compile("Keying material:\\s*([0-9A-Fa-f]+)");

  /** OpenSSL's certificates, one per key type, made once for the class. */
  private static final Map<DtlsCertificate.KeyType, PemCertificate> THEIRS =
      new EnumMap<>(DtlsCertificate.KeyType.class);

  @TempDir static Path certificates;
  @TempDir Path dir;
  private final List<ExternalProgram> programs = new ArrayList<>();

  @BeforeAll
  static void needOpenSslAndCertificates() throws Exception {
    InteropHarness.requireOpenSsl();
    for (DtlsCertificate.KeyType type : DtlsCertificate.KeyType.values()) {
      THEIRS.put(type, InteropHarness.certificate(certificates, type, "openssl-" + type));
    }
  }

  @AfterEach
  void stopOpenSsl() throws InterruptedException {
    for (ExternalProgram p : programs) {
      p.close();
    }
    ThreadLeakCheck.assertNoDtlsThreadsAfterJoin(10_000);
  }

  /**
   * One case of the matrix.
   *
   * @param ours our role; OpenSSL runs s_server for a client, s_client for a server
   * @param keyType the key type of both certificates (so the RSA cases negotiate ECDHE_RSA)
   * @param mtu OpenSSL's {@code -mtu} and our maxDatagramBytes, or 0 for both defaults
   * @param profile the SRTP profile the handshake must choose
   * @param cipher OpenSSL's {@code -cipher} list, or null for its default
   * @param suite the cipher suite that must be chosen, or -1 for any AES-GCM one of the key type
   */
  record Case(
      DtlsRole ours,
      DtlsCertificate.KeyType keyType,
      int mtu,
      SrtpProfile profile,
      String cipher,
      int suite) {
    @Override
    public String toString() {
      return "jpeer "
          + ours
          + ", "
          + keyType
          + ", mtu "
          + (mtu == 0 ? "default" : mtu)
          + ", "
          + profile
          + (cipher == null ? "" : ", -cipher " + cipher);
    }
  }

  static Stream<Case> cases() {
    List<Case> cases = new ArrayList<>();
    // Each MTU with another profile, so the matrix covers all four.
    int[] mtus = {0, 400, 256};
    SrtpProfile[] profiles = {
      SrtpProfile.AES128_CM_HMAC_SHA1_80,
      SrtpProfile.AEAD_AES_256_GCM,
      SrtpProfile.AES128_CM_HMAC_SHA1_32
    };
    for (DtlsRole role : DtlsRole.values()) {
      for (DtlsCertificate.KeyType type : DtlsCertificate.KeyType.values()) {
        for (int i = 0; i < mtus.length; i++) {
          cases.add(new Case(role, type, mtus[i], profiles[i], null, -1));
        }
      }
      SrtpProfile gcm = SrtpProfile.AEAD_AES_128_GCM;
      DtlsCertificate.KeyType ec = DtlsCertificate.KeyType.ECDSA_P256;
      cases.add(
          new Case(
              role,
              ec,
              0,
              gcm,
              "ECDHE-ECDSA-AES256-GCM-SHA384",
              CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384));
      cases.add(
          new Case(
              role,
              ec,
              0,
              gcm,
              "ECDHE-ECDSA-CHACHA20-POLY1305",
              CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256));
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void handshakeKeysAndDataBothWays(Case c) throws Exception {
    PemCertificate theirs = THEIRS.get(c.keyType());
    DtlsEndpoint endpoint =
        InteropHarness.endpoint(c.ours(), c.keyType(), c.mtu(), theirs.fingerprint(), 900);
    try (Exchange x = InteropHarness.Exchange.open(endpoint)) {
      List<String> args = new ArrayList<>();
      if (c.mtu() > 0) {
        args.addAll(List.of("-mtu", Integer.toString(c.mtu())));
      }
      if (c.cipher() != null) {
        args.addAll(List.of("-cipher", c.cipher()));
      }
      args.addAll(
          List.of(
              "-keymatexport",
              "EXTRACTOR-dtls_srtp",
              "-keymatexportlen",
              Integer.toString(c.profile().keyingMaterialLength())));
      ExternalProgram openssl;
      if (c.ours() == DtlsRole.CLIENT) {
        // The server chooses its own most preferred profile among ours: offer just one.
        args.addAll(List.of("-use_srtp", opensslName(c.profile()), "-verify", "1"));
        int port = InteropHarness.freeUdpPort();
        openssl = start("s_server", "-accept", port, theirs, args);
        openssl.awaitPrinted("ACCEPT");
        x.sendTo(port);
      } else {
        // We choose our most preferred among OpenSSL's: offer _32 as well, first.
        String offer =
            c.profile() == SrtpProfile.AES128_CM_HMAC_SHA1_32
                ? opensslName(c.profile())
                : "SRTP_AES128_CM_SHA1_32:" + opensslName(c.profile());
        args.addAll(List.of("-use_srtp", offer));
        openssl = start("s_client", "-connect", x.localPort(), theirs, args);
      }
      x.with(openssl);
      endpoint.start(System.nanoTime());

      HandshakeComplete done =
          InteropHarness.awaitCheckedHandshake(
              x, c.ours(), c.keyType(), c.mtu(), c.profile(), theirs.fingerprint(), "OpenSSL");
      if (c.suite() >= 0) {
        assertEquals(c.suite(), done.cipherSuite());
      } else {
        int[] suites =
            c.keyType() == DtlsCertificate.KeyType.ECDSA_P256
                ? HandshakeSession.ECDSA_SUITES
                : HandshakeSession.RSA_SUITES;
        assertTrue(
            java.util.Arrays.stream(suites).anyMatch(s -> s == done.cipherSuite()),
            "suite " + done.cipherSuite());
        // An AES-GCM suite, so that the data below passes our record screen.
        assertTrue(RecordScreen.keyBytes(done.cipherSuite()) > 0, "suite " + done.cipherSuite());
      }
      x.pumpUntil("OpenSSL's keying material", () -> openssl.log().contains("Keying material:"));
      byte[] exported = InteropHarness.hexAfter(KEYING_MATERIAL, openssl.log());
      assertNotNull(exported, openssl.toString());
      InteropHarness.assertKeyingMaterial(exported, done, c.ours());

      InteropHarness.textBothWays(x, endpoint, openssl, "OpenSSL");
      // OpenSSL reads our close_notify: s_server reports DONE, s_client "closed".
      String closed = c.ours() == DtlsRole.CLIENT ? "DONE" : "closed";
      InteropHarness.closeAndCheckSizes(x, endpoint, openssl, closed, c.mtu(), "OpenSSL");
    }
  }

  @Test
  void wrongFingerprintFailsAndOpenSslSeesBadCertificate() throws Exception {
    PemCertificate theirs = THEIRS.get(DtlsCertificate.KeyType.ECDSA_P256);
    DtlsCertificate ours = DtlsPair.TestCertificates.ecdsa(902);
    Fingerprint wrong = DtlsPair.TestCertificates.ecdsa(903).fingerprint();
    DtlsEndpoint endpoint =
        new DtlsEndpoint(
            DtlsConfig.builder(DtlsRole.CLIENT, ours)
                .remoteFingerprint(wrong)
                .initialRetransmitMillis(200)
                .build());
    try (Exchange x = InteropHarness.Exchange.open(endpoint)) {
      int port = InteropHarness.freeUdpPort();
      ExternalProgram openssl =
          start(
              "s_server", "-accept", port, theirs, List.of("-use_srtp", "SRTP_AES128_CM_SHA1_80"));
      openssl.awaitPrinted("ACCEPT");
      x.sendTo(port).with(openssl);
      endpoint.start(System.nanoTime());
      x.pumpUntil("the handshake to end", () -> endpoint.state() != DtlsEndpoint.State.HANDSHAKING);
      assertEquals(DtlsEndpoint.State.FAILED, endpoint.state());
      x.flush();
      DtlsEvent.Failed failed = (DtlsEvent.Failed) x.events().get(x.events().size() - 1);
      assertTrue(failed.reason().contains("fingerprint mismatch"), failed.reason());
      assertTrue(x.events().stream().noneMatch(e -> e instanceof HandshakeComplete));
      x.pumpUntil(
          "OpenSSL's bad certificate report",
          () -> openssl.log().toLowerCase(java.util.Locale.ROOT).contains("bad certificate"));
    }
  }

  /**
   * OpenSSL's name of a profile (RFC 5764 says SRTP_AES128_CM_HMAC_SHA1_80, OpenSSL drops HMAC).
   */
  private static String opensslName(SrtpProfile profile) {
    return profile.rfcName().replace("_HMAC_", "_");
  }

  /**
   * Starts {@code s_server} or {@code s_client} in DTLS 1.2 on 127.0.0.1:{@code port} with the
   * certificate {@code theirs}, plus {@code more} arguments.
   */
  private ExternalProgram start(
      String tool, String addressOption, int port, PemCertificate theirs, List<String> more)
      throws java.io.IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                InteropHarness.openssl().toString(),
                tool,
                "-dtls1_2",
                addressOption,
                "127.0.0.1:" + port,
                "-cert",
                theirs.certificate().toString(),
                "-key",
                theirs.key().toString()));
    command.addAll(more);
    ExternalProgram p = ExternalProgram.start(tool, dir, Map.of(), command);
    programs.add(p);
    return p;
  }
}
