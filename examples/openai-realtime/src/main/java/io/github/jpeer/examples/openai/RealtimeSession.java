package io.github.jpeer.examples.openai;

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
import io.github.jpeer.media.AudioDeviceException;
import io.github.jpeer.media.LevelMeter;
import io.github.jpeer.media.OpusConfig;
import io.github.jpeer.media.OpusEncoder;
import io.github.jpeer.media.WavFormatException;
import io.github.jpeer.signaling.Json;
import io.github.jpeer.signaling.OpenAiRealtimeClient;
import io.github.jpeer.signaling.RealtimeCall;
import io.github.jpeer.signaling.SignalingException;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * One run of the example: a voice call with the OpenAI Realtime API (or the {@code --local}
 * stand-in) over WebRTC, from the HTTP signaling to the summary.
 *
 * <p>The signaling is the two-step flow of a browser app: {@code POST .../client_secrets} with the
 * standard key and the session configuration gives an ephemeral key, then {@code POST .../calls}
 * with the SDP offer, authorised by that ephemeral key, gives the SDP answer. With {@code --local}
 * exactly the same code talks to {@link LocalRealtimeServer} on 127.0.0.1.
 *
 * <p>Threads: the caller's (signaling, then the once-a-second level line), a {@link PeerLoop} (the
 * connection, its callbacks, received packets into the jitter buffer), a sender (encodes and sends
 * one 20 ms frame every 20 ms) and the playout thread (one 20 ms block out of the jitter buffer
 * every 20 ms, decoded, to the audio output).
 */
public final class RealtimeSession {
  private static final long FRAME_NANOS = 20_000_000L;
  private static final int SAMPLES_PER_FRAME = 960;
  private static final long CONTROL_TIMEOUT_SECONDS = 5;

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
  private final CompletableFuture<PeerConnectionState> settled = new CompletableFuture<>();
  private final List<String> states = new CopyOnWriteArrayList<>();
  private final Map<String, Long> eventCounts = new LinkedHashMap<>();
  private final StringBuilder transcript = new StringBuilder();
  private final AtomicLong messagesSent = new AtomicLong();
  private final AtomicLong messagesReceived = new AtomicLong();
  private final AtomicLong framesSent = new AtomicLong();
  private final LevelWindow inLevel = new LevelWindow();
  private final LevelWindow outLevel = new LevelWindow();
  private volatile boolean channelOpened;
  private volatile boolean sending;
  private volatile PeerConnectionState endedBy;

  private volatile AudioReceiver receiver;

  /** A session that prints to {@code out}. */
  public RealtimeSession(Options options, PrintStream out) {
    this.options = options;
    this.console = new Console(out);
  }

  /** Asks a running session to end as after {@code --seconds} (Ctrl-C does this). Any thread. */
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
    Resources r = new Resources();
    String reason = null;
    Long connectMillis = null;
    String callId = null;
    try {
      String url = options.url();
      String key = options.apiKey();
      if (options.local()) {
        r.echo = new EchoAnswerer(true, options.localTcpOnly());
        r.server =
            LocalRealtimeServer.start(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), r.echo);
        url = r.server.callsUrl().toString();
        key = "sk-local-standin"; // the stand-in takes any key; a real one is never sent to it
        console.line("local stand-in server at " + url + " (no key, no internet)");
      } else if (key == null) {
        throw new Failure("no API key: pass --api-key or set OPENAI_API_KEY, or run with --local");
      }
      r.in = openInput();
      r.out = openOutput();
      console.line(
          String.format(
              Locale.ROOT,
              "sending %s as Opus 48 kHz mono, %d bit/s, 20 ms frames",
              r.in.description(),
              options.bitrateBps()));
      console.line("received audio goes to " + r.out.description());

      OpenAiRealtimeClient client;
      try {
        client =
            OpenAiRealtimeClient.builder()
                .callsUrl(url)
                .apiKey(key)
                .timeout(options.timeout())
                .build();
      } catch (IllegalArgumentException e) {
        throw new Failure("bad --url: " + e.getMessage());
      }
      long signalingStart = System.nanoTime();
      String ephemeralKey = client.createClientSecret(RealtimeEvents.session(options, true));
      console.line(
          "ephemeral key created (POST " + client.callsUrl().resolve("client_secrets") + ")");

      r.receiver = new AudioReceiver(r.out, outLevel::add, NanoClock.SYSTEM::nanoTime);
      receiver = r.receiver;
      r.pc = newConnection(r.receiver);
      r.sender = startSender(r.pc, r.in); // warms up now, sends once connected
      r.pc.createDataChannel("oai-events"); // ours to open, as the Realtime API expects
      CompletableFuture<String> offer = new CompletableFuture<>();
      r.pc.onIceCandidate(offer::complete);
      r.pc.createOffer();
      r.loop = PeerLoop.start("openai-client");
      await(r.loop.add(r.pc), "starting the connection");
      String offerSdp = await(offer, "gathering the local candidates");
      RealtimeCall call = client.createCall(offerSdp, ephemeralKey);
      callId = call.callId();
      console.line(
          String.format(
              Locale.ROOT,
              "call %s: SDP answer received (%d ms)",
              callId == null ? "(no Location)" : callId,
              millisSince(signalingStart)));
      PeerConnection pc = r.pc;
      try {
        r.loop
            .submit(() -> pc.setRemoteDescription(call.answerSdp(), SdpType.ANSWER))
            .get(CONTROL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        throw new Failure("the SDP answer is not usable: " + oneLine(e.getCause()));
      }

      PeerConnectionState state = awaitConnected(r);
      if (state != PeerConnectionState.COMPLETED) {
        String dtls =
            r.loop.submit(pc::failureReason).get(CONTROL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (dtls != null) {
          throw new Failure("DTLS failed: " + dtls);
        }
        throw new Failure(
            states.contains("CONNECTED")
                ? "the connection " + state + " after ICE connected"
                : "ICE failed: no candidate pair answered (states " + states + ")");
      }
      connectMillis = millisSince(signalingStart);
      console.line("connected in " + connectMillis + " ms (HTTP signaling, ICE, DTLS)");
      r.receiver.start();

      talk(r);
      if (endedBy == PeerConnectionState.FAILED) {
        throw new Failure("the connection failed during the call (consent or DTLS lost)");
      }
    } catch (Failure e) {
      reason = e.getMessage();
    } catch (SignalingException e) {
      reason = e.getMessage();
    } catch (TimeoutException e) {
      reason = "timed out: " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      reason = "interrupted";
    } catch (IOException | ExecutionException | RuntimeException e) {
      reason = oneLine(e);
    }
    PeerStats stats = r.finish(this);
    if (r.receiver != null && r.receiver.writeError() != null && reason == null) {
      reason = "writing the received audio failed: " + r.receiver.writeError();
    }
    reason = scrub(reason);
    Map<String, Object> summary =
        summary(reason, connectMillis, callId, stats, millisSince(startNanos));
    if (r.pc != null) {
      printSummary(summary, reason);
    }
    if (options.summary() != null) {
      try {
        Files.writeString(options.summary(), Json.write(summary) + "\n", StandardCharsets.UTF_8);
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

  private PeerConnection newConnection(AudioReceiver rx) {
    PeerConfiguration.Builder b =
        PeerConfiguration.builder()
            .audioCodec(MediaCodec.OPUS)
            .dataChannel(DataChannelType.STRING)
            .loggerName("io.github.jpeer.examples.openai")
            // The clock that stamps each packet's arrival is the one the playout side reads.
            .clock(NanoClock.SYSTEM)
            .onAudioPacket(rx::onAudioPacket);
    if (options.local()) {
      // The stand-in lives on 127.0.0.1; the real service needs the machine's interfaces.
      b.bindAddress(InetAddress.getLoopbackAddress()).includeLoopback(true);
    }
    PeerConnection pc = PeerConnection.create(b.build());
    pc.onIceConnectionStateChange(this::onState);
    pc.onDataChannel(new Events());
    return pc;
  }

  private OpusConfig opusConfig() {
    return OpusConfig.builder()
        .sampleRate(48_000)
        .channels(1)
        .frameDurationMillis(20)
        .bitrateBps(options.bitrateBps())
        .build();
  }

  private PeerConnectionState awaitConnected(Resources r) throws Failure, InterruptedException {
    try {
      return settled.get(options.timeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new Failure(
          String.format(
              Locale.ROOT,
              "not connected within %.1f s (state %s)",
              options.timeout().toMillis() / 1000.0,
              r.pc.getState()));
    } catch (ExecutionException e) {
      throw new Failure("connecting failed: " + oneLine(e.getCause()));
    }
  }

  // ------------------------------------------------------------------ the call

  /** Runs until {@code --seconds} pass, Ctrl-C, or the peer ends; prints a level line a second. */
  private void talk(Resources r) throws InterruptedException {
    long start = System.nanoTime();
    long end = options.seconds() > 0 ? start + (long) (options.seconds() * 1e9) : Long.MAX_VALUE;
    long nextLine = start + 1_000_000_000L;
    int second = 0;
    while (true) {
      long wait = Math.min(nextLine, end) - System.nanoTime();
      if (wait > 0 && stop.await(wait, TimeUnit.NANOSECONDS)) {
        if (endedBy != null) {
          console.line("the peer ended the call (" + endedBy + ")");
        }
        return;
      }
      long now = System.nanoTime();
      if (now >= nextLine) {
        second++;
        nextLine += 1_000_000_000L;
        levelLine(r, second);
      }
      if (now >= end) {
        return;
      }
    }
  }

  private void levelLine(Resources r, int second) {
    PeerConnection pc = r.pc;
    try {
      PeerStats s = r.loop.submit(pc::getStats).get(1, TimeUnit.SECONDS);
      console.line(
          String.format(
              Locale.ROOT,
              "%3d s  in %6.1f dBFS  out %6.1f dBFS  sent %d" + "  recv %d",
              second,
              inLevel.takeDbfs(),
              outLevel.takeDbfs(),
              s.audio().packetsSent(),
              s.audio().packetsReceived()));
    } catch (ExecutionException | TimeoutException e) {
      console.line(String.format(Locale.ROOT, "%3d s  (no stats: %s)", second, oneLine(e)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Starts the sender: it warms the Opus encoder up while the call is set up (so the JIT does not
   * stall the first seconds of the schedule), waits for COMPLETED, then encodes and sends one 20 ms
   * frame every 20 ms on a fixed schedule that does not drift.
   */
  private Thread startSender(PeerConnection pc, AudioIn in) {
    sending = true;
    Thread t =
        new Thread(
            () -> {
              short[] pcm = new short[SAMPLES_PER_FRAME];
              byte[] out = new byte[1275];
              OpusEncoder warmUp = new OpusEncoder(opusConfig());
              AudioIn noise = AudioIn.generated();
              for (int i = 0; i < 100 && sending && !settled.isDone(); i++) {
                noise.read(pcm);
                warmUp.encode(pcm, 0, out, 0, out.length);
              }
              try {
                if (settled.get() != PeerConnectionState.COMPLETED) {
                  return;
                }
              } catch (ExecutionException e) {
                return;
              } catch (InterruptedException e) {
                return; // the run ended before the call connected
              }
              OpusEncoder encoder = new OpusEncoder(opusConfig());
              FramePacer pacer = new FramePacer(FRAME_NANOS, System.nanoTime());
              for (long i = 0; sending; i++) {
                in.read(pcm);
                inLevel.add(pcm, pcm.length);
                int n = encoder.encode(pcm, 0, out, 0, out.length);
                if (n > 0 && pc.sendAudio(ByteBuffer.wrap(out, 0, n))) {
                  framesSent.incrementAndGet();
                }
                if (in.needsPacing()) {
                  long deadline = pacer.deadlineNanos(i, System.nanoTime());
                  for (long left; sending && (left = deadline - System.nanoTime()) > 0; ) {
                    LockSupport.parkNanos(left);
                  }
                }
              }
            },
            "openai-audio-sender");
    t.setDaemon(true);
    t.start();
    return t;
  }

  private void onState(PeerConnectionState s) {
    states.add(s.name());
    console.line("state " + s);
    switch (s) {
      case COMPLETED -> settled.complete(s);
      case FAILED, CLOSED -> {
        if (!settled.complete(s)) {
          endedBy = s; // after COMPLETED: the peer hung up or went away
          stop.countDown();
        }
      }
      default -> {}
    }
  }

  /** The {@code oai-events} channel (loop thread). */
  private final class Events implements DataChannelListener {
    @Override
    public void onOpen(DataChannel channel) {
      channelOpened = true;
      console.line(channel.label() + " open");
      send(channel, RealtimeEvents.sessionUpdate(options), "session.update");
      send(channel, RealtimeEvents.responseCreate(), "response.create");
    }

    private void send(DataChannel channel, String json, String type) {
      channel.send(json);
      messagesSent.incrementAndGet();
      console.line("> " + type);
    }

    @Override
    public void onMessage(DataChannel channel, ByteBuffer message, boolean binary) {
      messagesReceived.incrementAndGet();
      byte[] b = new byte[message.remaining()];
      message.get(message.position(), b);
      Map<String, Object> event = RealtimeEvents.parse(new String(b, StandardCharsets.UTF_8));
      String type = event == null ? "(not JSON)" : RealtimeEvents.type(event);
      synchronized (eventCounts) {
        eventCounts.merge(type, 1L, Long::sum);
      }
      AudioReceiver rx = receiver;
      if (rx != null && rx.onRealtimeEvent(type)) {
        console.line("< " + type + ": barge-in, the queued answer audio is dropped");
      } else if (RealtimeEvents.isTranscriptDelta(type)) {
        String delta = Json.string(event, "delta");
        if (delta != null) {
          synchronized (transcript) {
            transcript.append(delta);
          }
          console.partial("assistant: ", delta);
        }
      } else if (RealtimeEvents.isTranscriptDone(type)) {
        console.endPartial();
        synchronized (transcript) {
          transcript.append('\n');
        }
      } else if (RealtimeEvents.FUNCTION_CALL_DONE.equals(type)) {
        console.line(
            "< function call "
                + Json.string(event, "name")
                + "("
                + Json.string(event, "arguments")
                + ") call_id "
                + Json.string(event, "call_id"));
      } else if ("error".equals(type)) {
        console.line("< error: " + RealtimeEvents.errorText(event));
      } else {
        console.line("< " + type);
      }
    }

    @Override
    public void onClose(DataChannel channel) {
      console.line(channel.label() + " closed");
    }
  }

  // ------------------------------------------------------------------ the end

  private Map<String, Object> summary(
      String reason, Long connectMillis, String callId, PeerStats stats, long durationMillis) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("result", reason == null ? "ok" : "failed");
    s.put("reason", reason);
    s.put("mode", options.local() ? "local" : "api");
    s.put("callId", callId);
    s.put("stateReached", stateReached());
    s.put("states", List.copyOf(states));
    s.put("connectMillis", connectMillis);
    s.put("durationMillis", durationMillis);
    Map<String, Object> audio = new LinkedHashMap<>();
    audio.put("packetsSent", stats == null ? 0 : stats.audio().packetsSent());
    audio.put("packetsReceived", stats == null ? 0 : stats.audio().packetsReceived());
    audio.put("packetsLost", stats == null ? 0 : stats.audio().packetsLost());
    audio.put("bytesSent", stats == null ? 0 : stats.audio().bytesSent());
    audio.put("bytesReceived", stats == null ? 0 : stats.audio().bytesReceived());
    audio.put("framesEncoded", framesSent.get());
    AudioReceiver rx = receiver;
    audio.put("framesDecoded", rx == null ? 0 : rx.framesDecoded());
    audio.put("framesConcealed", rx == null ? 0 : rx.framesConcealed());
    audio.put("framesRejected", rx == null ? 0 : rx.framesRejected());
    audio.put("jitterBuffer", rx == null ? Map.of() : rx.summary());
    s.put("audio", audio);
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("label", "oai-events");
    data.put("opened", channelOpened);
    data.put("messagesSent", messagesSent.get());
    data.put("messagesReceived", messagesReceived.get());
    s.put("dataChannel", data);
    synchronized (eventCounts) {
      s.put("events", new LinkedHashMap<>(eventCounts));
    }
    synchronized (transcript) {
      s.put("transcript", transcript.toString().strip());
    }
    s.put("selectedCandidatePair", stats == null ? null : stats.selectedCandidatePair());
    s.put(
        "protocol",
        stats == null || stats.candidatePair() == null ? null : stats.candidatePair().protocol());
    s.put("srtpProfile", stats == null ? null : stats.srtpProfile());
    return s;
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
            + ")");
    if (audio.get("jitterBuffer") instanceof Map<?, ?> jb && !jb.isEmpty()) {
      console.line(
          "  jitter buffer delay "
              + jb.get("currentDelayMillis")
              + " ms (target "
              + jb.get("targetDelayMillis")
              + ", jitter "
              + jb.get("jitterMillis")
              + "), late "
              + jb.get("packetsLate")
              + ", flushed "
              + jb.get("flushes")
              + "x");
    }
    console.line(
        "  oai-events messages sent "
            + data.get("messagesSent")
            + ", received "
            + data.get("messagesReceived"));
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
    // Servers sometimes quote the key they refused; it must never reach the console.
    return key == null || key.isEmpty() ? reason : reason.replace(key, "(the key)");
  }

  private <T> T await(CompletableFuture<T> f, String what) throws Failure, InterruptedException {
    try {
      return f.get(options.timeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new Failure("timed out " + what);
    } catch (ExecutionException e) {
      throw new Failure(what + " failed: " + oneLine(e.getCause()));
    }
  }

  private static long millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000L;
  }

  static String oneLine(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return m.replace('\r', ' ').replace('\n', ' ');
  }

  /** What a run opened, closed in reverse order whatever happened. */
  private static final class Resources {
    EchoAnswerer echo;
    LocalRealtimeServer server;
    AudioIn in;
    AudioOut out;
    AudioReceiver receiver;
    PeerConnection pc;
    PeerLoop loop;
    Thread sender;

    /** Stops everything; returns the connection's final counters (or null). */
    PeerStats finish(RealtimeSession session) {
      PeerStats stats = null;
      if (sender != null) {
        session.sending = false;
        sender.interrupt(); // if still waiting for the connection
        try {
          sender.join(1_000);
          // Let the last echoed frames arrive before counting.
          TimeUnit.MILLISECONDS.sleep(200);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      if (loop != null && pc != null) {
        PeerConnection c = pc;
        try {
          stats = loop.submit(c::getStats).get(CONTROL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
          loop.submit(c::close).get(CONTROL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
          c.close();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      } else if (pc != null) {
        pc.close();
      }
      if (loop != null) {
        loop.close();
      }
      if (in != null) {
        in.close();
      }
      if (receiver != null) {
        receiver.close(); // playout ends before its output closes
      }
      if (out != null) {
        try {
          out.close();
        } catch (IOException e) {
          session.console.line("closing the audio output failed: " + oneLine(e));
        }
      }
      if (server != null) {
        server.close();
      }
      if (echo != null) {
        echo.close();
      }
      return stats;
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
    return "RealtimeSession[" + options + "]";
  }
}
