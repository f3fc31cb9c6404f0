package io.github.jpeer.dtls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jpeer.dtls.DtlsEvent.ApplicationData;
import io.github.jpeer.dtls.DtlsEvent.HandshakeComplete;
import io.github.jpeer.srtp.SrtpProfile;
import io.github.jpeer.testkit.ExternalTools;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DTLS-SRTP against OpenSSL's s_server and s_client on 127.0.0.1: the handshake completes both ways
 * and the SRTP keying material OpenSSL exports equals ours.
 */
@Tag("interop")
class OpenSslInteropTest {
  private static final Path OPENSSL = Path.of("/usr/bin/openssl");
  private static final long BOUND_NANOS = 20_000_000_000L;
  private static final Pattern KEYING_MATERIAL =
      Pattern.compile("Keying material:\\s*([0-9A-Fa-f]+)");

  @TempDir Path dir;
  private Process process;

  @BeforeAll
  static void needOpenSsl() {
    ExternalTools.require(OPENSSL, "openssl");
  }

  @AfterEach
  void stopOpenSsl() throws InterruptedException {
    if (process != null) {
      process.destroy();
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    }
    ThreadLeakCheck.assertNoDtlsThreadsAfterJoin(10_000);
  }

  @Test
  void weAreClientAgainstOpenSslServer() throws Exception {
    Fingerprint opensslFingerprint = makeOpenSslCertificate();
    DtlsCertificate ours = DtlsPair.TestCertificates.ecdsa(900);
    int port = freeUdpPort();
    Path log = dir.resolve("s_server.log");
    startOpenSsl(
        log,
        "s_server",
        "-accept",
        port,
        "-verify",
        "1",
        "-use_srtp",
        "SRTP_AES128_CM_SHA1_80",
        "-keymatexport",
        "EXTRACTOR-dtls_srtp",
        "-keymatexportlen",
        "60");
    // s_server needs a moment to bind; datagrams sent earlier are lost and retransmitted.
    DtlsEndpoint endpoint = endpoint(DtlsRole.CLIENT, ours, opensslFingerprint);
    try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      InetSocketAddress remote = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
      Exchange x = new Exchange(endpoint, socket, remote);
      endpoint.start(System.nanoTime());
      HandshakeComplete done = x.awaitHandshake();
      assertEquals(SrtpProfile.AES128_CM_HMAC_SHA1_80, done.profile());
      assertEquals(opensslFingerprint, done.remoteFingerprint());
      byte[] openssl = awaitKeyingMaterial(log, x);
      assertEquals(60, openssl.length);
      assertEquals(HexFormat.of().formatHex(layout(done, true)), HexFormat.of().formatHex(openssl));
      byte[] hello = "hello openssl\n".getBytes(StandardCharsets.UTF_8);
      endpoint.sendApplicationData(hello, 0, hello.length);
      x.pumpUntil(() -> read(log).contains("hello openssl"));
      assertTrue(read(log).contains("hello openssl"), read(log));
      assertDataFromOpenSsl(x);
      endpoint.close();
      x.flush();
    }
  }

  @Test
  void weAreServerAgainstOpenSslClient() throws Exception {
    Fingerprint opensslFingerprint = makeOpenSslCertificate();
    DtlsCertificate ours = DtlsPair.TestCertificates.ecdsa(901);
    DtlsEndpoint endpoint = endpoint(DtlsRole.SERVER, ours, opensslFingerprint);
    try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      Path log = dir.resolve("s_client.log");
      startOpenSsl(
          log,
          "s_client",
          "-connect",
          socket.getLocalPort(),
          "-use_srtp",
          "SRTP_AEAD_AES_128_GCM:SRTP_AES128_CM_SHA1_80",
          "-keymatexport",
          "EXTRACTOR-dtls_srtp",
          "-keymatexportlen",
          "56");
      Exchange x = new Exchange(endpoint, socket, null);
      endpoint.start(System.nanoTime());
      HandshakeComplete done = x.awaitHandshake();
      assertEquals(SrtpProfile.AEAD_AES_128_GCM, done.profile());
      assertEquals(opensslFingerprint, done.remoteFingerprint());
      byte[] openssl = awaitKeyingMaterial(log, x);
      assertEquals(56, openssl.length);
      assertEquals(
          HexFormat.of().formatHex(layout(done, false)), HexFormat.of().formatHex(openssl));
      assertDataFromOpenSsl(x);
      endpoint.close();
      x.flush();
    }
  }

  @Test
  void wrongFingerprintFailsAndOpenSslSeesBadCertificate() throws Exception {
    makeOpenSslCertificate();
    DtlsCertificate ours = DtlsPair.TestCertificates.ecdsa(902);
    Fingerprint wrong = DtlsPair.TestCertificates.ecdsa(903).fingerprint();
    int port = freeUdpPort();
    Path log = dir.resolve("s_server.log");
    startOpenSsl(log, "s_server", "-accept", port, "-use_srtp", "SRTP_AES128_CM_SHA1_80");
    DtlsEndpoint endpoint = endpoint(DtlsRole.CLIENT, ours, wrong);
    try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      Exchange x =
          new Exchange(
              endpoint, socket, new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      endpoint.start(System.nanoTime());
      x.pumpUntil(() -> endpoint.state() == DtlsEndpoint.State.FAILED);
      x.flush();
      assertEquals(DtlsEndpoint.State.FAILED, endpoint.state());
      DtlsEvent.Failed failed = (DtlsEvent.Failed) x.events.get(x.events.size() - 1);
      assertTrue(failed.reason().contains("fingerprint mismatch"), failed.reason());
      assertTrue(x.events.stream().noneMatch(e -> e instanceof HandshakeComplete));
      x.pumpUntil(() -> read(log).toLowerCase().contains("bad certificate"));
      assertTrue(read(log).toLowerCase().contains("bad certificate"), read(log));
    }
  }

  private void assertDataFromOpenSsl(Exchange x) throws IOException {
    OutputStream stdin = process.getOutputStream();
    stdin.write("hello jpeer\n".getBytes(StandardCharsets.UTF_8));
    stdin.flush();
    x.pumpUntil(() -> x.received().contains("hello jpeer"));
    assertTrue(x.received().contains("hello jpeer"), x.received());
  }

  /** Our keys back in RFC 5764 exporter order: client key, server key, client salt, server salt. */
  private static byte[] layout(HandshakeComplete done, boolean client) {
    SrtpKeyMaterial k = done.keys();
    byte[][] parts =
        client
            ? new byte[][] {k.localKey(), k.remoteKey(), k.localSalt(), k.remoteSalt()}
            : new byte[][] {k.remoteKey(), k.localKey(), k.remoteSalt(), k.localSalt()};
    int length = 0;
    for (byte[] p : parts) {
      length += p.length;
    }
    byte[] out = new byte[length];
    int pos = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, pos, p.length);
      pos += p.length;
    }
    return out;
  }

  private byte[] awaitKeyingMaterial(Path log, Exchange x) {
    x.pumpUntil(() -> KEYING_MATERIAL.matcher(read(log)).find());
    Matcher m = KEYING_MATERIAL.matcher(read(log));
    assertTrue(m.find(), "no keying material in OpenSSL output:\n" + read(log));
    return HexFormat.of().parseHex(m.group(1).toLowerCase());
  }

  /**
   * Starts {@code s_server} or {@code s_client} in DTLS 1.2 on 127.0.0.1:{@code port} with the
   * certificate from {@link #makeOpenSslCertificate}, plus {@code more} arguments.
   */
  private void startOpenSsl(Path log, String tool, String addressOption, int port, String... more)
      throws IOException {
    List<String> args = new ArrayList<>();
    args.addAll(
        List.of(
            tool,
            "-dtls1_2",
            addressOption,
            "127.0.0.1:" + port,
            "-cert",
            dir.resolve("cert.pem").toString(),
            "-key",
            dir.resolve("key.pem").toString()));
    args.addAll(List.of(more));
    process = start(log, args.toArray(String[]::new));
  }

  /** Our endpoint for a real network: a longer first retransmit than in virtual time. */
  private static DtlsEndpoint endpoint(DtlsRole role, DtlsCertificate ours, Fingerprint remote) {
    return new DtlsEndpoint(
        DtlsConfig.builder(role, ours)
            .remoteFingerprint(remote)
            .initialRetransmitMillis(200)
            .build());
  }

  /** A UDP port on 127.0.0.1 that was free a moment ago. */
  private static int freeUdpPort() throws IOException {
    try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      return probe.getLocalPort();
    }
  }

  private Process start(Path log, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(OPENSSL.toString());
    command.addAll(List.of(args));
    return new ProcessBuilder(command)
        .directory(dir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }

  /** A fresh P-256 key and self-signed certificate for OpenSSL; returns its sha-256 fingerprint. */
  private Fingerprint makeOpenSslCertificate() throws Exception {
    Process req =
        new ProcessBuilder(
                OPENSSL.toString(),
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:prime256v1",
                "-nodes",
                "-keyout",
                "key.pem",
                "-out",
                "cert.pem",
                "-subj",
                "/CN=openssl",
                "-days",
                "2")
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(new File(dir.toFile(), "req.log"))
            .start();
    assertTrue(
        req.waitFor(30, TimeUnit.SECONDS) && req.exitValue() == 0, read(dir.resolve("req.log")));
    String pem = Files.readString(dir.resolve("cert.pem"));
    String base64 =
        pem.replace("-----BEGIN CERTIFICATE-----", "")
            .replace("-----END CERTIFICATE-----", "")
            .replaceAll("\\s", "");
    return Fingerprint.of("sha-256", Base64.getDecoder().decode(base64));
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (IOException e) {
      return "";
    }
  }

  /** Carries datagrams between the endpoint and a real UDP socket (tests may do I/O). */
  private static final class Exchange {
    private final DtlsEndpoint endpoint;
    private final DatagramSocket socket;
    private InetSocketAddress remote;
    private final List<DtlsEvent> events = new ArrayList<>();
    private final byte[] buffer = new byte[65_536];

    Exchange(DtlsEndpoint endpoint, DatagramSocket socket, InetSocketAddress remote)
        throws IOException {
      this.endpoint = endpoint;
      this.socket = socket;
      this.remote = remote;
      socket.setSoTimeout(10);
    }

    HandshakeComplete awaitHandshake() {
      pumpUntil(
          () ->
              endpoint.state() != DtlsEndpoint.State.HANDSHAKING
                  && endpoint.state() != DtlsEndpoint.State.NEW);
      for (DtlsEvent e : events) {
        if (e instanceof HandshakeComplete h) {
          return h;
        }
      }
      throw new AssertionError("no handshake: " + events);
    }

    String received() {
      StringBuilder b = new StringBuilder();
      for (DtlsEvent e : events) {
        if (e instanceof ApplicationData d) {
          b.append(new String(d.data(), StandardCharsets.UTF_8));
        }
      }
      return b.toString();
    }

    void pumpUntil(java.util.function.BooleanSupplier done) {
      long deadline = System.nanoTime() + BOUND_NANOS;
      while (!done.getAsBoolean() && System.nanoTime() - deadline < 0) {
        step();
      }
    }

    void flush() throws IOException {
      for (byte[] d; (d = endpoint.pollTransmit()) != null; ) {
        if (remote != null) {
          socket.send(new DatagramPacket(d, d.length, remote));
        }
      }
    }

    private void step() {
      try {
        flush();
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        try {
          socket.receive(packet);
          if (remote == null) {
            remote = (InetSocketAddress) packet.getSocketAddress();
          }
          endpoint.handleReceive(System.nanoTime(), buffer, 0, packet.getLength());
        } catch (SocketTimeoutException e) {
          // Nothing arrived within 10 ms: run timers and poll the handshake thread again.
        }
        endpoint.handleTimeout(System.nanoTime());
        for (DtlsEvent e; (e = endpoint.pollEvent()) != null; ) {
          events.add(e);
        }
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    }
  }
}
