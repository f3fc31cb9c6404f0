package io.github.jpeer.sctp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Encode/decode of every chunk type against hand-written bytes laid out as the RFCs draw them. */
class ChunkCodecTest {
  private static byte[] hex(String s) {
    return HexFormat.of().parseHex(s.replace(" ", ""));
  }

  private static void assertCodec(Chunk chunk, String wireHex) throws SctpParseException {
    byte[] wire = hex(wireHex);
    assertArrayEquals(wire, chunk.encode(), chunk.toString());
    assertEquals(chunk, Chunk.decode(wire, 0, wire.length));
  }

  @Test
  void data() throws Exception {
    // RFC 9260 3.3.1: type 0, flags U|B|E = 0x07, length 16 + 3, TSN, stream 5, SSN 9, PPID 51
    assertCodec(
        new DataChunk(0x01020304, 5, 9, 51, false, true, true, true, new byte[] {'a', 'b', 'c'}),
        "00 07 0013 01020304 0005 0009 00000033 616263 00");
    DataChunk middle = new DataChunk(7, 1, 2, 53, true, false, false, false, new byte[4]);
    assertEquals(8, middle.flags());
    assertCodec(middle, "00 08 0014 00000007 0001 0002 00000035 00000000");
  }

  @Test
  void dataWithoutUserDataIsMalformed() {
    byte[] wire = hex("00 03 0010 00000001 0000 0000 00000033");
    assertThrows(SctpParseException.class, () -> Chunk.decode(wire, 0, wire.length));
  }

  @Test
  void initAndInitAck() throws Exception {
    // RFC 9260 3.3.2: tag, a_rwnd, OS, MIS, initial TSN, then Forward-TSN-Supported (RFC 3758)
    // and Supported Extensions (RFC 5061) listing FORWARD TSN (0xc0) and RE-CONFIG (0x82)
    InitChunk init =
        new InitChunk(
            false,
            0x11223344,
            0x00100000,
            1024,
            2048,
            0x55667788,
            List.of(
                new Parameter(Parameter.FORWARD_TSN_SUPPORTED, new byte[0]),
                new Parameter(
                    Parameter.SUPPORTED_EXTENSIONS, new byte[] {(byte) 0xc0, (byte) 0x82})));
    assertCodec(
        init, "01 00 001e 11223344 00100000 0400 0800 55667788 c0000004 8008 0006 c082 0000");
    InitChunk ack =
        new InitChunk(
            true,
            1,
            1500,
            1,
            1,
            0,
            List.of(new Parameter(Parameter.STATE_COOKIE, new byte[] {9, 8, 7, 6, 5})));
    assertCodec(ack, "02 00 001d 00000001 000005dc 0001 0001 00000000 0007 0009 0908070605 000000");
    assertEquals(5, ack.parameter(Parameter.STATE_COOKIE).value().length);
  }

  @Test
  void initWithZeroTagOrStreamsIsMalformed() {
    byte[] zeroTag = hex("01 00 0014 00000000 00001000 0001 0001 00000001");
    assertThrows(SctpParseException.class, () -> Chunk.decode(zeroTag, 0, zeroTag.length));
    byte[] zeroStreams = hex("01 00 0014 00000001 00001000 0000 0001 00000001");
    assertThrows(SctpParseException.class, () -> Chunk.decode(zeroStreams, 0, zeroStreams.length));
    byte[] badParam = hex("01 00 0018 00000001 00001000 0001 0001 00000001 0007 0009");
    assertThrows(SctpParseException.class, () -> Chunk.decode(badParam, 0, badParam.length));
  }

  @Test
  void sack() throws Exception {
    // RFC 9260 3.3.4: cum 100, a_rwnd 4096, 2 gap blocks (2-3, 5-5), 1 duplicate (99)
    assertCodec(
        new SelectiveAckChunk(
            100,
            4096,
            List.of(
                new SelectiveAckChunk.GapAckBlock(2, 3), new SelectiveAckChunk.GapAckBlock(5, 5)),
            List.of(99)),
        "03 00 001c 00000064 00001000 0002 0001 0002 0003 0005 0005 00000063");
    byte[] wrongCount = hex("03 00 0014 00000064 00001000 0002 0000 0002 0003");
    assertThrows(SctpParseException.class, () -> Chunk.decode(wrongCount, 0, wrongCount.length));
  }

  @Test
  void heartbeatAndAck() throws Exception {
    // RFC 9260 3.3.5 / 3.3.6: one Heartbeat Info TLV (type 1)
    assertCodec(new HeartbeatChunk(false, new byte[] {1, 2, 3}), "04 00 000b 0001 0007 010203 00");
    assertCodec(new HeartbeatChunk(true, new byte[] {1, 2, 3, 4}), "05 00 000c 0001 0008 01020304");
    byte[] wrongParam = hex("04 00 0008 0002 0004");
    assertThrows(SctpParseException.class, () -> Chunk.decode(wrongParam, 0, wrongParam.length));
  }

  @Test
  void abortAndError() throws Exception {
    // RFC 9260 3.3.7: T bit, User-Initiated Abort cause (12) with "x"
    assertCodec(
        new AbortChunk(true, List.of(new Parameter(12, new byte[] {'x'}))),
        "06 01 0009 000c 0005 78 000000");
    assertCodec(new AbortChunk(false, List.of()), "06 00 0004");
    // RFC 9260 3.3.10: Stale Cookie (3) with 4 bytes of staleness
    assertCodec(
        new ErrorChunk(List.of(new Parameter(3, new byte[] {0, 0, 1, 0}))),
        "09 00 000c 0003 0008 00000100");
  }

  @Test
  void shutdownFamily() throws Exception {
    assertCodec(new ShutdownChunk(0x01020304), "07 00 0008 01020304");
    assertCodec(new ShutdownAckChunk(), "08 00 0004");
    assertCodec(new ShutdownCompleteChunk(true), "0e 01 0004");
    assertCodec(new ShutdownCompleteChunk(false), "0e 00 0004");
    byte[] longAck = hex("08 00 0008 00000000");
    assertThrows(SctpParseException.class, () -> Chunk.decode(longAck, 0, longAck.length));
    byte[] shortShutdown = hex("07 00 0006 0102 0000");
    assertThrows(
        SctpParseException.class, () -> Chunk.decode(shortShutdown, 0, shortShutdown.length));
  }

  @Test
  void cookieEchoAndAck() throws Exception {
    assertCodec(new CookieEchoChunk(new byte[] {1, 2, 3, 4, 5, 6}), "0a 00 000a 010203040506 0000");
    assertCodec(new CookieAckChunk(), "0b 00 0004");
  }

  @Test
  void forwardTsn() throws Exception {
    // RFC 3758 3.2: new cumulative TSN and (stream, SSN) pairs
    assertCodec(
        new ForwardTsnChunk(0xfffffffe, List.of(new ForwardTsnChunk.StreamSequence(1, 7))),
        "c0 00 000c fffffffe 0001 0007");
    byte[] odd = hex("c0 00 000a fffffffe 0001 0000");
    assertThrows(SctpParseException.class, () -> Chunk.decode(odd, 0, odd.length));
  }

  @Test
  void reconfigWithOutgoingResetRequestAndResponse() throws Exception {
    // RFC 6525 4.1: request seq 10, response seq 9, last TSN 100, streams 1 and 3
    OutgoingSsnResetRequest req = new OutgoingSsnResetRequest(10, 9, 100, List.of(1, 3));
    ReconfigChunk chunk = new ReconfigChunk(List.of(req.toParameter()));
    assertCodec(chunk, "82 00 0018 000d 0014 0000000a 00000009 00000064 0001 0003");
    assertEquals(req, OutgoingSsnResetRequest.parse(chunk.parameters().get(0)));
    // RFC 6525 4.4: response seq 10, result 1 (performed)
    ReconfigResponse resp = new ReconfigResponse(10, ReconfigResponse.SUCCESS_PERFORMED);
    assertCodec(
        new ReconfigChunk(List.of(resp.toParameter())), "82 00 0010 0010 000c 0000000a 00000001");
    assertEquals(resp, ReconfigResponse.parse(resp.toParameter()));
    byte[] empty = hex("82 00 0004");
    assertThrows(SctpParseException.class, () -> Chunk.decode(empty, 0, empty.length));
    assertThrows(
        SctpParseException.class,
        () -> OutgoingSsnResetRequest.parse(new Parameter(13, new byte[5])));
  }

  @Test
  void unknownChunkIsKeptWhole() throws Exception {
    assertCodec(new UnknownChunk(0x7f, 0x12, new byte[] {1, 2}), "7f 12 0006 0102 0000");
  }

  @Test
  void chunkLengthMustFit() {
    byte[] tooLong = hex("0b 00 0010");
    assertThrows(SctpParseException.class, () -> Chunk.decode(tooLong, 0, tooLong.length));
    byte[] tooShort = hex("0b 00 0002");
    assertThrows(SctpParseException.class, () -> Chunk.decode(tooShort, 0, tooShort.length));
  }

  @Test
  void packetWithBundledChunksRoundTrips() throws Exception {
    SctpPacket p =
        new SctpPacket(
            5000,
            5001,
            0xdeadbeef,
            List.of(
                new SelectiveAckChunk(5, 1000, List.of(), List.of()),
                new DataChunk(6, 0, 0, 51, false, false, true, true, new byte[] {'h', 'i'})));
    byte[] wire = p.encode();
    assertEquals(12 + 16 + 20, wire.length);
    assertTrue(SctpPacket.checksumMatches(wire, 0, wire.length));
    assertEquals(p, SctpPacket.parse(wire, 0, wire.length));
    // the last chunk's padding may be missing
    byte[] unpadded = java.util.Arrays.copyOf(wire, wire.length - 2);
    assertEquals(p, SctpPacket.parse(unpadded, 0, unpadded.length));
    assertThrows(SctpParseException.class, () -> SctpPacket.parse(wire, 0, 14));
    byte[] trailing = java.util.Arrays.copyOf(wire, wire.length + 2);
    assertThrows(SctpParseException.class, () -> SctpPacket.parse(trailing, 0, trailing.length));
    assertFalse(p.chunks().isEmpty());
  }
}
