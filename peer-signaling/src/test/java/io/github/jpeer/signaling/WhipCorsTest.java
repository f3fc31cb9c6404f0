package io.github.jpeer.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * WhipServer as a browser page on another origin sees it: the requests a page's {@code fetch()}
 * makes (a CORS preflight, then the real request with an {@code Origin} header), sent with the
 * JDK's HttpClient to a server on 127.0.0.1.
 */
class WhipCorsTest {
  private static final String OFFER = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n";
  private static final String PAGE = "https://studio.example.org";
  private static final InetSocketAddress ANY_LOOPBACK_PORT =
      new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();

  // Chromium's bug report: with a token configured, the preflight got 401 and no CORS headers.
  @ParameterizedTest
  @NullSource
  @ValueSource(strings = "token")
  void preflightOnTheEndpointIs204WithoutCredentials(String token) throws Exception {
    try (WhipServer server = start(token, WhipServer.ANY_ORIGIN)) {
      HttpResponse<String> r = send(preflight(server.endpoint(), PAGE, "POST"));
      assertEquals(204, r.statusCode(), r.body());
      HttpHeaders h = r.headers();
      assertEquals(List.of("*"), h.allValues("Access-Control-Allow-Origin"));
      assertEquals(Optional.of("POST, OPTIONS"), h.firstValue("Access-Control-Allow-Methods"));
      assertEquals(
          Optional.of("authorization, content-type, if-match"),
          h.firstValue("Access-Control-Allow-Headers"));
      assertEquals(Optional.of("7200"), h.firstValue("Access-Control-Max-Age"));
      assertEquals(Optional.of("application/sdp"), h.firstValue("Accept-Post"));
      assertEquals(Optional.of("POST, OPTIONS"), h.firstValue("Allow"));
      assertEquals(Optional.empty(), h.firstValue("Vary"), "'*' does not vary by Origin");
      assertEquals(Optional.empty(), h.firstValue("WWW-Authenticate"));
    }
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = "token")
  void preflightOnSessionUrlsIs204WhetherOrNotTheSessionExists(String token) throws Exception {
    try (WhipServer server = start(token, WhipServer.ANY_ORIGIN)) {
      URI location = server.endpoint().resolve(location(publish(server, token)));
      URI unknown = server.endpoint().resolve("/whip/0123456789abcdef01234567");
      for (URI session : List.of(location, unknown)) {
        for (String method : List.of("PATCH", "DELETE")) {
          HttpResponse<String> r = send(preflight(session, PAGE, method));
          assertEquals(204, r.statusCode(), session + " " + method);
          HttpHeaders h = r.headers();
          assertEquals(Optional.of("*"), h.firstValue("Access-Control-Allow-Origin"));
          assertEquals(
              Optional.of("PATCH, DELETE, OPTIONS"), h.firstValue("Access-Control-Allow-Methods"));
          assertEquals(
              Optional.of("authorization, content-type, if-match"),
              h.firstValue("Access-Control-Allow-Headers"));
          assertEquals(Optional.of("7200"), h.firstValue("Access-Control-Max-Age"));
          assertEquals(Optional.empty(), h.firstValue("Accept-Post"), "a session takes no POST");
        }
      }
      assertEquals(1, server.sessionCount(), "preflights create and delete nothing");
    }
  }

  @Test
  void aPageCanReadTheLocationOfItsSessionAndDeleteIt() throws Exception {
    try (WhipServer server = start("token", WhipServer.ANY_ORIGIN)) {
      HttpResponse<String> created = send(post(server.endpoint(), "token", PAGE, OFFER));
      assertEquals(201, created.statusCode(), created.body());
      assertCorsOnRealResponse(created.headers());
      // A browser exposes Location to the page only because it is listed here.
      assertExposed(created.headers(), "Location");
      assertExposed(created.headers(), "ETag");
      assertExposed(created.headers(), "Link");
      String location = location(created);
      assertTrue(location.startsWith("/whip/"), location);
      assertTrue(created.headers().firstValue("ETag").isPresent());

      URI session = server.endpoint().resolve(location);
      HttpResponse<String> deleted = send(request(session, "token", PAGE).DELETE().build());
      assertEquals(200, deleted.statusCode(), deleted.body());
      assertCorsOnRealResponse(deleted.headers());
      assertEquals(0, server.sessionCount());
    }
  }

  @Test
  void aPostWithoutTheTokenIsStill401AndThePageCanSeeWhy() throws Exception {
    try (WhipServer server = start("token", WhipServer.ANY_ORIGIN)) {
      for (String token : new String[] {null, "wrong", "token2", "toke"}) {
        HttpResponse<String> r = send(post(server.endpoint(), token, PAGE, OFFER));
        assertEquals(401, r.statusCode(), "token " + token);
        assertCorsOnRealResponse(r.headers());
        assertEquals(Optional.of("Bearer"), r.headers().firstValue("WWW-Authenticate"));
        assertTrue(r.body().contains("bearer token"), r.body());
      }
      // Nor does a session URL answer anything but OPTIONS without the token.
      URI session = server.endpoint().resolve(location(publish(server, "token")));
      HttpResponse<String> r = send(request(session, null, PAGE).DELETE().build());
      assertEquals(401, r.statusCode());
      assertCorsOnRealResponse(r.headers());
      assertEquals(1, server.sessionCount());
    }
  }

  @Test
  void errorResponsesCarryTheCorsHeaders() throws Exception {
    try (WhipServer server = start(null, WhipServer.ANY_ORIGIN)) {
      // 415: not an SDP offer.
      HttpResponse<String> notSdp =
          send(
              request(server.endpoint(), null, PAGE)
                  .header("Content-Type", "text/plain")
                  .POST(HttpRequest.BodyPublishers.ofString(OFFER))
                  .build());
      assertEquals(415, notSdp.statusCode());
      assertCorsOnRealResponse(notSdp.headers());

      // 405 names the methods that would work.
      HttpResponse<String> get = send(request(server.endpoint(), null, PAGE).GET().build());
      assertEquals(405, get.statusCode());
      assertCorsOnRealResponse(get.headers());
      assertEquals(Optional.of("POST, OPTIONS"), get.headers().firstValue("Allow"));

      // 404: a session that does not exist (or no longer does).
      URI gone = server.endpoint().resolve("/whip/0123456789abcdef01234567");
      HttpResponse<String> missing = send(request(gone, null, PAGE).DELETE().build());
      assertEquals(404, missing.statusCode());
      assertCorsOnRealResponse(missing.headers());

      // 204 for a trickle PATCH, 405 for anything else on a session.
      URI session = server.endpoint().resolve(location(publish(server, null)));
      HttpResponse<String> patched =
          send(
              request(session, null, PAGE)
                  .header("Content-Type", "application/trickle-ice-sdpfrag")
                  .method("PATCH", HttpRequest.BodyPublishers.ofString("a=end-of-candidates\r\n"))
                  .build());
      assertEquals(204, patched.statusCode());
      assertCorsOnRealResponse(patched.headers());
      HttpResponse<String> put =
          send(request(session, null, PAGE).PUT(HttpRequest.BodyPublishers.noBody()).build());
      assertEquals(405, put.statusCode());
      assertCorsOnRealResponse(put.headers());
      assertEquals(Optional.of("PATCH, DELETE, OPTIONS"), put.headers().firstValue("Allow"));
    }
  }

  // Regression: the 500 was answered from a catch outside try-with-resources, after the exchange
  // had been closed, so a client saw the connection drop with no status at all.
  @Test
  void aFailingHandlerIs500WithTheCorsHeaders() throws Exception {
    try (WhipServer server =
        WhipServer.start(
            ANY_LOOPBACK_PORT,
            "/whip",
            null,
            (id, offer) -> {
              throw new IllegalStateException("media server down");
            })) {
      HttpResponse<String> r = send(post(server.endpoint(), null, PAGE, OFFER));
      assertEquals(500, r.statusCode());
      assertCorsOnRealResponse(r.headers());
      assertTrue(r.body().contains("IllegalStateException"), r.body());
      assertFalse(r.body().contains("media server down"), "no handler detail leaks to the page");
    }
  }

  @Test
  void aConfiguredOriginIsEchoedToThatOriginOnly() throws Exception {
    try (WhipServer server = start("token", PAGE)) {
      assertEquals(PAGE, server.allowedOrigin());

      HttpResponse<String> ok = send(preflight(server.endpoint(), PAGE, "POST"));
      assertEquals(204, ok.statusCode());
      assertEquals(List.of(PAGE), ok.headers().allValues("Access-Control-Allow-Origin"));
      assertEquals(Optional.of("Origin"), ok.headers().firstValue("Vary"));
      assertEquals(
          Optional.of("POST, OPTIONS"), ok.headers().firstValue("Access-Control-Allow-Methods"));

      HttpResponse<String> created = send(post(server.endpoint(), "token", PAGE, OFFER));
      assertEquals(201, created.statusCode());
      assertEquals(List.of(PAGE), created.headers().allValues("Access-Control-Allow-Origin"));
      assertEquals(Optional.of("Origin"), created.headers().firstValue("Vary"));
      assertExposed(created.headers(), "Location");

      // Another origin, a look-alike, and the opaque "null" origin of a sandboxed page.
      for (String other :
          List.of(
              "https://evil.example.org",
              "http://studio.example.org",
              "https://studio.example.org:8443",
              "null")) {
        HttpResponse<String> pre = send(preflight(server.endpoint(), other, "POST"));
        assertEquals(204, pre.statusCode(), "still not an authentication failure");
        assertNoCorsGrant(pre.headers(), other);
        HttpResponse<String> post = send(post(server.endpoint(), "token", other, OFFER));
        // The server still serves it (CORS binds browsers, not servers); a browser hides it.
        assertEquals(201, post.statusCode());
        assertNoCorsGrant(post.headers(), other);
      }

      // A client that sends no Origin (not a browser) needs and gets no grant.
      HttpResponse<String> noOrigin = send(post(server.endpoint(), "token", null, OFFER));
      assertEquals(201, noOrigin.statusCode());
      assertNoCorsGrant(noOrigin.headers(), "no Origin");
    }
  }

  @Test
  void theConfiguredOriginIsComparedInTheFormBrowsersSend() throws Exception {
    try (WhipServer server = start(null, "HTTP://LocalHost:8080")) {
      assertEquals("http://localhost:8080", server.allowedOrigin());
      HttpResponse<String> r = send(preflight(server.endpoint(), "http://localhost:8080", "POST"));
      assertEquals(
          Optional.of("http://localhost:8080"),
          r.headers().firstValue("Access-Control-Allow-Origin"));
    }
  }

  @Test
  void aMalformedOriginIsRejectedWithWhatToWrite() {
    for (String bad :
        List.of(
            "https://studio.example.org/",
            "https://studio.example.org/whip",
            "studio.example.org",
            "ftp://studio.example.org",
            "https://user@studio.example.org",
            "https://studio.example.org?x=1",
            "https:studio.example.org",
            "null",
            "",
            "https://")) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> start(null, bad), bad);
      assertTrue(e.getMessage().contains("scheme://host[:port]"), e.getMessage());
    }
    IllegalArgumentException port =
        assertThrows(
            IllegalArgumentException.class, () -> start(null, "https://studio.example.org:443"));
    assertTrue(port.getMessage().contains("default port"), port.getMessage());
    NullPointerException none = assertThrows(NullPointerException.class, () -> start(null, null));
    assertTrue(none.getMessage().contains("ANY_ORIGIN"), none.getMessage());
  }

  @Test
  void theFourArgumentStartAllowsAnyOriginAndWhipClientStillWorks() throws Exception {
    try (WhipServer server =
        WhipServer.start(ANY_LOOPBACK_PORT, "/whip", "token", (id, offer) -> offer)) {
      assertEquals(WhipServer.ANY_ORIGIN, server.allowedOrigin());
      WhipClient.Session s = new WhipClient(server.endpoint(), "token").publish(OFFER);
      assertEquals(1, server.sessionCount());
      s.close();
      assertEquals(0, server.sessionCount());
    }
  }

  private static WhipServer start(String token, String allowedOrigin) throws IOException {
    return WhipServer.start(ANY_LOOPBACK_PORT, "/whip", token, allowedOrigin, (id, offer) -> offer);
  }

  /** What a browser sends before a non-simple request: no credentials, no body. */
  private static HttpRequest preflight(URI uri, String origin, String method) {
    return HttpRequest.newBuilder(uri)
        .timeout(TIMEOUT)
        .header("Origin", origin)
        .header("Access-Control-Request-Method", method)
        .header("Access-Control-Request-Headers", "authorization,content-type")
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
        .build();
  }

  private static HttpRequest.Builder request(URI uri, String token, String origin) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(TIMEOUT);
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (origin != null) {
      b.header("Origin", origin);
    }
    return b;
  }

  private static HttpRequest post(URI uri, String token, String origin, String sdp) {
    return request(uri, token, origin)
        .header("Content-Type", "application/sdp")
        .POST(HttpRequest.BodyPublishers.ofString(sdp, StandardCharsets.UTF_8))
        .build();
  }

  private static HttpResponse<String> publish(WhipServer server, String token, String origin)
      throws IOException, InterruptedException {
    HttpResponse<String> r = send(post(server.endpoint(), token, origin, OFFER));
    assertEquals(201, r.statusCode(), r.body());
    return r;
  }

  private static HttpResponse<String> publish(WhipServer server, String token)
      throws IOException, InterruptedException {
    return publish(server, token, PAGE);
  }

  private static String location(HttpResponse<String> created) {
    return created.headers().firstValue("Location").orElseThrow();
  }

  private static HttpResponse<String> send(HttpRequest request)
      throws IOException, InterruptedException {
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  private static void assertCorsOnRealResponse(HttpHeaders h) {
    // Exactly one value: a browser rejects "*, *".
    assertEquals(List.of("*"), h.allValues("Access-Control-Allow-Origin"));
    assertEquals(
        Optional.of("Location, ETag, Link"), h.firstValue("Access-Control-Expose-Headers"));
    assertEquals(Optional.empty(), h.firstValue("Access-Control-Allow-Credentials"));
  }

  private static void assertExposed(HttpHeaders h, String name) {
    String exposed = h.firstValue("Access-Control-Expose-Headers").orElse("");
    assertTrue(
        List.of(exposed.split(",\\s*")).stream().anyMatch(name::equalsIgnoreCase),
        name + " not in " + exposed);
  }

  private static void assertNoCorsGrant(HttpHeaders h, String from) {
    assertEquals(Optional.empty(), h.firstValue("Access-Control-Allow-Origin"), from);
    assertEquals(Optional.empty(), h.firstValue("Access-Control-Allow-Methods"), from);
    assertEquals(Optional.of("Origin"), h.firstValue("Vary"), from);
  }
}
