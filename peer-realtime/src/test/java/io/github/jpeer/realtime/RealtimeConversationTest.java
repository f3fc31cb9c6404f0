package io.github.jpeer.realtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jpeer.signaling.internal.Json;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The conversation logic on its own: server events in as the GA JSON, client events out to a list.
 * Function calls are answered (result, failure, no tools), barge-in flushes, interrupt cancels, and
 * the assistant's speaking is tracked.
 */
class RealtimeConversationTest {
  private final List<String> sent = new CopyOnWriteArrayList<>();
  private final AtomicInteger flushes = new AtomicInteger();

  private static String functionCall(String callId, String name, String arguments) {
    return Json.write(
        Map.of(
            "type",
            "response.function_call_arguments.done",
            "event_id",
            "e1",
            "response_id",
            "r1",
            "item_id",
            "i1",
            "output_index",
            0,
            "call_id",
            callId,
            "name",
            name,
            "arguments",
            arguments));
  }

  private Map<String, Object> sentAt(int i) {
    return Json.parseObject(sent.get(i));
  }

  @SuppressWarnings("unchecked")
  private void assertToolReply(int at, String callId, String output) {
    Map<String, Object> item = (Map<String, Object>) sentAt(at).get("item");
    assertEquals("conversation.item.create", sentAt(at).get("type"));
    assertEquals("function_call_output", item.get("type"));
    assertEquals(callId, item.get("call_id"));
    assertEquals(output, item.get("output"));
    assertEquals("response.create", sentAt(at + 1).get("type"), "the model goes on with it");
  }

  @Test
  void aFunctionCallIsAnsweredWithItsResultThenAResponse() {
    CompletableFuture<String> later = new CompletableFuture<>();
    List<String> asked = new CopyOnWriteArrayList<>();
    RealtimeConversation c =
        RealtimeConversation.builder(sent::add)
            .tools(
                (name, args, callId) -> {
                  asked.add(name + " " + args + " " + callId);
                  return later;
                })
            .build();
    c.onMessage(functionCall("call_1", "get_weather", "{\"city\":\"Oslo\"}"));
    assertEquals(List.of("get_weather {\"city\":\"Oslo\"} call_1"), asked);
    assertTrue(sent.isEmpty(), "nothing until the tool completes");
    later.complete("{\"temp\":21}");
    assertEquals(2, sent.size());
    assertToolReply(0, "call_1", "{\"temp\":21}");
  }

  @Test
  void aFailingToolIsAnsweredWithTheErrorNotThrown() {
    RealtimeConversation throwing =
        RealtimeConversation.builder(sent::add)
            .tools(
                (name, args, callId) -> {
                  throw new IllegalArgumentException("no city \"x\"");
                })
            .build();
    throwing.onMessage(functionCall("call_2", "get_weather", "{}"));
    assertToolReply(0, "call_2", "{\"error\":\"no city \\\"x\\\"\"}");
    sent.clear();
    RealtimeConversation failing =
        RealtimeConversation.builder(sent::add)
            .tools((n, a, id) -> CompletableFuture.failedFuture(new IllegalStateException("down")))
            .build();
    failing.onMessage(functionCall("call_3", "lookup", "{}"));
    assertToolReply(0, "call_3", "{\"error\":\"down\"}");
    sent.clear();
    RealtimeConversation none = RealtimeConversation.builder(sent::add).build();
    none.onMessage(functionCall("call_4", "lookup", "{}"));
    assertToolReply(0, "call_4", "{\"error\":\"no tools are set up on this client\"}");
  }

  @Test
  void speechStartedAndAClearedOutputFlushAtOnceAndInterruptCancels() {
    RealtimeConversation c =
        RealtimeConversation.builder(sent::add).onBargeIn(flushes::incrementAndGet).build();
    c.onMessage(
        "{\"type\":\"output_audio_buffer.started\",\"event_id\":\"e\",\"response_id\":\"r9\"}");
    assertTrue(c.assistantSpeaking());
    assertEquals("r9", c.currentResponseId());
    c.onMessage(
        "{\"type\":\"input_audio_buffer.speech_started\",\"event_id\":\"e\","
            + "\"audio_start_ms\":1200,\"item_id\":\"i3\"}");
    assertEquals(1, flushes.get(), "the user talks over the assistant: flushed");
    assertFalse(c.assistantSpeaking());
    c.onMessage(
        "{\"type\":\"output_audio_buffer.cleared\",\"event_id\":\"e\",\"response_id\":\"r9\"}");
    assertEquals(2, flushes.get());
    c.onMessage(
        "{\"type\":\"output_audio_buffer.started\",\"event_id\":\"e\",\"response_id\":\"r10\"}");
    c.onMessage(
        "{\"type\":\"output_audio_buffer.stopped\",\"event_id\":\"e\",\"response_id\":\"r10\"}");
    assertFalse(c.assistantSpeaking(), "finished speaking");
    assertEquals(2, flushes.get(), "a finished response is not a barge-in");
    c.interrupt();
    assertEquals(3, flushes.get());
    assertEquals("response.cancel", sentAt(0).get("type"));
    assertEquals("output_audio_buffer.clear", sentAt(1).get("type"));
  }

  @Test
  void everyEventStillReachesTheListenerAndBadInputDoesNotThrow() {
    List<String> seen = new CopyOnWriteArrayList<>();
    RealtimeConversation c =
        RealtimeConversation.builder(sent::add)
            .listener(
                new RealtimeListener() {
                  @Override
                  public void onUnknown(String type, String json) {
                    seen.add("unknown " + type);
                  }

                  @Override
                  public void onMalformed(String json, String reason) {
                    seen.add("malformed");
                  }
                })
            .build();
    c.onMessage("{\"type\":\"conversation.brand_new_event\",\"event_id\":\"e\"}");
    c.onMessage("{not json");
    assertEquals(List.of("unknown conversation.brand_new_event", "malformed"), seen);
    assertTrue(sent.isEmpty());
  }
}
