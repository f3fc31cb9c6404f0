package io.github.jpeer.realtime;

import io.github.jpeer.realtime.RealtimeEvent.ConversationItemAdded;
import io.github.jpeer.realtime.RealtimeEvent.ConversationItemCreated;
import io.github.jpeer.realtime.RealtimeEvent.ConversationItemDone;
import io.github.jpeer.realtime.RealtimeEvent.ErrorEvent;
import io.github.jpeer.realtime.RealtimeEvent.FunctionCallArgumentsDelta;
import io.github.jpeer.realtime.RealtimeEvent.FunctionCallArgumentsDone;
import io.github.jpeer.realtime.RealtimeEvent.InputAudioBufferCleared;
import io.github.jpeer.realtime.RealtimeEvent.InputAudioBufferCommitted;
import io.github.jpeer.realtime.RealtimeEvent.InputAudioTranscriptionCompleted;
import io.github.jpeer.realtime.RealtimeEvent.InputAudioTranscriptionDelta;
import io.github.jpeer.realtime.RealtimeEvent.Malformed;
import io.github.jpeer.realtime.RealtimeEvent.OutputAudioBufferCleared;
import io.github.jpeer.realtime.RealtimeEvent.OutputAudioBufferStarted;
import io.github.jpeer.realtime.RealtimeEvent.OutputAudioBufferStopped;
import io.github.jpeer.realtime.RealtimeEvent.OutputAudioTranscriptDelta;
import io.github.jpeer.realtime.RealtimeEvent.OutputAudioTranscriptDone;
import io.github.jpeer.realtime.RealtimeEvent.OutputTextDelta;
import io.github.jpeer.realtime.RealtimeEvent.OutputTextDone;
import io.github.jpeer.realtime.RealtimeEvent.RateLimitsUpdated;
import io.github.jpeer.realtime.RealtimeEvent.ResponseCreated;
import io.github.jpeer.realtime.RealtimeEvent.ResponseDone;
import io.github.jpeer.realtime.RealtimeEvent.SessionCreated;
import io.github.jpeer.realtime.RealtimeEvent.SessionUpdated;
import io.github.jpeer.realtime.RealtimeEvent.SpeechStarted;
import io.github.jpeer.realtime.RealtimeEvent.SpeechStopped;
import io.github.jpeer.realtime.RealtimeEvent.Unknown;
import io.github.jpeer.signaling.internal.Json;
import io.github.jpeer.signaling.internal.JsonException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Parses server events and hands them to a {@link RealtimeListener}. */
public final class RealtimeEvents {
  private RealtimeEvents() {}

  /**
   * Parses one server event. Never throws: a type this version does not model is {@link
   * RealtimeEvent.Unknown}, and text that is not an event (not JSON, not an object, no string
   * {@code type}, or null) is {@link RealtimeEvent.Malformed}; members of the wrong JSON type read
   * as absent (see {@link RealtimeEvent}).
   *
   * @param json one message of the {@code oai-events} data channel (or WebSocket)
   */
  public static RealtimeEvent parse(String json) {
    if (json == null) {
      return new Malformed(null, "no text (null)");
    }
    Map<String, Object> o;
    try {
      o = Json.parseObject(json);
    } catch (JsonException e) {
      return new Malformed(json, "not a JSON object: " + e.getMessage());
    }
    String type = Fields.string(o, "type");
    if (type == null) {
      return new Malformed(json, o.containsKey("type") ? "type is not a string" : "no type");
    }
    String id = Fields.string(o, "event_id");
    switch (type) {
      case SessionCreated.TYPE:
        {
          Map<String, Object> s = Fields.object(o, "session");
          return new SessionCreated(
              id, Fields.string(s, "id"), Fields.string(s, "model"), SessionConfig.of(s), json);
        }
      case SessionUpdated.TYPE:
        {
          Map<String, Object> s = Fields.object(o, "session");
          return new SessionUpdated(
              id, Fields.string(s, "id"), Fields.string(s, "model"), SessionConfig.of(s), json);
        }
      case SpeechStarted.TYPE:
        return new SpeechStarted(
            id, Fields.string(o, "item_id"), Fields.integer(o, "audio_start_ms", -1), json);
      case SpeechStopped.TYPE:
        return new SpeechStopped(
            id, Fields.string(o, "item_id"), Fields.integer(o, "audio_end_ms", -1), json);
      case InputAudioBufferCommitted.TYPE:
        return new InputAudioBufferCommitted(
            id, Fields.string(o, "item_id"), Fields.string(o, "previous_item_id"), json);
      case InputAudioBufferCleared.TYPE:
        return new InputAudioBufferCleared(id, json);
      case ConversationItemCreated.TYPE:
        return new ConversationItemCreated(id, Fields.string(o, "previous_item_id"), item(o), json);
      case ConversationItemAdded.TYPE:
        return new ConversationItemAdded(id, Fields.string(o, "previous_item_id"), item(o), json);
      case ConversationItemDone.TYPE:
        return new ConversationItemDone(id, Fields.string(o, "previous_item_id"), item(o), json);
      case InputAudioTranscriptionDelta.TYPE:
        return new InputAudioTranscriptionDelta(
            id, Fields.string(o, "item_id"), Fields.string(o, "delta"), json);
      case InputAudioTranscriptionCompleted.TYPE:
        return new InputAudioTranscriptionCompleted(
            id, Fields.string(o, "item_id"), Fields.string(o, "transcript"), json);
      case ResponseCreated.TYPE:
        {
          Map<String, Object> r = Fields.object(o, "response");
          return new ResponseCreated(id, Fields.string(r, "id"), Fields.string(r, "status"), json);
        }
      case ResponseDone.TYPE:
        return responseDone(id, Fields.object(o, "response"), json);
      case OutputAudioTranscriptDelta.TYPE:
        return new OutputAudioTranscriptDelta(
            id,
            Fields.string(o, "response_id"),
            Fields.string(o, "item_id"),
            Fields.string(o, "delta"),
            json);
      case OutputAudioTranscriptDone.TYPE:
        return new OutputAudioTranscriptDone(
            id,
            Fields.string(o, "response_id"),
            Fields.string(o, "item_id"),
            Fields.string(o, "transcript"),
            json);
      case OutputTextDelta.TYPE:
        return new OutputTextDelta(
            id,
            Fields.string(o, "response_id"),
            Fields.string(o, "item_id"),
            Fields.string(o, "delta"),
            json);
      case OutputTextDone.TYPE:
        return new OutputTextDone(
            id,
            Fields.string(o, "response_id"),
            Fields.string(o, "item_id"),
            Fields.string(o, "text"),
            json);
      case FunctionCallArgumentsDelta.TYPE:
        return new FunctionCallArgumentsDelta(
            id,
            Fields.string(o, "response_id"),
            Fields.string(o, "item_id"),
            Fields.string(o, "call_id"),
            Fields.string(o, "delta"),
            json);
      case FunctionCallArgumentsDone.TYPE:
        return new FunctionCallArgumentsDone(
            id,
            Fields.string(o, "response_id"),
            Fields.string(o, "item_id"),
            Fields.string(o, "call_id"),
            Fields.string(o, "name"),
            Fields.string(o, "arguments"),
            json);
      case OutputAudioBufferStarted.TYPE:
        return new OutputAudioBufferStarted(id, Fields.string(o, "response_id"), json);
      case OutputAudioBufferStopped.TYPE:
        return new OutputAudioBufferStopped(id, Fields.string(o, "response_id"), json);
      case OutputAudioBufferCleared.TYPE:
        return new OutputAudioBufferCleared(id, Fields.string(o, "response_id"), json);
      case RateLimitsUpdated.TYPE:
        {
          List<RateLimit> limits = new ArrayList<>();
          for (Map<String, Object> l : Fields.objects(o, "rate_limits")) {
            limits.add(RateLimit.of(l));
          }
          return new RateLimitsUpdated(id, limits, json);
        }
      case ErrorEvent.TYPE:
        {
          Map<String, Object> e = Fields.object(o, "error");
          return new ErrorEvent(
              id,
              Fields.string(e, "type"),
              Fields.string(e, "code"),
              Fields.string(e, "message"),
              Fields.string(e, "param"),
              Fields.string(e, "event_id"),
              json);
        }
      default:
        return new Unknown(type, id, json);
    }
  }

  private static ConversationItem item(Map<String, Object> event) {
    Map<String, Object> item = Fields.object(event, "item");
    return item.isEmpty() ? ConversationItem.ABSENT : ConversationItem.of(item);
  }

  private static ResponseDone responseDone(String id, Map<String, Object> r, String json) {
    List<ConversationItem> output = new ArrayList<>();
    for (Map<String, Object> item : Fields.objects(r, "output")) {
      output.add(ConversationItem.of(item));
    }
    return new ResponseDone(
        id,
        Fields.string(r, "id"),
        Fields.string(r, "status"),
        Fields.string(Fields.object(r, "status_details"), "reason"),
        output,
        Usage.of(Fields.object(r, "usage")),
        json);
  }

  /**
   * Hands {@code event} to {@code listener}: first to {@link RealtimeListener#onEvent}, then to the
   * method of its family, if it has one (the listener's Javadoc says which events go where). Runs
   * on the caller's thread, before returning; an exception the listener throws reaches the caller.
   */
  public static void dispatch(RealtimeEvent event, RealtimeListener listener) {
    listener.onEvent(event);
    if (event instanceof SessionCreated e) {
      listener.onSession(e.sessionId(), e.session(), true);
    } else if (event instanceof SessionUpdated e) {
      listener.onSession(e.sessionId(), e.session(), false);
    } else if (event instanceof SpeechStarted e) {
      listener.onSpeechStarted(e.itemId(), e.audioStartMillis());
    } else if (event instanceof SpeechStopped e) {
      listener.onSpeechStopped(e.itemId(), e.audioEndMillis());
    } else if (event instanceof InputAudioTranscriptionDelta e) {
      listener.onUserTranscript(e.itemId(), nonNull(e.delta()), false);
    } else if (event instanceof InputAudioTranscriptionCompleted e) {
      listener.onUserTranscript(e.itemId(), nonNull(e.transcript()), true);
    } else if (event instanceof OutputAudioTranscriptDelta e) {
      listener.onAssistantTranscript(e.itemId(), nonNull(e.delta()), false);
    } else if (event instanceof OutputAudioTranscriptDone e) {
      listener.onAssistantTranscript(e.itemId(), nonNull(e.transcript()), true);
    } else if (event instanceof OutputTextDelta e) {
      listener.onAssistantText(e.itemId(), nonNull(e.delta()), false);
    } else if (event instanceof OutputTextDone e) {
      listener.onAssistantText(e.itemId(), nonNull(e.text()), true);
    } else if (event instanceof FunctionCallArgumentsDone e) {
      listener.onFunctionCall(e.callId(), e.name(), e.arguments(), e.itemId());
    } else if (event instanceof ResponseDone e) {
      listener.onResponseDone(e.responseId(), e.status(), e.usage());
    } else if (event instanceof RateLimitsUpdated e) {
      listener.onRateLimits(e.rateLimits());
    } else if (event instanceof ErrorEvent e) {
      listener.onError(e);
    } else if (event instanceof Unknown e) {
      listener.onUnknown(e.type(), e.json());
    } else if (event instanceof Malformed e) {
      listener.onMalformed(e.json(), e.reason());
    }
  }

  private static String nonNull(String text) {
    return text == null ? "" : text;
  }
}
