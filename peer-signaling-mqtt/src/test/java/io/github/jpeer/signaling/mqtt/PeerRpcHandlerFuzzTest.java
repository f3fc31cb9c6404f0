package io.github.jpeer.signaling.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.jpeer.signaling.internal.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Any request text (from anyone who can publish on the device's topic) gets exactly one reply, a
 * well-formed JSON-RPC 2.0 response with a known error code or a result, and nothing escapes {@link
 * PeerRpcHandler#handle}. The supplier refuses, so an offer is answered at once too.
 */
class PeerRpcHandlerFuzzTest {
  private static final Set<Long> CODES =
      Set.of(
          (long) PeerRpcHandler.PARSE_ERROR,
          (long) PeerRpcHandler.INVALID_REQUEST,
          (long) PeerRpcHandler.METHOD_NOT_FOUND,
          (long) PeerRpcHandler.INVALID_PARAMS,
          (long) PeerRpcHandler.INTERNAL_ERROR);

  @FuzzTest(maxDuration = "60s")
  void handle(byte[] data) {
    List<String> replies = new ArrayList<>();
    PeerRpcHandler handler =
        new PeerRpcHandler(
            () -> {
              throw new IllegalStateException("no connections in this test");
            },
            replies::add);
    handler.handle(new String(data, StandardCharsets.UTF_8));
    assertEquals(1, replies.size(), replies::toString);
    Map<String, Object> reply = Json.parseObject(replies.get(0));
    // The reply survives a write/parse round trip, so any JSON-RPC client reads it the same.
    assertEquals(reply, Json.parse(Json.write(reply)));
    assertEquals("2.0", reply.get("jsonrpc"));
    assertTrue(reply.containsKey("id"));
    assertNotEquals(reply.containsKey("result"), reply.containsKey("error"), reply.toString());
    if (reply.containsKey("error")) {
      Object code = Json.object(reply, "error").get("code");
      assertTrue(CODES.contains(code), reply.toString());
    }
  }
}
