package io.github.jpeer.realtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jpeer.realtime.RealtimeClientEvent.FunctionCallOutput;
import io.github.jpeer.realtime.RealtimeClientEvent.InputAudioBufferClear;
import io.github.jpeer.realtime.RealtimeClientEvent.InputAudioBufferCommit;
import io.github.jpeer.realtime.RealtimeClientEvent.OutputAudioBufferClear;
import io.github.jpeer.realtime.RealtimeClientEvent.ResponseCancel;
import io.github.jpeer.realtime.RealtimeClientEvent.ResponseCreate;
import io.github.jpeer.realtime.RealtimeClientEvent.SessionUpdate;
import io.github.jpeer.realtime.RealtimeClientEvent.UserMessage;
import io.github.jpeer.signaling.internal.Json;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every client event's toJson, read back with peer-signaling's Json and checked field by field. */
class RealtimeClientEventTest {
  private static final String WEATHER_SCHEMA =
      "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},"
          + "\"required\":[\"city\"]}";

  private static Map<String, Object> json(RealtimeClientEvent e) {
    Map<String, Object> o = Json.parseObject(e.toJson());
    assertEquals(e.type(), o.get("type"));
    return o;
  }

  @Test
  void sessionUpdateWithEverySetting() {
    SessionConfig config =
        SessionConfig.builder()
            .instructions("Be brief.\nSpeak French.")
            .voice("marin")
            .outputModalities("audio")
            .turnDetection(TurnDetection.SEMANTIC_VAD)
            .transcriptionModel("gpt-4o-transcribe")
            .tool("get_weather", "Weather of a city", WEATHER_SCHEMA)
            .tool("hang_up", null, null)
            .toolChoice(ToolChoice.AUTO)
            .build();
    Map<String, Object> o = json(new SessionUpdate("evt_1", config));
    assertEquals("session.update", o.get("type"));
    assertEquals("evt_1", o.get("event_id"));
    Map<String, Object> s = Json.object(o, "session");
    assertEquals("realtime", s.get("type"));
    assertEquals("Be brief.\nSpeak French.", s.get("instructions"));
    assertEquals(List.of("audio"), s.get("output_modalities"));
    Map<String, Object> input = Json.object(Json.object(s, "audio"), "input");
    assertEquals(Map.of("type", "semantic_vad"), input.get("turn_detection"));
    assertEquals(Map.of("model", "gpt-4o-transcribe"), input.get("transcription"));
    assertEquals("marin", Json.object(Json.object(s, "audio"), "output").get("voice"));
    assertEquals("auto", s.get("tool_choice"));
    List<?> tools = (List<?>) s.get("tools");
    assertEquals(
        Map.of(
            "type",
            "function",
            "name",
            "get_weather",
            "description",
            "Weather of a city",
            "parameters",
            Json.parseObject(WEATHER_SCHEMA)),
        tools.get(0));
    assertEquals(Map.of("type", "function", "name", "hang_up"), tools.get(1));
  }

  @Test
  void sessionUpdateSendsOnlyWhatIsStated() {
    Map<String, Object> o =
        json(new SessionUpdate(SessionConfig.builder().instructions("Hi").build()));
    assertFalse(o.containsKey("event_id"));
    assertEquals(Map.of("type", "realtime", "instructions", "Hi"), o.get("session"));
  }

  @Test
  void turnDetectionNoneIsSentAsNull() {
    Map<String, Object> s =
        Json.object(
            json(
                new SessionUpdate(
                    SessionConfig.builder().turnDetection(TurnDetection.NONE).build())),
            "session");
    Map<String, Object> input = Json.object(Json.object(s, "audio"), "input");
    assertTrue(input.containsKey("turn_detection"));
    assertNull(input.get("turn_detection"));
    assertEquals(
        Map.of("type", "server_vad"),
        Json.object(
                Json.object(
                    Json.object(
                        json(
                            new SessionUpdate(
                                SessionConfig.builder()
                                    .turnDetection(TurnDetection.SERVER_VAD)
                                    .build())),
                        "session"),
                    "audio"),
                "input")
            .get("turn_detection"));
  }

  @Test
  void toolChoiceOfOneFunctionAndEmptyTools() {
    Map<String, Object> s =
        Json.object(
            json(
                new SessionUpdate(
                    SessionConfig.builder()
                        .tools(List.of())
                        .toolChoice(ToolChoice.function("hang_up"))
                        .build())),
            "session");
    assertEquals(List.of(), s.get("tools"));
    assertEquals(Map.of("type", "function", "name", "hang_up"), s.get("tool_choice"));
    assertEquals(
        "required",
        Json.object(
                json(
                    new SessionUpdate(
                        SessionConfig.builder().toolChoice(ToolChoice.REQUIRED).build())),
                "session")
            .get("tool_choice"));
  }

  /** What session.update sends, the server reports back in session.updated: the same config. */
  @Test
  void aSessionConfigSurvivesTheTripThroughTheServersShape() {
    SessionConfig config =
        SessionConfig.builder()
            .instructions("x")
            .voice("alloy")
            .outputModalities("text")
            .turnDetection(TurnDetection.NONE)
            .transcriptionModel("whisper-1")
            .tool("get_weather", "w", WEATHER_SCHEMA)
            .toolChoice(ToolChoice.function("get_weather"))
            .build();
    String session = Json.write(Json.object(json(new SessionUpdate(config)), "session"));
    RealtimeEvent e =
        RealtimeEvents.parse("{\"type\":\"session.updated\",\"session\":" + session + "}");
    assertEquals(config, ((RealtimeEvent.SessionUpdated) e).session());
  }

  @Test
  void inputAudioBufferCommitAndClear() {
    assertEquals(Map.of("type", "input_audio_buffer.commit"), json(new InputAudioBufferCommit()));
    assertEquals(
        Map.of("type", "input_audio_buffer.commit", "event_id", "e1"),
        json(new InputAudioBufferCommit("e1")));
    assertEquals(Map.of("type", "input_audio_buffer.clear"), json(new InputAudioBufferClear()));
    assertEquals(
        Map.of("type", "input_audio_buffer.clear", "event_id", "e2"),
        json(new InputAudioBufferClear("e2")));
  }

  @Test
  void functionCallOutput() {
    Map<String, Object> o =
        json(new FunctionCallOutput("e3", "call_abc", "{\"temperature_c\":21,\"sky\":\"clear\"}"));
    assertEquals("conversation.item.create", o.get("type"));
    assertEquals("e3", o.get("event_id"));
    assertEquals(
        Map.of(
            "type",
            "function_call_output",
            "call_id",
            "call_abc",
            "output",
            "{\"temperature_c\":21,\"sky\":\"clear\"}"),
        o.get("item"));
    assertFalse(json(new FunctionCallOutput("c", "")).containsKey("event_id"));
  }

  @Test
  void userMessage() {
    Map<String, Object> o = json(new UserMessage("Say \"hi\" in Norwegian."));
    assertEquals("conversation.item.create", o.get("type"));
    assertEquals(
        Map.of(
            "type",
            "message",
            "role",
            "user",
            "content",
            List.of(Map.of("type", "input_text", "text", "Say \"hi\" in Norwegian."))),
        o.get("item"));
  }

  @Test
  void responseCreate() {
    assertEquals(Map.of("type", "response.create"), json(new ResponseCreate()));
    assertEquals(
        Map.of(
            "type",
            "response.create",
            "event_id",
            "e4",
            "response",
            Map.of("instructions", "Greet the caller.")),
        json(new ResponseCreate("e4", "Greet the caller.")));
  }

  @Test
  void responseCancel() {
    assertEquals(Map.of("type", "response.cancel"), json(new ResponseCancel()));
    assertEquals(
        Map.of("type", "response.cancel", "event_id", "e5", "response_id", "resp_1"),
        json(new ResponseCancel("e5", "resp_1")));
  }

  @Test
  void outputAudioBufferClear() {
    assertEquals(Map.of("type", "output_audio_buffer.clear"), json(new OutputAudioBufferClear()));
    assertEquals(
        Map.of("type", "output_audio_buffer.clear", "event_id", "e6"),
        json(new OutputAudioBufferClear("e6")));
  }

  @Test
  void misuseSaysWhatIsWrong() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new Tool("f", null, "[1]"));
    assertTrue(e.getMessage().contains("JSON object"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new Tool("f", null, "{"));
    assertThrows(NullPointerException.class, () -> new Tool(null, null, null));
    assertThrows(IllegalArgumentException.class, () -> new ToolChoice("auto", "f"));
    assertThrows(NullPointerException.class, () -> new ToolChoice("function", null));
    assertThrows(NullPointerException.class, () -> new SessionUpdate(null));
    assertThrows(NullPointerException.class, () -> new FunctionCallOutput(null, "x"));
    assertThrows(NullPointerException.class, () -> new UserMessage(null));
  }

  @Test
  void sessionConfigIsImmutable() {
    List<String> modalities = new ArrayList<>(Arrays.asList("audio"));
    SessionConfig c = new SessionConfig(null, null, modalities, null, null, null, null);
    modalities.add("text");
    assertEquals(List.of("audio"), c.outputModalities());
    assertThrows(UnsupportedOperationException.class, () -> c.outputModalities().add("text"));
  }
}
