package io.github.jpeer.signaling.mqtt;

import io.github.jpeer.signaling.SignalingException;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * One MQTT 3.1.1 session on Paho's asynchronous client, subscribed to one topic at QoS 0, as
 * libpeer's signaling uses it. It reconnects by itself and subscribes again after a reconnect (the
 * session is clean, so the broker forgets subscriptions).
 *
 * <p>Threads: Paho receives on its own threads; {@code onMessage} is called there and must not
 * block. {@link #publish} never waits, so it may be called from a {@code PeerLoop} thread.
 */
final class MqttLink implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger("io.github.jpeer.signaling");
  private static final int KEEP_ALIVE_SECONDS = 60; // libpeer's KEEP_ALIVE_TIMEOUT_SECONDS
  private static final int SUBACK_FAILURE = 0x80;

  private final MqttAsyncClient client;
  private final String brokerUri;
  private final String topic;
  private final long timeoutMillis;
  private final MqttConnectOptions options;

  private MqttLink(
      MqttAsyncClient client,
      MqttConnectOptions options,
      String brokerUri,
      String topic,
      long timeoutMillis) {
    this.client = client;
    this.options = options;
    this.brokerUri = brokerUri;
    this.topic = topic;
    this.timeoutMillis = timeoutMillis;
  }

  /**
   * A link to {@code brokerUri} as {@code mqttClientId} that will subscribe to {@code topic};
   * nothing is sent before {@link #connect()}.
   *
   * @throws IllegalArgumentException if the URI is not an MQTT broker URI
   */
  static MqttLink create(
      String brokerUri,
      String mqttClientId,
      String username,
      String password,
      String topic,
      Consumer<String> onMessage,
      long timeoutMillis) {
    MqttAsyncClient client;
    try {
      client = new MqttAsyncClient(brokerUri, mqttClientId, new MemoryPersistence());
    } catch (MqttException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "broker URI '"
              + brokerUri
              + "' is not usable (use tcp://host:port or ssl://host:port): "
              + e.getMessage(),
          e);
    }
    MqttConnectOptions options = new MqttConnectOptions();
    options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    options.setCleanSession(true);
    options.setAutomaticReconnect(true);
    options.setKeepAliveInterval(KEEP_ALIVE_SECONDS);
    options.setConnectionTimeout((int) Math.max(1, (timeoutMillis + 999) / 1000));
    // QoS 0 needs no in-flight window, but Paho counts every publish against it.
    options.setMaxInflight(1000);
    if (username != null) {
      options.setUserName(username);
    }
    if (password != null) {
      options.setPassword(password.toCharArray());
    }
    MqttLink link = new MqttLink(client, options, brokerUri, topic, timeoutMillis);
    client.setCallback(link.callback(onMessage));
    return link;
  }

  /**
   * Connects and subscribes, waiting at most the timeout for each step. On failure the link is
   * closed.
   *
   * @throws SignalingException if the broker cannot be reached, refuses the credentials or the
   *     subscription, or does not answer in time
   */
  void connect() throws SignalingException {
    String who = "the MQTT broker " + brokerUri + " (as '" + client.getClientId() + "')";
    try {
      client.connect(options).waitForCompletion(timeoutMillis);
    } catch (MqttException e) {
      abandon();
      throw new SignalingException("cannot connect to " + who + ": " + describe(e), 0, null, e);
    }
    try {
      IMqttToken sub = client.subscribe(topic, 0);
      sub.waitForCompletion(timeoutMillis);
      int[] granted = sub.getGrantedQos();
      if (granted != null && granted.length > 0 && granted[0] == SUBACK_FAILURE) {
        abandon();
        throw new SignalingException(
            who + " refused the subscription to " + topic + ": check its ACL", 0, null, null);
      }
    } catch (MqttException e) {
      abandon();
      throw new SignalingException(
          "cannot subscribe to " + topic + " on " + who + ": " + describe(e), 0, null, e);
    }
  }

  private static String describe(MqttException e) {
    return switch (e.getReasonCode()) {
      case MqttException.REASON_CODE_FAILED_AUTHENTICATION,
          MqttException.REASON_CODE_NOT_AUTHORIZED ->
          "the broker refused the username or password";
      case MqttException.REASON_CODE_CLIENT_TIMEOUT -> "no answer in time";
      default ->
          e.getMessage() + (e.getCause() != null ? " (" + e.getCause().getMessage() + ")" : "");
    };
  }

  private MqttCallbackExtended callback(Consumer<String> onMessage) {
    return new MqttCallbackExtended() {
      @Override
      public void connectComplete(boolean reconnect, String serverUri) {
        if (!reconnect) {
          return; // the first subscription is made (and awaited) by connect()
        }
        LOG.log(System.Logger.Level.INFO, "reconnected to " + serverUri + "; subscribing again");
        try {
          client.subscribe(topic, 0); // a Paho callback must not wait for the token
        } catch (MqttException e) {
          LOG.log(System.Logger.Level.WARNING, "cannot subscribe again to " + topic, e);
        }
      }

      @Override
      public void connectionLost(Throwable cause) {
        LOG.log(
            System.Logger.Level.WARNING,
            "lost the MQTT connection to " + brokerUri + "; reconnecting: " + cause);
      }

      @Override
      public void messageArrived(String t, MqttMessage message) {
        try {
          onMessage.accept(new String(message.getPayload(), StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
          // An exception here would make Paho drop the connection.
          LOG.log(System.Logger.Level.WARNING, "handling a message on " + t + " failed", e);
        }
      }

      @Override
      public void deliveryComplete(IMqttDeliveryToken token) {
        // QoS 0: nothing to track
      }
    };
  }

  /**
   * Publishes {@code payload} on {@code topic} at QoS 0 without waiting.
   *
   * @return false if it could not be queued (not connected); the reason is logged
   */
  boolean publish(String topic, String payload) {
    try {
      client.publish(topic, payload.getBytes(StandardCharsets.UTF_8), 0, false);
      return true;
    } catch (MqttException | RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "cannot publish on " + topic + ": " + e.getMessage());
      return false;
    }
  }

  /** Disconnects (waiting at most the timeout) and releases the client. Idempotent. */
  @Override
  public void close() {
    try {
      // Also when not connected: a user disconnect ends Paho's automatic reconnect cycle.
      client.disconnect(0).waitForCompletion(timeoutMillis);
    } catch (MqttException e) {
      LOG.log(System.Logger.Level.DEBUG, "MQTT disconnect: " + e.getMessage());
    }
    abandon();
  }

  private void abandon() {
    try {
      client.close(true);
    } catch (MqttException e) {
      LOG.log(System.Logger.Level.DEBUG, "MQTT close: " + e.getMessage());
    }
  }
}
