package io.github.jpeer;

import static io.github.jpeer.SimCall.MS;
import static io.github.jpeer.SimCall.SECOND;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jpeer.testkit.SimStreams;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whole calls over ICE-TCP only (RFC 6544), two {@link PeerCore}s over simulated TCP in virtual
 * time: connectivity checks, DTLS, SRTP and SCTP all ride RFC 4571 frames that arrive cut into
 * pieces (one byte at a time, or random sizes spanning frames), as a real socket's short reads do.
 */
class WholeCallTcpSimTest {
  private static final int FRAMES = 100;
  private static final String OFFERER_HELLO = "hello over tcp from the offerer";
  private static final String ANSWERER_HELLO = "hello over tcp from the answerer, a bit longer";

  static Stream<Arguments> callsAndChunks() {
    Stream.Builder<Arguments> b = Stream.builder();
    for (boolean offererSecond : new boolean[] {false, true}) {
      for (boolean answererDials : new boolean[] {false, true}) {
        b.add(Arguments.of(offererSecond, answererDials, 1, 1));
        b.add(Arguments.of(offererSecond, answererDials, 1, 3000));
      }
    }
    return b.build();
  }

  private static SimCall tcpCall(long seed, boolean offererSecond, int chunkMin, int chunkMax) {
    SimStreams streams =
        new SimStreams(seed).setDelayNanos(10 * MS).setChunkSizes(chunkMin, chunkMax);
    return SimCall.tcpOnly(seed, streams, offererSecond, b -> {});
  }

  /**
   * Over TCP alone the call connects without a dip, and carries audio and data channel messages
   * (one of them many SCTP packets long) both ways, complete and in order, however the bytes are
   * cut; its selected pair is one connection, dialled by the side whose candidate is active. The
   * controlling offerer dials the answerer's listener; if that refuses, the answerer dials the
   * offerer's and the offerer nominates the connection it accepted.
   */
  @ParameterizedTest(
      name = "offerer at the second address={0}, answerer dials={1}, chunks {2}..{3} bytes")
  @MethodSource("callsAndChunks")
  void aCallOverTcpCarriesAudioAndMessagesBothWays(
      boolean offererSecond, boolean answererDials, int chunkMin, int chunkMax) {
    SimCall call = tcpCall(40 + chunkMax, offererSecond, chunkMin, chunkMax);
    if (answererDials) {
      call.streams.unlisten(call.answerer.tcpListeners.get(0));
    }
    DataChannel chat =
        call.offerer.core.createDataChannel(
            call.clock.nanoTime(), "tcp-chat", DataChannelInit.RELIABLE);
    assertTrue(call.connect(10 * SECOND), call::toString);
    for (SimCall.Side s : List.of(call.offerer, call.answerer)) {
      List<String> candidates =
          s.completeDescription
              .lines()
              .filter(l -> l.startsWith("a=candidate:"))
              .distinct() // each m-section repeats them
              .collect(Collectors.toList());
      assertEquals(2, candidates.size(), s.name + ": " + candidates);
      assertTrue(
          candidates.stream().allMatch(l -> l.contains(" tcp ")),
          s.name + ", no UDP candidate: " + candidates);
      String ip = s.address.getAddress().getHostAddress();
      assertTrue(
          candidates.stream()
              .anyMatch(l -> l.contains(ip + " " + SimCall.TCP_PORT + " typ host tcptype passive")),
          candidates::toString);
      assertTrue(
          candidates.stream().anyMatch(l -> l.contains(ip + " 9 typ host tcptype active")),
          candidates::toString);
    }

    call.audioBothWays(FRAMES);
    assertTrue(
        call.runUntil(() -> chat.isOpen() && call.answerer.channel("tcp-chat") != null, SECOND),
        call::toString);
    String big = bigMessage(20_000);
    chat.send(OFFERER_HELLO);
    chat.send(big);
    DataChannel atAnswerer = call.answerer.channel("tcp-chat");
    atAnswerer.send(ANSWERER_HELLO);
    atAnswerer.send(big.toUpperCase(java.util.Locale.ROOT));
    assertTrue(
        call.runUntil(
            () ->
                call.offerer.audioSequence.size() == FRAMES
                    && call.answerer.audioSequence.size() == FRAMES
                    && call.offerer.messages.size() == 2
                    && call.answerer.messages.size() == 2,
            FRAMES * 20 * MS + 2 * SECOND),
        call::toString);
    call.run(SECOND); // nothing more, nothing twice

    assertEquals(List.of(OFFERER_HELLO, big), call.answerer.messages);
    assertEquals(
        List.of(ANSWERER_HELLO, big.toUpperCase(java.util.Locale.ROOT)), call.offerer.messages);
    List<Integer> all = IntStream.range(0, FRAMES).boxed().collect(Collectors.toList());
    assertEquals(all, call.answerer.audioSequence, "every frame, once, in order");
    assertEquals(all, call.offerer.audioSequence, "every frame, once, in order");

    PeerStats o = call.offerer.core.stats();
    PeerStats a = call.answerer.core.stats();
    for (PeerStats st : List.of(o, a)) {
      assertNotNull(st.srtpProfile(), "SRTP keyed from DTLS: " + st);
      assertEquals(FRAMES, st.audio().packetsSent(), st::toString);
      assertEquals(FRAMES, st.audio().packetsReceived(), st::toString);
      assertEquals(0, st.audio().packetsLost(), st::toString);
      assertEquals(Map.of(), st.dropped(), "nothing dropped on a clean stream");
      PeerStats.ChannelStats ch = st.dataChannels().get(0);
      assertEquals(2, ch.messagesSent());
      assertEquals(2, ch.messagesReceived());
      int mine = st == o ? OFFERER_HELLO.length() : ANSWERER_HELLO.length();
      int theirs = st == o ? ANSWERER_HELLO.length() : OFFERER_HELLO.length();
      assertEquals(big.length() + mine, ch.bytesSent(), ch::toString);
      assertEquals(big.length() + theirs, ch.bytesReceived(), ch::toString);
    }
    assertEquals(o.srtpProfile(), a.srtpProfile());
    assertEquals(0, call.offerer.streamDropped, "no packet sent on a passive end it has not got");
    assertEquals(0, call.answerer.streamDropped, "no packet sent on a passive end it has not got");
    for (SimCall.Side s : List.of(call.offerer, call.answerer)) {
      // the bytes really came in the pieces asked for: the 20 KB message at least
      assertTrue(s.streamBytesRead > 20_000, s.name + " read " + s.streamBytesRead);
      assertTrue(s.streamReads <= s.streamBytesRead, s.name);
      if (chunkMax == 1) {
        assertEquals(s.streamBytesRead, s.streamReads, s.name + " read one byte at a time");
      } else {
        assertTrue(s.streamReads < s.streamBytesRead / 10, s.name + " read bigger pieces");
      }
    }
    assertSelectedPairIsOneConnection(call);
    // With the answerer's listener refusing, the offerer's one dialled pair fails at once, but its
    // passive candidate still waits for the answerer's connection: no FAILED ("will not recover")
    // on the way to COMPLETED.
    for (SimCall.Side s : List.of(call.offerer, call.answerer)) {
      assertEquals(
          List.of(
              PeerConnectionState.CHECKING,
              PeerConnectionState.CONNECTED,
              PeerConnectionState.COMPLETED),
          s.states,
          s.name + ", no dip: " + call);
    }
  }

  /**
   * Both selected pairs are TCP, one end active and one passive, and they name the same simulated
   * connection: the active side dialled it from its IP to the passive side's listener. The pair
   * that lost was pruned, so that connection is the only one left.
   */
  private static void assertSelectedPairIsOneConnection(SimCall call) {
    PeerStats.CandidatePairStats o = call.offerer.core.stats().candidatePair();
    PeerStats.CandidatePairStats a = call.answerer.core.stats().candidatePair();
    assertEquals("tcp", o.protocol(), o::toString);
    assertEquals("tcp", a.protocol(), a::toString);
    assertEquals(Set.of("active", "passive"), Set.of(o.tcpType(), a.tcpType()), o + " / " + a);
    boolean offererDials = o.tcpType().equals("active");
    SimCall.Side dialler = offererDials ? call.offerer : call.answerer;
    SimCall.Side listener = offererDials ? call.answerer : call.offerer;
    PeerStats.CandidatePairStats active = offererDials ? o : a;
    PeerStats.CandidatePairStats passive = offererDials ? a : o;
    assertEquals(new InetSocketAddress(dialler.address.getAddress(), 9), active.local());
    assertEquals(listener.tcpListeners.get(0), active.remote());
    assertEquals(listener.tcpListeners.get(0), passive.local());
    assertEquals(dialler.address.getAddress(), passive.remote().getAddress());

    SimCall.TcpLink out = call.selectedLink(dialler);
    SimCall.TcpLink in = call.selectedLink(listener);
    assertEquals(out.end.local(), in.end.remote(), "the two ends of one connection");
    assertEquals(out.end.remote(), in.end.local(), "the two ends of one connection");
    assertTrue(listener.accepted.contains(in.end), listener.accepted::toString);
    assertTrue(call.streams.isOpen(out.end) && call.streams.isOpen(in.end));
    assertEquals(1, call.streams.connections(), "the losing pair's connection was closed: " + call);
  }

  /** How the call's connection goes away, and at which of its ends. */
  enum Cut {
    RESET_AT_THE_DIALLER,
    RESET_AT_THE_LISTENER,
    CLOSED_BY_THE_DIALLER,
    CLOSED_BY_THE_LISTENER
  }

  /**
   * The call's only path is its TCP connection: when that breaks (reset) or one driver closes it,
   * both cores leave COMPLETED for FAILED as soon as they hear of it, not after a consent timeout,
   * and stay there quietly: no redial, no exception out of a core while time goes on.
   */
  @ParameterizedTest
  @EnumSource(Cut.class)
  void losingTheCallsConnectionFailsBothSidesAtOnce(Cut cut) {
    SimCall call = tcpCall(60 + cut.ordinal(), cut.ordinal() % 2 == 1, 1, 1500);
    call.upWithAudio();
    assertTrue(call.bothIn(PeerConnectionState.COMPLETED), call::toString);
    assertEquals(1, call.streams.connections(), call::toString);
    SimCall.Side dialler =
        call.offerer.core.stats().candidatePair().tcpType().equals("active")
            ? call.offerer
            : call.answerer;
    SimCall.Side listener = dialler == call.offerer ? call.answerer : call.offerer;
    SimCall.TcpLink link =
        call.selectedLink(
            cut == Cut.RESET_AT_THE_DIALLER || cut == Cut.CLOSED_BY_THE_DIALLER
                ? dialler
                : listener);
    int offererStates = call.offerer.states.size();
    int answererStates = call.answerer.states.size();
    int offererAudio = call.offerer.audioSequence.size();
    int offererLost = call.offerer.streamsLost.size();
    int answererLost = call.answerer.streamsLost.size();
    long connects = call.streams.connectCount();
    assertTrue(offererAudio > 40, "audio flowed: " + call);

    long cutAt = call.elapsedNanos();
    if (cut == Cut.RESET_AT_THE_DIALLER || cut == Cut.RESET_AT_THE_LISTENER) {
      call.streams.reset(call.clock.nanoTime(), link.end);
    } else {
      call.hangUp(link);
    }
    assertTrue(
        call.runUntil(() -> call.bothIn(PeerConnectionState.FAILED), SECOND), call::toString);
    long tookNanos = call.elapsedNanos() - cutAt;
    // a reset reaches both ends at once; a close reaches the far end one delay (10 ms) later
    long bound = cut.name().startsWith("RESET") ? MS : 10 * MS;
    assertTrue(tookNanos <= bound, "failed after " + tookNanos / 1e6 + " ms: " + call);

    assertDoesNotThrow(() -> call.run(10 * SECOND), "time goes on past the failure");
    for (SimCall.Side s : List.of(call.offerer, call.answerer)) {
      int before = s == call.offerer ? offererStates : answererStates;
      assertEquals(
          List.of(PeerConnectionState.FAILED),
          s.states.subList(before, s.states.size()),
          s.name + " went straight from COMPLETED to FAILED and stayed");
      assertEquals(PeerConnectionState.FAILED, s.state());
      assertNotNull(s.core.failureReason(), s.name);
      assertNull(s.core.stats().candidatePair(), s.name + ": no selected pair left");
      List<SimStreams.End> lostNow =
          s.streamsLost.subList(
              s == call.offerer ? offererLost : answererLost, s.streamsLost.size());
      assertEquals(1, lostNow.size(), s.name + " told of its end once: " + s.streamsLost);
      SimStreams.End lost = lostNow.get(0);
      SimStreams.End farEnd = new SimStreams.End(link.end.remote(), link.end.local());
      assertTrue(lost.equals(link.end) || lost.equals(farEnd), s.name + " lost " + lost);
      assertEquals(0, s.streamDropped, s.name);
      assertTrue(s.links.isEmpty(), s.name + ": " + s.links);
    }
    assertEquals(connects, call.streams.connectCount(), "no redial after FAILED: " + call);
    assertEquals(0, call.streams.connections(), call::toString);
    List<Integer> got = call.offerer.audioSequence;
    assertEquals(
        IntStream.range(0, got.size()).boxed().collect(Collectors.toList()),
        got,
        "what arrived before the cut arrived in order, none after");
    assertTrue(got.size() - offererAudio <= 2, "at most what was in flight: " + call);
  }

  private static String bigMessage(int length) {
    StringBuilder sb = new StringBuilder(length);
    for (int i = 0; sb.length() < length; i++) {
      sb.append("chunk ").append(i).append(' ');
    }
    sb.setLength(length);
    return sb.toString();
  }
}
