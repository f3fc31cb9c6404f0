package io.github.jpeer.signaling.mqtt;

import io.github.jpeer.PeerConnection;
import io.github.jpeer.PeerLoop;
import io.github.jpeer.signaling.SignalingException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * libpeer's MQTT signaling, device side ({@code peer_signaling_join_channel}): the device
 * subscribes to {@code webrtc/<clientId>/jsonrpc} and answers JSON-RPC 2.0 requests ({@code offer},
 * {@code answer}, {@code state}, {@code close}, see {@link PeerRpcHandler}) on {@code
 * webrtc/<clientId>/jsonrpc-reply}, at QoS 0 over MQTT 3.1.1. A controller (libpeer's web page, or
 * {@link MqttPeerClient}) asks for an offer, applies it, and sends its answer back.
 *
 * <pre>{@code
 * try (PeerLoop loop = PeerLoop.start("device");
 *     MqttSignaling signaling = MqttSignaling.builder()
 *         .brokerUri("tcp://broker.example.org:1883")
 *         .clientId("my-device")
 *         .credentials("user", "secret")          // optional
 *         .build()) {
 *   signaling.join(loop, () -> PeerConnection.create(config)); // one connection per offer
 *   ...
 *   signaling.leave();
 * }
 * }</pre>
 *
 * <p>Threads: Paho receives on its own thread; each request is handed to the {@link PeerLoop} that
 * drives the connections ({@link PeerLoop#submit}), and the offer's result is published from the
 * connection's {@code onIceCandidate} callback on that thread without waiting. {@link #join} and
 * {@link #leave} wait for the broker (at most the connect timeout each): call them from an
 * application thread, never from the loop thread.
 *
 * <p>The topics have no access control of their own: anyone who can publish on the request topic
 * can make and close calls. Give the broker credentials and an ACL in production.
 */
public final class MqttSignaling implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger("io.github.jpeer.signaling");

  private final String brokerUri;
  private final String clientId;
  private final String username;
  private final String password;
  private final long timeoutMillis;
  private volatile MqttLink link;
  private volatile PeerRpcHandler handler;

  private MqttSignaling(Builder b) {
    this.brokerUri = b.brokerUri;
    this.clientId = b.clientId;
    this.username = b.username;
    this.password = b.password;
    this.timeoutMillis = b.connectTimeout.toMillis();
  }

  /** A builder; {@link Builder#brokerUri} and {@link Builder#clientId} are required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Connects to the broker and serves requests: each accepted {@code offer} takes a new connection
   * from {@code factory} (called on the loop thread) and adds it to {@code loop}. The handler sets
   * each connection's {@code onIceCandidate}; set the other callbacks in the factory.
   *
   * @throws SignalingException if the broker cannot be reached, refuses the credentials or the
   *     subscription, or does not answer within the connect timeout
   * @throws IllegalStateException if already joined
   */
  public synchronized void join(PeerLoop loop, Supplier<PeerConnection> factory)
      throws SignalingException {
    Objects.requireNonNull(loop, "loop");
    Objects.requireNonNull(factory, "factory");
    start(
        loop,
        () -> {
          PeerConnection pc = factory.get();
          // Queued behind the request being handled: createOffer runs first, on this thread.
          loop.add(pc)
              .whenComplete(
                  (ok, e) -> {
                    if (e != null) {
                      LOG.log(System.Logger.Level.WARNING, "cannot drive the new connection", e);
                      pc.close();
                    }
                  });
          return pc;
        });
  }

  /**
   * Connects to the broker and serves requests with the single connection {@code pc}, which this
   * adds to {@code loop} now (do not add it yourself). It serves one offer: once it is closed, a
   * new offer is refused; use {@link #join(PeerLoop, Supplier)} to serve many calls.
   *
   * @throws SignalingException if the broker cannot be reached or refuses (see the other join)
   * @throws IllegalStateException if already joined
   */
  public synchronized void join(PeerLoop loop, PeerConnection pc) throws SignalingException {
    Objects.requireNonNull(loop, "loop");
    Objects.requireNonNull(pc, "pc");
    AtomicBoolean used = new AtomicBoolean();
    start(
        loop,
        () -> {
          if (used.getAndSet(true)) {
            throw new IllegalStateException(
                "this device was joined with one PeerConnection and it has been used: join with"
                    + " a connection factory to serve more calls");
          }
          return pc;
        });
    loop.add(pc);
  }

  private void start(PeerLoop loop, Supplier<PeerConnection> connections)
      throws SignalingException {
    if (link != null) {
      throw new IllegalStateException(
          "already joined as '" + clientId + "': call leave() before joining again");
    }
    String replyTopic = JsonRpc.replyTopic(clientId);
    PeerRpcHandler h =
        new PeerRpcHandler(
            connections,
            reply -> {
              MqttLink l = link;
              if (l != null) {
                l.publish(replyTopic, reply);
              }
            });
    handler = h;
    MqttLink l =
        MqttLink.create(
            brokerUri,
            clientId,
            username,
            password,
            JsonRpc.requestTopic(clientId),
            request ->
                loop.submit(() -> h.handle(request))
                    .whenComplete(
                        (ok, e) -> {
                          if (e != null) {
                            LOG.log(
                                System.Logger.Level.WARNING,
                                "a request could not be handled (is the PeerLoop closed?)",
                                e);
                          }
                        }),
            timeoutMillis);
    // Set before subscribing: a request may arrive, and be answered, before connect() returns.
    link = l;
    try {
      l.connect();
    } catch (SignalingException e) {
      link = null;
      throw e;
    }
  }

  /** Whether {@link #join} succeeded and {@link #leave} has not been called since. */
  public boolean isJoined() {
    return link != null;
  }

  /** The device's client id: its MQTT client identifier and the middle of its topics. */
  public String clientId() {
    return clientId;
  }

  /**
   * The connection of the current or last call, or null before the first offer. Any thread; its
   * control calls belong to the loop thread.
   */
  public PeerConnection connection() {
    PeerRpcHandler h = handler;
    return h == null ? null : h.connection();
  }

  /**
   * Unsubscribes and disconnects from the broker ({@code peer_signaling_leave_channel}); a call in
   * progress goes on (close it through {@link #connection()} if it should end). Idempotent.
   */
  public synchronized void leave() {
    MqttLink l = link;
    link = null;
    if (l != null) {
      l.close();
    }
  }

  /** Same as {@link #leave()}. */
  @Override
  public void close() {
    leave();
  }

  /** Settings for {@link MqttSignaling}. */
  public static final class Builder {
    private String brokerUri;
    private String clientId;
    private String username;
    private String password;
    private Duration connectTimeout = Duration.ofSeconds(10);

    private Builder() {}

    /** The broker, {@code tcp://host:port} (or {@code ssl://host:port}). Required. */
    public Builder brokerUri(String brokerUri) {
      this.brokerUri = Objects.requireNonNull(brokerUri, "brokerUri");
      return this;
    }

    /**
     * The device's client id (libpeer's {@code client_id}): its MQTT client identifier and the
     * topic level of {@code webrtc/<clientId>/jsonrpc}. Required; no '/', '+' or '#'.
     */
    public Builder clientId(String clientId) {
      this.clientId = JsonRpc.checkClientId(clientId, "clientId");
      return this;
    }

    /** The broker's username and password; both or neither (null). Never logged. */
    public Builder credentials(String username, String password) {
      this.username = username;
      this.password = password;
      return this;
    }

    /** How long {@link #join} and {@link #leave} wait for the broker. Default 10 s. */
    public Builder connectTimeout(Duration connectTimeout) {
      if (connectTimeout.isNegative() || connectTimeout.isZero()) {
        throw new IllegalArgumentException("connectTimeout must be positive: " + connectTimeout);
      }
      this.connectTimeout = connectTimeout;
      return this;
    }

    /**
     * The signaling, not yet connected.
     *
     * @throws IllegalStateException if the broker URI or client id is missing
     */
    public MqttSignaling build() {
      if (brokerUri == null || clientId == null) {
        throw new IllegalStateException(
            "set brokerUri(\"tcp://host:1883\") and clientId(\"device-id\") before build()");
      }
      return new MqttSignaling(this);
    }
  }
}
