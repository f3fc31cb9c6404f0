package io.github.jpeer.examples.openai;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.jpeer.signaling.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A stand-in for the OpenAI Realtime HTTP API on the JDK's HTTP server, so the example (and its
 * tests) run without a key or the internet. It speaks the two requests a WebRTC client makes:
 *
 * <ul>
 *   <li>{@code POST /v1/realtime/client_secrets} (JSON {@code {"session":{...}}}): 200 with {@code
 *       {"value":"ek_local_..."}}, an ephemeral key;
 *   <li>{@code POST /v1/realtime/calls} with {@code application/sdp} (or the unified {@code
 *       multipart/form-data} with fields {@code sdp} and {@code session}): 201, {@code Location:
 *       /v1/realtime/calls/rtc_<id>} and the SDP answer from the {@link Answerer}.
 * </ul>
 *
 * Both want {@code Authorization: Bearer <key>} and answer 401 with OpenAI's JSON error shape
 * without it; any key is accepted. Errors are JSON: {@code {"error":{"message":...,"type":...,
 * "code":...}}}.
 */
public final class LocalRealtimeServer implements AutoCloseable {
  /** Most bytes accepted in a request body (an offer is a few KiB). */
  static final int MAX_BODY_BYTES = 256 * 1024;

  /** What answers the offers: a jpeer echo peer ({@link EchoAnswerer}) or, in tests, libwebrtc. */
  public interface Answerer {
    /**
     * Answers {@code offerSdp} for the call {@code callId}, returning the complete SDP answer. Runs
     * on an HTTP server thread.
     *
     * @throws IllegalArgumentException if the offer is unusable (answered 400 with the message)
     */
    String answer(String callId, String offerSdp);
  }

  private final HttpServer server;
  private final ExecutorService executor;
  private final Answerer answerer;
  private final SecureRandom random = new SecureRandom();

  private LocalRealtimeServer(HttpServer server, ExecutorService executor, Answerer answerer) {
    this.server = server;
    this.executor = executor;
    this.answerer = answerer;
  }

  /**
   * Starts a server on {@code address} (port 0: any free port).
   *
   * @throws IOException if the address cannot be bound
   */
  public static LocalRealtimeServer start(InetSocketAddress address, Answerer answerer)
      throws IOException {
    HttpServer server = HttpServer.create(address, 0);
    // A few threads, so one slow answer does not hold up a client_secrets request.
    ExecutorService executor =
        Executors.newFixedThreadPool(
            4,
            r -> {
              Thread t = new Thread(r, "openai-standin-http");
              t.setDaemon(true);
              return t;
            });
    LocalRealtimeServer s = new LocalRealtimeServer(server, executor, answerer);
    server.setExecutor(executor);
    server.createContext("/", s::handle);
    server.start();
    return s;
  }

  /** The calls URL, e.g. {@code http://127.0.0.1:40123/v1/realtime/calls}. */
  public URI callsUrl() {
    InetSocketAddress a = server.getAddress();
    String host = a.getAddress().getHostAddress();
    if (host.indexOf(':') >= 0) {
      host = "[" + host + "]";
    }
    return URI.create("http://" + host + ":" + a.getPort() + "/v1/realtime/calls");
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      try {
        route(ex);
      } catch (RuntimeException e) {
        // The answerer failed: answer 500 rather than leave the client waiting.
        error(ex, 500, "server_error", null, "The stand-in failed: " + e.getMessage());
      }
    }
  }

  private void route(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getPath();
    boolean calls = path.equals("/v1/realtime/calls");
    boolean secrets = path.equals("/v1/realtime/client_secrets");
    if (!calls && !secrets) {
      error(
          ex,
          404,
          "invalid_request_error",
          null,
          "Invalid URL (" + ex.getRequestMethod() + " " + path + ")");
      return;
    }
    if (!ex.getRequestMethod().equals("POST")) {
      error(ex, 405, "invalid_request_error", null, "Use POST on " + path);
      return;
    }
    String auth = ex.getRequestHeaders().getFirst("Authorization");
    if (auth == null || !auth.startsWith("Bearer ") || auth.substring(7).isBlank()) {
      // OpenAI's words for a request without a key.
      error(
          ex,
          401,
          "invalid_request_error",
          null,
          "You didn't provide an API key. You need to provide your API key in an"
              + " Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).");
      return;
    }
    String body = body(ex);
    if (body == null) {
      error(ex, 413, "invalid_request_error", null, "Request body too large");
      return;
    }
    if (secrets) {
      clientSecret(ex, body);
    } else {
      call(ex, body);
    }
  }

  private void clientSecret(HttpExchange ex, String body) throws IOException {
    Map<String, Object> request = RealtimeEvents.parse(body);
    if (request == null || !(request.get("session") instanceof Map<?, ?>)) {
      error(
          ex,
          400,
          "invalid_request_error",
          "invalid_session",
          "Expected a JSON body with a \"session\" object");
      return;
    }
    Map<String, Object> response = new LinkedHashMap<>();
    response.put("value", "ek_local_" + hex(16));
    response.put("expires_at", 0);
    response.put("session", request.get("session"));
    reply(ex, 200, "application/json", Json.write(response));
  }

  private void call(HttpExchange ex, String body) throws IOException {
    String type = ex.getRequestHeaders().getFirst("Content-Type");
    String offer;
    if (type != null && type.toLowerCase(Locale.ROOT).startsWith("application/sdp")) {
      offer = body;
    } else if (type != null && type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
      offer = Multipart.field(type, body, "sdp");
    } else {
      offer = null;
    }
    if (offer == null || !offer.startsWith("v=0")) {
      error(
          ex,
          400,
          "invalid_request_error",
          "invalid_offer",
          "Expected an SDP offer (Content-Type: application/sdp, or multipart/form-data with"
              + " an \"sdp\" field)");
      return;
    }
    String id = "rtc_" + hex(12);
    String answer;
    try {
      answer = answerer.answer(id, offer);
    } catch (IllegalArgumentException e) {
      error(
          ex,
          400,
          "invalid_request_error",
          "invalid_offer",
          "Invalid SDP offer: " + e.getMessage());
      return;
    }
    ex.getResponseHeaders().add("Location", "/v1/realtime/calls/" + id);
    reply(ex, 201, "application/sdp", answer);
  }

  private String hex(int bytes) {
    byte[] b = new byte[bytes];
    random.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  private static String body(HttpExchange ex) throws IOException {
    try (InputStream in = ex.getRequestBody()) {
      byte[] b = in.readNBytes(MAX_BODY_BYTES + 1);
      return b.length > MAX_BODY_BYTES ? null : new String(b, StandardCharsets.UTF_8);
    }
  }

  /** An error in OpenAI's shape, so clients parse it as they would the real one. */
  private static void error(HttpExchange ex, int status, String type, String code, String message)
      throws IOException {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("message", message);
    error.put("type", type);
    error.put("param", null);
    error.put("code", code);
    reply(ex, status, "application/json", Json.write(Map.of("error", error)));
  }

  private static void reply(HttpExchange ex, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      ex.getResponseBody().write(bytes);
    }
  }

  /** Stops the server at once. */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  /** Just enough of multipart/form-data (RFC 7578) to read a text field. */
  static final class Multipart {
    private Multipart() {}

    /** The value of field {@code name} in {@code body}, or null if absent or malformed. */
    static String field(String contentType, String body, String name) {
      String boundary = null;
      for (String p : contentType.split(";")) {
        String t = p.strip();
        if (t.toLowerCase(Locale.ROOT).startsWith("boundary=")) {
          boundary = t.substring("boundary=".length());
          if (boundary.length() >= 2 && boundary.startsWith("\"") && boundary.endsWith("\"")) {
            boundary = boundary.substring(1, boundary.length() - 1);
          }
        }
      }
      if (boundary == null || boundary.isEmpty()) {
        return null;
      }
      String delimiter = "--" + boundary;
      for (String part : body.split(java.util.regex.Pattern.quote(delimiter))) {
        int headersEnd = part.indexOf("\r\n\r\n");
        if (headersEnd < 0) {
          continue; // the preamble, or the closing "--"
        }
        String headers = part.substring(0, headersEnd).toLowerCase(Locale.ROOT);
        if (!headers.contains("name=\"" + name.toLowerCase(Locale.ROOT) + "\"")) {
          continue;
        }
        String value = part.substring(headersEnd + 4);
        // The CRLF before the next delimiter belongs to the delimiter, not the value.
        return value.endsWith("\r\n") ? value.substring(0, value.length() - 2) : value;
      }
      return null;
    }
  }
}
