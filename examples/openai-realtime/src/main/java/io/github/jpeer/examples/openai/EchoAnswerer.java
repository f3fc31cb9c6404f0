package io.github.jpeer.examples.openai;

import io.github.jpeer.DataChannel;
import io.github.jpeer.DataChannelListener;
import io.github.jpeer.DataChannelType;
import io.github.jpeer.MediaCodec;
import io.github.jpeer.PeerConfiguration;
import io.github.jpeer.PeerConnection;
import io.github.jpeer.PeerLoop;
import io.github.jpeer.SdpType;
import io.github.jpeer.signaling.Json;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The stand-in's media side: a jpeer answerer per call that plays the model's part. It sends every
 * Opus frame it receives straight back (an echo; no need to decode and re-encode), and on {@code
 * oai-events} it answers {@code session.update} with {@code session.updated} and {@code
 * response.create} with a short spoken-answer sequence, as the Realtime API does: {@code
 * response.created}, a few {@code response.output_audio_transcript.delta}, {@code
 * response.output_audio_transcript.done}, {@code response.done}.
 *
 * <p>All calls share one {@link PeerLoop} thread; {@link #close()} ends them.
 */
public final class EchoAnswerer implements LocalRealtimeServer.Answerer, AutoCloseable {
  /** What the stand-in "says", word by word, in answer to {@code response.create}. */
  static final String REPLY =
      "Hello from the jpeer stand-in! I hear you, and I am sending your voice back.";

  private static final long ANSWER_TIMEOUT_SECONDS = 10;

  private final PeerLoop loop = PeerLoop.start("openai-standin");
  private final boolean loopbackOnly;
  private final boolean tcpOnly;
  private final List<PeerConnection> calls = new ArrayList<>();
  private final AtomicLong echoedFrames = new AtomicLong();
  private final AtomicLong eventsReceived = new AtomicLong();

  /**
   * An answerer whose connections bind 127.0.0.1 only if {@code loopbackOnly} (the {@code --local}
   * client does the same), else every interface.
   */
  public EchoAnswerer(boolean loopbackOnly) {
    this(loopbackOnly, false);
  }

  /**
   * As {@link #EchoAnswerer(boolean)}; with {@code tcpOnly} each answer carries one passive TCP
   * candidate and nothing else, the shape of api.openai.com's answer once a network that blocks UDP
   * has had its say ({@code ... tcp ... 443 typ host tcptype passive}): the client must dial it
   * (ICE-TCP, RFC 6544) to connect.
   */
  public EchoAnswerer(boolean loopbackOnly, boolean tcpOnly) {
    this.loopbackOnly = loopbackOnly;
    this.tcpOnly = tcpOnly;
  }

  /** Keeps the passive TCP candidates of {@code sdp} and drops every other candidate line. */
  static String passiveTcpOnly(String sdp) {
    StringBuilder sb = new StringBuilder(sdp.length());
    for (String line : sdp.split("\r\n")) {
      if (!line.startsWith("a=candidate:") || line.contains(" tcptype passive")) {
        sb.append(line).append("\r\n");
      }
    }
    return sb.toString();
  }

  /** Audio frames sent back so far, over all calls. */
  public long echoedFrames() {
    return echoedFrames.get();
  }

  /** Data channel messages received so far, over all calls. */
  public long eventsReceived() {
    return eventsReceived.get();
  }

  @Override
  public String answer(String callId, String offerSdp) {
    Call call = new Call(callId);
    PeerConfiguration.Builder b =
        PeerConfiguration.builder()
            .audioCodec(MediaCodec.OPUS)
            .dataChannel(DataChannelType.STRING)
            .loggerName("io.github.jpeer.examples.openai.standin")
            .onAudioTrack(call::echo);
    if (loopbackOnly) {
      b.bindAddress(InetAddress.getLoopbackAddress()).includeLoopback(true);
    }
    if (tcpOnly) {
      b.iceUdp(false);
    }
    PeerConnection pc = PeerConnection.create(b.build());
    call.pc = pc;
    pc.onDataChannel(call);
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
      synchronized (calls) {
        calls.add(pc);
      }
      loop.add(pc).get(ANSWER_TIMEOUT_SECONDS, TimeUnit.SECONDS);
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

  /** Closes every call and stops the loop thread. */
  @Override
  public void close() {
    synchronized (calls) {
      for (PeerConnection pc : calls) {
        pc.close();
      }
      calls.clear();
    }
    loop.close();
  }

  /** One call: echoes audio and plays the model on {@code oai-events}. Loop thread only. */
  private final class Call implements DataChannelListener {
    final String callId;
    PeerConnection pc;
    int eventCounter;
    int responseCounter;

    Call(String callId) {
      this.callId = callId;
    }

    void echo(ByteBuffer frame, long rtpTimestamp) {
      // sendAudio copies the frame: the buffer is only valid during this callback.
      if (pc.sendAudio(frame)) {
        echoedFrames.incrementAndGet();
      }
    }

    @Override
    public void onOpen(DataChannel channel) {
      Map<String, Object> session = new LinkedHashMap<>();
      session.put("id", "sess_" + callId.substring(4));
      session.put("type", "realtime");
      send(channel, event("session.created", "session", session));
    }

    @Override
    public void onMessage(DataChannel channel, ByteBuffer message, boolean binary) {
      eventsReceived.incrementAndGet();
      byte[] b = new byte[message.remaining()];
      message.get(message.position(), b);
      Map<String, Object> event = RealtimeEvents.parse(new String(b, StandardCharsets.UTF_8));
      String type = RealtimeEvents.type(event);
      switch (type) {
        case "session.update" -> {
          Map<String, Object> session = new LinkedHashMap<>(Json.object(event, "session"));
          session.put("id", "sess_" + callId.substring(4));
          send(channel, event("session.updated", "session", session));
        }
        case "response.create" -> respond(channel);
        default -> {
          Map<String, Object> error = new LinkedHashMap<>();
          error.put("type", "invalid_request_error");
          error.put("code", event == null ? "invalid_json" : "unknown_event");
          error.put(
              "message",
              event == null
                  ? "The event is not a JSON object"
                  : "The stand-in does not handle '" + type + "' events");
          send(channel, event("error", "error", error));
        }
      }
    }

    /** A spoken answer's events, in the Realtime API's order. */
    private void respond(DataChannel channel) {
      String responseId = "resp_" + (++responseCounter);
      String itemId = "item_" + responseCounter;
      send(
          channel,
          event(
              "response.created",
              "response",
              Map.of("id", responseId, "object", "realtime.response", "status", "in_progress")));
      String[] words = REPLY.split(" ");
      for (int i = 0; i < words.length; i++) {
        Map<String, Object> delta =
            transcriptEvent(RealtimeEvents.TRANSCRIPT_DELTA, responseId, itemId);
        delta.put("delta", i == 0 ? words[i] : " " + words[i]);
        send(channel, Json.write(delta));
      }
      Map<String, Object> done =
          transcriptEvent(RealtimeEvents.TRANSCRIPT_DONE, responseId, itemId);
      done.put("transcript", REPLY);
      send(channel, Json.write(done));
      Map<String, Object> response = new LinkedHashMap<>();
      response.put("id", responseId);
      response.put("object", "realtime.response");
      response.put("status", "completed");
      response.put("output", List.of(Map.of("id", itemId, "type", "message", "role", "assistant")));
      send(channel, event("response.done", "response", response));
    }

    private Map<String, Object> transcriptEvent(String type, String responseId, String itemId) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("type", type);
      e.put("event_id", "event_" + (++eventCounter));
      e.put("response_id", responseId);
      e.put("item_id", itemId);
      e.put("output_index", 0);
      e.put("content_index", 0);
      return e;
    }

    private String event(String type, String key, Object value) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("type", type);
      e.put("event_id", "event_" + (++eventCounter));
      e.put(key, value);
      return Json.write(e);
    }

    private void send(DataChannel channel, String json) {
      channel.send(json);
    }
  }
}
