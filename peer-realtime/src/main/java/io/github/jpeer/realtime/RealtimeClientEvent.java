package io.github.jpeer.realtime;

import io.github.jpeer.signaling.internal.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An event to the Realtime server: one record per client event, each written by {@link #toJson()}
 * in the GA shape. Every record takes an optional {@code eventId} (null for none): the server names
 * it in an {@code error} that the event causes ({@link RealtimeEvent.ErrorEvent#clientEventId()}).
 */
public sealed interface RealtimeClientEvent
    permits RealtimeClientEvent.SessionUpdate,
        RealtimeClientEvent.InputAudioBufferCommit,
        RealtimeClientEvent.InputAudioBufferClear,
        RealtimeClientEvent.FunctionCallOutput,
        RealtimeClientEvent.UserMessage,
        RealtimeClientEvent.ResponseCreate,
        RealtimeClientEvent.ResponseCancel,
        RealtimeClientEvent.OutputAudioBufferClear {

  /** The event's {@code type}, e.g. {@code session.update}. */
  String type();

  /** The client's {@code event_id}, or null to send none. */
  String eventId();

  /** The event as one compact JSON object, ready for the data channel. */
  String toJson();

  /** The start of every event: its type and, if set, its id. */
  private static Map<String, Object> event(RealtimeClientEvent e) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("type", e.type());
    if (e.eventId() != null) {
      o.put("event_id", e.eventId());
    }
    return o;
  }

  /**
   * {@code session.update}: changes the session's settings; only those {@code session} states
   * change. The server answers with {@code session.updated}.
   *
   * @param session the settings to change
   */
  record SessionUpdate(String eventId, SessionConfig session) implements RealtimeClientEvent {
    /** The wire type. */
    public static final String TYPE = "session.update";

    /**
     * Checks the components.
     *
     * @throws NullPointerException if {@code session} is null
     */
    public SessionUpdate {
      Objects.requireNonNull(session, "session: the settings to change");
    }

    /** Without an event id. */
    public SessionUpdate(SessionConfig session) {
      this(null, session);
    }

    @Override
    public String type() {
      return TYPE;
    }

    @Override
    public String toJson() {
      Map<String, Object> o = event(this);
      o.put("session", session.toJsonValue());
      return Json.write(o);
    }
  }

  /**
   * {@code input_audio_buffer.commit}: ends the user's turn by hand (without turn detection). Over
   * WebRTC the input audio is the RTP stream, so there is no {@code append}.
   */
  record InputAudioBufferCommit(String eventId) implements RealtimeClientEvent {
    /** The wire type. */
    public static final String TYPE = "input_audio_buffer.commit";

    /** Without an event id. */
    public InputAudioBufferCommit() {
      this(null);
    }

    @Override
    public String type() {
      return TYPE;
    }

    @Override
    public String toJson() {
      return Json.write(event(this));
    }
  }

  /** {@code input_audio_buffer.clear}: drops the input audio not yet committed. */
  record InputAudioBufferClear(String eventId) implements RealtimeClientEvent {
    /** The wire type. */
    public static final String TYPE = "input_audio_buffer.clear";

    /** Without an event id. */
    public InputAudioBufferClear() {
      this(null);
    }

    @Override
    public String type() {
      return TYPE;
    }

    @Override
    public String toJson() {
      return Json.write(event(this));
    }
  }

  /**
   * {@code conversation.item.create} with a {@code function_call_output} item: the application's
   * answer to a function call. The model does not speak on it until {@link ResponseCreate}.
   *
   * @param callId the {@code call_id} of the function call answered
   * @param output the result, usually JSON text
   */
  record FunctionCallOutput(String eventId, String callId, String output)
      implements RealtimeClientEvent {
    /** The wire type. */
    public static final String TYPE = "conversation.item.create";

    /**
     * Checks the components.
     *
     * @throws NullPointerException if {@code callId} or {@code output} is null
     */
    public FunctionCallOutput {
      Objects.requireNonNull(callId, "callId: the call_id of the function call answered");
      Objects.requireNonNull(output, "output: the result (an empty string for none)");
    }

    /** Without an event id. */
    public FunctionCallOutput(String callId, String output) {
      this(null, callId, output);
    }

    @Override
    public String type() {
      return TYPE;
    }

    @Override
    public String toJson() {
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("type", "function_call_output");
      item.put("call_id", callId);
      item.put("output", output);
      Map<String, Object> o = event(this);
      o.put("item", item);
      return Json.write(o);
    }
  }

  /**
   * {@code conversation.item.create} with a user {@code message} item of one {@code input_text}
   * part: text as if the user had said it.
   *
   * @param text what the user says
   */
  record UserMessage(String eventId, String text) implements RealtimeClientEvent {
    /** The wire type. */
    public static final String TYPE = "conversation.item.create";

    /**
     * Checks the components.
     *
     * @throws NullPointerException if {@code text} is null
     */
    public UserMessage {
      Objects.requireNonNull(text, "text: what the user says");
    }

    /** Without an event id. */
    public UserMessage(String text) {
      this(null, text);
    }

    @Override
    public String type() {
      return TYPE;
    }

    @Override
    public String toJson() {
      Map<String, Object> part = new LinkedHashMap<>();
      part.put("type", "input_text");
      part.put("text", text);
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("type", "message");
      item.put("role", "user");
      item.put("content", List.of(part));
      Map<String, Object> o = event(this);
      o.put("item", item);
      return Json.write(o);
    }
  }

  /**
   * {@code response.create}: asks the model to respond now (to speak first, after a function call
   * output, or without turn detection).
   *
   * @param instructions instructions for this response only (sent as {@code
   *     response.instructions}), or null for the session's
   */
  record ResponseCreate(String eventId, String instructions) implements RealtimeClientEvent {
    /** The wire type. */
    public static final String TYPE = "response.create";

    /** Without an event id or instructions of its own. */
    public ResponseCreate() {
      this(null, null);
    }

    @Override
    public String type() {
      return TYPE;
    }

    @Override
    public String toJson() {
      Map<String, Object> o = event(this);
      if (instructions != null) {
        o.put("response", Map.of("instructions", instructions));
      }
      return Json.write(o);
    }
  }

  /**
   * {@code response.cancel}: stops the response in progress. Over WebRTC, follow it with {@link
   * OutputAudioBufferClear} to cut the audio already on its way.
   *
   * @param responseId the response to cancel, or null for the one in progress
   */
  record ResponseCancel(String eventId, String responseId) implements RealtimeClientEvent {
    /** The wire type. */
    public static final String TYPE = "response.cancel";

    /** The response in progress, without an event id. */
    public ResponseCancel() {
      this(null, null);
    }

    @Override
    public String type() {
      return TYPE;
    }

    @Override
    public String toJson() {
      Map<String, Object> o = event(this);
      if (responseId != null) {
        o.put("response_id", responseId);
      }
      return Json.write(o);
    }
  }

  /**
   * {@code output_audio_buffer.clear} (WebRTC and SIP only): drops the response audio the server
   * has not yet played; the server answers with {@code output_audio_buffer.cleared}. Send {@link
   * ResponseCancel} first, so that no new audio follows.
   */
  record OutputAudioBufferClear(String eventId) implements RealtimeClientEvent {
    /** The wire type. */
    public static final String TYPE = "output_audio_buffer.clear";

    /** Without an event id. */
    public OutputAudioBufferClear() {
      this(null);
    }

    @Override
    public String type() {
      return TYPE;
    }

    @Override
    public String toJson() {
      return Json.write(event(this));
    }
  }
}
