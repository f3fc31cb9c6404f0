package io.github.jpeer.examples.openai;

import io.github.jpeer.PeerConnectionState;
import io.github.jpeer.PeerStats;
import io.github.jpeer.media.AudioDeviceException;
import io.github.jpeer.media.JitterBuffer;
import io.github.jpeer.media.LevelMeter;
import io.github.jpeer.media.WavFormatException;
import io.github.jpeer.realtime.AudioInput;
import io.github.jpeer.realtime.AudioOutput;
import io.github.jpeer.realtime.RealtimeEvent;
import io.github.jpeer.realtime.RealtimeException;
import io.github.jpeer.realtime.RealtimeListener;
import io.github.jpeer.realtime.RealtimeSession;
import io.github.jpeer.realtime.SessionConfig;
import io.github.jpeer.realtime.TurnDetection;
import io.github.jpeer.realtime.Usage;
import io.github.jpeer.realtime.local.LocalRealtimeServer;
import io.github.jpeer.realtime.local.StandInAnswerer;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One run of the example: a voice call with the OpenAI Realtime API (or the {@code --local}
 * stand-in) through peer-realtime's {@link RealtimeSession}, from the signaling to the summary.
 * Everything protocol-shaped is the library's; this class picks the audio devices, prints what
 * happens and sums it up.
 *
 * <p>The session declares one tool, {@code get_time} (the local time), so a question like "what
 * time is it?" goes through a function call; the {@code --local} stand-in calls it in answer to the
 * greeting, so every local run shows the round trip.
 */
public final class DemoCall {
  private static final String TIME_TOOL_PARAMETERS = "{\"type\":\"object\",\"properties\":{}}";

  /**
   * How a run ended.
   *
   * @param exitCode 0 for a clean run, 1 for a failure
   * @param reason one line saying why it failed, or null
   * @param summary what happened, as JSON-ready maps and lists
   */
  public record Result(int exitCode, String reason, Map<String, Object> summary) {}

  /** A failure with a one-line reason for the user. */
  private static final class Failure extends Exception {
    private static final long serialVersionUID = 1L;

    Failure(String reason) {
      super(reason);
    }
  }

  private final Options options;
  private final Console console;
  private final CountDownLatch stop = new CountDownLatch(1);
  private final CountDownLatch finished = new CountDownLatch(1);
  private final List<String> states = new CopyOnWriteArrayList<>();
  private final Map<String, Long> eventCounts = new LinkedHashMap<>();
  private final StringBuilder transcript = new StringBuilder();
  private final LevelWindow inLevel = new LevelWindow();
  private final LevelWindow outLevel = new LevelWindow();
  private volatile long functionCalls;

  /** A run that prints to {@code out}. */
  public DemoCall(Options options, PrintStream out) {
    this.options = options;
    this.console = new Console(out);
  }

  /** Asks a running call to end as after {@code --seconds} (Ctrl-C does this). Any thread. */
  public void requestStop() {
    stop.countDown();
  }

  /** Waits up to {@code timeoutMillis} for {@link #run} to return; false if it did not. */
  public boolean awaitFinished(long timeoutMillis) throws InterruptedException {
    return finished.await(timeoutMillis, TimeUnit.MILLISECONDS);
  }

  /** Runs the call to its end and returns how it went; never throws, never exits. */
  public Result run() {
    long startNanos = System.nanoTime();
    StandInAnswerer standIn = null;
    LocalRealtimeServer server = null;
    RealtimeSession session = null;
    String reason = null;
    Long connectMillis = null;
    RealtimeSession.Stats stats = null;
    RealtimeSession.Ended ended = null;
    String failedCallId = null;
    try {
      String url = options.url();
      String key = options.apiKey();
      if (options.local()) {
        standIn =
            StandInAnswerer.builder()
                .loopbackOnly(true)
                .tcpOnly(options.localTcpOnly())
                .echo(true)
                .functionArguments("{}") // get_time takes none
                // Short answers: the whole reply prints before the first level line.
                .replyMillis(500)
                .build();
        server =
            LocalRealtimeServer.start(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), standIn);
        url = server.callsUrl().toString();
        key = "sk-local-standin"; // the stand-in takes any key; a real one is never sent to it
        console.line("local stand-in server at " + url + " (no key, no internet)");
      } else if (key == null) {
        throw new Failure("no API key: pass --api-key or set OPENAI_API_KEY, or run with --local");
      }
      MeteredInput in = new MeteredInput(openInput(), inLevel);
      MeteredOutput out = new MeteredOutput(openOutput(), outLevel);
      console.line(
          String.format(
              Locale.ROOT,
              "sending %s as Opus 48 kHz mono, %d bit/s, 20 ms frames",
              in.in.description(),
              options.bitrateBps()));
      console.line("received audio goes to " + out.out.description());

      RealtimeSession.Builder b;
      try {
        b = RealtimeSession.builder().callsUrl(url);
      } catch (IllegalArgumentException e) {
        in.close();
        out.close();
        throw new Failure("bad --url: " + e.getMessage());
      }
      b.apiKey(key)
          .model(options.model())
          .session(
              SessionConfig.builder()
                  .instructions(options.instructions())
                  .voice(options.voice())
                  .turnDetection(TurnDetection.SERVER_VAD)
                  .tool("get_time", "The local time on the user's computer", TIME_TOOL_PARAMETERS)
                  .build())
          .tools(
              (name, arguments, callId) -> {
                functionCalls++;
                console.line("< function call " + name + "(" + arguments + ") call_id " + callId);
                String now = LocalTime.now().truncatedTo(ChronoUnit.SECONDS).toString();
                return CompletableFuture.completedFuture("{\"time\":\"" + now + "\"}");
              })
          .listener(new Printer())
          .onConnectionState(this::onState)
          .audioInput(in)
          .audioOutput(out)
          .bitrateBps(options.bitrateBps())
          .timeout(options.timeout());
      if (options.local()) {
        // The stand-in lives on 127.0.0.1; the real service needs the machine's interfaces.
        b.peer(p -> p.bindAddress(InetAddress.getLoopbackAddress()).includeLoopback(true));
      }
      long signalingStart = System.nanoTime();
      session = b.connect();
      connectMillis = millisSince(signalingStart);
      console.line(
          "call "
              + (session.callId() == null ? "(no Location)" : session.callId())
              + " connected in "
              + connectMillis
              + " ms (HTTP signaling, ICE, DTLS, oai-events)");
      session.ended().thenRun(this::requestStop);
      session.createResponse(); // the assistant greets first
      console.line("> response.create");
      talk(session);
      stats = session.stats();
      ended = session.ended().getNow(null);
      if (ended != null && ended.reason() != RealtimeSession.EndReason.CLOSED) {
        console.line("the call ended: " + ended.message());
        if (ended.reason() != RealtimeSession.EndReason.REMOTE_CLOSED) {
          reason = ended.message();
        }
      }
      if (session.playoutFailure() != null && reason == null) {
        reason = "writing the received audio failed: " + oneLine(session.playoutFailure());
      }
    } catch (RealtimeException e) {
      reason = e.getMessage();
      failedCallId = e.callId();
    } catch (Failure e) {
      reason = e.getMessage();
    } catch (IOException e) {
      reason = oneLine(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      reason = "interrupted";
    } finally {
      if (session != null) {
        session.close();
      }
      if (server != null) {
        server.close();
      }
      if (standIn != null) {
        standIn.close();
      }
    }
    reason = scrub(reason);
    Map<String, Object> summary =
        summary(
            reason,
            connectMillis,
            session == null ? failedCallId : session.callId(),
            stats,
            ended,
            millisSince(startNanos));
    if (!states.isEmpty()) {
      printSummary(summary, reason);
    }
    if (options.summary() != null) {
      try {
        Files.writeString(
            options.summary(), SummaryJson.write(summary) + "\n", StandardCharsets.UTF_8);
      } catch (IOException e) {
        reason = reason != null ? reason : "cannot write --summary: " + e.getMessage();
      }
    }
    finished.countDown();
    return new Result(reason == null ? 0 : 1, reason, summary);
  }

  // ------------------------------------------------------------------ setup

  private AudioIn openInput() throws Failure {
    if (options.input() != null) {
      try {
        return AudioIn.wav(options.input());
      } catch (IOException | WavFormatException e) {
        throw new Failure("cannot read --input " + options.input() + ": " + oneLine(e));
      }
    }
    if (options.local()) {
      return AudioIn.generated(); // the same audio on every machine, microphone or not
    }
    try {
      return AudioIn.microphone();
    } catch (AudioDeviceException e) {
      console.line("no audio device: " + oneLine(e) + " -> sending a generated signal");
      return AudioIn.generated();
    }
  }

  private AudioOut openOutput() throws Failure {
    if (options.output() != null) {
      try {
        return AudioOut.wav(options.output());
      } catch (IOException e) {
        throw new Failure("cannot write --output " + options.output() + ": " + oneLine(e));
      }
    }
    try {
      return AudioOut.speaker();
    } catch (AudioDeviceException e) {
      console.line("no audio device: " + oneLine(e) + " -> reporting levels only");
      return AudioOut.none();
    }
  }

  private void onState(PeerConnectionState s) {
    states.add(s.name());
    console.line("state " + s);
  }

  // ------------------------------------------------------------------ the call

  /** Runs until {@code --seconds} pass, Ctrl-C, or the call ends; prints a level line a second. */
  private void talk(RealtimeSession session) throws InterruptedException {
    long start = System.nanoTime();
    long end = options.seconds() > 0 ? start + (long) (options.seconds() * 1e9) : Long.MAX_VALUE;
    long nextLine = start + 1_000_000_000L;
    int second = 0;
    while (true) {
      long wait = Math.min(nextLine, end) - System.nanoTime();
      if (wait > 0 && stop.await(wait, TimeUnit.NANOSECONDS)) {
        return;
      }
      long now = System.nanoTime();
      if (now >= nextLine) {
        second++;
        nextLine += 1_000_000_000L;
        PeerStats s = session.stats().connection();
        console.line(
            String.format(
                Locale.ROOT,
                "%3d s  in %6.1f dBFS  out %6.1f dBFS  sent %d  recv %d",
                second,
                inLevel.takeDbfs(),
                outLevel.takeDbfs(),
                s == null ? 0 : s.audio().packetsSent(),
                s == null ? 0 : s.audio().packetsReceived()));
      }
      if (now >= end) {
        return;
      }
    }
  }

  /** Prints the events as they come (loop thread). */
  private final class Printer implements RealtimeListener {
    @Override
    public void onEvent(RealtimeEvent event) {
      synchronized (eventCounts) {
        eventCounts.merge(event.type(), 1L, Long::sum);
      }
      if (event instanceof RealtimeEvent.SpeechStarted) {
        console.line("< " + event.type() + ": barge-in, the queued answer audio is dropped");
      } else if (!(event instanceof RealtimeEvent.OutputAudioTranscriptDelta
          || event instanceof RealtimeEvent.OutputAudioTranscriptDone
          || event instanceof RealtimeEvent.FunctionCallArgumentsDone
          || event instanceof RealtimeEvent.ErrorEvent)) {
        console.line("< " + event.type());
      }
    }

    @Override
    public void onAssistantTranscript(String itemId, String text, boolean isFinal) {
      if (isFinal) {
        console.endPartial();
        synchronized (transcript) {
          transcript.append(text).append('\n');
        }
      } else {
        console.partial("assistant: ", text);
      }
    }

    @Override
    public void onUserTranscript(String itemId, String text, boolean isFinal) {
      if (isFinal) {
        console.line("user: " + text);
      }
    }

    @Override
    public void onResponseDone(String responseId, String status, Usage usage) {
      if (usage.totalTokens() > 0) {
        console.line("  (" + status + ", " + usage.totalTokens() + " tokens)");
      }
    }

    @Override
    public void onError(RealtimeEvent.ErrorEvent error) {
      console.line(
          "< error: "
              + error.message()
              + " ("
              + (error.code() != null ? error.code() : error.errorType())
              + ")"
              + (error.param() == null ? "" : " param " + error.param()));
    }
  }

  // ------------------------------------------------------------------ the end

  private Map<String, Object> summary(
      String reason,
      Long connectMillis,
      String callId,
      RealtimeSession.Stats stats,
      RealtimeSession.Ended ended,
      long durationMillis) {
    PeerStats peer = stats == null ? null : stats.connection();
    JitterBuffer.Stats jb = stats == null ? null : stats.playout();
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("result", reason == null ? "ok" : "failed");
    s.put("reason", reason);
    s.put("mode", options.local() ? "local" : "api");
    s.put("callId", callId);
    s.put("stateReached", stateReached());
    s.put("states", List.copyOf(states));
    s.put("connectMillis", connectMillis);
    s.put("durationMillis", durationMillis);
    s.put("ended", ended == null ? null : ended.reason().name());
    Map<String, Object> audio = new LinkedHashMap<>();
    audio.put("packetsSent", peer == null ? 0 : peer.audio().packetsSent());
    audio.put("packetsReceived", peer == null ? 0 : peer.audio().packetsReceived());
    audio.put("packetsLost", peer == null ? 0 : peer.audio().packetsLost());
    audio.put("bytesSent", peer == null ? 0 : peer.audio().bytesSent());
    audio.put("bytesReceived", peer == null ? 0 : peer.audio().bytesReceived());
    audio.put("framesEncoded", stats == null ? 0 : stats.framesSent());
    audio.put("framesDecoded", jb == null ? 0 : jb.samplesFromPackets() / 960);
    audio.put("framesConcealed", jb == null ? 0 : (jb.concealedSamples() + 480) / 960);
    audio.put("framesRejected", jb == null ? 0 : jb.packetsDiscarded());
    audio.put("bargeIns", stats == null ? 0 : stats.bargeIns());
    audio.put("packetsDroppedAfterBargeIn", stats == null ? 0 : stats.packetsDroppedAfterBargeIn());
    audio.put("jitterBuffer", jb == null ? Map.of() : jitterSummary(jb));
    s.put("audio", audio);
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("label", RealtimeSession.EVENTS_CHANNEL);
    data.put("opened", connectMillis != null);
    data.put("messagesSent", stats == null ? 0 : stats.eventsSent());
    data.put("messagesReceived", stats == null ? 0 : stats.eventsReceived());
    s.put("dataChannel", data);
    synchronized (eventCounts) {
      s.put("events", new LinkedHashMap<>(eventCounts));
    }
    s.put("functionCalls", functionCalls);
    synchronized (transcript) {
      s.put("transcript", transcript.toString().strip());
    }
    s.put("selectedCandidatePair", peer == null ? null : peer.selectedCandidatePair());
    s.put(
        "protocol",
        peer == null || peer.candidatePair() == null ? null : peer.candidatePair().protocol());
    s.put("srtpProfile", peer == null ? null : peer.srtpProfile());
    return s;
  }

  private static Map<String, Object> jitterSummary(JitterBuffer.Stats s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("packetsReceived", s.packetsReceived());
    m.put("packetsLate", s.packetsLate());
    m.put("packetsDuplicate", s.packetsDuplicate());
    m.put("packetsDiscarded", s.packetsDiscarded());
    m.put("samplesFromPackets", s.samplesFromPackets());
    m.put("samplesFromFec", s.samplesFromFec());
    m.put("concealedSamples", s.concealedSamples());
    m.put("silentSamples", s.silentSamples());
    m.put("restarts", s.restarts());
    m.put("currentDelayMillis", round(s.currentDelayMillis()));
    m.put("targetDelayMillis", round(s.targetDelayMillis()));
    m.put("jitterMillis", round(s.jitterMillis()));
    return m;
  }

  private static double round(double millis) {
    return Math.round(millis * 10) / 10.0;
  }

  /** The furthest a connection got on the way up (COMPLETED is the goal), else NEW. */
  private String stateReached() {
    for (String s : List.of("COMPLETED", "CONNECTED", "CHECKING")) {
      if (states.contains(s)) {
        return s;
      }
    }
    return PeerConnectionState.NEW.name();
  }

  @SuppressWarnings("unchecked")
  private void printSummary(Map<String, Object> s, String reason) {
    Map<String, Object> audio = (Map<String, Object>) s.get("audio");
    Map<String, Object> data = (Map<String, Object>) s.get("dataChannel");
    console.endPartial();
    console.line(
        "summary: state reached "
            + s.get("stateReached")
            + ", connected in "
            + (s.get("connectMillis") == null ? "-" : s.get("connectMillis") + " ms")
            + ", ran "
            + s.get("durationMillis")
            + " ms");
    console.line(
        "  audio packets sent "
            + audio.get("packetsSent")
            + ", received "
            + audio.get("packetsReceived")
            + " (decoded "
            + audio.get("framesDecoded")
            + ", concealed "
            + audio.get("framesConcealed")
            + ", lost "
            + audio.get("packetsLost")
            + "), barge-ins "
            + audio.get("bargeIns"));
    if (audio.get("jitterBuffer") instanceof Map<?, ?> jb && !jb.isEmpty()) {
      console.line(
          "  jitter buffer delay "
              + jb.get("currentDelayMillis")
              + " ms (target "
              + jb.get("targetDelayMillis")
              + ", jitter "
              + jb.get("jitterMillis")
              + "), late "
              + jb.get("packetsLate"));
    }
    console.line(
        "  oai-events messages sent "
            + data.get("messagesSent")
            + ", received "
            + data.get("messagesReceived")
            + ", function calls "
            + s.get("functionCalls"));
    console.line("  events " + s.get("events"));
    if (reason == null) {
      console.line("ok");
    }
  }

  private String scrub(String reason) {
    if (reason == null) {
      return null;
    }
    String key = options.apiKey();
    // The library never puts the key in a message; this guards the example's own text too.
    return key == null || key.isEmpty() ? reason : reason.replace(key, "(the key)");
  }

  private static long millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000L;
  }

  static String oneLine(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return m.replace('\r', ' ').replace('\n', ' ');
  }

  /** The input as the session reads it, measured for the level line. */
  private static final class MeteredInput implements AudioInput {
    final AudioIn in;
    private final LevelWindow level;

    MeteredInput(AudioIn in, LevelWindow level) {
      this.in = in;
      this.level = level;
    }

    @Override
    public boolean read(short[] frame) {
      in.read(frame);
      level.add(frame, frame.length);
      return true; // after a file: silence, so the server's turn detection hears the end
    }

    @Override
    public boolean paced() {
      return !in.needsPacing();
    }

    @Override
    public void close() {
      in.close();
    }
  }

  /** The output as the session plays into it, measured for the level line. */
  private static final class MeteredOutput implements AudioOutput {
    final AudioOut out;
    private final LevelWindow level;

    MeteredOutput(AudioOut out, LevelWindow level) {
      this.out = out;
      this.level = level;
    }

    @Override
    public void write(short[] pcm, int offset, int count) throws IOException {
      level.add(pcm, count);
      out.write(pcm, offset, count);
    }

    @Override
    public boolean blocking() {
      return out.blocks();
    }

    @Override
    public void flush() {
      out.flush();
    }

    @Override
    public void close() throws IOException {
      out.close();
    }
  }

  /** RMS over everything measured since the last {@link #takeDbfs}: the level line's value. */
  private static final class LevelWindow {
    private double sumSquares;
    private long count;

    synchronized void add(short[] pcm, int n) {
      for (int i = 0; i < n; i++) {
        sumSquares += (double) pcm[i] * pcm[i];
      }
      count += n;
    }

    synchronized double takeDbfs() {
      double rms = count == 0 ? 0 : Math.sqrt(sumSquares / count);
      sumSquares = 0;
      count = 0;
      return rms <= 0 ? LevelMeter.SILENCE_DBFS : 20 * Math.log10(rms / 32768.0);
    }
  }

  /** Lines from several threads, and a transcript that grows word by word on one line. */
  static final class Console {
    private final PrintStream out;
    private boolean midLine;

    Console(PrintStream out) {
      this.out = out;
    }

    synchronized void line(String text) {
      if (midLine) {
        out.println();
        midLine = false;
      }
      out.println(text);
      out.flush();
    }

    synchronized void partial(String prefix, String text) {
      if (!midLine) {
        out.print(prefix);
        midLine = true;
      }
      out.print(text);
      out.flush();
    }

    synchronized void endPartial() {
      if (midLine) {
        out.println();
        out.flush();
        midLine = false;
      }
    }
  }

  @Override
  public String toString() {
    return "DemoCall[" + options + "]";
  }
}
