package io.github.jpeer.signaling.mqtt;

import io.github.jpeer.signaling.SignalingException;
import io.github.jpeer.signaling.internal.Json;
import io.github.jpeer.signaling.internal.JsonException;
import java.math.BigDecimal;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;

/**
 * libpeer's MQTT signaling, controller side: calls a device (a libpeer device, or jpeer's {@link
 * MqttSignaling}) by publishing JSON-RPC 2.0 requests on {@code webrtc/<deviceId>/jsonrpc} and
 * matching the replies on {@code webrtc/<deviceId>/jsonrpc-reply} by id.
 *
 * <pre>{@code
 * try (MqttPeerClient device = MqttPeerClient.builder()
 *     .brokerUri("tcp://broker.example.org:1883")
 *     .deviceId("my-device")
 *     .connect()) {
 *   String offer = device.requestOffer().get();
 *   String answer = ...;                       // from a browser or a jpeer PeerConnection
 *   device.sendAnswer(answer).get();
 *   String state = device.state().get();       // e.g. "completed"
 *   device.closeConnection().get();
 * }
 * }</pre>
 *
 * <p>Every request's future completes with the result, or exceptionally with a {@link
 * SignalingException}: for an error reply its {@link SignalingException#errorCode()} is the
 * JSON-RPC code as text (e.g. {@code "-32601"}, see {@link PeerRpcHandler}), for no reply within
 * the timeout it is null. Futures complete on the MQTT client's thread: do not block in stages
 * chained to them (use the {@code *Async} variants to do slow work).
 *
 * <p>All controllers of one device share its reply topic. Request ids start at a random value so
 * that two controllers rarely mistake each other's replies, but the protocol has no protection: let
 * one controller talk to a device at a time. Thread-safe.
 */
public final class MqttPeerClient implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger("io.github.jpeer.signaling");
  // libpeer reads the id as a C int and treats 0 as "no pending offer": stay in 1..2^31-1.
  private static final long MAX_ID = Integer.MAX_VALUE;

  private final String deviceId;
  private final String brokerUri;
  private final long requestTimeoutMillis;
  private final String requestTopic;
  private final AtomicLong nextId;
  private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
  private final MqttLink link;
  private final AtomicBoolean closed = new AtomicBoolean();

  private record Pending(String method, CompletableFuture<Object> future) {}

  private MqttPeerClient(Builder b, String mqttClientId, long firstId) {
    this.deviceId = b.deviceId;
    this.brokerUri = b.brokerUri;
    this.requestTimeoutMillis = b.timeout.toMillis();
    this.requestTopic = JsonRpc.requestTopic(b.deviceId);
    this.nextId = new AtomicLong(firstId);
    this.link =
        MqttLink.create(
            b.brokerUri,
            mqttClientId,
            b.username,
            b.password,
            JsonRpc.replyTopic(b.deviceId),
            this::onReply,
            b.connectTimeout.toMillis());
  }

  /** A builder; {@link Builder#brokerUri} and {@link Builder#deviceId} are required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Asks the device for an offer ({@code offer}): the future completes with the complete offer SDP
   * once the device has gathered its candidates.
   */
  public CompletableFuture<String> requestOffer() {
    return call("offer", null)
        .thenApply(
            r -> {
              if (r instanceof String sdp && !sdp.isEmpty()) {
                return sdp;
              }
              throw new CompletionException(
                  new SignalingException(
                      "device '"
                          + deviceId
                          + "' answered offer with "
                          + Json.write(r)
                          + " instead of an SDP string",
                      0,
                      null,
                      null));
            });
  }

  /** Sends the answer SDP to the offer ({@code answer}); completes when the device applied it. */
  public CompletableFuture<Void> sendAnswer(String sdp) {
    Objects.requireNonNull(sdp, "sdp");
    return call("answer", sdp).thenApply(r -> null);
  }

  /**
   * Asks for the device's connection state ({@code state}): libpeer's lowercase names, e.g. {@code
   * "new"}, {@code "checking"}, {@code "connected"}, {@code "completed"}, {@code "closed"}.
   */
  public CompletableFuture<String> state() {
    return call("state", null).thenApply(String::valueOf);
  }

  /** Asks the device to close its connection ({@code close}). This client stays connected. */
  public CompletableFuture<Void> closeConnection() {
    return call("close", null).thenApply(r -> null);
  }

  /**
   * Calls any method; the future completes with the JSON result (see {@link Json} for the types).
   *
   * @param params the params (a string, map, list, number...), or null to send none
   */
  public CompletableFuture<Object> call(String method, Object params) {
    Objects.requireNonNull(method, "method");
    CompletableFuture<Object> f = new CompletableFuture<>();
    if (closed.get()) {
      f.completeExceptionally(
          new IllegalStateException("this MqttPeerClient is closed: connect a new one"));
      return f;
    }
    long id = nextId.getAndUpdate(i -> i >= MAX_ID ? 1 : i + 1);
    String text = JsonRpc.request(id, method, params);
    pending.put(id, new Pending(method, f));
    CompletableFuture.delayedExecutor(requestTimeoutMillis, TimeUnit.MILLISECONDS)
        .execute(
            () ->
                fail(
                    id,
                    "no reply from device '"
                        + deviceId
                        + "' to "
                        + method
                        + " (id "
                        + id
                        + ") within "
                        + requestTimeoutMillis
                        + " ms: is it joined to "
                        + brokerUri
                        + " with that client id?",
                    null));
    if (!link.publish(requestTopic, text)) {
      fail(id, "cannot publish " + method + " to " + brokerUri + ": not connected", null);
    }
    return f;
  }

  private void fail(long id, String message, String errorCode) {
    Pending p = pending.remove(id);
    if (p != null) {
      p.future.completeExceptionally(new SignalingException(message, 0, errorCode, null));
    }
  }

  /** A reply on the reply topic, on Paho's thread. */
  private void onReply(String text) {
    Map<String, Object> reply;
    try {
      reply = Json.parseObject(text);
    } catch (JsonException e) {
      LOG.log(System.Logger.Level.WARNING, "device '" + deviceId + "' sent bad JSON: " + e);
      return;
    }
    Long id = idOf(reply.get("id"));
    Pending p = id == null ? null : pending.remove(id);
    Object error = reply.get("error");
    if (p == null) {
      // A reply to another controller, a late one, or an error about an unreadable request.
      LOG.log(
          System.Logger.Level.DEBUG,
          "reply from device '" + deviceId + "' matches no request of ours: " + text);
      return;
    }
    if (error != null) {
      Map<String, Object> e = error instanceof Map<?, ?> ? Json.object(reply, "error") : Map.of();
      Object code = e.get("code");
      String message = Json.string(e, "message");
      String data = Json.string(e, "data");
      p.future.completeExceptionally(
          new SignalingException(
              "device '"
                  + deviceId
                  + "' refused "
                  + p.method
                  + ": "
                  + code
                  + " "
                  + (message != null ? message : "(no message)")
                  + (data != null ? " (" + data + ")" : ""),
              0,
              code == null ? null : String.valueOf(code),
              null));
    } else if (reply.containsKey("result")) {
      p.future.complete(reply.get("result"));
    } else {
      p.future.completeExceptionally(
          new SignalingException(
              "device '"
                  + deviceId
                  + "' replied to "
                  + p.method
                  + " with neither result nor error: "
                  + text,
              0,
              null,
              null));
    }
  }

  private static Long idOf(Object id) {
    if (id instanceof Long l) {
      return l;
    }
    if (id instanceof BigDecimal d) {
      try {
        return d.longValueExact();
      } catch (ArithmeticException notOurs) {
        return null;
      }
    }
    return null;
  }

  /** The device this client calls. */
  public String deviceId() {
    return deviceId;
  }

  /**
   * Disconnects from the broker; requests still waiting fail with a {@link SignalingException}. The
   * device's connection is not touched (see {@link #closeConnection()}). Idempotent.
   */
  @Override
  public void close() {
    if (closed.getAndSet(true)) {
      return;
    }
    link.close();
    for (Long id : pending.keySet()) {
      fail(id, "the MqttPeerClient was closed before device '" + deviceId + "' replied", null);
    }
  }

  /** Settings for {@link MqttPeerClient}. */
  public static final class Builder {
    private String brokerUri;
    private String deviceId;
    private String mqttClientId;
    private String username;
    private String password;
    private Duration timeout = Duration.ofSeconds(10);
    private Duration connectTimeout = Duration.ofSeconds(10);
    private RandomGenerator random;

    private Builder() {}

    /** The broker, {@code tcp://host:port} (or {@code ssl://host:port}). Required. */
    public Builder brokerUri(String brokerUri) {
      this.brokerUri = Objects.requireNonNull(brokerUri, "brokerUri");
      return this;
    }

    /** The client id of the device to call (its topic level). Required. */
    public Builder deviceId(String deviceId) {
      this.deviceId = JsonRpc.checkClientId(deviceId, "deviceId");
      return this;
    }

    /**
     * This controller's own MQTT client identifier; it must differ from the device's (a broker
     * disconnects the older of two clients with one identifier). Default: {@code jpeer-} and 16
     * random hex digits.
     */
    public Builder mqttClientId(String mqttClientId) {
      this.mqttClientId = Objects.requireNonNull(mqttClientId, "mqttClientId");
      return this;
    }

    /** The broker's username and password; both or neither (null). Never logged. */
    public Builder credentials(String username, String password) {
      this.username = username;
      this.password = password;
      return this;
    }

    /**
     * How long to wait for each reply. Default 10 s; an offer takes as long as the device's
     * candidate gathering (STUN and TURN servers).
     */
    public Builder timeout(Duration timeout) {
      this.timeout = positive(timeout, "timeout");
      return this;
    }

    /** How long {@link #connect()} and {@link #close()} wait for the broker. Default 10 s. */
    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = positive(connectTimeout, "connectTimeout");
      return this;
    }

    private static Duration positive(Duration d, String name) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive: " + d);
      }
      return d;
    }

    /** The source of the default client identifier and the first request id. */
    public Builder random(RandomGenerator random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /**
     * Connects to the broker and subscribes to the device's reply topic.
     *
     * @throws SignalingException if the broker cannot be reached, refuses the credentials or the
     *     subscription, or does not answer within the connect timeout
     * @throws IllegalStateException if the broker URI or device id is missing
     */
    public MqttPeerClient connect() throws SignalingException {
      if (brokerUri == null || deviceId == null) {
        throw new IllegalStateException(
            "set brokerUri(\"tcp://host:1883\") and deviceId(\"device-id\") before connect()");
      }
      RandomGenerator r = random != null ? random : new SecureRandom();
      String id = mqttClientId;
      if (id == null) {
        id = "jpeer-" + HexFormat.of().toHexDigits(r.nextLong());
      }
      if (id.equals(deviceId)) {
        throw new IllegalArgumentException(
            "mqttClientId equals the device's client id '" + deviceId + "': choose another");
      }
      MqttPeerClient client = new MqttPeerClient(this, id, 1 + r.nextLong(MAX_ID / 2));
      client.link.connect();
      return client;
    }
  }
}
