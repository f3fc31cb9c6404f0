package io.github.jpeer.interop;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The test side of a browser test page: an HTTP server on 127.0.0.1 that serves the page at {@code
 * /}, the shared script {@code browser-common.js} at {@code /common.js}, and takes the page's
 * progress notes ({@code POST /log}) and its one report ({@code POST /report}, form fields). Tests
 * add their own signaling routes with {@link #route}.
 */
public final class BrowserPage implements AutoCloseable {
  /** Handles one request of a route the test adds. */
  @FunctionalInterface
  public interface Route {
    /** Answers {@code ex}; an exception is answered 400 with its text. */
    void handle(HttpExchange ex) throws Exception;
  }

  private final HttpServer server;
  private final List<String> log = new CopyOnWriteArrayList<>();
  private final CompletableFuture<Map<String, String>> report = new CompletableFuture<>();

  private BrowserPage(HttpServer server) {
    this.server = server;
  }

  /** Serves the HTML resource {@code page} (resolved against {@code owner}) and starts. */
  public static BrowserPage serve(Class<?> owner, String page) throws IOException {
    String html = resource(owner, page);
    String common = resource(BrowserPage.class, "browser-common.js");
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    BrowserPage p = new BrowserPage(server);
    p.route("/", ex -> respond(ex, 200, "text/html", html));
    p.route("/common.js", ex -> respond(ex, 200, "text/javascript", common));
    p.route(
        "/log",
        ex -> {
          p.log.add(body(ex));
          respond(ex, 200, "text/plain", "ok");
        });
    p.route(
        "/report",
        ex -> {
          p.report.complete(parseForm(body(ex)));
          respond(ex, 200, "text/plain", "ok");
        });
    server.start();
    return p;
  }

  private static String resource(Class<?> owner, String name) {
    try (InputStream in = owner.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(name + " is missing from the test resources");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Adds a route; a failure in {@code route} is answered 400 with its text, so the page sees it.
   */
  public void route(String path, Route route) {
    server.createContext(
        path,
        ex -> {
          try {
            route.handle(ex);
          } catch (Exception | AssertionError e) {
            respond(ex, 400, "text/plain", String.valueOf(e));
          }
        });
  }

  /** The page's URL with {@code query} (without the {@code ?}). */
  public String url(String query) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/?" + query;
  }

  /** The origin the page is served from. */
  public String origin() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** The report, once the page sent it. */
  public CompletableFuture<Map<String, String>> report() {
    return report;
  }

  /** Waits, bounded, for the report; a timeout fails with the page's notes so far. */
  public Map<String, String> awaitReport(long seconds) throws InterruptedException {
    try {
      return report.get(seconds, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new AssertionError("no report from the page within " + seconds + " s" + notes(), e);
    }
  }

  /**
   * Waits, bounded (polling every 20 ms), until a progress note contains {@code text}; false if
   * none did within the time.
   */
  public boolean awaitNote(String text, long seconds) throws InterruptedException {
    java.util.concurrent.CountDownLatch never = new java.util.concurrent.CountDownLatch(1);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      if (hasNote(text)) {
        return true;
      }
      never.await(20, TimeUnit.MILLISECONDS);
    }
    return hasNote(text);
  }

  /** True if a progress note so far contains {@code text}. */
  public boolean hasNote(String text) {
    return log.stream().anyMatch(line -> line.contains(text));
  }

  /** The page's progress notes, one per line, for failure messages. */
  public String notes() {
    return "\n--- page log:\n" + String.join("\n", log);
  }

  /**
   * What a failure message needs: the page's report and notes, jpeer's states, and the last lines
   * of Chromium's log ({@code chromium} may be null before it started).
   */
  public String diagnostics(
      Map<String, String> report, List<?> jpeerStates, HeadlessChromium chromium) {
    StringBuilder s = new StringBuilder("\n--- page report: ").append(report);
    s.append(notes());
    s.append("\n--- jpeer states: ").append(jpeerStates);
    if (chromium != null) {
      s.append("\n--- chromium.log (last 30 lines):\n").append(chromium.tail(30));
    }
    return s.toString();
  }

  /** A number from the report, or -1 if the page did not send it. */
  public static long number(Map<String, String> report, String key) {
    String value = report.get(key);
    return value == null ? -1 : (long) Double.parseDouble(value);
  }

  /** The request body as UTF-8 text. */
  public static String body(HttpExchange ex) throws IOException {
    return new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
  }

  /** Answers with {@code code} and {@code text} of content type {@code type}. */
  public static void respond(HttpExchange ex, int code, String type, String text)
      throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(code, bytes.length);
    ex.getResponseBody().write(bytes);
    ex.close();
  }

  private static Map<String, String> parseForm(String form) {
    Map<String, String> fields = new HashMap<>();
    for (String pair : form.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        fields.put(
            URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return fields;
  }

  /** Stops the server. */
  @Override
  public void close() {
    server.stop(0);
  }
}
