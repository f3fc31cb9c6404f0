package io.github.jpeer.interop;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Headless Chromium (Debian's {@code chromium} package) on one page, for the browser interop tests:
 * started with a fake microphone and camera whose permission is granted without a prompt, a fresh
 * profile, and everything it writes (profile, singleton socket, log) inside a directory the test
 * owns. {@link #close()} kills it and every process it started, each wait bounded, so a hung
 * browser never outlives its test.
 *
 * <p>With media permission on an {@code http://127.0.0.1} page, Chromium puts raw addresses (not
 * mDNS names) in its ICE candidates, so a jpeer peer bound to loopback reaches it without
 * multicast. {@code -Djpeer.chromium=<path>} points at another binary; machines without one skip
 * (see {@link #isInstalled()}).
 */
public final class HeadlessChromium implements AutoCloseable {
  /** The binary: {@code -Djpeer.chromium}, else Debian's {@code /usr/bin/chromium}. */
  public static final Path EXECUTABLE =
      Path.of(System.getProperty("jpeer.chromium", "/usr/bin/chromium"));

  /** Bound on the wait for the killed browser process to exit. */
  private static final long BROWSER_EXIT_WAIT_SECONDS = 10;

  /** Bound on the wait for each killed child process to exit. */
  private static final long CHILD_EXIT_WAIT_SECONDS = 5;

  private final Process process;
  private final Path log;

  private HeadlessChromium(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** Whether {@link #EXECUTABLE} exists and may be run; tests assume this and skip otherwise. */
  public static boolean isInstalled() {
    return Files.isExecutable(EXECUTABLE);
  }

  /**
   * Starts Chromium on {@code url}. Its profile goes to {@code dir/profile}, its output to {@code
   * dir/chromium.log}, and its {@code TMPDIR} is {@code dir}: Chromium keeps its singleton socket
   * there and a killed browser leaves it behind, so a JUnit {@code @TempDir} cleans up after it.
   *
   * @param url the page to open
   * @param dir a directory the caller owns and deletes
   * @throws IllegalStateException if Chromium is not installed (check {@link #isInstalled()})
   * @throws IOException if the process cannot be started
   */
  public static HeadlessChromium start(String url, Path dir) throws IOException {
    if (!isInstalled()) {
      throw new IllegalStateException(
          EXECUTABLE + " is not installed: check isInstalled() and skip the test first");
    }
    Path log = dir.resolve("chromium.log");
    List<String> command =
        List.of(
            EXECUTABLE.toString(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            "--autoplay-policy=no-user-gesture-required",
            "--enable-logging=stderr",
            "--user-data-dir=" + dir.resolve("profile"),
            url);
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("TMPDIR", dir.toString());
    return new HeadlessChromium(builder.start(), log);
  }

  /** Where Chromium's stdout and stderr go. */
  public Path log() {
    return log;
  }

  /**
   * The last {@code lines} lines of Chromium's log, for a failure message; a note instead if the
   * log cannot be read (a diagnostic must never hide the failure it explains).
   */
  public String tail(int lines) {
    try {
      // Chromium may write bytes that are not UTF-8; a lenient decode never throws on them.
      List<String> all =
          new String(Files.readAllBytes(log), StandardCharsets.UTF_8).lines().toList();
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(chromium.log unreadable: " + e + ")";
    }
  }

  /**
   * Kills Chromium and every process it started (renderer, GPU, zygote), waiting at most {@value
   * #BROWSER_EXIT_WAIT_SECONDS} s for the browser and {@value #CHILD_EXIT_WAIT_SECONDS} s for each
   * child. Safe to call more than once.
   */
  @Override
  public void close() {
    // List the children first: once the browser dies they are reparented and out of reach.
    List<ProcessHandle> children = process.descendants().toList();
    process.destroyForcibly();
    children.forEach(ProcessHandle::destroyForcibly);
    try {
      process.waitFor(BROWSER_EXIT_WAIT_SECONDS, TimeUnit.SECONDS);
      for (ProcessHandle child : children) {
        try {
          child.onExit().get(CHILD_EXIT_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
          // Already reaped or still dying; either way nothing more a test can do.
        }
      }
    } catch (InterruptedException e) {
      // The kill signals are sent; keep the interrupt for the caller instead of waiting on.
      Thread.currentThread().interrupt();
    }
  }
}
