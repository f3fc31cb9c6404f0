package io.github.jpeer.examples.openai;

import io.github.jpeer.signaling.Json;
import io.github.jpeer.signaling.JsonException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON events of the {@code oai-events} channel that this example sends and reads, in the GA
 * shape of the Realtime API (with the beta names still accepted where they differ).
 */
final class RealtimeEvents {
  /** GA name of a transcript piece of the model's spoken answer. */
  static final String TRANSCRIPT_DELTA = "response.output_audio_transcript.delta";

  /** The beta name of the same event, still sent by older models. */
  static final String BETA_TRANSCRIPT_DELTA = "response.audio_transcript.delta";

  /** GA name of the end of the transcript. */
  static final String TRANSCRIPT_DONE = "response.output_audio_transcript.done";

  /** The beta name of the same event. */
  static final String BETA_TRANSCRIPT_DONE = "response.audio_transcript.done";

  /** A function call's arguments are complete. */
  static final String FUNCTION_CALL_DONE = "response.function_call_arguments.done";

  /**
   * The server's voice activity detection heard the user start to speak (barge-in): the assistant's
   * answer is cut off, and the audio of it already received must not play.
   */
  static final String SPEECH_STARTED = "input_audio_buffer.speech_started";

  private RealtimeEvents() {}

  /**
   * The session configuration: what {@code client_secrets} takes, and (without the model) what
   * {@code session.update} carries. Over WebRTC the audio travels as Opus in RTP, whatever the
   * formats say; they matter for the events that carry audio in JSON.
   */
  static Map<String, Object> session(Options o, boolean withModel) {
    Map<String, Object> session = new LinkedHashMap<>();
    session.put("type", "realtime");
    if (withModel) {
      session.put("model", o.model());
    }
    session.put("instructions", o.instructions());
    Map<String, Object> pcm = Map.of("type", "audio/pcm", "rate", 24_000);
    Map<String, Object> input = new LinkedHashMap<>();
    input.put("format", pcm);
    input.put("turn_detection", Map.of("type", "server_vad"));
    Map<String, Object> output = new LinkedHashMap<>();
    output.put("format", pcm);
    output.put("voice", o.voice());
    session.put("audio", Map.of("input", input, "output", output));
    return session;
  }

  /** {@code session.update} with the session configuration. */
  static String sessionUpdate(Options o) {
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("type", "session.update");
    event.put("session", session(o, false));
    return Json.write(event);
  }

  /** {@code response.create}: asks the model to speak first (the greeting). */
  static String responseCreate() {
    return Json.write(Map.of("type", "response.create"));
  }

  /** The parsed event, or null if {@code text} is not a JSON object. */
  static Map<String, Object> parse(String text) {
    try {
      return Json.parseObject(text);
    } catch (JsonException e) {
      return null;
    }
  }

  /** The event's {@code type}, or {@code "(no type)"}. */
  static String type(Map<String, Object> event) {
    String t = event == null ? null : Json.string(event, "type");
    return t == null ? "(no type)" : t;
  }

  /** Whether {@code type} is a transcript piece (GA or beta name). */
  static boolean isTranscriptDelta(String type) {
    return TRANSCRIPT_DELTA.equals(type) || BETA_TRANSCRIPT_DELTA.equals(type);
  }

  /** Whether {@code type} ends a transcript (GA or beta name). */
  static boolean isTranscriptDone(String type) {
    return TRANSCRIPT_DONE.equals(type) || BETA_TRANSCRIPT_DONE.equals(type);
  }

  /** The one-line text of an {@code error} event: its message, code and type. */
  static String errorText(Map<String, Object> event) {
    Map<String, Object> error = Json.object(event, "error");
    String message = Json.string(error, "message");
    String code = Json.string(error, "code");
    String type = Json.string(error, "type");
    StringBuilder sb = new StringBuilder(message == null ? "(no message)" : message);
    if (code != null || type != null) {
      sb.append(" (").append(code != null ? code : type).append(')');
    }
    return sb.toString().replace('\n', ' ');
  }
}
