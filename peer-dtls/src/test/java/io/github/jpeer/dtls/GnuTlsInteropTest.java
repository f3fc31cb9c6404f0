package io.github.jpeer.dtls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jpeer.dtls.DtlsEvent.HandshakeComplete;
import io.github.jpeer.dtls.InteropHarness.Exchange;
import io.github.jpeer.dtls.InteropHarness.ExternalProgram;
import io.github.jpeer.dtls.InteropHarness.PemCertificate;
import io.github.jpeer.srtp.SrtpProfile;
import io.github.jpeer.testkit.ExternalTools;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.tls.CipherSuite;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * DTLS-SRTP against GnuTLS's gnutls-serv and gnutls-cli in UDP mode on 127.0.0.1, both roles, at
 * the default MTU and at 256 bytes: the handshake completes with the expected SRTP profile, the
 * keying material GnuTLS derived equals ours, application data flows both ways, no genuine record
 * is screened out as forged, and none of our datagrams exceeds {@link
 * DtlsConfig#maxDatagramBytes()}.
 *
 * <p>GnuTLS 3.7 does use_srtp in both roles, but only the AES-CM and NULL profiles (no AEAD ones,
 * RFC 7714), so the cases use {@code _80} and {@code _32}.
 *
 * <p><b>How GnuTLS's keys are read.</b> gnutls-cli prints its exporter output ({@code
 * --keymatexport}) after the handshake, which we compare directly. gnutls-serv accepts the option
 * but prints nothing in UDP mode (only its TCP server calls the printing code), so as the client we
 * read the master secret GnuTLS itself derived from its NSS key log ({@code SSLKEYLOGFILE}: {@code
 * CLIENT_RANDOM <client random> <master secret>}), take the server random from its ServerHello as
 * it came off the wire, and compute the RFC 5705 exporter from them here with the JDK's HMAC (RFC
 * 5246 section 5 PRF), independently of BouncyCastle. A wrong master secret or a wrong exporter on
 * our side would show either way.
 *
 * <p>gnutls-serv prints to a pipe through stdio's full buffering; it runs under {@code stdbuf -oL}
 * so that its lines reach the log as they happen. It has no option to bind one address: it listens
 * on every interface, but the test only ever talks to it over 127.0.0.1. In UDP mode it echoes each
 * record it receives, which proves both directions at once.
 */
@Tag("interop")
class GnuTlsInteropTest {
  private static final Path GNUTLS_SERV = Path.of("/usr/bin/gnutls-serv");
  private static final Path GNUTLS_CLI = Path.of("/usr/bin/gnutls-cli");
  private static final Path STDBUF = Path.of("/usr/bin/stdbuf");

  private static final int CLIENT_HELLO = 1;
  private static final int SERVER_HELLO = 2;
  private static final String EXPORTER_LABEL = "EXTRACTOR-dtls_srtp";
  private static final Pattern KEY_MATERIAL = Pattern.compile("- Key material: ([0-9A-Fa-f]+)");
  private static final Pattern KEY_LOG =
      Pattern.compile("CLIENT_RANDOM ([0-9A-Fa-f]{64}) ([0-9A-Fa-f]{96})");

  /** GnuTLS's certificates, one per key type, made once for the class. */
  private static final Map<DtlsCertificate.KeyType, PemCertificate> THEIRS =
      new EnumMap<>(DtlsCertificate.KeyType.class);

  @TempDir static Path certificates;
  @TempDir Path dir;
  private final List<ExternalProgram> programs = new ArrayList<>();

  @BeforeAll
  static void needGnuTlsAndCertificates() throws Exception {
    ExternalTools.require(GNUTLS_SERV, "gnutls-bin");
    ExternalTools.require(GNUTLS_CLI, "gnutls-bin");
    ExternalTools.require(STDBUF, "coreutils");
    InteropHarness.requireOpenSsl();
    for (DtlsCertificate.KeyType type : DtlsCertificate.KeyType.values()) {
      THEIRS.put(type, InteropHarness.certificate(certificates, type, "gnutls-" + type));
    }
  }

  @AfterEach
  void stopGnuTls() throws InterruptedException {
    for (ExternalProgram p : programs) {
      p.close();
    }
    ThreadLeakCheck.assertNoDtlsThreadsAfterJoin(10_000);
  }

  /**
   * One case.
   *
   * @param ours our role; GnuTLS runs gnutls-serv for a client, gnutls-cli for a server
   * @param keyType the key type of both certificates
   * @param mtu GnuTLS's {@code --mtu} and our maxDatagramBytes, or 0 for both defaults
   * @param profile the SRTP profile the handshake must choose
   */
  record Case(DtlsRole ours, DtlsCertificate.KeyType keyType, int mtu, SrtpProfile profile) {
    @Override
    public String toString() {
      return "jpeer "
          + ours
          + ", "
          + keyType
          + ", mtu "
          + (mtu == 0 ? "default" : mtu)
          + ", "
          + profile;
    }
  }

  static Stream<Case> cases() {
    List<Case> cases = new ArrayList<>();
    for (DtlsRole role : DtlsRole.values()) {
      cases.add(
          new Case(
              role, DtlsCertificate.KeyType.ECDSA_P256, 0, SrtpProfile.AES128_CM_HMAC_SHA1_80));
      cases.add(
          new Case(
              role, DtlsCertificate.KeyType.RSA_2048, 256, SrtpProfile.AES128_CM_HMAC_SHA1_32));
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void handshakeKeysAndDataBothWays(Case c) throws Exception {
    PemCertificate theirs = THEIRS.get(c.keyType());
    DtlsEndpoint endpoint =
        InteropHarness.endpoint(c.ours(), c.keyType(), c.mtu(), theirs.fingerprint(), 910);
    try (Exchange x = InteropHarness.Exchange.open(endpoint)) {
      List<String> args =
          new ArrayList<>(
              List.of(
                  "--udp",
                  "--x509certfile=" + theirs.certificate(),
                  "--x509keyfile=" + theirs.key()));
      if (c.mtu() > 0) {
        args.add("--mtu=" + c.mtu());
      }
      Path keyLog = dir.resolve("keylog.txt");
      ExternalProgram gnutls;
      if (c.ours() == DtlsRole.CLIENT) {
        int port = InteropHarness.freeUdpPort();
        args.addAll(
            List.of(
                "--port=" + port,
                "--srtp-profiles=" + c.profile().rfcName(),
                // We are the DTLS-SRTP client: we must prove our fingerprint's key.
                "--require-client-cert"));
        gnutls =
            start("gnutls-serv", GNUTLS_SERV, Map.of("SSLKEYLOGFILE", keyLog.toString()), args);
        gnutls.awaitPrinted("Waiting for connection");
        x.sendTo(port);
      } else {
        // We choose our most preferred among GnuTLS's: offer _32 as well, first.
        String offer =
            c.profile() == SrtpProfile.AES128_CM_HMAC_SHA1_32
                ? c.profile().rfcName()
                : SrtpProfile.AES128_CM_HMAC_SHA1_32.rfcName() + ":" + c.profile().rfcName();
        args.addAll(
            List.of(
                "--port=" + x.localPort(),
                "--srtp-profiles=" + offer,
                "--keymatexport=" + EXPORTER_LABEL,
                "--keymatexportsize=" + c.profile().keyingMaterialLength(),
                // Our certificate is self-signed: its fingerprint is checked by us, not GnuTLS.
                "--insecure",
                "127.0.0.1"));
        gnutls = start("gnutls-cli", GNUTLS_CLI, Map.of(), args);
      }
      x.with(gnutls);
      endpoint.start(System.nanoTime());

      HandshakeComplete done =
          InteropHarness.awaitCheckedHandshake(
              x, c.ours(), c.keyType(), c.mtu(), c.profile(), theirs.fingerprint(), "GnuTLS");
      assertTrue(RecordScreen.keyBytes(done.cipherSuite()) > 0, "suite " + done.cipherSuite());
      if (c.ours() == DtlsRole.CLIENT) {
        x.pumpUntil(
            "GnuTLS's key log line", () -> KEY_LOG.matcher(InteropHarness.read(keyLog)).find());
        InteropHarness.assertKeyingMaterial(
            exporterFromKeyLog(InteropHarness.read(keyLog), x, done), done, c.ours());
        x.sendText("hello gnutls\n");
        x.pumpUntilPrinted("hello gnutls");
        // gnutls-serv echoes each record: GnuTLS decrypted ours and we decrypt its.
        x.pumpUntil("the echo", () -> x.receivedText().contains("hello gnutls"));
        assertEquals("hello gnutls\n", x.receivedText());
        // The largest record our datagram size allows: it must still fit, and GnuTLS accept it.
        String largest = "x".repeat(endpoint.maxApplicationDataBytes() - 1) + "\n";
        x.sendText(largest);
        x.pumpUntil("the largest record's echo", () -> x.receivedText().endsWith(largest));
      } else {
        x.pumpUntilPrinted("- Key material:");
        byte[] exported = InteropHarness.hexAfter(KEY_MATERIAL, gnutls.log());
        assertNotNull(exported, gnutls.toString());
        InteropHarness.assertKeyingMaterial(exported, done, c.ours());
        InteropHarness.textBothWays(x, endpoint, gnutls, "GnuTLS");
      }
      // GnuTLS reads our close_notify: gnutls-serv says EOF, gnutls-cli that the peer closed.
      String closed =
          c.ours() == DtlsRole.CLIENT ? "EOF" : "- Peer has closed the GnuTLS connection";
      InteropHarness.closeAndCheckSizes(x, endpoint, gnutls, closed, c.mtu(), "GnuTLS");
    }
  }

  /**
   * The exporter output (RFC 5705, no context) that GnuTLS's master secret gives for this
   * handshake: PRF(master_secret, label, client_random + server_random), with the suite's PRF hash.
   * The key log line is the one for our ClientHello's random; the server random is read from the
   * ServerHello we received.
   */
  private static byte[] exporterFromKeyLog(String keyLog, Exchange x, HandshakeComplete done)
      throws GeneralSecurityException {
    byte[] clientRandom = helloRandom(x.sent(), CLIENT_HELLO);
    byte[] serverRandom = helloRandom(x.received(), SERVER_HELLO);
    byte[] masterSecret = null;
    Matcher m = KEY_LOG.matcher(keyLog);
    while (m.find()) {
      if (Arrays.equals(HexFormat.of().parseHex(m.group(1).toLowerCase()), clientRandom)) {
        masterSecret = HexFormat.of().parseHex(m.group(2).toLowerCase());
      }
    }
    assertNotNull(masterSecret, "no key log line for our client random in:\n" + keyLog);
    byte[] seed = new byte[64];
    System.arraycopy(clientRandom, 0, seed, 0, 32);
    System.arraycopy(serverRandom, 0, seed, 32, 32);
    boolean sha384 =
        done.cipherSuite() == CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384
            || done.cipherSuite() == CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384;
    return prf(
        sha384 ? "HmacSHA384" : "HmacSHA256",
        masterSecret,
        EXPORTER_LABEL,
        seed,
        done.profile().keyingMaterialLength());
  }

  /**
   * The 32-byte random of the first hello of {@code type} in {@code datagrams}: in the fragment
   * that starts the message, after the 2-byte client/server_version.
   */
  private static byte[] helloRandom(List<byte[]> datagrams, int type) {
    for (InteropHarness.HandshakeFragment f : InteropHarness.handshakeFragments(datagrams, type)) {
      if (f.fragmentOffset() == 0 && f.fragmentLength() >= 2 + 32) {
        return Arrays.copyOfRange(f.datagram(), f.body() + 2, f.body() + 2 + 32);
      }
    }
    throw new AssertionError("no hello of type " + type + " among " + datagrams.size());
  }

  /** The TLS 1.2 PRF, RFC 5246 section 5: P_hash(secret, label + seed) cut to {@code length}. */
  private static byte[] prf(String hmac, byte[] secret, String label, byte[] seed, int length)
      throws GeneralSecurityException {
    Mac mac = Mac.getInstance(hmac);
    mac.init(new SecretKeySpec(secret, hmac));
    byte[] labelAndSeed = new byte[label.length() + seed.length];
    System.arraycopy(label.getBytes(StandardCharsets.US_ASCII), 0, labelAndSeed, 0, label.length());
    System.arraycopy(seed, 0, labelAndSeed, label.length(), seed.length);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] a = labelAndSeed; // A(0)
    while (out.size() < length) {
      a = mac.doFinal(a); // A(i) = HMAC(secret, A(i-1))
      mac.update(a);
      out.writeBytes(mac.doFinal(labelAndSeed)); // HMAC(secret, A(i) + label + seed)
    }
    return Arrays.copyOf(out.toByteArray(), length);
  }

  /** Starts a GnuTLS tool with line-buffered output (see the class comment). */
  private ExternalProgram start(
      String name, Path tool, Map<String, String> environment, List<String> args)
      throws java.io.IOException {
    List<String> command = new ArrayList<>(List.of(STDBUF.toString(), "-oL", tool.toString()));
    command.addAll(args);
    ExternalProgram p = ExternalProgram.start(name, dir, environment, command);
    programs.add(p);
    return p;
  }
}
