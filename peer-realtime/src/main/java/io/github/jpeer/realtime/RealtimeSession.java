package io.github.jpeer.realtime;

import io.github.jpeer.DataChannel;
import io.github.jpeer.DataChannelListener;
import io.github.jpeer.DataChannelType;
import io.github.jpeer.MediaCodec;
import io.github.jpeer.NanoClock;
import io.github.jpeer.PeerConfiguration;
import io.github.jpeer.PeerConnection;
import io.github.jpeer.PeerConnectionState;
import io.github.jpeer.PeerLoop;
import io.github.jpeer.PeerStats;
import io.github.jpeer.SdpType;
import io.github.jpeer.media.JitterBuffer;
import io.github.jpeer.media.JitterBufferPlayer;
import io.github.jpeer.media.OpusConfig;
import io.github.jpeer.media.OpusEncoder;
import io.github.jpeer.signaling.OpenAiRealtimeClient;
import io.github.jpeer.signaling.RealtimeCall;
import io.github.jpeer.signaling.SignalingException;
import io.github.jpeer.signaling.internal.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * A voice call with the OpenAI Realtime API over WebRTC, from the HTTP signaling to the hang-up:
 * the user's voice goes out as Opus, the assistant's plays through a jitter buffer, and the call's
 * {@code oai-events} data channel carries typed events both ways, with function calls answered and
 * barge-in acted on ({@link RealtimeConversation}).
 *
 * <pre>{@code
 * try (RealtimeSession call = RealtimeSession.builder()
 *         .apiKey(System.getenv("OPENAI_API_KEY"))
 *         .session(SessionConfig.builder().instructions("Be brief.").voice("marin").build())
 *         .audioInput(AudioInput.microphone())
 *         .audioOutput(AudioOutput.speaker())
 *         .listener(new RealtimeListener() {
 *           public void onAssistantTranscript(String itemId, String text, boolean isFinal) {
 *             if (isFinal) System.out.println("assistant: " + text);
 *           }
 *         })
 *         .connect()) {
 *   call.createResponse();                     // the assistant speaks first
 *   call.ended().get(10, TimeUnit.MINUTES);    // or hang up: call.hangup()
 * }
 * }</pre>
 *
 * <p><b>Signaling.</b> With the standard key ({@link Builder#apiKey}) the session first creates an
 * ephemeral key with the session configuration ({@code POST /v1/realtime/client_secrets}), then
 * posts the SDP offer with it ({@code POST /v1/realtime/calls}), as a browser app does with its
 * server's help; {@link Builder#unifiedForm} posts offer and configuration in one multipart request
 * instead. With an ephemeral key that your server created ({@link Builder#ephemeralKey}), the offer
 * goes with that key and the configuration follows as {@code session.update} once {@code
 * oai-events} opens. The call id comes from the answer's {@code Location} ({@link #callId()}).
 *
 * <p><b>Barge-in.</b> When the user starts speaking ({@code input_audio_buffer.speech_started}),
 * the server clears its output ({@code output_audio_buffer.cleared}) or the application calls
 * {@link #interrupt()}, the jitter buffer and the output device are flushed at once, and audio that
 * still arrives for the cut-off answer (it was on its way) is dropped until the next response
 * begins ({@code response.created} or {@code output_audio_buffer.started}), or at most one second.
 * With {@link Builder#halfDuplex} the microphone is muted while the assistant speaks: for machines
 * without echo cancellation, where the assistant would otherwise hear itself and stop; the user
 * then cannot interrupt by voice, only with {@link #interrupt()}.
 *
 * <p><b>Ending.</b> {@link #ended()} completes once the call is over, saying why: {@link #hangup()}
 * ({@code POST /v1/realtime/calls/{call_id}/hangup}, which needs the standard key), {@link
 * #close()}, the server closing the call, the connection failing (consent lost, DTLS), or the
 * session reaching its time limit (the Realtime API ends sessions after 60 minutes, with an {@code
 * error} event of code {@code session_expired}). {@link #close()} must still be called: it stops
 * the threads and releases the devices.
 *
 * <p><b>Threads.</b> {@link Builder#connect()} blocks the caller until the call is up. The
 * connection runs on a {@link PeerLoop} (one of its own, or the one given with {@link
 * Builder#loop}, shared by many calls); the listener, the tools and {@code ended()}'s completion
 * run on that loop's thread, one at a time, and must not block it. The user's audio is read and
 * encoded on a sender thread, the assistant's played on a playout thread, both the session's. Every
 * other method may be called from any thread. An exception thrown by the listener or a tool is
 * logged and counted ({@link Stats#listenerFailures()}), never thrown into the loop.
 *
 * <p>Keys (standard or ephemeral) never appear in a message, exception or {@code toString}.
 */
public final class RealtimeSession implements AutoCloseable {
  /** The label of the events channel the Realtime API expects the client to open. */
  public static final String EVENTS_CHANNEL = "oai-events";

  /** The model when {@link Builder#model} is not set. */
  public static final String DEFAULT_MODEL = "gpt-realtime";

  /** Audio of a cut-off answer is dropped for at most this long unless a new response begins. */
  static final long BARGE_IN_DRAIN_NANOS = 1_000_000_000L;

  private static final System.Logger LOG = System.getLogger("io.github.jpeer.realtime");
  private static final long FRAME_NANOS = 20_000_000L;
  private static final int MAX_OPUS_FRAME = 1275;
  private static final long CONTROL_TIMEOUT_SECONDS = 5;
  private static final int WARM_UP_FRAMES = 100;
  private static final String SESSION_EXPIRED = "session_expired";

  /** Why a call ended. */
  public enum EndReason {
    /** {@link #hangup()}: the server was told, then the connection closed. */
    HUNG_UP,
    /** {@link #close()} before the call ended otherwise. */
    CLOSED,
    /** The server closed the call (its hang-up, or its side went away in order). */
    REMOTE_CLOSED,
    /** The connection failed during the call: consent lost (the network), or DTLS. */
    CONNECTION_FAILED,
    /** The session reached the Realtime API's time limit ({@code session_expired}). */
    SESSION_EXPIRED
  }

  /**
   * How a call ended.
   *
   * @param reason the kind of ending
   * @param message one line for the user, free of secrets
   */
  public record Ended(EndReason reason, String message) {
    /** Checks the components. */
    public Ended {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(message, "message");
    }
  }

  /**
   * The call's counters.
   *
   * @param connection the connection's statistics (packets, bytes, the selected pair), or null once
   *     the connection is closed and they could not be read
   * @param playout the jitter buffer's counters, or null without an {@link AudioOutput}
   * @param framesSent 20 ms Opus frames of the user's audio sent
   * @param framesMuted frames sent as silence because the assistant was speaking ({@link
   *     Builder#halfDuplex})
   * @param bargeIns times the assistant's audio was cut off (speech started, cleared, interrupt)
   * @param packetsDroppedAfterBargeIn packets of a cut-off answer that arrived after it and were
   *     not played
   * @param eventsSent client events sent on {@code oai-events}
   * @param eventsReceived server events received
   * @param listenerFailures exceptions thrown by the listener or a tool, logged and dropped
   */
  public record Stats(
      PeerStats connection,
      JitterBuffer.Stats playout,
      long framesSent,
      long framesMuted,
      long bargeIns,
      long packetsDroppedAfterBargeIn,
      long eventsSent,
      long eventsReceived,
      long listenerFailures) {}

  /** How the call's signaling goes. */
  private enum Signaling {
    CLIENT_SECRET,
    UNIFIED,
    EPHEMERAL_KEY
  }

  private final Builder config;
  private final Signaling signaling;
  private final OpenAiRealtimeClient client;
  private final PeerLoop loop;
  private final boolean ownsLoop;
  private final RealtimeConversation conversation;
  private final JitterBuffer buffer;
  private final JitterBufferPlayer player;
  private final CompletableFuture<PeerConnectionState> settled = new CompletableFuture<>();
  private final CompletableFuture<DataChannel> channelOpen = new CompletableFuture<>();
  private final CompletableFuture<Ended> ended = new CompletableFuture<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicLong framesSent = new AtomicLong();
  private final AtomicLong framesMuted = new AtomicLong();
  private final AtomicLong bargeIns = new AtomicLong();
  private final AtomicLong droppedAfterBargeIn = new AtomicLong();
  private final AtomicLong eventsSent = new AtomicLong();
  private final AtomicLong eventsReceived = new AtomicLong();
  private final AtomicLong listenerFailures = new AtomicLong();
  private final PeerConnection pc;
  private volatile boolean sending = true;
  private volatile boolean muteAfterBargeIn;
  private volatile long bargeInNanos;
  private volatile DataChannel channel;
  private volatile String callId;
  private volatile String sessionId;
  private volatile Instant expiresAt;
  private volatile Throwable inputFailure;
  private Thread sender;
  private Thread playout;

  private RealtimeSession(Builder b, Signaling signaling) {
    this.config = b;
    this.signaling = signaling;
    OpenAiRealtimeClient.Builder c =
        OpenAiRealtimeClient.builder().callsUrl(b.callsUrl).timeout(b.timeout);
    if (b.apiKey != null) {
      c.apiKey(b.apiKey);
    }
    this.client = c.build();
    this.ownsLoop = b.loop == null;
    this.loop = ownsLoop ? PeerLoop.start("realtime") : b.loop;
    if (b.output != null) {
      this.buffer = new JitterBuffer(b.jitterBuffer);
      JitterBufferPlayer.Sink sink = b.output::write;
      this.player =
          b.output.blocking()
              ? JitterBufferPlayer.toBlockingSink(buffer, sink, NanoClock.SYSTEM::nanoTime)
              : JitterBufferPlayer.toSink(buffer, sink, NanoClock.SYSTEM::nanoTime);
      player.onError(e -> LOG.log(System.Logger.Level.WARNING, "playout stopped: " + e));
    } else {
      this.buffer = null;
      this.player = null;
    }
    this.conversation =
        RealtimeConversation.builder(this::sendJson)
            .listener(new Guarded(b.listener))
            .tools(guardedTools(b.tools))
            .onBargeIn(this::bargeIn)
            .build();
    PeerConfiguration.Builder pcb =
        PeerConfiguration.builder()
            .audioCodec(MediaCodec.OPUS)
            .dataChannel(DataChannelType.STRING)
            .loggerName("io.github.jpeer.realtime")
            .clock(NanoClock.SYSTEM);
    b.peer.accept(pcb);
    // After the application's settings: the received audio is the session's to play.
    pcb.onAudioPacket(this::onAudioPacket);
    this.pc = PeerConnection.create(pcb.build());
    pc.onIceConnectionStateChange(this::onState);
    pc.onDataChannel(new Events());
  }

  /** A builder; set a key ({@link Builder#apiKey} or {@link Builder#ephemeralKey}). */
  public static Builder builder() {
    return new Builder();
  }

  // ------------------------------------------------------------------ connect

  private void connect() throws InterruptedException {
    try {
      String ephemeral = signaling == Signaling.EPHEMERAL_KEY ? config.ephemeralKey : null;
      if (signaling == Signaling.CLIENT_SECRET) {
        ephemeral = client.createClientSecret(sessionJson());
      }
      startSender();
      CompletableFuture<String> offer = new CompletableFuture<>();
      pc.onIceCandidate(offer::complete);
      pc.createDataChannel(EVENTS_CHANNEL); // the client opens it, as the Realtime API expects
      pc.createOffer();
      await(loop.add(pc), "starting the connection");
      String offerSdp = await(offer, "gathering the local candidates");
      RealtimeCall call =
          signaling == Signaling.UNIFIED
              ? client.createCall(offerSdp, sessionJson())
              : client.createCall(offerSdp, ephemeral);
      callId = call.callId();
      try {
        loop.submit(() -> applyAnswer(pc, call.answerSdp()))
            .get(CONTROL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        throw new RealtimeException(
            "the SDP answer is not usable: " + oneLine(e.getCause()), -1, null);
      } catch (TimeoutException e) {
        throw new RealtimeException("the connection's loop did not take the answer", -1, null);
      }
      PeerConnectionState state = awaitConnected();
      if (state != PeerConnectionState.COMPLETED) {
        throw new RealtimeException(connectFailure(state), -1, null);
      }
      await(channelOpen, "opening the " + EVENTS_CHANNEL + " data channel");
      if (player != null) {
        Thread t = new Thread(player, "realtime-playout");
        t.setDaemon(true);
        t.start();
        playout = t;
      }
    } catch (SignalingException e) {
      teardown();
      throw new RealtimeException(e.getMessage(), e.status(), e.errorCode(), callId);
    } catch (RealtimeException e) {
      teardown();
      throw callId == null || e.callId() != null
          ? e
          : new RealtimeException(e.getMessage(), e.status(), e.code(), callId);
    } catch (RuntimeException | InterruptedException e) {
      teardown();
      throw e;
    }
  }

  private static Void applyAnswer(PeerConnection c, String answerSdp) {
    c.setRemoteDescription(answerSdp, SdpType.ANSWER);
    return null;
  }

  private String connectFailure(PeerConnectionState state) {
    String dtls = null;
    try {
      dtls = loop.submit(pc::failureReason).get(CONTROL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      // the reason stays unknown
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (dtls != null) {
      // The core's ICE reasons say so themselves (and why, when the server did answer).
      return dtls.startsWith("ICE") ? dtls : "DTLS failed: " + dtls;
    }
    return "ICE failed ("
        + state
        + "): no candidate pair answered; check that UDP (or TCP 443) to the server is open";
  }

  private PeerConnectionState awaitConnected() throws InterruptedException {
    try {
      return settled.get(config.timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      // The connection's own reading of its ICE counters (a wrong a=ice-pwd shows as the server's
      // messages failing the integrity check, a 401 to our checks, or its checks answered while
      // ours go unanswered); none of them: most likely the path.
      String hint = pc.getStats().credentialHint();
      throw new RealtimeException(
          String.format(
              Locale.ROOT,
              "not connected within %.1f s (state %s): ICE or DTLS did not finish; %s",
              config.timeout.toMillis() / 1000.0,
              pc.getState(),
              hint.isEmpty() ? "check that UDP (or TCP 443) to the server is open" : hint),
          -1,
          null);
    } catch (ExecutionException e) {
      throw new RealtimeException("connecting failed: " + oneLine(e.getCause()), -1, null);
    }
  }

  private <T> T await(CompletableFuture<T> f, String what) throws InterruptedException {
    try {
      return f.get(config.timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new RealtimeException(
          "timed out " + what + " (after " + config.timeout.toMillis() + " ms)", -1, null);
    } catch (ExecutionException e) {
      throw new RealtimeException(what + " failed: " + oneLine(e.getCause()), -1, null);
    }
  }

  /** The session object for client_secrets and the unified form: the configuration and model. */
  private Map<String, Object> sessionJson() {
    Map<String, Object> session = config.session.toJsonValue();
    session.put("model", config.model);
    return session;
  }

  // ------------------------------------------------------------------ the call

  /** The call's id ({@code rtc_...}) from the answer's {@code Location}, or null if none came. */
  public String callId() {
    return callId;
  }

  /** The session's id from {@code session.created}, or null before it came. */
  public String sessionId() {
    return sessionId;
  }

  /**
   * When the server will end the session ({@code expires_at} of {@code session.created}), or null
   * if it did not say.
   */
  public Instant expiresAt() {
    return expiresAt;
  }

  /** Sends one client event on {@code oai-events}. */
  public void send(RealtimeClientEvent event) {
    conversation.send(event);
  }

  /** Changes the session's settings ({@code session.update}); the server answers with updated. */
  public void update(SessionConfig session) {
    send(new RealtimeClientEvent.SessionUpdate(session));
  }

  /** Asks the model to respond now ({@code response.create}), e.g. to greet the user first. */
  public void createResponse() {
    send(new RealtimeClientEvent.ResponseCreate());
  }

  /** Adds a typed user message to the conversation and asks for a response to it. */
  public void sendText(String text) {
    send(new RealtimeClientEvent.UserMessage(text));
    createResponse();
  }

  /**
   * Stops the assistant now (a stop button, push-to-talk): {@code response.cancel}, {@code
   * output_audio_buffer.clear}, and the local playout flushed.
   */
  public void interrupt() {
    conversation.interrupt();
  }

  /** Whether the assistant's audio is playing on the server's side of the call. */
  public boolean assistantSpeaking() {
    return conversation.assistantSpeaking();
  }

  /** Completes once the call is over, saying why (on the loop thread, or the one that ended it). */
  public CompletableFuture<Ended> ended() {
    return ended;
  }

  /** Why the playout stopped early (the output's write failed), or null. */
  public Throwable playoutFailure() {
    return player == null ? null : player.failure();
  }

  /** Why reading the input failed (the session then sent silence), or null. */
  public Throwable inputFailure() {
    return inputFailure;
  }

  /** The call's counters now; waits up to 5 s for the loop thread to read the connection's. */
  public Stats stats() throws InterruptedException {
    PeerStats peer = null;
    try {
      // The loop's submit, not the connection's: a closed connection is no longer driven.
      peer = loop.submit(pc::getStats).get(CONTROL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      // closed, or the loop is gone: no connection figures
    }
    return new Stats(
        peer,
        player == null ? null : player.stats(),
        framesSent.get(),
        framesMuted.get(),
        bargeIns.get(),
        droppedAfterBargeIn.get(),
        eventsSent.get(),
        eventsReceived.get(),
        listenerFailures.get());
  }

  /**
   * Hangs up: tells the server ({@code POST /v1/realtime/calls/{call_id}/hangup}, with the standard
   * key), then closes the call as {@link #close()} does. With only an ephemeral key there is no
   * hang-up request: closing the connection ends the call.
   *
   * @throws RealtimeException if the server refused the hang-up (the call is closed here anyway)
   */
  public void hangup() throws InterruptedException {
    RealtimeException failure = null;
    boolean live = !ended.isDone();
    end(EndReason.HUNG_UP, "hung up"); // first: the server's close that follows is this hang-up
    if (config.apiKey != null && callId != null && live) {
      try {
        client.hangup(callId);
      } catch (SignalingException e) {
        failure = new RealtimeException(e.getMessage(), e.status(), e.errorCode());
      }
    }
    close();
    if (failure != null) {
      throw failure;
    }
  }

  /**
   * Ends the call if it is still going ({@link EndReason#CLOSED}) and releases everything: the
   * threads, the connection, the loop if it is the session's own, the audio input and output.
   * Idempotent; from the loop thread (an {@code ended()} callback) the release finishes on a thread
   * of its own.
   */
  @Override
  public void close() {
    end(EndReason.CLOSED, "closed by the application");
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (loop.isLoopThread()) {
      Thread t = new Thread(this::teardown, "realtime-close");
      t.setDaemon(true);
      t.start();
    } else {
      teardown();
    }
  }

  /** The call id and state; never a key. */
  @Override
  public String toString() {
    return "RealtimeSession[call="
        + callId
        + ", model="
        + config.model
        + ", "
        + (ended.isDone() ? "ended" : pc.getState())
        + "]";
  }

  // ------------------------------------------------------------------ internals

  private void sendJson(String json) {
    DataChannel c = channel;
    if (c == null || !c.isOpen()) {
      throw new IllegalStateException(
          "the "
              + EVENTS_CHANNEL
              + " channel is not open"
              + (ended.isDone() ? ": the call has ended (" + ended.join().message() + ")" : ""));
    }
    c.send(json);
    eventsSent.incrementAndGet();
  }

  /** Flushes the playout and mutes what still arrives of the cut-off answer (any thread). */
  private void bargeIn() {
    bargeIns.incrementAndGet();
    bargeInNanos = NanoClock.SYSTEM.nanoTime();
    muteAfterBargeIn = true;
    if (player != null) {
      player.flush();
      config.output.flush();
    }
  }

  /** One received packet (loop thread): into the jitter buffer unless it is of a cut-off answer. */
  private void onAudioPacket(ByteBuffer payload, long rtpTimestamp, int sequence, long arrival) {
    if (muteAfterBargeIn) {
      if (arrival - bargeInNanos < BARGE_IN_DRAIN_NANOS) {
        droppedAfterBargeIn.incrementAndGet();
        return;
      }
      muteAfterBargeIn = false;
    }
    if (player != null) {
      player.push(payload, rtpTimestamp, sequence, arrival);
    }
  }

  /** After the conversation and the listener have had the event (loop thread). */
  private void afterEvent(RealtimeEvent event) {
    if (event instanceof RealtimeEvent.ResponseCreated
        || event instanceof RealtimeEvent.OutputAudioBufferStarted) {
      muteAfterBargeIn = false; // a new answer: its audio plays
    } else if (event instanceof RealtimeEvent.SessionCreated s) {
      sessionId = s.sessionId();
      expiresAt = expiresAt(s.json());
    } else if (event instanceof RealtimeEvent.ErrorEvent e && SESSION_EXPIRED.equals(e.code())) {
      String why = e.message() == null ? "the session expired" : e.message();
      end(
          EndReason.SESSION_EXPIRED,
          "the session reached the Realtime API's time limit: "
              + why
              + " (start a new session to go on)");
      pc.close();
    }
  }

  private static Instant expiresAt(String json) {
    try {
      Object v = Json.object(Json.parseObject(json), "session").get("expires_at");
      return v instanceof Number n && n.longValue() > 0
          ? Instant.ofEpochSecond(n.longValue())
          : null;
    } catch (RuntimeException e) { // JsonException among them: no expiry stated
      return null;
    }
  }

  /** The connection's state (loop thread). */
  private void onState(PeerConnectionState s) {
    try {
      config.onState.accept(s);
    } catch (RuntimeException e) {
      listenerFailures.incrementAndGet();
      LOG.log(System.Logger.Level.WARNING, "the connection state listener threw: " + e, e);
    }
    switch (s) {
      case COMPLETED -> settled.complete(s);
      case FAILED, CLOSED -> {
        if (settled.complete(s)) {
          return; // before the call was up: connect() reports it
        }
        if (s == PeerConnectionState.FAILED) {
          String why = pc.failureReason();
          end(
              EndReason.CONNECTION_FAILED,
              "the connection failed during the call"
                  + (why == null ? " (consent lost: the network went away)" : ": " + why));
        } else {
          end(EndReason.REMOTE_CLOSED, "the server ended the call");
        }
      }
      default -> {}
    }
  }

  private void end(EndReason reason, String message) {
    if (ended.isDone()) {
      return;
    }
    sending = false;
    ended.complete(new Ended(reason, message));
  }

  /** Stops and releases everything, in order; safe to run more than once, never throws. */
  private void teardown() {
    closed.set(true);
    sending = false;
    Thread s = sender;
    if (s != null) {
      s.interrupt(); // it may still wait for the connection
      join(s);
    }
    if (player != null) {
      player.close();
      join(playout);
    }
    try {
      loop.submit(() -> closeConnection(pc)).get(CONTROL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      pc.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      pc.close();
    }
    if (ownsLoop) {
      loop.close();
    }
    if (config.input != null) {
      try {
        config.input.close();
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "closing the audio input failed: " + oneLine(e));
      }
    }
    if (config.output != null) {
      try {
        config.output.close();
      } catch (IOException | RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "closing the audio output failed: " + oneLine(e));
      }
    }
  }

  private static Void closeConnection(PeerConnection c) {
    c.close();
    return null;
  }

  private static void join(Thread t) {
    if (t == null || t == Thread.currentThread()) {
      return;
    }
    try {
      t.join(CONTROL_TIMEOUT_SECONDS * 1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ------------------------------------------------------------------ sending

  private void startSender() {
    if (config.input == null) {
      return;
    }
    Thread t = new Thread(this::sendLoop, "realtime-sender");
    t.setDaemon(true);
    sender = t;
    t.start();
  }

  /**
   * The sender: warms the Opus encoder up while the call is set up (so the JIT does not stall the
   * first seconds), waits for the connection, then sends one 20 ms frame every 20 ms.
   */
  private void sendLoop() {
    OpusConfig opus =
        OpusConfig.builder()
            .sampleRate(48_000)
            .channels(1)
            .frameDurationMillis(20)
            .bitrateBps(config.bitrateBps)
            .build();
    short[] pcm = new short[AudioInput.FRAME_SAMPLES];
    short[] silence = new short[AudioInput.FRAME_SAMPLES];
    byte[] out = new byte[MAX_OPUS_FRAME];
    OpusEncoder warmUp = new OpusEncoder(opus);
    long seed = 1;
    for (int i = 0; i < WARM_UP_FRAMES && sending && !settled.isDone(); i++) {
      for (int k = 0; k < pcm.length; k++) {
        seed = seed * 6364136223846793005L + 1442695040888963407L;
        pcm[k] = (short) (seed >>> 52);
      }
      warmUp.encode(pcm, 0, out, 0, out.length);
    }
    try {
      if (settled.get() != PeerConnectionState.COMPLETED) {
        return;
      }
    } catch (ExecutionException e) {
      return;
    } catch (InterruptedException e) {
      return; // closed before the call was up
    }
    OpusEncoder encoder = new OpusEncoder(opus);
    AudioInput input = config.input;
    boolean inputOpen = true;
    FramePacer pacer = null; // the clock's schedule, once the input does not keep time itself
    for (long i = 0; sending; i++) {
      short[] frame = silence;
      if (inputOpen) {
        try {
          inputOpen = input.read(pcm);
        } catch (RuntimeException e) {
          inputFailure = e;
          inputOpen = false;
          LOG.log(System.Logger.Level.WARNING, "audio input failed, sending silence: " + e);
        }
        if (inputOpen) {
          if (config.halfDuplex && conversation.assistantSpeaking()) {
            framesMuted.incrementAndGet();
          } else {
            frame = pcm;
          }
        }
      }
      int n = encoder.encode(frame, 0, out, 0, out.length);
      if (n > 0 && pc.sendAudio(out, 0, n)) {
        framesSent.incrementAndGet();
      }
      if (inputOpen && input.paced()) {
        continue; // the device keeps time
      }
      if (pacer == null) {
        pacer = new FramePacer(FRAME_NANOS, NanoClock.SYSTEM.nanoTime() - i * FRAME_NANOS);
      }
      long deadline = pacer.deadlineNanos(i, NanoClock.SYSTEM.nanoTime());
      for (long left; sending && (left = deadline - NanoClock.SYSTEM.nanoTime()) > 0; ) {
        LockSupport.parkNanos(left);
      }
    }
  }

  // ------------------------------------------------------------------ guards

  private RealtimeConversation.Tools guardedTools(RealtimeConversation.Tools tools) {
    if (tools == null) {
      return (name, arguments, id) ->
          CompletableFuture.failedFuture(
              new IllegalStateException(
                  "this client has no tools: set them with RealtimeSession.builder().tools(...)"));
    }
    return (name, arguments, id) -> {
      try {
        return tools.call(name, arguments, id);
      } catch (RuntimeException e) {
        listenerFailures.incrementAndGet();
        throw e; // answered to the model as the tool's error
      }
    };
  }

  /** The application's listener, whose exceptions are logged and counted, not thrown. */
  private final class Guarded implements RealtimeListener {
    private final RealtimeListener app;

    Guarded(RealtimeListener app) {
      this.app = app;
    }

    private void guard(Runnable call) {
      try {
        call.run();
      } catch (RuntimeException e) {
        listenerFailures.incrementAndGet();
        LOG.log(System.Logger.Level.WARNING, "the Realtime listener threw: " + e, e);
      }
    }

    @Override
    public void onEvent(RealtimeEvent event) {
      guard(() -> app.onEvent(event));
    }

    @Override
    public void onSession(String sessionId, SessionConfig session, boolean created) {
      guard(() -> app.onSession(sessionId, session, created));
    }

    @Override
    public void onSpeechStarted(String itemId, long audioStartMillis) {
      guard(() -> app.onSpeechStarted(itemId, audioStartMillis));
    }

    @Override
    public void onSpeechStopped(String itemId, long audioEndMillis) {
      guard(() -> app.onSpeechStopped(itemId, audioEndMillis));
    }

    @Override
    public void onUserTranscript(String itemId, String text, boolean isFinal) {
      guard(() -> app.onUserTranscript(itemId, text, isFinal));
    }

    @Override
    public void onAssistantTranscript(String itemId, String text, boolean isFinal) {
      guard(() -> app.onAssistantTranscript(itemId, text, isFinal));
    }

    @Override
    public void onAssistantText(String itemId, String text, boolean isFinal) {
      guard(() -> app.onAssistantText(itemId, text, isFinal));
    }

    @Override
    public void onFunctionCall(String callId, String name, String argumentsJson, String itemId) {
      guard(() -> app.onFunctionCall(callId, name, argumentsJson, itemId));
    }

    @Override
    public void onResponseDone(String responseId, String status, Usage usage) {
      guard(() -> app.onResponseDone(responseId, status, usage));
    }

    @Override
    public void onRateLimits(List<RateLimit> rateLimits) {
      guard(() -> app.onRateLimits(rateLimits));
    }

    @Override
    public void onError(RealtimeEvent.ErrorEvent error) {
      guard(() -> app.onError(error));
    }

    @Override
    public void onUnknown(String type, String json) {
      guard(() -> app.onUnknown(type, json));
    }

    @Override
    public void onMalformed(String json, String reason) {
      guard(() -> app.onMalformed(json, reason));
    }
  }

  /** The {@code oai-events} channel (loop thread). */
  private final class Events implements DataChannelListener {
    @Override
    public void onOpen(DataChannel c) {
      if (!EVENTS_CHANNEL.equals(c.label())) {
        return;
      }
      channel = c;
      if (signaling == Signaling.EPHEMERAL_KEY && config.sessionStated) {
        // The key's creator set the session; what this client states goes as an update.
        update(config.session);
      }
      channelOpen.complete(c);
    }

    @Override
    public void onMessage(DataChannel c, ByteBuffer message, boolean binary) {
      eventsReceived.incrementAndGet();
      byte[] b = new byte[message.remaining()];
      message.get(message.position(), b);
      RealtimeEvent event;
      try {
        event = conversation.onMessage(new String(b, StandardCharsets.UTF_8));
      } catch (RuntimeException e) {
        listenerFailures.incrementAndGet(); // onBargeIn or a send failed: logged, not thrown
        LOG.log(System.Logger.Level.WARNING, "handling a Realtime event failed: " + e, e);
        return;
      }
      afterEvent(event);
    }

    @Override
    public void onClose(DataChannel c) {
      if (c == channel && settled.isDone()) {
        end(EndReason.REMOTE_CLOSED, "the server closed the " + EVENTS_CHANNEL + " channel");
      }
    }
  }

  private static String oneLine(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return m.replace('\r', ' ').replace('\n', ' ');
  }

  /** Builds and connects a {@link RealtimeSession}; not thread-safe. */
  public static final class Builder {
    private String apiKey;
    private String ephemeralKey;
    private boolean unified;
    private String callsUrl = OpenAiRealtimeClient.DEFAULT_CALLS_URL;
    private String model = DEFAULT_MODEL;
    private SessionConfig session = SessionConfig.builder().build();
    private boolean sessionStated;
    private RealtimeListener listener = new RealtimeListener() {};
    private RealtimeConversation.Tools tools;
    private AudioInput input;
    private AudioOutput output;
    private boolean halfDuplex;
    private int bitrateBps = 32_000;
    private JitterBuffer.Config jitterBuffer = JitterBuffer.Config.defaults();
    private Consumer<PeerConfiguration.Builder> peer = b -> {};
    private Consumer<PeerConnectionState> onState = s -> {};
    private PeerLoop loop;
    private Duration timeout = Duration.ofSeconds(20);

    private Builder() {}

    /**
     * The standard API key (e.g. from {@code OPENAI_API_KEY}): the session creates an ephemeral key
     * with it, and {@link #hangup()} uses it. For a server-side program; a client app gets an
     * ephemeral key from its server instead ({@link #ephemeralKey}).
     */
    public Builder apiKey(String apiKey) {
      this.apiKey = requireKey(apiKey, "apiKey");
      return this;
    }

    /**
     * An ephemeral key ({@code ek_...}) that your server created with {@code POST
     * /v1/realtime/client_secrets}: the offer is authorised with it, and the {@link #session}
     * settings (if any) go as {@code session.update} once the events channel opens.
     */
    public Builder ephemeralKey(String ephemeralKey) {
      this.ephemeralKey = requireKey(ephemeralKey, "ephemeralKey");
      return this;
    }

    /**
     * With the standard key: offer and session configuration in one multipart request ({@code POST
     * /v1/realtime/calls}, fields {@code sdp} and {@code session}) instead of an ephemeral key
     * first. One request fewer; the standard key then travels with the offer.
     */
    public Builder unifiedForm(boolean unified) {
      this.unified = unified;
      return this;
    }

    /**
     * The calls endpoint (default {@link OpenAiRealtimeClient#DEFAULT_CALLS_URL}); a local
     * stand-in's in tests ({@code http://127.0.0.1:port/v1/realtime/calls}).
     *
     * @throws IllegalArgumentException if it is not an http(s) URL ending in {@code /calls}
     */
    public Builder callsUrl(String callsUrl) {
      OpenAiRealtimeClient.builder().callsUrl(callsUrl); // checks it now, where the mistake is
      this.callsUrl = callsUrl;
      return this;
    }

    /** The model (default {@link #DEFAULT_MODEL}), sent with the session configuration. */
    public Builder model(String model) {
      if (model == null || model.isBlank()) {
        throw new IllegalArgumentException("model must be a model name, e.g. " + DEFAULT_MODEL);
      }
      this.model = model;
      return this;
    }

    /** The session's settings: instructions, voice, turn detection, tools, transcription. */
    public Builder session(SessionConfig session) {
      this.session = Objects.requireNonNull(session, "session");
      this.sessionStated = true;
      return this;
    }

    /** Gets the server's events (on the loop thread). */
    public Builder listener(RealtimeListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Answers the model's function calls (declare them in {@link #session}): the result goes back
     * as {@code function_call_output} and the model goes on ({@code response.create}); a failing
     * tool's error goes back as its output. Runs on the loop thread: return a stage and do slow
     * work elsewhere.
     */
    public Builder tools(RealtimeConversation.Tools tools) {
      this.tools = Objects.requireNonNull(tools, "tools");
      return this;
    }

    /** The user's voice (e.g. {@link AudioInput#microphone()}); without it no audio is sent. */
    public Builder audioInput(AudioInput input) {
      this.input = Objects.requireNonNull(input, "input");
      return this;
    }

    /** Where the assistant's voice plays (e.g. {@link AudioOutput#speaker()}); else dropped. */
    public Builder audioOutput(AudioOutput output) {
      this.output = Objects.requireNonNull(output, "output");
      return this;
    }

    /**
     * Mutes the input while the assistant speaks (silence is sent instead), for machines without
     * echo cancellation: otherwise the assistant hears itself through the microphone and stops. The
     * user can then interrupt only with {@link #interrupt()}. Default off.
     */
    public Builder halfDuplex(boolean halfDuplex) {
      this.halfDuplex = halfDuplex;
      return this;
    }

    /** The Opus bitrate of the user's audio, 6000 to 510000 bit/s (default 32000). */
    public Builder bitrateBps(int bitrateBps) {
      if (bitrateBps < 6_000 || bitrateBps > 510_000) {
        throw new IllegalArgumentException(
            "bitrateBps must be 6000 to 510000 (Opus), got " + bitrateBps);
      }
      this.bitrateBps = bitrateBps;
      return this;
    }

    /**
     * The playout's jitter buffer (default {@link JitterBuffer.Config#defaults()}: 48 kHz mono).
     */
    public Builder jitterBuffer(JitterBuffer.Config config) {
      Objects.requireNonNull(config, "config");
      if (config.sampleRate() != 48_000 || config.channels() != 1) {
        throw new IllegalArgumentException(
            "the jitter buffer must be 48 kHz mono (the call's Opus), got "
                + config.sampleRate()
                + " Hz, "
                + config.channels()
                + " channel(s)");
      }
      this.jitterBuffer = config;
      return this;
    }

    /**
     * Adjusts the connection's configuration (bind address, ICE servers, ICE-TCP, logging) before
     * it is built. Opus, the string data channel and the received-audio callback are the session's:
     * {@code onAudioPacket} set here is replaced.
     */
    public Builder peer(Consumer<PeerConfiguration.Builder> peer) {
      this.peer = Objects.requireNonNull(peer, "peer");
      return this;
    }

    /**
     * Gets each state of the connection (NEW, CHECKING, CONNECTED, COMPLETED, then FAILED or
     * CLOSED) on the loop thread, e.g. to show "connecting...". How a call ended is {@link
     * #ended()}'s.
     */
    public Builder onConnectionState(Consumer<PeerConnectionState> listener) {
      this.onState = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Runs the connection on {@code loop}, shared with other calls (a server holding many); it
     * stays the caller's to close. Default: a loop of the session's own.
     */
    public Builder loop(PeerLoop loop) {
      this.loop = Objects.requireNonNull(loop, "loop");
      return this;
    }

    /** How long each HTTP request, and then connecting, may take (default 20 s). */
    public Builder timeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive, got " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /**
     * Sets up the call and returns once it is connected and {@code oai-events} is open.
     *
     * @throws IllegalStateException if no key or both keys are set
     * @throws RealtimeException if the server refused (its status, code and message; never the key)
     *     or the connection could not be made (why, and what to check)
     */
    public RealtimeSession connect() throws InterruptedException {
      Signaling s = signaling();
      RealtimeSession session = new RealtimeSession(this, s);
      session.connect();
      return session;
    }

    private Signaling signaling() {
      if (apiKey == null && ephemeralKey == null) {
        throw new IllegalStateException(
            "no key: set apiKey(...) (the standard key, e.g. from OPENAI_API_KEY) or"
                + " ephemeralKey(...) (one your server created)");
      }
      if (apiKey != null && ephemeralKey != null) {
        throw new IllegalStateException(
            "set apiKey(...) or ephemeralKey(...), not both: with the standard key the session"
                + " creates its own ephemeral key");
      }
      if (ephemeralKey != null) {
        if (unified) {
          throw new IllegalStateException(
              "unifiedForm(true) needs the standard key (apiKey(...)), not an ephemeral key");
        }
        return Signaling.EPHEMERAL_KEY;
      }
      return unified ? Signaling.UNIFIED : Signaling.CLIENT_SECRET;
    }

    private static String requireKey(String key, String what) {
      if (key == null || key.isBlank()) {
        throw new IllegalArgumentException(what + " is empty: pass the key itself");
      }
      return key.strip();
    }

    /** Which key is set (never the key), and the endpoint. */
    @Override
    public String toString() {
      return "RealtimeSession.Builder[callsUrl="
          + callsUrl
          + ", key="
          + (apiKey != null ? "standard" : ephemeralKey != null ? "ephemeral" : "none")
          + "]";
    }
  }
}
