package io.github.jpeer.examples.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jpeer.media.LevelMeter;
import io.github.jpeer.media.WavAudio;
import io.github.jpeer.media.WavReader;
import io.github.jpeer.realtime.local.StandInAnswerer;
import io.github.jpeer.signaling.internal.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's main job in one JVM: the client and the {@code --local} stand-in (a jpeer echo peer
 * behind the JDK HTTP server) talking over 127.0.0.1 for a few seconds.
 */
class LocalRunTest {
  @TempDir Path dir;

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  @SuppressWarnings("unchecked")
  void localRunEchoesAudioAndExchangesEvents() throws Exception {
    Path wav = dir.resolve("heard.wav");
    Path summaryFile = dir.resolve("summary.json");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    DemoCall.Result r =
        OpenAiRealtimeExample.run(
            new String[] {
              "--local",
              "--seconds",
              "2",
              "--output",
              wav.toString(),
              "--summary",
              summaryFile.toString()
            },
            Map.of("OPENAI_API_KEY", "sk-must-not-be-sent"),
            out);
    String printed = bytes.toString(StandardCharsets.UTF_8);

    assertEquals(0, r.exitCode(), printed);
    assertNull(r.reason());
    Map<String, Object> s = r.summary();
    assertEquals("COMPLETED", s.get("stateReached"));
    assertTrue(
        ((List<?>) s.get("states")).containsAll(List.of("CHECKING", "CONNECTED", "COMPLETED")),
        printed);
    assertTrue(((Number) s.get("connectMillis")).longValue() > 0);
    assertTrue(((String) s.get("callId")).startsWith("rtc_"), printed);

    Map<String, Object> audio = (Map<String, Object>) s.get("audio");
    long sent = ((Number) audio.get("packetsSent")).longValue();
    long received = ((Number) audio.get("packetsReceived")).longValue();
    // Two seconds of 20 ms frames, and the echo of (nearly) all of them.
    assertTrue(sent >= 80, "sent " + sent);
    assertTrue(received >= sent * 8 / 10, "received " + received + " of " + sent);
    assertTrue(((Number) audio.get("framesDecoded")).longValue() > 0);

    Map<String, Object> data = (Map<String, Object>) s.get("dataChannel");
    assertEquals(true, data.get("opened"));
    // response.create, then the tool's function_call_output and response.create.
    assertEquals(3L, ((Number) data.get("messagesSent")).longValue());
    assertEquals(1L, ((Number) s.get("functionCalls")).longValue());
    Map<String, Object> events = (Map<String, Object>) s.get("events");
    for (String type :
        List.of(
            "session.created",
            "response.created",
            "response.function_call_arguments.done",
            "output_audio_buffer.started",
            "response.output_audio_transcript.delta",
            "response.output_audio_transcript.done",
            "response.done")) {
      assertTrue(events.containsKey(type), type + " missing from " + events);
    }
    String transcript = (String) s.get("transcript");
    assertTrue(
        transcript.matches("The tool answered: \\{\"time\":\"\\d\\d:\\d\\d:\\d\\d\"}"), transcript);

    // What was written is the echo of a speech-like signal: clearly not silence.
    WavAudio heard = WavReader.read(wav);
    assertEquals(48_000, heard.format().sampleRate());
    assertTrue(heard.durationMillis() >= 1_000, heard.toString());
    short[] pcm = heard.samples();
    double dbfs = LevelMeter.rmsDbfs(pcm, 0, pcm.length);
    assertTrue(dbfs > -45, "output level " + dbfs + " dBFS");

    // The file is the same summary, as JSON another tool can read.
    Map<String, Object> json = Json.parseObject(Files.readString(summaryFile));
    assertEquals("ok", json.get("result"));
    assertEquals("COMPLETED", json.get("stateReached"));
    assertEquals(
        received, ((Number) Json.object(json, "audio").get("packetsReceived")).longValue());

    // What the user sees: states, events as they arrive, the transcript, level lines.
    assertTrue(printed.contains("state COMPLETED"), printed);
    assertTrue(printed.contains("< session.created"), printed);
    assertTrue(printed.contains("< function call get_time({}) call_id call_"), printed);
    assertTrue(printed.contains("assistant: " + transcript), printed);
    assertTrue(
        printed.matches("(?s).*  1 s  in .* dBFS  out .* dBFS  sent \\d+  recv \\d+.*"), printed);
    assertFalse(printed.contains("sk-must-not-be-sent"), printed);
  }

  /**
   * {@code --local-tcp-only}: the stand-in answers as api.openai.com does once a network blocks
   * UDP, with one passive TCP candidate; the client (default configuration) dials it and the call
   * runs over ICE-TCP, voice both ways and the event channel.
   */
  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  @SuppressWarnings("unchecked")
  void aStandInThatAnswersWithATcpCandidateOnlyIsReachedOverTcp() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DemoCall.Result r =
        OpenAiRealtimeExample.run(
            new String[] {
              "--local-tcp-only", "--seconds", "2", "--output", dir.resolve("tcp.wav").toString()
            },
            Map.of(),
            new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String printed = bytes.toString(StandardCharsets.UTF_8);
    assertEquals(0, r.exitCode(), printed);
    Map<String, Object> s = r.summary();
    assertEquals("COMPLETED", s.get("stateReached"), printed);
    assertEquals("tcp", s.get("protocol"), printed);
    Map<String, Object> audio = (Map<String, Object>) s.get("audio");
    long sent = ((Number) audio.get("packetsSent")).longValue();
    long received = ((Number) audio.get("packetsReceived")).longValue();
    assertTrue(sent >= 80 && received >= sent * 8 / 10, "sent " + sent + ", received " + received);
    assertTrue(
        ((String) s.get("transcript")).startsWith(StandInAnswerer.TOOL_REPLY_PREFIX), printed);
  }
}
