package io.github.jpeer.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.jpeer.signaling.internal.Json;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client against a stand-in of the OpenAI endpoints on 127.0.0.1, one behaviour per test. */
class OpenAiRealtimeClientTest {
  private static final String KEY = "sk-test-0123456789";
  private static final String OFFER = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n";
  private static final String ANSWER = "v=0\r\no=- 3 4 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n";

  private HttpServer server;
  private final AtomicReference<Handler> behaviour = new AtomicReference<>();
  private final CountDownLatch release = new CountDownLatch(1);
  private final AtomicReference<String> lastBody = new AtomicReference<>();
  private final AtomicReference<String> lastContentType = new AtomicReference<>();
  private final AtomicReference<String> lastAuthorization = new AtomicReference<>();

  interface Handler {
    void handle(HttpExchange ex) throws IOException;
  }

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/v1/realtime/",
        ex -> {
          try (ex) {
            lastBody.set(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            lastContentType.set(ex.getRequestHeaders().getFirst("Content-Type"));
            lastAuthorization.set(ex.getRequestHeaders().getFirst("Authorization"));
            behaviour.get().handle(ex);
          }
        });
    server.start();
  }

  @AfterEach
  void stop() {
    release.countDown();
    server.stop(0);
  }

  private OpenAiRealtimeClient client(Duration timeout) {
    return OpenAiRealtimeClient.builder()
        .baseUrl("http://127.0.0.1:" + server.getAddress().getPort())
        .apiKey(KEY)
        .timeout(timeout)
        .build();
  }

  private static void reply(HttpExchange ex, int status, String type, String body)
      throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
    ex.getResponseBody().write(b);
  }

  @Test
  void postsTheOfferAsSdpAndReturnsTheAnswerAndCallId() throws Exception {
    behaviour.set(
        ex -> {
          ex.getResponseHeaders().set("Location", "/v1/realtime/calls/rtc_abc123");
          reply(ex, 201, "application/sdp", ANSWER);
        });
    RealtimeCall call = client(Duration.ofSeconds(5)).createCall(OFFER, "ek_ephemeral");
    assertEquals(ANSWER, call.answerSdp());
    assertEquals("rtc_abc123", call.callId());
    assertEquals(OFFER, lastBody.get());
    assertEquals("application/sdp", lastContentType.get());
    assertEquals("Bearer ek_ephemeral", lastAuthorization.get());
  }

  @Test
  void createsAnEphemeralKeyWithTheSessionConfig() throws Exception {
    behaviour.set(
        ex ->
            reply(
                ex,
                200,
                "application/json",
                "{\"value\":\"ek_68af\",\"expires_at\":1756310470,\"session\":{}}"));
    String key =
        client(Duration.ofSeconds(5))
            .createClientSecret(Map.of("type", "realtime", "model", "gpt-realtime"));
    assertEquals("ek_68af", key);
    assertEquals("Bearer " + KEY, lastAuthorization.get());
    Map<String, Object> sent = Json.parseObject(lastBody.get());
    assertEquals("gpt-realtime", Json.object(sent, "session").get("model"));
  }

  @Test
  void unifiedFormSendsSdpAndSessionAsMultipart() throws Exception {
    behaviour.set(ex -> reply(ex, 201, "application/sdp", ANSWER));
    RealtimeCall call = client(Duration.ofSeconds(5)).createCall(OFFER, Map.of("type", "realtime"));
    assertEquals(ANSWER, call.answerSdp());
    String type = lastContentType.get();
    assertTrue(type.startsWith("multipart/form-data; boundary="), type);
    String boundary = type.substring(type.indexOf('=') + 1);
    String body = lastBody.get();
    assertTrue(
        body.contains(
            "--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\"sdp\"\r\n\r\n"
                + OFFER
                + "\r\n"),
        body);
    assertTrue(body.contains("name=\"session\"\r\n\r\n{\"type\":\"realtime\"}\r\n"), body);
    assertTrue(body.endsWith("--" + boundary + "--\r\n"), body);
  }

  @Test
  void unauthorisedCarriesOpenAisMessageAndCodeButNotTheKey() {
    behaviour.set(
        ex ->
            reply(
                ex,
                401,
                "application/json",
                "{\"error\":{\"message\":\"Incorrect API key provided: sk-test-****6789.\","
                    + "\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}"));
    SignalingException e =
        assertThrows(
            SignalingException.class, () -> client(Duration.ofSeconds(5)).createCall(OFFER, KEY));
    assertEquals(401, e.status());
    assertEquals("invalid_api_key", e.errorCode());
    assertEquals("invalid_request_error", e.errorType());
    // "sk-test-" is 8 characters of the key: OpenAI's masked form goes as a whole.
    assertEquals("Incorrect API key provided: [redacted].", e.serverMessage());
    assertTrue(
        e.getMessage()
            .endsWith(
                "/v1/realtime/calls: HTTP 401 invalid_api_key: Incorrect API key provided:"
                    + " [redacted]."),
        e.getMessage());
    assertFalse(e.getMessage().contains(KEY), "the key must never be in a message");
  }

  @Test
  void badRequestWithJsonError() {
    behaviour.set(
        ex ->
            reply(
                ex,
                400,
                "application/json",
                "{\"error\":{\"message\":\"Invalid SDP offer\",\"type\":\"invalid_request_error\"}}"));
    SignalingException e =
        assertThrows(
            SignalingException.class, () -> client(Duration.ofSeconds(5)).createCall(OFFER, KEY));
    assertEquals(400, e.status());
    assertNull(e.errorCode());
    assertEquals("Invalid SDP offer", e.serverMessage());
    // No code: the type stands in for it.
    assertTrue(
        e.getMessage().endsWith("HTTP 400 invalid_request_error: Invalid SDP offer"),
        e.getMessage());
  }

  @Test
  void serverErrorWithAPlainBody() {
    behaviour.set(ex -> reply(ex, 500, "text/html", "<html>upstream failed</html>"));
    SignalingException e =
        assertThrows(
            SignalingException.class, () -> client(Duration.ofSeconds(5)).createCall(OFFER, KEY));
    assertEquals(500, e.status());
    assertTrue(e.getMessage().contains("<html>upstream failed</html>"), e.getMessage());
  }

  @Test
  void aSuccessThatIsNotSdpIsAnError() {
    behaviour.set(ex -> reply(ex, 201, "application/json", "{\"ok\":true}"));
    SignalingException e =
        assertThrows(
            SignalingException.class, () -> client(Duration.ofSeconds(5)).createCall(OFFER, KEY));
    assertTrue(e.getMessage().contains("instead of an SDP answer"), e.getMessage());
    assertTrue(e.getMessage().contains("application/json"), e.getMessage());
  }

  @Test
  void aServerThatNeverAnswersTimesOut() {
    behaviour.set(
        ex -> {
          try {
            release.await(5, TimeUnit.SECONDS); // bounded: @AfterEach releases it at once
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    SignalingException e =
        assertThrows(
            SignalingException.class, () -> client(Duration.ofMillis(300)).createCall(OFFER, KEY));
    assertEquals(0, e.status());
    assertTrue(e.getMessage().contains("no answer within 300 ms"), e.getMessage());
  }

  @Test
  void hangupPostsToTheCallsHangupPathWithTheStandardKey() throws Exception {
    AtomicReference<String> path = new AtomicReference<>();
    AtomicReference<String> method = new AtomicReference<>();
    behaviour.set(
        ex -> {
          path.set(ex.getRequestURI().getPath());
          method.set(ex.getRequestMethod());
          reply(ex, 200, "application/json", "{}");
        });
    client(Duration.ofSeconds(5)).hangup("rtc_abc123");
    assertEquals("/v1/realtime/calls/rtc_abc123/hangup", path.get());
    assertEquals("POST", method.get());
    assertEquals("Bearer " + KEY, lastAuthorization.get());
  }

  @Test
  void hangupOfAnUnknownCallCarriesTheStatusAndCode() {
    behaviour.set(
        ex ->
            reply(
                ex,
                404,
                "application/json",
                "{\"error\":{\"message\":\"Call not found.\",\"type\":\"invalid_request_error\","
                    + "\"code\":\"call_not_found\"}}"));
    SignalingException e =
        assertThrows(
            SignalingException.class, () -> client(Duration.ofSeconds(5)).hangup("rtc_gone"));
    assertEquals(404, e.status());
    assertEquals("call_not_found", e.errorCode());
    assertTrue(e.getMessage().contains("Call not found."), e.getMessage());
    IllegalArgumentException bad =
        assertThrows(
            IllegalArgumentException.class, () -> client(Duration.ofSeconds(5)).hangup("a/b"));
    assertTrue(bad.getMessage().contains("Location"), bad.getMessage());
    assertThrows(
        IllegalStateException.class,
        () -> OpenAiRealtimeClient.builder().build().hangup("rtc_abc123"));
  }

  @Test
  void misuseIsExplained() {
    OpenAiRealtimeClient noKey = OpenAiRealtimeClient.builder().build();
    assertTrue(
        assertThrows(IllegalStateException.class, () -> noKey.createCall(OFFER, Map.of()))
            .getMessage()
            .contains("no API key"));
    assertThrows(IllegalArgumentException.class, () -> noKey.createCall(OFFER, " "));
    assertThrows(
        IllegalArgumentException.class,
        () -> OpenAiRealtimeClient.builder().callsUrl("ftp://example.org/v1/realtime/calls"));
    assertThrows(
        IllegalArgumentException.class,
        () -> OpenAiRealtimeClient.builder().callsUrl("https://example.org/v1/realtime"));
    assertEquals("https://api.openai.com/v1/realtime/calls", noKey.callsUrl().toString());
  }
}
