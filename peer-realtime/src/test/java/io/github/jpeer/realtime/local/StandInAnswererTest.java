package io.github.jpeer.realtime.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.jpeer.DataChannel;
import io.github.jpeer.DataChannelListener;
import io.github.jpeer.DataChannelType;
import io.github.jpeer.MediaCodec;
import io.github.jpeer.PeerConfiguration;
import io.github.jpeer.PeerConnection;
import io.github.jpeer.PeerConnectionState;
import io.github.jpeer.PeerLoop;
import io.github.jpeer.SdpType;
import io.github.jpeer.media.OpusConfig;
import io.github.jpeer.media.OpusDecoder;
import io.github.jpeer.media.OpusEncoder;
import io.github.jpeer.realtime.ConversationItem;
import io.github.jpeer.realtime.RealtimeClientEvent;
import io.github.jpeer.realtime.RealtimeEvent;
import io.github.jpeer.realtime.RealtimeEvents;
import io.github.jpeer.realtime.SessionConfig;
import io.github.jpeer.signaling.OpenAiRealtimeClient;
import io.github.jpeer.signaling.RealtimeCall;
import io.github.jpeer.signaling.internal.Json;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Real calls to the stand-in: a jpeer client over 127.0.0.1 posts its offer through {@link
 * OpenAiRealtimeClient} to {@link LocalRealtimeServer}, then talks to {@link StandInAnswerer} on
 * {@code oai-events} and in Opus, as a voice agent talks to the service. Every wait is bounded; the
 * events are read as the typed records of {@link RealtimeEvents#parse}, so a wrong name or shape
 * shows up as an {@code Unknown} record.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StandInAnswererTest {
  private static final long WAIT_SECONDS = 10;
  private static final Duration WAIT = Duration.ofSeconds(WAIT_SECONDS);

  private StandInAnswerer answerer;
  private LocalRealtimeServer server;
  private Client client;
  private String callId;

  /** Starts the stand-in and connects a client; returns once session.created has arrived. */
  private RealtimeEvent.SessionCreated start(StandInAnswerer.Builder b) throws Exception {
    answerer = b.build();
    server =
        LocalRealtimeServer.start(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), answerer);
    client = new Client(server);
    callId = answerer.awaitCall(WAIT);
    assertEquals(client.callId, callId);
    return client.next(RealtimeEvent.SessionCreated.class);
  }

  @AfterEach
  void stop() {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
    if (answerer != null) {
      answerer.close();
    }
  }

  // ------------------------------------------------------------------ the session

  @Test
  void sessionCreatedThenSessionUpdated() throws Exception {
    long now = System.currentTimeMillis() / 1000;
    RealtimeEvent.SessionCreated created = start(StandInAnswerer.builder());
    assertEquals("sess_" + callId.substring(4), created.sessionId());
    Map<String, Object> session = Json.object(Json.parseObject(created.json()), "session");
    assertEquals("realtime.session", session.get("object"));
    assertEquals("realtime", session.get("type"));
    long expiresAt = ((Number) session.get("expires_at")).longValue();
    assertTrue(Math.abs(expiresAt - (now + 3600)) <= 5, "expires_at " + expiresAt);

    String update =
        new RealtimeClientEvent.SessionUpdate(
                SessionConfig.builder().instructions("Be brief.").voice("marin").build())
            .toJson();
    client.send(update);
    RealtimeEvent.SessionUpdated updated = client.next(RealtimeEvent.SessionUpdated.class);
    assertEquals(created.sessionId(), updated.sessionId());
    assertEquals("Be brief.", updated.session().instructions());
    assertEquals("marin", updated.session().voice());
    assertEquals(List.of(update), answerer.clientEvents(callId));
    assertEquals(1, answerer.eventsReceived());
    assertNotEquals(created.eventId(), updated.eventId());
  }

  @Test
  void aFunctionCallRoundTripEndsInASpokenAnswerAboutTheOutput() throws Exception {
    String arguments = "{\"city\":\"Berlin\",\"unit\":\"celsius\"}";
    start(StandInAnswerer.builder().echo(false).replyMillis(300).functionArguments(arguments));
    client.send(
        new RealtimeClientEvent.SessionUpdate(
            SessionConfig.builder()
                .tool(
                    "get_weather",
                    "The weather in a city",
                    "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}")
                .build()));
    RealtimeEvent.SessionUpdated updated = client.next(RealtimeEvent.SessionUpdated.class);
    assertEquals("get_weather", updated.session().tools().get(0).name());

    client.send(new RealtimeClientEvent.ResponseCreate());
    List<RealtimeEvent> call = client.until(RealtimeEvent.ResponseDone.class);
    assertEquals(
        List.of(
            "response.created",
            "conversation.item.added",
            "response.function_call_arguments.delta",
            "response.function_call_arguments.delta",
            "response.function_call_arguments.done",
            "response.done"),
        types(call));
    ConversationItem added = ((RealtimeEvent.ConversationItemAdded) call.get(1)).item();
    assertTrue(added.isFunctionCall(), added.toString());
    assertEquals("get_weather", added.name());
    String functionCallId = added.callId();
    assertTrue(functionCallId.startsWith("call_"), functionCallId);
    String deltas =
        ((RealtimeEvent.FunctionCallArgumentsDelta) call.get(2)).delta()
            + ((RealtimeEvent.FunctionCallArgumentsDelta) call.get(3)).delta();
    assertEquals(arguments, deltas);
    RealtimeEvent.FunctionCallArgumentsDone done =
        (RealtimeEvent.FunctionCallArgumentsDone) call.get(4);
    assertEquals("get_weather", done.name());
    assertEquals(arguments, done.arguments());
    assertEquals(functionCallId, done.callId());
    assertEquals(added.id(), done.itemId());
    RealtimeEvent.ResponseDone responseDone = (RealtimeEvent.ResponseDone) call.get(5);
    assertEquals("completed", responseDone.status());
    assertEquals(((RealtimeEvent.ResponseCreated) call.get(0)).responseId(), done.responseId());
    assertEquals(1, responseDone.output().size());
    assertEquals(arguments, responseDone.output().get(0).arguments());
    assertTrue(responseDone.usage().totalTokens() > 0, responseDone.usage().toString());
    assertEquals(
        responseDone.usage().inputTokens() + responseDone.usage().outputTokens(),
        responseDone.usage().totalTokens());
    assertEquals(0, answerer.audioFramesSent(callId), "a function call has no audio");
    assertFalse(answerer.speaking(callId));
    RealtimeEvent.RateLimitsUpdated limits = client.next(RealtimeEvent.RateLimitsUpdated.class);
    assertEquals("requests", limits.rateLimits().get(0).name());
    assertEquals(999, limits.rateLimits().get(0).remaining(), "one response done");

    String output = "{\"temperature\":21}";
    client.send(new RealtimeClientEvent.FunctionCallOutput(functionCallId, output));
    ConversationItem outputItem = client.next(RealtimeEvent.ConversationItemAdded.class).item();
    assertEquals("function_call_output", outputItem.type());
    assertEquals(functionCallId, outputItem.callId());
    assertNotNull(outputItem.id());
    assertEquals(output, answerer.functionOutput(functionCallId));
    assertNull(answerer.functionOutput("call_unknown"));

    client.send(new RealtimeClientEvent.ResponseCreate());
    List<RealtimeEvent> spoken = client.until(RealtimeEvent.ResponseDone.class);
    assertEquals(
        StandInAnswerer.TOOL_REPLY_PREFIX + output,
        only(spoken, RealtimeEvent.OutputAudioTranscriptDone.class).transcript());
    assertTrue(types(spoken).contains("output_audio_buffer.started"), types(spoken).toString());
    assertEquals("completed", ((RealtimeEvent.ResponseDone) last(spoken)).status());

    // One function call per call: the next response speaks the usual reply.
    client.send(new RealtimeClientEvent.ResponseCreate());
    List<RealtimeEvent> again = client.until(RealtimeEvent.ResponseDone.class);
    assertEquals(
        StandInAnswerer.REPLY,
        only(again, RealtimeEvent.OutputAudioTranscriptDone.class).transcript());

    List<String> sent = answerer.clientEvents(callId);
    assertEquals(5, sent.size(), sent.toString());
    assertEquals("conversation.item.create", Json.parseObject(sent.get(2)).get("type"));
  }

  // ------------------------------------------------------------------ audio

  @Test
  void aSpokenResponseSendsToneFramesBracketedByTheOutputBufferEvents() throws Exception {
    start(StandInAnswerer.builder().echo(false).replyMillis(1_000));
    client.send(new RealtimeClientEvent.ResponseCreate());
    List<Client.Received> events = client.receivedUntil("response.done");
    assertEquals(
        List.of(
            "response.created",
            "output_audio_buffer.started",
            "response.output_audio_transcript.done",
            "output_audio_buffer.stopped",
            "response.done"),
        types(events).stream()
            .filter(t -> !t.equals("response.output_audio_transcript.delta"))
            .toList());
    StringBuilder transcript = new StringBuilder();
    for (Client.Received r : events) {
      if (r.event() instanceof RealtimeEvent.OutputAudioTranscriptDelta d) {
        transcript.append(d.delta());
      }
    }
    assertEquals(StandInAnswerer.REPLY, transcript.toString());
    Client.Received started = find(events, "output_audio_buffer.started");
    Client.Received stopped = find(events, "output_audio_buffer.stopped");
    assertEquals(
        ((RealtimeEvent.OutputAudioBufferStarted) started.event()).responseId(),
        ((RealtimeEvent.OutputAudioBufferStopped) stopped.event()).responseId());

    // 1000 ms are 50 frames, paced in real time, and (echo off) no audio outside them.
    long frames = answerer.audioFramesSent(callId);
    assertTrue(frames >= 40 && frames <= 50, "sent " + frames + " tone frames");
    assertTrue(started.packetsBefore() <= 1, "audio before started: " + started.packetsBefore());
    long during = stopped.packetsBefore() - started.packetsBefore();
    assertTrue(during >= frames * 8 / 10, "received " + during + " of " + frames + " frames");
    long spanMillis = (stopped.atNanos() - started.atNanos()) / 1_000_000;
    assertTrue(spanMillis >= 800, "the audio took " + spanMillis + " ms, not about 1000");
    double dbfs = client.receivedDbfs();
    assertTrue(dbfs > -18 && dbfs < -8, "the tone arrived at " + dbfs + " dBFS, not about -12");

    // Then the rate limits, and silence: no event, and no frame beyond those in flight.
    assertInstanceOf(
        RealtimeEvent.RateLimitsUpdated.class,
        client.events.poll(2, TimeUnit.SECONDS).event(),
        "rate_limits.updated after response.done");
    assertNull(client.events.poll(300, TimeUnit.MILLISECONDS));
    assertFalse(answerer.speaking(callId));
    assertEquals(frames, answerer.audioFramesSent(callId));
    assertTrue(client.packets.get() <= frames, client.packets.get() + " > " + frames);
  }

  @Test
  void receivedAudioIsEchoedExceptWhileAResponseSpeaks() throws Exception {
    start(StandInAnswerer.builder().echo(true).replyMillis(2_000));
    client.sendTone(20);
    assertTrue(client.awaitPackets(15), "echoed " + client.packets.get() + " of 20");
    assertTrue(answerer.echoedFrames() >= 15, "echoed " + answerer.echoedFrames());
    assertEquals(0, answerer.audioFramesSent(callId));

    client.send(new RealtimeClientEvent.ResponseCreate());
    client.started();
    long echoedBefore = answerer.echoedFrames();
    client.sendTone(20);
    client.until(RealtimeEvent.OutputAudioBufferStopped.class);
    assertEquals(echoedBefore, answerer.echoedFrames(), "echoed while speaking");
    assertTrue(answerer.audioFramesSent(callId) > 0);
  }

  @Test
  void userSpeakingCutsTheResponseAfterTheReactionTime() throws Exception {
    start(StandInAnswerer.builder().echo(false).replyMillis(5_000));
    client.send(new RealtimeClientEvent.ResponseCreate());
    RealtimeEvent.OutputAudioBufferStarted started = client.started();
    assertTrue(client.awaitPackets(5), "no tone arrived");
    long framesBefore = answerer.audioFramesSent(callId);
    long t0 = System.nanoTime();
    answerer.userSpeaks(callId, 300);

    Client.Received speech = client.nextReceived("input_audio_buffer.speech_started");
    assertTrue(speech.event() instanceof RealtimeEvent.SpeechStarted s && s.itemId() != null);
    Client.Received done = client.nextReceived("response.done");
    long cutMillis = (System.nanoTime() - t0) / 1_000_000;
    RealtimeEvent.ResponseDone responseDone = (RealtimeEvent.ResponseDone) done.event();
    assertEquals("cancelled", responseDone.status());
    assertEquals("turn_detected", responseDone.statusReason());
    assertEquals(started.responseId(), responseDone.responseId());
    assertEquals("incomplete", responseDone.output().get(0).status());
    assertTrue(cutMillis >= 280, "cut after " + cutMillis + " ms, before the reaction time");
    assertTrue(cutMillis < 4_000, "not cut: " + cutMillis + " ms");
    // The audio went on for the reaction time (about 15 frames), then stopped.
    long reactionFrames = answerer.audioFramesSent(callId) - framesBefore;
    assertTrue(
        reactionFrames >= 8 && reactionFrames <= 25, reactionFrames + " frames while reacting");
    RealtimeEvent.OutputAudioBufferCleared cleared =
        (RealtimeEvent.OutputAudioBufferCleared) client.next().event();
    assertEquals(started.responseId(), cleared.responseId());
    assertFalse(answerer.speaking(callId));

    long frames = answerer.audioFramesSent(callId);
    assertNull(client.events.poll(300, TimeUnit.MILLISECONDS), "an event after the cut");
    assertEquals(frames, answerer.audioFramesSent(callId), "audio after the cut");
  }

  @Test
  void userStopsSpeakingCommitsAndTranscribesTheTurn() throws Exception {
    start(StandInAnswerer.builder());
    answerer.userSpeaks(callId, 0); // nothing speaks: only speech_started
    String itemId = client.next(RealtimeEvent.SpeechStarted.class).itemId();
    answerer.userStopsSpeaking(callId, "What is the weather today");
    assertEquals(itemId, client.next(RealtimeEvent.SpeechStopped.class).itemId());
    RealtimeEvent.InputAudioBufferCommitted committed =
        client.next(RealtimeEvent.InputAudioBufferCommitted.class);
    assertEquals(itemId, committed.itemId());
    ConversationItem item = client.next(RealtimeEvent.ConversationItemAdded.class).item();
    assertEquals(itemId, item.id());
    assertEquals("user", item.role());
    StringBuilder heard = new StringBuilder();
    for (int i = 0; i < 5; i++) {
      RealtimeEvent.InputAudioTranscriptionDelta d =
          client.next(RealtimeEvent.InputAudioTranscriptionDelta.class);
      assertEquals(itemId, d.itemId());
      heard.append(d.delta());
    }
    assertEquals("What is the weather today", heard.toString());
    RealtimeEvent.InputAudioTranscriptionCompleted completed =
        client.next(RealtimeEvent.InputAudioTranscriptionCompleted.class);
    assertEquals(itemId, completed.itemId());
    assertEquals("What is the weather today", completed.transcript());
  }

  // ------------------------------------------------------------------ cancel, clear, errors

  @Test
  void cancelAndClearStopTheAudioAtOnce() throws Exception {
    start(StandInAnswerer.builder().echo(false).replyMillis(10_000));
    client.send(new RealtimeClientEvent.ResponseCancel("evt_c1", null));
    RealtimeEvent.ErrorEvent notActive = client.next(RealtimeEvent.ErrorEvent.class);
    assertEquals("response_cancel_not_active", notActive.code());
    assertEquals("invalid_request_error", notActive.errorType());
    assertEquals("evt_c1", notActive.clientEventId());

    client.send(new RealtimeClientEvent.ResponseCreate());
    client.started();
    client.send(new RealtimeClientEvent.ResponseCreate("evt_c2", null));
    RealtimeEvent.ErrorEvent busy = client.next(RealtimeEvent.ErrorEvent.class);
    assertEquals("conversation_already_has_active_response", busy.code());
    assertEquals("evt_c2", busy.clientEventId());
    client.send(new RealtimeClientEvent.ResponseCancel());
    RealtimeEvent.ResponseDone cancelled = client.next(RealtimeEvent.ResponseDone.class);
    assertEquals("cancelled", cancelled.status());
    assertEquals("client_cancelled", cancelled.statusReason());
    assertEquals(
        cancelled.responseId(),
        client.next(RealtimeEvent.OutputAudioBufferStopped.class).responseId());
    assertFalse(answerer.speaking(callId));
    long afterCancel = answerer.audioFramesSent(callId);

    client.send(new RealtimeClientEvent.ResponseCreate());
    String second = client.started().responseId();
    client.send(new RealtimeClientEvent.OutputAudioBufferClear());
    RealtimeEvent.ResponseDone cleared = client.next(RealtimeEvent.ResponseDone.class);
    assertEquals(second, cleared.responseId());
    assertEquals("cancelled", cleared.status());
    assertEquals(second, client.next(RealtimeEvent.OutputAudioBufferCleared.class).responseId());
    assertFalse(answerer.speaking(callId));
    long frames = answerer.audioFramesSent(callId);
    assertTrue(frames > afterCancel);
    assertTrue(frames < 200, frames + " frames: the 10 s responses were not cut");
    // With nothing speaking, a clear is still answered.
    client.send(new RealtimeClientEvent.OutputAudioBufferClear());
    assertEquals(second, client.next(RealtimeEvent.OutputAudioBufferCleared.class).responseId());
    assertEquals(frames, answerer.audioFramesSent(callId));
  }

  @Test
  void inputBufferEventsErrorsAndRawServerEvents() throws Exception {
    start(StandInAnswerer.builder());
    client.send(new RealtimeClientEvent.InputAudioBufferCommit());
    assertNotNull(client.next(RealtimeEvent.InputAudioBufferCommitted.class).itemId());
    client.send(new RealtimeClientEvent.InputAudioBufferClear());
    client.next(RealtimeEvent.InputAudioBufferCleared.class);
    client.send("{\"type\":\"conversation.future_event\",\"event_id\":\"evt_9\"}");
    RealtimeEvent.ErrorEvent unknown = client.next(RealtimeEvent.ErrorEvent.class);
    assertEquals("unknown_event", unknown.code());
    assertEquals("evt_9", unknown.clientEventId());
    client.send("this is not JSON");
    assertEquals("invalid_json", client.next(RealtimeEvent.ErrorEvent.class).code());
    client.send("{\"type\":\"conversation.item.create\"}");
    assertEquals("missing_required_parameter", client.next(RealtimeEvent.ErrorEvent.class).code());

    answerer.sendEvent(callId, "{\"type\":\"rate_limits.updated\",\"rate_limits\":[]}");
    assertInstanceOf(RealtimeEvent.RateLimitsUpdated.class, client.next().event());
    answerer.sendEvent(callId, "{\"type\":\"response.future_thing\",\"event_id\":\"e1\"}");
    RealtimeEvent.Unknown future = (RealtimeEvent.Unknown) client.next().event();
    assertEquals("response.future_thing", future.type());
    assertEquals(5, answerer.clientEvents(callId).size());
    assertEquals("this is not JSON", answerer.clientEvents(callId).get(3));
  }

  // ------------------------------------------------------------------ the end of a call

  @Test
  void hangupClosesTheCall() throws Exception {
    start(StandInAnswerer.builder().echo(false).replyMillis(10_000));
    client.send(new RealtimeClientEvent.ResponseCreate());
    client.started();
    assertTrue(answerer.hangup(callId));
    assertTrue(answerer.hungUp(callId));
    assertFalse(answerer.speaking(callId));
    PeerConnectionState end = client.awaitEnd();
    assertTrue(
        end == PeerConnectionState.CLOSED || end == PeerConnectionState.FAILED, end.toString());
    assertFalse(answerer.hangup(callId), "a call hangs up once");
    assertFalse(answerer.hangup("rtc_unknown"));
    assertFalse(answerer.hungUp("rtc_unknown"));
    assertThrows(IllegalStateException.class, () -> answerer.sendEvent(callId, "{}"));
    assertThrows(IllegalArgumentException.class, () -> answerer.speaking("rtc_unknown"));
  }

  @Test
  void theSessionExpiresAtItsMaximumDuration() throws Exception {
    long t0 = System.nanoTime();
    start(StandInAnswerer.builder().sessionMaxDuration(Duration.ofSeconds(1)));
    RealtimeEvent.ErrorEvent expired = client.next(RealtimeEvent.ErrorEvent.class);
    long afterMillis = (System.nanoTime() - t0) / 1_000_000;
    assertEquals("session_expired", expired.code());
    assertEquals("invalid_request_error", expired.errorType());
    assertEquals("Your session hit the maximum duration of 1 second.", expired.message());
    assertTrue(afterMillis >= 1_000, "expired after " + afterMillis + " ms");
    PeerConnectionState end = client.awaitEnd();
    assertTrue(
        end == PeerConnectionState.CLOSED || end == PeerConnectionState.FAILED, end.toString());
    assertFalse(answerer.hangup(callId), "an expired call is over");
    assertFalse(answerer.hungUp(callId));
  }

  // ------------------------------------------------------------------ without a call

  @Test
  void theBuilderRefusesWhatItCannotPlay() {
    StandInAnswerer.Builder b = StandInAnswerer.builder();
    assertThrows(IllegalArgumentException.class, () -> b.replyMillis(10));
    assertThrows(IllegalArgumentException.class, () -> b.replyMillis(600_001));
    assertThrows(IllegalArgumentException.class, () -> b.functionArguments("[1]"));
    assertThrows(IllegalArgumentException.class, () -> b.functionArguments("city=Paris"));
    assertThrows(IllegalArgumentException.class, () -> b.sessionMaxDuration(Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> b.sessionMaxDuration(Duration.ofDays(2)));
  }

  @Test
  void theExpiryMessageSaysMinutesOrSeconds() {
    assertEquals("60 minutes", StandInAnswerer.durationText(Duration.ofMinutes(60)));
    assertEquals("1 minute", StandInAnswerer.durationText(Duration.ofMinutes(1)));
    assertEquals("1 second", StandInAnswerer.durationText(Duration.ofSeconds(1)));
    assertEquals("90 seconds", StandInAnswerer.durationText(Duration.ofSeconds(90)));
    assertEquals("1.5 seconds", StandInAnswerer.durationText(Duration.ofMillis(1_500)));
  }

  @Test
  void theTcpOnlyAnswerKeepsOnlyPassiveTcpCandidates() {
    String sdp =
        "v=0\r\n"
            + "a=candidate:1 1 udp 2130706431 127.0.0.1 5000 typ host\r\n"
            + "a=candidate:2 1 tcp 1518280447 127.0.0.1 5001 typ host tcptype passive\r\n"
            + "a=candidate:3 1 tcp 1526668799 127.0.0.1 9 typ host tcptype active\r\n"
            + "a=end-of-candidates\r\n";
    assertEquals(
        "v=0\r\n"
            + "a=candidate:2 1 tcp 1518280447 127.0.0.1 5001 typ host tcptype passive\r\n"
            + "a=end-of-candidates\r\n",
        StandInAnswerer.passiveTcpOnly(sdp));
  }

  @Test
  void awaitCallWithoutACallTimesOutAndUnknownCallsAreRefused() {
    try (StandInAnswerer idle = StandInAnswerer.builder().build()) {
      assertTrue(idle.callIds().isEmpty());
      IllegalStateException e =
          assertThrows(IllegalStateException.class, () -> idle.awaitCall(Duration.ofMillis(50)));
      assertTrue(e.getMessage().contains("oai-events"), e.getMessage());
      assertThrows(IllegalArgumentException.class, () -> idle.clientEvents("rtc_x"));
      assertThrows(IllegalArgumentException.class, () -> idle.userSpeaks("rtc_x", 0));
      assertThrows(IllegalArgumentException.class, () -> idle.userSpeaks("rtc_x", -1));
      assertThrows(IllegalArgumentException.class, () -> idle.answer("rtc_x", "v=0\r\n"));
    }
  }

  // ------------------------------------------------------------------ helpers

  private static List<String> types(List<?> events) {
    List<String> out = new ArrayList<>();
    for (Object o : events) {
      RealtimeEvent e = o instanceof Client.Received r ? r.event() : (RealtimeEvent) o;
      out.add(e.type());
    }
    return out;
  }

  private static <T extends RealtimeEvent> T only(List<RealtimeEvent> events, Class<T> type) {
    List<T> found = new ArrayList<>();
    for (RealtimeEvent e : events) {
      if (type.isInstance(e)) {
        found.add(type.cast(e));
      }
    }
    assertEquals(1, found.size(), type.getSimpleName() + " in " + types(events));
    return found.get(0);
  }

  private static RealtimeEvent last(List<RealtimeEvent> events) {
    return events.get(events.size() - 1);
  }

  private static Client.Received find(List<Client.Received> events, String type) {
    for (Client.Received r : events) {
      if (type.equals(r.event().type())) {
        return r;
      }
    }
    return fail(type + " missing from " + types(events));
  }

  private static void assertNotEquals(String a, String b) {
    assertFalse(a.equals(b), a + " twice");
  }

  /**
   * The voice agent's side: a jpeer connection on a loop of its own, offering Opus and {@code
   * oai-events} as a Realtime client does, with every received event and audio packet recorded.
   */
  static final class Client implements AutoCloseable {
    /**
     * An event as it arrived, with how many audio packets had arrived before it and when. Audio and
     * events are both delivered on the client's loop thread, so the count orders them.
     */
    record Received(RealtimeEvent event, long packetsBefore, long atNanos) {}

    final PeerLoop loop = PeerLoop.start("standin-test-client");
    final PeerConnection pc;
    final DataChannel channel;
    final String callId;
    final BlockingQueue<Received> events = new LinkedBlockingQueue<>();
    final BlockingQueue<PeerConnectionState> states = new LinkedBlockingQueue<>();
    final AtomicLong packets = new AtomicLong();
    private final Semaphore packetPermits = new Semaphore(0);
    private final CompletableFuture<Void> open = new CompletableFuture<>();
    private final OpusDecoder decoder = new OpusDecoder(OpusConfig.builder().build());
    private final short[] pcm = new short[decoder.maxSamplesPerPacket()];
    // Loop thread only: the level of everything decoded.
    private double sumSquares;
    private long samples;

    Client(LocalRealtimeServer server) throws Exception {
      pc =
          PeerConnection.create(
              PeerConfiguration.builder()
                  .audioCodec(MediaCodec.OPUS)
                  .dataChannel(DataChannelType.STRING)
                  .bindAddress(InetAddress.getLoopbackAddress())
                  .includeLoopback(true)
                  .onAudioPacket(this::onPacket)
                  .build());
      pc.onIceConnectionStateChange(states::add);
      pc.onDataChannel(
          new DataChannelListener() {
            @Override
            public void onOpen(DataChannel ch) {
              open.complete(null);
            }

            @Override
            public void onMessage(DataChannel ch, ByteBuffer message, boolean binary) {
              byte[] b = new byte[message.remaining()];
              message.get(message.position(), b);
              RealtimeEvent e = RealtimeEvents.parse(new String(b, StandardCharsets.UTF_8));
              events.add(new Received(e, packets.get(), System.nanoTime()));
            }
          });
      channel = pc.createDataChannel("oai-events");
      CompletableFuture<String> offer = new CompletableFuture<>();
      pc.onIceCandidate(offer::complete);
      pc.createOffer();
      loop.add(pc).get(WAIT_SECONDS, TimeUnit.SECONDS);
      RealtimeCall call =
          OpenAiRealtimeClient.builder()
              .callsUrl(server.callsUrl().toString())
              .apiKey("sk-test")
              .timeout(WAIT)
              .build()
              .createCall(offer.get(WAIT_SECONDS, TimeUnit.SECONDS), "sk-test");
      callId = call.callId();
      loop.submit(() -> pc.setRemoteDescription(call.answerSdp(), SdpType.ANSWER))
          .get(WAIT_SECONDS, TimeUnit.SECONDS);
      open.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    private void onPacket(ByteBuffer payload, long rtpTimestamp, int sequence, long arrival) {
      byte[] b = new byte[payload.remaining()];
      payload.get(payload.position(), b);
      int n = decoder.decode(b, 0, b.length, pcm, 0, pcm.length);
      for (int i = 0; i < n; i++) {
        sumSquares += (double) pcm[i] * pcm[i];
      }
      samples += Math.max(0, n);
      packets.incrementAndGet();
      packetPermits.release();
    }

    /** The RMS level of all audio decoded so far. */
    double receivedDbfs() throws Exception {
      double rms =
          loop.submit(() -> samples == 0 ? 0 : Math.sqrt(sumSquares / samples))
              .get(WAIT_SECONDS, TimeUnit.SECONDS);
      return 20 * Math.log10(Math.max(rms, 1e-9) / 32768);
    }

    /** Waits until {@code n} more packets than were awaited before have arrived. */
    boolean awaitPackets(int n) throws InterruptedException {
      return packetPermits.tryAcquire(n, WAIT_SECONDS, TimeUnit.SECONDS);
    }

    /** Encodes and sends {@code frames} 20 ms frames of a 300 Hz tone, at once. */
    void sendTone(int frames) {
      OpusEncoder encoder = new OpusEncoder(OpusConfig.builder().build());
      short[] frame = new short[960];
      byte[] out = new byte[OpusEncoder.MAX_PACKET_BYTES];
      for (int f = 0; f < frames; f++) {
        for (int i = 0; i < frame.length; i++) {
          frame[i] = (short) (8000 * Math.sin(2 * Math.PI * 300 * (f * 960 + i) / 48_000.0));
        }
        int len = encoder.encode(frame, 0, out, 0, out.length);
        assertTrue(pc.sendAudio(ByteBuffer.wrap(out, 0, len)), "frame " + f + " not taken");
      }
    }

    void send(RealtimeClientEvent event) throws Exception {
      send(event.toJson());
    }

    void send(String json) throws Exception {
      loop.submit(() -> channel.send(json)).get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    /** The next event, within the wait. */
    Received next() throws InterruptedException {
      Received r = events.poll(WAIT_SECONDS, TimeUnit.SECONDS);
      assertNotNull(r, "no event within " + WAIT);
      return r;
    }

    /**
     * The next event, which must be a {@code type}; the assistant's transcript pieces, which come
     * all through a spoken response, are passed over on the way (unless asked for).
     */
    <T extends RealtimeEvent> T next(Class<T> type) throws InterruptedException {
      for (int i = 0; i < 1_000; i++) {
        RealtimeEvent e = next().event();
        if (e instanceof RealtimeEvent.OutputAudioTranscriptDelta && !type.isInstance(e)) {
          continue;
        }
        assertInstanceOf(type, e, e.json());
        return type.cast(e);
      }
      return fail("no " + type.getSimpleName() + " in 1000 events");
    }

    /** The start of a spoken response: {@code response.created}, then the audio's start. */
    RealtimeEvent.OutputAudioBufferStarted started() throws InterruptedException {
      String responseId = next(RealtimeEvent.ResponseCreated.class).responseId();
      RealtimeEvent.OutputAudioBufferStarted started =
          next(RealtimeEvent.OutputAudioBufferStarted.class);
      assertEquals(responseId, started.responseId());
      return started;
    }

    /** The next event of {@code type}; only transcript deltas may come before it. */
    Received nextReceived(String type) throws InterruptedException {
      for (int i = 0; i < 1_000; i++) {
        Received r = next();
        if (type.equals(r.event().type())) {
          return r;
        }
        assertEquals("response.output_audio_transcript.delta", r.event().type(), "before " + type);
      }
      return fail("no " + type + " in 1000 events");
    }

    /** The events up to and including the next of {@code type}. */
    List<RealtimeEvent> until(Class<? extends RealtimeEvent> type) throws InterruptedException {
      List<RealtimeEvent> out = new ArrayList<>();
      for (int i = 0; i < 1_000; i++) {
        RealtimeEvent e = next().event();
        out.add(e);
        if (type.isInstance(e)) {
          return out;
        }
      }
      return fail("no " + type.getSimpleName() + " in " + types(out));
    }

    /** As {@link #until}, with the arrival of each. */
    List<Received> receivedUntil(String type) throws InterruptedException {
      List<Received> out = new ArrayList<>();
      for (int i = 0; i < 1_000; i++) {
        Received r = next();
        out.add(r);
        if (type.equals(r.event().type())) {
          return out;
        }
      }
      return fail("no " + type + " in " + types(out));
    }

    /** The state that ended the connection (CLOSED or FAILED), within the wait. */
    PeerConnectionState awaitEnd() throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
      List<PeerConnectionState> seen = new ArrayList<>();
      for (long left; (left = deadline - System.nanoTime()) > 0; ) {
        PeerConnectionState s = states.poll(left, TimeUnit.NANOSECONDS);
        if (s == PeerConnectionState.CLOSED || s == PeerConnectionState.FAILED) {
          return s;
        }
        if (s != null) {
          seen.add(s);
        }
      }
      return fail("the connection did not end within " + WAIT + "; states " + seen);
    }

    @Override
    public void close() {
      loop.close(); // closes the connection too
    }
  }
}
