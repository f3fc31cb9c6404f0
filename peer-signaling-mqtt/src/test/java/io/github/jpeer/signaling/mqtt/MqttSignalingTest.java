package io.github.jpeer.signaling.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jpeer.PeerConnection;
import io.github.jpeer.PeerConnectionState;
import io.github.jpeer.PeerLoop;
import io.github.jpeer.SdpType;
import io.github.jpeer.signaling.SignalingException;
import io.github.jpeer.signaling.internal.Json;
import java.time.Duration;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * libpeer's MQTT signaling end to end through a real mosquitto broker: a jpeer device joined with
 * {@link MqttSignaling}, called by {@link MqttPeerClient}, connecting to a second jpeer connection
 * (the viewer, playing libpeer's web page). Fails, naming the package, where mosquitto is not
 * installed.
 */
@Tag("interop")
class MqttSignalingTest {
  private static final String DEVICE = "jpeer-device";
  private static final long WAIT_SECONDS = 10;
  private static Mosquitto broker;

  private PeerLoop deviceLoop;
  private PeerLoop viewerLoop;
  private MqttSignaling signaling;
  private MqttPeerClient controller;
  private final CompletableFuture<Void> deviceCompleted = new CompletableFuture<>();
  private final SplittableRandom seeds = new SplittableRandom(42);

  @BeforeAll
  static void startBroker() throws Exception {
    broker = Mosquitto.anonymous();
  }

  @AfterAll
  static void stopBroker() throws Exception {
    if (broker != null) {
      broker.close();
    }
  }

  @BeforeEach
  void startLoops() {
    deviceLoop = PeerLoop.start("mqtt-device");
    viewerLoop = PeerLoop.start("mqtt-viewer");
  }

  @AfterEach
  void stopAll() {
    if (controller != null) {
      controller.close();
    }
    if (signaling != null) {
      signaling.close();
    }
    deviceLoop.close();
    viewerLoop.close();
  }

  /** Device connections: callbacks set here run on the device loop. */
  private Supplier<PeerConnection> deviceFactory() {
    return () -> {
      PeerConnection pc = PeerConnection.create(PeerRpcHandlerTest.config(seeds.nextLong()));
      pc.onIceConnectionStateChange(
          s -> {
            if (s == PeerConnectionState.COMPLETED) {
              deviceCompleted.complete(null);
            }
          });
      return pc;
    };
  }

  private MqttSignaling.Builder device() {
    return MqttSignaling.builder().brokerUri(broker.uri()).clientId(DEVICE);
  }

  private MqttPeerClient.Builder controllerFor(String deviceId) {
    return MqttPeerClient.builder()
        .brokerUri(broker.uri())
        .deviceId(deviceId)
        .timeout(Duration.ofSeconds(WAIT_SECONDS))
        .connectTimeout(Duration.ofSeconds(WAIT_SECONDS))
        .random(new SplittableRandom(7));
  }

  private static <T> T await(CompletableFuture<T> f) throws Exception {
    return f.get(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  /** The {@link SignalingException} a request failed with. */
  private static SignalingException failure(CompletableFuture<?> f) {
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> f.get(WAIT_SECONDS, TimeUnit.SECONDS));
    return assertInstanceOf(SignalingException.class, e.getCause());
  }

  @Test
  void offerAnswerOverMqttConnectsTwoJpeerPeers() throws Exception {
    signaling = device().build();
    signaling.join(deviceLoop, deviceFactory());
    assertTrue(signaling.isJoined());
    controller = controllerFor(DEVICE).connect();
    assertEquals("closed", await(controller.state()));

    String offer = await(controller.requestOffer());
    assertTrue(offer.contains("a=end-of-candidates"), offer);

    // The viewer answers, as libpeer's web page does, with its complete description.
    PeerConnection viewer = PeerConnection.create(PeerRpcHandlerTest.config(seeds.nextLong()));
    CompletableFuture<String> answer = new CompletableFuture<>();
    CompletableFuture<Void> viewerCompleted = new CompletableFuture<>();
    viewer.onIceCandidate(answer::complete);
    viewer.onIceConnectionStateChange(
        s -> {
          if (s == PeerConnectionState.COMPLETED) {
            viewerCompleted.complete(null);
          }
        });
    viewer.setRemoteDescription(offer, SdpType.OFFER); // before add(): this thread may
    viewer.createAnswer();
    await(viewerLoop.add(viewer));
    await(controller.sendAnswer(await(answer)));

    await(deviceCompleted);
    await(viewerCompleted);
    assertEquals("completed", await(controller.state()));
    PeerConnection devicePc = signaling.connection();
    assertEquals(PeerConnectionState.COMPLETED, devicePc.getState());

    await(controller.closeConnection());
    assertEquals("closed", await(controller.state()));
    assertEquals(PeerConnectionState.CLOSED, devicePc.getState());

    // libpeer accepts a new offer once CLOSED; a second one while it negotiates is refused.
    assertTrue(await(controller.requestOffer()).startsWith("v=0"));
    SignalingException twice = failure(controller.requestOffer());
    assertEquals(String.valueOf(PeerRpcHandler.INTERNAL_ERROR), twice.errorCode());
    assertTrue(twice.getMessage().contains("send close first"), twice.getMessage());
    await(controller.closeConnection());
    viewer.close();
  }

  @Test
  void errorRepliesCarryJsonRpcCodes() throws Exception {
    signaling = device().build();
    signaling.join(deviceLoop, deviceFactory());
    controller = controllerFor(DEVICE).connect();

    SignalingException unknown = failure(controller.call("dance", null));
    assertEquals("-32601", unknown.errorCode());
    assertTrue(unknown.getMessage().contains("Method not found"), unknown.getMessage());
    SignalingException noParams = failure(controller.call("answer", null));
    assertEquals("-32602", noParams.errorCode());
    SignalingException noOffer = failure(controller.sendAnswer("v=0\r\n"));
    assertEquals("-32603", noOffer.errorCode());

    // Malformed JSON has no id to match a future: read the reply topic directly.
    BlockingQueue<String> replies = new LinkedBlockingQueue<>();
    try (MqttLink raw =
        MqttLink.create(
            broker.uri(),
            "raw-test",
            null,
            null,
            JsonRpc.replyTopic(DEVICE),
            replies::add,
            WAIT_SECONDS * 1000)) {
      raw.connect();
      assertTrue(raw.publish(JsonRpc.requestTopic(DEVICE), "{\"id\":1,\"method\":"));
      String text = replies.poll(WAIT_SECONDS, TimeUnit.SECONDS);
      assertTrue(text != null, "no reply to malformed JSON");
      Map<String, Object> reply = Json.parseObject(text);
      assertTrue(reply.containsKey("id"));
      assertNull(reply.get("id"));
      assertEquals(-32700L, Json.object(reply, "error").get("code"));
    }
  }

  @Test
  void aSingleConnectionServesOneCall() throws Exception {
    PeerConnection pc = PeerConnection.create(PeerRpcHandlerTest.config(seeds.nextLong()));
    signaling = device().build();
    signaling.join(deviceLoop, pc);
    controller = controllerFor(DEVICE).connect();
    assertTrue(await(controller.requestOffer()).contains("m=audio"));
    assertEquals(pc, signaling.connection());
    await(controller.closeConnection());
    SignalingException used = failure(controller.requestOffer());
    assertEquals("-32603", used.errorCode());
    assertTrue(used.getMessage().contains("factory"), used.getMessage());
  }

  @Test
  void aRequestNobodyAnswersTimesOutWithAClearMessage() throws Exception {
    controller = controllerFor("nobody-home").timeout(Duration.ofMillis(300)).connect();
    SignalingException e = failure(controller.state());
    assertNull(e.errorCode());
    assertTrue(
        e.getMessage().contains("no reply from device 'nobody-home' to state"), e.getMessage());
    assertTrue(e.getMessage().contains("within 300 ms"), e.getMessage());
  }

  @Test
  void closingTheControllerFailsWaitingRequests() throws Exception {
    controller = controllerFor("nobody-home").connect();
    CompletableFuture<String> waiting = controller.state();
    controller.close();
    assertTrue(failure(waiting).getMessage().contains("closed"));
    assertInstanceOf(
        IllegalStateException.class,
        assertThrows(ExecutionException.class, () -> controller.state().get()).getCause());
  }

  @Test
  void joiningTwiceOrWithoutABrokerIsRefused() throws Exception {
    signaling = device().build();
    signaling.join(deviceLoop, deviceFactory());
    assertThrows(IllegalStateException.class, () -> signaling.join(deviceLoop, deviceFactory()));
    signaling.leave();
    assertTrue(!signaling.isJoined());

    MqttSignaling nowhere =
        MqttSignaling.builder()
            .brokerUri("tcp://127.0.0.1:9")
            .clientId(DEVICE)
            .connectTimeout(Duration.ofSeconds(WAIT_SECONDS))
            .build();
    SignalingException e =
        assertThrows(SignalingException.class, () -> nowhere.join(deviceLoop, deviceFactory()));
    assertTrue(e.getMessage().contains("127.0.0.1:9"), e.getMessage());
    assertTrue(!nowhere.isJoined());
  }

  @Test
  void badSettingsAreRefusedBeforeConnecting() {
    assertThrows(IllegalArgumentException.class, () -> MqttSignaling.builder().clientId("a/b"));
    assertThrows(IllegalArgumentException.class, () -> MqttPeerClient.builder().deviceId("#"));
    assertThrows(IllegalStateException.class, () -> MqttSignaling.builder().build());
    assertThrows(
        IllegalArgumentException.class, () -> controllerFor(DEVICE).mqttClientId(DEVICE).connect());
  }

  @Test
  void credentialsAreCheckedByTheBroker() throws Exception {
    try (Mosquitto secured = Mosquitto.withPassword("camera", "s3cret")) {
      signaling =
          MqttSignaling.builder()
              .brokerUri(secured.uri())
              .clientId(DEVICE)
              .credentials("camera", "s3cret")
              .build();
      signaling.join(deviceLoop, deviceFactory());
      MqttPeerClient.Builder b =
          MqttPeerClient.builder()
              .brokerUri(secured.uri())
              .deviceId(DEVICE)
              .timeout(Duration.ofSeconds(WAIT_SECONDS));
      SignalingException refused =
          assertThrows(SignalingException.class, () -> b.credentials("camera", "wrong").connect());
      assertTrue(refused.getMessage().contains("username or password"), refused.getMessage());
      assertTrue(!refused.getMessage().contains("wrong"), "never the password in a message");
      controller = b.credentials("camera", "s3cret").connect();
      assertEquals("closed", await(controller.state()));
      controller.close();
      controller = null;
      signaling.close();
      signaling = null;
    }
  }
}
