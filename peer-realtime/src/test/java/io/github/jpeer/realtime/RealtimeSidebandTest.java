package io.github.jpeer.realtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The sideband control connection against a WebSocket server the test starts on 127.0.0.1: the
 * upgrade carries the call id and the standard key, server events arrive typed, client events go
 * out as the GA JSON, close is normal, and a refused upgrade says why without the key.
 */
class RealtimeSidebandTest {
  private static final String KEY = "sk-test-Q7x9Lm2Pz4Rt8Vw1Ks5Yb3";

  private final List<String> calls = new CopyOnWriteArrayList<>();
  private final CompletableFuture<String> transcript = new CompletableFuture<>();
  private final CompletableFuture<Integer> closed = new CompletableFuture<>();
  private final RealtimeListener listener =
      new RealtimeListener() {
        @Override
        public void onFunctionCall(String callId, String name, String argumentsJson, String item) {
          calls.add(name + " " + callId + " " + argumentsJson);
        }

        @Override
        public void onAssistantTranscript(String itemId, String text, boolean isFinal) {
          if (isFinal) {
            transcript.complete(text);
          }
        }
      };

  @Test
  void eventsGoBothWaysOnTheCallsSideband() throws Exception {
    try (LocalWebSocketServer server = new LocalWebSocketServer()) {
      RealtimeSideband control =
          RealtimeSideband.connect(
                  server.uri("/v1/realtime"),
                  "rtc_abc123",
                  KEY,
                  listener,
                  (code, reason) -> closed.complete(code))
              .get(5, TimeUnit.SECONDS);
      var request = server.awaitRequest();
      assertEquals("/v1/realtime?call_id=rtc_abc123", request.get(":path"));
      assertEquals("Bearer " + KEY, request.get("authorization"));

      server.send(
          "{\"type\":\"response.function_call_arguments.done\",\"event_id\":\"e1\","
              + "\"response_id\":\"r1\",\"item_id\":\"i1\",\"output_index\":0,"
              + "\"call_id\":\"call_7\",\"name\":\"get_weather\","
              + "\"arguments\":\"{\\\"city\\\":\\\"Oslo\\\"}\"}");
      server.send(
          "{\"type\":\"response.output_audio_transcript.done\",\"event_id\":\"e2\","
              + "\"response_id\":\"r1\",\"item_id\":\"i2\",\"output_index\":0,"
              + "\"content_index\":0,\"transcript\":\"It is sunny.\"}");
      assertEquals("It is sunny.", transcript.get(5, TimeUnit.SECONDS));
      assertEquals(List.of("get_weather call_7 {\"city\":\"Oslo\"}"), calls);

      control
          .send(new RealtimeClientEvent.FunctionCallOutput(null, "call_7", "{\"temp\":21}"))
          .get(5, TimeUnit.SECONDS);
      String sent = server.nextMessage();
      assertTrue(sent.contains("\"type\":\"conversation.item.create\""), sent);
      assertTrue(sent.contains("\"call_id\":\"call_7\""), sent);
      assertTrue(sent.contains("function_call_output"), sent);

      control.close();
      assertEquals(1000, server.awaitClose());
      assertEquals(1000, closed.get(5, TimeUnit.SECONDS));
    }
  }

  /**
   * A server holds the tools of a call whose media a client holds: the conversation runs over the
   * sideband, answers the model's function call there, and asks it to go on.
   */
  @Test
  void aConversationOverTheSidebandAnswersTheCallsFunctionCalls() throws Exception {
    try (LocalWebSocketServer server = new LocalWebSocketServer()) {
      CompletableFuture<RealtimeSideband> link = new CompletableFuture<>();
      List<String> asked = new CopyOnWriteArrayList<>();
      RealtimeConversation tools =
          RealtimeConversation.builder(json -> link.join().sendText(json))
              .listener(listener)
              .tools(
                  (name, arguments, callId) -> {
                    asked.add(name + " " + arguments);
                    return CompletableFuture.supplyAsync(() -> "{\"temp\":21}");
                  })
              .build();
      link.complete(
          RealtimeSideband.connect(
                  server.uri("/v1/realtime"),
                  "rtc_abc123",
                  KEY,
                  tools.asListener(),
                  (code, reason) -> closed.complete(code))
              .get(5, TimeUnit.SECONDS));
      server.awaitRequest();

      server.send(
          "{\"type\":\"response.function_call_arguments.done\",\"event_id\":\"e1\","
              + "\"response_id\":\"r1\",\"item_id\":\"i1\",\"call_id\":\"call_8\","
              + "\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Oslo\\\"}\"}");
      String output = server.nextMessage();
      assertTrue(output.contains("\"type\":\"conversation.item.create\""), output);
      assertTrue(output.contains("\"call_id\":\"call_8\""), output);
      assertTrue(output.contains("\"output\":\"{\\\"temp\\\":21}\""), output);
      assertTrue(server.nextMessage().contains("\"type\":\"response.create\""));
      assertEquals(List.of("get_weather {\"city\":\"Oslo\"}"), asked);
      // The listener hears of the call after the conversation acted on it.
      for (int i = 0; i < 500 && calls.isEmpty(); i++) {
        TimeUnit.MILLISECONDS.sleep(10);
      }
      assertEquals(List.of("get_weather call_8 {\"city\":\"Oslo\"}"), List.copyOf(calls));
      link.join().close();
      assertEquals(1000, server.awaitClose());
    }
  }

  @Test
  void aRefusedUpgradeSaysWhyWithoutTheKey() throws Exception {
    try (LocalWebSocketServer server = new LocalWebSocketServer().refuseWith("401 Unauthorized")) {
      ExecutionException e =
          assertThrows(
              ExecutionException.class,
              () ->
                  RealtimeSideband.connect(
                          server.uri("/v1/realtime"), "rtc_1", KEY, listener, (c, r) -> {})
                      .get(5, TimeUnit.SECONDS));
      RealtimeException r = assertInstanceOf(RealtimeException.class, e.getCause());
      assertEquals(401, r.status());
      assertTrue(r.getMessage().contains("HTTP 401"), r.getMessage());
      assertTrue(r.getMessage().contains("check the API key"), r.getMessage());
      assertFalse(r.getMessage().contains(KEY.substring(8, 16)), r.getMessage());
    }
  }

  @Test
  void misuseIsRefusedWithAdvice() {
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                RealtimeSideband.connect(
                    RealtimeSideband.DEFAULT_URL, " ", KEY, listener, (c, r) -> {}));
    assertTrue(e.getMessage().contains("callId"), e.getMessage());
  }
}
