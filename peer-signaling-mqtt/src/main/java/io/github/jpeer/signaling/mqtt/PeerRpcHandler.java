package io.github.jpeer.signaling.mqtt;

import io.github.jpeer.PeerConnection;
import io.github.jpeer.PeerConnectionState;
import io.github.jpeer.SdpType;
import io.github.jpeer.signaling.internal.Json;
import io.github.jpeer.signaling.internal.JsonException;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The device side of libpeer's JSON-RPC signaling, without any transport: it takes request texts,
 * drives a {@link PeerConnection} and hands reply texts to a consumer. {@link MqttSignaling}
 * carries it over MQTT; anything else that moves strings both ways (a WebSocket, a test) can too.
 *
 * <table>
 *   <caption>Methods (libpeer's peer_signaling.c)</caption>
 *   <tr><th>method</th><th>params</th><th>result</th></tr>
 *   <tr><td>{@code offer}</td><td>none</td><td>the complete offer SDP, sent when candidate
 *       gathering ends (libpeer's {@code onicecandidate})</td></tr>
 *   <tr><td>{@code answer}</td><td>the answer SDP (a string)</td><td>{@code ""}</td></tr>
 *   <tr><td>{@code state}</td><td>none</td><td>the state, lowercase: {@code "new"}, {@code
 *       "checking"}, {@code "connected"}, {@code "completed"}, {@code "failed"}, {@code
 *       "disconnected"}, {@code "closed"}</td></tr>
 *   <tr><td>{@code close}</td><td>none</td><td>{@code ""}</td></tr>
 * </table>
 *
 * <p>Failures are JSON-RPC error objects with the specification's codes ({@link #PARSE_ERROR},
 * {@link #INVALID_REQUEST}, {@link #METHOD_NOT_FOUND}, {@link #INVALID_PARAMS}, {@link
 * #INTERNAL_ERROR}), the specification's message and a {@code data} string saying what was wrong.
 * An error about a request whose id cannot be read carries {@code "id":null}.
 *
 * <p>Connections: as in libpeer, {@code offer} is accepted only when there is no connection in
 * progress: none yet, or the last one is CLOSED or FAILED. Each accepted offer takes a fresh
 * connection from the supplier (a jpeer connection negotiates once), whose {@code onIceCandidate}
 * listener this handler sets. Before the first offer, {@code state} answers {@code "closed"},
 * libpeer's state of a device that is not in a call.
 *
 * <p>Not thread-safe: call {@link #handle} on the thread that drives the connections (their {@code
 * loop()} thread, e.g. through {@link io.github.jpeer.PeerLoop#submit}); the supplier and the reply
 * consumer are called there too, and must not block.
 */
public final class PeerRpcHandler {
  /** Invalid JSON was received (JSON-RPC 2.0 section 5.1). */
  public static final int PARSE_ERROR = -32700;

  /** The JSON is not a valid request object: no id, no method, a batch. */
  public static final int INVALID_REQUEST = -32600;

  /** The method is not one of {@code offer}, {@code answer}, {@code state}, {@code close}. */
  public static final int METHOD_NOT_FOUND = -32601;

  /** The params are missing or of the wrong type, or the answer SDP is not valid. */
  public static final int INVALID_PARAMS = -32602;

  /** The request comes in the wrong state (an offer during a call), or the connection failed. */
  public static final int INTERNAL_ERROR = -32603;

  private static final System.Logger LOG = System.getLogger("io.github.jpeer.signaling");

  private final Supplier<PeerConnection> connections;
  private final Consumer<String> replies;
  private volatile PeerConnection current;
  private boolean offerMade;
  private boolean offerPending;
  private Object offerId;

  /**
   * A handler that takes a new connection from {@code connections} for each accepted offer and
   * sends replies to {@code replies}.
   *
   * @param connections makes a connection that the calling thread drives (or will drive, e.g. after
   *     {@link io.github.jpeer.PeerLoop#add}); may throw to refuse, which the requester sees as an
   *     internal error
   * @param replies takes each reply text (a JSON object); called on the handling thread
   */
  public PeerRpcHandler(Supplier<PeerConnection> connections, Consumer<String> replies) {
    this.connections = Objects.requireNonNull(connections, "connections");
    this.replies = Objects.requireNonNull(replies, "replies");
  }

  /**
   * The connection of the current or last call, or null before the first offer. Any thread (a
   * moment's view); control calls on it belong to its loop thread.
   */
  public PeerConnection connection() {
    return current;
  }

  /**
   * Handles one request text. Replies immediately, except for {@code offer}, whose result follows
   * when the connection has gathered its candidates (from a later {@code loop()}). Never throws for
   * bad input: that becomes an error reply.
   */
  public void handle(String requestText) {
    Map<String, Object> request;
    try {
      Object parsed = Json.parse(requestText);
      if (!(parsed instanceof Map)) {
        reply(
            JsonRpc.error(
                null,
                INVALID_REQUEST,
                parsed instanceof List
                    ? "batch requests are not supported: send one request object at a time"
                    : "a request must be a JSON object"));
        return;
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> object = (Map<String, Object>) parsed;
      request = object;
    } catch (JsonException e) {
      reply(JsonRpc.error(null, PARSE_ERROR, e.getMessage()));
      return;
    }
    Object id = request.get("id");
    // libpeer answers a request without an id (a JSON-RPC notification) with an error instead
    // of staying silent; so do we, so a mistaken client hears why nothing happens.
    if (!isValidId(id)) {
      reply(
          JsonRpc.error(
              null,
              INVALID_REQUEST,
              request.containsKey("id") ? "\"id\" must be a number or a string" : "no \"id\""));
      return;
    }
    Object version = request.get("jsonrpc");
    // libpeer does not check "jsonrpc": accept it missing, but not with another value.
    if (version != null && !JsonRpc.VERSION.equals(version)) {
      reply(JsonRpc.error(id, INVALID_REQUEST, "\"jsonrpc\" must be \"2.0\""));
      return;
    }
    if (!(request.get("method") instanceof String method)) {
      reply(JsonRpc.error(id, INVALID_REQUEST, "no \"method\" string"));
      return;
    }
    switch (method) {
      case "offer" -> offer(id);
      case "answer" -> answer(id, request.get("params"));
      case "state" -> reply(JsonRpc.result(id, stateName()));
      case "close" -> close(id);
      default ->
          reply(
              JsonRpc.error(
                  id,
                  METHOD_NOT_FOUND,
                  "unknown method '" + method + "': use offer, answer, state or close"));
    }
  }

  private static boolean isValidId(Object id) {
    return id instanceof Long || id instanceof BigDecimal || id instanceof String;
  }

  private void offer(Object id) {
    PeerConnection pc = current;
    if (pc != null) {
      PeerConnectionState s = pc.getState();
      if (s == PeerConnectionState.FAILED) {
        pc.close();
      } else if (s != PeerConnectionState.CLOSED) {
        reply(
            JsonRpc.error(
                id,
                INTERNAL_ERROR,
                "a connection is already in progress (state "
                    + stateName()
                    + "): send close first"));
        return;
      }
    }
    PeerConnection fresh;
    try {
      fresh = Objects.requireNonNull(connections.get(), "the connection supplier returned null");
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "cannot make a connection for an offer", e);
      reply(JsonRpc.error(id, INTERNAL_ERROR, "cannot make a connection: " + e.getMessage()));
      return;
    }
    current = fresh;
    offerMade = false;
    offerPending = true;
    offerId = id;
    // The complete description (all candidates) is the result, as libpeer's onicecandidate.
    fresh.onIceCandidate(sdp -> offerGathered(fresh, sdp));
    try {
      fresh.createOffer();
      offerMade = true;
    } catch (RuntimeException e) {
      offerPending = false;
      fresh.close(); // it may already be handed to a loop: do not leave it running
      LOG.log(System.Logger.Level.WARNING, "createOffer failed", e);
      reply(JsonRpc.error(id, INTERNAL_ERROR, "createOffer failed: " + e.getMessage()));
    }
  }

  private void offerGathered(PeerConnection pc, String sdp) {
    if (pc != current || !offerPending) {
      return; // a connection closed meanwhile
    }
    offerPending = false;
    reply(JsonRpc.result(offerId, sdp));
  }

  private void answer(Object id, Object params) {
    if (!(params instanceof String sdp) || sdp.isBlank()) {
      reply(
          JsonRpc.error(
              id, INVALID_PARAMS, "\"params\" must be the answer SDP as a non-empty string"));
      return;
    }
    PeerConnection pc = current;
    if (pc == null || !offerMade || pc.getState() != PeerConnectionState.NEW) {
      reply(
          JsonRpc.error(
              id,
              INTERNAL_ERROR,
              "no offer is waiting for an answer (state " + stateName() + "): send offer first"));
      return;
    }
    try {
      pc.setRemoteDescription(sdp, SdpType.ANSWER);
    } catch (IllegalStateException e) {
      reply(JsonRpc.error(id, INTERNAL_ERROR, e.getMessage()));
      return;
    } catch (RuntimeException e) {
      // SdpParseException and IllegalArgumentException: the answer itself is unusable.
      reply(JsonRpc.error(id, INVALID_PARAMS, "the answer is not usable: " + e.getMessage()));
      return;
    }
    reply(JsonRpc.result(id, ""));
  }

  private void close(Object id) {
    PeerConnection pc = current;
    if (offerPending) {
      // Whoever asked for the offer would otherwise wait for a result that never comes.
      offerPending = false;
      reply(JsonRpc.error(offerId, INTERNAL_ERROR, "closed before candidate gathering ended"));
    }
    if (pc != null) {
      pc.close();
    }
    reply(JsonRpc.result(id, ""));
  }

  /** libpeer's state names: the lowercase enum names; "closed" before any connection. */
  private String stateName() {
    PeerConnection pc = current;
    PeerConnectionState s = pc == null ? PeerConnectionState.CLOSED : pc.getState();
    return s.name().toLowerCase(Locale.ROOT);
  }

  private void reply(String text) {
    try {
      replies.accept(text);
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "sending a JSON-RPC reply failed", e);
    }
  }
}
