package io.github.jpeer.realtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One test per GA server event, on JSON shaped as OpenAI's GA Realtime reference shows it (ids and
 * values made up), then the unknown and the malformed.
 */
class RealtimeEventsTest {

  /** Single quotes for readability: every test JSON is written with ' for ". */
  private static <T extends RealtimeEvent> T parse(String singleQuoted, Class<T> type) {
    String json = singleQuoted.replace('\'', '"');
    RealtimeEvent e = RealtimeEvents.parse(json);
    T t = assertInstanceOf(type, e, () -> "parsed as " + e);
    assertEquals(json, t.json());
    return t;
  }

  private static final String SESSION =
      "{'type':'realtime','object':'realtime.session','id':'sess_C9G5QPteg4UIbotdKLoYQ',"
          + "'model':'gpt-realtime-2025-08-28','output_modalities':['audio'],"
          + "'instructions':'You are a helpful assistant.','tools':[{'type':'function',"
          + "'name':'get_weather','description':'Weather of a city','parameters':{'type':'object',"
          + "'properties':{'city':{'type':'string'}},'required':['city']}}],'tool_choice':'auto',"
          + "'max_output_tokens':'inf','tracing':null,'prompt':null,'expires_at':1756324625,"
          + "'audio':{'input':{'format':{'type':'audio/pcm','rate':24000},'transcription':"
          + "{'model':'gpt-4o-transcribe'},'noise_reduction':null,'turn_detection':{'type':"
          + "'server_vad','threshold':0.5,'prefix_padding_ms':300,'silence_duration_ms':200,"
          + "'idle_timeout_ms':null,'create_response':true,'interrupt_response':true}},"
          + "'output':{'format':{'type':'audio/pcm','rate':24000},'voice':'marin','speed':1}},"
          + "'include':null}";

  @Test
  void sessionCreated() {
    SessionCreated e =
        parse(
            "{'type':'session.created','event_id':'event_C9G5RJeJ2gF77mV7f2B1j','session':"
                + SESSION
                + "}",
            SessionCreated.class);
    assertEquals("session.created", e.type());
    assertEquals("event_C9G5RJeJ2gF77mV7f2B1j", e.eventId());
    assertEquals("sess_C9G5QPteg4UIbotdKLoYQ", e.sessionId());
    assertEquals("gpt-realtime-2025-08-28", e.model());
    SessionConfig s = e.session();
    assertEquals("You are a helpful assistant.", s.instructions());
    assertEquals("marin", s.voice());
    assertEquals(List.of("audio"), s.outputModalities());
    assertEquals(TurnDetection.SERVER_VAD, s.turnDetection());
    assertEquals("gpt-4o-transcribe", s.transcriptionModel());
    assertEquals(ToolChoice.AUTO, s.toolChoice());
    assertEquals(
        List.of(
            new Tool(
                "get_weather",
                "Weather of a city",
                "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},"
                    + "\"required\":[\"city\"]}")),
        s.tools());
  }

  @Test
  void sessionUpdatedWithTurnDetectionOffAndAFunctionToolChoice() {
    SessionUpdated e =
        parse(
            "{'type':'session.updated','event_id':'event_1','session':{'type':'realtime',"
                + "'id':'sess_1','model':'gpt-realtime','audio':{'input':{'turn_detection':null,"
                + "'transcription':null}},'tools':[],'tool_choice':{'type':'function',"
                + "'name':'hang_up'}}}",
            SessionUpdated.class);
    assertEquals("session.updated", e.type());
    assertEquals("sess_1", e.sessionId());
    assertEquals(TurnDetection.NONE, e.session().turnDetection());
    assertNull(e.session().transcriptionModel());
    assertNull(e.session().voice());
    assertNull(e.session().instructions());
    assertNull(e.session().outputModalities());
    assertEquals(List.of(), e.session().tools());
    assertEquals(ToolChoice.function("hang_up"), e.session().toolChoice());
  }

  @Test
  void sessionWithSemanticVadAndWithoutTurnDetection() {
    assertEquals(
        TurnDetection.SEMANTIC_VAD,
        parse(
                "{'type':'session.updated','session':{'audio':{'input':{'turn_detection':"
                    + "{'type':'semantic_vad','eagerness':'auto'}}}}}",
                SessionUpdated.class)
            .session()
            .turnDetection());
    // Absent is "not stated", unlike null ("off").
    assertNull(
        parse("{'type':'session.updated','session':{}}", SessionUpdated.class)
            .session()
            .turnDetection());
  }

  @Test
  void speechStartedAndStopped() {
    SpeechStarted started =
        parse(
            "{'event_id':'event_B1','type':'input_audio_buffer.speech_started',"
                + "'audio_start_ms':1000,'item_id':'item_003'}",
            SpeechStarted.class);
    assertEquals("input_audio_buffer.speech_started", started.type());
    assertEquals("event_B1", started.eventId());
    assertEquals("item_003", started.itemId());
    assertEquals(1000, started.audioStartMillis());
    SpeechStopped stopped =
        parse(
            "{'event_id':'event_B2','type':'input_audio_buffer.speech_stopped',"
                + "'audio_end_ms':2000,'item_id':'item_003'}",
            SpeechStopped.class);
    assertEquals("input_audio_buffer.speech_stopped", stopped.type());
    assertEquals("item_003", stopped.itemId());
    assertEquals(2000, stopped.audioEndMillis());
  }

  @Test
  void inputAudioBufferCommittedAndCleared() {
    InputAudioBufferCommitted c =
        parse(
            "{'event_id':'event_1121','type':'input_audio_buffer.committed',"
                + "'previous_item_id':'msg_001','item_id':'msg_002'}",
            InputAudioBufferCommitted.class);
    assertEquals("input_audio_buffer.committed", c.type());
    assertEquals("event_1121", c.eventId());
    assertEquals("msg_002", c.itemId());
    assertEquals("msg_001", c.previousItemId());
    InputAudioBufferCleared cl =
        parse(
            "{'event_id':'event_1314','type':'input_audio_buffer.cleared'}",
            InputAudioBufferCleared.class);
    assertEquals("input_audio_buffer.cleared", cl.type());
    assertEquals("event_1314", cl.eventId());
  }

  @Test
  void conversationItemCreatedWithAUserMessage() {
    ConversationItemCreated e =
        parse(
            "{'type':'conversation.item.created','event_id':'event_C9G8pjSJCfRNEhMEnYAVy',"
                + "'previous_item_id':null,'item':{'id':'item_C9G8pGVKYnaZu8PH5YQ9O',"
                + "'type':'message','status':'completed','role':'user','content':[{'type':"
                + "'input_text','text':'hi'}]}}",
            ConversationItemCreated.class);
    assertEquals("conversation.item.created", e.type());
    assertEquals("event_C9G8pjSJCfRNEhMEnYAVy", e.eventId());
    assertNull(e.previousItemId());
    assertEquals(
        new ConversationItem(
            "item_C9G8pGVKYnaZu8PH5YQ9O", "message", "user", "completed", null, null, null, null),
        e.item());
    assertFalse(e.item().isFunctionCall());
  }

  @Test
  void conversationItemAddedWithAnAssistantMessage() {
    ConversationItemAdded e =
        parse(
            "{'type':'conversation.item.added','event_id':'event_2','previous_item_id':'item_1',"
                + "'item':{'id':'item_2','type':'message','status':'in_progress',"
                + "'role':'assistant','content':[]}}",
            ConversationItemAdded.class);
    assertEquals("conversation.item.added", e.type());
    assertEquals("item_1", e.previousItemId());
    assertEquals("item_2", e.item().id());
    assertEquals("assistant", e.item().role());
    assertEquals("in_progress", e.item().status());
  }

  @Test
  void conversationItemDoneWithAFunctionCall() {
    ConversationItemDone e =
        parse(
            "{'type':'conversation.item.done','event_id':'event_3','previous_item_id':'item_2',"
                + "'item':{'id':'item_3','type':'function_call','status':'completed',"
                + "'name':'get_weather','call_id':'call_Wd9tG1','arguments':'{\\'city\\':"
                + "\\'Paris\\'}'}}",
            ConversationItemDone.class);
    assertEquals("conversation.item.done", e.type());
    ConversationItem item = e.item();
    assertTrue(item.isFunctionCall());
    assertEquals("item_3", item.id());
    assertEquals("get_weather", item.name());
    assertEquals("call_Wd9tG1", item.callId());
    assertEquals("{\"city\":\"Paris\"}", item.arguments());
    assertNull(item.role());
  }

  @Test
  void conversationItemWithoutAnItemHasOnlyAbsentMembers() {
    ConversationItemCreated e =
        parse("{'type':'conversation.item.created','item':7}", ConversationItemCreated.class);
    assertEquals(new ConversationItem(null, null, null, null, null, null, null, null), e.item());
  }

  @Test
  void userTranscriptDeltaAndCompleted() {
    InputAudioTranscriptionDelta d =
        parse(
            "{'type':'conversation.item.input_audio_transcription.delta','event_id':'event_4',"
                + "'item_id':'item_003','content_index':0,'delta':'Hello,','logprobs':null}",
            InputAudioTranscriptionDelta.class);
    assertEquals("conversation.item.input_audio_transcription.delta", d.type());
    assertEquals("event_4", d.eventId());
    assertEquals("item_003", d.itemId());
    assertEquals("Hello,", d.delta());
    InputAudioTranscriptionCompleted c =
        parse(
            "{'type':'conversation.item.input_audio_transcription.completed',"
                + "'event_id':'event_5','item_id':'item_003','content_index':0,"
                + "'transcript':'Hello, how are you?','usage':{'type':'tokens',"
                + "'total_tokens':22,'input_tokens':13,'output_tokens':9}}",
            InputAudioTranscriptionCompleted.class);
    assertEquals("conversation.item.input_audio_transcription.completed", c.type());
    assertEquals("item_003", c.itemId());
    assertEquals("Hello, how are you?", c.transcript());
  }

  @Test
  void responseCreated() {
    ResponseCreated e =
        parse(
            "{'type':'response.created','event_id':'event_C9G8pqbTEddBSIxbBN6Os','response':"
                + "{'object':'realtime.response','id':'resp_C9G8p7IH2WxLbkgPNouYL',"
                + "'status':'in_progress','status_details':null,'output':[],"
                + "'conversation_id':'conv_C9G8mmBkLhQJwCon3hoJN','output_modalities':['audio'],"
                + "'max_output_tokens':'inf','usage':null,'metadata':null}}",
            ResponseCreated.class);
    assertEquals("response.created", e.type());
    assertEquals("event_C9G8pqbTEddBSIxbBN6Os", e.eventId());
    assertEquals("resp_C9G8p7IH2WxLbkgPNouYL", e.responseId());
    assertEquals("in_progress", e.status());
  }

  @Test
  void responseDoneWithUsageAndAFunctionCall() {
    ResponseDone e =
        parse(
            "{'type':'response.done','event_id':'event_CCXHxcMy86rrKhBLDdqCh','response':"
                + "{'object':'realtime.response','id':'resp_CCXHw0UJld10EzIUXQCNh',"
                + "'status':'completed','status_details':null,'output':[{'id':'item_1',"
                + "'type':'message','status':'completed','role':'assistant','content':[{'type':"
                + "'output_audio','transcript':'Let me check.'}]},{'id':'item_2','type':"
                + "'function_call','status':'completed','name':'get_weather','call_id':'call_1',"
                + "'arguments':'{}'}],'usage':{'total_tokens':253,'input_tokens':132,"
                + "'output_tokens':121,'input_token_details':{'text_tokens':119,"
                + "'audio_tokens':13,'cached_tokens':64},'output_token_details':"
                + "{'text_tokens':30,'audio_tokens':91}}}}",
            ResponseDone.class);
    assertEquals("response.done", e.type());
    assertEquals("event_CCXHxcMy86rrKhBLDdqCh", e.eventId());
    assertEquals("resp_CCXHw0UJld10EzIUXQCNh", e.responseId());
    assertEquals("completed", e.status());
    assertNull(e.statusReason());
    assertEquals(new Usage(132, 121, 253), e.usage());
    assertEquals(2, e.output().size());
    assertEquals("assistant", e.output().get(0).role());
    assertEquals("call_1", e.output().get(1).callId());
    assertEquals("get_weather", e.output().get(1).name());
  }

  @Test
  void responseDoneCancelledByBargeInWithoutUsage() {
    ResponseDone e =
        parse(
            "{'type':'response.done','event_id':'e','response':{'id':'resp_2',"
                + "'status':'cancelled','status_details':{'type':'cancelled',"
                + "'reason':'turn_detected'},'output':[],'usage':null}}",
            ResponseDone.class);
    assertEquals("cancelled", e.status());
    assertEquals("turn_detected", e.statusReason());
    assertEquals(Usage.NONE, e.usage());
    assertEquals(List.of(), e.output());
  }

  @Test
  void assistantTranscriptDeltaAndDone() {
    OutputAudioTranscriptDelta d =
        parse(
            "{'type':'response.output_audio_transcript.delta','event_id':'event_6',"
                + "'response_id':'resp_1','item_id':'item_1','output_index':0,"
                + "'content_index':0,'delta':'Hello'}",
            OutputAudioTranscriptDelta.class);
    assertEquals("response.output_audio_transcript.delta", d.type());
    assertEquals("event_6", d.eventId());
    assertEquals("resp_1", d.responseId());
    assertEquals("item_1", d.itemId());
    assertEquals("Hello", d.delta());
    OutputAudioTranscriptDone t =
        parse(
            "{'type':'response.output_audio_transcript.done','event_id':'event_7',"
                + "'response_id':'resp_1','item_id':'item_1','output_index':0,"
                + "'content_index':0,'transcript':'Hello there! How can I help?'}",
            OutputAudioTranscriptDone.class);
    assertEquals("response.output_audio_transcript.done", t.type());
    assertEquals("resp_1", t.responseId());
    assertEquals("item_1", t.itemId());
    assertEquals("Hello there! How can I help?", t.transcript());
  }

  @Test
  void outputTextDeltaAndDone() {
    OutputTextDelta d =
        parse(
            "{'type':'response.output_text.delta','event_id':'event_8','response_id':'resp_3',"
                + "'item_id':'item_4','output_index':0,'content_index':0,'delta':'Sun'}",
            OutputTextDelta.class);
    assertEquals("response.output_text.delta", d.type());
    assertEquals("resp_3", d.responseId());
    assertEquals("item_4", d.itemId());
    assertEquals("Sun", d.delta());
    OutputTextDone t =
        parse(
            "{'type':'response.output_text.done','event_id':'event_9','response_id':'resp_3',"
                + "'item_id':'item_4','output_index':0,'content_index':0,'text':'Sunny, 21 C.'}",
            OutputTextDone.class);
    assertEquals("response.output_text.done", t.type());
    assertEquals("event_9", t.eventId());
    assertEquals("Sunny, 21 C.", t.text());
  }

  @Test
  void functionCallArgumentsDeltaAndDone() {
    FunctionCallArgumentsDelta d =
        parse(
            "{'type':'response.function_call_arguments.delta','event_id':'event_10',"
                + "'response_id':'resp_5','item_id':'fc_1','output_index':0,"
                + "'call_id':'call_abc','delta':'{\\'ci'}",
            FunctionCallArgumentsDelta.class);
    assertEquals("response.function_call_arguments.delta", d.type());
    assertEquals("resp_5", d.responseId());
    assertEquals("fc_1", d.itemId());
    assertEquals("call_abc", d.callId());
    assertEquals("{\"ci", d.delta());
    FunctionCallArgumentsDone f =
        parse(
            "{'type':'response.function_call_arguments.done','event_id':'event_11',"
                + "'response_id':'resp_5','item_id':'fc_1','output_index':0,"
                + "'call_id':'call_abc','name':'get_weather','arguments':'{\\'city\\':\\'Oslo\\'}'}",
            FunctionCallArgumentsDone.class);
    assertEquals("response.function_call_arguments.done", f.type());
    assertEquals("event_11", f.eventId());
    assertEquals("resp_5", f.responseId());
    assertEquals("fc_1", f.itemId());
    assertEquals("call_abc", f.callId());
    assertEquals("get_weather", f.name());
    assertEquals("{\"city\":\"Oslo\"}", f.arguments());
  }

  @Test
  void outputAudioBufferStartedStoppedCleared() {
    OutputAudioBufferStarted a =
        parse(
            "{'event_id':'event_abc','type':'output_audio_buffer.started',"
                + "'response_id':'resp_abc'}",
            OutputAudioBufferStarted.class);
    assertEquals("output_audio_buffer.started", a.type());
    assertEquals("event_abc", a.eventId());
    assertEquals("resp_abc", a.responseId());
    OutputAudioBufferStopped b =
        parse(
            "{'event_id':'event_abd','type':'output_audio_buffer.stopped',"
                + "'response_id':'resp_abc'}",
            OutputAudioBufferStopped.class);
    assertEquals("output_audio_buffer.stopped", b.type());
    assertEquals("resp_abc", b.responseId());
    OutputAudioBufferCleared c =
        parse(
            "{'event_id':'event_abe','type':'output_audio_buffer.cleared',"
                + "'response_id':'resp_abc'}",
            OutputAudioBufferCleared.class);
    assertEquals("output_audio_buffer.cleared", c.type());
    assertEquals("event_abe", c.eventId());
    assertEquals("resp_abc", c.responseId());
  }

  @Test
  void rateLimitsUpdated() {
    RateLimitsUpdated e =
        parse(
            "{'event_id':'event_5758','type':'rate_limits.updated','rate_limits':[{'name':"
                + "'requests','limit':1000,'remaining':999,'reset_seconds':60},{'name':'tokens',"
                + "'limit':50000,'remaining':49950,'reset_seconds':0.06},'junk']}",
            RateLimitsUpdated.class);
    assertEquals("rate_limits.updated", e.type());
    assertEquals("event_5758", e.eventId());
    assertEquals(
        List.of(
            new RateLimit("requests", 1000, 999, 60), new RateLimit("tokens", 50000, 49950, 0.06)),
        e.rateLimits());
  }

  @Test
  void error() {
    ErrorEvent e =
        parse(
            "{'event_id':'event_890','type':'error','error':{'type':'invalid_request_error',"
                + "'code':'invalid_event','message':'The \\'type\\' field is missing.',"
                + "'param':null,'event_id':'event_567'}}",
            ErrorEvent.class);
    assertEquals("error", e.type());
    assertEquals("event_890", e.eventId());
    assertEquals("invalid_request_error", e.errorType());
    assertEquals("invalid_event", e.code());
    assertEquals("The \"type\" field is missing.", e.message());
    assertNull(e.param());
    assertEquals("event_567", e.clientEventId());
  }

  @Test
  void anUnknownTypeIsKeptWithItsTextAndId() {
    Unknown e =
        parse(
            "{'type':'response.output_audio.delta','event_id':'event_12','response_id':'r',"
                + "'item_id':'i','output_index':0,'content_index':0,'delta':'AAAA'}",
            Unknown.class);
    assertEquals("response.output_audio.delta", e.type());
    assertEquals("event_12", e.eventId());
    // A beta name is unknown too: this module speaks GA.
    assertEquals(
        "response.audio_transcript.delta",
        parse("{'type':'response.audio_transcript.delta','delta':'x'}", Unknown.class).type());
  }

  @Test
  void membersOfTheWrongTypeReadAsAbsent() {
    SpeechStarted e =
        parse(
            "{'type':'input_audio_buffer.speech_started','event_id':5,'item_id':[],"
                + "'audio_start_ms':'soon'}",
            SpeechStarted.class);
    assertNull(e.eventId());
    assertNull(e.itemId());
    assertEquals(-1, e.audioStartMillis());
    assertEquals(
        -1,
        parse(
                "{'type':'input_audio_buffer.speech_stopped','audio_end_ms':1.5}",
                SpeechStopped.class)
            .audioEndMillis());
    assertEquals(
        List.of(),
        parse("{'type':'rate_limits.updated','rate_limits':{}}", RateLimitsUpdated.class)
            .rateLimits());
    ErrorEvent err = parse("{'type':'error','error':'boom'}", ErrorEvent.class);
    assertNull(err.message());
    assertEquals(
        new ConversationItem(null, null, null, null, null, null, null, null),
        parse("{'type':'response.done','response':{'output':[{}]}}", ResponseDone.class)
            .output()
            .get(0));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "   ",
        "not json",
        "{",
        "{\"type\":\"error\"",
        "[]",
        "[{\"type\":\"error\"}]",
        "\"session.created\"",
        "42",
        "null",
        "{}",
        "{\"type\":null}",
        "{\"type\":7}",
        "{\"event_id\":\"e\"}",
        "{\"type\":\"error\"} trailing",
        "{\"type\":\"error\",\"type\":}"
      })
  void textThatIsNotAnEventIsMalformedNeverAnException(String text) {
    Malformed m = assertInstanceOf(Malformed.class, RealtimeEvents.parse(text));
    assertEquals(text, m.json());
    assertNull(m.type());
    assertNull(m.eventId());
    assertFalse(m.reason().isEmpty());
  }

  @Test
  void nullIsMalformed() {
    Malformed m = assertInstanceOf(Malformed.class, RealtimeEvents.parse(null));
    assertNull(m.json());
    assertEquals("no text (null)", m.reason());
  }

  @Test
  void nestingBeyondTheJsonLimitIsMalformed() {
    String deep = "{\"type\":\"error\",\"x\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}";
    assertInstanceOf(Malformed.class, RealtimeEvents.parse(deep));
  }
}
