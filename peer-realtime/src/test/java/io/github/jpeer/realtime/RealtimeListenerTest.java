package io.github.jpeer.realtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** dispatch: every event to onEvent, then to its family's method with the right arguments. */
class RealtimeListenerTest {
  /** Writes down each call as one line. */
  private static final class Recorder implements RealtimeListener {
    final List<String> calls = new ArrayList<>();

    @Override
    public void onEvent(RealtimeEvent event) {
      calls.add("event " + event.type());
    }

    @Override
    public void onSession(String sessionId, SessionConfig session, boolean created) {
      calls.add("session " + sessionId + " " + session.voice() + " " + created);
    }

    @Override
    public void onSpeechStarted(String itemId, long audioStartMillis) {
      calls.add("speechStarted " + itemId + " " + audioStartMillis);
    }

    @Override
    public void onSpeechStopped(String itemId, long audioEndMillis) {
      calls.add("speechStopped " + itemId + " " + audioEndMillis);
    }

    @Override
    public void onUserTranscript(String itemId, String text, boolean isFinal) {
      calls.add("user " + itemId + " [" + text + "] " + isFinal);
    }

    @Override
    public void onAssistantTranscript(String itemId, String text, boolean isFinal) {
      calls.add("assistant " + itemId + " [" + text + "] " + isFinal);
    }

    @Override
    public void onAssistantText(String itemId, String text, boolean isFinal) {
      calls.add("text " + itemId + " [" + text + "] " + isFinal);
    }

    @Override
    public void onFunctionCall(String callId, String name, String argumentsJson, String itemId) {
      calls.add("call " + callId + " " + name + " " + argumentsJson + " " + itemId);
    }

    @Override
    public void onResponseDone(String responseId, String status, Usage usage) {
      calls.add("done " + responseId + " " + status + " " + usage);
    }

    @Override
    public void onRateLimits(List<RateLimit> rateLimits) {
      calls.add("limits " + rateLimits.size());
    }

    @Override
    public void onError(RealtimeEvent.ErrorEvent error) {
      calls.add("error " + error.code() + " " + error.message());
    }

    @Override
    public void onUnknown(String type, String json) {
      calls.add("unknown " + type);
    }

    @Override
    public void onMalformed(String json, String reason) {
      calls.add("malformed " + json);
    }
  }

  private static List<String> dispatch(String singleQuoted) {
    Recorder r = new Recorder();
    String json = singleQuoted == null ? null : singleQuoted.replace('\'', '"');
    RealtimeEvents.dispatch(RealtimeEvents.parse(json), r);
    return r.calls;
  }

  @Test
  void eachFamilyReachesItsMethod() {
    assertEquals(
        List.of("event session.created", "session sess_1 marin true"),
        dispatch(
            "{'type':'session.created','session':{'id':'sess_1','audio':{'output':"
                + "{'voice':'marin'}}}}"));
    assertEquals(
        List.of("event session.updated", "session null null false"),
        dispatch("{'type':'session.updated'}"));
    assertEquals(
        List.of("event input_audio_buffer.speech_started", "speechStarted item_1 640"),
        dispatch(
            "{'type':'input_audio_buffer.speech_started','item_id':'item_1',"
                + "'audio_start_ms':640}"));
    assertEquals(
        List.of("event input_audio_buffer.speech_stopped", "speechStopped item_1 -1"),
        dispatch("{'type':'input_audio_buffer.speech_stopped','item_id':'item_1'}"));
    assertEquals(
        List.of(
            "event conversation.item.input_audio_transcription.delta", "user item_1 [Hel] false"),
        dispatch(
            "{'type':'conversation.item.input_audio_transcription.delta','item_id':'item_1',"
                + "'delta':'Hel'}"));
    assertEquals(
        List.of(
            "event conversation.item.input_audio_transcription.completed",
            "user item_1 [Hello] true"),
        dispatch(
            "{'type':'conversation.item.input_audio_transcription.completed',"
                + "'item_id':'item_1','transcript':'Hello'}"));
    assertEquals(
        List.of("event response.output_audio_transcript.delta", "assistant item_2 [] false"),
        dispatch("{'type':'response.output_audio_transcript.delta','item_id':'item_2'}"));
    assertEquals(
        List.of("event response.output_audio_transcript.done", "assistant item_2 [Hi!] true"),
        dispatch(
            "{'type':'response.output_audio_transcript.done','item_id':'item_2',"
                + "'transcript':'Hi!'}"));
    assertEquals(
        List.of("event response.output_text.delta", "text item_3 [a] false"),
        dispatch("{'type':'response.output_text.delta','item_id':'item_3','delta':'a'}"));
    assertEquals(
        List.of("event response.output_text.done", "text item_3 [ab] true"),
        dispatch("{'type':'response.output_text.done','item_id':'item_3','text':'ab'}"));
    assertEquals(
        List.of("event response.function_call_arguments.done", "call call_1 f {} fc_1"),
        dispatch(
            "{'type':'response.function_call_arguments.done','call_id':'call_1','name':'f',"
                + "'arguments':'{}','item_id':'fc_1'}"));
    assertEquals(
        List.of(
            "event response.done",
            "done resp_1 completed Usage[inputTokens=10, outputTokens=20, totalTokens=30]"),
        dispatch(
            "{'type':'response.done','response':{'id':'resp_1','status':'completed',"
                + "'usage':{'input_tokens':10,'output_tokens':20,'total_tokens':30}}}"));
    assertEquals(
        List.of("event rate_limits.updated", "limits 1"),
        dispatch("{'type':'rate_limits.updated','rate_limits':[{'name':'tokens'}]}"));
    assertEquals(
        List.of("event error", "error invalid_value bad voice"),
        dispatch("{'type':'error','error':{'code':'invalid_value','message':'bad voice'}}"));
    assertEquals(
        List.of("event conversation.created", "unknown conversation.created"),
        dispatch("{'type':'conversation.created'}"));
    assertEquals(List.of("event null", "malformed nope"), dispatch("nope"));
    assertEquals(List.of("event null", "malformed null"), dispatch(null));
  }

  @Test
  void eventsWithoutAFamilyReachOnlyOnEvent() {
    for (String type :
        List.of(
            "input_audio_buffer.committed",
            "input_audio_buffer.cleared",
            "conversation.item.created",
            "conversation.item.added",
            "conversation.item.done",
            "response.created",
            "response.function_call_arguments.delta",
            "output_audio_buffer.started",
            "output_audio_buffer.stopped",
            "output_audio_buffer.cleared")) {
      assertEquals(List.of("event " + type), dispatch("{'type':'" + type + "'}"), type);
    }
  }

  @Test
  void theDefaultListenerIgnoresEverything() {
    RealtimeListener nothing = new RealtimeListener() {};
    for (String json :
        List.of(
            "{\"type\":\"session.created\"}",
            "{\"type\":\"error\"}",
            "{\"type\":\"response.done\"}",
            "{\"type\":\"new.thing\"}",
            "garbage")) {
      RealtimeEvents.dispatch(RealtimeEvents.parse(json), nothing);
    }
  }
}
