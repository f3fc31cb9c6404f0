package io.github.jpeer.signaling.mqtt;

import io.github.jpeer.testkit.ExternalTools;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Debian's mosquitto broker on 127.0.0.1 and a free port, started for a test; where it is not
 * installed the test fails, naming the package. Waits, bounded, for the broker's "running" log
 * line.
 */
final class Mosquitto implements AutoCloseable {
  private static final Path BINARY = Path.of("/usr/sbin/mosquitto");
  private static final Path PASSWD = Path.of("/usr/bin/mosquitto_passwd");

  private final Process process;
  private final Path dir;
  private final int port;
  private final StringBuffer log = new StringBuffer();

  private Mosquitto(Process process, Path dir, int port) {
    this.process = process;
    this.dir = dir;
    this.port = port;
  }

  /** A broker that lets anyone in. */
  static Mosquitto anonymous() throws Exception {
    return start(null, null);
  }

  /** A broker that requires {@code username}/{@code password}. */
  static Mosquitto withPassword(String username, String password) throws Exception {
    ExternalTools.require(PASSWD, "mosquitto");
    return start(username, password);
  }

  private static Mosquitto start(String username, String password) throws Exception {
    ExternalTools.require(BINARY, "mosquitto");
    Path dir = Files.createTempDirectory("jpeer-mosquitto");
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    StringBuilder conf = new StringBuilder();
    conf.append("listener ").append(port).append(" 127.0.0.1\n");
    // stderr: unbuffered, so the "running" line arrives at once (stdout to a pipe is buffered).
    conf.append("log_dest stderr\nlog_type all\npersistence false\n");
    if ("root".equals(System.getProperty("user.name"))) {
      // Run as root, mosquitto would switch to its own user, who cannot read our temp files.
      conf.append("user root\n");
    }
    if (username == null) {
      conf.append("allow_anonymous true\n");
    } else {
      Path passwd = dir.resolve("passwd");
      Process p =
          new ProcessBuilder(PASSWD.toString(), "-b", "-c", passwd.toString(), username, password)
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IOException("mosquitto_passwd failed: " + out);
      }
      conf.append("allow_anonymous false\npassword_file ").append(passwd).append('\n');
    }
    Path confFile = dir.resolve("mosquitto.conf");
    Files.writeString(confFile, conf);
    Process process =
        new ProcessBuilder(BINARY.toString(), "-c", confFile.toString())
            .redirectErrorStream(true)
            .start();
    Mosquitto m = new Mosquitto(process, dir, port);
    CompletableFuture<Void> running = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                  m.log.append(line).append('\n');
                  if (line.contains(" running")) {
                    running.complete(null);
                  }
                }
              } catch (IOException ended) {
                // the broker was stopped
              }
              running.completeExceptionally(new IOException("mosquitto exited:\n" + m.log));
            },
            "mosquitto-log");
    reader.setDaemon(true);
    reader.start();
    try {
      running.get(5, TimeUnit.SECONDS);
      try (Socket probe = new Socket()) {
        probe.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2_000);
      }
    } catch (TimeoutException | IOException | ExecutionException e) {
      m.close();
      throw new IOException("mosquitto did not start within 5 s:\n" + m.log, e);
    }
    return m;
  }

  /** {@code tcp://127.0.0.1:<port>}. */
  String uri() {
    return "tcp://127.0.0.1:" + port;
  }

  /** What the broker logged so far (for failure messages). */
  String log() {
    return log.toString();
  }

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
    try (var files = Files.list(dir)) {
      for (Path p : files.toList()) {
        Files.deleteIfExists(p);
      }
    }
    Files.deleteIfExists(dir);
  }
}
