package io.github.jpeer.sctp;

import static io.github.jpeer.sctp.SctpPair.of;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jpeer.sctp.SctpAssociation.State;
import io.github.jpeer.sctp.SctpEvent.ChannelClosed;
import io.github.jpeer.sctp.SctpEvent.ChannelOpen;
import io.github.jpeer.sctp.SctpEvent.Message;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SctpAssociationTest {

  @Test
  void connectWhenOnlyTheClientInitiates() {
    SctpPair pair = new SctpPair(1, SctpPair.fastConfig());
    pair.a.connect(pair.now());
    pair.runUntil(pair::bothUp, 5_000);
    assertEquals(1, of(pair.eventsA, SctpEvent.Connected.class).size());
    assertEquals(1, of(pair.eventsB, SctpEvent.Connected.class).size());
  }

  @Test
  void connectWhenOnlyTheServerInitiates() {
    SctpPair pair = new SctpPair(2, SctpPair.fastConfig());
    pair.b.connect(pair.now());
    pair.runUntil(pair::bothUp, 5_000);
  }

  @Test
  void simultaneousOpenCollisionEstablishesOnce() {
    // RFC 9260 5.2.1 / 5.2.4: both INITs cross on the wire, as browsers do
    SctpPair pair = new SctpPair(3, SctpPair.fastConfig());
    pair.connectBoth();
    pair.runFor(3_000);
    assertEquals(1, of(pair.eventsA, SctpEvent.Connected.class).size());
    assertEquals(1, of(pair.eventsB, SctpEvent.Connected.class).size());
    assertTrue(pair.bothUp());
    // and the association works both ways
    int id = pair.a.openChannel(pair.now(), DataChannelConfig.reliable("x"));
    pair.runUntil(() -> !of(pair.eventsB, ChannelOpen.class).isEmpty(), 2_000);
    pair.b.send(pair.now(), id, "pong".getBytes(StandardCharsets.UTF_8), false);
    pair.runUntil(() -> !of(pair.eventsA, Message.class).isEmpty(), 2_000);
  }

  @Test
  void simultaneousOpenWithLossEventuallyConnects() {
    for (long seed = 10; seed < 20; seed++) {
      SctpPair pair = new SctpPair(seed, SctpPair.fastConfig());
      pair.net.setLossRate(0.3).setJitterNanos(5_000_000);
      pair.connectBoth();
      pair.runFor(2_000);
      assertTrue(pair.bothUp(), "seed " + seed);
      assertEquals(1, of(pair.eventsA, SctpEvent.Connected.class).size());
      assertEquals(1, of(pair.eventsB, SctpEvent.Connected.class).size());
    }
  }

  @Test
  void handshakeGivesUpWhenNobodyAnswers() {
    SctpPair pair = new SctpPair(4, SctpPair.fastConfig());
    pair.net.setLossRate(1.0);
    pair.a.connect(pair.now());
    pair.runUntil(pair.a::isEnded, 120_000);
    SctpEvent last = pair.eventsA.get(pair.eventsA.size() - 1);
    assertTrue(last instanceof SctpEvent.Aborted, last.toString());
  }

  @Test
  void dcepChannelFromClientGetsEvenIdAndFromServerOdd() {
    SctpPair pair = new SctpPair(5, SctpPair.fastConfig());
    pair.connectBoth();
    int fromA =
        pair.a.openChannel(pair.now(), DataChannelConfig.reliable("chat").withProtocol("p1"));
    int fromA2 = pair.a.openChannel(pair.now(), DataChannelConfig.reliable("second"));
    int fromB =
        pair.b.openChannel(
            pair.now(),
            DataChannelConfig.reliable("srv")
                .withOrdered(false)
                .withMaxRetransmits(3)
                .withPriority(512));
    assertEquals(0, fromA);
    assertEquals(2, fromA2);
    assertEquals(1, fromB);
    pair.runUntil(
        () ->
            of(pair.eventsB, ChannelOpen.class).size() == 3
                && of(pair.eventsA, ChannelOpen.class).size() == 3,
        2_000);
    ChannelOpen remoteOnB =
        of(pair.eventsB, ChannelOpen.class).stream()
            .filter(ChannelOpen::remote)
            .findFirst()
            .orElseThrow();
    assertEquals(
        new ChannelInfo(0, "chat", "p1", ChannelType.RELIABLE, 0, 256, false), remoteOnB.info());
    ChannelOpen remoteOnA =
        of(pair.eventsA, ChannelOpen.class).stream()
            .filter(ChannelOpen::remote)
            .findFirst()
            .orElseThrow();
    assertEquals(
        new ChannelInfo(1, "srv", "", ChannelType.PARTIAL_RELIABLE_REXMIT_UNORDERED, 3, 512, false),
        remoteOnA.info());
    // messages flow both ways on the remote-opened channel
    pair.a.send(pair.now(), 1, "to b".getBytes(StandardCharsets.UTF_8), false);
    pair.b.send(pair.now(), 0, new byte[] {1, 2, 3}, true);
    pair.runUntil(
        () ->
            !of(pair.eventsA, Message.class).isEmpty()
                && !of(pair.eventsB, Message.class).isEmpty(),
        2_000);
    Message atA = of(pair.eventsA, Message.class).get(0);
    assertEquals(0, atA.streamId());
    assertArrayEquals(new byte[] {1, 2, 3}, atA.data());
    assertTrue(atA.binary());
    Message atB = of(pair.eventsB, Message.class).get(0);
    assertEquals("to b", new String(atB.data(), StandardCharsets.UTF_8));
    assertFalse(atB.binary());
  }

  @Test
  void channelOpenedBeforeConnectIsQueued() {
    SctpPair pair = new SctpPair(6, SctpPair.fastConfig());
    int id = pair.a.openChannel(pair.now(), DataChannelConfig.reliable("early"));
    assertThrows(IllegalStateException.class, () -> pair.a.send(pair.now(), id, new byte[1], true));
    assertTrue(pair.eventsA.isEmpty());
    pair.connectBoth();
    pair.runUntil(() -> !of(pair.eventsB, ChannelOpen.class).isEmpty(), 2_000);
    assertEquals("early", of(pair.eventsB, ChannelOpen.class).get(0).info().label());
    assertEquals(id, of(pair.eventsA, ChannelOpen.class).get(0).info().streamId());
  }

  @Test
  void negotiatedChannelNeedsNoDcep() {
    SctpPair pair = new SctpPair(7, SctpPair.fastConfig());
    DataChannelConfig cfg = DataChannelConfig.reliable("neg").withNegotiatedId(7);
    assertEquals(7, pair.a.openChannel(pair.now(), cfg));
    assertEquals(7, pair.b.openChannel(pair.now(), cfg));
    pair.connectBoth();
    pair.flush();
    assertTrue(of(pair.eventsA, ChannelOpen.class).get(0).info().negotiated());
    pair.a.send(pair.now(), 7, "hi".getBytes(StandardCharsets.UTF_8), false);
    pair.runUntil(() -> !of(pair.eventsB, Message.class).isEmpty(), 2_000);
    assertEquals(7, of(pair.eventsB, Message.class).get(0).streamId());
    // nothing announced a remote channel: no DCEP went over the wire
    assertTrue(of(pair.eventsB, ChannelOpen.class).stream().noneMatch(ChannelOpen::remote));
    assertThrows(IllegalArgumentException.class, () -> pair.a.openChannel(pair.now(), cfg));
  }

  @Test
  void emptyMessagesArriveEmpty() {
    SctpPair pair = new SctpPair(8, SctpPair.fastConfig());
    pair.connectBoth();
    int id = pair.a.openChannel(pair.now(), DataChannelConfig.reliable("e"));
    pair.a.send(pair.now(), id, new byte[0], false);
    pair.a.send(pair.now(), id, ByteBuffer.allocate(0), true);
    pair.runUntil(() -> of(pair.eventsB, Message.class).size() == 2, 2_000);
    List<Message> got = of(pair.eventsB, Message.class);
    assertEquals(0, got.get(0).data().length);
    assertFalse(got.get(0).binary());
    assertEquals(0, got.get(1).data().length);
    assertTrue(got.get(1).binary());
  }

  @Test
  void messageLargerThanRemoteMaxIsRejectedWithBothSizes() {
    SctpPair pair = new SctpPair(9, SctpPair.fastConfig());
    pair.connectBoth();
    pair.a.setRemoteMaxMessageSize(65_536);
    int id = pair.a.openChannel(pair.now(), DataChannelConfig.reliable("big"));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> pair.a.send(pair.now(), id, new byte[65_537], true));
    assertTrue(e.getMessage().contains("65537"), e.getMessage());
    assertTrue(e.getMessage().contains("65536"), e.getMessage());
    // exactly the limit is fine and arrives whole
    byte[] max = new byte[65_536];
    max[65_535] = 9;
    pair.a.send(pair.now(), id, max, true);
    pair.runUntil(() -> !of(pair.eventsB, Message.class).isEmpty(), 5_000);
    assertArrayEquals(max, of(pair.eventsB, Message.class).get(0).data());
  }

  @Test
  void messageBeyondOurMaxMessageSizeIsDroppedNotDelivered() {
    SctpConfig small = SctpPair.fastConfig().toBuilder().maxMessageSize(1000).build();
    SctpPair pair = new SctpPair(10, SctpPair.fastConfig(), small);
    pair.connectBoth();
    int id = pair.a.openChannel(pair.now(), DataChannelConfig.reliable("x"));
    pair.a.send(pair.now(), id, new byte[5000], true);
    pair.a.send(pair.now(), id, new byte[10], true);
    pair.runUntil(() -> !of(pair.eventsB, Message.class).isEmpty(), 5_000);
    assertEquals(10, of(pair.eventsB, Message.class).get(0).data().length);
    assertEquals(1, pair.b.stats().droppedMessages());
  }

  @Test
  void closeChannelFromEitherSideResetsStreamsAndFreesTheId() {
    for (boolean fromClient : new boolean[] {true, false}) {
      SctpPair pair = new SctpPair(11, SctpPair.fastConfig());
      pair.connectBoth();
      int id = pair.a.openChannel(pair.now(), DataChannelConfig.reliable("c"));
      pair.runUntil(() -> !of(pair.eventsB, ChannelOpen.class).isEmpty(), 2_000);
      SctpAssociation closer = fromClient ? pair.a : pair.b;
      // data queued before the close still arrives
      pair.a.send(pair.now(), id, "last".getBytes(StandardCharsets.UTF_8), false);
      closer.closeChannel(pair.now(), id);
      pair.runUntil(
          () ->
              !of(pair.eventsA, ChannelClosed.class).isEmpty()
                  && !of(pair.eventsB, ChannelClosed.class).isEmpty(),
          5_000);
      assertEquals(1, of(pair.eventsB, Message.class).size());
      assertTrue(pair.a.channel(id).isEmpty());
      assertTrue(pair.b.channel(id).isEmpty());
      assertThrows(
          IllegalStateException.class, () -> pair.a.send(pair.now(), id, new byte[1], true));
      // the id is reused and the new channel starts from SSN 0 on both sides
      int again = pair.a.openChannel(pair.now(), DataChannelConfig.reliable("again"));
      assertEquals(id, again);
      pair.runUntil(() -> of(pair.eventsB, ChannelOpen.class).size() == 2, 2_000);
      pair.a.send(pair.now(), again, "new".getBytes(StandardCharsets.UTF_8), false);
      pair.runUntil(() -> of(pair.eventsB, Message.class).size() == 2, 2_000);
      assertTrue(pair.bothUp());
    }
  }

  @Test
  void gracefulShutdownDeliversQueuedDataThenCloses() {
    SctpPair pair = new SctpPair(12, SctpPair.fastConfig());
    pair.net.setLossRate(0.1);
    pair.connectBoth();
    int id = pair.a.openChannel(pair.now(), DataChannelConfig.reliable("s"));
    for (int i = 0; i < 50; i++) {
      pair.a.send(pair.now(), id, new byte[3000], true);
    }
    pair.a.shutdown(pair.now());
    assertThrows(IllegalStateException.class, () -> pair.a.send(pair.now(), id, new byte[1], true));
    pair.runUntil(() -> pair.a.isEnded() && pair.b.isEnded(), 60_000);
    assertEquals(50, of(pair.eventsB, Message.class).size());
    assertTrue(pair.eventsA.get(pair.eventsA.size() - 1) instanceof SctpEvent.Closed);
    assertTrue(pair.eventsB.get(pair.eventsB.size() - 1) instanceof SctpEvent.Closed);
    assertEquals(1, of(pair.eventsB, ChannelClosed.class).size());
    assertEquals(Long.MAX_VALUE, pair.a.pollTimeoutNanos());
  }

  @Test
  void shutdownNowWithDataInFlightClosesBothSidesWithoutAbort() {
    SctpPair pair = new SctpPair(14, SctpPair.fastConfig());
    pair.connectBoth();
    int id = pair.a.openChannel(pair.now(), DataChannelConfig.reliable("n"));
    pair.runUntil(() -> !of(pair.eventsB, ChannelOpen.class).isEmpty(), 2_000);
    pair.net.setDelayNanos(20_000_000);
    pair.a.send(pair.now(), id, new byte[500], true);
    pair.a.closeAllChannels(pair.now());
    pair.flush(); // DATA and RE-CONFIG leave; nothing is due yet, so nothing is acknowledged
    assertFalse(pair.a.hasUnsentData());
    pair.a.shutdownNow(pair.now());
    pair.runUntil(() -> pair.a.isEnded() && pair.b.isEnded(), 10_000);
    assertEquals(1, of(pair.eventsB, Message.class).size());
    assertEquals(1, of(pair.eventsB, ChannelClosed.class).size());
    assertTrue(of(pair.eventsA, SctpEvent.Aborted.class).isEmpty(), () -> "" + pair.eventsA);
    assertTrue(of(pair.eventsB, SctpEvent.Aborted.class).isEmpty(), () -> "" + pair.eventsB);
    assertFalse(of(pair.eventsB, SctpEvent.Closed.class).isEmpty());
  }

  @Test
  void abortEndsBothSidesWithTheReason() {
    SctpPair pair = new SctpPair(13, SctpPair.fastConfig());
    pair.connectBoth();
    pair.b.abort(pair.now(), "bye now");
    pair.runUntil(pair.a::isEnded, 1_000);
    SctpEvent.Aborted atA = of(pair.eventsA, SctpEvent.Aborted.class).get(0);
    assertTrue(atA.byRemote());
    assertTrue(atA.reason().contains("bye now"), atA.reason());
    assertFalse(of(pair.eventsB, SctpEvent.Aborted.class).get(0).byRemote());
    assertEquals(State.CLOSED, pair.a.state());
  }

  @Test
  void heartbeatsMeasureRttWhileIdleAndDetectADeadPeer() {
    SctpConfig cfg =
        SctpPair.fastConfig().toBuilder()
            .heartbeatIntervalMillis(1_000)
            .maxAssociationRetransmits(3)
            .build();
    SctpPair pair = new SctpPair(14, cfg);
    pair.net.setDelayNanos(40_000_000);
    pair.connectBoth();
    pair.runFor(10_000);
    SctpStats s = pair.a.stats();
    assertTrue(s.heartbeatsSent() >= 5, s.toString());
    assertTrue(s.heartbeatAcksReceived() >= 5, s.toString());
    assertEquals(80, s.srttMillis(), s.toString());
    assertTrue(pair.bothUp());
    // the peer vanishes: heartbeats go unanswered and the association fails
    pair.net.blackhole(SctpPair.ADDR_B);
    pair.runUntil(pair.a::isEnded, 60_000);
    assertTrue(of(pair.eventsA, SctpEvent.Aborted.class).get(0).reason().contains("heartbeat"));
  }

  @Test
  void bufferedAmountFallsAndLowEventFires() {
    SctpPair pair = new SctpPair(15, SctpPair.fastConfig());
    pair.connectBoth();
    int id = pair.a.openChannel(pair.now(), DataChannelConfig.reliable("b"));
    pair.a.setBufferedAmountLowThreshold(id, 10_000);
    for (int i = 0; i < 20; i++) {
      pair.a.send(pair.now(), id, new byte[5_000], true);
    }
    assertEquals(100_000, pair.a.bufferedAmount(id));
    pair.runUntil(() -> of(pair.eventsB, Message.class).size() == 20, 10_000);
    assertEquals(0, pair.a.bufferedAmount(id));
    List<SctpEvent.BufferedAmountLow> low = of(pair.eventsA, SctpEvent.BufferedAmountLow.class);
    assertEquals(1, low.size());
    assertTrue(low.get(0).bufferedAmount() <= 10_000);
  }

  @Test
  void configuredPortsAreUsedAndCheckedOnReceive() {
    SctpConfig cfgA = SctpPair.fastConfig().toBuilder().localPort(5001).remotePort(5002).build();
    SctpConfig cfgB = SctpPair.fastConfig().toBuilder().localPort(5002).remotePort(5001).build();
    SctpPair pair = new SctpPair(16, cfgA, cfgB);
    pair.a.connect(pair.now());
    byte[] init = pair.a.pollTransmit();
    assertNotNull(init);
    assertEquals(5001, ((init[0] & 0xFF) << 8) | (init[1] & 0xFF));
    assertEquals(5002, ((init[2] & 0xFF) << 8) | (init[3] & 0xFF));
    pair.b.handleReceive(pair.now(), init, 0, init.length);
    pair.runUntil(pair::bothUp, 5_000);
    // a peer on the default port is not us
    SctpPair other = new SctpPair(16, SctpPair.fastConfig(), cfgB);
    other.a.connect(other.now());
    byte[] wrongPort = other.a.pollTransmit();
    other.b.handleReceive(other.now(), wrongPort, 0, wrongPort.length);
    assertEquals(1, other.b.stats().badPorts());
    assertEquals(0, other.b.stats().badVerificationTag());
    assertEquals(null, other.b.pollTransmit());
  }

  @Test
  void simultaneousShutdownWithDataQueuedBothWays() {
    SctpPair pair = new SctpPair(17, SctpPair.fastConfig());
    pair.net.setLossRate(0.05).setJitterNanos(4_000_000);
    pair.connectBoth();
    int id = pair.a.openChannel(pair.now(), DataChannelConfig.reliable("both"));
    pair.runUntil(() -> pair.b.channel(id).isPresent(), 2_000);
    for (int i = 0; i < 20; i++) {
      pair.a.send(pair.now(), id, new byte[2_000], true);
      pair.b.send(pair.now(), id, new byte[2_000], true);
    }
    pair.a.shutdown(pair.now());
    pair.b.shutdown(pair.now());
    pair.runUntil(() -> pair.a.isEnded() && pair.b.isEnded(), 60_000);
    assertEquals(20, of(pair.eventsA, Message.class).size());
    assertEquals(20, of(pair.eventsB, Message.class).size());
    assertTrue(pair.eventsA.get(pair.eventsA.size() - 1) instanceof SctpEvent.Closed);
    assertTrue(pair.eventsB.get(pair.eventsB.size() - 1) instanceof SctpEvent.Closed);
  }

  @Test
  void shutdownFromTheServerSideAndApiAfterTheEnd() {
    SctpPair pair = new SctpPair(18, SctpPair.fastConfig());
    pair.connectBoth();
    int id = pair.b.openChannel(pair.now(), DataChannelConfig.reliable("srv"));
    pair.runUntil(() -> pair.a.channel(id).isPresent(), 2_000);
    pair.a.send(pair.now(), id, new byte[] {5}, true);
    pair.b.shutdown(pair.now());
    pair.runUntil(() -> pair.a.isEnded() && pair.b.isEnded(), 10_000);
    assertEquals(1, of(pair.eventsB, Message.class).size());
    assertEquals(1, of(pair.eventsA, ChannelClosed.class).size());
    // after the end: no timers, no packets, sends refused, nothing thrown for input
    assertEquals(Long.MAX_VALUE, pair.b.pollTimeoutNanos());
    assertThrows(
        IllegalStateException.class,
        () -> pair.b.openChannel(pair.now(), DataChannelConfig.reliable("late")));
    assertThrows(IllegalStateException.class, () -> pair.b.connect(pair.now()));
    pair.b.handleReceive(pair.now(), new byte[40], 0, 40);
    pair.b.handleTimeout(pair.now());
    assertEquals(null, pair.b.pollTransmit());
  }

  @Test
  void abortBeforeTheAssociationIsUp() {
    SctpPair pair = new SctpPair(19, SctpPair.fastConfig());
    pair.a.connect(pair.now());
    pair.a.abort(pair.now(), "changed my mind");
    pair.flush();
    assertTrue(pair.a.isEnded());
    assertTrue(of(pair.eventsA, SctpEvent.Aborted.class).get(0).reason().contains("changed"));
  }
}
