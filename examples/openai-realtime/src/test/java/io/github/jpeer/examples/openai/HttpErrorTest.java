package io.github.jpeer.examples.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.jpeer.DataChannelType;
import io.github.jpeer.MediaCodec;
import io.github.jpeer.PeerConfiguration;
import io.github.jpeer.PeerConnection;
import io.github.jpeer.SdpType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The failures a user meets, through the whole CLI logic against a scripted HTTP server: each ends
 * with exit status 1 and one line saying why, and the key never shows.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HttpErrorTest {
  private static final String KEY = "sk-test-0123456789abcdef";
  private static final String SECRETS = "/v1/realtime/client_secrets";
  private static final String CALLS = "/v1/realtime/calls";

  /** What the scripted server does for one path. */
  private interface Reply {
    void handle(HttpExchange ex) throws IOException, InterruptedException;
  }

  private final Map<String, Reply> replies = new ConcurrentHashMap<>();
  private final CountDownLatch release = new CountDownLatch(1);
  private final List<PeerConnection> peers = new ArrayList<>();
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private HttpServer server;
  private ExecutorService executor;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    executor = Executors.newCachedThreadPool();
    server.setExecutor(executor);
    server.createContext(
        "/",
        ex -> {
          try (ex) {
            Reply r = replies.get(ex.getRequestURI().getPath());
            if (r == null) {
              send(ex, 404, "application/json", "{\"error\":{\"message\":\"no route\"}}");
            } else {
              r.handle(ex);
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    server.start();
    replies.put(SECRETS, ex -> send(ex, 200, "application/json", "{\"value\":\"ek_test_1\"}"));
  }

  @AfterEach
  void stop() {
    release.countDown();
    server.stop(0);
    executor.shutdownNow();
    peers.forEach(PeerConnection::close);
  }

  private static void send(HttpExchange ex, int status, String type, String body)
      throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
    if (b.length > 0) {
      ex.getResponseBody().write(b);
    }
  }

  private static String openAiError(String message, String type, String code) {
    return "{\"error\":{\"message\":\""
        + message
        + "\",\"type\":\""
        + type
        + "\",\"param\":null,\"code\":"
        + (code == null ? "null" : "\"" + code + "\"")
        + "}}";
  }

  private DemoCall.Result runClient(String... extra) {
    String url = "http://127.0.0.1:" + server.getAddress().getPort() + CALLS;
    List<String> args =
        new ArrayList<>(
            List.of("--url", url, "--api-key", KEY, "--seconds", "1", "--timeout", "2"));
    args.addAll(List.of(extra));
    // No --output: this machine has no speaker, so the run also shows the no-device path.
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    DemoCall.Result r = OpenAiRealtimeExample.run(args.toArray(String[]::new), Map.of(), out);
    assertFalse(printed().contains(KEY), "the key was printed: " + printed());
    assertFalse(String.valueOf(r.summary()).contains(KEY), "the key is in the summary");
    return r;
  }

  private String printed() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static void assertOneLine(String reason) {
    assertTrue(reason != null && !reason.isBlank() && !reason.contains("\n"), reason);
  }

  @Test
  void badKeyIsHttp401WithOpenAisMessage() {
    // OpenAI quotes a redacted key; a server that quotes it whole must not get it printed.
    replies.put(
        SECRETS,
        ex ->
            send(
                ex,
                401,
                "application/json",
                openAiError(
                    "Incorrect API key provided: "
                        + KEY
                        + ". You can find your API key at https://platform.openai.com/account/api-keys.",
                    "invalid_request_error",
                    "invalid_api_key")));
    DemoCall.Result r = runClient();
    assertEquals(1, r.exitCode());
    assertOneLine(r.reason());
    assertTrue(r.reason().contains("HTTP 401"), r.reason());
    assertTrue(r.reason().contains("Incorrect API key provided"), r.reason());
    assertTrue(printed().contains("error: "), printed());
    assertEquals("NEW", r.summary().get("stateReached"));
  }

  @Test
  void http400OnTheCallCarriesTheMessage() {
    replies.put(
        CALLS,
        ex ->
            send(
                ex,
                400,
                "application/json",
                openAiError(
                    "Invalid SDP offer. Please try again with a WHIP-compliant offer.",
                    "invalid_request_error",
                    "invalid_offer")));
    DemoCall.Result r = runClient();
    assertEquals(1, r.exitCode());
    assertOneLine(r.reason());
    assertTrue(r.reason().contains("HTTP 400"), r.reason());
    assertTrue(r.reason().contains("Invalid SDP offer"), r.reason());
  }

  @Test
  void http500IsAFailure() {
    replies.put(CALLS, ex -> send(ex, 500, "text/plain", "upstream exploded\nstack trace"));
    DemoCall.Result r = runClient();
    assertEquals(1, r.exitCode());
    assertOneLine(r.reason());
    assertTrue(r.reason().contains("HTTP 500"), r.reason());
    assertTrue(r.reason().contains("upstream exploded"), r.reason());
  }

  @Test
  void serverThatNeverAnswersTimesOut() {
    replies.put(CALLS, ex -> release.await(20, TimeUnit.SECONDS));
    long start = System.nanoTime();
    DemoCall.Result r = runClient("--timeout", "0.5");
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertEquals(1, r.exitCode());
    assertOneLine(r.reason());
    assertTrue(r.reason().contains("no answer within 500 ms"), r.reason());
    assertTrue(millis < 10_000, "took " + millis + " ms");
  }

  @Test
  void created201WithoutSdpIsAFailure() {
    replies.put(
        CALLS,
        ex -> {
          ex.getResponseHeaders().add("Location", CALLS + "/rtc_1");
          send(ex, 201, "application/json", "{\"id\":\"rtc_1\"}");
        });
    DemoCall.Result r = runClient();
    assertEquals(1, r.exitCode());
    assertOneLine(r.reason());
    assertTrue(r.reason().contains("instead of an SDP answer"), r.reason());
  }

  @Test
  void answerWhosePeerNeverRespondsTimesOutConnecting() {
    // A real answer from a jpeer peer that nobody drives: ICE checks go unanswered.
    replies.put(
        CALLS,
        ex -> {
          String offer = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          PeerConnection silent =
              PeerConnection.create(
                  PeerConfiguration.builder()
                      .audioCodec(MediaCodec.OPUS)
                      .dataChannel(DataChannelType.STRING)
                      .build());
          synchronized (peers) {
            peers.add(silent);
          }
          silent.setRemoteDescription(offer, SdpType.OFFER);
          ex.getResponseHeaders().add("Location", CALLS + "/rtc_silent");
          send(ex, 201, "application/sdp", silent.createAnswer());
        });
    DemoCall.Result r = runClient("--timeout", "1");
    assertEquals(1, r.exitCode());
    assertOneLine(r.reason());
    assertTrue(r.reason().startsWith("not connected within 1.0 s"), r.reason());
    assertEquals("rtc_silent", r.summary().get("callId"));
  }

  @Test
  void unusableAnswerIsAFailure() {
    replies.put(
        CALLS,
        ex ->
            send(
                ex,
                201,
                "application/sdp",
                "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\n" + "s=-\r\nt=0 0\r\n"));
    DemoCall.Result r = runClient();
    assertEquals(1, r.exitCode());
    assertOneLine(r.reason());
    assertTrue(r.reason().startsWith("the SDP answer is not usable"), r.reason());
  }
}
