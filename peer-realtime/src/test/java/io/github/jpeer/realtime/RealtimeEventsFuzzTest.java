package io.github.jpeer.realtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.jpeer.signaling.internal.Json;

/**
 * Any text parses to an event without an exception, keeping the text; parsing is a function (the
 * same text gives an equal event); and a session the server reports survives being sent back in
 * session.update and reported again.
 */
class RealtimeEventsFuzzTest {
  @FuzzTest(maxDuration = "60s")
  void parse(FuzzedDataProvider data) {
    String text = data.consumeRemainingAsString();
    RealtimeEvent event = RealtimeEvents.parse(text);
    assertNotNull(event);
    assertSame(text, event.json());
    assertEquals(event, RealtimeEvents.parse(text));
    RealtimeEvents.dispatch(event, new RealtimeListener() {});
    SessionConfig reported = null;
    if (event instanceof RealtimeEvent.SessionCreated e) {
      reported = e.session();
    } else if (event instanceof RealtimeEvent.SessionUpdated e) {
      reported = e.session();
    }
    if (reported != null) {
      String update = new RealtimeClientEvent.SessionUpdate(reported).toJson();
      String session = Json.write(Json.object(Json.parseObject(update), "session"));
      RealtimeEvent again =
          RealtimeEvents.parse("{\"type\":\"session.updated\",\"session\":" + session + "}");
      assertEquals(reported, ((RealtimeEvent.SessionUpdated) again).session());
    }
  }
}
