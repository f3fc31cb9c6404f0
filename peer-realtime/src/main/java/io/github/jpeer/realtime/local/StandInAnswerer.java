package io.github.jpeer.realtime.local;

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
import io.github.jpeer.media.OpusEncoder;
import io.github.jpeer.signaling.internal.Json;
import io.github.jpeer.signaling.internal.JsonException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The stand-in's media side: a jpeer answerer per call that plays the model's part, scriptable by
 * tests. Build one with {@link #builder()} and hand it to {@link LocalRealtimeServer#start}.
 *
 * <p><b>Audio.</b> While a response is speaking, the call sends the stand-in's own voice: a 440 Hz
 * tone at -12 dBFS (RMS), 48 kHz mono, encoded to Opus in 20 ms frames (one encoder per call), for
 * {@link Builder#replyMillis} per response. Otherwise, with {@link Builder#echo} on (the default),
 * every Opus frame received is sent straight back (no need to decode and re-encode); while a
 * response speaks, nothing is echoed. With echo off, the responses' audio is all that is ever sent.
 *
 * <p><b>Events</b> on {@code oai-events}, in the GA shape, each with a {@code type} and an {@code
 * event_id} unique within the answerer:
 *
 * <ul>
 *   <li>on open: {@code session.created};
 *   <li>{@code session.update}: {@code session.updated} with the session as sent plus its id; the
 *       session's function tools are remembered;
 *   <li>{@code response.create}: with function tools declared and no function call made yet in this
 *       call, a function call to the first tool with {@link Builder#functionArguments} ({@code
 *       response.created}, {@code conversation.item.added}, two {@code
 *       response.function_call_arguments.delta}, {@code .done}, {@code response.done}; no audio);
 *       otherwise a spoken response: {@code response.created}, {@code output_audio_buffer.started},
 *       the audio with one {@code response.output_audio_transcript.delta} per word spread over it,
 *       {@code .done}, {@code output_audio_buffer.stopped}, {@code response.done}. Its text is
 *       {@link #REPLY}, or {@link #TOOL_REPLY_PREFIX} and the output when the last item the client
 *       created before it was a {@code function_call_output}. While a response speaks, another
 *       {@code response.create} is an {@code error} ({@code
 *       conversation_already_has_active_response}), as with the service;
 *   <li>{@code conversation.item.create}: {@code conversation.item.added} with the item and an id;
 *       a {@code function_call_output} is recorded ({@link #functionOutput});
 *   <li>{@code response.cancel} while a response speaks: its audio stops at once, {@code
 *       response.done} ({@code cancelled}, reason {@code client_cancelled}), then {@code
 *       output_audio_buffer.stopped} (the buffer ran dry at once); with nothing to cancel, the
 *       service's {@code error} ({@code response_cancel_not_active});
 *   <li>{@code output_audio_buffer.clear}: the audio stops at once ({@code response.done} {@code
 *       cancelled} first if a response was speaking), then {@code output_audio_buffer.cleared};
 *   <li>{@code input_audio_buffer.commit} and {@code .clear}: {@code .committed} and {@code
 *       .cleared};
 *   <li>anything else, or text that is not JSON: an {@code error} event ({@code unknown_event},
 *       {@code invalid_json});
 *   <li>once {@link Builder#sessionMaxDuration} has passed since the channel opened: an {@code
 *       error} ({@code session_expired}) and the call's connection is closed, as the service ends a
 *       session at its maximum duration.
 * </ul>
 *
 * <p><b>Threads.</b> Every call's connection runs on one shared {@link PeerLoop}, and so does all
 * per-call state: callbacks, events, the test hooks (which hand their work to the loop and wait for
 * it, at most 10 s) and the audio. One daemon timer thread, {@code openai-standin-pacer}, ticks
 * every 20 ms while some call speaks and hands the loop a tick; the tick encodes and sends every
 * frame due by then, each due at the response's start plus 20 ms per frame (so the pace does not
 * drift; after a stall at most 3 late frames go out at once, older ones are skipped). Encoding on
 * the loop thread rather than the timer's keeps a cut exact: once a cancel has run, no frame of
 * that response is sent. The timer also ends sessions at their maximum duration. Every public
 * method may be called from any thread, including the loop's (from a callback).
 *
 * <p>{@link #close()} ends every call and both threads.
 */
public final class StandInAnswerer implements LocalRealtimeServer.Answerer, AutoCloseable {
  /** What the stand-in "says", word by word, in a spoken response. */
  public static final String REPLY =
      "Hello from the jpeer stand-in! I hear you, and I am sending your voice back.";

  /**
   * How a spoken response after a {@code function_call_output} begins; the output follows, as in
   * {@code "The tool answered: {\"temp\":21}"}.
   */
  public static final String TOOL_REPLY_PREFIX = "The tool answered: ";

  /** The label of the events channel, which the client opens. */
  static final String EVENTS_LABEL = "oai-events";

  /** One Opus frame: 20 ms. */
  static final long FRAME_NANOS = 20_000_000L;

  /** Samples in one 20 ms frame at 48 kHz, mono. */
  static final int SAMPLES_PER_FRAME = 960;

  /** The tone's frequency. 440 Hz makes 44 whole cycles in 5 frames: the table loops cleanly. */
  static final int TONE_HZ = 440;

  /** The tone's level, RMS. */
  static final double TONE_DBFS = -12.0;

  private static final int TONE_PERIOD_FRAMES = 5;
  private static final long RATE_LIMIT_REQUESTS = 1_000;
  private static final long RATE_LIMIT_TOKENS = 100_000;
  private static final short[] TONE = tone();

  /** Most frames a tick sends to catch up after a stall; older ones are skipped. */
  static final int MAX_CATCH_UP_FRAMES = 3;

  /** How long a test hook waits for the loop thread to run it. */
  static final long HOOK_TIMEOUT_SECONDS = 10;

  private static final long ANSWER_TIMEOUT_SECONDS = 10;
  private static final int MAX_CALLS = 1_000;
  private static final int MAX_RECORDED = 10_000;
  private static final int MAX_REPLY_MILLIS = 600_000;
  private static final Duration MAX_SESSION = Duration.ofDays(1);

  private final boolean loopbackOnly;
  private final boolean tcpOnly;
  private final boolean echo;
  private final int replyMillis;
  private final String functionArguments;
  private final Duration sessionMaxDuration;

  private final PeerLoop loop;
  private final Thread loopThread;
  private final ScheduledExecutorService pacer;
  private final AtomicBoolean tickQueued = new AtomicBoolean();
  private final List<String> callIds = new CopyOnWriteArrayList<>();
  private final CompletableFuture<Call> firstCall = new CompletableFuture<>();
  private final AtomicLong echoedFrames = new AtomicLong();
  private final AtomicLong eventsReceived = new AtomicLong();
  private final AtomicBoolean closed = new AtomicBoolean();

  /** Whether some call speaks: the pacer hands the loop ticks only then. Written on the loop. */
  private volatile boolean anySpeaking;

  // Loop thread only.
  private final Map<String, Call> calls = new HashMap<>();
  private final Map<String, String> functionOutputs = new HashMap<>();
  private long eventCounter;
  private long itemCounter;
  private long responseCounter;
  private long functionCallCounter;

  private StandInAnswerer(Builder b) {
    this.loopbackOnly = b.loopbackOnly;
    this.tcpOnly = b.tcpOnly;
    this.echo = b.echo;
    this.replyMillis = b.replyMillis;
    this.functionArguments = b.functionArguments;
    this.sessionMaxDuration = b.sessionMaxDuration;
    this.loop = PeerLoop.start("openai-standin");
    Callable<Thread> whoRuns = Thread::currentThread;
    try {
      this.loopThread = loop.submit(whoRuns).get(ANSWER_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      loop.close();
      throw new IllegalStateException("the stand-in's PeerLoop did not start: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      loop.close();
      throw new IllegalStateException("interrupted while starting the stand-in", e);
    }
    this.pacer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "openai-standin-pacer");
              t.setDaemon(true);
              return t;
            });
    pacer.scheduleAtFixedRate(this::pace, FRAME_NANOS, FRAME_NANOS, TimeUnit.NANOSECONDS);
  }

  /** A builder with the defaults listed on its methods. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Keeps the passive TCP candidates of {@code sdp} and drops every other candidate line: the shape
   * of api.openai.com's answer once a network that blocks UDP has had its say ({@code ... tcp ...
   * 443 typ host tcptype passive}).
   *
   * @param sdp an SDP with CRLF line ends
   * @return the same SDP with only its passive TCP candidates
   */
  public static String passiveTcpOnly(String sdp) {
    StringBuilder sb = new StringBuilder(sdp.length());
    for (String line : sdp.split("\r\n")) {
      if (!line.startsWith("a=candidate:") || line.contains(" tcptype passive")) {
        sb.append(line).append("\r\n");
      }
    }
    return sb.toString();
  }

  /** Audio frames echoed back so far, over all calls. Any thread. */
  public long echoedFrames() {
    return echoedFrames.get();
  }

  /** Data channel messages received so far, over all calls. Any thread. */
  public long eventsReceived() {
    return eventsReceived.get();
  }

  /**
   * Answers {@code offerSdp} with a new connection on the shared loop. Runs on the caller's thread
   * (an HTTP server thread) until the answer is complete, at most 10 s.
   *
   * @throws IllegalArgumentException if the offer is unusable, or {@code callId} already used
   * @throws IllegalStateException if the answerer is closed, has 1000 calls, or the connection did
   *     not gather its candidates in time
   */
  @Override
  public String answer(String callId, String offerSdp) {
    return answer(callId, offerSdp, Map.of());
  }

  /**
   * As {@link #answer(String, String)}, the call starting with {@code session}'s function tools
   * (those of its ephemeral key, or of the unified form), as the Realtime API starts it.
   */
  @Override
  public String answer(String callId, String offerSdp, Map<String, Object> session) {
    Objects.requireNonNull(callId, "callId");
    Objects.requireNonNull(offerSdp, "offerSdp");
    Objects.requireNonNull(session, "session");
    if (closed.get()) {
      throw new IllegalStateException("this StandInAnswerer is closed: build a new one");
    }
    Call call = new Call(callId);
    call.tools = functionTools(session.get("tools"));
    PeerConfiguration.Builder b =
        PeerConfiguration.builder()
            .audioCodec(MediaCodec.OPUS)
            .dataChannel(DataChannelType.STRING)
            .loggerName("io.github.jpeer.realtime.local.standin")
            .onAudioTrack(call::onAudioFrame);
    if (loopbackOnly) {
      b.bindAddress(InetAddress.getLoopbackAddress()).includeLoopback(true);
    }
    if (tcpOnly) {
      b.iceUdp(false);
    }
    PeerConnection pc = PeerConnection.create(b.build());
    call.pc = pc;
    pc.onDataChannel(call);
    pc.onIceConnectionStateChange(call::onState);
    CompletableFuture<String> complete = new CompletableFuture<>();
    pc.onIceCandidate(complete::complete);
    try {
      // Not yet in the loop, so this thread may make the calls; the loop owns it afterwards.
      pc.setRemoteDescription(offerSdp, SdpType.OFFER);
      pc.createAnswer();
    } catch (RuntimeException e) {
      // The offer's fault (bad SDP, nothing WebRTC can use): the HTTP side answers 400.
      pc.close();
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    try {
      onLoop(
          () -> {
            if (calls.containsKey(callId)) {
              throw new IllegalArgumentException("call id " + callId + " is already in use");
            }
            if (calls.size() >= MAX_CALLS) {
              throw new IllegalStateException(
                  "the stand-in holds " + MAX_CALLS + " calls already: close it, build a new one");
            }
            calls.put(callId, call);
            return null;
          });
    } catch (RuntimeException e) {
      pc.close();
      throw e;
    }
    callIds.add(callId);
    try {
      loop.add(pc).get(ANSWER_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      firstCall.complete(call);
      // Host candidates only: gathering is over at once and the answer is complete.
      String answer = complete.get(ANSWER_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      return tcpOnly ? passiveTcpOnly(answer) : answer;
    } catch (ExecutionException | TimeoutException e) {
      pc.close();
      throw new IllegalStateException("no answer from the stand-in peer: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      pc.close();
      throw new IllegalStateException("interrupted while answering", e);
    }
  }

  /**
   * Ends the call from the server's side (the hang-up endpoint, or a test): closes its connection
   * at once, and records that it was hung up ({@link #hungUp}).
   *
   * @return false for an unknown call, or one already closed or failed
   */
  @Override
  public boolean hangup(String callId) {
    return onLoop(
        () -> {
          Call c = calls.get(callId);
          if (c == null || c.ended) {
            return false;
          }
          c.hungUp = true;
          c.end();
          return true;
        });
  }

  /** Whether {@link #hangup} ended the call {@code callId}; false for an unknown call. */
  public boolean hungUp(String callId) {
    return onLoop(
        () -> {
          Call c = calls.get(callId);
          return c != null && c.hungUp;
        });
  }

  /** The ids of the calls answered so far, in order. Any thread. */
  public List<String> callIds() {
    return List.copyOf(callIds);
  }

  /**
   * The first call's id, once its {@code oai-events} channel is open (the point from which the
   * hooks can act on it).
   *
   * @param timeout how long to wait for a call and its channel
   * @throws IllegalStateException if none is open within {@code timeout}, or on interruption
   */
  public String awaitCall(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      Call c = firstCall.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      c.opened.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      return c.callId;
    } catch (TimeoutException | ExecutionException e) {
      throw new IllegalStateException(
          "no call with an open "
              + EVENTS_LABEL
              + " channel within "
              + timeout
              + " (calls "
              + callIds
              + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a call", e);
    }
  }

  /**
   * Sends {@code json} as it is down the call's {@code oai-events} channel: a server event the
   * stand-in does not make itself (an unknown or future type, an error, a rate limit).
   *
   * @throws IllegalArgumentException for an unknown call
   * @throws IllegalStateException if the call's channel is not open
   */
  public void sendEvent(String callId, String json) {
    Objects.requireNonNull(json, "json");
    onLoop(
        () -> {
          call(callId).requireOpen().channel.send(json);
          return null;
        });
  }

  /**
   * The server's voice activity detection hears the user start to speak: {@code
   * input_audio_buffer.speech_started} at once. A response that is speaking goes on for {@code
   * reactionMillis} (the service's reaction time, with its audio already on the way), then stops:
   * {@code response.done} ({@code cancelled}, reason {@code turn_detected}), then {@code
   * output_audio_buffer.cleared}.
   *
   * @param reactionMillis 0 to 60000
   * @throws IllegalArgumentException for an unknown call or a reaction out of range
   * @throws IllegalStateException if the call's channel is not open
   */
  public void userSpeaks(String callId, int reactionMillis) {
    if (reactionMillis < 0 || reactionMillis > 60_000) {
      throw new IllegalArgumentException(
          "reactionMillis " + reactionMillis + " is out of range; use 0 to 60000");
    }
    onLoop(
        () -> {
          call(callId).requireOpen().userSpeaks(reactionMillis);
          return null;
        });
  }

  /**
   * The user's turn ends and is transcribed: {@code input_audio_buffer.speech_stopped}, {@code
   * .committed}, {@code conversation.item.added} (the user's message), one {@code
   * conversation.item.input_audio_transcription.delta} per word of {@code transcript}, and {@code
   * .completed}, all for the item of the last {@link #userSpeaks} (or a new one). No response
   * follows by itself (as with {@code create_response: false}): send {@code response.create}.
   *
   * @throws IllegalArgumentException for an unknown call
   * @throws IllegalStateException if the call's channel is not open
   */
  public void userStopsSpeaking(String callId, String transcript) {
    Objects.requireNonNull(transcript, "transcript");
    onLoop(
        () -> {
          call(callId).requireOpen().userStopsSpeaking(transcript);
          return null;
        });
  }

  /**
   * The output of the client's {@code function_call_output} item for the function call {@code
   * callId} ({@code call_...}, the {@code call_id} of the call the stand-in made), or null if none
   * came. Over all calls; the last output wins.
   */
  public String functionOutput(String callId) {
    return onLoop(() -> functionOutputs.get(callId));
  }

  /**
   * Every message the client sent on the call's {@code oai-events} channel, as received, in order
   * (the first 10000).
   *
   * @throws IllegalArgumentException for an unknown call
   */
  public List<String> clientEvents(String callId) {
    return onLoop(() -> List.copyOf(call(callId).clientEvents));
  }

  /**
   * Whether a response of the call is speaking now.
   *
   * @throws IllegalArgumentException for an unknown call
   */
  public boolean speaking(String callId) {
    return onLoop(() -> call(callId).speech != null);
  }

  /**
   * Tone frames (the responses' audio) the call has sent so far; echoed frames are not counted.
   *
   * @throws IllegalArgumentException for an unknown call
   */
  public long audioFramesSent(String callId) {
    return onLoop(() -> call(callId).toneFramesSent);
  }

  /** Closes every call and stops the loop and timer threads. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    pacer.shutdownNow();
    try {
      onLoop(
          () -> {
            for (Call c : calls.values()) {
              c.end();
            }
            return null;
          });
    } catch (IllegalStateException e) {
      // The loop is gone already: closing it below closes what it still holds.
    }
    loop.close();
  }

  @Override
  public String toString() {
    return "StandInAnswerer[calls="
        + callIds.size()
        + ", echo="
        + echo
        + ", replyMillis="
        + replyMillis
        + ", sessionMaxDuration="
        + sessionMaxDuration
        + "]";
  }

  // ------------------------------------------------------------------ threads

  /** Runs {@code task} on the loop thread (at once if this is it) and returns its result. */
  private <T> T onLoop(Callable<T> task) {
    if (Thread.currentThread() == loopThread) {
      try {
        return task.call();
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException(e.getMessage(), e);
      }
    }
    try {
      return loop.submit(task).get(HOOK_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException("the stand-in's loop failed: " + e.getCause(), e);
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "the stand-in's loop did not answer within " + HOOK_TIMEOUT_SECONDS + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the stand-in's loop", e);
    }
  }

  /** The pacer's 20 ms tick: hands the loop one tick while some call speaks. Pacer thread. */
  private void pace() {
    if (anySpeaking && tickQueued.compareAndSet(false, true)) {
      // A failed future (the loop closed) needs nothing: the answerer is closing.
      loop.submit(this::tick);
    }
  }

  /** Sends what is due on every speaking call. Loop thread. */
  private void tick() {
    tickQueued.set(false);
    long now = System.nanoTime();
    boolean any = false;
    for (Call c : calls.values()) {
      c.advance(now);
      any |= c.speech != null;
    }
    anySpeaking = any;
  }

  /** Schedules {@code task} on the loop after {@code delayNanos}; null if the pacer is stopped. */
  private ScheduledFuture<?> later(long delayNanos, Runnable task) {
    try {
      return pacer.schedule(() -> loop.submit(task), delayNanos, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      return null; // closing
    }
  }

  private Call call(String callId) {
    Call c = calls.get(callId);
    if (c == null) {
      throw new IllegalArgumentException(
          "no call " + callId + "; the stand-in's calls are " + callIds);
    }
    return c;
  }

  // ------------------------------------------------------------------ helpers

  /** Five frames of the tone: 44 whole cycles, so frame {@code k} is at {@code (k % 5) * 960}. */
  private static short[] tone() {
    short[] pcm = new short[TONE_PERIOD_FRAMES * SAMPLES_PER_FRAME];
    // A sine's RMS is its amplitude over sqrt(2).
    double amplitude = 32768 * Math.pow(10, TONE_DBFS / 20) * Math.sqrt(2);
    for (int i = 0; i < pcm.length; i++) {
      pcm[i] = (short) Math.round(amplitude * Math.sin(2 * Math.PI * TONE_HZ * i / 48_000.0));
    }
    return pcm;
  }

  private static OpusConfig opusConfig() {
    // A tone needs no quality: low complexity keeps the loop thread's share of the work small.
    return OpusConfig.builder()
        .sampleRate(48_000)
        .channels(1)
        .frameDurationMillis(20)
        .complexity(2)
        .build();
  }

  /** {@code d} in the words of the service's message: whole minutes, else seconds. */
  static String durationText(Duration d) {
    long seconds = d.getSeconds();
    if (d.getNano() == 0 && seconds >= 60 && seconds % 60 == 0) {
      long minutes = seconds / 60;
      return minutes + (minutes == 1 ? " minute" : " minutes");
    }
    if (d.getNano() == 0) {
      return seconds + (seconds == 1 ? " second" : " seconds");
    }
    return BigDecimal.valueOf(d.toMillis(), 3).stripTrailingZeros().toPlainString() + " seconds";
  }

  private static String[] words(String text) {
    String t = text.strip();
    return t.isEmpty() ? new String[0] : t.split("\\s+");
  }

  /** The names of the function tools in a {@code session} object, in order. */
  private static List<String> functionTools(Object tools) {
    List<String> names = new ArrayList<>();
    if (tools instanceof List<?> list) {
      for (Object t : list) {
        if (t instanceof Map<?, ?> m
            && "function".equals(m.get("type"))
            && m.get("name") instanceof String name) {
          names.add(name);
        }
      }
    }
    return names;
  }

  private static Map<String, Object> parse(String text) {
    try {
      return Json.parseObject(text);
    } catch (JsonException e) {
      return null;
    }
  }

  private static <T> void record(List<T> list, T value) {
    if (list.size() < MAX_RECORDED) {
      list.add(value);
    }
  }

  /** A spoken response in progress. Loop thread only. */
  private static final class Speech {
    final String responseId;
    final String itemId;
    final String text;
    final String[] words;
    final long startNanos;
    final int frames;

    /** The next frame to send (frames before it were sent or skipped). */
    int framesDone;

    int wordsSent;

    /** When the audio stops short, or {@code MAX_VALUE}; with the reason and the event after. */
    long cutNanos = Long.MAX_VALUE;

    String cutReason;
    String cutEvent;

    Speech(String responseId, String itemId, String text, long startNanos, int frames) {
      this.responseId = responseId;
      this.itemId = itemId;
      this.text = text;
      this.words = words(text);
      this.startNanos = startNanos;
      this.frames = frames;
    }

    long endNanos() {
      return startNanos + frames * FRAME_NANOS;
    }

    /** Frames due by {@code t}: frame k is due at the start plus 20 ms times k. */
    int framesDueBy(long t) {
      return t < startNanos ? 0 : (int) Math.min(frames, (t - startNanos) / FRAME_NANOS + 1);
    }

    /** Words due by {@code t}: spread evenly over the audio. */
    int wordsDueBy(long t) {
      if (t < startNanos || words.length == 0) {
        return 0;
      }
      long span = endNanos() - startNanos;
      return (int) Math.min(words.length, (t - startNanos) * words.length / span + 1);
    }

    /** The words spoken so far, as one text. */
    String spoken() {
      return String.join(" ", Arrays.copyOf(words, wordsSent));
    }
  }

  /** One call: plays the model on {@code oai-events} and speaks or echoes. Loop thread only. */
  private final class Call implements DataChannelListener {
    final String callId;
    final String sessionId;
    final CompletableFuture<Void> opened = new CompletableFuture<>();
    final List<String> clientEvents = new ArrayList<>();
    final List<Map<String, Object>> items = new ArrayList<>();
    final byte[] packet = new byte[OpusEncoder.MAX_PACKET_BYTES];
    PeerConnection pc;
    DataChannel channel;
    long openedNanos;
    ScheduledFuture<?> expiry;
    OpusEncoder encoder;
    List<String> tools = List.of();
    boolean functionCallMade;
    String pendingToolOutput;
    String lastItemId;
    String userItemId;
    String lastResponseId;
    long toneFramesSent;
    long responsesDone;
    long tokensUsed;
    boolean hungUp;
    boolean ended;
    Speech speech;

    Call(String callId) {
      this.callId = callId;
      this.sessionId = "sess_" + (callId.startsWith("rtc_") ? callId.substring(4) : callId);
    }

    Call requireOpen() {
      if (ended || channel == null || !channel.isOpen()) {
        throw new IllegalStateException(
            "call "
                + callId
                + (ended ? " has ended" : " has no open " + EVENTS_LABEL + " channel yet")
                + ": wait with awaitCall");
      }
      return this;
    }

    // -------------------------------------------------------------- connection callbacks

    void onAudioFrame(ByteBuffer frame, long rtpTimestamp) {
      // sendAudio copies the frame: the buffer is only valid during this callback.
      if (echo && speech == null && !ended && pc.sendAudio(frame)) {
        echoedFrames.incrementAndGet();
      }
    }

    void onState(PeerConnectionState state) {
      if (state == PeerConnectionState.CLOSED || state == PeerConnectionState.FAILED) {
        ended = true;
        speech = null;
        if (expiry != null) {
          expiry.cancel(false);
        }
      }
    }

    @Override
    public void onOpen(DataChannel ch) {
      if (!EVENTS_LABEL.equals(ch.label()) || channel != null) {
        return;
      }
      channel = ch;
      openedNanos = System.nanoTime();
      Map<String, Object> session = new LinkedHashMap<>();
      session.put("id", sessionId);
      session.put("object", "realtime.session");
      session.put("type", "realtime");
      session.put("expires_at", expiresAt());
      Map<String, Object> e = event("session.created");
      e.put("session", session);
      send(e);
      expiry = later(sessionMaxDuration.toNanos(), this::expire);
      opened.complete(null);
    }

    @Override
    public void onMessage(DataChannel ch, ByteBuffer message, boolean binary) {
      if (!EVENTS_LABEL.equals(ch.label()) || ended) {
        return;
      }
      eventsReceived.incrementAndGet();
      byte[] b = new byte[message.remaining()];
      message.get(message.position(), b);
      String text = new String(b, StandardCharsets.UTF_8);
      record(clientEvents, text);
      Map<String, Object> event = parse(text);
      String type = event == null ? null : Json.string(event, "type");
      String clientEventId = event == null ? null : Json.string(event, "event_id");
      switch (type == null ? "" : type) {
        case "session.update" -> sessionUpdate(event, clientEventId);
        case "response.create" -> responseCreate(clientEventId);
        case "response.cancel" -> responseCancel(event, clientEventId);
        case "conversation.item.create" -> itemCreate(event, clientEventId);
        case "output_audio_buffer.clear" -> outputAudioBufferClear();
        case "input_audio_buffer.commit" -> {
          String itemId = nextItemId();
          Map<String, Object> e = event("input_audio_buffer.committed");
          e.put("previous_item_id", lastItemId);
          e.put("item_id", itemId);
          send(e);
        }
        case "input_audio_buffer.clear" -> send(event("input_audio_buffer.cleared"));
        default ->
            error(
                event == null ? "invalid_json" : "unknown_event",
                event == null
                    ? "The event is not a JSON object"
                    : "The stand-in does not handle '"
                        + (type == null ? "(no type)" : type)
                        + "' events",
                null,
                clientEventId);
      }
    }

    // -------------------------------------------------------------- client events

    private void sessionUpdate(Map<String, Object> event, String clientEventId) {
      if (!(event.get("session") instanceof Map<?, ?>)) {
        error(
            "missing_required_parameter",
            "Missing required parameter: 'session'.",
            "session",
            clientEventId);
        return;
      }
      Map<String, Object> s = Json.object(event, "session");
      if (s.containsKey("tools")) {
        // An update changes what it states only: without "tools" the tools stay.
        tools = functionTools(s.get("tools"));
      }
      Map<String, Object> session = new LinkedHashMap<>();
      session.put("id", sessionId);
      session.put("object", "realtime.session");
      for (Map.Entry<String, Object> f : s.entrySet()) {
        if (!f.getKey().equals("id")) {
          session.put(f.getKey(), f.getValue());
        }
      }
      Map<String, Object> e = event("session.updated");
      e.put("session", session);
      send(e);
    }

    private void responseCreate(String clientEventId) {
      if (speech != null) {
        error(
            "conversation_already_has_active_response",
            "Conversation already has an active response in progress: "
                + speech.responseId
                + ". Wait until the response is finished before creating a new one.",
            null,
            clientEventId);
        return;
      }
      String toolOutput = pendingToolOutput;
      pendingToolOutput = null;
      if (!tools.isEmpty() && !functionCallMade) {
        functionCall(tools.get(0));
      } else {
        speak(toolOutput == null ? REPLY : TOOL_REPLY_PREFIX + toolOutput);
      }
    }

    private void responseCancel(Map<String, Object> event, String clientEventId) {
      String responseId = Json.string(event, "response_id");
      if (speech != null && (responseId == null || responseId.equals(speech.responseId))) {
        // Our audio stops at once, so the output buffer runs dry at once too.
        cutNow(speech, "client_cancelled", "output_audio_buffer.stopped");
        return;
      }
      error(
          "response_cancel_not_active",
          "Cancellation failed: no active response found",
          null,
          clientEventId);
    }

    private void itemCreate(Map<String, Object> event, String clientEventId) {
      if (!(event.get("item") instanceof Map<?, ?>)) {
        error(
            "missing_required_parameter",
            "Missing required parameter: 'item'.",
            "item",
            clientEventId);
        return;
      }
      Map<String, Object> item = new LinkedHashMap<>(Json.object(event, "item"));
      String itemId = Json.string(item, "id");
      if (itemId == null) {
        itemId = nextItemId();
        item.put("id", itemId);
      }
      item.put("object", "realtime.item");
      item.putIfAbsent("status", "completed");
      if ("function_call_output".equals(Json.string(item, "type"))) {
        String functionCallId = Json.string(item, "call_id");
        String output = Json.string(item, "output");
        if (functionCallId != null
            && output != null
            && (functionOutputs.size() < MAX_RECORDED
                || functionOutputs.containsKey(functionCallId))) {
          functionOutputs.put(functionCallId, output);
        }
        pendingToolOutput = output;
      } else {
        pendingToolOutput = null;
      }
      record(items, item);
      Map<String, Object> e = event("conversation.item.added");
      e.put("previous_item_id", lastItemId);
      e.put("item", item);
      send(e);
      lastItemId = itemId;
    }

    private void outputAudioBufferClear() {
      if (speech != null) {
        cutNow(speech, "client_cancelled", "output_audio_buffer.cleared");
        return;
      }
      Map<String, Object> e = event("output_audio_buffer.cleared");
      e.put("response_id", lastResponseId);
      send(e);
    }

    // -------------------------------------------------------------- responses

    private void functionCall(String name) {
      functionCallMade = true;
      String responseId = nextResponseId();
      String itemId = nextItemId();
      String functionCallId = "call_" + (++functionCallCounter);
      send(responseCreated(responseId));
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("id", itemId);
      item.put("object", "realtime.item");
      item.put("type", "function_call");
      item.put("status", "in_progress");
      item.put("name", name);
      item.put("call_id", functionCallId);
      item.put("arguments", "");
      Map<String, Object> added = event("conversation.item.added");
      added.put("previous_item_id", lastItemId);
      added.put("item", new LinkedHashMap<>(item));
      send(added);
      lastItemId = itemId;
      int half = functionArguments.length() / 2;
      if (half > 0 && Character.isHighSurrogate(functionArguments.charAt(half - 1))) {
        half++; // never split a surrogate pair
      }
      for (String delta :
          new String[] {functionArguments.substring(0, half), functionArguments.substring(half)}) {
        Map<String, Object> d = functionEvent("response.function_call_arguments.delta", responseId);
        d.put("item_id", itemId);
        d.put("call_id", functionCallId);
        d.put("delta", delta);
        send(d);
      }
      Map<String, Object> done = functionEvent("response.function_call_arguments.done", responseId);
      done.put("item_id", itemId);
      done.put("call_id", functionCallId);
      done.put("name", name);
      done.put("arguments", functionArguments);
      send(done);
      item.put("status", "completed");
      item.put("arguments", functionArguments);
      record(items, item);
      send(responseDone(responseId, "completed", null, item, 5 + functionArguments.length() / 3));
      sendRateLimits();
    }

    private Map<String, Object> functionEvent(String type, String responseId) {
      Map<String, Object> e = event(type);
      e.put("response_id", responseId);
      e.put("output_index", 0);
      return e;
    }

    private void speak(String text) {
      String responseId = nextResponseId();
      String itemId = nextItemId();
      send(responseCreated(responseId));
      Map<String, Object> started = event("output_audio_buffer.started");
      started.put("response_id", responseId);
      send(started);
      if (encoder == null) {
        encoder = new OpusEncoder(opusConfig());
      }
      int frames = (int) ((replyMillis * 1_000_000L + FRAME_NANOS - 1) / FRAME_NANOS);
      long now = System.nanoTime();
      speech = new Speech(responseId, itemId, text, now, frames);
      lastItemId = itemId;
      anySpeaking = true;
      advance(now); // the first frame and word at once
    }

    /** Sends the audio and words of the speaking response due by {@code now}, and ends it. */
    void advance(long now) {
      Speech s = speech;
      if (s == null) {
        return;
      }
      if (ended) {
        speech = null;
        return;
      }
      // Only what was due before a cut goes out.
      long horizon = Math.min(now, s.cutNanos - 1);
      sendFrames(s, s.framesDueBy(horizon));
      sendWords(s, s.wordsDueBy(horizon));
      if (now >= s.cutNanos) {
        finishCut(s);
      } else if (s.framesDone >= s.frames && now >= s.endNanos()) {
        finishCompleted(s);
      }
    }

    private void sendFrames(Speech s, int due) {
      if (due - s.framesDone > MAX_CATCH_UP_FRAMES) {
        s.framesDone = due - MAX_CATCH_UP_FRAMES; // a stall: skip what is too late to matter
      }
      for (; s.framesDone < due; s.framesDone++) {
        int offset = (s.framesDone % TONE_PERIOD_FRAMES) * SAMPLES_PER_FRAME;
        int n = encoder.encode(TONE, offset, packet, 0, packet.length);
        if (n > 0 && pc.sendAudio(ByteBuffer.wrap(packet, 0, n))) {
          toneFramesSent++;
        }
      }
    }

    private void sendWords(Speech s, int due) {
      for (; s.wordsSent < due; s.wordsSent++) {
        Map<String, Object> delta = transcriptEvent("response.output_audio_transcript.delta", s);
        delta.put("delta", s.wordsSent == 0 ? s.words[0] : " " + s.words[s.wordsSent]);
        send(delta);
      }
    }

    private void finishCompleted(Speech s) {
      speech = null;
      sendWords(s, s.words.length);
      Map<String, Object> done = transcriptEvent("response.output_audio_transcript.done", s);
      done.put("transcript", s.text);
      send(done);
      Map<String, Object> stopped = event("output_audio_buffer.stopped");
      stopped.put("response_id", s.responseId);
      send(stopped);
      Map<String, Object> item = messageItem(s, "completed", s.text);
      record(items, item);
      send(responseDone(s.responseId, "completed", null, item, 2 * s.words.length + s.frames / 5));
      sendRateLimits();
    }

    /** Stops {@code s} now: no frame more. */
    private void cutNow(Speech s, String reason, String eventAfter) {
      s.cutNanos = System.nanoTime();
      s.cutReason = reason;
      s.cutEvent = eventAfter;
      finishCut(s);
    }

    private void finishCut(Speech s) {
      speech = null;
      Map<String, Object> item = messageItem(s, "incomplete", s.spoken());
      record(items, item);
      send(
          responseDone(
              s.responseId, "cancelled", s.cutReason, item, 2 * s.wordsSent + s.framesDone / 5));
      Map<String, Object> after = event(s.cutEvent);
      after.put("response_id", s.responseId);
      send(after);
    }

    private Map<String, Object> transcriptEvent(String type, Speech s) {
      Map<String, Object> e = event(type);
      e.put("response_id", s.responseId);
      e.put("item_id", s.itemId);
      e.put("output_index", 0);
      e.put("content_index", 0);
      return e;
    }

    private Map<String, Object> messageItem(Speech s, String status, String transcript) {
      Map<String, Object> content = new LinkedHashMap<>();
      content.put("type", "output_audio");
      content.put("transcript", transcript);
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("id", s.itemId);
      item.put("object", "realtime.item");
      item.put("type", "message");
      item.put("status", status);
      item.put("role", "assistant");
      item.put("content", List.of(content));
      return item;
    }

    private Map<String, Object> responseCreated(String responseId) {
      lastResponseId = responseId;
      Map<String, Object> response = new LinkedHashMap<>();
      response.put("id", responseId);
      response.put("object", "realtime.response");
      response.put("status", "in_progress");
      response.put("output", List.of());
      Map<String, Object> e = event("response.created");
      e.put("response", response);
      return e;
    }

    /** {@code rate_limits.updated}, as the API sends after each response it completes. */
    private void sendRateLimits() {
      responsesDone++;
      Map<String, Object> requests = new LinkedHashMap<>();
      requests.put("name", "requests");
      requests.put("limit", RATE_LIMIT_REQUESTS);
      requests.put("remaining", Math.max(0, RATE_LIMIT_REQUESTS - responsesDone));
      requests.put("reset_seconds", 60.0);
      Map<String, Object> tokens = new LinkedHashMap<>();
      tokens.put("name", "tokens");
      tokens.put("limit", RATE_LIMIT_TOKENS);
      tokens.put("remaining", Math.max(0, RATE_LIMIT_TOKENS - tokensUsed));
      tokens.put("reset_seconds", 0.5);
      Map<String, Object> e = event("rate_limits.updated");
      e.put("rate_limits", List.of(requests, tokens));
      send(e);
    }

    private Map<String, Object> responseDone(
        String responseId,
        String status,
        String cancelReason,
        Map<String, Object> item,
        long outputTokens) {
      Map<String, Object> response = new LinkedHashMap<>();
      response.put("id", responseId);
      response.put("object", "realtime.response");
      response.put("status", status);
      if (cancelReason != null) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("type", "cancelled");
        details.put("reason", cancelReason);
        response.put("status_details", details);
      } else {
        response.put("status_details", null);
      }
      response.put("output", List.of(item));
      // Made-up but consistent counts: the context grows with the conversation.
      long inputTokens = 20 + 8L * items.size();
      Map<String, Object> usage = new LinkedHashMap<>();
      usage.put("total_tokens", inputTokens + outputTokens);
      tokensUsed += inputTokens + outputTokens;
      usage.put("input_tokens", inputTokens);
      usage.put("output_tokens", outputTokens);
      response.put("usage", usage);
      Map<String, Object> e = event("response.done");
      e.put("response", response);
      return e;
    }

    // -------------------------------------------------------------- hooks

    void userSpeaks(int reactionMillis) {
      userItemId = nextItemId();
      Map<String, Object> e = event("input_audio_buffer.speech_started");
      e.put("audio_start_ms", millisSinceOpen());
      e.put("item_id", userItemId);
      send(e);
      Speech s = speech;
      if (s == null) {
        return;
      }
      if (reactionMillis == 0) {
        cutNow(s, "turn_detected", "output_audio_buffer.cleared");
        return;
      }
      long cut = System.nanoTime() + reactionMillis * 1_000_000L;
      if (cut < s.cutNanos) {
        s.cutNanos = cut;
        s.cutReason = "turn_detected";
        s.cutEvent = "output_audio_buffer.cleared";
      }
    }

    void userStopsSpeaking(String transcript) {
      String itemId = userItemId != null ? userItemId : nextItemId();
      userItemId = null;
      Map<String, Object> stopped = event("input_audio_buffer.speech_stopped");
      stopped.put("audio_end_ms", millisSinceOpen());
      stopped.put("item_id", itemId);
      send(stopped);
      Map<String, Object> committed = event("input_audio_buffer.committed");
      committed.put("previous_item_id", lastItemId);
      committed.put("item_id", itemId);
      send(committed);
      Map<String, Object> content = new LinkedHashMap<>();
      content.put("type", "input_audio");
      content.put("transcript", null);
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("id", itemId);
      item.put("object", "realtime.item");
      item.put("type", "message");
      item.put("status", "completed");
      item.put("role", "user");
      item.put("content", List.of(content));
      record(items, item);
      Map<String, Object> added = event("conversation.item.added");
      added.put("previous_item_id", lastItemId);
      added.put("item", item);
      send(added);
      lastItemId = itemId;
      String[] words = words(transcript);
      for (int i = 0; i < words.length; i++) {
        Map<String, Object> d = event("conversation.item.input_audio_transcription.delta");
        d.put("item_id", itemId);
        d.put("content_index", 0);
        d.put("delta", i == 0 ? words[i] : " " + words[i]);
        send(d);
      }
      Map<String, Object> done = event("conversation.item.input_audio_transcription.completed");
      done.put("item_id", itemId);
      done.put("content_index", 0);
      done.put("transcript", transcript);
      send(done);
    }

    /** The service ends the session at its maximum duration: an error, then the connection. */
    void expire() {
      if (ended) {
        return;
      }
      speech = null;
      error(
          "session_expired",
          "Your session hit the maximum duration of " + durationText(sessionMaxDuration) + ".",
          null,
          null);
      // close() sends what was queued before it (the error) ahead of the goodbyes.
      end();
    }

    /** Closes the connection; idempotent. */
    void end() {
      ended = true;
      speech = null;
      if (expiry != null) {
        expiry.cancel(false);
      }
      pc.close();
    }

    // -------------------------------------------------------------- events

    private long expiresAt() {
      return System.currentTimeMillis() / 1000 + Math.max(1, sessionMaxDuration.getSeconds());
    }

    private long millisSinceOpen() {
      return (System.nanoTime() - openedNanos) / 1_000_000L;
    }

    private Map<String, Object> event(String type) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("type", type);
      e.put("event_id", "event_" + (++eventCounter));
      return e;
    }

    private void error(String code, String message, String param, String clientEventId) {
      Map<String, Object> error = new LinkedHashMap<>();
      error.put("type", "invalid_request_error");
      error.put("code", code);
      error.put("message", message);
      error.put("param", param);
      error.put("event_id", clientEventId);
      Map<String, Object> e = event("error");
      e.put("error", error);
      send(e);
    }

    private void send(Map<String, Object> event) {
      if (channel != null && channel.isOpen()) {
        channel.send(Json.write(event));
      }
    }
  }

  private String nextItemId() {
    return "item_" + (++itemCounter);
  }

  private String nextResponseId() {
    return "resp_" + (++responseCounter);
  }

  /**
   * Builds a {@link StandInAnswerer}. Not thread-safe; {@link #build()} starts the answerer's two
   * threads.
   */
  public static final class Builder {
    private boolean loopbackOnly = true;
    private boolean tcpOnly;
    private boolean echo = true;
    private int replyMillis = 1_500;
    private String functionArguments = "{\"city\":\"Paris\"}";
    private Duration sessionMaxDuration = Duration.ofMinutes(60);

    private Builder() {}

    /**
     * Whether the connections bind 127.0.0.1 only (default true; a {@code --local} client does the
     * same), else every interface.
     */
    public Builder loopbackOnly(boolean loopbackOnly) {
      this.loopbackOnly = loopbackOnly;
      return this;
    }

    /**
     * Whether each answer carries one passive TCP candidate and nothing else (default false): the
     * shape of api.openai.com's answer once a network that blocks UDP has had its say, which the
     * client must dial (ICE-TCP, RFC 6544) to connect.
     */
    public Builder tcpOnly(boolean tcpOnly) {
      this.tcpOnly = tcpOnly;
      return this;
    }

    /**
     * Whether the received audio is sent back while no response speaks (default true). Off, the
     * responses' tone is all the audio the client gets.
     */
    public Builder echo(boolean echo) {
      this.echo = echo;
      return this;
    }

    /**
     * How long each spoken response's audio lasts, 20 to 600000 ms (default 1500), rounded up to
     * whole 20 ms frames.
     *
     * @throws IllegalArgumentException if out of range
     */
    public Builder replyMillis(int replyMillis) {
      if (replyMillis < 20 || replyMillis > MAX_REPLY_MILLIS) {
        throw new IllegalArgumentException(
            "replyMillis " + replyMillis + " is out of range; use 20 to " + MAX_REPLY_MILLIS);
      }
      this.replyMillis = replyMillis;
      return this;
    }

    /**
     * The arguments of the function calls the stand-in makes, a JSON object as text (default {@code
     * {"city":"Paris"}}).
     *
     * @throws IllegalArgumentException if not a JSON object
     */
    public Builder functionArguments(String json) {
      Objects.requireNonNull(json, "json: the arguments, a JSON object");
      try {
        Json.parseObject(json);
      } catch (JsonException e) {
        throw new IllegalArgumentException(
            "functionArguments must be a JSON object such as {\"city\":\"Paris\"}: "
                + e.getMessage(),
            e);
      }
      this.functionArguments = json;
      return this;
    }

    /**
     * How long a session may last from the moment its channel opens, up to a day (default 60
     * minutes, the service's limit); then it gets {@code session_expired} and is closed.
     *
     * @throws IllegalArgumentException if not positive or longer than a day
     */
    public Builder sessionMaxDuration(Duration duration) {
      Objects.requireNonNull(duration, "duration");
      if (duration.isNegative() || duration.isZero() || duration.compareTo(MAX_SESSION) > 0) {
        throw new IllegalArgumentException(
            "sessionMaxDuration " + duration + " is out of range; use more than 0, up to a day");
      }
      this.sessionMaxDuration = duration;
      return this;
    }

    /** Starts an answerer with these settings (its loop and timer threads). */
    public StandInAnswerer build() {
      return new StandInAnswerer(this);
    }
  }
}
