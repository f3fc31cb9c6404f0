package io.github.jpeer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

/**
 * API misuse through the public surface: each call in the wrong state or on the wrong thread throws
 * IllegalStateException/IllegalArgumentException whose message says what to do instead. No
 * connection is completed here; nothing waits on the network.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class MisuseTest {
  private final List<PeerConnection> made = new ArrayList<>();

  @AfterEach
  void closeAll() {
    for (PeerConnection pc : made) {
      pc.close();
    }
  }

  private PeerConnection pc(UnaryOperator<PeerConfiguration.Builder> customize) {
    PeerConnection pc = TestPeer.loopback("misuse", customize).pc;
    made.add(pc);
    return pc;
  }

  private PeerConnection audioOnly() {
    return pc(c -> c.audioCodec(MediaCodec.OPUS));
  }

  /** Runs {@code call}, expects {@code type}, and checks the message holds {@code advice}. */
  private static <T extends RuntimeException> void misuse(
      Class<T> type, String advice, Executable call) {
    T e = assertThrows(type, call);
    assertTrue(
        e.getMessage() != null && e.getMessage().contains(advice),
        "message should say \"" + advice + "\": " + e.getMessage());
  }

  @Test
  void createAnswerBeforeAnOffer() {
    misuse(
        IllegalStateException.class, "call setRemoteDescription(offer", audioOnly()::createAnswer);
  }

  @Test
  void createAnswerOnTheOfferingSide() {
    PeerConnection a = audioOnly();
    a.createOffer();
    misuse(IllegalStateException.class, "call setRemoteDescription(offer", a::createAnswer);
  }

  @Test
  void answerWithoutOurOffer() {
    PeerConnection offerer = audioOnly();
    String offer = offerer.createOffer();
    misuse(
        IllegalStateException.class,
        "call createOffer()",
        () -> audioOnly().setRemoteDescription(offer, SdpType.ANSWER));
  }

  @Test
  void offerAfterOurOwnOffer() {
    PeerConnection a = audioOnly();
    a.createOffer();
    String other = audioOnly().createOffer();
    misuse(
        IllegalStateException.class,
        "must be its ANSWER",
        () -> a.setRemoteDescription(other, SdpType.OFFER));
  }

  @Test
  void secondRemoteDescription() {
    String offer = audioOnly().createOffer();
    PeerConnection b = audioOnly();
    b.setRemoteDescription(offer, SdpType.OFFER);
    misuse(
        IllegalStateException.class,
        "make a new PeerConnection",
        () -> b.setRemoteDescription(offer, SdpType.OFFER));
  }

  @Test
  void createOfferAfterTheRemoteOffer() {
    String offer = audioOnly().createOffer();
    PeerConnection b = audioOnly();
    b.setRemoteDescription(offer, SdpType.OFFER);
    misuse(IllegalStateException.class, "make a new PeerConnection", b::createOffer);
  }

  @Test
  void addIceCandidateBeforeTheRemoteDescription() {
    PeerConnection a = audioOnly();
    a.createOffer();
    misuse(
        IllegalStateException.class,
        "apply the remote description first",
        () -> a.addIceCandidate("candidate:1 1 udp 2130706431 127.0.0.1 9 typ host"));
  }

  @Test
  void sendMediaThatWasNotConfigured() {
    PeerConnection dataOnly =
        pc(c -> c.audioCodec(MediaCodec.NONE).dataChannel(DataChannelType.STRING));
    misuse(
        IllegalStateException.class,
        "configure audioCodec(",
        () -> dataOnly.sendAudio(new byte[160]));
    misuse(
        IllegalStateException.class,
        "configure videoCodec(MediaCodec.H264)",
        () -> dataOnly.sendVideo(new byte[100]));
  }

  @Test
  void sendAudioBeforeConnectedIsDroppedAndCounted() {
    PeerConnection a = audioOnly();
    assertFalse(a.sendAudio(new byte[] {(byte) 0xf8, 1, 2}), "not connected: not queued");
    assertEquals(1L, a.getStats().dropped().get("send-before-connected"));
  }

  @Test
  void createDataChannelWithoutADataChannelConfigured() {
    misuse(
        IllegalStateException.class,
        "dataChannel(DataChannelType.STRING or BINARY)",
        () -> audioOnly().createDataChannel("events"));
  }

  @Test
  void createDataChannelWhenTheRemoteOfferedNoApplicationSection() {
    String offer = audioOnly().createOffer(); // no m=application
    PeerConnection b = pc(c -> c.audioCodec(MediaCodec.OPUS).dataChannel(DataChannelType.STRING));
    b.setRemoteDescription(offer, SdpType.OFFER);
    misuse(
        IllegalStateException.class,
        "no usable m=application",
        () -> b.createDataChannel("events"));
  }

  @Test
  void badDataChannelInitAndConfiguration() {
    misuse(
        IllegalArgumentException.class,
        "set maxRetransmits or maxLifetimeMillis, not both",
        () -> new DataChannelInit(true, 1, 1, "", 256, -1));
    misuse(
        IllegalArgumentException.class,
        "negotiatedId must be -1 or 0..65534",
        () -> DataChannelInit.RELIABLE.withNegotiatedId(65535));
    misuse(
        IllegalStateException.class,
        "set audioCodec, videoCodec or dataChannel",
        () -> PeerConfiguration.builder().audioCodec(MediaCodec.NONE).build());
  }

  @Test
  void loopFromASecondThread() throws Exception {
    PeerConnection a = audioOnly();
    a.loop(); // this thread owns it now
    CompletableFuture<Void> other = CompletableFuture.runAsync(a::loop);
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> other.get(5, TimeUnit.SECONDS));
    assertTrue(e.getCause() instanceof IllegalStateException, e.toString());
    assertTrue(
        e.getCause().getMessage().contains("call loop() from one thread only"),
        e.getCause().getMessage());
  }

  /**
   * A control call from another thread than the loop's is handed to the loop thread and waits for
   * it: the result comes back, and so does the exception of a misuse, with its advice.
   */
  @Test
  void controlCallsFromAnotherThreadRunOnTheLoopThread() throws Exception {
    PeerConnection a = audioOnly();
    String offer = audioOnly().createOffer();
    try (PeerLoop loop = PeerLoop.start("misuse")) {
      loop.add(a).get(5, TimeUnit.SECONDS);
      TestPeer.await(
          () -> a.submit(pc -> Thread.currentThread()).join() != Thread.currentThread(),
          5_000,
          "the loop owns it");
      misuse(
          io.github.jpeer.sdp.SdpParseException.class,
          "line",
          () -> a.setRemoteDescription("not sdp", SdpType.OFFER));
      a.setRemoteDescription(offer, SdpType.OFFER);
      assertEquals(PeerConnectionState.CHECKING, a.getState());
      assertTrue(a.createAnswer().contains("a=ice-ufrag:"));
      assertEquals(PeerConnectionState.CHECKING, a.getStats().state());
      String thread = a.submit(pc -> Thread.currentThread().getName()).get(5, TimeUnit.SECONDS);
      assertTrue(thread.contains("misuse"), thread);
      misuse(
          IllegalStateException.class,
          "renegotiates only to restart ICE",
          () -> a.setRemoteDescription(offer, SdpType.OFFER));
      misuse(IllegalStateException.class, "call loop() from one thread only", a::loop);
      // close() is allowed from any thread: it is carried out by the loop.
      a.close();
      TestPeer.await(() -> a.getState() == PeerConnectionState.CLOSED, 5_000, "close via loop");
    }
  }

  @Test
  void anythingOnAClosedConnection() {
    PeerConnection a = pc(c -> c.audioCodec(MediaCodec.OPUS).dataChannel(DataChannelType.STRING));
    DataChannel ch = a.createDataChannel("events");
    String offer = audioOnly().createOffer();
    a.close();
    assertEquals(PeerConnectionState.CLOSED, a.getState());
    String advice = "on a closed PeerConnection: create a new one";
    misuse(IllegalStateException.class, advice, a::createOffer);
    misuse(IllegalStateException.class, advice, a::createAnswer);
    misuse(IllegalStateException.class, advice, () -> a.setRemoteDescription(offer, SdpType.OFFER));
    misuse(
        IllegalStateException.class,
        advice,
        () -> a.addIceCandidate("candidate:1 1 udp 2130706431 127.0.0.1 9 typ host"));
    misuse(IllegalStateException.class, advice, () -> a.createDataChannel("more"));
    misuse(IllegalStateException.class, "is closed: open a new channel", () -> ch.send("x"));
    assertFalse(a.sendAudio(new byte[] {(byte) 0xf8}), "dropped, not thrown");
    assertFalse(a.sendDataChannel("x"));
    a.loop(); // harmless
    a.close(); // idempotent
    assertEquals(PeerConnectionState.CLOSED, a.getState());
  }

  @Test
  void sectionsThatDisagreeOnTheDtlsRole() {
    PeerConnection a = pc(c -> c.audioCodec(MediaCodec.OPUS).dataChannel(DataChannelType.STRING));
    String offer = a.createOffer();
    // The first section says actpass, the data section active: one transport cannot be both.
    int data = offer.indexOf("m=application");
    String mixed =
        offer.substring(0, data)
            + offer.substring(data).replace("a=setup:actpass", "a=setup:active");
    PeerConnection b = pc(c -> c.audioCodec(MediaCodec.OPUS).dataChannel(DataChannelType.STRING));
    misuse(
        IllegalArgumentException.class,
        "sections disagree on the DTLS role",
        () -> b.setRemoteDescription(mixed, SdpType.OFFER));
  }

  @Test
  void dataChannelInitOutOfRange() {
    misuse(
        IllegalArgumentException.class,
        "priority must be 0..65535",
        () -> DataChannelInit.RELIABLE.withPriority(70_000));
    misuse(
        IllegalArgumentException.class,
        "-1 (no limit)",
        () -> DataChannelInit.RELIABLE.withMaxRetransmits(-2));
    PeerConnection a = pc(c -> c.dataChannel(DataChannelType.STRING));
    a.createDataChannel("one", DataChannelInit.RELIABLE.withNegotiatedId(4));
    misuse(
        IllegalArgumentException.class,
        "give each negotiated channel its own id",
        () -> a.createDataChannel("two", DataChannelInit.RELIABLE.withNegotiatedId(4)));
  }

  @Test
  void channelsOfARemoteWithoutDataChannelsCloseWithTheReason() {
    PeerConnection a = pc(c -> c.audioCodec(MediaCodec.OPUS).dataChannel(DataChannelType.STRING));
    List<String> heard = new ArrayList<>();
    a.onDataChannel(
        new DataChannelListener() {
          @Override
          public void onError(DataChannel channel, String reason) {
            heard.add("error " + reason);
          }

          @Override
          public void onClose(DataChannel channel) {
            heard.add("close " + channel.label());
          }
        });
    DataChannel ch = a.createDataChannel("events");
    ch.send("queued before the answer");
    String offer = a.createOffer();
    PeerConnection b = audioOnly(); // no data channel: its answer has no m=application
    b.setRemoteDescription(offer, SdpType.OFFER);
    a.setRemoteDescription(b.createAnswer(), SdpType.ANSWER);
    a.loop();
    assertFalse(ch.isOpen());
    assertEquals(0, ch.bufferedAmount(), "the queued message is given up on");
    assertTrue(
        heard.size() == 2 && heard.get(0).contains("takes no data channels"), heard.toString());
    assertEquals("close events", heard.get(1));
  }

  @Test
  void aLabelOrProtocolTooLongForDcepFailsAtTheCall() {
    PeerConnection a = pc(c -> c.dataChannel(DataChannelType.STRING));
    String tooLong = "x".repeat(65_536);
    misuse(IllegalArgumentException.class, "at most 65535", () -> a.createDataChannel(tooLong));
    misuse(
        IllegalArgumentException.class,
        "at most 65535",
        () ->
            a.createDataChannel(
                "ok", DataChannelInit.RELIABLE.withProtocol("\u00e9".repeat(40_000))));
    assertEquals(
        65_535, a.createDataChannel("y".repeat(65_535)).label().length(), "the limit fits");
    a.createOffer();
    a.loop(); // nothing of it comes out of the loop
  }

  @Test
  void aMessageTooLargeBeforeTheRemoteLimitIsKnownFailsAtTheCall() {
    PeerConnection a = pc(c -> c.dataChannel(DataChannelType.BINARY));
    DataChannel ch = a.createDataChannel("big");
    misuse(IllegalArgumentException.class, "262144 bytes", () -> ch.send(new byte[1_000_000]));
    ch.send(new byte[262_144]); // the most that may wait for the remote's limit
    assertEquals(262_144, ch.bufferedAmount());
  }

  @Test
  void audioFramesThatAreNotOpusFailAtTheCall() {
    PeerConnection a = audioOnly();
    misuse(IllegalArgumentException.class, "empty audio frame", () -> a.sendAudio(new byte[0]));
    misuse(
        IllegalArgumentException.class,
        "not an Opus packet",
        () -> a.sendAudio(new byte[] {(byte) 0xff}));
    misuse(
        IllegalArgumentException.class,
        "not an Opus packet",
        () -> a.sendAudio(java.nio.ByteBuffer.allocateDirect(1).put(0, (byte) 0xff)));
    assertFalse(a.sendAudio(new byte[] {(byte) 0xf8}), "a valid frame before connecting: dropped");
    assertEquals(1L, a.getStats().dropped().get("send-before-connected"));
  }

  @Test
  void createOfferAgainGivesTheSameCredentials() {
    PeerConnection a = audioOnly();
    String first = a.createOffer();
    String second = a.createOffer();
    for (String attribute : List.of("a=ice-ufrag:", "a=ice-pwd:", "a=fingerprint:")) {
      assertEquals(line(first, attribute), line(second, attribute), attribute);
    }
  }

  private static String line(String sdp, String prefix) {
    return sdp.lines().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow();
  }
}
