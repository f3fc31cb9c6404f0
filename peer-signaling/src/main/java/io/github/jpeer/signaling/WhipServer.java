package io.github.jpeer.signaling;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A minimal WHIP endpoint (RFC 9725) on the JDK's HTTP server, for tests and examples: {@code POST
 * <path>} with an SDP offer creates a session (201, {@code Location: <path>/<id>}, the answer from
 * the {@link Handler}); {@code PATCH} on the session passes trickle fragments; {@code DELETE} ends
 * it.
 *
 * <p>The handler runs on the HTTP server's thread; it must be thread-safe with respect to the
 * application's own threads.
 */
public final class WhipServer implements AutoCloseable {
  /** Most bytes accepted in a request body (an SDP offer is a few KiB). */
  public static final int MAX_BODY = 64 * 1024;

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
  private final String bearerToken;
  private final Handler handler;
  private final Map<String, Boolean> sessions = new ConcurrentHashMap<>();
  private final SecureRandom random = new SecureRandom();

  private WhipServer(HttpServer server, String path, String bearerToken, Handler handler) {
    this.server = server;
    this.path = path;
    this.bearerToken = bearerToken;
    this.handler = handler;
  }

  /**
   * Starts an endpoint at {@code http://<address>/<path>}.
   *
   * @param address where to listen (port 0: any free port)
   * @param path the endpoint path, e.g. {@code /whip}
   * @param bearerToken the token clients must present, or null to accept anyone
   * @throws IOException if the address cannot be bound
   */
  public static WhipServer start(
      InetSocketAddress address, String path, String bearerToken, Handler handler)
      throws IOException {
    Objects.requireNonNull(handler, "handler");
    if (!path.startsWith("/") || path.endsWith("/")) {
      throw new IllegalArgumentException("path must start and not end with '/', got " + path);
    }
    HttpServer server = HttpServer.create(address, 0);
    WhipServer whip = new WhipServer(server, path, bearerToken, handler);
    server.createContext(path, whip::handle);
    server.start();
    return whip;
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

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      if (bearerToken != null
          && !("Bearer " + bearerToken).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
        reply(ex, 401, "text/plain", "missing or wrong bearer token");
        return;
      }
      String requestPath = ex.getRequestURI().getPath();
      String method = ex.getRequestMethod();
      if (requestPath.equals(path)) {
        if (method.equals("OPTIONS")) {
          ex.getResponseHeaders().add("Accept-Post", "application/sdp");
          reply(ex, 204, null, null);
        } else if (method.equals("POST")) {
          post(ex);
        } else {
          reply(ex, 405, "text/plain", "use POST with an SDP offer");
        }
        return;
      }
      String id =
          requestPath.startsWith(path + "/") ? requestPath.substring(path.length() + 1) : "";
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
        default -> reply(ex, 405, "text/plain", "use PATCH or DELETE on a session");
      }
    } catch (RuntimeException e) {
      // The handler failed: answer 500 rather than leaving the client hanging.
      reply(ex, 500, "text/plain", "internal error: " + e.getClass().getSimpleName());
    }
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
