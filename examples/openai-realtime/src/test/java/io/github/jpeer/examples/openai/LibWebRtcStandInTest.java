package io.github.jpeer.examples.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.onvoid.webrtc.RTCDataChannel;
import dev.onvoid.webrtc.RTCDataChannelBuffer;
import io.github.jpeer.interop.LibWebRtcPeer;
import io.github.jpeer.media.LevelMeter;
import io.github.jpeer.media.WavReader;
import io.github.jpeer.realtime.local.LocalRealtimeServer;
import io.github.jpeer.signaling.internal.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example's client, unchanged, against a stand-in whose media side is Google's libwebrtc
 * (webrtc-java): the offer goes over HTTP to the stand-in, libwebrtc answers it, sends a tone and
 * reads what arrives on {@code oai-events}. This is the closest this machine gets to the real
 * service, which also runs a libwebrtc-derived stack. libwebrtc uses the interface addresses, and
 * the client (not {@code --local}) binds its default interfaces too.
 */
@Tag("interop")
class LibWebRtcStandInTest {
  @TempDir Path dir;

  private static short[] tone10ms() {
    short[] pcm = new short[480];
    for (int i = 0; i < pcm.length; i++) {
      pcm[i] = (short) (6000 * Math.sin(2 * Math.PI * 440 * i / 48_000.0));
    }
    return pcm;
  }

  private static void send(RTCDataChannel channel, String json) throws Exception {
    channel.send(
        new RTCDataChannelBuffer(ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8)), false));
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  @SuppressWarnings("unchecked")
  void clientTalksToLibWebRtcBehindTheHttpStandIn() throws Exception {
    Path wav = dir.resolve("from-libwebrtc.wav");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    ExecutorService executor = Executors.newSingleThreadExecutor();
    AtomicReference<Map<String, Object>> sessionOfTheCall = new AtomicReference<>();
    try (LibWebRtcPeer google = new LibWebRtcPeer(true, null);
        LocalRealtimeServer server =
            LocalRealtimeServer.start(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                new LocalRealtimeServer.Answerer() {
                  @Override
                  public String answer(String callId, String offer) {
                    google.setRemoteDescription(offer, true);
                    return google.createAnswer();
                  }

                  @Override
                  public String answer(String callId, String offer, Map<String, Object> session) {
                    sessionOfTheCall.set(session);
                    return answer(callId, offer);
                  }
                })) {
      String[] args = {
        "--url",
        server.callsUrl().toString(),
        "--api-key",
        "sk-interop",
        "--seconds",
        "3",
        "--output",
        wav.toString(),
        "--timeout",
        "10"
      };
      CompletableFuture<DemoCall.Result> run =
          CompletableFuture.supplyAsync(
              () -> OpenAiRealtimeExample.run(args, Map.of(), out), executor);

      assertTrue(
          google.awaitConnected(20_000),
          "libwebrtc states " + google.states() + "\n" + bytes.toString(StandardCharsets.UTF_8));
      // The session was configured with the ephemeral key; the client opened oai-events and
      // asked for the greeting.
      Map<String, Object> session = sessionOfTheCall.get();
      assertEquals("realtime", session.get("type"));
      assertEquals(
          "marin", Json.string(Json.object(Json.object(session, "audio"), "output"), "voice"));
      RTCDataChannel channel = google.pollRemoteChannel(10_000);
      assertNotNull(channel, "no channel from the client");
      assertEquals("oai-events", channel.getLabel());
      assertEquals("response.create", Json.parseObject(google.pollMessage(10_000)).get("type"));

      // Play the model: a transcript, a function call, an error event and one of a future type.
      send(
          channel,
          "{\"type\":\"response.output_audio_transcript.delta\",\"item_id\":\"item_1\","
              + "\"delta\":\"Hi from libwebrtc\"}");
      send(
          channel,
          "{\"type\":\"response.output_audio_transcript.done\",\"item_id\":\"item_1\","
              + "\"transcript\":\"Hi from libwebrtc\"}");
      send(
          channel,
          "{\"type\":\"response.function_call_arguments.done\",\"name\":\"get_time\","
              + "\"arguments\":\"{}\",\"call_id\":\"call_1\",\"item_id\":\"item_2\"}");
      send(
          channel,
          "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\","
              + "\"message\":\"Unknown parameter\"}}");
      send(channel, "{\"type\":\"response.audio_transcript.delta\",\"delta\":\"beta\"}");

      // The tool's answer comes back over the channel, then the request to go on.
      Map<String, Object> output = Json.parseObject(google.pollMessage(10_000));
      assertEquals("conversation.item.create", output.get("type"));
      Map<String, Object> item = Json.object(output, "item");
      assertEquals("function_call_output", item.get("type"));
      assertEquals("call_1", item.get("call_id"));
      assertTrue(
          Json.string(item, "output").matches("\\{\"time\":\"\\d\\d:\\d\\d:\\d\\d\"}"),
          item.toString());
      assertEquals("response.create", Json.parseObject(google.pollMessage(5_000)).get("type"));

      // And speak: a tone in 10 ms pieces until the client's run ends.
      CountDownLatch never = new CountDownLatch(1);
      short[] tone = tone10ms();
      for (int i = 0; i < 1_000 && !run.isDone(); i++) {
        google.pushAudio(tone);
        never.await(10, TimeUnit.MILLISECONDS);
      }
      DemoCall.Result r = run.get(30, TimeUnit.SECONDS);
      String printed = bytes.toString(StandardCharsets.UTF_8);

      assertEquals(0, r.exitCode(), printed);
      Map<String, Object> s = r.summary();
      assertEquals("COMPLETED", s.get("stateReached"), printed);
      Map<String, Object> audio = (Map<String, Object>) s.get("audio");
      assertTrue(((Number) audio.get("packetsReceived")).longValue() > 20, printed);
      assertTrue(((Number) audio.get("framesDecoded")).longValue() > 20, printed);
      assertTrue(((Number) audio.get("packetsSent")).longValue() > 50, printed);
      assertTrue(
          google.inboundAudioPackets() > 50, "libwebrtc got " + google.inboundAudioPackets());
      Map<String, Object> events = (Map<String, Object>) s.get("events");
      assertEquals(1L, events.get("response.output_audio_transcript.done"), printed);
      assertEquals(1L, events.get("response.function_call_arguments.done"), printed);
      assertEquals(1L, events.get("error"), printed);
      // A beta name is an event of a type the client does not model: counted, not lost.
      assertEquals(1L, events.get("response.audio_transcript.delta"), printed);
      assertEquals("Hi from libwebrtc", s.get("transcript"), printed);
      assertTrue(printed.contains("assistant: Hi from libwebrtc"), printed);
      assertTrue(printed.contains("< function call get_time({}) call_id call_1"), printed);
      assertTrue(printed.contains("< error: Unknown parameter (invalid_request_error)"), printed);

      short[] heard = WavReader.read(wav).samples();
      double dbfs = LevelMeter.rmsDbfs(heard, 0, heard.length);
      assertTrue(dbfs > -40, "the tone arrived at " + dbfs + " dBFS");
    } finally {
      executor.shutdownNow();
    }
  }
}
