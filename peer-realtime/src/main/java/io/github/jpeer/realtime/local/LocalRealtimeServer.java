package io.github.jpeer.realtime.local;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.jpeer.signaling.internal.Json;
import io.github.jpeer.signaling.internal.JsonException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in for the OpenAI Realtime HTTP API on the JDK's HTTP server, so that clients (and their
 * tests) run without a key or the internet. It speaks the requests a WebRTC client makes:
 *
 * <ul>
 *   <li>{@code POST /v1/realtime/client_secrets} (JSON {@code {"session":{...}}}): 200 with {@code
 *       {"value":"ek_local_...","expires_at":<unix seconds>,"session":{...}}}, an ephemeral key
 *       that "expires" ten minutes on, as OpenAI's do;
 *   <li>{@code POST /v1/realtime/calls} with {@code application/sdp} (or the unified {@code
 *       multipart/form-data} with fields {@code sdp} and {@code session}): 201, {@code Location:
 *       /v1/realtime/calls/rtc_<id>} and the SDP answer from the {@link Answerer};
 *   <li>{@code POST /v1/realtime/calls/{call_id}/hangup}: 200 with {@code {}} once the {@link
 *       Answerer} has ended the call, 404 ({@code call_not_found}) for a call it does not know or
 *       that is over. Like the real API it wants the standard key: an ephemeral ({@code ek_}) key
 *       is refused with 401.
 * </ul>
 *
 * Every request wants {@code Authorization: Bearer <key>} and is answered 401 with OpenAI's JSON
 * error shape without it; any other key is accepted. Errors are JSON: {@code
 * {"error":{"message":...,"type":...,"param":null,"code":...}}}.
 *
 * <p>Threads: the server runs its exchanges on a small pool of daemon threads of its own; the
 * {@link Answerer} is called there. {@link #close()} stops both.
 */
public final class LocalRealtimeServer implements AutoCloseable {
  /** Most ephemeral keys whose sessions are remembered. */
  private static final int MAX_CLIENT_SECRETS = 10_000;

  /** Most bytes accepted in a request body (an offer is a few KiB). */
  static final int MAX_BODY_BYTES = 256 * 1024;

  /** How long an ephemeral key is said to live (OpenAI's default for client secrets). */
  static final long CLIENT_SECRET_TTL_SECONDS = 600;

  /** An ephemeral key the server created: the session its calls start with, and its expiry. */
  private record Secret(Map<String, Object> session, long expiresAtMillis) {}

  private static final String CALLS_PATH = "/v1/realtime/calls";
  private static final String SECRETS_PATH = "/v1/realtime/client_secrets";
  private static final Pattern HANGUP_PATH = Pattern.compile("/v1/realtime/calls/([^/]+)/hangup");

  /**
   * What answers the offers and ends the calls: a jpeer peer ({@link StandInAnswerer}) or, in
   * tests, anything else that can answer an SDP offer (libwebrtc, a forged answer).
   */
  public interface Answerer {
    /**
     * Answers {@code offerSdp} for the call {@code callId}, returning the complete SDP answer. Runs
     * on an HTTP server thread.
     *
     * @param callId the id the server gave the call ({@code rtc_...}), also in its {@code Location}
     * @param offerSdp the client's offer
     * @return the SDP answer, with its candidates
     * @throws IllegalArgumentException if the offer is unusable (answered 400 with the message)
     */
    String answer(String callId, String offerSdp);

    /**
     * As {@link #answer(String, String)}, with the session configuration the call starts with: the
     * {@code session} given when its ephemeral key was created, or the {@code session} field of the
     * unified form; empty when the offer came with a key the server did not create (the client then
     * configures the session with {@code session.update}). This default ignores it.
     *
     * @param session the session object as JSON maps and lists, never null
     */
    default String answer(String callId, String offerSdp, Map<String, Object> session) {
      return answer(callId, offerSdp);
    }

    /**
     * Ends the call {@code callId} from the server's side (the hang-up endpoint). Runs on an HTTP
     * server thread. This default knows no call, so the endpoint answers 404.
     *
     * @param callId the id given to {@link #answer}
     * @return true if the call was live and is now ended; false if unknown or already over
     */
    default boolean hangup(String callId) {
      return false;
    }
  }

  private final HttpServer server;
  private final ExecutorService executor;
  private final Answerer answerer;
  private final SecureRandom random = new SecureRandom();
  // The session each ephemeral key was created with (bounded: a stand-in, not a key store).
  private final Map<String, Secret> sessions = new ConcurrentHashMap<>();
  private final Duration secretTtl;

  private LocalRealtimeServer(
      HttpServer server, ExecutorService executor, Answerer answerer, Duration secretTtl) {
    this.server = server;
    this.executor = executor;
    this.answerer = answerer;
    this.secretTtl = secretTtl;
  }

  /**
   * Starts a server on {@code address} (port 0: any free port).
   *
   * @param address where to listen, e.g. 127.0.0.1 port 0
   * @param answerer what answers the offers and ends the calls
   * @return the running server
   * @throws IOException if the address cannot be bound
   */
  public static LocalRealtimeServer start(InetSocketAddress address, Answerer answerer)
      throws IOException {
    return start(address, answerer, Duration.ofSeconds(CLIENT_SECRET_TTL_SECONDS));
  }

  /**
   * As {@link #start(InetSocketAddress, Answerer)}, with ephemeral keys that expire {@code
   * clientSecretTtl} after they are created (600 s otherwise): a call offered with an expired key,
   * or with an {@code ek_} key this server never issued, is refused 401 as the real API does.
   *
   * @throws IllegalArgumentException if {@code clientSecretTtl} is not positive
   */
  public static LocalRealtimeServer start(
      InetSocketAddress address, Answerer answerer, Duration clientSecretTtl) throws IOException {
    if (clientSecretTtl.isNegative() || clientSecretTtl.isZero()) {
      throw new IllegalArgumentException(
          "clientSecretTtl must be positive, got " + clientSecretTtl);
    }
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
    LocalRealtimeServer s = new LocalRealtimeServer(server, executor, answerer, clientSecretTtl);
    server.setExecutor(executor);
    server.createContext("/", s::handle);
    server.start();
    return s;
  }

  /**
   * The server's root, e.g. {@code http://127.0.0.1:40123}: what {@code
   * OpenAiRealtimeClient.Builder.baseUrl} takes.
   */
  public URI baseUrl() {
    InetSocketAddress a = server.getAddress();
    String host = a.getAddress().getHostAddress();
    if (host.indexOf(':') >= 0) {
      host = "[" + host + "]";
    }
    return URI.create("http://" + host + ":" + a.getPort());
  }

  /** The calls URL, e.g. {@code http://127.0.0.1:40123/v1/realtime/calls}. */
  public URI callsUrl() {
    return URI.create(baseUrl() + CALLS_PATH);
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
    boolean calls = path.equals(CALLS_PATH);
    boolean secrets = path.equals(SECRETS_PATH);
    Matcher hangup = HANGUP_PATH.matcher(path);
    boolean hangingUp = hangup.matches();
    if (!calls && !secrets && !hangingUp) {
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
    } else if (calls) {
      call(ex, body);
    } else {
      hangup(ex, hangup.group(1), auth.substring(7).strip());
    }
  }

  private void clientSecret(HttpExchange ex, String body) throws IOException {
    Map<String, Object> request = parseObject(body);
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
    String key = "ek_local_" + hex(16);
    long expires = System.currentTimeMillis() + secretTtl.toMillis();
    if (sessions.size() >= MAX_CLIENT_SECRETS) {
      sessions.values().removeIf(k -> k.expiresAtMillis() < System.currentTimeMillis());
    }
    if (sessions.size() < MAX_CLIENT_SECRETS) {
      // The calls made with it start with this session.
      sessions.put(key, new Secret(Json.object(request, "session"), expires));
    }
    response.put("value", key);
    // Unix seconds, as OpenAI's.
    response.put("expires_at", (expires + 999) / 1000);
    response.put("session", request.get("session"));
    reply(ex, 200, "application/json", Json.write(response));
  }

  private void call(HttpExchange ex, String body) throws IOException {
    String type = ex.getRequestHeaders().getFirst("Content-Type");
    String offer;
    Map<String, Object> session = Map.of();
    if (type != null && type.toLowerCase(Locale.ROOT).startsWith("application/sdp")) {
      offer = body;
      String key = ex.getRequestHeaders().getFirst("Authorization").substring(7).strip();
      if (key.startsWith("ek_")) {
        Secret secret = sessions.get(key);
        if (secret == null || secret.expiresAtMillis() < System.currentTimeMillis()) {
          error(
              ex,
              401,
              "invalid_request_error",
              "invalid_api_key",
              secret == null
                  ? "Invalid ephemeral key: this server never issued it."
                  : "The ephemeral key has expired. Create a new client secret.");
          return;
        }
        session = secret.session();
      }
    } else if (type != null && type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
      offer = Multipart.field(type, body, "sdp");
      Map<String, Object> form = parseObject(Multipart.field(type, body, "session"));
      session = form == null ? Map.of() : form;
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
      answer = answerer.answer(id, offer, session);
    } catch (IllegalArgumentException e) {
      error(
          ex,
          400,
          "invalid_request_error",
          "invalid_offer",
          "Invalid SDP offer: " + e.getMessage());
      return;
    }
    ex.getResponseHeaders().add("Location", CALLS_PATH + "/" + id);
    reply(ex, 201, "application/sdp", answer);
  }

  private void hangup(HttpExchange ex, String callId, String key) throws IOException {
    if (key.startsWith("ek_")) {
      // The real API ends calls for the key's owner only: an ephemeral key, made to be handed to
      // a browser, cannot.
      error(
          ex,
          401,
          "invalid_request_error",
          "invalid_api_key",
          "Hanging up a call needs your standard API key: ephemeral keys (ek_...) cannot end"
              + " calls.");
      return;
    }
    if (!answerer.hangup(callId)) {
      error(
          ex,
          404,
          "invalid_request_error",
          "call_not_found",
          "Call '" + callId + "' not found (unknown, or already ended).");
      return;
    }
    reply(ex, 200, "application/json", "{}");
  }

  private String hex(int bytes) {
    byte[] b = new byte[bytes];
    random.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  /** The JSON object in {@code text}, or null if it is not one. */
  private static Map<String, Object> parseObject(String text) {
    if (text == null) {
      return null;
    }
    try {
      return Json.parseObject(text);
    } catch (JsonException e) {
      return null;
    }
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
      for (String part : body.split(Pattern.quote(delimiter))) {
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
