package io.github.jpeer.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Debian's coturn ({@code turnserver}) started by a test on 127.0.0.1 with long-term credentials
 * {@value #USER}/{@value #PASSWORD} in realm {@code jpeer.test}, relaying to loopback peers (which
 * coturn refuses by default). Closing it stops the process (bounded) and deletes its log.
 *
 * <pre>{@code
 * try (Coturn turn = Coturn.start(Coturn.binary())) {
 *   ... turn.address() ...
 * }
 * }</pre>
 */
public final class Coturn implements AutoCloseable {
  /** The long-term credential username. */
  public static final String USER = "jpeer";

  /** The long-term credential password. */
  public static final String PASSWORD = "secret";

  private final Process process;
  private final InetSocketAddress address;
  private final Path log;
  private InetSocketAddress tlsAddress;

  private Coturn(Process process, InetSocketAddress address, Path log) {
    this.process = process;
    this.address = address;
    this.log = log;
  }

  /**
   * The {@code turnserver} executable on the PATH.
   *
   * @throws AssertionError naming the Debian package coturn if it is not installed
   */
  public static Path binary() {
    return ExternalTools.executable("turnserver", "coturn");
  }

  /**
   * Starts coturn on a free UDP port of 127.0.0.1. Clients retransmit until it listens, so the call
   * does not wait for it.
   */
  public static Coturn start(Path binary) throws IOException {
    return start(binary, null, null);
  }

  /**
   * Starts coturn as {@link #start(Path)} does, and also with a TLS listener (TURN over TLS, RFC
   * 8656 section 3.1) on another free port, serving {@code certificate} with {@code privateKey}
   * (PEM files; a test makes a self-signed pair with {@code openssl}). See {@link #tlsAddress()}.
   */
  public static Coturn startWithTls(Path binary, Path certificate, Path privateKey)
      throws IOException {
    return start(binary, certificate, privateKey);
  }

  private static Coturn start(Path binary, Path certificate, Path privateKey) throws IOException {
    int port = freeUdpPort();
    int tlsPort = certificate == null ? 0 : freeUdpPort();
    Path log = Files.createTempFile("coturn", ".log");
    java.util.List<String> command =
        new java.util.ArrayList<>(
            java.util.List.of(
                binary.toString(),
                "-n",
                "--listening-ip=127.0.0.1",
                "--relay-ip=127.0.0.1",
                "--listening-port=" + port,
                "--min-port=40000",
                "--max-port=59999",
                "--lt-cred-mech",
                "--user=" + USER + ":" + PASSWORD,
                "--realm=jpeer.test",
                "--no-dtls",
                "--allow-loopback-peers",
                "--no-cli",
                "--log-file=stdout",
                "--simple-log"));
    if (certificate == null) {
      command.add("--no-tls");
    } else {
      command.add("--tls-listening-port=" + tlsPort);
      command.add("--cert=" + certificate);
      command.add("--pkey=" + privateKey);
    }
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    Coturn c =
        new Coturn(process, new InetSocketAddress(InetAddress.getLoopbackAddress(), port), log);
    if (certificate != null) {
      c.tlsAddress = new InetSocketAddress(InetAddress.getLoopbackAddress(), tlsPort);
    }
    return c;
  }

  /** Where the TLS listener is ({@link #startWithTls}), or null. */
  public InetSocketAddress tlsAddress() {
    return tlsAddress;
  }

  /** A free UDP port on 127.0.0.1 (free when asked; good enough for a test's own server). */
  public static int freeUdpPort() throws IOException {
    try (DatagramChannel c = DatagramChannel.open(StandardProtocolFamily.INET)) {
      c.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      return ((InetSocketAddress) c.getLocalAddress()).getPort();
    }
  }

  /**
   * Waits (at most 10 s) until coturn accepts TCP connections on its port: a test that reaches it
   * over TCP would otherwise be refused while it starts (over UDP the Allocate's retransmissions
   * ride that out).
   *
   * @throws IOException if it never does
   */
  public Coturn awaitTcp() throws IOException {
    awaitTcp(address);
    if (tlsAddress != null) {
      awaitTcp(tlsAddress);
    }
    return this;
  }

  private void awaitTcp(InetSocketAddress at) throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    java.util.concurrent.CountDownLatch never = new java.util.concurrent.CountDownLatch(1);
    while (true) {
      try (java.nio.channels.SocketChannel probe = java.nio.channels.SocketChannel.open(at)) {
        return;
      } catch (IOException e) {
        if (System.nanoTime() > deadline) {
          throw new IOException("coturn never accepted TCP on " + at + "; log " + log, e);
        }
      }
      try {
        never.await(50, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted waiting for coturn", e);
      }
    }
  }

  /** Where coturn listens. */
  public InetSocketAddress address() {
    return address;
  }

  /** The {@code turn:} URL of this server. */
  public String url() {
    return "turn:127.0.0.1:" + address.getPort();
  }

  /** coturn's log file, for assertion messages. */
  public Path log() {
    return log;
  }

  /** Stops coturn (forcibly after 5 s) and deletes its log. */
  @Override
  public void close() throws IOException {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    Files.deleteIfExists(log);
  }
}
