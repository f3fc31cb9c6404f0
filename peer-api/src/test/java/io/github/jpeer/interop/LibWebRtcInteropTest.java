package io.github.jpeer.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jpeer.DataChannel;
import io.github.jpeer.DataChannelListener;
import io.github.jpeer.DataChannelType;
import io.github.jpeer.IceTransportPolicy;
import io.github.jpeer.MediaCodec;
import io.github.jpeer.PeerConfiguration;
import io.github.jpeer.PeerConnection;
import io.github.jpeer.PeerConnectionState;
import io.github.jpeer.PeerLoop;
import io.github.jpeer.PeerStats;
import io.github.jpeer.SdpType;
import io.github.jpeer.testkit.Coturn;
import io.github.jpeer.testkit.SelfSigned;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * jpeer against Google's libwebrtc (webrtc-java), in both offer/answer roles: ICE, DTLS-SRTP, audio
 * each way, and a data channel. libwebrtc uses this machine's interface addresses, so jpeer binds
 * its interfaces too (not loopback); traffic stays on the machine.
 */
@Tag("interop")
class LibWebRtcInteropTest {
  private final List<PeerConnectionState> states = new CopyOnWriteArrayList<>();
  private final CompletableFuture<Void> completed = new CompletableFuture<>();
  private final AtomicLong framesIn = new AtomicLong();
  private final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
  private final CompletableFuture<DataChannel> opened = new CompletableFuture<>();

  /**
   * The way the call goes. {@code udp}: as ever; {@code ice-tcp}: jpeer with UDP off (a network
   * that blocks UDP) and libwebrtc's UDP candidates removed; {@code turn-tcp} and {@code turns}:
   * jpeer relay-only through a coturn the test starts, reached over TCP or TLS (the relay's far leg
   * to libwebrtc is UDP).
   */
  enum Path {
    UDP("udp"),
    ICE_TCP("tcp"),
    TURN_TCP("udp"),
    TURNS("udp");

    /** What jpeer's stats must say the pair runs over. */
    final String protocol;

    Path(String protocol) {
      this.protocol = protocol;
    }
  }

  private Coturn turn;

  private PeerConnection jpeer(Path path, java.nio.file.Path dir) throws Exception {
    PeerConfiguration.Builder b = PeerConfiguration.builder().iceUdp(path != Path.ICE_TCP);
    if (path == Path.TURN_TCP) {
      turn = Coturn.start(Coturn.binary()).awaitTcp();
      b.iceServer(turn.url() + "?transport=tcp", Coturn.USER, Coturn.PASSWORD);
      b.iceTransportPolicy(IceTransportPolicy.RELAY);
    } else if (path == Path.TURNS) {
      SelfSigned cert = SelfSigned.forLoopback(dir);
      turn = Coturn.startWithTls(Coturn.binary(), cert.certificate(), cert.privateKey()).awaitTcp();
      b.iceServer("turns:127.0.0.1:" + turn.tlsAddress().getPort(), Coturn.USER, Coturn.PASSWORD);
      b.turnTrustStore(cert.trustStore());
      b.iceTransportPolicy(IceTransportPolicy.RELAY);
    }
    PeerConfiguration config =
        b.audioCodec(MediaCodec.OPUS)
            .dataChannel(DataChannelType.STRING)
            .onAudioTrack((frame, ts) -> framesIn.incrementAndGet())
            .build();
    PeerConnection pc = PeerConnection.create(config);
    pc.onIceConnectionStateChange(
        s -> {
          states.add(s);
          if (s == PeerConnectionState.COMPLETED) {
            completed.complete(null);
          }
        });
    pc.onDataChannel(
        new DataChannelListener() {
          @Override
          public void onOpen(DataChannel channel) {
            opened.complete(channel);
          }

          @Override
          public void onMessage(DataChannel channel, ByteBuffer message, boolean binary) {
            byte[] b = new byte[message.remaining()];
            message.get(b);
            messages.add(new String(b, StandardCharsets.UTF_8));
          }
        });
    return pc;
  }

  private static short[] tone() {
    short[] pcm = new short[480];
    for (int i = 0; i < pcm.length; i++) {
      pcm[i] = (short) (6000 * Math.sin(2 * Math.PI * 440 * i / 48_000.0));
    }
    return pcm;
  }

  /**
   * A description without its UDP candidates, as a network that blocks UDP leaves it: only
   * libwebrtc's TCP candidates (passive ones with a port, active ones with port 9) remain.
   */
  static String withoutUdpCandidates(String sdp) {
    StringBuilder sb = new StringBuilder(sdp.length());
    int tcp = 0;
    for (String line : sdp.split("\r\n")) {
      if (line.startsWith("a=candidate:")
          && line.toLowerCase(java.util.Locale.ROOT).contains(" udp ")) {
        continue;
      }
      tcp += line.startsWith("a=candidate:") ? 1 : 0;
      sb.append(line).append("\r\n");
    }
    assertTrue(tcp > 0, "libwebrtc gathered no TCP candidate:\n" + sdp);
    return sb.toString();
  }

  /** Runs the exchange once connected: audio both ways, then data channel messages both ways. */
  private void exchange(PeerConnection pc, PeerLoop loop, LibWebRtcPeer google, boolean jpeerOpened)
      throws Exception {
    completed.get(20, TimeUnit.SECONDS);
    assertEquals(
        List.of(
            PeerConnectionState.CHECKING,
            PeerConnectionState.CONNECTED,
            PeerConnectionState.COMPLETED),
        states);
    assertTrue(google.awaitConnected(10_000), "libwebrtc states " + google.states());

    CountDownLatch never = new CountDownLatch(1);
    short[] tone = tone();
    byte[] opus = new byte[60];
    opus[0] = (byte) 0xf8; // 20 ms CELT fullband; libwebrtc counts the packets it receives
    for (int i = 0; i < 100 && (google.inboundAudioPackets() < 20 || framesIn.get() < 20); i++) {
      pc.sendAudio(opus);
      google.pushAudio(tone);
      google.pushAudio(tone);
      never.await(20, TimeUnit.MILLISECONDS);
    }
    assertTrue(
        google.inboundAudioPackets() >= 20, "libwebrtc received " + google.inboundAudioPackets());
    assertTrue(framesIn.get() >= 20, "jpeer received " + framesIn.get() + " audio frames");

    DataChannel ours = opened.get(10, TimeUnit.SECONDS);
    if (jpeerOpened) {
      assertEquals("oai-events", ours.label());
      for (int i = 0; i < 50 && google.pollRemoteChannel(0) == null && messages.isEmpty(); i++) {
        never.await(20, TimeUnit.MILLISECONDS);
      }
      ours.send("hello from jpeer");
      assertEquals("hello from jpeer", google.pollMessage(5_000));
    } else {
      assertEquals("google-channel", ours.label());
      google.send("hello from libwebrtc");
      assertEquals("hello from libwebrtc", messages.poll(5, TimeUnit.SECONDS));
      ours.send("hello from jpeer");
      assertEquals("hello from jpeer", google.pollMessage(5_000));
    }
    PeerStats stats = loop.submit(pc::getStats).get(5, TimeUnit.SECONDS);
    assertTrue(stats.audio().packetsSent() >= 20, stats.toString());
    assertTrue(stats.srtpProfile() != null, stats.toString());
  }

  /** The selected pair is what {@code path} says, by jpeer's stats. */
  private static void assertPath(Path path, PeerConnection pc, PeerLoop loop) throws Exception {
    PeerStats.CandidatePairStats pair =
        loop.submit(pc::getStats).get(5, TimeUnit.SECONDS).candidatePair();
    assertEquals(path.protocol, pair.protocol(), pair.toString());
    String relay = path == Path.TURN_TCP ? "tcp" : path == Path.TURNS ? "tls" : null;
    assertEquals(relay, pair.relayProtocol(), pair.toString());
  }

  @org.junit.jupiter.api.AfterEach
  void stopTurn() throws Exception {
    if (turn != null) {
      turn.close();
    }
  }

  /**
   * jpeer offers, libwebrtc answers: audio both ways and a data channel. With {@code restarts},
   * jpeer then restarts ICE (libwebrtc answers its restart offer), then libwebrtc does
   * (RTCOfferOptions.iceRestart; jpeer, the first offerer, answers): each time libwebrtc must
   * accept the description, both sides use the new credentials, and audio and messages flow. Over
   * {@link Path#ICE_TCP} the call runs over TCP, jpeer dialling libwebrtc's passive candidate; over
   * TURN, through coturn.
   */
  @ParameterizedTest(name = "restarts: {0}, path: {1}")
  @CsvSource({"false,UDP", "true,UDP", "false,ICE_TCP", "false,TURN_TCP", "false,TURNS"})
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void jpeerOffersLibWebRtcAnswers(
      boolean restarts, Path path, @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    boolean tcpOnly = path == Path.ICE_TCP;
    try (PeerLoop loop = PeerLoop.start("interop-offer");
        LibWebRtcPeer google = new LibWebRtcPeer(true, null)) {
      PeerConnection pc = jpeer(path, dir);
      pc.createDataChannel("oai-events");
      CompletableFuture<String> fullOffer = new CompletableFuture<>();
      pc.onIceCandidate(fullOffer::complete);
      pc.createOffer();
      loop.add(pc).get(5, TimeUnit.SECONDS);
      String offer = fullOffer.get(10, TimeUnit.SECONDS);
      google.setRemoteDescription(offer, true);
      String answer = tcpOnly ? withoutUdpCandidates(google.createAnswer()) : google.createAnswer();
      loop.submit(() -> pc.setRemoteDescription(answer, SdpType.ANSWER)).get(5, TimeUnit.SECONDS);
      exchange(pc, loop, google, true);
      assertPath(path, pc, loop);
      if (restarts) {
        restartEachSide(pc, loop, google);
      }
      loop.submit(pc::close).get(5, TimeUnit.SECONDS);
    }
  }

  /**
   * libwebrtc offers, jpeer answers; with {@code restarts} as above, so that jpeer restarts as the
   * side that answered. Over {@link Path#ICE_TCP} and TURN as above, libwebrtc (the controlling
   * side) choosing the pair.
   */
  @ParameterizedTest(name = "restarts: {0}, path: {1}")
  @CsvSource({"false,UDP", "true,UDP", "false,ICE_TCP", "false,TURN_TCP", "false,TURNS"})
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void libWebRtcOffersJpeerAnswers(
      boolean restarts, Path path, @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    boolean tcpOnly = path == Path.ICE_TCP;
    try (PeerLoop loop = PeerLoop.start("interop-answer");
        LibWebRtcPeer google = new LibWebRtcPeer(true, "google-channel")) {
      PeerConnection pc = jpeer(path, dir);
      String offer = tcpOnly ? withoutUdpCandidates(google.createOffer()) : google.createOffer();
      pc.setRemoteDescription(offer, SdpType.OFFER);
      CompletableFuture<String> fullAnswer = new CompletableFuture<>();
      pc.onIceCandidate(fullAnswer::complete);
      pc.createAnswer();
      loop.add(pc).get(5, TimeUnit.SECONDS);
      google.setRemoteDescription(fullAnswer.get(10, TimeUnit.SECONDS), false);
      exchange(pc, loop, google, false);
      assertPath(path, pc, loop);
      if (restarts) {
        restartEachSide(pc, loop, google);
      }
      loop.submit(pc::close).get(5, TimeUnit.SECONDS);
    }
  }

  // ---------------------------------------------------------------- ICE restarts

  private void restartEachSide(PeerConnection pc, PeerLoop loop, LibWebRtcPeer google)
      throws Exception {
    jpeerRestarts(pc, loop, google);
    stillFlowing(pc, loop, google, "after jpeer's restart");
    libWebRtcRestarts(pc, loop, google);
    stillFlowing(pc, loop, google, "after libwebrtc's restart");
  }

  /** jpeer's restartIce(), its complete restart offer to libwebrtc, libwebrtc's answer back. */
  private static void jpeerRestarts(PeerConnection pc, PeerLoop loop, LibWebRtcPeer google)
      throws Exception {
    String before = LibWebRtcPeer.ufrag(loop.submit(pc::localDescription).get(5, TimeUnit.SECONDS));
    CompletableFuture<String> full = new CompletableFuture<>();
    loop.submit(
            () -> {
              pc.onLocalDescription(full::complete);
              pc.restartIce();
              pc.createOffer();
              return null;
            })
        .get(5, TimeUnit.SECONDS);
    String offer = full.get(10, TimeUnit.SECONDS);
    assertNotEquals(before, LibWebRtcPeer.ufrag(offer), "new credentials in the restart offer");
    google.setRemoteDescription(offer, true); // throws if libwebrtc refuses it
    String answer = google.createAnswer();
    loop.submit(() -> pc.setRemoteDescription(answer, SdpType.ANSWER)).get(5, TimeUnit.SECONDS);
  }

  /** libwebrtc's ICE restart offer to jpeer, jpeer's complete answer back. */
  private static void libWebRtcRestarts(PeerConnection pc, PeerLoop loop, LibWebRtcPeer google)
      throws Exception {
    String before = LibWebRtcPeer.ufrag(loop.submit(pc::localDescription).get(5, TimeUnit.SECONDS));
    String offer = google.createOffer(true);
    CompletableFuture<String> full = new CompletableFuture<>();
    loop.submit(
            () -> {
              pc.onLocalDescription(full::complete);
              pc.setRemoteDescription(offer, SdpType.OFFER);
              pc.createAnswer();
              return null;
            })
        .get(5, TimeUnit.SECONDS);
    String answer = full.get(10, TimeUnit.SECONDS);
    assertNotEquals(before, LibWebRtcPeer.ufrag(answer), "new credentials in jpeer's answer");
    google.setRemoteDescription(answer, false); // throws if libwebrtc refuses it
  }

  /**
   * After a restart: audio both ways grows again and a message crosses while both stay connected;
   * jpeer counted no STUN whose integrity failed (libwebrtc's checks carry the new credentials, so
   * a side still on the old ones would show here).
   */
  private void stillFlowing(PeerConnection pc, PeerLoop loop, LibWebRtcPeer google, String when)
      throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    short[] tone = tone();
    byte[] opus = new byte[60];
    opus[0] = (byte) 0xf8;
    long googleBefore = google.inboundAudioPackets();
    long oursBefore = framesIn.get();
    // two seconds at least: the new session's checks, its nomination, and the old pair dropped
    for (int i = 0;
        i < 250
            && (i < 100
                || google.inboundAudioPackets() < googleBefore + 50
                || framesIn.get() < oursBefore + 50);
        i++) {
      pc.sendAudio(opus);
      google.pushAudio(tone);
      google.pushAudio(tone);
      never.await(20, TimeUnit.MILLISECONDS);
    }
    assertTrue(
        google.inboundAudioPackets() >= googleBefore + 50,
        when + ": libwebrtc received " + (google.inboundAudioPackets() - googleBefore));
    assertTrue(
        framesIn.get() >= oursBefore + 50,
        when + ": jpeer received " + (framesIn.get() - oursBefore));
    DataChannel ours = opened.get(5, TimeUnit.SECONDS);
    ours.send(when);
    assertEquals(when, google.pollMessage(5_000));
    PeerStats stats = loop.submit(pc::getStats).get(5, TimeUnit.SECONDS);
    assertEquals(PeerConnectionState.COMPLETED, stats.state(), when + ": " + stats);
    assertEquals(List.of(), badStun(stats), when + ": STUN jpeer could not authenticate: " + stats);
    // libwebrtc itself reports DISCONNECTED, then CHECKING, for a few milliseconds while it
    // applies a restart description (seen 6 ms after setRemoteDescription, before any check
    // could time out); what counts is that it never failed and is connected again.
    List<dev.onvoid.webrtc.RTCPeerConnectionState> theirs = google.states();
    assertEquals(
        dev.onvoid.webrtc.RTCPeerConnectionState.CONNECTED,
        theirs.get(theirs.size() - 1),
        when + ": libwebrtc states " + theirs);
    assertTrue(
        !theirs.contains(dev.onvoid.webrtc.RTCPeerConnectionState.FAILED),
        when + ": libwebrtc states " + theirs);
  }

  private static List<String> badStun(PeerStats stats) {
    return stats.dropped().entrySet().stream()
        .filter(e -> e.getValue() > 0)
        .map(java.util.Map.Entry::getKey)
        // stun-unknown-ufrag may count checks that libwebrtc's connections of two generations ago
        // still send; a check signed wrong for a ufrag we have is what must not happen
        .filter(k -> k.equals("stun-bad-integrity"))
        .toList();
  }
}
