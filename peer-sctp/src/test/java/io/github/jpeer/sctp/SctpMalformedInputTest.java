package io.github.jpeer.sctp;

import static io.github.jpeer.sctp.SctpPair.of;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Bad input through the public API: counted, dropped, never thrown. */
class SctpMalformedInputTest {
  private static SctpPair established() {
    SctpPair pair = new SctpPair(21, SctpPair.fastConfig());
    pair.connectBoth();
    return pair;
  }

  private static byte[] packet(int vtag, Chunk... chunks) {
    return new SctpPacket(5000, 5000, vtag, List.of(chunks)).encode();
  }

  private static void feed(SctpPair pair, byte[] p) {
    pair.b.handleReceive(pair.now(), p, 0, p.length);
  }

  @Test
  void badChecksumTruncatedAndWrongTagAreCountedAndDropped() {
    SctpPair pair = established();
    int tag = pair.b.localVerificationTag();
    byte[] good = packet(tag, new HeartbeatChunk(false, new byte[] {1}));
    byte[] corrupt = good.clone();
    corrupt[good.length - 1] ^= 0x40;
    feed(pair, corrupt);
    assertEquals(1, pair.b.stats().badChecksum());
    feed(pair, new byte[] {1, 2, 3});
    byte[] truncated = java.util.Arrays.copyOf(good, 14);
    SctpPacket.writeChecksum(truncated, 0, truncated.length);
    feed(pair, truncated);
    assertEquals(2, pair.b.stats().malformed());
    feed(pair, packet(tag + 1, new HeartbeatChunk(false, new byte[] {1})));
    assertEquals(1, pair.b.stats().badVerificationTag());
    assertNull(pair.b.pollTransmit(), "nothing answers a dropped packet");
    // a chunk whose length runs past the packet
    byte[] longChunk = packet(tag, new CookieAckChunk());
    longChunk[15] = 40;
    SctpPacket.writeChecksum(longChunk, 0, longChunk.length);
    feed(pair, longChunk);
    assertEquals(3, pair.b.stats().malformed());
    // the good one is answered
    feed(pair, good);
    assertNotNull(pair.b.pollTransmit());
    assertTrue(pair.bothUp());
  }

  @Test
  void unknownChunkTypesFollowTheirUpperTwoBits() throws Exception {
    SctpPair pair = established();
    int tag = pair.b.localVerificationTag();
    HeartbeatChunk hb = new HeartbeatChunk(false, new byte[] {7});
    // RFC 9260 3.2: 00 = stop and discard, 01 = stop and report, 10 = skip, 11 = skip and report
    int[][] cases = {{0x3e, 0, 0}, {0x7e, 0, 1}, {0xbe, 1, 0}, {0xfe, 1, 1}};
    for (int[] c : cases) {
      feed(pair, packet(tag, new UnknownChunk(c[0], 0, new byte[] {1}), hb));
      byte[] out = pair.b.pollTransmit();
      boolean sawHbAck = false;
      boolean sawError = false;
      if (out != null) {
        for (Chunk ch : SctpPacket.parse(out, 0, out.length).chunks()) {
          sawHbAck |= ch instanceof HeartbeatChunk h && h.ack();
          sawError |=
              ch instanceof ErrorChunk e
                  && e.causes().get(0).type() == ErrorChunk.UNRECOGNIZED_CHUNK_TYPE;
        }
      }
      assertEquals(c[1] == 1, sawHbAck, "type " + c[0] + " processing continued");
      assertEquals(c[2] == 1, sawError, "type " + c[0] + " reported");
    }
    assertEquals(4, pair.b.stats().unknownChunks());
    // regression: a huge reportable unknown chunk once overflowed the ERROR cause and threw
    feed(pair, packet(tag, new UnknownChunk(0xfe, 0, new byte[65_000])));
    assertEquals(5, pair.b.stats().unknownChunks());
    assertTrue(pair.bothUp());
  }

  @Test
  void aHeartbeatLargerThanTheMtuIsEchoedWhole() throws Exception {
    // The packet buffer is MTU-sized and grows only for such a control chunk (RFC 9260 8.3: the
    // HEARTBEAT ACK carries the sender's info unchanged, whatever its size).
    SctpPair pair = established();
    int tag = pair.b.localVerificationTag();
    byte[] info = new byte[5000];
    for (int i = 0; i < info.length; i++) {
      info[i] = (byte) (i * 7);
    }
    for (int round = 0; round < 2; round++) { // the second reuses the grown buffer
      feed(pair, packet(tag, new HeartbeatChunk(false, info)));
      byte[] out = pair.b.pollTransmit();
      assertNotNull(out);
      assertTrue(out.length > 5000, "sent alone, above the MTU: " + out.length);
      HeartbeatChunk ack = (HeartbeatChunk) SctpPacket.parse(out, 0, out.length).chunks().get(0);
      assertTrue(ack.ack());
      assertArrayEquals(info, ack.info());
    }
    assertTrue(pair.bothUp());
  }

  @Test
  void staleAndForgedCookiesAreRefused() throws Exception {
    SctpConfig cfg = SctpPair.fastConfig().toBuilder().cookieLifetimeMillis(1_000).build();
    SctpPair pair = new SctpPair(22, cfg);
    pair.a.connect(pair.now());
    byte[] init = pair.a.pollTransmit();
    pair.b.handleReceive(pair.now(), init, 0, init.length);
    byte[] initAck = pair.b.pollTransmit();
    pair.a.handleReceive(pair.now(), initAck, 0, initAck.length);
    byte[] echo = pair.a.pollTransmit();
    assertTrue(SctpPacket.parse(echo, 0, echo.length).chunks().get(0) instanceof CookieEchoChunk);
    // forged: one bit of the cookie flipped, checksum recomputed -> HMAC fails, silently dropped
    byte[] forged = echo.clone();
    forged[20] ^= 1;
    SctpPacket.writeChecksum(forged, 0, forged.length);
    pair.b.handleReceive(pair.now(), forged, 0, forged.length);
    assertNull(pair.b.pollTransmit());
    assertEquals(SctpAssociation.State.CLOSED, pair.b.state());
    // stale: the genuine cookie 2 s later -> ERROR with Stale Cookie cause (RFC 9260 5.1.5)
    pair.clock.advanceMillis(2_000);
    pair.b.handleReceive(pair.now(), echo, 0, echo.length);
    byte[] err = pair.b.pollTransmit();
    Chunk c = SctpPacket.parse(err, 0, err.length).chunks().get(0);
    assertTrue(c instanceof ErrorChunk e && e.causes().get(0).type() == ErrorChunk.STALE_COOKIE);
    assertEquals(SctpAssociation.State.CLOSED, pair.b.state());
    // the initiator starts over on the stale-cookie error, and the retry succeeds
    pair.a.handleReceive(pair.now(), err, 0, err.length);
    assertEquals(SctpAssociation.State.COOKIE_WAIT, pair.a.state());
    pair.runUntil(pair::bothUp, 5_000);
  }

  @Test
  void deprecatedPartialPpidIsRejected() throws Exception {
    SctpPair pair = established();
    int id = pair.a.openChannel(pair.now(), DataChannelConfig.reliable("p"));
    pair.runUntil(() -> pair.b.channel(id).isPresent(), 2_000);
    pair.a.send(pair.now(), id, new byte[] {1, 2, 3}, true);
    byte[] p = pair.a.pollTransmit();
    SctpPacket parsed = SctpPacket.parse(p, 0, p.length);
    assertTrue(parsed.chunks().get(0) instanceof DataChunk);
    // rewrite PPID 53 into the deprecated 54 (RFC 8831 section 8)
    p[12 + 4 + 8 + 3] = 54;
    SctpPacket.writeChecksum(p, 0, p.length);
    feed(pair, p);
    pair.flush();
    assertEquals(1, pair.b.stats().droppedMessages());
    assertTrue(of(pair.eventsB, SctpEvent.Message.class).isEmpty());
  }

  @Test
  void chunksInTheWrongStateAreCounted() {
    SctpPair pair = new SctpPair(23, SctpPair.fastConfig());
    byte[] data =
        packet(
            pair.b.localVerificationTag(),
            new DataChunk(1, 0, 0, 51, false, false, true, true, new byte[] {1}),
            new SelectiveAckChunk(1, 1000, List.of(), List.of()));
    feed(pair, data);
    assertEquals(2, pair.b.stats().unexpectedChunks());
    assertNull(pair.b.pollTransmit());
    // INIT bundled with another chunk is malformed (RFC 9260 6.10)
    byte[] bundledInit =
        packet(0, new InitChunk(false, 5, 1500, 1, 1, 1, List.of()), new CookieAckChunk());
    feed(pair, bundledInit);
    assertEquals(1, pair.b.stats().malformed());
    assertNull(pair.b.pollTransmit());
  }

  @Test
  void dcepOpenWithHugeReliabilityParameterOrWrongParityNeverThrows() throws Exception {
    // regression: a reliability parameter >= 2^31 once became a negative maxRetransmits and made
    // DataChannelConfig throw out of handleReceive
    SctpPair pair = established();
    DataChannelConfig neg = DataChannelConfig.reliable("n").withNegotiatedId(0);
    pair.a.openChannel(pair.now(), neg);
    pair.b.openChannel(pair.now(), neg);
    pair.flush();
    byte[][] opens = {
      new DcepMessage.Open(ChannelType.PARTIAL_RELIABLE_REXMIT, 256, 0x80000000, "big", "")
          .encode(),
      new DcepMessage.Open(ChannelType.RELIABLE, 256, 0, "odd", "").encode()
    };
    int[] streams = {2, 3};
    for (int i = 0; i < 2; i++) {
      pair.a.send(pair.now(), 0, new byte[] {1}, true);
      byte[] captured = pair.a.pollTransmit();
      DataChunk d = (DataChunk) SctpPacket.parse(captured, 0, captured.length).chunks().get(0);
      byte[] forged =
          packet(
              pair.b.localVerificationTag(),
              new DataChunk(d.tsn(), streams[i], 0, 50, false, false, true, true, opens[i]));
      feed(pair, forged);
    }
    pair.flush();
    ChannelInfo big = pair.b.channel(2).orElseThrow();
    assertEquals(Integer.MAX_VALUE, big.reliabilityParameter());
    // odd ids belong to b (the DTLS server): a remote OPEN on one is refused
    assertTrue(pair.b.channel(3).isEmpty());
    assertTrue(pair.bothUp());
  }
}
