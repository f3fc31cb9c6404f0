package io.github.jpeer.realtime.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jpeer.DataChannelType;
import io.github.jpeer.MediaCodec;
import io.github.jpeer.PeerConfiguration;
import io.github.jpeer.PeerConnection;
import io.github.jpeer.signaling.OpenAiRealtimeClient;
import io.github.jpeer.signaling.RealtimeCall;
import io.github.jpeer.signaling.SignalingException;
import io.github.jpeer.signaling.internal.Json;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The stand-in speaks the Realtime HTTP API as OpenAI does: both call forms, keys, errors. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LocalRealtimeServerTest {
  private StandInAnswerer answerer;
  private LocalRealtimeServer server;
  private PeerConnection pc;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    answerer = StandInAnswerer.builder().build();
    server =
        LocalRealtimeServer.start(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), answerer);
    pc =
        PeerConnection.create(
            PeerConfiguration.builder()
                .audioCodec(MediaCodec.OPUS)
                .dataChannel(DataChannelType.STRING)
                .bindAddress(InetAddress.getLoopbackAddress())
                .includeLoopback(true)
                .build());
    pc.createDataChannel("oai-events");
  }

  @AfterEach
  void stop() {
    pc.close();
    server.close();
    answerer.close();
  }

  private OpenAiRealtimeClient client(String key) {
    return OpenAiRealtimeClient.builder()
        .callsUrl(server.callsUrl().toString())
        .apiKey(key)
        .timeout(Duration.ofSeconds(10))
        .build();
  }

  private HttpResponse<String> post(String path, String type, String auth, String body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(server.callsUrl().resolve(path))
            .header("Content-Type", type)
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (auth != null) {
      b.header("Authorization", auth);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> hangup(String callId, String auth) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(server.callsUrl().resolve("calls/" + callId + "/hangup"))
            .POST(HttpRequest.BodyPublishers.noBody());
    if (auth != null) {
      b.header("Authorization", auth);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static Map<String, Object> error(HttpResponse<String> r) {
    return Json.object(Json.parseObject(r.body()), "error");
  }

  @Test
  void clientSecretThenCallAnswersLikeOpenAi() throws Exception {
    OpenAiRealtimeClient client = client("sk-anything");
    String ephemeral = client.createClientSecret(Map.of("type", "realtime", "model", "m"));
    assertTrue(ephemeral.startsWith("ek_local_"), ephemeral);
    RealtimeCall call = client.createCall(pc.createOffer(), ephemeral);
    assertTrue(call.callId().startsWith("rtc_"), call.toString());
    assertEquals("/v1/realtime/calls/" + call.callId(), call.location().getPath());
    assertEquals(List.of(call.callId()), answerer.callIds());
    // OpenAI answers as the DTLS client: the offerer must accept a=setup:active.
    assertTrue(call.answerSdp().contains("a=setup:active"), call.answerSdp());
    assertTrue(call.answerSdp().contains("opus/48000/2"), call.answerSdp());
    assertTrue(call.answerSdp().contains("webrtc-datachannel"), call.answerSdp());
  }

  @Test
  void clientSecretExpiresTenMinutesFromNow() throws Exception {
    long before = System.currentTimeMillis() / 1000;
    HttpResponse<String> ok =
        post(
            "client_secrets",
            "application/json",
            "Bearer k",
            "{\"session\":{\"type\":\"realtime\"}}");
    long after = System.currentTimeMillis() / 1000;
    assertEquals(200, ok.statusCode());
    long expiresAt = ((Number) Json.parseObject(ok.body()).get("expires_at")).longValue();
    assertTrue(
        expiresAt >= before + 600 && expiresAt <= after + 601,
        expiresAt + " not 600 s after " + before);
  }

  @Test
  void unifiedMultipartFormIsAnswered() throws Exception {
    RealtimeCall call =
        client("sk-anything").createCall(pc.createOffer(), Map.of("type", "realtime"));
    assertTrue(call.answerSdp().startsWith("v=0"), call.answerSdp());
    assertTrue(call.answerSdp().contains("a=setup:active"), call.answerSdp());
  }

  @Test
  void noBearerIs401WithOpenAisErrorShape() throws Exception {
    for (String path : new String[] {"client_secrets", "calls"}) {
      HttpResponse<String> r = post(path, "application/sdp", null, "v=0\r\n");
      assertEquals(401, r.statusCode(), path);
      Map<String, Object> error = error(r);
      assertTrue(
          Json.string(error, "message").startsWith("You didn't provide an API key"), r.body());
      assertEquals("invalid_request_error", Json.string(error, "type"));
    }
  }

  @Test
  void offerThatIsNotSdpIs400() throws Exception {
    HttpResponse<String> r = post("calls", "text/plain", "Bearer k", "hello");
    assertEquals(400, r.statusCode());
    assertEquals("invalid_offer", Json.string(error(r), "code"));
    HttpResponse<String> bad =
        post("calls", "application/sdp", "Bearer k", "v=0\r\ns=-\r\nthis is not sdp\r\n");
    assertEquals(400, bad.statusCode(), bad.body());
  }

  @Test
  void clientSecretsWantsASession() throws Exception {
    HttpResponse<String> r = post("client_secrets", "application/json", "Bearer k", "[]");
    assertEquals(400, r.statusCode());
    HttpResponse<String> ok =
        post(
            "client_secrets",
            "application/json",
            "Bearer k",
            "{\"session\":{\"type\":\"realtime\"}}");
    assertEquals(200, ok.statusCode());
    assertEquals(
        "realtime", Json.string(Json.object(Json.parseObject(ok.body()), "session"), "type"));
  }

  @Test
  void unknownPathIs404AndGetIs405() throws Exception {
    URI base = server.callsUrl();
    HttpResponse<String> notFound =
        http.send(
            HttpRequest.newBuilder(base.resolve("/v1/other")).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(404, notFound.statusCode());
    HttpResponse<String> get =
        http.send(HttpRequest.newBuilder(base).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(405, get.statusCode());
    HttpResponse<String> getHangup =
        http.send(
            HttpRequest.newBuilder(base.resolve("calls/rtc_x/hangup")).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(405, getHangup.statusCode());
  }

  @Test
  void baseUrlIsTheRootOfTheCallsUrl() {
    URI base = server.baseUrl();
    assertEquals("http", base.getScheme());
    assertEquals("127.0.0.1", base.getHost());
    assertEquals(base + "/v1/realtime/calls", server.callsUrl().toString());
    // What OpenAiRealtimeClient.Builder.baseUrl makes of it is the same endpoint.
    assertEquals(
        server.callsUrl(),
        OpenAiRealtimeClient.builder().baseUrl(base.toString()).build().callsUrl());
  }

  @Test
  void aCallWithAnEphemeralKeyItNeverIssuedIsRefused() throws Exception {
    SignalingException e =
        assertThrows(
            SignalingException.class,
            () -> client("sk-anything").createCall(pc.createOffer(), "ek_forged"));
    assertEquals(401, e.status());
    assertEquals("invalid_api_key", e.errorCode());
    assertTrue(e.getMessage().contains("never issued"), e.getMessage());
  }

  @Test
  void hangupEndsALiveCallWith200AndAnEmptyObject() throws Exception {
    RealtimeCall call = client("sk-anything").createCall(pc.createOffer(), "sk-anything");
    HttpResponse<String> r = hangup(call.callId(), "Bearer sk-standard");
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(Map.of(), Json.parseObject(r.body()));
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
    assertTrue(answerer.hungUp(call.callId()));
    // Over: a second hang-up finds no call.
    HttpResponse<String> again = hangup(call.callId(), "Bearer sk-standard");
    assertEquals(404, again.statusCode(), again.body());
    assertEquals("call_not_found", Json.string(error(again), "code"));
  }

  @Test
  void hangupWithoutAKeyIs401() throws Exception {
    RealtimeCall call = client("sk-anything").createCall(pc.createOffer(), "sk-anything");
    HttpResponse<String> r = hangup(call.callId(), null);
    assertEquals(401, r.statusCode(), r.body());
    assertTrue(Json.string(error(r), "message").startsWith("You didn't provide an API key"));
    assertFalse(answerer.hungUp(call.callId()));
  }

  @Test
  void hangupWithAnEphemeralKeyIs401AskingForTheStandardKey() throws Exception {
    RealtimeCall call = client("sk-anything").createCall(pc.createOffer(), "sk-anything");
    HttpResponse<String> r = hangup(call.callId(), "Bearer ek_local_0123");
    assertEquals(401, r.statusCode(), r.body());
    Map<String, Object> error = error(r);
    assertEquals("invalid_request_error", Json.string(error, "type"));
    assertTrue(Json.string(error, "message").contains("standard API key"), r.body());
    assertFalse(answerer.hungUp(call.callId()), "an ek_ key must not end the call");
  }

  @Test
  void hangupOfAnUnknownCallIs404() throws Exception {
    HttpResponse<String> r = hangup("rtc_unknown", "Bearer sk-standard");
    assertEquals(404, r.statusCode(), r.body());
    Map<String, Object> error = error(r);
    assertEquals("call_not_found", Json.string(error, "code"));
    assertEquals("invalid_request_error", Json.string(error, "type"));
  }

  @Test
  void anAnswererWithoutHangupAnswers404() throws Exception {
    try (LocalRealtimeServer plain =
        LocalRealtimeServer.start(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), (id, offer) -> offer)) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(plain.callsUrl().resolve("calls/rtc_1/hangup"))
                  .header("Authorization", "Bearer sk-x")
                  .POST(HttpRequest.BodyPublishers.noBody())
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(404, r.statusCode());
    }
  }

  @Test
  void multipartFieldReader() {
    String body =
        "preamble\r\n--b1\r\nContent-Disposition: form-data; name=\"session\"\r\n\r\n"
            + "{}\r\n--b1\r\nContent-Disposition: form-data; name=\"sdp\"\r\n\r\nv=0\r\na=x\r\n\r\n"
            + "--b1--\r\n";
    assertEquals(
        "v=0\r\na=x\r\n",
        LocalRealtimeServer.Multipart.field("multipart/form-data; boundary=b1", body, "sdp"));
    assertEquals(
        "{}",
        LocalRealtimeServer.Multipart.field(
            "multipart/form-data; boundary=\"b1\"", body, "session"));
    assertNull(LocalRealtimeServer.Multipart.field("multipart/form-data", body, "sdp"));
    assertNull(
        LocalRealtimeServer.Multipart.field("multipart/form-data; boundary=b1", body, "missing"));
  }
}
