package io.github.jpeer.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.jpeer.signaling.internal.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * No secret the module sends (standard key, ephemeral key, WHIP token) comes back out of it, not
 * even when a server on 127.0.0.1 quotes it whole or in part: not in messages, the server's fields,
 * {@code toString}, stack traces, nor anything logged.
 */
class SecretRedactionTest {
  private static final String KEY = "sk-proj-Zx9Qw3Er5Ty7Ui1Op2As4Df6Gh8Jk0LmNbVcXzAq1Sw2De3Fr4";
  private static final String EPHEMERAL = "ek_68af1b2c3d4e5f60718293a4b5c6d7e8";
  private static final String TOKEN = "whip-token-3f9a8b7c6d5e";
  private static final String OFFER = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n";
  private static final String ANSWER = "v=0\r\no=- 3 4 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n";

  private interface Reply {
    void handle(HttpExchange ex) throws IOException;
  }

  private HttpServer server;
  private final AtomicReference<Reply> reply = new AtomicReference<>();
  private final List<String> logged = new ArrayList<>();
  private final Logger root = Logger.getLogger("");
  private final Logger library = Logger.getLogger("io.github.jpeer");
  private Level libraryLevel;
  private final Handler capture =
      new Handler() {
        private final SimpleFormatter formatter = new SimpleFormatter();

        @Override
        public void publish(LogRecord r) {
          synchronized (logged) {
            logged.add(formatter.format(r));
          }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  @BeforeEach
  void start() throws IOException {
    // Everything this module logs at any level, and whatever else reaches the root logger.
    capture.setLevel(Level.ALL);
    root.addHandler(capture);
    libraryLevel = library.getLevel();
    library.setLevel(Level.ALL);
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        ex -> {
          try (ex) {
            ex.getRequestBody().readAllBytes();
            reply.get().handle(ex);
          }
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
    root.removeHandler(capture);
    library.setLevel(libraryLevel);
  }

  private String base() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private OpenAiRealtimeClient openai() {
    return OpenAiRealtimeClient.builder()
        .baseUrl(base())
        .apiKey(KEY)
        .timeout(Duration.ofSeconds(5))
        .build();
  }

  private static void send(HttpExchange ex, int status, String type, String body)
      throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
    ex.getResponseBody().write(b);
  }

  private static String openAiError(String message, String type, String code) {
    return Json.write(
        Map.of("error", Map.of("message", message, "type", type, "code", code, "param", "")));
  }

  /** The exception {@code call} throws, checked for every 8-character piece of {@code secret}. */
  private SignalingException failure(String secret, Executable call) {
    SignalingException e = assertThrows(SignalingException.class, call);
    assertNoPieceOf(secret, e.getMessage());
    assertNoPieceOf(secret, e.toString());
    assertNoPieceOf(secret, e.serverMessage());
    assertNoPieceOf(secret, e.errorCode());
    assertNoPieceOf(secret, e.errorType());
    StringWriter trace = new StringWriter();
    e.printStackTrace(new PrintWriter(trace));
    assertNoPieceOf(secret, trace.toString());
    synchronized (logged) {
      logged.forEach(line -> assertNoPieceOf(secret, line));
    }
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
    return e;
  }

  /** Fails if {@code text} holds any run of {@link Redactor#PIECE} characters of {@code secret}. */
  private static void assertNoPieceOf(String secret, String text) {
    if (text == null) {
      return;
    }
    for (int i = 0; i + Redactor.PIECE <= secret.length(); i++) {
      String piece = secret.substring(i, i + Redactor.PIECE);
      assertFalse(text.contains(piece), "\"" + piece + "\" of the secret is in: " + text);
    }
  }

  @Test
  void aServerThatEchoesTheWholeKeyIn401Json() {
    reply.set(
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
    SignalingException e =
        failure(KEY, () -> openai().createCall(OFFER, Map.of("type", "realtime")));
    assertEquals(401, e.status());
    assertEquals("invalid_api_key", e.errorCode());
    assertEquals("invalid_request_error", e.errorType());
    assertTrue(
        e.serverMessage().startsWith("Incorrect API key provided: [redacted]. You can find"),
        e.serverMessage());
    assertTrue(
        e.getMessage()
            .startsWith(
                "POST "
                    + base()
                    + "/v1/realtime/calls: HTTP 401 invalid_api_key: Incorrect API key provided:"
                    + " [redacted]. You can find your API key at https://platform.openai.com/"),
        e.getMessage());

    SignalingException secret =
        failure(KEY, () -> openai().createClientSecret(Map.of("type", "realtime")));
    assertTrue(
        secret.getMessage().contains("/v1/realtime/client_secrets: HTTP 401 invalid_api_key:"),
        secret.getMessage());
  }

  @Test
  void aServerThatQuotesPartOfTheKey() {
    List<String> quotes =
        List.of(
            // OpenAI's own form: the prefix, stars, the last four.
            KEY.substring(0, 8) + "*".repeat(40) + KEY.substring(KEY.length() - 4),
            KEY.substring(0, 8) + "****..." + KEY.substring(KEY.length() - 4),
            // The start, the middle, the end, each long enough to matter.
            KEY.substring(0, 12) + "...",
            "..." + KEY.substring(15, 25) + "...",
            KEY.substring(KEY.length() - 9),
            // Two pieces run together from different places.
            KEY.substring(3, 11) + KEY.substring(30, 38));
    for (String quote : quotes) {
      reply.set(
          ex ->
              send(
                  ex,
                  401,
                  "application/json",
                  openAiError(
                      "Incorrect API key provided: " + quote + ". You can find your API key here.",
                      "invalid_request_error",
                      "invalid_api_key")));
      SignalingException e = failure(KEY, () -> openai().createCall(OFFER, KEY));
      assertEquals(401, e.status());
      assertTrue(
          e.getMessage()
              .endsWith(
                  ": HTTP 401 invalid_api_key: Incorrect API key provided: [redacted]. You can"
                      + " find your API key here."),
          e.getMessage());
    }
  }

  @Test
  void aNonJsonServerErrorThatContainsTheKeyIsScrubbedAndCut() {
    String page =
        "<html>\r\n<body>\n<h1>502 Bad Gateway</h1>\n\tupstream refused Authorization: Bearer "
            + KEY
            + "\n"
            + "filler ".repeat(2000)
            + KEY
            + "</body></html>";
    reply.set(ex -> send(ex, 500, "text/html", page));
    SignalingException e = failure(KEY, () -> openai().createCall(OFFER, KEY));
    assertEquals(500, e.status());
    assertNull(e.errorCode());
    assertNull(e.serverMessage());
    String m = e.getMessage();
    assertTrue(
        m.contains(
            ": HTTP 500: <html> <body> <h1>502 Bad Gateway</h1> upstream refused Authorization:"
                + " Bearer [redacted] filler filler"),
        m);
    assertTrue(m.endsWith("filler..."), m);
    assertTrue(m.length() < 200 + (base() + "/v1/realtime/calls").length() + 30, m);

    // Where the 200-character cut falls inside the key, no piece of it is left either side.
    for (int at = 180; at <= 200; at += 3) {
      String body = "x".repeat(at % 5) + " word".repeat(at / 5) + " " + KEY + " tail";
      reply.set(ex -> send(ex, 503, "text/plain", body));
      failure(KEY, () -> openai().createCall(OFFER, KEY));
    }
  }

  @Test
  void aNonSdpSuccessThatQuotesTheKey() {
    reply.set(ex -> send(ex, 201, "application/json", "{\"echo\":\"" + EPHEMERAL + "\"}"));
    SignalingException e = failure(EPHEMERAL, () -> openai().createCall(OFFER, EPHEMERAL));
    assertTrue(
        e.getMessage().endsWith("instead of an SDP answer: {\"echo\":\"[redacted]\"}"),
        e.getMessage());
  }

  @Test
  void anExpiredEphemeralKeySaysSo() {
    reply.set(
        ex ->
            send(
                ex,
                401,
                "application/json",
                openAiError(
                    "The client secret " + EPHEMERAL + " has expired.",
                    "invalid_request_error",
                    "invalid_api_key")));
    SignalingException e = failure(EPHEMERAL, () -> openai().createCall(OFFER, EPHEMERAL));
    assertEquals(401, e.status());
    assertEquals("invalid_api_key", e.errorCode());
    assertEquals("The client secret [redacted] has expired.", e.serverMessage());
    assertTrue(
        e.getMessage()
            .endsWith(
                ": HTTP 401 invalid_api_key: The client secret [redacted] has expired.; the"
                    + " ephemeral key expired: create a new one with createClientSecret"),
        e.getMessage());

    // A 401 that does not say why: the likely cause, hedged.
    reply.set(
        ex ->
            send(
                ex,
                401,
                "application/json",
                openAiError("Invalid ephemeral key.", "invalid_request_error", "invalid_api_key")));
    SignalingException refused = failure(EPHEMERAL, () -> openai().createCall(OFFER, EPHEMERAL));
    assertTrue(
        refused
            .getMessage()
            .endsWith("(it may have expired): create a new one with createClientSecret"),
        refused.getMessage());

    // The standard key gets no ephemeral-key advice.
    SignalingException standard = failure(KEY, () -> openai().createCall(OFFER, KEY));
    assertFalse(standard.getMessage().contains("createClientSecret"), standard.getMessage());
  }

  @Test
  void whipBearerTokensAreScrubbed() throws Exception {
    reply.set(
        ex -> {
          String auth = ex.getRequestHeaders().getFirst("Authorization");
          if (ex.getRequestMethod().equals("POST")) {
            send(ex, 403, "text/plain", "token not allowed here: " + auth);
          } else {
            send(ex, 401, "application/json", "{\"error\":\"bad token " + TOKEN + "\"}");
          }
        });
    WhipClient client = new WhipClient(URI.create(base() + "/whip"), TOKEN, Duration.ofSeconds(5));
    SignalingException e = failure(TOKEN, () -> client.publish(OFFER));
    assertEquals(403, e.status());
    assertTrue(
        e.getMessage().endsWith("/whip: HTTP 403: token not allowed here: Bearer [redacted]"),
        e.getMessage());
    assertNoPieceOf(TOKEN, client.toString());
    assertTrue(client.toString().contains("bearerToken=[redacted]"), client.toString());

    // The session's own requests (PATCH, DELETE) carry the token too.
    reply.set(
        ex -> {
          if (ex.getRequestMethod().equals("POST")) {
            ex.getResponseHeaders().set("Location", "/whip/s1");
            send(ex, 201, "application/sdp", ANSWER);
          } else {
            send(ex, 401, "application/json", "{\"error\":\"bad token " + TOKEN + "\"}");
          }
        });
    WhipClient.Session s = client.publish(OFFER);
    SignalingException patch = failure(TOKEN, () -> s.patch("a=end-of-candidates\r\n"));
    assertEquals(
        "PATCH " + base() + "/whip/s1: HTTP 401: bad token [redacted]", patch.getMessage());
    SignalingException delete = failure(TOKEN, s::close);
    assertTrue(delete.getMessage().startsWith("DELETE "), delete.getMessage());
  }

  @Test
  void clientsToStringShowsNoKey() {
    String s = openai().toString();
    assertNoPieceOf(KEY, s);
    assertTrue(s.contains("apiKey=[redacted]") && s.contains("/v1/realtime/calls"), s);
    assertTrue(OpenAiRealtimeClient.builder().build().toString().contains("apiKey=none"));
  }

  @Test
  void aCauseThatQuotesTheKeyIsReplacedKeepingItsStack() {
    IOException quoting = new IOException("refused " + KEY);
    IOException plain = new IOException("connection reset");
    SignalingException e =
        new SignalingException("POST x: failed", 0, null, null, null, quoting, List.of(KEY));
    assertEquals("java.io.IOException: refused [redacted]", e.getCause().toString());
    assertEquals(List.of(quoting.getStackTrace()), List.of(e.getCause().getStackTrace()));
    StringWriter trace = new StringWriter();
    e.printStackTrace(new PrintWriter(trace));
    assertNoPieceOf(KEY, trace.toString());
    // Deeper in the chain too.
    SignalingException deep =
        new SignalingException(
            "x", 0, null, null, null, new IOException("outer", quoting), List.of(KEY));
    assertNoPieceOf(KEY, deep.getCause().getCause().toString());
    // A cause that quotes nothing is kept as it is.
    assertSame(
        plain, new SignalingException("x", 0, null, null, null, plain, List.of(KEY)).getCause());
  }

  @Test
  void thePublicConstructorRedactsKeyShapedText() {
    SignalingException e =
        new SignalingException("refused " + KEY + " and " + EPHEMERAL, 0, null, null);
    assertEquals("refused [redacted] and [redacted]", e.getMessage());
    assertEquals(
        "no key here: sk-short",
        new SignalingException("no key here: sk-short", 0, null, null).getMessage());
  }

  @Test
  void redactorRules() {
    // Short secrets: only whole; text without a secret is returned as it is.
    assertEquals("bad [redacted] here", Redactor.scrub("bad abc1 here", List.of("abc1")));
    assertEquals("abc here", Redactor.scrub("abc here", List.of("abc1")));
    String clean = "HTTP 400: Invalid SDP offer";
    assertSame(clean, Redactor.scrub(clean, List.of(KEY)));
    // Seven characters of a long key are not a quote; eight are.
    assertEquals(
        "x " + KEY.substring(5, 12) + " y",
        Redactor.scrub("x " + KEY.substring(5, 12) + " y", List.of(KEY)));
    assertEquals(
        "x [redacted] y", Redactor.scrub("x " + KEY.substring(5, 13) + " y", List.of(KEY)));
    // Adjacent masking swallowed, sentence punctuation and neighbours kept.
    assertEquals(
        "key: [redacted]. Next (see [redacted]), ok",
        Redactor.scrub(
            "key: " + KEY + ". Next (see " + KEY.substring(0, 10) + "***zz), ok", List.of(KEY)));
    assertNull(Redactor.scrub(null, List.of(KEY)));
  }
}
