package io.github.jpeer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Data channels between two jpeer connections over 127.0.0.1: opened from either side, string and
 * binary messages both ways (empty and 256 KiB ones too), partial reliability, negotiated ids,
 * closing from either side, libpeer's calls, and the remote's max-message-size.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class DataChannelTest {
  private PeerLoop loop;
  private TestPeer offerer;
  private TestPeer answerer;

  @BeforeEach
  void startLoop() {
    loop = PeerLoop.start("data-channel-test");
  }

  @AfterEach
  void stop() {
    loop.close(); // closes the connections it drives
  }

  private void pair(DataChannelType type, UnaryOperator<PeerConfiguration.Builder> extra)
      throws Exception {
    offerer = TestPeer.loopback("offerer", c -> extra.apply(c.dataChannel(type)));
    answerer = TestPeer.loopback("answerer", c -> extra.apply(c.dataChannel(type)));
    TestPeer.addBoth(loop, offerer, answerer);
  }

  private void pair(DataChannelType type) throws Exception {
    pair(type, c -> c.audioCodec(MediaCodec.NONE));
  }

  private <T> T onLoop(java.util.concurrent.Callable<T> call) throws Exception {
    return loop.submit(call).get(5, TimeUnit.SECONDS);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** The next message received by {@code peer}, checked against what was expected. */
  private static TestPeer.Message expect(TestPeer peer, String label, byte[] data, boolean binary)
      throws InterruptedException {
    TestPeer.Message m = TestPeer.take(peer.messages, "a message at " + peer + " on " + label);
    assertEquals(label, m.channel().label());
    assertEquals(binary, m.binary(), "binary flag");
    assertArrayEquals(data, m.data());
    return m;
  }

  @Test
  void channelsFromEachSideCarryStringsBinaryAndEmptyMessagesBothWays() throws Exception {
    pair(DataChannelType.STRING);
    DataChannel fromOfferer = onLoop(() -> offerer.pc.createDataChannel("from-offerer"));
    TestPeer.connect(loop, offerer, answerer, false);
    DataChannel fromAnswerer = onLoop(() -> answerer.pc.createDataChannel("from-answerer"));

    // Each side sees both channels open, and their stream ids agree (RFC 8832 6: even ids for
    // the DTLS client, odd for the server, so the two never collide).
    DataChannel remoteOfOfferer = null;
    DataChannel remoteOfAnswerer = null;
    for (int i = 0; i < 2; i++) {
      DataChannel atAnswerer = TestPeer.take(answerer.opened, "open at answerer");
      if (atAnswerer.label().equals("from-offerer")) {
        remoteOfOfferer = atAnswerer;
      } else {
        assertSame(fromAnswerer, atAnswerer);
      }
      DataChannel atOfferer = TestPeer.take(offerer.opened, "open at offerer");
      if (atOfferer.label().equals("from-answerer")) {
        remoteOfAnswerer = atOfferer;
      } else {
        assertSame(fromOfferer, atOfferer);
      }
    }
    assertEquals(fromOfferer.id(), remoteOfOfferer.id());
    assertEquals(fromAnswerer.id(), remoteOfAnswerer.id());
    assertTrue(fromOfferer.id() % 2 != fromAnswerer.id() % 2, fromOfferer + " " + fromAnswerer);

    byte[] binary = {0, 1, 2, (byte) 0xff};
    // Each channel, each direction: string, binary, empty string, empty binary. One message at
    // a time: a burst bigger than one SCTP packet hits the MTU bug (see largeMessagesAndBursts).
    DataChannel[][] ends = {
      {fromOfferer, remoteOfOfferer}, {remoteOfAnswerer, fromAnswerer},
    };
    for (DataChannel[] end : ends) {
      DataChannel atOfferer = end[0];
      DataChannel atAnswerer = end[1];
      String label = atOfferer.label();
      atOfferer.send("héllo from the offerer");
      expect(answerer, label, utf8("héllo from the offerer"), false);
      atOfferer.send(binary);
      expect(answerer, label, binary, true);
      atOfferer.send("");
      expect(answerer, label, new byte[0], false);
      atOfferer.send(new byte[0]);
      expect(answerer, label, new byte[0], true);
      atAnswerer.send("hello back");
      expect(offerer, label, utf8("hello back"), false);
      atAnswerer.send(ByteBuffer.wrap(binary, 1, 2));
      expect(offerer, label, new byte[] {1, 2}, true);
      atAnswerer.send("");
      expect(offerer, label, new byte[0], false);
      atAnswerer.send(new byte[0]);
      expect(offerer, label, new byte[0], true);
    }
    TestPeer.assertNothingDropped(onLoop(offerer.pc::getStats));
    TestPeer.assertNothingDropped(onLoop(answerer.pc::getStats));
  }

  // Bug: PeerConnection builds its SctpConfig with the default 1200-byte SCTP MTU, but a DTLS
  // record over a 1200-byte datagram carries at most 1163 bytes (maxApplicationDataBytes()), so
  // any SCTP packet over 1163 bytes (a fragment of a large message, or a burst of small messages
  // bundled together) makes DtlsEndpoint.sendApplicationData throw out of pump() and loop().
  @Test
  void largeMessagesAndBurstsBothWays() throws Exception {
    pair(DataChannelType.STRING);
    DataChannel fromOfferer = onLoop(() -> offerer.pc.createDataChannel("bulk"));
    TestPeer.connect(loop, offerer, answerer, false);
    DataChannel atAnswerer = TestPeer.take(answerer.opened, "open at answerer");
    TestPeer.await(fromOfferer::isOpen, 5_000, "bulk to open at the offerer");
    byte[] large = new byte[256 * 1024]; // exactly jpeer's max-message-size
    new SplittableRandom(3).nextBytes(large);
    fromOfferer.send(ByteBuffer.wrap(large));
    expect(answerer, "bulk", large, true);
    atAnswerer.send(large);
    expect(offerer, "bulk", large, true);
    for (int i = 0; i < 100; i++) {
      fromOfferer.send("burst " + i);
    }
    for (int i = 0; i < 100; i++) {
      expect(answerer, "bulk", utf8("burst " + i), false);
    }
  }

  @Test
  void unorderedChannelWithoutRetransmissionsDeliversEveryMessageOnALosslessPath()
      throws Exception {
    pair(DataChannelType.BINARY);
    DataChannelInit init = DataChannelInit.RELIABLE.withOrdered(false).withMaxRetransmits(0);
    DataChannel ch = onLoop(() -> offerer.pc.createDataChannel("telemetry", init));
    TestPeer.connect(loop, offerer, answerer, false);
    TestPeer.take(offerer.opened, "open at offerer");
    TestPeer.take(answerer.opened, "open at answerer");
    // Batches of 10 that fit one SCTP packet (see largeMessagesAndBursts for bigger bursts).
    for (int batch = 0; batch < 20; batch++) {
      Set<String> sent = new HashSet<>();
      for (int i = 0; i < 10; i++) {
        String m = "sample " + (batch * 10 + i);
        sent.add(m);
        ch.send(m);
      }
      Set<String> received = new HashSet<>();
      for (int i = 0; i < 10; i++) {
        TestPeer.Message m = TestPeer.take(answerer.messages, "message " + i + " of " + batch);
        assertEquals("telemetry", m.channel().label());
        assertFalse(m.binary(), "send(String) is a string even on a BINARY connection");
        received.add(m.text());
      }
      assertEquals(sent, received);
    }
  }

  @Test
  void negotiatedChannelUsesTheAgreedIdOnBothSides() throws Exception {
    pair(DataChannelType.STRING);
    DataChannelInit init = DataChannelInit.RELIABLE.withNegotiatedId(5);
    DataChannel atOfferer = onLoop(() -> offerer.pc.createDataChannel("agreed", init));
    TestPeer.connect(loop, offerer, answerer, false);
    DataChannel atAnswerer = onLoop(() -> answerer.pc.createDataChannel("agreed", init));
    assertEquals(5, atOfferer.id());
    assertEquals(5, atAnswerer.id());
    TestPeer.await(
        () -> atOfferer.isOpen() && atAnswerer.isOpen(),
        5_000,
        "the negotiated channel to open on both sides");
    atOfferer.send("over an agreed stream");
    expect(answerer, "agreed", utf8("over an agreed stream"), false);
    atAnswerer.send(new byte[] {5});
    expect(offerer, "agreed", new byte[] {5}, true);
    assertSame(atAnswerer, onLoop(() -> answerer.pc.dataChannel(5)).orElseThrow());
  }

  @Test
  void closingFromEachSideClosesBothEnds() throws Exception {
    pair(DataChannelType.STRING);
    DataChannel first = onLoop(() -> offerer.pc.createDataChannel("first"));
    DataChannel second = onLoop(() -> offerer.pc.createDataChannel("second"));
    TestPeer.connect(loop, offerer, answerer, false);
    TestPeer.take(answerer.opened, "first open at answerer");
    TestPeer.take(answerer.opened, "second open at answerer");
    TestPeer.take(offerer.opened, "first open at offerer");
    TestPeer.take(offerer.opened, "second open at offerer");
    assertTrue(first.isOpen() && second.isOpen());
    DataChannel secondAtAnswerer = onLoop(() -> answerer.pc.dataChannel("second")).orElseThrow();

    // The offerer closes "first": both sides get onClose for it, and only for it.
    first.close();
    assertEquals("first", TestPeer.take(offerer.channelsClosed, "close at offerer").label());
    assertEquals("first", TestPeer.take(answerer.channelsClosed, "close at answerer").label());
    assertFalse(first.isOpen());
    assertEquals(Optional.empty(), onLoop(() -> offerer.pc.dataChannel("first")));
    assertEquals(Optional.empty(), onLoop(() -> answerer.pc.dataChannel("first")));
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> first.send("x"));
    assertTrue(e.getMessage().contains("open a new channel"), e.getMessage());

    // The answerer closes "second", which the offerer opened.
    secondAtAnswerer.close();
    assertEquals("second", TestPeer.take(answerer.channelsClosed, "close at answerer").label());
    assertEquals("second", TestPeer.take(offerer.channelsClosed, "close at offerer").label());
    assertFalse(second.isOpen());
    assertEquals(PeerConnectionState.COMPLETED, offerer.pc.getState(), "the connection stays up");

    // A new channel still opens on the same association afterwards.
    DataChannel third = onLoop(() -> answerer.pc.createDataChannel("third"));
    assertEquals("third", TestPeer.take(offerer.opened, "third open at offerer").label());
    third.send("still here");
    expect(offerer, "third", utf8("still here"), false);
  }

  @Test
  void closingTheConnectionResetsChannelsAndShutsDownWithoutAbort() throws Exception {
    pair(DataChannelType.STRING);
    onLoop(() -> offerer.pc.createDataChannel("first"));
    onLoop(() -> offerer.pc.createDataChannel("second"));
    TestPeer.connect(loop, offerer, answerer, false);
    TestPeer.take(answerer.opened, "first open at answerer");
    TestPeer.take(answerer.opened, "second open at answerer");
    onLoop(
        () -> {
          offerer.pc.close();
          return null;
        });
    java.util.Set<String> closed = new java.util.HashSet<>();
    closed.add(TestPeer.take(answerer.channelsClosed, "a close at answerer").label());
    closed.add(TestPeer.take(answerer.channelsClosed, "a close at answerer").label());
    assertEquals(java.util.Set.of("first", "second"), closed);
    answerer.closed.get(10, TimeUnit.SECONDS); // close_notify reached it
    // Stream resets and SHUTDOWN, not ABORT: the remote sees no error (W3C: no error event).
    assertEquals(java.util.List.of(), new java.util.ArrayList<>(answerer.channelErrors));
  }

  @Test
  void closingWithUnacknowledgedDataAbortsAndTheRemoteSeesAnError() throws Exception {
    pair(DataChannelType.STRING);
    DataChannel ch = onLoop(() -> offerer.pc.createDataChannel("busy"));
    TestPeer.connect(loop, offerer, answerer, false);
    TestPeer.take(answerer.opened, "busy open at answerer");
    onLoop(
        () -> {
          ch.send(new byte[200_000]); // cannot be acknowledged before the close below
          offerer.pc.close();
          return null;
        });
    String error = answerer.channelErrors.poll(10, TimeUnit.SECONDS);
    assertTrue(error != null && error.startsWith("busy: "), String.valueOf(error));
    assertEquals("busy", TestPeer.take(answerer.channelsClosed, "close at answerer").label());
  }

  @Test
  void libpeerStyleCallsSendOnTheFirstChannelAndById() throws Exception {
    pair(DataChannelType.BINARY);
    assertFalse(offerer.pc.sendDataChannel("nothing open yet"));
    assertFalse(offerer.pc.sendDataChannel(new byte[] {1}));
    DataChannel ch = onLoop(() -> offerer.pc.createDataChannel("oai-events"));
    TestPeer.connect(loop, offerer, answerer, false);
    TestPeer.take(offerer.opened, "open at offerer");
    DataChannel remote = TestPeer.take(answerer.opened, "open at answerer");

    assertSame(ch, onLoop(() -> offerer.pc.dataChannel("oai-events")).orElseThrow());
    assertSame(ch, onLoop(() -> offerer.pc.dataChannel(ch.id())).orElseThrow());
    assertSame(remote, onLoop(() -> answerer.pc.dataChannel(ch.id())).orElseThrow());
    assertEquals(Optional.empty(), onLoop(() -> offerer.pc.dataChannel("no-such-label")));
    assertEquals(Optional.empty(), onLoop(() -> offerer.pc.dataChannel(ch.id() + 100)));

    // sendDataChannel(String) is always a string; byte[] follows DataChannelType (BINARY here).
    assertTrue(offerer.pc.sendDataChannel("{\"type\":\"response.create\"}"));
    expect(answerer, "oai-events", utf8("{\"type\":\"response.create\"}"), false);
    assertTrue(offerer.pc.sendDataChannel(new byte[] {9, 8}));
    expect(answerer, "oai-events", new byte[] {9, 8}, true);
    assertTrue(answerer.pc.sendDataChannel(remote.id(), new byte[] {7}));
    expect(offerer, "oai-events", new byte[] {7}, true);
    assertFalse(answerer.pc.sendDataChannel(remote.id() + 100, new byte[] {7}));
  }

  @Test
  void libpeerStringTypeSendsByteArraysAsStrings() throws Exception {
    pair(DataChannelType.STRING);
    DataChannel ch = onLoop(() -> offerer.pc.createDataChannel("chat"));
    TestPeer.connect(loop, offerer, answerer, false);
    TestPeer.take(answerer.opened, "open at answerer");
    TestPeer.await(ch::isOpen, 5_000, "the channel to open at the offerer");
    assertTrue(offerer.pc.sendDataChannel(ch.id(), utf8("by id")));
    expect(answerer, "chat", utf8("by id"), false);
    assertTrue(offerer.pc.sendDataChannel(utf8("first open")));
    expect(answerer, "chat", utf8("first open"), false);
  }

  @Test
  void hundredsOfJsonEventsWhileAudioFlows() throws Exception {
    pair(DataChannelType.STRING, c -> c.audioCodec(MediaCodec.OPUS));
    DataChannel events = onLoop(() -> offerer.pc.createDataChannel("oai-events"));
    TestPeer.connect(loop, offerer, answerer, false);
    DataChannel remote = TestPeer.take(answerer.opened, "open at answerer");
    TestPeer.await(events::isOpen, 5_000, "oai-events to open at the offerer");
    int frames = 50;
    int perFrame = 6; // 300 events; a 20 ms batch fits one SCTP packet (see the MTU bug above)
    for (int i = 0; i < frames; i++) {
      assertTrue(offerer.pc.sendAudio(PeerConnectionMatrixTest.audioFrame(MediaCodec.OPUS, i, 0)));
      assertTrue(answerer.pc.sendAudio(PeerConnectionMatrixTest.audioFrame(MediaCodec.OPUS, i, 1)));
      for (int k = 0; k < perFrame; k++) {
        int n = i * perFrame + k;
        remote.send(
            "{\"type\":\"response.audio_transcript.delta\",\"event_id\":\"ev_"
                + n
                + "\",\"delta\":\"word "
                + n
                + "\"}");
        if (k == 0) {
          events.send("{\"type\":\"input_audio_buffer.append\",\"seq\":" + i + "}");
        }
      }
      TestPeer.pace(20);
    }
    for (int n = 0; n < frames * perFrame; n++) {
      TestPeer.Message m = TestPeer.take(offerer.messages, "event " + n);
      assertEquals(
          "{\"type\":\"response.audio_transcript.delta\",\"event_id\":\"ev_"
              + n
              + "\",\"delta\":\"word "
              + n
              + "\"}",
          m.text(),
          "ordered channel keeps the order");
    }
    for (int i = 0; i < frames; i++) {
      assertEquals(
          "{\"type\":\"input_audio_buffer.append\",\"seq\":" + i + "}",
          TestPeer.take(answerer.messages, "append " + i).text());
      assertArrayEquals(
          PeerConnectionMatrixTest.audioFrame(MediaCodec.OPUS, i, 0),
          TestPeer.take(answerer.audio, "audio " + i + " at answerer"));
      assertArrayEquals(
          PeerConnectionMatrixTest.audioFrame(MediaCodec.OPUS, i, 1),
          TestPeer.take(offerer.audio, "audio " + i + " at offerer"));
    }
  }

  @Test
  void messageOverTheRemotesMaxMessageSizeIsRefusedWithBothSizes() throws Exception {
    pair(DataChannelType.STRING);
    DataChannel ch = onLoop(() -> offerer.pc.createDataChannel("big"));
    // The answerer says it takes at most 1024 bytes (as an embedded peer might).
    TestPeer.connect(
        loop,
        offerer,
        answerer,
        false,
        sdp ->
            sdp.contains("a=setup:active") || sdp.contains("a=setup:passive")
                ? sdp.replace("a=max-message-size:262144", "a=max-message-size:1024")
                : sdp);
    TestPeer.take(answerer.opened, "open at answerer");
    DataChannel remote = onLoop(() -> answerer.pc.dataChannel("big")).orElseThrow();
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ch.send(new byte[1025]));
    assertTrue(e.getMessage().contains("1025") && e.getMessage().contains("1024"), e.getMessage());
    ch.send(new byte[1024]); // exactly the limit is fine
    expect(answerer, "big", new byte[1024], true);
    // jpeer itself accepts 256 KiB (its offer's max-message-size): one byte more is refused.
    IllegalArgumentException e2 =
        assertThrows(IllegalArgumentException.class, () -> remote.send(new byte[262_145]));
    assertTrue(
        e2.getMessage().contains("262145") && e2.getMessage().contains("262144"), e2.getMessage());
  }
}
