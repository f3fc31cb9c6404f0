package io.github.jpeer.dtls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jpeer.dtls.DtlsEvent.ApplicationData;
import io.github.jpeer.dtls.DtlsEvent.HandshakeComplete;
import io.github.jpeer.srtp.SrtpProfile;
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
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the interop tests against other DTLS stacks share ({@link OpenSslInteropTest}, {@link
 * GnuTlsInteropTest}): certificates made by OpenSSL, the external program's life with bounded
 * waits, a pump between a {@link DtlsEndpoint} and a real UDP socket on 127.0.0.1, and the RFC 5764
 * layout of the keys to compare with what the other stack exported.
 *
 * <p>Tests may do I/O, so the pump reads {@code System.nanoTime} and blocks in a socket receive of
 * at most 10 ms; that receive is also the only pause of every wait here (no sleeping). Every wait
 * ends after {@link #BOUND_NANOS} at the latest and then fails naming what it waited for, with the
 * other program's output.
 */
final class InteropHarness {
  /** The bound on each wait for the other stack; on loopback each step takes milliseconds. */
  static final long BOUND_NANOS = 10_000_000_000L;

  /** How long a stopped program may take to exit, per signal. */
  private static final long STOP_MILLIS = 5_000;

  /** How long making a certificate may take (RSA-2048 key generation). */
  private static final long CERTIFICATE_MILLIS = 30_000;

  private static final Path OPENSSL = Path.of("/usr/bin/openssl");

  /** RFC 5246 section 7.4: HandshakeType certificate_verify. */
  static final int CERTIFICATE_VERIFY = 15;

  private InteropHarness() {}

  /** Fails naming the Debian package unless OpenSSL is installed (it makes the certificates). */
  static void requireOpenSsl() {
    io.github.jpeer.testkit.ExternalTools.require(OPENSSL, "openssl");
  }

  /** The openssl executable. */
  static Path openssl() {
    return OPENSSL;
  }

  /**
   * A PEM certificate and its unencrypted key, for the other stack, and the certificate's sha-256
   * fingerprint, which our endpoint expects (as if from the remote SDP).
   */
  record PemCertificate(Path certificate, Path key, Fingerprint fingerprint) {}

  /**
   * A fresh self-signed certificate made by {@code openssl req} in {@code dir}: a P-256 or a
   * 2048-bit RSA key, valid from now for two days, subject {@code CN=name}.
   */
  static PemCertificate certificate(Path dir, DtlsCertificate.KeyType type, String name)
      throws IOException, InterruptedException {
    Path cert = dir.resolve(name + "-cert.pem");
    Path key = dir.resolve(name + "-key.pem");
    Path log = dir.resolve(name + "-req.log");
    List<String> command = new ArrayList<>(List.of(OPENSSL.toString(), "req", "-x509"));
    if (type == DtlsCertificate.KeyType.ECDSA_P256) {
      command.addAll(List.of("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"));
    } else {
      command.addAll(List.of("-newkey", "rsa:2048"));
    }
    command.addAll(
        List.of(
            "-nodes",
            "-keyout",
            key.toString(),
            "-out",
            cert.toString(),
            "-subj",
            "/CN=" + name,
            "-days",
            "2"));
    Process req =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    if (!req.waitFor(CERTIFICATE_MILLIS, TimeUnit.MILLISECONDS)) {
      req.destroyForcibly().waitFor(STOP_MILLIS, TimeUnit.MILLISECONDS);
      throw new AssertionError("openssl req took over " + CERTIFICATE_MILLIS + " ms");
    }
    assertEquals(0, req.exitValue(), read(log));
    String pem = Files.readString(cert);
    String base64 =
        pem.replace("-----BEGIN CERTIFICATE-----", "")
            .replace("-----END CERTIFICATE-----", "")
            .replaceAll("\\s", "");
    return new PemCertificate(
        cert, key, Fingerprint.of("sha-256", Base64.getDecoder().decode(base64)));
  }

  /** A UDP port on 127.0.0.1 that was free a moment ago (for a server we start). */
  /**
   * Our endpoint for one interop case: a test certificate of {@code keyType} (seeded, so each
   * test's certificates differ), the peer's fingerprint, 200 ms first retransmission, and {@code
   * mtu} bytes per datagram (0: the default).
   */
  static DtlsEndpoint endpoint(
      DtlsRole ours, DtlsCertificate.KeyType keyType, int mtu, Fingerprint theirs, long seed) {
    DtlsCertificate certificate =
        keyType == DtlsCertificate.KeyType.ECDSA_P256
            ? DtlsPair.TestCertificates.ecdsa(seed)
            : DtlsPair.TestCertificates.rsa(seed + 1);
    return new DtlsEndpoint(
        DtlsConfig.builder(ours, certificate)
            .remoteFingerprint(theirs)
            .initialRetransmitMillis(200)
            .maxDatagramBytes(mtu == 0 ? DtlsConfig.DEFAULT_MAX_DATAGRAM_BYTES : mtu)
            .build());
  }

  /**
   * Waits for the handshake and checks what every interop case checks: the negotiated profile, the
   * peer's fingerprint, and, for our server with an RSA key at MTU 256, that the peer's
   * CertificateVerify came in pieces (issue #12's regression, fixed in commit 20d9546: our server
   * stalled when a CertificateVerify spanned several records; the case must keep that layout).
   */
  static HandshakeComplete awaitCheckedHandshake(
      Exchange x,
      DtlsRole ours,
      DtlsCertificate.KeyType keyType,
      int mtu,
      SrtpProfile profile,
      Fingerprint theirs,
      String peer)
      throws Exception {
    HandshakeComplete done = x.awaitHandshake();
    if (ours == DtlsRole.SERVER && mtu == 256 && keyType == DtlsCertificate.KeyType.RSA_2048) {
      assertTrue(
          fragmented(x.received(), CERTIFICATE_VERIFY), peer + " sent its CertificateVerify whole");
    }
    assertEquals(profile, done.profile());
    assertEquals(theirs, done.remoteFingerprint());
    return done;
  }

  static int freeUdpPort() throws IOException {
    try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      return probe.getLocalPort();
    }
  }

  /**
   * Our keys in the order of RFC 5764 section 4.2, the order the other stack's exporter prints
   * them: client write key, server write key, client write salt, server write salt.
   */
  static byte[] rfc5764Layout(HandshakeComplete done, DtlsRole ourRole) {
    SrtpKeyMaterial k = done.keys();
    byte[][] parts =
        ourRole == DtlsRole.CLIENT
            ? new byte[][] {k.localKey(), k.remoteKey(), k.localSalt(), k.remoteSalt()}
            : new byte[][] {k.remoteKey(), k.localKey(), k.remoteSalt(), k.localSalt()};
    byte[] out = new byte[done.profile().keyingMaterialLength()];
    int pos = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, pos, p.length);
      pos += p.length;
    }
    assertEquals(out.length, pos, "key and salt lengths do not add up to the profile's");
    return out;
  }

  /** Checks that the other stack's exported keying material is ours in RFC 5764 layout. */
  static void assertKeyingMaterial(byte[] theirs, HandshakeComplete done, DtlsRole ourRole) {
    assertEquals(done.profile().keyingMaterialLength(), theirs.length, "exported length");
    assertEquals(
        HexFormat.of().formatHex(rfc5764Layout(done, ourRole)),
        HexFormat.of().formatHex(theirs),
        "keying material (ours in RFC 5764 layout vs theirs)");
  }

  /**
   * Checks what genuine records from an independent implementation did to our record screening:
   * none was taken for a forgery ({@link DtlsEndpoint#forgedRecords()}, which for AES-GCM suites
   * means our key derivation for the screen matches theirs), and none was dropped after the
   * handshake for failing authentication or as a replay.
   */
  static void assertNoRecordRejected(DtlsEndpoint endpoint) {
    assertEquals(0, endpoint.forgedRecords(), "genuine records screened out as forged");
    assertEquals(0, endpoint.rejectedRecords(), "genuine records rejected after the handshake");
    assertEquals(0, endpoint.malformedDatagrams(), "datagrams from the other stack malformed");
  }

  /**
   * One plaintext (epoch 0) handshake fragment as it came off the wire, inside {@code datagram} at
   * {@code header}, the offset of its handshake header.
   */
  record HandshakeFragment(byte[] datagram, int header) {
    int msgType() {
      return datagram[header] & 0xFF;
    }

    /** The whole message's body length. */
    int length() {
      return DtlsRecords.uint24(datagram, header + 1);
    }

    int fragmentOffset() {
      return DtlsRecords.uint24(datagram, header + 6);
    }

    int fragmentLength() {
      return DtlsRecords.uint24(datagram, header + 9);
    }

    /** The offset of the fragment's first body byte in {@link #datagram}. */
    int body() {
      return header + DtlsRecords.HANDSHAKE_HEADER_BYTES;
    }
  }

  /**
   * Every epoch-0 handshake fragment of {@code msgType} in {@code datagrams}, in order, however
   * many records a datagram and fragments a record hold; truncated ones are left out.
   */
  static List<HandshakeFragment> handshakeFragments(List<byte[]> datagrams, int msgType) {
    List<HandshakeFragment> out = new ArrayList<>();
    for (byte[] d : datagrams) {
      for (int pos = 0; DtlsRecords.hasHeader(pos, d.length); pos = DtlsRecords.end(d, pos)) {
        int end = Math.min(DtlsRecords.end(d, pos), d.length);
        if (DtlsRecords.type(d, pos) != DtlsRecords.HANDSHAKE || DtlsRecords.epoch(d, pos) != 0) {
          continue;
        }
        int h = pos + DtlsRecords.HEADER_BYTES;
        while (h + DtlsRecords.HANDSHAKE_HEADER_BYTES <= end) {
          HandshakeFragment f = new HandshakeFragment(d, h);
          int next = f.body() + f.fragmentLength();
          if (next > end) {
            break;
          }
          if (f.msgType() == msgType) {
            out.add(f);
          }
          h = next;
        }
      }
    }
    return out;
  }

  /** Whether a message of {@code msgType} in {@code datagrams} came in pieces (not whole). */
  static boolean fragmented(List<byte[]> datagrams, int msgType) {
    return handshakeFragments(datagrams, msgType).stream()
        .anyMatch(f -> f.fragmentLength() < f.length());
  }

  /**
   * Text both ways once connected: a line of ours, then the largest record our datagram size allows
   * (it must fit, and the other stack accept it), each printed by {@code other}; then a line typed
   * into {@code other} reaches us. {@code name} is the other stack's, as in its output.
   */
  static void textBothWays(Exchange x, DtlsEndpoint endpoint, ExternalProgram other, String name)
      throws IOException {
    String hello = "hello " + name.toLowerCase(java.util.Locale.ROOT) + "\n";
    x.sendText(hello);
    x.pumpUntilPrinted(hello.strip());
    String largest = "x".repeat(endpoint.maxApplicationDataBytes() - 1) + "\n";
    x.sendText(largest);
    x.pumpUntilPrinted(largest);
    other.type("hello jpeer\n");
    x.pumpUntil("data from " + name, () -> x.receivedText().contains("hello jpeer"));
    assertEquals("hello jpeer\n", x.receivedText());
  }

  /**
   * Closes {@code endpoint}, sees {@code other} print {@code closedLine} (it read our
   * close_notify), and checks the sizes: nothing of ours above {@code maxDatagramBytes}; with a
   * small {@code mtu} the other stack kept to it too, so we reassembled its fragments.
   */
  static void closeAndCheckSizes(
      Exchange x,
      DtlsEndpoint endpoint,
      ExternalProgram other,
      String closedLine,
      int mtu,
      String name)
      throws IOException {
    assertNoRecordRejected(endpoint);
    assertFalse(other.printed(closedLine), other.toString());
    endpoint.close();
    x.flush();
    x.pumpUntilPrinted(closedLine);
    x.assertSentWithin(mtu == 0 ? DtlsConfig.DEFAULT_MAX_DATAGRAM_BYTES : mtu);
    if (mtu > 0) {
      assertTrue(x.largestReceived() <= mtu, name + " sent " + x.largestReceived());
    }
  }

  /** The file's text, or "" if it does not exist (yet) or cannot be read. */
  static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (IOException e) {
      return "";
    }
  }

  /** The hex digits of the first match of {@code pattern}'s group 1 in {@code text}, or null. */
  static byte[] hexAfter(Pattern pattern, String text) {
    Matcher m = pattern.matcher(text);
    return m.find() ? HexFormat.of().parseHex(m.group(1).toLowerCase(java.util.Locale.ROOT)) : null;
  }

  /**
   * Another DTLS stack's command-line program, started with its output (stdout and stderr) going to
   * a log file and its stdin a pipe we write to. {@link #close} stops it, bounded.
   */
  static final class ExternalProgram implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Path log;

    private ExternalProgram(String name, Process process, Path log) {
      this.name = name;
      this.process = process;
      this.log = log;
    }

    /**
     * Starts {@code command} in {@code dir} with {@code environment} added to ours, logging to
     * {@code dir/<name>.log}.
     */
    static ExternalProgram start(
        String name, Path dir, Map<String, String> environment, List<String> command)
        throws IOException {
      Path log = dir.resolve(name + ".log");
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      builder.environment().putAll(environment);
      return new ExternalProgram(name, builder.start(), log);
    }

    /** Everything the program printed so far. */
    String log() {
      return read(log);
    }

    /** Whether the program printed {@code text} so far. */
    boolean printed(String text) {
      return log().contains(text);
    }

    /** Writes {@code text} to the program's stdin (the stacks' tools send each line they read). */
    void type(String text) throws IOException {
      OutputStream stdin = process.getOutputStream();
      stdin.write(text.getBytes(StandardCharsets.UTF_8));
      stdin.flush();
    }

    /**
     * Waits, bounded, until the program printed {@code text} (a server's "listening" line, before
     * we send to it); fails with its output if it did not or it exited.
     */
    void awaitPrinted(String text) throws InterruptedException {
      long deadline = System.nanoTime() + BOUND_NANOS;
      while (!printed(text)) {
        // waitFor doubles as the pause between looks at the log, and notices an early exit.
        if (process.waitFor(10, TimeUnit.MILLISECONDS) || System.nanoTime() - deadline > 0) {
          throw new AssertionError(
              name
                  + " did not print \""
                  + text
                  + "\" (alive: "
                  + process.isAlive()
                  + "):\n"
                  + log());
        }
      }
    }

    /** Whether the program is still running. */
    boolean isAlive() {
      return process.isAlive();
    }

    /**
     * Stops the program: SIGTERM, then SIGKILL, each waited for at most {@value #STOP_MILLIS} ms.
     */
    @Override
    public void close() throws InterruptedException {
      process.destroy();
      if (!process.waitFor(STOP_MILLIS, TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(STOP_MILLIS, TimeUnit.MILLISECONDS);
      }
    }

    @Override
    public String toString() {
      return name + " output:\n" + log();
    }
  }

  /**
   * Carries datagrams between an endpoint and a UDP socket on 127.0.0.1, and keeps a copy of every
   * datagram both ways (to check their sizes, and for tests that read the handshake's randoms).
   */
  static final class Exchange implements AutoCloseable {
    private final DtlsEndpoint endpoint;
    private final DatagramSocket socket;
    private final List<DtlsEvent> events = new ArrayList<>();
    private final List<byte[]> sent = new ArrayList<>();
    private final List<byte[]> received = new ArrayList<>();
    private final byte[] buffer = new byte[65_536];
    private InetSocketAddress remote;
    private ExternalProgram other;

    private Exchange(DtlsEndpoint endpoint, DatagramSocket socket) {
      this.endpoint = endpoint;
      this.socket = socket;
    }

    /** A pump for {@code endpoint} on a fresh socket bound to 127.0.0.1 and a free port. */
    static Exchange open(DtlsEndpoint endpoint) throws IOException {
      DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
      socket.setSoTimeout(10);
      return new Exchange(endpoint, socket);
    }

    /** Our socket's port, for a client we start. */
    int localPort() {
      return socket.getLocalPort();
    }

    /** Sends to 127.0.0.1:{@code port} (a server we started); otherwise we answer the sender. */
    Exchange sendTo(int port) {
      remote = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
      return this;
    }

    /** The program whose output goes into the message of a failed wait. */
    Exchange with(ExternalProgram program) {
      this.other = program;
      return this;
    }

    /** Every event the endpoint reported so far. */
    List<DtlsEvent> events() {
      return events;
    }

    /** Copies of every datagram the endpoint sent, in order. */
    List<byte[]> sent() {
      return sent;
    }

    /** Copies of every datagram the endpoint was given, in order. */
    List<byte[]> received() {
      return received;
    }

    /** Pumps until the handshake ended; returns its HandshakeComplete or fails. */
    HandshakeComplete awaitHandshake() {
      pumpUntil(
          "the handshake to end",
          () ->
              endpoint.state() != DtlsEndpoint.State.HANDSHAKING
                  && endpoint.state() != DtlsEndpoint.State.NEW);
      for (DtlsEvent e : events) {
        if (e instanceof HandshakeComplete h) {
          return h;
        }
      }
      throw new AssertionError("no handshake: " + events + "\n" + other);
    }

    /** The application data received so far, as UTF-8 text. */
    String receivedText() {
      StringBuilder b = new StringBuilder();
      for (DtlsEvent e : events) {
        if (e instanceof ApplicationData d) {
          b.append(new String(d.data(), StandardCharsets.UTF_8));
        }
      }
      return b.toString();
    }

    /** Sends {@code text} as one application data record and pumps it out. */
    void sendText(String text) throws IOException {
      byte[] data = text.getBytes(StandardCharsets.UTF_8);
      endpoint.sendApplicationData(data, 0, data.length);
      flush();
    }

    /** Pumps until {@code done}; fails naming {@code what} after {@link #BOUND_NANOS}. */
    void pumpUntil(String what, BooleanSupplier done) {
      long deadline = System.nanoTime() + BOUND_NANOS;
      while (!done.getAsBoolean()) {
        if (System.nanoTime() - deadline > 0) {
          throw new AssertionError(
              "no "
                  + what
                  + " within "
                  + BOUND_NANOS / 1_000_000
                  + " ms; endpoint "
                  + endpoint.state()
                  + ", events "
                  + events
                  + "\n"
                  + other);
        }
        step();
      }
      // done() may have read the endpoint's state, which adopts the handshake thread's outcome
      // and queues its event (HandshakeComplete) after step() last polled: collect it too.
      drainEvents();
    }

    /** Pumps until the other program printed {@code text}. */
    void pumpUntilPrinted(String text) {
      pumpUntil("\"" + text.strip() + "\" from the other stack", () -> other.printed(text));
    }

    /** Sends what the endpoint has queued. */
    void flush() throws IOException {
      for (byte[] d; (d = endpoint.pollTransmit()) != null; ) {
        sent.add(d.clone());
        if (remote != null) {
          socket.send(new DatagramPacket(d, d.length, remote));
        }
      }
    }

    /** The largest datagram the endpoint sent. */
    int largestSent() {
      return sent.stream().mapToInt(d -> d.length).max().orElse(0);
    }

    /** The largest datagram the other stack sent us. */
    int largestReceived() {
      return received.stream().mapToInt(d -> d.length).max().orElse(0);
    }

    /** Checks that every datagram the endpoint sent is at most {@code limit} bytes. */
    void assertSentWithin(int limit) {
      List<Integer> over = new ArrayList<>();
      for (byte[] d : sent) {
        if (d.length > limit) {
          over.add(d.length);
        }
      }
      assertTrue(
          over.isEmpty(), "datagrams over maxDatagramBytes " + limit + ": " + over + " bytes");
      assertTrue(!sent.isEmpty(), "sent nothing");
    }

    private void drainEvents() {
      for (DtlsEvent e; (e = endpoint.pollEvent()) != null; ) {
        events.add(e);
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
          received.add(java.util.Arrays.copyOf(buffer, packet.getLength()));
          endpoint.handleReceive(System.nanoTime(), buffer, 0, packet.getLength());
        } catch (SocketTimeoutException e) {
          // Nothing arrived within 10 ms: run timers and poll the handshake thread again.
        }
        endpoint.handleTimeout(System.nanoTime());
        drainEvents();
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    }

    /**
     * Closes the endpoint (a no-op if the test already did), so that a failed case ends its
     * handshake thread and leaves no thread behind for the next case's leak check; then the socket.
     */
    @Override
    public void close() {
      try {
        endpoint.close();
      } finally {
        socket.close();
      }
    }
  }
}
