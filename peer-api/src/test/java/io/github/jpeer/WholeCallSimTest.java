package io.github.jpeer;

import static io.github.jpeer.SimCall.MS;
import static io.github.jpeer.SimCall.SECOND;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jpeer.testkit.Datagram;
import io.github.jpeer.testkit.SimNetwork;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Whole calls, two {@link PeerCore}s over a simulated network in virtual time: what used to need
 * real sockets and wall time (consent loss takes 30 s) runs in milliseconds here, deterministic per
 * seed but for BouncyCastle's handshake thread.
 */
class WholeCallSimTest {

  @Test
  void connectsAndCarriesAudioAndMessagesBothWays() {
    SimCall call = new SimCall(1, new SimNetwork(1).setDelayNanos(20 * MS));
    DataChannel events =
        call.offerer.core.createDataChannel(
            call.clock.nanoTime(), "oai-events", DataChannelInit.RELIABLE);
    assertTrue(call.connect(5 * SECOND), call::toString);
    call.audioBothWays();
    assertTrue(
        call.runUntil(() -> events.isOpen() && call.answerer.channel("oai-events") != null, SECOND),
        call::toString);
    events.send("hello from the offerer");
    call.answerer.channel("oai-events").send("hello from the answerer");
    call.run(2 * SECOND);

    assertEquals(List.of("hello from the offerer"), call.answerer.messages, call::toString);
    assertEquals(List.of("hello from the answerer"), call.offerer.messages, call::toString);
    // 2 s of 20 ms frames each way, less the path's 20 ms: no loss, in order
    assertInOrderAndAtLeast(call.answerer.audioSequence, 95, call);
    assertInOrderAndAtLeast(call.offerer.audioSequence, 95, call);
    assertEquals(
        List.of(
            PeerConnectionState.CHECKING,
            PeerConnectionState.CONNECTED,
            PeerConnectionState.COMPLETED),
        call.offerer.states);
    assertTrue(
        call.offerer.completedAtNanos < SECOND,
        "connected in " + call.offerer.completedAtNanos / MS + " ms");
    PeerStats stats = call.offerer.core.stats();
    assertEquals(Map_of(), stats.dropped(), "nothing dropped on a clean path");
    assertTrue(
        stats.audio().packetsSent() >= 95 && stats.audio().packetsReceived() >= 95,
        stats::toString);
    assertEquals(call.clock.nanoTime(), stats.timestampNanos(), "stamped with the core's time");
    PeerStats.CandidatePairStats pair = stats.candidatePair();
    assertEquals("host", pair.localType());
    assertEquals(call.offerer.address, pair.local());
    assertEquals(call.answerer.address, pair.remote());
    assertFalse(pair.relayed());
    // 20 ms each way: the STUN round trip is the path's
    assertEquals(0.040, pair.roundTripSeconds(), 0.005, pair::toString);
    PeerStats.ChannelStats channel = stats.dataChannels().get(0);
    assertEquals("oai-events", channel.label());
    assertEquals("open", channel.state());
    assertEquals(1, channel.messagesSent());
    assertEquals("hello from the offerer".length(), channel.bytesSent());
    assertEquals(1, channel.messagesReceived());
    assertEquals("hello from the answerer".length(), channel.bytesReceived());
    assertEquals(0, channel.bufferedAmount());

    call.close();
    assertEquals(
        PeerConnectionState.CLOSED, call.answerer.state(), "the answerer read our close_notify");
    assertTrue(call.answerer.closed.size() >= 1, "its channel closed: " + call.answerer.closed);
  }

  private static java.util.Map<String, Long> Map_of() {
    return java.util.Map.of();
  }

  private static void assertInOrderAndAtLeast(List<Integer> sequence, int least, SimCall call) {
    assertTrue(sequence.size() >= least, sequence.size() + " frames: " + call);
    for (int i = 1; i < sequence.size(); i++) {
      assertTrue(sequence.get(i) > sequence.get(i - 1), "frame order " + sequence);
    }
  }

  /**
   * 20% loss with jitter and reordering: the call still connects, audio arrives in order with about
   * the loss missing, and every data channel message arrives exactly once, in order.
   */
  @ParameterizedTest
  @ValueSource(longs = {11, 12, 13})
  void twentyPercentLossWithJitterAndReordering(long seed) {
    SimNetwork net =
        new SimNetwork(seed)
            .setLossRate(0.2)
            .setDelayNanos(30 * MS)
            .setJitterNanos(10 * MS)
            .setReorder(0.05, 20 * MS, 40 * MS);
    SimCall call = new SimCall(seed, net);
    DataChannel ch =
        call.offerer.core.createDataChannel(
            call.clock.nanoTime(), "chat", DataChannelInit.RELIABLE);
    assertTrue(call.connect(15 * SECOND), call::toString);
    call.audioBothWays();
    assertTrue(call.runUntil(ch::isOpen, 10 * SECOND), call::toString);
    int[] sent = {0};
    call.every(
        50 * MS,
        now -> {
          if (sent[0] < 100) {
            ch.send("message " + sent[0]++);
          }
        });
    assertTrue(
        call.runUntil(() -> call.answerer.messages.size() == 100, 60 * SECOND), call::toString);
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      expected.add("message " + i);
    }
    assertEquals(expected, call.answerer.messages, "reliable and ordered through 20% loss");
    // Audio is never resent: about 80% arrives, in order (the reorder buffer waits 60 ms).
    List<Integer> audio = call.answerer.audioSequence;
    int span = audio.get(audio.size() - 1) - audio.get(0) + 1;
    double delivered = audio.size() / (double) span;
    assertTrue(delivered > 0.7 && delivered < 0.9, "delivered " + delivered + " of " + span);
    assertEquals(audio.size(), new TreeSet<>(audio).size(), "no duplicates");
    PeerStats stats = call.answerer.core.stats();
    assertTrue(stats.audio().packetsLost() > 0, stats::toString);
  }

  /**
   * Audio through 10% loss, 5% of datagrams held back 30 to 60 ms and 3% duplicated (this replaces
   * a real-socket test through an ImpairingRelay): every frame whose RTP packet the network
   * delivered reaches the listener exactly once and in order. Reordered ones wait in the reorder
   * stage (60 ms) instead of being dropped as late; duplicates are counted as duplicates, not as
   * replays. The tap counts, by the cleartext RTP sequence number, which packets were delivered.
   */
  @Test
  void everyAudioFrameTheNetworkDeliveredArrivesOnceAndInOrder() {
    SimNetwork net = new SimNetwork(1013).setDelayNanos(10 * MS);
    SimCall call = new SimCall(1013, net);
    assertTrue(call.connect(5 * SECOND), call::toString);
    net.setLossRate(0.10).setReorder(0.05, 30 * MS, 60 * MS).setDuplicateRate(0.03);
    Set<Integer> delivered = new HashSet<>();
    int[] copies = {0};
    call.deliveryTap =
        (side, d) -> {
          byte[] b = d.data();
          int packetType = b.length > 12 ? b[1] & 0xff : 0;
          boolean rtp = (b[0] & 0xc0) == 0x80 && (packetType < 192 || packetType > 223);
          if (side == call.answerer && rtp) {
            copies[0]++;
            delivered.add(((b[2] & 0xff) << 8) | (b[3] & 0xff));
          }
        };
    int frames = 400; // 8 s of 20 ms frames, from the offerer only
    numberedAudioFromTheOfferer(call, frames);
    call.run(frames * 20 * MS + 300 * MS); // and the held ones and the last reorder wait
    List<Integer> received = call.answerer.audioSequence;
    for (int k = 1; k < received.size(); k++) {
      assertTrue(
          received.get(k) > received.get(k - 1),
          "out of order or twice: " + received.get(k - 1) + " then " + received.get(k));
    }
    assertTrue(delivered.size() < frames * 0.95, "the network lost audio: " + delivered.size());
    assertTrue(copies[0] > delivered.size(), "and duplicated some: " + copies[0]);
    assertEquals(delivered.size(), received.size(), "every delivered frame, once: " + call);
    PeerStats stats = call.answerer.core.stats();
    assertEquals(0L, stats.dropped().getOrDefault("rtp-late", 0L), stats::toString);
    assertEquals(0L, stats.dropped().getOrDefault("srtp-replay", 0L), stats::toString);
    assertEquals(
        (long) copies[0] - delivered.size(),
        stats.dropped().getOrDefault("rtp-duplicate", 0L),
        stats::toString);
    assertEquals(PeerConnectionState.COMPLETED, call.answerer.state());
  }

  /**
   * Sends {@code frames} 80-byte Opus frames every 20 ms from the offerer, numbered in bytes 1-2.
   */
  private static void numberedAudioFromTheOfferer(SimCall call, int frames) {
    int[] index = new int[1];
    call.every(
        20 * MS,
        now -> {
          if (index[0] < frames) {
            byte[] f = new byte[80];
            f[0] = (byte) 0xf8; // Opus TOC: CELT FB 20 ms, mono, one frame
            f[1] = (byte) (index[0] >>> 8);
            f[2] = (byte) index[0]++;
            call.offerer.core.sendAudio(now, f, f.length);
          }
        });
  }

  /**
   * Statistics add up (issue 20): audio held back longer than the reorder stage waits arrives late
   * and is discarded; it counts in packetsReceived and in packetsDiscarded (and rtp-late), not as
   * lost, so packetsReceived is what the listener got plus packetsDiscarded, as in WebRTC's stats.
   */
  @Test
  void receivedIsDeliveredPlusDiscarded() {
    SimNetwork net = new SimNetwork(2027).setDelayNanos(10 * MS);
    SimCall call = new SimCall(2027, net);
    assertTrue(call.connect(5 * SECOND), call::toString);
    net.setLossRate(0.05).setReorder(0.08, 150 * MS, 250 * MS).setDuplicateRate(0.03);
    int frames = 300;
    numberedAudioFromTheOfferer(call, frames);
    call.run(frames * 20 * MS + 600 * MS); // the held ones come, and the last reorder wait ends
    PeerStats stats = call.answerer.core.stats();
    PeerStats.TrackStats audio = stats.audio();
    long late = stats.dropped().getOrDefault("rtp-late", 0L);
    assertTrue(late > 0, "some audio came after its turn: " + stats);
    assertTrue(audio.packetsDiscarded() >= late, stats::toString);
    assertEquals(
        audio.packetsReceived(),
        call.answerer.audioSequence.size() + audio.packetsDiscarded(),
        "received = delivered + discarded: " + stats);
    assertTrue(audio.packetsLost() > 0, "and the network lost some: " + stats);
    assertTrue(
        audio.packetsReceived() + audio.packetsLost() >= frames - 1,
        "each packet sent is received or lost: " + stats);
  }

  /**
   * Consent (RFC 7675; this replaces a real-socket test that took 30 s of wall time): a path that
   * goes silent makes both sides DISCONNECTED within seconds and comes back when the path does; one
   * silent for 30 s fails, saying consent was lost.
   */
  @Test
  void consentLostThenRecoveredThenLostForGood() {
    SimNetwork net = new SimNetwork(5).setDelayNanos(10 * MS);
    SimCall call = new SimCall(5, net);
    call.upWithAudio();

    net.blackhole(call.answerer.address);
    assertTrue(
        call.runUntil(() -> call.bothIn(PeerConnectionState.DISCONNECTED), 15 * SECOND),
        call::toString);
    net.restore(call.answerer.address);
    assertTrue(
        call.runUntil(() -> call.bothIn(PeerConnectionState.COMPLETED), 10 * SECOND),
        call::toString);
    int before = call.answerer.audioSequence.size();
    call.run(SECOND);
    assertTrue(call.answerer.audioSequence.size() > before + 40, "audio flows again: " + call);

    net.blackhole(call.answerer.address);
    long lostAt = call.elapsedNanos();
    assertTrue(
        call.runUntil(() -> call.bothIn(PeerConnectionState.FAILED), 60 * SECOND), call::toString);
    long took = call.elapsedNanos() - lostAt;
    assertTrue(took >= 25 * SECOND && took <= 40 * SECOND, "failed after " + took / MS + " ms");
    for (SimCall.Side side : List.of(call.offerer, call.answerer)) {
      assertEquals("ice-consent-lost", side.core.stats().failure(), side.name);
      String reason = side.core.failureReason();
      assertTrue(reason != null && reason.contains("consent lost"), side.name + ": " + reason);
    }
  }

  /**
   * The DTLS flights of the first second are lost (a path that only opens late): retransmission
   * brings the handshake through.
   */
  @Test
  void dtlsRetransmissionRidesOutLostFlights() {
    SimNetwork net = new SimNetwork(7).setDelayNanos(10 * MS);
    SimCall call = new SimCall(7, net);
    long[] dropped = {0};
    long until = call.clock.nanoTime() + SECOND;
    net.setMiddlebox(
        d -> {
          int first = d.data().length > 0 ? d.data()[0] & 0xff : 0;
          if (first >= 20 && first <= 63 && call.clock.nanoTime() < until) {
            dropped[0]++;
            return null;
          }
          return d;
        });
    assertTrue(call.connect(20 * SECOND), call::toString);
    assertTrue(dropped[0] > 0, "some DTLS was dropped");
    assertTrue(call.offerer.completedAtNanos >= SECOND, "completed after the path opened");
  }

  /**
   * NAT rebinding: one side's NAT gives it a new public port mid-call and forgets the old one. The
   * other side meets the new address in its checks (a peer-reflexive candidate); the pair is
   * nominated (by the controlling offerer's consent checks, or by the offerer itself once its
   * consent has gone unanswered for 2 s while the remote checks it from the new address) and media
   * continues both ways, within seconds: 3.8 to 5 s when the offerer moves, 6.3 to 7.9 s when the
   * answerer does (11.6 s before the unanswered-consent rule, which waited for the 12 s
   * disconnected timeout).
   */
  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void natRebindingKeepsTheCallUp(boolean offererRebinds) {
    SimNetwork net = new SimNetwork(9).setDelayNanos(10 * MS);
    SimCall call = new SimCall(9, net);
    SimCall.Side moving = offererRebinds ? call.offerer : call.answerer;
    SimCall.Side other = offererRebinds ? call.answerer : call.offerer;
    InetSocketAddress inside = moving.address;
    InetSocketAddress[] outside = {inside};
    net.setMiddlebox(
        d -> {
          if (d.from().equals(inside)) {
            return new Datagram(outside[0], d.to(), d.data());
          }
          if (d.to().equals(outside[0])) {
            return new Datagram(d.from(), inside, d.data());
          }
          return d.to().equals(inside) ? null : d; // the old mapping is gone
        });
    call.upWithAudio();
    outside[0] = new InetSocketAddress(inside.getAddress(), 40000);
    long rebound = call.elapsedNanos();
    int[] heard = {moving.audioSequence.size(), other.audioSequence.size()};
    // Audio flows both ways again once each side has received 25 frames (half a second) since.
    assertTrue(
        call.runUntil(
            () ->
                moving.audioSequence.size() > heard[0] + 25
                    && other.audioSequence.size() > heard[1] + 25,
            20 * SECOND),
        call::toString);
    long recovered = call.elapsedNanos() - rebound;
    System.out.printf(
        "NAT rebinding of the %s: audio both ways again after %d ms%n",
        moving.name, recovered / MS);
    // The other side's next consent request goes out within 6 s and counts as broken 2 s later;
    // the mover's next check from its new address comes within 6 s; then the nomination and the
    // half second of audio counted: under 9 s (runs measure 3.8 to 7.9 s).
    assertTrue(recovered < 10 * SECOND, "recovered after " + recovered / MS + " ms");
    int movingBefore = moving.audioSequence.size();
    int otherBefore = other.audioSequence.size();
    call.run(5 * SECOND);
    assertTrue(
        moving.audioSequence.size() > movingBefore + 240, "audio to the new address: " + call);
    assertTrue(other.audioSequence.size() > otherBefore + 240, "audio from it: " + call);
    assertTrue(
        other.core.stats().selectedCandidatePair().contains(":40000"),
        other.core.stats().selectedCandidatePair());
    assertFalse(call.offerer.states.contains(PeerConnectionState.FAILED), call::toString);
    assertFalse(call.answerer.states.contains(PeerConnectionState.FAILED), call::toString);
  }

  /** Applies an offer made by restartIce() and its answer, as signaling would. */
  private static void exchangeRestart(SimCall call) {
    String offer = call.offerer.core.createOffer(call.clock.nanoTime());
    call.answerer.core.setRemoteDescription(call.clock.nanoTime(), offer, SdpType.OFFER);
    String answer = call.answerer.core.createAnswer(call.clock.nanoTime());
    call.offerer.core.setRemoteDescription(call.clock.nanoTime(), answer, SdpType.ANSWER);
  }

  private static String ufrag(String sdp) {
    int i = sdp.indexOf("a=ice-ufrag:");
    return sdp.substring(i + 12, sdp.indexOf('\r', i));
  }

  /** An ICE restart on a working call: new credentials both ways, and audio never stops. */
  @Test
  void iceRestartOnALiveCallKeepsAudioFlowing() {
    SimCall call = new SimCall(21, new SimNetwork(21).setDelayNanos(15 * MS));
    assertTrue(call.connect(5 * SECOND), call::toString);
    String firstOffer = call.offerer.core.localDescription();
    String firstAnswer = call.answerer.core.localDescription();
    call.audioBothWays();
    call.run(SECOND);
    call.offerer.core.restartIce(call.clock.nanoTime());
    exchangeRestart(call);
    assertFalse(ufrag(firstOffer).equals(ufrag(call.offerer.core.localDescription())));
    assertFalse(ufrag(firstAnswer).equals(ufrag(call.answerer.core.localDescription())));
    int before = call.answerer.audioSequence.size();
    call.run(3 * SECOND);
    assertTrue(call.answerer.audioSequence.size() >= before + 145, "audio kept flowing: " + call);
    assertEquals(PeerConnectionState.COMPLETED, call.offerer.state(), call::toString);
    assertEquals(PeerConnectionState.COMPLETED, call.answerer.state(), call::toString);
    assertNotNull(call.offerer.completeDescription, "the restart offer came as a complete one too");
  }

  /**
   * The W3C use of an ICE restart: consent was lost (FAILED, ice-consent-lost), the path comes
   * back, and a restart finds it again: COMPLETED, failure cleared, audio flowing.
   */
  @Test
  void iceRestartRecoversACallWhoseConsentWasLost() {
    SimNetwork net = new SimNetwork(23).setDelayNanos(15 * MS);
    SimCall call = new SimCall(23, net);
    call.upWithAudio();
    net.blackhole(call.answerer.address);
    assertTrue(
        call.runUntil(() -> call.offerer.state() == PeerConnectionState.FAILED, 60 * SECOND),
        call::toString);
    net.restore(call.answerer.address);
    call.offerer.core.restartIce(call.clock.nanoTime());
    exchangeRestart(call);
    assertTrue(
        call.runUntil(() -> call.bothIn(PeerConnectionState.COMPLETED), 10 * SECOND),
        call::toString);
    assertEquals(null, call.offerer.core.stats().failure());
    int before = call.offerer.audioSequence.size();
    call.run(2 * SECOND);
    assertTrue(call.offerer.audioSequence.size() >= before + 90, "audio again: " + call);
  }

  /** Misuse of a restart says what to do. */
  @Test
  void restartIceMisuseSaysWhatToDo() {
    SimCall call = new SimCall(25, new SimNetwork(25));
    IllegalStateException early =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalStateException.class, () -> call.offerer.core.restartIce(0));
    assertTrue(early.getMessage().contains("apply the answer first"), early.getMessage());
    assertTrue(call.connect(5 * SECOND), call::toString);
    String answererRole = setupOf(call.answerer.core.localDescription(), true);
    String same = call.offerer.core.localDescription();
    IllegalStateException renegotiate =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalStateException.class,
            () ->
                call.answerer.core.setRemoteDescription(
                    call.clock.nanoTime(), same, SdpType.OFFER));
    assertTrue(renegotiate.getMessage().contains("only to restart ICE"), renegotiate.getMessage());
    // Both sides restart at once (glare): the second offer is refused, saying what to do.
    long now = call.clock.nanoTime();
    call.offerer.core.restartIce(now);
    String ours = call.offerer.core.createOffer(now);
    call.answerer.core.restartIce(now);
    String theirs = call.answerer.core.createOffer(now);
    IllegalStateException glare =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalStateException.class,
            () -> call.offerer.core.setRemoteDescription(now, theirs, SdpType.OFFER));
    assertTrue(glare.getMessage().contains("both sides restarted ICE"), glare.getMessage());
    IllegalStateException twice =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalStateException.class, () -> call.offerer.core.restartIce(now));
    assertTrue(twice.getMessage().contains("apply the answer first"), twice.getMessage());
    // A restart offer may change only ICE: another DTLS role or codec is refused.
    // an answer to the answerer's restart offer that claims the answerer's own DTLS role
    String activeToo = ours.replace("a=setup:actpass", "a=setup:" + answererRole);
    IllegalArgumentException role =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class,
            () -> call.answerer.core.setRemoteDescription(now, activeToo, SdpType.ANSWER));
    assertTrue(role.getMessage().contains("keeps the DTLS association"), role.getMessage());
  }

  /** The a=setup value of {@code sdp}'s first section, or with {@code same} false its opposite. */
  private static String setupOf(String sdp, boolean same) {
    int i = sdp.indexOf("a=setup:");
    String v = sdp.substring(i + 8, sdp.indexOf('\r', i));
    return same ? v : v.equals("active") ? "passive" : "active";
  }

  /**
   * The answerer restarts ICE (its side's network changed, say): its restart offer has the call's
   * sections in the first offer's order with a=setup:actpass, the first offerer answers it keeping
   * its DTLS role, the ICE roles swap for the new session, and audio never stops. Then the first
   * offerer restarts again and the roles swap back.
   */
  @Test
  void theAnswererRestartsIceAndThenTheOffererDoes() {
    SimCall call = new SimCall(26, new SimNetwork(26).setDelayNanos(15 * MS));
    assertTrue(call.connect(5 * SECOND), call::toString);
    String firstOffer = call.offerer.core.localDescription();
    String firstAnswer = call.answerer.core.localDescription();
    call.audioBothWays();
    call.run(SECOND);
    long now = call.clock.nanoTime();
    call.answerer.core.restartIce(now);
    String offer = call.answerer.core.createOffer(now);
    assertTrue(offer.contains("a=setup:actpass"), offer);
    assertEquals(mids(firstOffer), mids(offer), "the first offer's sections, in its order");
    assertFalse(ufrag(firstAnswer).equals(ufrag(offer)));
    call.offerer.core.setRemoteDescription(now, offer, SdpType.OFFER);
    String answer = call.offerer.core.createAnswer(now);
    assertEquals(
        setupOf(firstOffer.replace("actpass", setupOf(firstAnswer, false)), true),
        setupOf(answer, true),
        "the first offerer keeps its DTLS role");
    assertFalse(ufrag(firstOffer).equals(ufrag(answer)));
    call.answerer.core.setRemoteDescription(now, answer, SdpType.ANSWER);
    int before = call.offerer.audioSequence.size();
    call.run(3 * SECOND);
    assertTrue(call.offerer.audioSequence.size() >= before + 145, "audio kept flowing: " + call);
    assertTrue(call.bothIn(PeerConnectionState.COMPLETED), call::toString);
    assertEquals(
        ufrag(offer),
        ufrag(call.answerer.core.localDescription()),
        "its local description is the restart offer");

    call.offerer.core.restartIce(call.clock.nanoTime());
    exchangeRestart(call);
    before = call.answerer.audioSequence.size();
    call.run(3 * SECOND);
    assertTrue(call.answerer.audioSequence.size() >= before + 145, "and again: " + call);
    assertTrue(call.bothIn(PeerConnectionState.COMPLETED), call::toString);
    assertFalse(call.offerer.states.contains(PeerConnectionState.FAILED), call::toString);
  }

  private static List<String> mids(String sdp) {
    List<String> mids = new ArrayList<>();
    for (String line : sdp.split("\r\n")) {
      if (line.startsWith("a=mid:")) {
        mids.add(line.substring(6));
      }
    }
    return mids;
  }

  /**
   * A low-water mark: onBufferedAmountLow fires once what SCTP holds falls to the threshold, long
   * before the last byte is acknowledged, and bufferedAmount is current after every input.
   */
  @Test
  void bufferedAmountLowFiresAtTheThresholdSet() {
    SimNetwork net =
        new SimNetwork(31).setDelayNanos(25 * MS).setBandwidth(2_000_000 / 8, 200 * MS);
    SimCall call = new SimCall(31, net);
    DataChannel ch =
        call.offerer.core.createDataChannel(
            call.clock.nanoTime(), "bulk", DataChannelInit.RELIABLE);
    ch.setBufferedAmountLowThreshold(64 * 1024);
    assertEquals(64 * 1024, ch.bufferedAmountLowThreshold());
    assertTrue(call.connect(5 * SECOND), call::toString);
    assertTrue(call.runUntil(ch::isOpen, 2 * SECOND), call::toString);
    byte[] chunk = new byte[16 * 1024];
    for (int i = 0; i < 32; i++) {
      ch.send(chunk); // 512 KiB, far more than the congestion window lets out at once
    }
    long[] lowAt = {-1};
    assertTrue(
        call.runUntil(
            () -> {
              if (lowAt[0] < 0 && call.offerer.lowEvents > 0) {
                lowAt[0] = ch.bufferedAmount();
              }
              return call.answerer.messages.size() == 32;
            },
            30 * SECOND),
        call::toString);
    assertTrue(lowAt[0] >= 0 && lowAt[0] <= 64 * 1024, "low at " + lowAt[0] + " bytes");
    assertEquals(1, call.offerer.lowEvents, "once, on the way down");
    assertEquals(0, ch.bufferedAmount());
    org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> ch.setBufferedAmountLowThreshold(-1));
  }

  /**
   * Partial reliability at 20% loss with reordering and duplicates (this replaces a real-socket
   * test): with five retransmissions allowed next to nothing may go (0.2^6 per single-chunk
   * message); with none allowed some do; never is a message delivered twice, and the ordered one
   * never goes backwards.
   */
  @Test
  void partiallyReliableChannelsLoseOnlyWhatTheirLimitAllows() {
    SimNetwork net = new SimNetwork(14).setDelayNanos(20 * MS);
    SimCall call = new SimCall(14, net);
    long now = call.clock.nanoTime();
    DataChannel five =
        call.offerer.core.createDataChannel(
            now, "five", DataChannelInit.RELIABLE.withOrdered(false).withMaxRetransmits(5));
    DataChannel none =
        call.offerer.core.createDataChannel(
            now, "none", DataChannelInit.RELIABLE.withMaxRetransmits(0));
    assertTrue(call.connect(5 * SECOND), call::toString);
    assertTrue(call.runUntil(() -> five.isOpen() && none.isOpen(), 5 * SECOND), call::toString);
    net.setLossRate(0.2).setReorder(0.05, 30 * MS, 60 * MS).setDuplicateRate(0.03);
    int count = 300;
    for (int i = 0; i < count; i++) {
      five.send(Integer.toString(i));
      none.send(Integer.toString(i));
    }
    assertTrue(
        call.runUntil(() -> five.bufferedAmount() == 0 && none.bufferedAmount() == 0, 60 * SECOND),
        call::toString);
    // The last retransmissions and FORWARD TSNs: an abandoned message between chunks of the other
    // channel that arrived can be skipped only once those are acknowledged cumulatively (RFC 3758
    // 3.5 C2, as libwebrtc's dcsctp does it), so the ordered channel's holes close one per round
    // trip, and what waits behind them comes out as they do.
    call.run(30 * SECOND);
    Set<Integer> gotFive = new HashSet<>();
    Set<Integer> gotNone = new HashSet<>();
    int lastNone = -1;
    for (int k = 0; k < call.answerer.messages.size(); k++) {
      int index = Integer.parseInt(call.answerer.messages.get(k));
      if (call.answerer.messageChannels.get(k).equals("five")) {
        assertTrue(gotFive.add(index), "delivered twice: " + index);
      } else {
        assertTrue(gotNone.add(index), "delivered twice: " + index);
        assertTrue(index > lastNone, "the ordered channel went backwards at " + index);
        lastNone = index;
      }
    }
    System.out.printf(
        "partial reliability at 20%% loss: maxRetransmits 5 delivered %d of %d, 0 delivered %d%n",
        gotFive.size(), count, gotNone.size());
    assertTrue(gotFive.size() >= count - 2, "five retransmissions: " + gotFive.size());
    assertTrue(gotNone.size() < count, "with no retransmissions something was lost");
    // Not asserted: how much of the maxRetransmits-0 channel arrives. Runs deliver 0 to 46%
    // (54% at 20% loss with no reordering), less than the 80% the loss rate alone allows; the
    // real-socket test this replaces saw more than half by luck of timing. Left for a peer-sctp
    // issue: what the sender abandons beyond what was lost.
  }

  /**
   * bufferedAmount is the real number through an outage (this replaces a real-socket test): it
   * counts every byte as soon as {@code send} returns, stays up while the path is dead, since no
   * SACK comes back, and falls to 0 once all is delivered; onBufferedAmountLow fired on the way
   * (here it once waited for the next datagram: SCTP said it while pollTransmit pulled the last
   * packet, and only an input drained SCTP's events).
   */
  @Test
  void bufferedAmountCountsWhatWaitsThroughAnOutageAndFallsToZero() {
    SimNetwork net = new SimNetwork(13).setDelayNanos(10 * MS);
    SimCall call = new SimCall(13, net);
    DataChannel ch =
        call.offerer.core.createDataChannel(
            call.clock.nanoTime(), "bulk", DataChannelInit.RELIABLE);
    assertTrue(call.connect(5 * SECOND), call::toString);
    assertTrue(call.runUntil(ch::isOpen, 5 * SECOND), call::toString);
    net.blackhole(call.answerer.address);
    int count = 100;
    long total = 0;
    for (int i = 0; i < count; i++) {
      byte[] m = new byte[16_384];
      total += m.length;
      ch.send(m);
      assertEquals(total, ch.bufferedAmount(), "counted as soon as send() returns");
    }
    long lowest = Long.MAX_VALUE;
    for (int i = 0; i < 15; i++) {
      call.run(100 * MS);
      lowest = Math.min(lowest, ch.bufferedAmount());
    }
    // nothing arrives, so nothing is acknowledged: all of it still waits
    // at most what the congestion window let out before the outage showed can have left
    assertTrue(
        lowest > total - 64 * 1024 && lowest <= total,
        "during the outage most bytes still wait: " + lowest + " of " + total);
    net.restore(call.answerer.address);
    assertTrue(
        call.runUntil(() -> call.answerer.messages.size() == count, 60 * SECOND), call::toString);
    assertTrue(call.runUntil(() -> ch.bufferedAmount() == 0, 5 * SECOND), call::toString);
    assertTrue(call.offerer.lowEvents > 0, "onBufferedAmountLow fired");
  }

  /**
   * Connecting through loss (this replaces a real-socket test through an impairing relay): ten
   * calls per loss rate, 5% of datagrams held back 30-60 ms and 3% duplicated on top; every one
   * reaches COMPLETED on both sides. Connect times (virtual, from the answer) are printed; only a
   * generous bound is asserted, since the DTLS handshake thread works in wall time.
   */
  @ParameterizedTest(name = "{0}% loss")
  @ValueSource(ints = {10, 20})
  void everyCallConnectsThroughLoss(int lossPercent) {
    List<Long> millis = new ArrayList<>();
    for (int trial = 0; trial < 10; trial++) {
      long seed = 1000L * lossPercent + trial;
      SimNetwork net =
          new SimNetwork(seed)
              .setLossRate(lossPercent / 100.0)
              .setDelayNanos(10 * MS)
              .setReorder(0.05, 30 * MS, 60 * MS)
              .setDuplicateRate(0.03);
      SimCall call = new SimCall(seed, net);
      call.negotiate();
      long start = call.elapsedNanos();
      assertTrue(
          call.runUntil(() -> call.bothIn(PeerConnectionState.COMPLETED), 20 * SECOND),
          "trial " + trial + ": " + call);
      millis.add((call.elapsedNanos() - start) / MS);
    }
    java.util.Collections.sort(millis);
    System.out.printf(
        "connect through %d%% loss (+5%% reordered 30-60 ms, 3%% duplicated), virtual time:"
            + " median %d ms, worst %d ms, all %s%n",
        lossPercent, millis.get(5), millis.get(9), millis);
    assertTrue(millis.get(5) < 5_000, "median " + millis.get(5) + " ms");
  }
}
