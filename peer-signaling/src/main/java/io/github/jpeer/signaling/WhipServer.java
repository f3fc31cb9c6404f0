package io.github.jpeer.signaling;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A minimal WHIP endpoint (RFC 9725) on the JDK's HTTP server, for tests and examples: {@code POST
 * <path>} with an SDP offer creates a session (201, {@code Location: <path>/<id>}, the answer from
 * the {@link Handler}); {@code PATCH} on the session passes trickle fragments; {@code DELETE} ends
 * it.
 *
 * <p>Browsers are the usual WHIP clients, and a page is rarely served from the endpoint's own
 * origin, so the server speaks CORS (the Fetch standard's HTTP extensions):
 *
 * <ul>
 *   <li>{@code OPTIONS} on the endpoint or on any session URL is a preflight and is answered 204
 *       before the bearer token is checked, because a browser never puts credentials on a preflight
 *       (RFC 9725 requires CORS OPTIONS support on endpoints and exempts the preflight from the
 *       bearer token, in "Ingest Session Setup" and "Bearer Token Authentication"). The answer
 *       names the methods, the request headers a WHIP page sends ({@code authorization, content-
 *       type, if-match}) and how long the browser may cache it; on the endpoint it also carries
 *       {@code Accept-Post: application/sdp}. It never reveals whether a session exists.
 *   <li>Every other response, errors included, carries {@code Access-Control-Allow-Origin} and
 *       {@code Access-Control-Expose-Headers: Location, ETag, Link}, so a page can read the session
 *       URL and see why a request failed (a 401, say) instead of an opaque CORS error.
 * </ul>
 *
 * <p>Which pages may call is set by the {@code allowedOrigin} argument of {@link
 * #start(InetSocketAddress, String, String, String, Handler)}: {@link #ANY_ORIGIN} (what {@link
 * #start(InetSocketAddress, String, String, Handler)} uses) or one origin that is echoed only to
 * requests from that origin.
 *
 * <p>The handler runs on the HTTP server's thread; it must be thread-safe with respect to the
 * application's own threads.
 */
public final class WhipServer implements AutoCloseable {
  /** Most bytes accepted in a request body (an SDP offer is a few KiB). */
  public static final int MAX_BODY = 64 * 1024;

  /**
   * The {@code allowedOrigin} that lets a page from any origin call the endpoint. Safe for WHIP
   * because the bearer token travels in the {@code Authorization} header, which a page can only
   * send if its script already knows the token; the server sets no cookie and never answers {@code
   * Access-Control-Allow-Credentials}, so a browser's ambient credentials are never used.
   */
  public static final String ANY_ORIGIN = "*";

  /**
   * Seconds a browser may cache a preflight answer. Chromium caps the value at 7200 and Firefox at
   * 86400, so a larger value would gain nothing in the most common browser.
   */
  public static final int PREFLIGHT_MAX_AGE_SECONDS = 7200;

  // The request headers a WHIP page sends: the token, the SDP / trickle media type, and the entity
  // tag of a trickle or ICE restart PATCH (RFC 9725 "ICE Support"). Authorization is never covered
  // by a '*' wildcard.
  private static final String ALLOW_HEADERS = "authorization, content-type, if-match";
  // Response headers a page must read: the session URL, its entity tag, and ICE servers or
  // extensions (RFC 9725 "STUN/TURN Server Configuration", "Protocol Extensions"); the
  // CORS-safelisted ones (Content-Type, ...) need no mention.
  private static final String EXPOSE_HEADERS = "Location, ETag, Link";
  private static final String ENDPOINT_METHODS = "POST, OPTIONS";
  private static final String SESSION_METHODS = "PATCH, DELETE, OPTIONS";

  /** What the application does with WHIP requests. */
  public interface Handler {
    /**
     * A client published: return the SDP answer.
     *
     * @param sessionId the id jpeer assigned (the last segment of the Location URL)
     * @throws IllegalArgumentException if the offer is unacceptable (answered 400 with the message)
     */
    String onOffer(String sessionId, String offerSdp);

    /** A trickle PATCH arrived for {@code sessionId}. */
    default void onPatch(String sessionId, String sdpFragment) {}

    /** The client ended {@code sessionId}. */
    default void onDelete(String sessionId) {}
  }

  private final HttpServer server;
  private final String path;
  private final byte[] expectedAuthorization;
  private final String allowedOrigin;
  private final Handler handler;
  private final Map<String, Boolean> sessions = new ConcurrentHashMap<>();
  private final SecureRandom random = new SecureRandom();

  private WhipServer(
      HttpServer server, String path, String bearerToken, String allowedOrigin, Handler handler) {
    this.server = server;
    this.path = path;
    this.expectedAuthorization =
        bearerToken == null ? null : ("Bearer " + bearerToken).getBytes(StandardCharsets.UTF_8);
    this.allowedOrigin = allowedOrigin;
    this.handler = handler;
  }

  /**
   * Starts an endpoint at {@code http://<address>/<path>} that pages from any origin may call (as
   * {@link #start(InetSocketAddress, String, String, String, Handler)} with {@link #ANY_ORIGIN}).
   *
   * @param address where to listen (port 0: any free port)
   * @param path the endpoint path, e.g. {@code /whip}
   * @param bearerToken the token clients must present, or null to accept anyone
   * @throws IOException if the address cannot be bound
   */
  public static WhipServer start(
      InetSocketAddress address, String path, String bearerToken, Handler handler)
      throws IOException {
    return start(address, path, bearerToken, ANY_ORIGIN, handler);
  }

  /**
   * Starts an endpoint at {@code http://<address>/<path>} that only pages from {@code
   * allowedOrigin} may call from a browser.
   *
   * <p>With {@link #ANY_ORIGIN} every response carries {@code Access-Control-Allow-Origin: *}. With
   * a single origin, that origin is echoed in {@code Access-Control-Allow-Origin} only when the
   * request's {@code Origin} header equals it; a request from another origin (or with no {@code
   * Origin}) gets no such header, so a browser withholds the response from the page. Every response
   * then also says {@code Vary: Origin}, so a shared cache never hands one origin's answer to
   * another. CORS is enforced by browsers only: it does not replace the bearer token against other
   * clients.
   *
   * @param address where to listen (port 0: any free port)
   * @param path the endpoint path, e.g. {@code /whip}
   * @param bearerToken the token clients must present, or null to accept anyone
   * @param allowedOrigin {@link #ANY_ORIGIN}, or one origin written as a browser sends it in {@code
   *     Origin}: {@code scheme://host[:port]} with scheme http or https, no path, no trailing
   *     slash, no default port (letter case is ignored), e.g. {@code https://studio.example.org} or
   *     {@code http://localhost:8080}
   * @throws IllegalArgumentException if {@code path} or {@code allowedOrigin} is malformed
   * @throws IOException if the address cannot be bound
   */
  public static WhipServer start(
      InetSocketAddress address,
      String path,
      String bearerToken,
      String allowedOrigin,
      Handler handler)
      throws IOException {
    Objects.requireNonNull(handler, "handler");
    if (!path.startsWith("/") || path.endsWith("/")) {
      throw new IllegalArgumentException("path must start and not end with '/', got " + path);
    }
    String origin = checkOrigin(allowedOrigin);
    HttpServer server = HttpServer.create(address, 0);
    WhipServer whip = new WhipServer(server, path, bearerToken, origin, handler);
    server.createContext(path, whip::handle);
    server.start();
    return whip;
  }

  /**
   * Validates an {@code allowedOrigin} and returns it in the lowercase form browsers send (origins
   * compare case-insensitively in scheme and host, and have no other parts).
   */
  private static String checkOrigin(String allowedOrigin) {
    Objects.requireNonNull(
        allowedOrigin, "allowedOrigin (use WhipServer.ANY_ORIGIN to allow every origin)");
    if (allowedOrigin.equals(ANY_ORIGIN)) {
      return ANY_ORIGIN;
    }
    String origin = allowedOrigin.toLowerCase(Locale.ROOT);
    String expected =
        "allowedOrigin must be \"*\" or scheme://host[:port] as a browser sends it in the Origin"
            + " header (http or https, no path, no trailing slash), got "
            + allowedOrigin;
    URI uri;
    try {
      uri = new URI(origin);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(expected, e);
    }
    boolean http = "http".equals(uri.getScheme());
    boolean https = "https".equals(uri.getScheme());
    // "null" (the Origin of file: pages and sandboxes) is rejected here: any page can claim it.
    if (!(http || https)
        || uri.getHost() == null
        || uri.getRawUserInfo() != null
        || uri.getRawPath() == null
        || !uri.getRawPath().isEmpty()
        || uri.getRawQuery() != null
        || uri.getRawFragment() != null) {
      throw new IllegalArgumentException(expected);
    }
    if ((http && uri.getPort() == 80) || (https && uri.getPort() == 443)) {
      throw new IllegalArgumentException(
          "drop the default port from allowedOrigin: browsers omit it in Origin, got "
              + allowedOrigin);
    }
    return origin;
  }

  /** The endpoint's URL. */
  public URI endpoint() {
    InetSocketAddress a = server.getAddress();
    String host = a.getAddress().getHostAddress();
    if (host.indexOf(':') >= 0) {
      host = "[" + host + "]";
    }
    return URI.create("http://" + host + ":" + a.getPort() + path);
  }

  /** Sessions created and not yet deleted. */
  public int sessionCount() {
    return sessions.size();
  }

  /** The origin pages must come from, or {@link #ANY_ORIGIN}. */
  public String allowedOrigin() {
    return allowedOrigin;
  }

  private void handle(HttpExchange ex) throws IOException {
    // The catch sits inside the try-with-resources: a resource is closed before an outer catch
    // runs, which would leave the 500 unsent.
    try (ex) {
      try {
        route(ex);
      } catch (RuntimeException e) {
        // The handler failed: answer 500 rather than leaving the client hanging.
        reply(ex, 500, "text/plain", "internal error: " + e.getClass().getSimpleName());
      }
    }
  }

  private void route(HttpExchange ex) throws IOException {
    boolean originAllowed = addCorsHeaders(ex);
    String requestPath = ex.getRequestURI().getPath();
    String method = ex.getRequestMethod();
    boolean onEndpoint = requestPath.equals(path);
    boolean underEndpoint = requestPath.startsWith(path + "/");
    if (method.equals("OPTIONS") && (onEndpoint || underEndpoint)) {
      // Before the token check: a preflight never carries credentials, so a 401 here would make
      // every authenticated browser request fail.
      preflight(ex, onEndpoint, originAllowed);
      return;
    }
    if (!authorized(ex)) {
      // RFC 9110 section 15.5.2: a 401 names the scheme the client should use.
      ex.getResponseHeaders().set("WWW-Authenticate", "Bearer");
      reply(ex, 401, "text/plain", "missing or wrong bearer token");
      return;
    }
    if (onEndpoint) {
      if (method.equals("POST")) {
        post(ex);
      } else {
        // RFC 9110 section 15.5.6: a 405 lists the methods the resource does support.
        ex.getResponseHeaders().set("Allow", ENDPOINT_METHODS);
        reply(ex, 405, "text/plain", "use POST with an SDP offer");
      }
      return;
    }
    String id = underEndpoint ? requestPath.substring(path.length() + 1) : "";
    if (!sessions.containsKey(id)) {
      reply(ex, 404, "text/plain", "no such session");
      return;
    }
    switch (method) {
      case "PATCH" -> {
        String type = ex.getRequestHeaders().getFirst("Content-Type");
        if (type == null || !type.startsWith("application/trickle-ice-sdpfrag")) {
          reply(ex, 415, "text/plain", "PATCH needs application/trickle-ice-sdpfrag");
          return;
        }
        handler.onPatch(id, body(ex));
        reply(ex, 204, null, null);
      }
      case "DELETE" -> {
        sessions.remove(id);
        handler.onDelete(id);
        reply(ex, 200, null, null);
      }
      default -> {
        ex.getResponseHeaders().set("Allow", SESSION_METHODS);
        reply(ex, 405, "text/plain", "use PATCH or DELETE on a session");
      }
    }
  }

  /**
   * Adds the headers every response carries and says whether the request's origin may read it. With
   * a single allowed origin, a request without {@code Origin} (a non-browser client, or a
   * same-origin GET) gets no Allow-Origin: it needs none.
   */
  private boolean addCorsHeaders(HttpExchange ex) {
    Headers h = ex.getResponseHeaders();
    boolean allowed;
    if (allowedOrigin.equals(ANY_ORIGIN)) {
      allowed = true;
    } else {
      // The answer depends on Origin: caches must key on it.
      h.set("Vary", "Origin");
      allowed = allowedOrigin.equals(ex.getRequestHeaders().getFirst("Origin"));
    }
    if (allowed) {
      h.set("Access-Control-Allow-Origin", allowedOrigin);
      h.set("Access-Control-Expose-Headers", EXPOSE_HEADERS);
    }
    return allowed;
  }

  /**
   * Answers OPTIONS on the endpoint or a session URL: 204 whether or not the session exists, so an
   * unauthenticated caller learns nothing; the real request then gets its 404.
   */
  private void preflight(HttpExchange ex, boolean onEndpoint, boolean originAllowed)
      throws IOException {
    Headers h = ex.getResponseHeaders();
    String methods = onEndpoint ? ENDPOINT_METHODS : SESSION_METHODS;
    h.set("Allow", methods);
    if (onEndpoint) {
      h.set("Accept-Post", "application/sdp");
    }
    if (originAllowed) {
      h.set("Access-Control-Allow-Methods", methods);
      h.set("Access-Control-Allow-Headers", ALLOW_HEADERS);
      h.set("Access-Control-Max-Age", Integer.toString(PREFLIGHT_MAX_AGE_SECONDS));
    }
    reply(ex, 204, null, null);
  }

  private boolean authorized(HttpExchange ex) {
    if (expectedAuthorization == null) {
      return true;
    }
    String presented = ex.getRequestHeaders().getFirst("Authorization");
    // Constant-time comparison, so response timing does not reveal how much of a guess was right.
    return presented != null
        && MessageDigest.isEqual(expectedAuthorization, presented.getBytes(StandardCharsets.UTF_8));
  }

  private void post(HttpExchange ex) throws IOException {
    String type = ex.getRequestHeaders().getFirst("Content-Type");
    if (type == null || !type.startsWith("application/sdp")) {
      reply(ex, 415, "text/plain", "POST needs Content-Type: application/sdp");
      return;
    }
    String offer = body(ex);
    if (offer == null) {
      reply(ex, 413, "text/plain", "offer larger than " + MAX_BODY + " bytes");
      return;
    }
    byte[] idBytes = new byte[12];
    random.nextBytes(idBytes);
    String id = HexFormat.of().formatHex(idBytes);
    String answer;
    try {
      answer = handler.onOffer(id, offer);
    } catch (IllegalArgumentException e) {
      reply(ex, 400, "text/plain", String.valueOf(e.getMessage()));
      return;
    }
    sessions.put(id, Boolean.TRUE);
    ex.getResponseHeaders().add("Location", path + "/" + id);
    ex.getResponseHeaders().add("ETag", "\"" + id + "\"");
    reply(ex, 201, "application/sdp", answer);
  }

  private static String body(HttpExchange ex) throws IOException {
    try (InputStream in = ex.getRequestBody()) {
      byte[] b = in.readNBytes(MAX_BODY + 1);
      return b.length > MAX_BODY ? null : new String(b, StandardCharsets.UTF_8);
    }
  }

  private static void reply(HttpExchange ex, int status, String type, String body)
      throws IOException {
    byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    if (type != null) {
      ex.getResponseHeaders().set("Content-Type", type);
    }
    ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      ex.getResponseBody().write(bytes);
    }
  }

  /** Stops the server at once. */
  @Override
  public void close() {
    server.stop(0);
  }
}
