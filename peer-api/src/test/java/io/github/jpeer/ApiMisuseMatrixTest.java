package io.github.jpeer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jpeer.sdp.SdpParseException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

/**
 * API misuse in every connection state: each public method of {@link PeerConnection} and {@link
 * DataChannel} is called with valid and invalid arguments in NEW, CHECKING, CONNECTED, COMPLETED,
 * FAILED and CLOSED. A misuse throws {@link IllegalStateException}/{@link IllegalArgumentException}
 * whose message says what to do; a refused frame or message returns false and is counted in {@link
 * PeerStats#dropped()}; and afterwards the connection still works (a message and an audio frame get
 * through where the state allows) and {@code loop()} never throws.
 *
 * <p>Each state's checks run on the thread that owns the connection (the test thread for a
 * connection it loops by hand, the {@link PeerLoop} thread otherwise, and for the transient
 * CONNECTED state inside its own state callback), so control calls run directly. Every failed check
 * is collected, and the test reports all of them at the end rather than stopping at the first.
 */
@Timeout(value = 45, unit = TimeUnit.SECONDS)
class ApiMisuseMatrixTest {
  private static final byte[] OPUS = {(byte) 0xf8, 1, 2, 3}; // 20 ms CELT, one frame
  private static final byte[] NOT_OPUS = {(byte) 0xff}; // code 3 without its frame count byte
  private static final byte[] ACCESS_UNIT =
      PeerConnectionMatrixTest.accessUnit(0, new SplittableRandom(1));
  private static final String CANDIDATE = "candidate:1 1 udp 2130706431 127.0.0.1 9 typ host";
  // 32768 characters but 65536 UTF-8 bytes: the DCEP limit counts bytes (RFC 8832 section 5.1).
  private static final String LABEL_65536_BYTES = "\u00e9".repeat(32_768);
  private static final String CLOSED = "on a closed PeerConnection: create a new one";
  private static final String SEND_BEFORE_CONNECTED = "send-before-connected";

  private final List<String> failures = new CopyOnWriteArrayList<>();
  private final List<TestPeer> peers = new ArrayList<>();
  private Warnings warnings;
  private PeerLoop loop;

  @BeforeEach
  void start() {
    warnings = new Warnings();
    loop = PeerLoop.start("misuse-matrix");
  }

  @AfterEach
  void stop() {
    loop.close();
    for (TestPeer p : peers) {
      p.pc.close();
    }
    warnings.close();
  }

  // ---------------------------------------------------------------- NEW

  /**
   * NEW: every call before (and between) the descriptions, then the same two connections, looped by
   * hand, still connect with the first of two offers and carry a message.
   */
  @Test
  void inNew() throws Exception {
    TestPeer a = peer("new-a");
    TestPeer b = peer("new-b");
    Matrix m = new Matrix("NEW");
    // Item 1: a label or protocol too long for DCEP fails at the call, before any description.
    DataChannel early = a.pc.createDataChannel("early");
    common(m, a, early, PeerConnectionState.NEW, 262_144);
    m.check(
        "a fresh connection has no local description and no failure",
        () -> {
          assertNull(a.pc.localDescription());
          assertNull(a.pc.failureReason());
          assertEquals(-1, early.id(), "no id before the DTLS role is known");
          assertFalse(early.isOpen());
        });
    m.misuse(
        "createAnswer before any offer",
        IllegalStateException.class,
        () -> a.pc.createAnswer(),
        "call setRemoteDescription(offer");
    m.misuse(
        "addIceCandidate before the remote description",
        IllegalStateException.class,
        () -> a.pc.addIceCandidate(CANDIDATE),
        "apply the remote description first");
    m.misuse(
        "restartIce before negotiating",
        IllegalStateException.class,
        () -> a.pc.restartIce(),
        "apply the answer first");
    m.misuse(
        "setRemoteDescription of garbage",
        SdpParseException.class,
        () -> b.pc.setRemoteDescription("not sdp", SdpType.OFFER),
        "line");
    m.misuse(
        "setRemoteDescription(null)",
        NullPointerException.class,
        () -> b.pc.setRemoteDescription(null, SdpType.OFFER),
        "session description");
    m.check(
        "createDataChannel after a refused one still works, label at the limit",
        () -> assertEquals(65_535, a.pc.createDataChannel("y".repeat(65_535)).label().length()));

    // A null type once got past the checks, set the remote description half way and threw an
    // internal NullPointerException that every later call repeated. A null type on a connection of
    // its own (so that what it leaves behind cannot spoil the
    // rest): refused at the call, and the connection can still take the offer.
    TestPeer c = peer("new-c");
    String otherOffer = peer("new-d").pc.createOffer();
    m.misuse(
        "setRemoteDescription(offer, null type)",
        NullPointerException.class,
        () -> c.pc.setRemoteDescription(otherOffer, null),
        "SdpType.OFFER or SdpType.ANSWER");
    m.check(
        "after a null type the offer still applies",
        () -> {
          c.pc.setRemoteDescription(otherOffer, SdpType.OFFER);
          assertState(c, PeerConnectionState.CHECKING);
          assertTrue(c.pc.createAnswer().contains("a=ice-ufrag:"));
        });

    // Item 4: a second createOffer before the answer keeps the credentials and fingerprint.
    String offer = a.pc.createOffer();
    String again = a.pc.createOffer();
    m.check(
        "createOffer twice gives the same credentials",
        () -> {
          for (String attribute : List.of("a=ice-ufrag:", "a=ice-pwd:", "a=fingerprint:")) {
            assertEquals(line(offer, attribute), line(again, attribute), attribute);
          }
        });
    m.check(
        "localDescription after createOffer",
        () ->
            assertEquals(
                line(offer, "a=ice-ufrag:"), line(a.pc.localDescription(), "a=ice-ufrag:")));
    m.misuse(
        "createAnswer on the offering side",
        IllegalStateException.class,
        () -> a.pc.createAnswer(),
        "call setRemoteDescription(offer");
    m.misuse(
        "an OFFER after our own offer",
        IllegalStateException.class,
        () -> a.pc.setRemoteDescription(offer, SdpType.OFFER),
        "must be its ANSWER");
    m.misuse(
        "an answer without our offer",
        IllegalStateException.class,
        () -> b.pc.setRemoteDescription(offer, SdpType.ANSWER),
        "call createOffer()");
    // Item 5 and 6 on the answering side: refused offers leave it NEW and able to take the good
    // one.
    m.misuse(
        "an offer with a=setup:holdconn",
        IllegalArgumentException.class,
        () -> b.pc.setRemoteDescription(setup(offer, "holdconn"), SdpType.OFFER),
        "a=setup");
    m.misuse(
        "an offer with only an md2 fingerprint",
        IllegalArgumentException.class,
        () -> b.pc.setRemoteDescription(md2(offer), SdpType.OFFER),
        "unsupported",
        "sha-256");
    m.check("refused offers leave it NEW", () -> assertState(b, PeerConnectionState.NEW));
    m.misuse(
        "createAnswer after refused offers",
        IllegalStateException.class,
        () -> b.pc.createAnswer(),
        "call setRemoteDescription(offer");
    b.pc.setRemoteDescription(offer, SdpType.OFFER); // the first offer, not the second
    String answer = b.pc.createAnswer();
    // Item 5 and 6 on the offering side.
    m.misuse(
        "an answer with a=setup:holdconn",
        IllegalArgumentException.class,
        () -> a.pc.setRemoteDescription(setup(answer, "holdconn"), SdpType.ANSWER),
        "a=setup");
    m.misuse(
        "an answer with a=setup:actpass",
        IllegalArgumentException.class,
        () -> a.pc.setRemoteDescription(setup(answer, "actpass"), SdpType.ANSWER),
        "a=setup");
    m.misuse(
        "an answer with only an md2 fingerprint",
        IllegalArgumentException.class,
        () -> a.pc.setRemoteDescription(md2(answer), SdpType.ANSWER),
        "unsupported",
        "sha-256");
    m.check("refused answers leave it NEW", () -> assertState(a, PeerConnectionState.NEW));
    m.check(
        "createOffer after refused answers is still the first offer",
        () -> assertEquals(line(offer, "a=ice-pwd:"), line(a.pc.createOffer(), "a=ice-pwd:")));

    // loop() called inside a callback once ran the loop again and dispatched the next events (b's
    // candidates) inside the CHECKING callback. Callbacks run one after another, never nested:
    // such a call must throw (saying "callback") or return at once.
    AtomicInteger depth = new AtomicInteger();
    AtomicInteger nested = new AtomicInteger();
    b.pc.listener(
        new PeerConnection.Listener() {
          @Override
          public void onStateChange(PeerConnectionState state) {
            if (depth.incrementAndGet() > 1) {
              nested.incrementAndGet();
            }
            try {
              if (state == PeerConnectionState.CHECKING) {
                m.check(
                    "loop() inside a callback",
                    () -> {
                      try {
                        b.pc.loop();
                      } catch (IllegalStateException e) {
                        assertTrue(e.getMessage().contains("callback"), e.getMessage());
                      }
                    });
              }
            } finally {
              depth.decrementAndGet();
            }
          }

          @Override
          public void onLocalCandidate(String candidate) {
            if (depth.incrementAndGet() > 1) {
              nested.incrementAndGet();
            }
            depth.decrementAndGet();
          }

          @Override
          public void onLocalDescription(String sdp) {
            onLocalCandidate(sdp);
          }
        });
    a.pc.setRemoteDescription(answer, SdpType.ANSWER);
    m.check("the good answer applies", () -> assertState(a, PeerConnectionState.CHECKING));
    loopUntil(() -> a.completed.isDone() && b.completed.isDone(), a, b);
    m.check("no callback ran inside another", () -> assertEquals(0, nested.get()));
    // What NEW refused did not stay behind: the pair connected with the first offer, the channel
    // made in NEW opens, and its message goes through.
    loopUntil(() -> !b.opened.isEmpty(), a, b);
    DataChannel opened = TestPeer.take(b.opened, "early at b");
    assertEquals("early", opened.label());
    stillCarries(m, a, b, early, "after NEW", done -> loopUntil(done, a, b));
  }

  // ---------------------------------------------------------------- CHECKING

  /**
   * CHECKING: both descriptions applied without candidates, so no check can succeed. The calls of
   * that state, then the candidates are trickled: the pair connects, and what was sent or created
   * in CHECKING arrives.
   */
  @Test
  void inChecking() throws Exception {
    OnLoop pair = onLoopWithEarlyChannel("checking");
    TestPeer a = pair.a();
    TestPeer b = pair.b();
    DataChannel early = pair.early();
    String offer = TestPeer.withoutCandidates(onLoop(a.pc::createOffer));
    onLoop(() -> b.pc.setRemoteDescription(offer, SdpType.OFFER));
    Matrix m = new Matrix("CHECKING");
    onLoop(
        () ->
            m.misuse(
                "restartIce before answering the remote's offer",
                IllegalStateException.class,
                () -> b.pc.restartIce(),
                "call createAnswer() first"));
    String answer = TestPeer.withoutCandidates(onLoop(b.pc::createAnswer));
    onLoop(() -> a.pc.setRemoteDescription(answer, SdpType.ANSWER));
    DataChannel madeInChecking =
        onLoop(
            () -> {
              common(m, a, early, PeerConnectionState.CHECKING, 262_144);
              common(m, b, null, PeerConnectionState.CHECKING, 262_144);
              afterTheDescriptions(m, a, offer, answer);
              m.misuse(
                  "a second remote offer",
                  IllegalStateException.class,
                  () -> b.pc.setRemoteDescription(offer, SdpType.OFFER),
                  "make a new PeerConnection");
              m.check(
                  "end-of-candidates, empty and null lines before any candidate",
                  () -> {
                    b.pc.addIceCandidate("a=end-of-candidates");
                    b.pc.addIceCandidate("");
                    b.pc.addIceCandidate(null);
                  });
              m.check("the early channel has its id now", () -> assertTrue(early.id() >= 0));
              m.check("sendDataChannel with no open channel", () -> assertFalse(sendAll(a)));
              early.send("queued in CHECKING");
              return a.pc.createDataChannel("made-in-checking");
            });
    assertTrue(early.bufferedAmount() > 0, "waits for the channel");
    assertEquals(PeerConnectionState.CHECKING, a.pc.getState(), "no check can succeed");
    // Now the candidates: the late ones revive the checklist after end-of-candidates.
    trickleUntilCompleted(a, b);
    List<String> labels = List.of(take(b.opened).label(), take(b.opened).label());
    assertTrue(labels.containsAll(List.of("early", "made-in-checking")), labels.toString());
    assertEquals("queued in CHECKING", take(b.messages).text());
    stillCarries(m, a, b, madeInChecking, "on the channel made in CHECKING");
  }

  // ---------------------------------------------------------------- CONNECTED

  /**
   * CONNECTED lasts only while DTLS shakes hands: its checks run inside the state callback, on the
   * loop thread. The call then completes, and the channel made in CONNECTED opens.
   */
  @Test
  void inConnected() throws Exception {
    OnLoop pair = onLoopWithEarlyChannel("connected");
    TestPeer a = pair.a();
    TestPeer b = pair.b();
    DataChannel early = pair.early();
    Matrix m = new Matrix("CONNECTED");
    CompletableFuture<String> offerSeen = new CompletableFuture<>();
    CompletableFuture<String> answerSeen = new CompletableFuture<>();
    List<DataChannel> madeInConnected = new CopyOnWriteArrayList<>();
    List<String> ranIn = new CopyOnWriteArrayList<>();
    for (TestPeer p : List.of(a, b)) {
      p.pc.listener(
          new PeerConnection.Listener() {
            @Override
            public void onStateChange(PeerConnectionState state) {
              if (state != PeerConnectionState.CONNECTED) {
                return;
              }
              ranIn.add(p.name);
              String offer = offerSeen.getNow(null);
              String answer = answerSeen.getNow(null);
              common(m, p, p == a ? early : null, PeerConnectionState.CONNECTED, 262_144);
              if (p == a) {
                afterTheDescriptions(m, a, offer, answer);
                m.check(
                    "a channel made in CONNECTED",
                    () -> madeInConnected.add(a.pc.createDataChannel("made-in-connected")));
              } else {
                m.check(
                    "createAnswer again on the answering side gives the answer",
                    () ->
                        assertEquals(
                            // ICE may connect before the answer is made: make it here
                            line(b.pc.createAnswer(), "a=ice-ufrag:"),
                            line(b.pc.createAnswer(), "a=ice-ufrag:")));
              }
              m.check(
                  "submit on the loop thread runs at once",
                  () -> {
                    CompletableFuture<PeerConnectionState> f = p.pc.submit(c -> c.getState());
                    assertTrue(f.isDone());
                    assertEquals(PeerConnectionState.CONNECTED, f.join());
                  });
            }
          });
    }
    String offer = onLoop(a.pc::createOffer);
    offerSeen.complete(offer);
    onLoop(() -> b.pc.setRemoteDescription(offer, SdpType.OFFER));
    String answer = onLoop(b.pc::createAnswer);
    answerSeen.complete(answer);
    onLoop(() -> a.pc.setRemoteDescription(answer, SdpType.ANSWER));
    a.completed.get(15, TimeUnit.SECONDS);
    b.completed.get(15, TimeUnit.SECONDS);
    assertEquals(List.of(), a.channelErrors.stream().toList());
    assertTrue(ranIn.contains(a.name), "a reported CONNECTED: " + a.states);
    List<String> labels = List.of(take(b.opened).label(), take(b.opened).label());
    assertTrue(labels.containsAll(List.of("early", "made-in-connected")), labels.toString());
    stillCarries(m, a, b, madeInConnected.get(0), "after CONNECTED");
  }

  /**
   * The end of a state's test: a message on {@code channel} and an audio frame from {@code a} still
   * reach {@code b}, nothing failed in {@code loop()}, and every check passed.
   */
  private void stillCarries(Matrix m, TestPeer a, TestPeer b, DataChannel channel, String text)
      throws Exception {
    stillCarries(m, a, b, channel, text, done -> TestPeer.await(done, 10_000, "an event"));
  }

  /** As above, {@code until} waiting for each arrival (for NEW: driving both loop()s itself). */
  private static void stillCarries(
      Matrix m, TestPeer a, TestPeer b, DataChannel channel, String text, Until until)
      throws Exception {
    channel.send(text);
    until.until(() -> !b.messages.isEmpty());
    assertEquals(text, b.messages.take().text());
    assertTrue(a.pc.sendAudio(OPUS));
    until.until(() -> !b.audio.isEmpty());
    assertArrayEquals(OPUS, b.audio.take());
    m.check("nothing failed in loop()", () -> assertNoQueuedFailure(a, b));
    m.assertClean();
  }

  /** Waits, bounded, until {@code done}. */
  private interface Until {
    void until(BooleanSupplier done) throws Exception;
  }

  // ---------------------------------------------------------------- COMPLETED

  /**
   * COMPLETED, with an answer that takes messages of at most 65536 bytes: a message queued before
   * it that is larger goes to onError and is counted (item 2), the calls of the state refuse what
   * they must, an ICE restart in the middle of it is misused and then finished, and ten frames each
   * way and a message still arrive.
   */
  @Test
  void inCompleted() throws Exception {
    OnLoop pair = onLoopWithEarlyChannel("completed");
    TestPeer a = pair.a();
    TestPeer b = pair.b();
    DataChannel early = pair.early();
    early.send(new byte[100_000]); // under jpeer's 262144: may wait for the remote's limit
    early.send("after the big one");
    String offer = onLoop(a.pc::createOffer);
    onLoop(() -> b.pc.setRemoteDescription(offer, SdpType.OFFER));
    String answer =
        onLoop(b.pc::createAnswer).replace("a=max-message-size:262144", "a=max-message-size:65536");
    onLoop(() -> a.pc.setRemoteDescription(answer, SdpType.ANSWER));
    a.completed.get(15, TimeUnit.SECONDS);
    b.completed.get(15, TimeUnit.SECONDS);
    assertEquals("early", take(b.opened).label());
    assertEquals("after the big one", take(b.messages).text(), "the big one is not sent");
    Matrix m = new Matrix("COMPLETED");
    m.check(
        "the queued message over the remote's limit went to onError",
        () -> {
          String error = take(a.channelErrors);
          assertTrue(error.startsWith("early: ") && error.contains("100000"), error);
        });
    m.check(
        "and is counted",
        () -> assertEquals(1L, a.stats(loop).dropped().get("data-channel-message-too-large")));
    m.check("and no longer buffered", () -> assertEquals(0, early.bufferedAmount()));

    onLoop(
        () -> {
          common(m, a, early, PeerConnectionState.COMPLETED, 65_536);
          common(m, b, null, PeerConnectionState.COMPLETED, 262_144);
          afterTheDescriptions(m, a, offer, answer);
          m.misuse(
              "sendDataChannel(bytes) over the remote's limit",
              IllegalArgumentException.class,
              () -> a.pc.sendDataChannel(new byte[65_537]),
              "65536");
          m.misuse(
              "sendDataChannel(id, bytes) over the remote's limit",
              IllegalArgumentException.class,
              () -> a.pc.sendDataChannel(early.id(), new byte[65_537]),
              "65536");
          m.check(
              "sendDataChannel to an unknown id",
              () -> assertFalse(a.pc.sendDataChannel(4_000, new byte[1])));
          m.check(
              "dataChannel by label and id",
              () -> {
                assertEquals(Optional.of(early), a.pc.dataChannel("early"));
                assertEquals(Optional.of(early), a.pc.dataChannel(early.id()));
              });
          m.check(
              "valid frames go out",
              () -> {
                assertTrue(a.pc.sendAudio(OPUS));
                assertTrue(a.pc.sendAudio(ByteBuffer.wrap(OPUS)));
                assertTrue(a.pc.sendAudio(new byte[] {9, OPUS[0], OPUS[1]}, 1, 2));
                assertTrue(a.pc.sendVideo(ACCESS_UNIT));
              });
          m.check("a valid message goes out", () -> assertTrue(a.pc.sendDataChannel("via pc")));
          m.check(
              "a new channel after the refused one", () -> a.pc.createDataChannel("after-misuse"));
          m.check(
              "createAnswer again on the answering side",
              () ->
                  assertEquals(
                      line(answer, "a=ice-ufrag:"), line(b.pc.createAnswer(), "a=ice-ufrag:")));
          return null;
        });
    assertArrayEquals(OPUS, take(b.audio));
    assertArrayEquals(OPUS, take(b.audio));
    assertArrayEquals(new byte[] {OPUS[0], OPUS[1]}, take(b.audio));
    assertEquals("via pc", take(b.messages).text());
    DataChannel afterMisuse = take(b.opened);
    assertEquals("after-misuse", afterMisuse.label());
    // close() then send() at once: the close goes first, the message is refused on the channel.
    DataChannel ours = onLoop(() -> a.pc.dataChannel("after-misuse")).orElseThrow();
    onLoop(
        () -> {
          ours.close(); // both queued for the next loop(), in this order
          ours.send("sent as it closes");
        });
    assertEquals(afterMisuse, take(b.channelsClosed));
    m.check(
        "a send racing close() goes to onError and is counted",
        () -> {
          String error = take(a.channelErrors);
          assertTrue(error.startsWith("after-misuse: message not sent"), error);
          assertEquals(1L, a.stats(loop).dropped().get("sctp-send-failed"));
        });
    m.misuse(
        "send after onClose",
        IllegalStateException.class,
        () -> ours.send("too late"),
        "open a new channel");
    m.check("close() again", ours::close);

    // An ICE restart, misused on the way, then finished: the call carries on throughout.
    String restartOffer =
        onLoop(
            () -> {
              a.pc.restartIce();
              m.misuse(
                  "restartIce while our restart offer waits",
                  IllegalStateException.class,
                  () -> a.pc.restartIce(),
                  "apply the answer first");
              m.misuse(
                  "the remote's offer while ours waits",
                  IllegalStateException.class,
                  () -> a.pc.setRemoteDescription(offer, SdpType.OFFER),
                  "apply the answer to our restart offer first");
              m.misuse(
                  "a second remote offer of the same credentials",
                  IllegalStateException.class,
                  () -> b.pc.setRemoteDescription(offer, SdpType.OFFER),
                  "same ICE ufrag and pwd");
              String restart = a.pc.createOffer();
              m.check(
                  "the restart offer has new credentials",
                  () ->
                      assertNotEquals(line(offer, "a=ice-ufrag:"), line(restart, "a=ice-ufrag:")));
              return restart;
            });
    early.send("during the restart");
    assertEquals("during the restart", take(b.messages).text());
    onLoop(() -> b.pc.setRemoteDescription(restartOffer, SdpType.OFFER));
    String restartAnswer = onLoop(b.pc::createAnswer);
    onLoop(() -> a.pc.setRemoteDescription(restartAnswer, SdpType.ANSWER));
    b.audio.clear();
    a.audio.clear();
    TestPeer.tenFramesEachWay(a, b);
    early.send("after the restart");
    assertEquals("after the restart", take(b.messages).text());
    assertEquals(PeerConnectionState.COMPLETED, a.pc.getState());
    m.check("nothing failed in loop()", () -> assertNoQueuedFailure(a, b));
    m.assertClean();
  }

  /**
   * COMPLETED with an answer that takes no audio (item 3): {@code m=audio 0} from an answerer
   * without audio, and an answer whose audio section was left out. sendAudio returns false and
   * counts audio-not-negotiated; the data channel still works.
   */
  @Test
  void inCompletedWithoutAudioInTheAnswer() throws Exception {
    for (boolean sectionLeftOut : new boolean[] {false, true}) {
      String tag = sectionLeftOut ? "no-audio-section" : "audio-port-0";
      TestPeer a = peer(tag + "-a");
      TestPeer b =
          track(
              TestPeer.loopback(
                  tag + "-b",
                  c -> c.audioCodec(MediaCodec.NONE).dataChannel(DataChannelType.STRING)));
      TestPeer.addBoth(loop, a, b);
      DataChannel ch = onLoop(() -> a.pc.createDataChannel("events"));
      String offer = onLoop(a.pc::createOffer);
      onLoop(() -> b.pc.setRemoteDescription(offer, SdpType.OFFER));
      String answer = onLoop(b.pc::createAnswer);
      String applied = sectionLeftOut ? withoutSection(answer, "m=audio") : answer;
      assertTrue(sectionLeftOut || answer.contains("m=audio 0 "), answer);
      onLoop(() -> a.pc.setRemoteDescription(applied, SdpType.ANSWER));
      a.completed.get(15, TimeUnit.SECONDS);
      b.completed.get(15, TimeUnit.SECONDS);
      take(b.opened);
      Matrix m = new Matrix("COMPLETED, " + tag);
      onLoop(
          () -> {
            m.check(
                "sendAudio is refused and counted",
                () -> {
                  long before = dropped(a.pc, "audio-not-negotiated");
                  assertFalse(a.pc.sendAudio(OPUS));
                  assertFalse(a.pc.sendAudio(ByteBuffer.wrap(OPUS)));
                  assertFalse(a.pc.sendAudio(OPUS, 0, OPUS.length));
                  assertEquals(before + 3, dropped(a.pc, "audio-not-negotiated"));
                });
            m.misuse(
                "an empty frame still throws",
                IllegalArgumentException.class,
                () -> a.pc.sendAudio(new byte[0]),
                "empty");
            m.misuse(
                "sendAudio on the side without audio",
                IllegalStateException.class,
                () -> b.pc.sendAudio(OPUS),
                "configure audioCodec(");
            return null;
          });
      ch.send("still works");
      assertEquals("still works", take(b.messages).text());
      m.check("nothing failed in loop()", () -> assertNoQueuedFailure(a, b));
      m.assertClean();
    }
  }

  // ---------------------------------------------------------------- FAILED

  /**
   * FAILED, reached in virtual time: the answerer is closed before its answer is applied, so every
   * check to its address goes unanswered; the connection's clock is advanced by hand, so the seven
   * transmissions of the only pair (about 6 s) take a few loop() calls.
   */
  @Test
  void inFailed() throws Exception {
    AtomicLong nowNanos = new AtomicLong(TimeUnit.SECONDS.toNanos(1));
    TestPeer a = peer("failed-a", c -> c.clock(nowNanos::get));
    TestPeer b = peer("failed-b");
    DataChannel early = a.pc.createDataChannel("early");
    early.send("queued before it failed");
    String offer = a.pc.createOffer();
    b.pc.setRemoteDescription(offer, SdpType.OFFER);
    String answer = b.pc.createAnswer();
    b.pc.close(); // nobody answers at its address any more
    a.pc.setRemoteDescription(answer, SdpType.ANSWER);
    for (int i = 0; i < 400 && a.pc.getState() != PeerConnectionState.FAILED; i++) {
      a.pc.loop();
      nowNanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(50));
    }
    assertEquals(PeerConnectionState.FAILED, a.pc.getState(), a.states::toString);
    Matrix m = new Matrix("FAILED");
    m.check(
        "failureReason and stats say why",
        () -> {
          assertTrue(a.pc.failureReason().contains("ICE failed"), a.pc.failureReason());
          assertEquals("ice-failed", a.pc.getStats().failure());
        });
    common(m, a, early, PeerConnectionState.FAILED, 262_144);
    afterTheDescriptions(m, a, offer, answer);
    m.check("end-of-candidates in FAILED", () -> a.pc.addIceCandidate(""));
    m.check("sendDataChannel with no open channel", () -> assertFalse(sendAll(a)));
    m.check(
        "a channel made in FAILED is a channel, not open",
        () -> assertFalse(a.pc.createDataChannel("made-in-failed").isOpen()));
    // The documented way out of an ICE failure is a restart; a second one waits for the first.
    m.check("restartIce in FAILED", () -> a.pc.restartIce());
    m.misuse(
        "restartIce again",
        IllegalStateException.class,
        () -> a.pc.restartIce(),
        "apply the answer first");
    m.check(
        "the restart offer has new credentials",
        () ->
            assertNotEquals(line(offer, "a=ice-ufrag:"), line(a.pc.createOffer(), "a=ice-ufrag:")));
    m.check(
        "loop() goes on in FAILED",
        () -> {
          for (int i = 0; i < 20; i++) {
            a.pc.loop();
            nowNanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(100));
          }
          assertEquals(PeerConnectionState.FAILED, a.pc.getState());
        });
    m.check("nothing failed in loop()", () -> assertNoQueuedFailure(a));
    a.pc.close();
    m.check(
        "close() ends a failed connection and its channels",
        () -> {
          assertEquals(PeerConnectionState.CLOSED, a.pc.getState());
          a.pc.loop();
          assertEquals("early", take(a.channelsClosed).label());
        });
    m.assertClean();
  }

  // ---------------------------------------------------------------- CLOSED

  /**
   * CLOSED, on both sides of a call: the side that called close() and the side the remote closed.
   * Every control call says the connection is closed; sends are refused and counted; submit fails
   * at once (item 7); the loop that drove them keeps running.
   */
  @Test
  void inClosed() throws Exception {
    OnLoop pair = onLoopWithEarlyChannel("closed");
    TestPeer a = pair.a();
    TestPeer b = pair.b();
    DataChannel early = pair.early();
    TestPeer.connect(loop, a, b, false);
    DataChannel remote = take(b.opened);
    String offer = onLoop(a.pc::localDescription);
    a.pc.close(); // from the test thread: carried out by the loop
    a.closed.get(10, TimeUnit.SECONDS);
    b.closed.get(10, TimeUnit.SECONDS);
    Matrix m = new Matrix("CLOSED");
    for (TestPeer p : List.of(a, b)) {
      DataChannel ch = p == a ? early : remote;
      onLoop(
          () -> {
            common(m, p, ch, PeerConnectionState.CLOSED, 262_144);
            closedChecks(m, p, offer);
            m.check("the channel closed with it", () -> assertFalse(ch.isOpen()));
            return null;
          });
      m.misuse(
          p.name + ": loop() from another thread than its loop's",
          IllegalStateException.class,
          () -> p.pc.loop(),
          "call loop() from one thread only");
    }
    // A connection closed in NEW, never looped: loop() is harmless, close() idempotent.
    TestPeer fresh = peer("closed-fresh");
    DataChannel freshChannel = fresh.pc.createDataChannel("never");
    fresh.pc.close();
    common(m, fresh, freshChannel, PeerConnectionState.CLOSED, 262_144);
    closedChecks(m, fresh, offer);
    m.check("loop() on a connection closed before any loop", () -> fresh.pc.loop());
    m.check(
        "the loop goes on",
        () -> assertEquals(1, (int) loop.submit(() -> 1).get(5, TimeUnit.SECONDS)));
    m.check("nothing failed in loop()", () -> assertNoQueuedFailure(a, b, fresh));
    m.assertClean();
  }

  private void closedChecks(Matrix m, TestPeer p, String offer) {
    m.misuse("createOffer", IllegalStateException.class, () -> p.pc.createOffer(), CLOSED);
    m.misuse("createAnswer", IllegalStateException.class, () -> p.pc.createAnswer(), CLOSED);
    m.misuse(
        "setRemoteDescription",
        IllegalStateException.class,
        () -> p.pc.setRemoteDescription(offer, SdpType.OFFER),
        CLOSED);
    m.misuse(
        "addIceCandidate",
        IllegalStateException.class,
        () -> p.pc.addIceCandidate(CANDIDATE),
        CLOSED);
    m.misuse("restartIce", IllegalStateException.class, () -> p.pc.restartIce(), CLOSED);
    m.misuse(
        "createDataChannel",
        IllegalStateException.class,
        () -> p.pc.createDataChannel("more"),
        CLOSED);
    m.check(
        "submit fails at once",
        () -> {
          CompletableFuture<Integer> f = p.pc.submit(c -> 1);
          assertTrue(f.isCompletedExceptionally(), "completed already: " + f);
          ExecutionException e = assertThrows(ExecutionException.class, f::get);
          assertTrue(e.getCause() instanceof IllegalStateException, e.toString());
          assertTrue(e.getCause().getMessage().contains("closed"), e.getCause().getMessage());
        });
    m.check("sendDataChannel is refused", () -> assertFalse(sendAll(p)));
    m.check(
        "what can still be read",
        () -> {
          p.pc.localDescription();
          p.pc.localAddresses();
          assertEquals(PeerConnectionState.CLOSED, p.pc.getStats().state());
          assertNull(p.pc.failureReason());
          assertEquals(Optional.empty(), p.pc.dataChannel("early"));
        });
    m.check(
        "close() again",
        () -> {
          p.pc.close();
          assertEquals(PeerConnectionState.CLOSED, p.pc.getState());
        });
  }

  // ---------------------------------------------------------------- every state

  /**
   * The calls whose answer depends on the state only through "COMPLETED or not" and "CLOSED or
   * not": argument checks come first in every state.
   *
   * @param ch a channel of {@code p}, or null
   * @param remoteLimit the most a message may have: the remote's max-message-size, or 262144
   */
  private void common(
      Matrix m, TestPeer p, DataChannel ch, PeerConnectionState state, long remoteLimit) {
    PeerConnection pc = p.pc;
    boolean closed = state == PeerConnectionState.CLOSED;
    m.check(p.name + ": getState", () -> assertEquals(state, pc.getState()));
    m.check(p.name + ": getStats().state()", () -> assertEquals(state, pc.getStats().state()));
    m.check(
        p.name + ": name and toString",
        () -> {
          assertEquals(p.name, pc.name());
          assertTrue(pc.toString().contains(state.name().toLowerCase(java.util.Locale.ROOT)));
        });
    // Item 1: the DCEP limit, in bytes, at the call; a closed connection says it is closed.
    Class<? extends RuntimeException> tooLong =
        closed ? IllegalStateException.class : IllegalArgumentException.class;
    String tooLongAdvice = closed ? CLOSED : "65535";
    m.misuse(
        p.name + ": createDataChannel(65536-byte label)",
        tooLong,
        () -> pc.createDataChannel(LABEL_65536_BYTES),
        tooLongAdvice);
    m.misuse(
        p.name + ": a protocol of 80000 bytes (refused by DataChannelInit, in any state)",
        IllegalArgumentException.class,
        () ->
            pc.createDataChannel(
                "ok", DataChannelInit.RELIABLE.withProtocol("\u00e9".repeat(40_000))),
        "65535");
    if (!closed) {
      m.misuse(
          p.name + ": createDataChannel(null)",
          NullPointerException.class,
          () -> pc.createDataChannel(null),
          "use \"\"");
      m.misuse(
          p.name + ": createDataChannel(label, null)",
          NullPointerException.class,
          () -> pc.createDataChannel("x", null),
          "DataChannelInit.RELIABLE");
    }
    // Item 3: frames that are not frames fail at the call, whatever the state.
    m.misuse(
        p.name + ": sendAudio(empty array)",
        IllegalArgumentException.class,
        () -> pc.sendAudio(new byte[0]),
        "empty");
    m.misuse(
        p.name + ": sendAudio(empty buffer)",
        IllegalArgumentException.class,
        () -> pc.sendAudio(ByteBuffer.allocate(0)),
        "empty");
    m.misuse(
        p.name + ": sendAudio(array, offset, 0)",
        IllegalArgumentException.class,
        () -> pc.sendAudio(OPUS, 1, 0),
        "empty");
    m.misuse(
        p.name + ": sendAudio(0xff)",
        IllegalArgumentException.class,
        () -> pc.sendAudio(NOT_OPUS),
        "Opus");
    m.misuse(
        p.name + ": sendAudio(direct buffer 0xff)",
        IllegalArgumentException.class,
        () -> pc.sendAudio(ByteBuffer.allocateDirect(1).put(0, (byte) 0xff)),
        "Opus");
    m.misuse(
        p.name + ": sendAudio(array, offset of 0xff, 1)",
        IllegalArgumentException.class,
        () -> pc.sendAudio(new byte[] {(byte) 0xf8, (byte) 0xff}, 1, 1),
        "Opus");
    m.misuse(
        p.name + ": sendAudio(array, range outside)",
        IndexOutOfBoundsException.class,
        () -> pc.sendAudio(OPUS, 2, 5),
        "out of bounds");
    m.misuse(
        p.name + ": sendVideo(empty array)",
        IllegalArgumentException.class,
        () -> pc.sendVideo(new byte[0]),
        "empty access unit");
    m.misuse(
        p.name + ": sendVideo(empty buffer)",
        IllegalArgumentException.class,
        () -> pc.sendVideo(ByteBuffer.allocate(0)),
        "empty access unit");
    if (state != PeerConnectionState.COMPLETED) {
      m.check(
          p.name + ": valid frames before COMPLETED are refused and counted",
          () -> {
            long before = dropped(pc, SEND_BEFORE_CONNECTED);
            assertFalse(pc.sendAudio(OPUS));
            assertFalse(pc.sendAudio(ByteBuffer.wrap(OPUS)));
            assertFalse(pc.sendAudio(OPUS, 0, OPUS.length));
            assertFalse(pc.sendVideo(ACCESS_UNIT));
            assertFalse(pc.sendVideo(ByteBuffer.wrap(ACCESS_UNIT)));
            assertEquals(before + 5, dropped(pc, SEND_BEFORE_CONNECTED));
          });
    }
    m.check(
        p.name + ": dataChannel of an unknown label or id",
        () -> {
          assertEquals(Optional.empty(), pc.dataChannel("no such channel"));
          assertEquals(Optional.empty(), pc.dataChannel((String) null));
          assertEquals(Optional.empty(), pc.dataChannel(65_000));
        });
    m.check(
        p.name + ": callbacks set to null",
        () -> {
          pc.onRequestKeyframe(null);
          pc.onIceCandidateError(null);
          pc.onAudioPacket(null);
        });
    if (!closed) {
      m.check(
          p.name + ": submit runs",
          () -> assertEquals(state, pc.submit(c -> c.getState()).get(5, TimeUnit.SECONDS)));
    }
    if (state != PeerConnectionState.FAILED) {
      m.check(p.name + ": no failure reason", () -> assertNull(pc.failureReason()));
    }
    if (ch != null) {
      channelChecks(m, p, ch, closed, remoteLimit);
    }
  }

  /** DataChannel's own methods; sends of a closed channel say so, oversized ones the limit. */
  private static void channelChecks(
      Matrix m, TestPeer p, DataChannel ch, boolean closed, long remoteLimit) {
    String what = p.name + ": channel " + ch.label() + ": ";
    m.misuse(
        what + "setBufferedAmountLowThreshold(-1)",
        IllegalArgumentException.class,
        () -> ch.setBufferedAmountLowThreshold(-1),
        "0 or more bytes");
    m.check(
        what + "setBufferedAmountLowThreshold(1024)",
        () -> {
          ch.setBufferedAmountLowThreshold(1024);
          assertEquals(1024, ch.bufferedAmountLowThreshold());
          ch.setBufferedAmountLowThreshold(0);
        });
    m.misuse(what + "send(null string)", NullPointerException.class, () -> ch.send((String) null));
    m.misuse(what + "send(null bytes)", NullPointerException.class, () -> ch.send((byte[]) null));
    m.misuse(
        what + "send(null buffer)", NullPointerException.class, () -> ch.send((ByteBuffer) null));
    if (closed) {
      for (Executable send :
          List.<Executable>of(
              () -> ch.send("x"),
              () -> ch.send(new byte[1]),
              () -> ch.send(ByteBuffer.allocate(1)))) {
        m.misuse(
            what + "send on a closed channel",
            IllegalStateException.class,
            send,
            "open a new channel");
      }
      m.check(what + "close() again", ch::close);
      return;
    }
    byte[] tooLarge = new byte[(int) remoteLimit + 1];
    String limit = Long.toString(remoteLimit);
    m.misuse(
        what + "send(bytes over the limit)",
        IllegalArgumentException.class,
        () -> ch.send(tooLarge),
        limit);
    m.misuse(
        what + "send(buffer over the limit)",
        IllegalArgumentException.class,
        () -> ch.send(ByteBuffer.wrap(tooLarge)),
        limit);
    m.misuse(
        what + "send(string over the limit)",
        IllegalArgumentException.class,
        () -> ch.send(new String(tooLarge, StandardCharsets.ISO_8859_1)),
        limit);
    m.check(
        what + "a refused send buffers nothing",
        () -> assertTrue(ch.bufferedAmount() < remoteLimit));
  }

  /**
   * The calls of a connection whose remote description is applied (CHECKING onwards): the offerer
   * {@code a} cannot offer or answer again, and a malformed candidate names the problem.
   */
  private static void afterTheDescriptions(Matrix m, TestPeer a, String offer, String answer) {
    m.misuse(
        "createOffer after the answer",
        IllegalStateException.class,
        () -> a.pc.createOffer(),
        "call restartIce() first");
    m.misuse(
        "createAnswer on the offering side",
        IllegalStateException.class,
        () -> a.pc.createAnswer(),
        "call setRemoteDescription(offer");
    m.misuse(
        "a second answer",
        IllegalStateException.class,
        () -> a.pc.setRemoteDescription(answer, SdpType.ANSWER),
        "make a new PeerConnection");
    // Taken as the remote's restart offer: its fingerprint (ours) is not the remote's.
    m.misuse(
        "its own offer handed back as the remote's",
        IllegalArgumentException.class,
        () -> a.pc.setRemoteDescription(offer, SdpType.OFFER),
        "needs a new PeerConnection");
    m.misuse(
        "a malformed candidate",
        SdpParseException.class,
        () -> a.pc.addIceCandidate("candidate:garbage"),
        "candidate");
    m.check(
        "localDescription is the offer",
        () ->
            assertEquals(
                line(offer, "a=ice-ufrag:"), line(a.pc.localDescription(), "a=ice-ufrag:")));
  }

  // ---------------------------------------------------------------- helpers

  /**
   * The checks of one state; every failure is kept, with its state and call, and {@link
   * #assertClean} reports them all. Thread-safe: CONNECTED's checks run on the loop thread.
   */
  private final class Matrix {
    private final String state;

    Matrix(String state) {
      this.state = state;
    }

    void check(String what, Executable call) {
      try {
        call.execute();
      } catch (Throwable t) {
        failures.add(
            state
                + " | "
                + what
                + " | "
                + t
                + (t.getCause() != null ? " | thrown: " + t.getCause() : ""));
      }
    }

    /** Expects {@code type} with every one of {@code advice} in its message. */
    void misuse(
        String what, Class<? extends RuntimeException> type, Executable call, String... advice) {
      check(
          what,
          () -> {
            RuntimeException e = assertThrows(type, call);
            for (String a : advice) {
              assertTrue(
                  e.getMessage() != null && e.getMessage().contains(a),
                  "message should say \"" + a + "\": " + e.getMessage());
            }
          });
    }

    void assertClean() {
      List<String> loopErrors = warnings.loopErrors();
      assertTrue(loopErrors.isEmpty(), "loop() or a queued call failed:\n" + loopErrors);
      assertTrue(
          failures.isEmpty(), failures.size() + " checks failed:\n" + String.join("\n", failures));
    }
  }

  /** WARNING records of jpeer that say a loop, a queued call or a callback failed. */
  private static final class Warnings extends Handler {
    private final Logger logger = Logger.getLogger("io.github.jpeer"); // held: JUL keeps it weakly
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final SimpleFormatter formatter = new SimpleFormatter();

    Warnings() {
      setLevel(Level.WARNING);
      logger.addHandler(this);
    }

    @Override
    public void publish(LogRecord r) {
      if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
        lines.add(formatter.formatMessage(r) + (r.getThrown() != null ? ": " + r.getThrown() : ""));
      }
    }

    List<String> loopErrors() {
      return lines.stream()
          .filter(
              l ->
                  l.contains("loop failed")
                      || l.contains("iteration failed")
                      || l.contains("queued call failed")
                      || l.contains(" threw; ignored"))
          .toList();
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
      logger.removeHandler(this);
    }
  }

  /** Two peers named {@code state-a} and {@code state-b} on the loop, and a's channel "early". */
  private record OnLoop(TestPeer a, TestPeer b, DataChannel early) {}

  private OnLoop onLoopWithEarlyChannel(String state) throws Exception {
    TestPeer a = peer(state + "-a");
    TestPeer b = peer(state + "-b");
    TestPeer.addBoth(loop, a, b);
    return new OnLoop(a, b, onLoop(() -> a.pc.createDataChannel("early")));
  }

  private TestPeer peer(String name) {
    return peer(name, UnaryOperator.identity());
  }

  /** Audio, video and a string data channel, so that every send method applies. */
  private TestPeer peer(String name, UnaryOperator<PeerConfiguration.Builder> more) {
    return track(
        TestPeer.loopback(
            name,
            c ->
                more.apply(
                    c.audioCodec(MediaCodec.OPUS)
                        .videoCodec(MediaCodec.H264)
                        .dataChannel(DataChannelType.STRING))));
  }

  private TestPeer track(TestPeer p) {
    peers.add(p);
    return p;
  }

  /** Runs {@code call} on the loop thread; its exception comes out as itself. */
  private <T> T onLoop(Callable<T> call) throws Exception {
    try {
      return loop.submit(call).get(5, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception x) {
        throw x;
      }
      throw e;
    }
  }

  private void onLoop(Executable call) throws Exception {
    onLoop(
        () -> {
          try {
            call.execute();
          } catch (Exception | Error e) {
            throw e;
          } catch (Throwable t) {
            throw new AssertionError(t);
          }
          return null;
        });
  }

  /** Trickles each side's candidates to the other until both are COMPLETED (bounded). */
  private void trickleUntilCompleted(TestPeer a, TestPeer b) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (!(a.completed.isDone() && b.completed.isDone()) && System.nanoTime() < deadline) {
      forward(a, b);
      forward(b, a);
      TestPeer.pace(5);
    }
    a.completed.get(1, TimeUnit.SECONDS);
    b.completed.get(1, TimeUnit.SECONDS);
  }

  private void forward(TestPeer from, TestPeer to) throws Exception {
    List<String> lines = new ArrayList<>();
    from.localCandidates.drainTo(lines);
    for (String line : lines) {
      onLoop(() -> to.pc.addIceCandidate(line));
    }
  }

  /** Loops connections on this thread until {@code done} (bounded). */
  private static void loopUntil(BooleanSupplier done, TestPeer... ps) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (!done.getAsBoolean() && System.nanoTime() < deadline) {
      for (TestPeer p : ps) {
        p.pc.loop();
      }
      TestPeer.pace(1); // a bounded wait for the DTLS thread
    }
    assertTrue(done.getAsBoolean(), "timed out");
  }

  private static <T> T take(java.util.concurrent.BlockingQueue<T> q) throws InterruptedException {
    return TestPeer.take(q, "an event");
  }

  private static boolean sendAll(TestPeer p) {
    // by id: a channel that is not open yet takes the message (it waits), so only an unknown id
    return p.pc.sendDataChannel("x")
        || p.pc.sendDataChannel(new byte[1])
        || p.pc.sendDataChannel(4_000, new byte[1]);
  }

  private static long dropped(PeerConnection pc, String key) {
    return pc.getStats().dropped().getOrDefault(key, 0L);
  }

  private static void assertState(TestPeer p, PeerConnectionState s) {
    assertEquals(s, p.pc.getState());
  }

  private static void assertNoQueuedFailure(TestPeer... ps) {
    for (TestPeer p : ps) {
      PeerStats stats = p.pc.getStats();
      assertNotNull(stats);
      assertEquals(
          0L, stats.dropped().getOrDefault("queued-call-failed", 0L), p.name + " " + stats);
    }
  }

  private static String line(String sdp, String prefix) {
    return sdp.lines().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow();
  }

  /** Every a=setup line says {@code role}. */
  private static String setup(String sdp, String role) {
    return sdp.replaceAll("a=setup:[a-z]+", "a=setup:" + role);
  }

  /** Every fingerprint replaced by one of md2 (16 bytes), which RFC 8122 forbids. */
  private static String md2(String sdp) {
    String md2 = "a=fingerprint:md2 " + String.join(":", java.util.Collections.nCopies(16, "AB"));
    return sdp.replaceAll("a=fingerprint:[^\r\n]+", md2);
  }

  /** The description without the m-section starting with {@code media} (and its BUNDLE mid). */
  private static String withoutSection(String sdp, String media) {
    StringBuilder sb = new StringBuilder();
    boolean skipping = false;
    String mid = null;
    for (String l : sdp.split("\r\n")) {
      if (l.startsWith("m=")) {
        skipping = l.startsWith(media);
      }
      if (skipping && l.startsWith("a=mid:")) {
        mid = l.substring(6);
      }
      if (!skipping) {
        sb.append(l).append("\r\n");
      }
    }
    if (mid == null) {
      return sb.toString();
    }
    String m = mid;
    return sb.toString().replaceAll("(a=group:BUNDLE[^\r\n]*) " + m + "(?=[ \r])", "$1");
  }
}
