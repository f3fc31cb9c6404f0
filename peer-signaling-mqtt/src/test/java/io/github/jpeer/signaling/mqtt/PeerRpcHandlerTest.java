package io.github.jpeer.signaling.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jpeer.DataChannelType;
import io.github.jpeer.MediaCodec;
import io.github.jpeer.PeerConfiguration;
import io.github.jpeer.PeerConnection;
import io.github.jpeer.PeerConnectionState;
import io.github.jpeer.signaling.internal.Json;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The JSON-RPC handling without a broker: requests go straight into {@link PeerRpcHandler}, the
 * connections it makes are driven by this test's thread, replies are collected in a list.
 */
class PeerRpcHandlerTest {
  private final List<String> replies = new ArrayList<>();
  private final List<PeerConnection> made = new ArrayList<>();
  private final PeerRpcHandler handler = new PeerRpcHandler(this::newConnection, replies::add);

  static PeerConfiguration config(long seed) {
    return PeerConfiguration.builder()
        .audioCodec(MediaCodec.OPUS)
        .dataChannel(DataChannelType.STRING)
        .bindAddress(InetAddress.getLoopbackAddress())
        .includeLoopback(true)
        .random(new SplittableRandom(seed))
        .build();
  }

  private PeerConnection newConnection() {
    PeerConnection pc = PeerConnection.create(config(made.size() + 1));
    made.add(pc);
    return pc;
  }

  @AfterEach
  void closeConnections() {
    made.forEach(PeerConnection::close);
  }

  /** The one reply the last request produced, parsed; fails if there were none or several. */
  private Map<String, Object> onlyReply() {
    assertEquals(1, replies.size(), () -> "replies: " + replies);
    Map<String, Object> r = Json.parseObject(replies.remove(0));
    assertEquals("2.0", r.get("jsonrpc"));
    return r;
  }

  private static void assertError(Map<String, Object> reply, Object id, int code) {
    assertEquals(id, reply.get("id"), reply.toString());
    assertTrue(reply.containsKey("id"), "an error reply carries an id, null if unknown");
    Map<String, Object> error = Json.object(reply, "error");
    assertEquals((long) code, error.get("code"), reply.toString());
    assertEquals(JsonRpc.standardMessage(code), error.get("message"));
    assertTrue(Json.string(error, "data") != null, "the detail says what was wrong");
  }

  @Test
  void malformedJsonIsAParseErrorWithNullId() {
    handler.handle("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":");
    assertError(onlyReply(), null, PeerRpcHandler.PARSE_ERROR);
    handler.handle("");
    assertError(onlyReply(), null, PeerRpcHandler.PARSE_ERROR);
  }

  @Test
  void requestsThatAreNotOneObjectWithIdAndMethodAreInvalid() {
    handler.handle("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"state\"}]");
    Map<String, Object> batch = onlyReply();
    assertError(batch, null, PeerRpcHandler.INVALID_REQUEST);
    assertTrue(Json.string(Json.object(batch, "error"), "data").contains("batch"));
    handler.handle("\"state\"");
    assertError(onlyReply(), null, PeerRpcHandler.INVALID_REQUEST);
    handler.handle("{\"jsonrpc\":\"2.0\",\"method\":\"state\"}");
    assertError(onlyReply(), null, PeerRpcHandler.INVALID_REQUEST);
    handler.handle("{\"jsonrpc\":\"2.0\",\"id\":[1],\"method\":\"state\"}");
    assertError(onlyReply(), null, PeerRpcHandler.INVALID_REQUEST);
    handler.handle("{\"jsonrpc\":\"2.0\",\"id\":4}");
    assertError(onlyReply(), 4L, PeerRpcHandler.INVALID_REQUEST);
    handler.handle("{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":7}");
    assertError(onlyReply(), 5L, PeerRpcHandler.INVALID_REQUEST);
    handler.handle("{\"jsonrpc\":\"1.0\",\"id\":6,\"method\":\"state\"}");
    assertError(onlyReply(), 6L, PeerRpcHandler.INVALID_REQUEST);
  }

  @Test
  void unknownMethodIsMethodNotFoundAndTheIdIsEchoedAsSent() {
    handler.handle("{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"dance\"}");
    assertError(onlyReply(), 9L, PeerRpcHandler.METHOD_NOT_FOUND);
    handler.handle("{\"jsonrpc\":\"2.0\",\"id\":\"abc\",\"method\":\"Offer\"}");
    assertError(onlyReply(), "abc", PeerRpcHandler.METHOD_NOT_FOUND);
    assertTrue(made.isEmpty());
  }

  @Test
  void stateBeforeAnyOfferIsClosedAsInLibpeer() {
    // libpeer's device is CLOSED until an offer starts a connection. No "jsonrpc": libpeer
    // does not require it either.
    handler.handle("{\"id\":1,\"method\":\"state\"}");
    Map<String, Object> r = onlyReply();
    assertEquals(1L, r.get("id"));
    assertEquals("closed", r.get("result"));
  }

  @Test
  void answerNeedsAStringParamAndAnOfferFirst() {
    handler.handle("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"answer\"}");
    assertError(onlyReply(), 1L, PeerRpcHandler.INVALID_PARAMS);
    handler.handle("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"answer\",\"params\":{\"sdp\":1}}");
    assertError(onlyReply(), 2L, PeerRpcHandler.INVALID_PARAMS);
    handler.handle("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"answer\",\"params\":\"v=0\\r\\n\"}");
    assertError(onlyReply(), 3L, PeerRpcHandler.INTERNAL_ERROR);
  }

  @Test
  void offerRepliesWithTheCompleteDescriptionOnceGathered() {
    handler.handle("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"offer\"}");
    assertTrue(replies.isEmpty(), "the result waits for gathering: " + replies);
    assertEquals(1, made.size());
    PeerConnection pc = made.get(0);
    pc.loop(); // gathering (host candidates only) ended: onIceCandidate fires from here
    Map<String, Object> r = onlyReply();
    assertEquals(7L, r.get("id"));
    String sdp = (String) r.get("result");
    assertTrue(sdp.startsWith("v=0\r\n"), sdp);
    assertTrue(sdp.contains("m=audio"), sdp);
    assertTrue(sdp.contains("m=application"), sdp);
    assertTrue(sdp.contains("a=candidate:"), sdp);
    assertTrue(sdp.contains("a=end-of-candidates"), sdp);
    assertEquals(pc, handler.connection());

    handler.handle("{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"state\"}");
    assertEquals("new", onlyReply().get("result"));
    // A second offer during a negotiation is refused, as libpeer refuses it unless CLOSED.
    handler.handle("{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"offer\"}");
    assertError(onlyReply(), 9L, PeerRpcHandler.INTERNAL_ERROR);
    assertEquals(1, made.size());
    pc.loop();
    assertTrue(replies.isEmpty(), "no second offer result: " + replies);
  }

  @Test
  void anUnusableAnswerIsInvalidParams() {
    handler.handle("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"offer\"}");
    made.get(0).loop();
    onlyReply();
    handler.handle(
        "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"answer\",\"params\":\"not an SDP at all\"}");
    assertError(onlyReply(), 2L, PeerRpcHandler.INVALID_PARAMS);
    assertEquals(PeerConnectionState.NEW, made.get(0).getState());
  }

  @Test
  void closeEndsTheCallAndAnotherOfferStartsANewConnection() {
    handler.handle("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"offer\"}");
    made.get(0).loop();
    onlyReply();
    handler.handle("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"close\"}");
    Map<String, Object> closed = onlyReply();
    assertEquals(2L, closed.get("id"));
    assertEquals("", closed.get("result"));
    assertEquals(PeerConnectionState.CLOSED, made.get(0).getState());
    handler.handle("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"state\"}");
    assertEquals("closed", onlyReply().get("result"));

    handler.handle("{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"offer\"}");
    assertEquals(2, made.size());
    assertNotSame(made.get(0), made.get(1));
    made.get(1).loop();
    assertEquals(4L, onlyReply().get("id"));
    assertEquals(made.get(1), handler.connection());
  }

  @Test
  void closeWhileGatheringFailsTheWaitingOffer() {
    handler.handle("{\"jsonrpc\":\"2.0\",\"id\":\"o\",\"method\":\"offer\"}");
    handler.handle("{\"jsonrpc\":\"2.0\",\"id\":\"c\",\"method\":\"close\"}");
    assertEquals(2, replies.size(), replies::toString);
    Map<String, Object> offerReply = Json.parseObject(replies.remove(0));
    assertError(offerReply, "o", PeerRpcHandler.INTERNAL_ERROR);
    assertEquals("", onlyReply().get("result"));
    made.get(0).loop(); // a closed connection announces nothing
    assertTrue(replies.isEmpty(), replies::toString);
  }

  @Test
  void closeWithoutAConnectionIsHarmless() {
    handler.handle("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"close\"}");
    assertEquals("", onlyReply().get("result"));
    assertNull(handler.connection());
  }

  @Test
  void aSupplierThatRefusesIsAnInternalError() {
    PeerRpcHandler refusing =
        new PeerRpcHandler(
            () -> {
              throw new IllegalStateException("no more calls today");
            },
            replies::add);
    refusing.handle("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"offer\"}");
    Map<String, Object> r = onlyReply();
    assertError(r, 1L, PeerRpcHandler.INTERNAL_ERROR);
    assertTrue(Json.string(Json.object(r, "error"), "data").contains("no more calls today"));
  }

  @Test
  void aThrowingReplyConsumerDoesNotEscape() {
    PeerRpcHandler h =
        new PeerRpcHandler(
            this::newConnection,
            text -> {
              throw new IllegalStateException("transport down");
            });
    h.handle("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"state\"}");
    h.handle("nonsense");
    assertTrue(replies.isEmpty());
  }
}
