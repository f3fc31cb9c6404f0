package io.github.jpeer.realtime;

import java.util.List;

/**
 * An event from the Realtime server, parsed by {@link RealtimeEvents#parse(String)}: one immutable
 * record per GA server event type this version models, {@link Unknown} for any other type, and
 * {@link Malformed} for text that is not an event at all.
 *
 * <p>Every event keeps the text it was parsed from ({@link #json()}), so that whatever a record
 * does not model (content indexes, logprobs, token details) can still be read. Members are read
 * leniently: one that is absent or has the wrong JSON type reads as null (strings), -1 (counts and
 * times) or an empty value, and never makes the event fail to parse.
 *
 * <p>The field names are those of OpenAI's GA Realtime reference ("server events"). Where a record
 * models less than the reference lists, its Javadoc says so.
 */
public sealed interface RealtimeEvent
    permits RealtimeEvent.SessionCreated,
        RealtimeEvent.SessionUpdated,
        RealtimeEvent.SpeechStarted,
        RealtimeEvent.SpeechStopped,
        RealtimeEvent.InputAudioBufferCommitted,
        RealtimeEvent.InputAudioBufferCleared,
        RealtimeEvent.ConversationItemCreated,
        RealtimeEvent.ConversationItemAdded,
        RealtimeEvent.ConversationItemDone,
        RealtimeEvent.InputAudioTranscriptionDelta,
        RealtimeEvent.InputAudioTranscriptionCompleted,
        RealtimeEvent.ResponseCreated,
        RealtimeEvent.ResponseDone,
        RealtimeEvent.OutputAudioTranscriptDelta,
        RealtimeEvent.OutputAudioTranscriptDone,
        RealtimeEvent.OutputTextDelta,
        RealtimeEvent.OutputTextDone,
        RealtimeEvent.FunctionCallArgumentsDelta,
        RealtimeEvent.FunctionCallArgumentsDone,
        RealtimeEvent.OutputAudioBufferStarted,
        RealtimeEvent.OutputAudioBufferStopped,
        RealtimeEvent.OutputAudioBufferCleared,
        RealtimeEvent.RateLimitsUpdated,
        RealtimeEvent.ErrorEvent,
        RealtimeEvent.Unknown,
        RealtimeEvent.Malformed {

  /** The event's {@code type}, e.g. {@code session.created}; null only for {@link Malformed}. */
  String type();

  /** The server's {@code event_id} for this event, or null if it sent none. */
  String eventId();

  /** The JSON text the event was parsed from, as received. */
  String json();

  /**
   * {@code session.created}: the first event of a session, with its effective configuration.
   *
   * @param sessionId {@code session.id}
   * @param model {@code session.model}
   * @param session the settings the session states
   */
  record SessionCreated(
      String eventId, String sessionId, String model, SessionConfig session, String json)
      implements RealtimeEvent {
    /** The wire type. */
    public static final String TYPE = "session.created";

    @Override
    public String type() {
      return TYPE;
    }
  }

  /**
   * {@code session.updated}: the answer to {@code session.update}, with the whole effective
   * configuration (not only what the update changed).
   *
   * @param sessionId {@code session.id}
   * @param model {@code session.model}
   * @param session the settings the session states
   */
  record SessionUpdated(
      String eventId, String sessionId, String model, SessionConfig session, String json)
      implements RealtimeEvent {
    /** The wire type. */
    public static final String TYPE = "session.updated";

    @Override
    public String type() {
      return TYPE;
    }
  }

  /**
   * {@code input_audio_buffer.speech_started}: server VAD heard the user begin to speak. With turn
   * detection on, this is barge-in: the server cancels the answer in progress.
   *
   * @param itemId the user message item that the speech will become
   * @param audioStartMillis {@code audio_start_ms}: where in the session's input audio the speech
   *     began, -1 if absent
   */
  record SpeechStarted(String eventId, String itemId, long audioStartMillis, String json)
      implements RealtimeEvent {
    /** The wire type. */
    public static final String TYPE = "input_audio_buffer.speech_started";

    @Override
    public String type() {
      return TYPE;
    }
  }

  /**
   * {@code input_audio_buffer.speech_stopped}: server VAD heard the user stop.
   *
   * @param itemId the user message item that the speech becomes
   * @param audioEndMillis {@code audio_end_ms}, -1 if absent
   */
  record SpeechStopped(String eventId, String itemId, long audioEndMillis, String json)
      implements RealtimeEvent {
    /** The wire type. */
    public static final String TYPE = "input_audio_buffer.speech_stopped";

    @Override
    public String type() {
      return TYPE;
    }
  }

  /**
   * {@code input_audio_buffer.committed}: the input audio became a user message item (by VAD or by
   * the client's {@code input_audio_buffer.commit}).
   *
   * @param itemId the new item
   * @param previousItemId the item it follows, or null
   */
  record InputAudioBufferCommitted(
      String eventId, String itemId, String previousItemId, String json) implements RealtimeEvent {
    /** The wire type. */
    public static final String TYPE = "input_audio_buffer.committed";

    @Override
    public String type() {
      return TYPE;
    }
  }

  /** {@code input_audio_buffer.cleared}: the answer to {@code input_audio_buffer.clear}. */
  record InputAudioBufferCleared(String eventId, String json) implements RealtimeEvent {
    /** The wire type. */
    public static final String TYPE = "input_audio_buffer.cleared";

    @Override
    public String type() {
      return TYPE;
    }
  }

  /**
   * {@code conversation.item.created}: an item entered the conversation.
   *
   * @param previousItemId the item it follows, or null
   * @param item the item (all members null if the event carried none)
   */
  record ConversationItemCreated(
      String eventId, String previousItemId, ConversationItem item, String json)
      implements RealtimeEvent {
    /** The wire type. */
    public static final String TYPE = "conversation.item.created";

    @Override
    public String type() {
      return TYPE;
    }
  }

  /**
   * {@code conversation.item.added} (GA): an item was added to the conversation; its content may
   * still be streaming.
   *
   * @param previousItemId the item it follows, or null
   * @param item the item (all members null if the event carried none)
   */
  record ConversationItemAdded(
      String eventId, String previousItemId, ConversationItem item, String json)
      implements RealtimeEvent {
    /** The wire type. */
    public static final String TYPE = "conversation.item.added";

    @Override
    public String type() {
      return TYPE;
    }
  }

  /**
   * {@code conversation.item.done} (GA): an item is complete (a function call's {@code arguments}
   * are final here).
   *
   * @param previousItemId the item it follows, or null
   * @param item the item (all members null if the event carried none)
   */
  record ConversationItemDone(
      String eventId, String previousItemId, ConversationItem item, String json)
      implements RealtimeEvent {
    /** The wire type. */
    public static final String TYPE = "conversation.item.done";

    @Override
    public String type() {
      return TYPE;
    }
  }

  /**
   * {@code conversation.item.input_audio_transcription.delta}: a piece of the user's transcript
   * (sent only when the session has a transcription model). Its {@code content_index} and {@code
   * logprobs} stay in {@link #json()}.
   *
   * @param itemId the user message item transcribed
   * @param delta the new text
   */
  record InputAudioTranscriptionDelta(String eventId, String itemId, String delta, String json)
      implements RealtimeEvent {
    /** The wire type. */
    public static final String TYPE = "conversation.item.input_audio_transcription.delta";

    @Override
    public String type() {
      return TYPE;
    }
  }

  /**
   * {@code conversation.item.input_audio_transcription.completed}: the user's whole transcript of
   * one item. The transcription runs beside the model, so this may come after the model's answer
   * has begun.
   *
   * @param itemId the user message item transcribed
   * @param transcript the whole text
   */
  record InputAudioTranscriptionCompleted(
      String eventId, String itemId, String transcript, String json) implements RealtimeEvent {
    /** The wire type. */
    public static final String TYPE = "conversation.item.input_audio_transcription.completed";

    @Override
    public String type() {
      return TYPE;
    }
  }

  /**
   * {@code response.created}: the model began a response.
   *
   * @param responseId {@code response.id}
   * @param status {@code response.status}, {@code in_progress} at this point
   */
  record ResponseCreated(String eventId, String responseId, String status, String json)
      implements RealtimeEvent {
    /** The wire type. */
    public static final String TYPE = "response.created";

    @Override
    public String type() {
      return TYPE;
    }
  }

  /**
   * {@code response.done}: a response ended, however it ended.
   *
   * @param responseId {@code response.id}
   * @param status {@code completed}, {@code cancelled}, {@code failed} or {@code incomplete}
   * @param statusReason {@code response.status_details.reason}, e.g. {@code turn_detected} (the
   *     user barged in) or {@code client_cancelled}; null if absent
   * @param output the response's output items (messages, function calls), without audio
   * @param usage the tokens it used, {@link Usage#NONE} if the server reported none
   */
  record ResponseDone(
      String eventId,
      String responseId,
      String status,
      String statusReason,
      List<ConversationItem> output,
      Usage usage,
      String json)
      implements RealtimeEvent {
    /** The wire type. */
    public static final String TYPE = "response.done";

    /** Copies {@code output}. */
    public ResponseDone {
      output = List.copyOf(output);
    }

    @Override
    public String type() {
      return TYPE;
    }
  }

  /**
   * {@code response.output_audio_transcript.delta} (the beta's {@code
   * response.audio_transcript.delta}): a piece of the transcript of what the assistant says.
   *
   * @param responseId the response
   * @param itemId the assistant message item
   * @param delta the new text
   */
  record OutputAudioTranscriptDelta(
      String eventId, String responseId, String itemId, String delta, String json)
      implements RealtimeEvent {
    /** The wire type. */
    public static final String TYPE = "response.output_audio_transcript.delta";

    @Override
    public String type() {
      return TYPE;
    }
  }

  /**
   * {@code response.output_audio_transcript.done}: the whole transcript of what the assistant said
   * in one item (also sent, shortened, when the answer was interrupted).
   *
   * @param responseId the response
   * @param itemId the assistant message item
   * @param transcript the whole text
   */
  record OutputAudioTranscriptDone(
      String eventId, String responseId, String itemId, String transcript, String json)
      implements RealtimeEvent {
    /** The wire type. */
    public static final String TYPE = "response.output_audio_transcript.done";

    @Override
    public String type() {
      return TYPE;
    }
  }

  /**
   * {@code response.output_text.delta} (the beta's {@code response.text.delta}): a piece of a text
   * answer (output modality {@code text}).
   *
   * @param responseId the response
   * @param itemId the assistant message item
   * @param delta the new text
   */
  record OutputTextDelta(
      String eventId, String responseId, String itemId, String delta, String json)
      implements RealtimeEvent {
    /** The wire type. */
    public static final String TYPE = "response.output_text.delta";

    @Override
    public String type() {
      return TYPE;
    }
  }

  /**
   * {@code response.output_text.done}: the whole text of one item.
   *
   * @param responseId the response
   * @param itemId the assistant message item
   * @param text the whole text
   */
  record OutputTextDone(String eventId, String responseId, String itemId, String text, String json)
      implements RealtimeEvent {
    /** The wire type. */
    public static final String TYPE = "response.output_text.done";

    @Override
    public String type() {
      return TYPE;
    }
  }

  /**
   * {@code response.function_call_arguments.delta}: a piece of a function call's arguments.
   *
   * @param responseId the response
   * @param itemId the function call item
   * @param callId the call's {@code call_id}
   * @param delta the new piece of the arguments' JSON text
   */
  record FunctionCallArgumentsDelta(
      String eventId, String responseId, String itemId, String callId, String delta, String json)
      implements RealtimeEvent {
    /** The wire type. */
    public static final String TYPE = "response.function_call_arguments.delta";

    @Override
    public String type() {
      return TYPE;
    }
  }

  /**
   * {@code response.function_call_arguments.done}: a function call is complete; answer it with
   * {@link RealtimeClientEvent.FunctionCallOutput} and then {@link
   * RealtimeClientEvent.ResponseCreate}.
   *
   * @param responseId the response
   * @param itemId the function call item
   * @param callId the call's {@code call_id}
   * @param name the function's name; the GA reference lists it on this event, but servers before GA
   *     sent it only on the item ({@code conversation.item.done}, {@code response.done}), so it may
   *     be null
   * @param arguments the arguments, a JSON object as text (as the model wrote it: check it)
   */
  record FunctionCallArgumentsDone(
      String eventId,
      String responseId,
      String itemId,
      String callId,
      String name,
      String arguments,
      String json)
      implements RealtimeEvent {
    /** The wire type. */
    public static final String TYPE = "response.function_call_arguments.done";

    @Override
    public String type() {
      return TYPE;
    }
  }

  /**
   * {@code output_audio_buffer.started} (WebRTC and SIP only): the server began to play a
   * response's audio to the client.
   *
   * @param responseId the response whose audio plays
   */
  record OutputAudioBufferStarted(String eventId, String responseId, String json)
      implements RealtimeEvent {
    /** The wire type. */
    public static final String TYPE = "output_audio_buffer.started";

    @Override
    public String type() {
      return TYPE;
    }
  }

  /**
   * {@code output_audio_buffer.stopped} (WebRTC and SIP only): all of a response's audio has been
   * sent.
   *
   * @param responseId the response whose audio played
   */
  record OutputAudioBufferStopped(String eventId, String responseId, String json)
      implements RealtimeEvent {
    /** The wire type. */
    public static final String TYPE = "output_audio_buffer.stopped";

    @Override
    public String type() {
      return TYPE;
    }
  }

  /**
   * {@code output_audio_buffer.cleared} (WebRTC and SIP only): the audio still to play was dropped,
   * on barge-in or after the client's {@code output_audio_buffer.clear}.
   *
   * @param responseId the response whose audio was cut
   */
  record OutputAudioBufferCleared(String eventId, String responseId, String json)
      implements RealtimeEvent {
    /** The wire type. */
    public static final String TYPE = "output_audio_buffer.cleared";

    @Override
    public String type() {
      return TYPE;
    }
  }

  /**
   * {@code rate_limits.updated}: the rate limits as they stand, sent at the start of a response.
   *
   * @param rateLimits one entry per limit ({@code requests}, {@code tokens})
   */
  record RateLimitsUpdated(String eventId, List<RateLimit> rateLimits, String json)
      implements RealtimeEvent {
    /** The wire type. */
    public static final String TYPE = "rate_limits.updated";

    /** Copies {@code rateLimits}. */
    public RateLimitsUpdated {
      rateLimits = List.copyOf(rateLimits);
    }

    @Override
    public String type() {
      return TYPE;
    }
  }

  /**
   * {@code error}: the server refused a client event or failed. Most errors leave the session
   * usable.
   *
   * @param errorType {@code error.type}, e.g. {@code invalid_request_error}
   * @param code {@code error.code}, e.g. {@code invalid_value}, or null
   * @param message {@code error.message}, for people
   * @param param {@code error.param}: the parameter at fault, or null
   * @param clientEventId {@code error.event_id}: the {@code event_id} of the client event that
   *     caused the error, or null
   */
  record ErrorEvent(
      String eventId,
      String errorType,
      String code,
      String message,
      String param,
      String clientEventId,
      String json)
      implements RealtimeEvent {
    /** The wire type. */
    public static final String TYPE = "error";

    @Override
    public String type() {
      return TYPE;
    }
  }

  /**
   * A well-formed event of a type this version does not model (a new server event, a beta name, or
   * one left out on purpose such as {@code response.output_audio.delta}).
   *
   * @param type its {@code type}
   */
  record Unknown(String type, String eventId, String json) implements RealtimeEvent {}

  /**
   * Text that is not a Realtime event: not JSON, not a JSON object, or an object without a string
   * {@code type}.
   *
   * @param json the text as received (null if there was none)
   * @param reason what is wrong with it
   */
  record Malformed(String json, String reason) implements RealtimeEvent {
    /** Always null: a malformed event has no type. */
    @Override
    public String type() {
      return null;
    }

    /** Always null. */
    @Override
    public String eventId() {
      return null;
    }
  }
}
