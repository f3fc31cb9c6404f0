package io.github.jpeer.realtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.github.jpeer.realtime.local.LocalRealtimeServer;
import io.github.jpeer.realtime.local.StandInAnswerer;
import io.github.jpeer.signaling.OpenAiRealtimeClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Whole calls through {@link RealtimeSession} against the local stand-in ({@link
 * LocalRealtimeServer} with a {@link StandInAnswerer}) over loopback: real HTTP, ICE, DTLS, SCTP
 * and Opus, with scripted conversations on {@code oai-events}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RealtimeSessionTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private static final String KEY = "sk-test-0123456789abcdef";
  private static final String WEATHER_TOOL_PARAMETERS =
      "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}";

  private final List<AutoCloseable> open = new ArrayList<>();
  private StandInAnswerer standIn;
  private LocalRealtimeServer server;

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  private void startStandIn(StandInAnswerer.Builder b) throws IOException {
    standIn = b.build();
    open.add(standIn);
    server = LocalRealtimeServer.start(new InetSocketAddress(LOOPBACK, 0), standIn);
    open.add(server);
  }

  private RealtimeSession.Builder session() {
    return RealtimeSession.builder()
        .callsUrl(server.callsUrl().toString())
        .apiKey(KEY)
        .timeout(Duration.ofSeconds(10))
        .peer(b -> b.bindAddress(LOOPBACK).includeLoopback(true));
  }

  private RealtimeSession connect(RealtimeSession.Builder b) throws InterruptedException {
    RealtimeSession s = b.connect();
    open.add(s);
    return s;
  }

  private static SessionConfig weatherSession() {
    return SessionConfig.builder()
        .instructions("Answer weather questions.")
        .tool("get_weather", "The weather in a city", WEATHER_TOOL_PARAMETERS)
        .build();
  }

  @Test
  void aFunctionCallIsAnsweredAndTheModelSpeaksAboutTheResult() throws Exception {
    startStandIn(StandInAnswerer.builder().echo(false).replyMillis(400));
    Transcripts transcripts = new Transcripts();
    List<String> calls = new CopyOnWriteArrayList<>();
    RealtimeSession s =
        connect(
            session()
                .session(weatherSession())
                .listener(transcripts)
                .tools(
                    (name, arguments, callId) -> {
                      calls.add(name + " " + arguments + " " + callId);
                      return CompletableFuture.completedFuture("{\"temp_c\":21}");
                    }));
    s.createResponse();

    String done = transcripts.awaitAssistantFinal(Duration.ofSeconds(10));
    assertEquals(1, calls.size(), "the tool runs once: " + calls);
    String[] call = calls.get(0).split(" ");
    assertEquals("get_weather", call[0]);
    assertEquals("{\"city\":\"Paris\"}", call[1]);
    assertEquals("{\"temp_c\":21}", standIn.functionOutput(call[2]), "the output reached it");
    assertEquals("The tool answered: {\"temp_c\":21}", done);
  }

  @Test
  void aFailingToolIsAnsweredWithItsErrorAndTheCallGoesOn() throws Exception {
    startStandIn(StandInAnswerer.builder().echo(false).replyMillis(200));
    Transcripts transcripts = new Transcripts();
    RealtimeSession s =
        connect(
            session()
                .session(weatherSession())
                .listener(transcripts)
                .tools(
                    (name, arguments, callId) -> {
                      throw new IllegalArgumentException("no weather service configured");
                    }));
    s.createResponse();

    String done = transcripts.awaitAssistantFinal(Duration.ofSeconds(10));
    assertTrue(done.contains("no weather service configured"), done);
    assertEquals(1, s.stats().listenerFailures(), "the tool's exception is counted");
    assertFalse(s.ended().isDone());
  }

  @Test
  void bargeInStopsTheAssistantsAudioWithinAFrameOrTwo() throws Exception {
    // The stand-in goes on sending the answer for 300 ms after it hears the user, as a server
    // does while the cancel takes effect; that audio is on its way when speech_started arrives.
    Cut cut = userTalksOver(6_000, 400, 300);
    RealtimeSession s = cut.session();
    RecordingOutput out = cut.out();
    long speechStarted = cut.speechStarted();
    TimeUnit.MILLISECONDS.sleep(500); // the tail of the cut-off answer arrives and is dropped

    long after = out.audibleMillisAfter(speechStarted);
    RealtimeSession.Stats stats = s.stats();
    System.out.printf(
        Locale.ROOT,
        "barge-in: %d ms of assistant audio played after speech_started (%d packets of the"
            + " cut-off answer dropped, %d played before)%n",
        after,
        stats.packetsDroppedAfterBargeIn(),
        out.audibleMillis() - after);
    assertTrue(after < 100, after + " ms of assistant audio played after speech_started");
    assertTrue(
        stats.packetsDroppedAfterBargeIn() >= 5,
        "the answer's audio kept coming after speech_started (else this test shows nothing): "
            + stats.packetsDroppedAfterBargeIn());
    assertTrue(stats.bargeIns() >= 1);
    assertFalse(s.assistantSpeaking());
  }

  @Test
  void aNewResponseAfterBargeInPlaysAgain() throws Exception {
    Cut cut = userTalksOver(1_500, 200, 0);
    cut.session().createResponse();
    waitFor(
        () -> cut.out().audibleMillisAfter(cut.speechStarted()) >= 400,
        "the second answer playing");
  }

  @Test
  void interruptCancelsTheResponseAndClearsTheServersAudio() throws Exception {
    startStandIn(StandInAnswerer.builder().echo(false).replyMillis(6_000));
    RecordingOutput out = new RecordingOutput();
    RealtimeSession s = connect(session().audioOutput(out));
    String callId = standIn.awaitCall(Duration.ofSeconds(5));
    s.createResponse();
    waitFor(() -> out.audibleMillis() >= 200 && s.assistantSpeaking(), "the answer playing");

    long interrupted = System.nanoTime();
    s.interrupt();
    waitFor(() -> !standIn.speaking(callId), "the stand-in stopping");
    TimeUnit.MILLISECONDS.sleep(300);
    assertTrue(out.audibleMillisAfter(interrupted) < 100, out.audibleMillisAfter(interrupted) + "");
    List<String> sent = standIn.clientEvents(callId);
    assertTrue(sent.stream().anyMatch(e -> e.contains("\"response.cancel\"")), sent.toString());
    assertTrue(
        sent.stream().anyMatch(e -> e.contains("\"output_audio_buffer.clear\"")), sent.toString());
  }

  @Test
  void transcriptsOfBothSidesComeWithTheirItemIds() throws Exception {
    startStandIn(StandInAnswerer.builder().echo(false).replyMillis(300));
    Transcripts transcripts = new Transcripts();
    RealtimeSession s = connect(session().listener(transcripts));
    String callId = standIn.awaitCall(Duration.ofSeconds(5));

    standIn.userSpeaks(callId, 0);
    standIn.userStopsSpeaking(callId, "what is the weather in Paris");
    waitFor(() -> !transcripts.userFinal.isEmpty(), "the user's transcript");
    s.createResponse();
    String assistant = transcripts.awaitAssistantFinal(Duration.ofSeconds(10));

    String[] user = transcripts.userFinal.get(0).split("\\|", 2);
    assertNotNull(user[0]);
    assertFalse(user[0].isEmpty() || user[0].equals("null"), "the user's item id");
    assertEquals("what is the weather in Paris", user[1]);
    assertTrue(transcripts.userPieces.size() >= 2, "pieces first: " + transcripts.userPieces);
    assertFalse(assistant.isEmpty());
    assertFalse(transcripts.assistantItem.equals("null"), "the assistant's item id");
    waitFor(() -> !transcripts.rateLimits.isEmpty(), "response.done, then rate_limits.updated");
    assertEquals(List.of("completed"), transcripts.responses);
    assertTrue(transcripts.usage.get(0).totalTokens() > 0, transcripts.usage.toString());
    List<RateLimit> limits = transcripts.rateLimits.get(0);
    assertEquals(List.of("requests", "tokens"), limits.stream().map(RateLimit::name).toList());
    assertEquals(999, limits.get(0).remaining());
  }

  @Test
  void serverErrorsAndEventsOfUnknownTypesReachTheListener() throws Exception {
    startStandIn(StandInAnswerer.builder().echo(false));
    Transcripts events = new Transcripts();
    RealtimeSession s = connect(session().listener(events));
    String callId = standIn.awaitCall(Duration.ofSeconds(5));

    standIn.sendEvent(
        callId,
        "{\"type\":\"error\",\"event_id\":\"event_9\",\"error\":{\"type\":\"invalid_request_error\","
            + "\"code\":\"unknown_parameter\",\"message\":\"Unknown parameter: 'session.foo'.\","
            + "\"param\":\"session.foo\",\"event_id\":\"client_3\"}}");
    standIn.sendEvent(
        callId, "{\"type\":\"conversation.item.novelty\",\"event_id\":\"e1\",\"x\":7}");
    standIn.sendEvent(callId, "not json at all");
    waitFor(() -> events.malformed.size() == 1, "all three events");

    RealtimeEvent.ErrorEvent error = events.errors.get(0);
    assertEquals("unknown_parameter", error.code());
    assertEquals("invalid_request_error", error.errorType());
    assertEquals("Unknown parameter: 'session.foo'.", error.message());
    assertEquals("client_3", error.clientEventId());
    assertEquals(List.of("conversation.item.novelty"), events.unknownTypes);
    assertTrue(events.unknownJson.get(0).contains("\"x\":7"), events.unknownJson.toString());
    assertFalse(s.ended().isDone(), "an error event does not end the call");
  }

  @Test
  void hangupTellsTheServerAndEndsTheCall() throws Exception {
    startStandIn(StandInAnswerer.builder().echo(false));
    RealtimeSession s = connect(session());
    String callId = standIn.awaitCall(Duration.ofSeconds(5));
    assertEquals(callId, s.callId());

    s.hangup();
    assertTrue(standIn.hungUp(callId), "the stand-in got the hang-up");
    assertEquals(RealtimeSession.EndReason.HUNG_UP, s.ended().getNow(null).reason());
    IllegalStateException e = assertThrows(IllegalStateException.class, s::createResponse);
    assertTrue(e.getMessage().contains("the call has ended (hung up)"), e.getMessage());
  }

  @Test
  void theServerHangingUpEndsTheCall() throws Exception {
    startStandIn(StandInAnswerer.builder().echo(false));
    RealtimeSession s = connect(session());
    String callId = standIn.awaitCall(Duration.ofSeconds(5));

    assertTrue(standIn.hangup(callId));
    RealtimeSession.Ended ended = s.ended().get(10, TimeUnit.SECONDS);
    assertEquals(RealtimeSession.EndReason.REMOTE_CLOSED, ended.reason(), ended.message());
  }

  @Test
  void theSessionsTimeLimitIsReported() throws Exception {
    startStandIn(StandInAnswerer.builder().echo(false).sessionMaxDuration(Duration.ofSeconds(2)));
    RealtimeSession s = connect(session());
    waitFor(() -> s.sessionId() != null, "session.created");
    assertNotNull(s.expiresAt(), "session.created states expires_at");

    RealtimeSession.Ended ended = s.ended().get(10, TimeUnit.SECONDS);
    assertEquals(RealtimeSession.EndReason.SESSION_EXPIRED, ended.reason());
    assertTrue(ended.message().contains("time limit"), ended.message());
    assertTrue(ended.message().contains("maximum duration"), ended.message());
  }

  @Test
  void halfDuplexMutesTheMicrophoneWhileTheAssistantSpeaks() throws Exception {
    startStandIn(StandInAnswerer.builder().echo(false).replyMillis(1_000));
    Transcripts events = new Transcripts();
    RealtimeSession s = connect(session().audioInput(new Tone()).halfDuplex(true).listener(events));
    waitFor(() -> framesSent(s) >= 10, "the user's audio flowing");
    assertEquals(0, s.stats().framesMuted());

    s.createResponse();
    events.awaitAssistantFinal(Duration.ofSeconds(10));
    waitFor(() -> !s.assistantSpeaking(), "the answer's end");
    long muted = s.stats().framesMuted();
    // 1 s of answer is 50 frames; the server's started/stopped events bracket it.
    assertTrue(muted >= 35 && muted <= 65, muted + " frames muted");
    long mutedAtEnd = s.stats().framesMuted();
    long sentAtEnd = framesSent(s);
    waitFor(() -> framesSent(s) >= sentAtEnd + 25, "unmuted audio after the answer");
    assertEquals(mutedAtEnd, s.stats().framesMuted(), "the microphone is live again");
  }

  @Test
  void withAnEphemeralKeyTheSessionSettingsGoAsAnUpdate() throws Exception {
    startStandIn(StandInAnswerer.builder().echo(false));
    String ephemeral =
        OpenAiRealtimeClient.builder()
            .callsUrl(server.callsUrl().toString())
            .apiKey(KEY)
            .build()
            .createClientSecret(Map.of("type", "realtime", "model", "gpt-realtime"));
    Transcripts events = new Transcripts();
    RealtimeSession.Builder b =
        RealtimeSession.builder()
            .callsUrl(server.callsUrl().toString())
            .ephemeralKey(ephemeral)
            .session(SessionConfig.builder().instructions("Speak French.").build())
            .listener(events)
            .peer(p -> p.bindAddress(LOOPBACK).includeLoopback(true));
    RealtimeSession s = connect(b);
    String callId = standIn.awaitCall(Duration.ofSeconds(5));
    waitFor(() -> events.sessions.contains("updated"), "session.updated");

    assertTrue(
        standIn.clientEvents(callId).get(0).contains("\"Speak French.\""),
        standIn.clientEvents(callId).toString());
    assertNotNull(s.sessionId());
    // The hang-up needs the standard key: with an ephemeral one, closing ends the call.
    s.hangup();
    assertFalse(standIn.hungUp(callId));
  }

  @Test
  void anExpiredEphemeralKeyIsReportedWithWhatToDo() throws Exception {
    standIn = StandInAnswerer.builder().echo(false).build();
    open.add(standIn);
    server =
        LocalRealtimeServer.start(
            new InetSocketAddress(LOOPBACK, 0), standIn, Duration.ofMillis(200));
    open.add(server);
    String ephemeral =
        OpenAiRealtimeClient.builder()
            .callsUrl(server.callsUrl().toString())
            .apiKey(KEY)
            .build()
            .createClientSecret(Map.of("type", "realtime", "model", "gpt-realtime"));
    TimeUnit.MILLISECONDS.sleep(400); // past its expiry
    RealtimeException e =
        assertThrows(
            RealtimeException.class,
            () ->
                RealtimeSession.builder()
                    .callsUrl(server.callsUrl().toString())
                    .ephemeralKey(ephemeral)
                    .peer(p -> p.bindAddress(LOOPBACK).includeLoopback(true))
                    .connect());
    assertEquals(401, e.status());
    assertTrue(e.getMessage().contains("the ephemeral key expired"), e.getMessage());
    assertTrue(e.getMessage().contains("create a new one"), e.getMessage());
    assertFalse(e.getMessage().contains(ephemeral), e.getMessage());
    assertTrue(standIn.callIds().isEmpty(), "no call was made");
  }

  @Test
  void theUnifiedFormSetsUpTheCallInOneRequest() throws Exception {
    startStandIn(StandInAnswerer.builder().echo(false).replyMillis(200));
    Transcripts events = new Transcripts();
    RealtimeSession s = connect(session().unifiedForm(true).listener(events));
    s.createResponse();
    assertFalse(events.awaitAssistantFinal(Duration.ofSeconds(10)).isEmpty());
    assertNotNull(s.callId());
  }

  @Test
  void aRefusedKeyIsReportedWithOpenAisMessageAndNeverTheKey() throws Exception {
    String key = "sk-proj-SECRET-abcdef0123456789";
    HttpServer refusing = HttpServer.create(new InetSocketAddress(LOOPBACK, 0), 0);
    refusing.createContext(
        "/",
        ex -> {
          ex.getRequestBody().readAllBytes();
          byte[] body =
              ("{\"error\":{\"message\":\"Incorrect API key provided: "
                      + key
                      + ". You can find your API key at https://platform.openai.com/account/api-keys.\","
                      + "\"type\":\"invalid_request_error\",\"param\":null,"
                      + "\"code\":\"invalid_api_key\"}}")
                  .getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().set("Content-Type", "application/json");
          ex.sendResponseHeaders(401, body.length);
          ex.getResponseBody().write(body);
          ex.close();
        });
    refusing.start();
    try {
      String url = "http://127.0.0.1:" + refusing.getAddress().getPort() + "/v1/realtime/calls";
      RealtimeException e =
          assertThrows(
              RealtimeException.class,
              () -> RealtimeSession.builder().callsUrl(url).apiKey(key).connect());
      assertEquals(401, e.status());
      assertEquals("invalid_api_key", e.code());
      assertTrue(e.getMessage().contains("Incorrect API key provided"), e.getMessage());
      assertFalse(e.getMessage().contains(key), e.getMessage());
      assertFalse(e.getMessage().contains("SECRET"), e.getMessage());
    } finally {
      refusing.stop(0);
    }
  }

  @Test
  void anAnswerThatCannotConnectFailsWithTheReason() throws Exception {
    // An answer with the wrong ICE password: the client's checks never succeed.
    StandInAnswerer real = StandInAnswerer.builder().echo(false).build();
    open.add(real);
    server =
        LocalRealtimeServer.start(
            new InetSocketAddress(LOOPBACK, 0),
            (callId, offer) ->
                real.answer(callId, offer)
                    .replaceAll("a=ice-pwd:[^\r\n]+", "a=ice-pwd:0123456789abcdefghijklmn"));
    open.add(server);
    RealtimeException e =
        assertThrows(
            RealtimeException.class, () -> session().timeout(Duration.ofSeconds(4)).connect());
    assertTrue(
        e.getMessage().contains("ICE failed") || e.getMessage().contains("not connected within"),
        e.getMessage());
    // The stand-in drops our checks (signed with the wrong password) silently and its own are
    // answered: the message names the answer's a=ice-pwd rather than the firewall.
    assertTrue(
        e.getMessage().contains("a=ice-pwd in the remote description is likely not"),
        e.getMessage());
    assertFalse(e.getMessage().contains("UDP (or TCP 443)"), e.getMessage());
    assertFalse(e.getMessage().contains("0123456789abcdefghijklmn"), e.getMessage());
  }

  @Test
  void misuseFailsAtTheCallWithWhatToDo() {
    IllegalStateException none =
        assertThrows(IllegalStateException.class, () -> RealtimeSession.builder().connect());
    assertTrue(none.getMessage().contains("apiKey(...)"), none.getMessage());
    IllegalStateException both =
        assertThrows(
            IllegalStateException.class,
            () -> RealtimeSession.builder().apiKey("sk-a").ephemeralKey("ek_b").connect());
    assertTrue(both.getMessage().contains("not both"), both.getMessage());
    IllegalStateException unified =
        assertThrows(
            IllegalStateException.class,
            () -> RealtimeSession.builder().ephemeralKey("ek_b").unifiedForm(true).connect());
    assertTrue(unified.getMessage().contains("standard key"), unified.getMessage());
    assertThrows(IllegalArgumentException.class, () -> RealtimeSession.builder().apiKey(" "));
    IllegalArgumentException url =
        assertThrows(
            IllegalArgumentException.class,
            () -> RealtimeSession.builder().callsUrl("https://api.openai.com/v1/realtime"));
    assertTrue(url.getMessage().contains("/calls"), url.getMessage());
    assertThrows(IllegalArgumentException.class, () -> RealtimeSession.builder().bitrateBps(10));
    assertFalse(RealtimeSession.builder().apiKey("sk-hidden").toString().contains("hidden"));
  }

  // ------------------------------------------------------------------ helpers

  /** A call whose answer the user talked over, at {@code speechStarted} on the client's clock. */
  private record Cut(RealtimeSession session, RecordingOutput out, long speechStarted) {}

  /**
   * Starts a call whose answer lasts {@code replyMillis}, lets {@code playedMillis} of it play,
   * then has the user talk over it (the stand-in going on for {@code reactionMillis}), and waits
   * until the stand-in has stopped.
   */
  private Cut userTalksOver(int replyMillis, int playedMillis, int reactionMillis)
      throws Exception {
    startStandIn(StandInAnswerer.builder().echo(false).replyMillis(replyMillis));
    RecordingOutput out = new RecordingOutput();
    Transcripts events = new Transcripts();
    RealtimeSession s = connect(session().audioOutput(out).listener(events));
    String callId = standIn.awaitCall(Duration.ofSeconds(5));
    s.createResponse();
    waitFor(() -> out.audibleMillis() >= playedMillis, "the assistant's audio playing");
    standIn.userSpeaks(callId, reactionMillis);
    long speechStarted = events.awaitSpeechStarted(Duration.ofSeconds(5));
    waitFor(() -> !standIn.speaking(callId), "the stand-in stopping");
    return new Cut(s, out, speechStarted);
  }

  private static long framesSent(RealtimeSession s) {
    try {
      return s.stats().framesSent();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  private static void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      TimeUnit.MILLISECONDS.sleep(10);
    }
  }

  /** A 300 Hz tone, as a file would give it (not paced). */
  private static final class Tone implements AudioInput {
    private long n;

    @Override
    public boolean read(short[] frame) {
      for (int i = 0; i < frame.length; i++, n++) {
        frame[i] = (short) (6000 * Math.sin(2 * Math.PI * 300 * n / 48_000.0));
      }
      return true;
    }
  }

  /** Each block's time of writing and whether it was audible. */
  private static final class RecordingOutput implements AudioOutput {
    private final List<long[]> blocks = new ArrayList<>();

    @Override
    public synchronized void write(short[] pcm, int offset, int count) {
      int peak = 0;
      for (int i = offset; i < offset + count; i++) {
        peak = Math.max(peak, Math.abs(pcm[i]));
      }
      blocks.add(new long[] {System.nanoTime(), peak > 500 ? 1 : 0, count});
    }

    synchronized long audibleMillis() {
      return audible(0, false);
    }

    synchronized long audibleMillisAfter(long nanos) {
      return audible(nanos, true);
    }

    private long audible(long nanos, boolean after) {
      long samples = 0;
      for (long[] b : blocks) {
        if (b[1] == 1 && (!after || b[0] - nanos > 0)) {
          samples += b[2];
        }
      }
      return samples / 48;
    }
  }

  /** What the listener heard. */
  private static final class Transcripts implements RealtimeListener {
    final List<String> userPieces = new CopyOnWriteArrayList<>();
    final List<String> userFinal = new CopyOnWriteArrayList<>();
    final List<String> responses = new CopyOnWriteArrayList<>();
    final List<Usage> usage = new CopyOnWriteArrayList<>();
    final List<List<RateLimit>> rateLimits = new CopyOnWriteArrayList<>();
    final List<String> sessions = new CopyOnWriteArrayList<>();
    final List<RealtimeEvent.ErrorEvent> errors = new CopyOnWriteArrayList<>();
    final List<String> unknownTypes = new CopyOnWriteArrayList<>();
    final List<String> unknownJson = new CopyOnWriteArrayList<>();
    final List<String> malformed = new CopyOnWriteArrayList<>();
    final CompletableFuture<String> assistantFinal = new CompletableFuture<>();
    final CompletableFuture<Long> speechStarted = new CompletableFuture<>();
    volatile String assistantItem;

    @Override
    public void onSession(String sessionId, SessionConfig session, boolean created) {
      sessions.add(created ? "created" : "updated");
    }

    @Override
    public void onSpeechStarted(String itemId, long audioStartMillis) {
      speechStarted.complete(System.nanoTime());
    }

    @Override
    public void onUserTranscript(String itemId, String text, boolean isFinal) {
      (isFinal ? userFinal : userPieces).add(itemId + "|" + text);
    }

    @Override
    public void onAssistantTranscript(String itemId, String text, boolean isFinal) {
      if (isFinal) {
        assistantItem = String.valueOf(itemId);
        assistantFinal.complete(text);
      }
    }

    @Override
    public void onResponseDone(String responseId, String status, Usage usage) {
      this.usage.add(usage);
      responses.add(status);
    }

    @Override
    public void onRateLimits(List<RateLimit> limits) {
      rateLimits.add(limits);
    }

    @Override
    public void onError(RealtimeEvent.ErrorEvent error) {
      errors.add(error);
    }

    @Override
    public void onUnknown(String type, String json) {
      unknownTypes.add(type);
      unknownJson.add(json);
    }

    @Override
    public void onMalformed(String json, String reason) {
      malformed.add(json);
    }

    String awaitAssistantFinal(Duration timeout) throws Exception {
      return assistantFinal.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    long awaitSpeechStarted(Duration timeout) throws Exception {
      return speechStarted.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
  }
}
