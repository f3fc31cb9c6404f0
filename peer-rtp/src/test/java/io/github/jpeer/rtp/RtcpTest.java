package io.github.jpeer.rtp;

import static io.github.jpeer.rtp.Allocations.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RtcpTest {

  private static List<RtcpPacket> parseOk(byte[] bytes) {
    List<RtcpPacket> out = new ArrayList<>();
    assertEquals(RtcpStatus.OK, RtcpParser.parse(bytes, 0, bytes.length, out));
    return out;
  }

  private static byte[] compound(RtcpPacket... packets) {
    byte[] buf = new byte[2048];
    int length = RtcpWriter.writeCompound(List.of(packets), buf, 0);
    return Arrays.copyOf(buf, length);
  }

  @Test
  void handWrittenSenderReportWithSdes() {
    // RFC 3550 6.4.1 SR with one report block, then 6.5 SDES with CNAME "abc".
    byte[] bytes =
        hex(
            "81c8000c" // V=2 RC=1 PT=200 length=12
                + "11223344" // sender SSRC
                + "e3b0c442 80000000" // NTP 0xE3B0C442.8
                + "00010000" // RTP timestamp
                + "0000000a" // packet count
                + "00000640" // octet count
                + "55667788" // report block: SSRC
                + "10fffffe" // fraction 16, cumulative lost -2
                + "00020010" // extended highest seq: 2 cycles, seq 16
                + "00000020" // jitter 32
                + "c4428000" // LSR
                + "00018000" // DLSR 1.5 s
                + "81ca0003" // SDES SC=1 length=3
                + "11223344"
                + "0103616263" // CNAME len 3 "abc"
                + "000000"); // null terminator + padding
    List<RtcpPacket> packets = parseOk(bytes);
    assertEquals(2, packets.size());
    SenderReport sr = (SenderReport) packets.get(0);
    assertEquals(0x11223344, sr.senderSsrc());
    assertEquals(0xE3B0C44280000000L, sr.ntpTimestamp());
    assertEquals(0x10000, sr.rtpTimestamp());
    assertEquals(10, sr.packetCount());
    assertEquals(1600, sr.octetCount());
    ReportBlock block = sr.reportBlocks().get(0);
    assertEquals(new ReportBlock(0x55667788, 16, -2, 0x20010, 32, 0xC4428000L, 0x18000), block);
    SourceDescription sdes = (SourceDescription) packets.get(1);
    assertEquals("abc", sdes.chunks().get(0).cname());
    assertEquals(0x11223344, sdes.chunks().get(0).ssrc());
    // Our writer produces exactly the same bytes.
    assertArrayEquals(bytes, compound(packets.toArray(RtcpPacket[]::new)));
  }

  @Test
  void handWrittenReceiverReportAndNack() {
    byte[] bytes =
        hex(
            "80c90001 00000001" // RR with no blocks (RC=0)
                + "81cd0004 00000001 00000002" // RTPFB FMT=1 generic NACK
                + "1234 0005" // PID 0x1234, BLP bits 0 and 2
                + "fffe 8001"); // PID 65534, BLP bits 0 and 15: wraps past 65535
    List<RtcpPacket> packets = parseOk(bytes);
    assertEquals(new ReceiverReport(1, List.of()), packets.get(0));
    GenericNack nack = (GenericNack) packets.get(1);
    assertEquals(1, nack.senderSsrc());
    assertEquals(2, nack.mediaSsrc());
    assertEquals(List.of(0x1234, 0x1235, 0x1237, 65534, 65535, 14), nack.lostSequenceNumbers());
    assertArrayEquals(bytes, compound(packets.toArray(RtcpPacket[]::new)));
  }

  @Test
  void nackWriterGroupsIntoPidAndBlp() {
    GenericNack nack = new GenericNack(1, 2, List.of(100, 101, 116, 117, 50, 50));
    byte[] bytes = compound(nack);
    // 100 + bits 0 (101) and 15 (116); 117 starts a new pair; 50 and 50 each get a pair.
    assertEquals(
        "81cd0006000000010000000200648001007500000032000000320000",
        java.util.HexFormat.of().formatHex(bytes));
    assertEquals(nack, parseOk(bytes).get(0));
  }

  @Test
  void pictureLossIndicationAndFullIntraRequest() {
    // RFC 4585 6.3.1 PLI: PSFB FMT=1, length 2, no FCI.
    byte[] pli = hex("81ce0002 0000000a 0000000b");
    assertEquals(List.of(new PictureLossIndication(10, 11)), parseOk(pli));
    byte[] written = new byte[12];
    assertEquals(12, RtcpWriter.writePictureLossIndication(written, 0, 10, 11));
    assertArrayEquals(pli, written);
    // RFC 5104 4.3.1 FIR: PSFB FMT=4, media SSRC 0, two FCI entries.
    byte[] fir = hex("84ce0006 0000000a 00000000 0000000c 07000000 0000000d ff000000");
    FullIntraRequest request = (FullIntraRequest) parseOk(fir).get(0);
    assertEquals(
        new FullIntraRequest(10, 0, List.of(new FirEntry(12, 7), new FirEntry(13, 255))), request);
    assertArrayEquals(fir, compound(request));
  }

  @Test
  void rembTwccAndUnknownTypesAreSkippedByLength() {
    byte[] bytes =
        hex(
            "80c90001 00000001" // RR
                // REMB (draft-alvestrand-rmcat-remb): PSFB FMT=15, "REMB", 1 SSRC, exp/mantissa
                + "8fce0005 00000001 00000000 52454d42 01 0a7f3d 00000002"
                // TWCC (draft-holmer-rmcat-transport-wide-cc-extensions): RTPFB FMT=15
                + "8fcd0005 00000001 00000002 00010002 00000100 2002 0104"
                // XR (RFC 3611, PT 207): not parsed
                + "80cf0002 00000001 01020304"
                + "81ca0002 00000001 00000000"); // SDES with an empty item list
    List<RtcpPacket> packets = parseOk(bytes);
    assertEquals(5, packets.size());
    assertEquals(
        new UnsupportedRtcpPacket(206, 15, UnsupportedRtcpPacket.Kind.REMB), packets.get(1));
    assertEquals(
        new UnsupportedRtcpPacket(205, 15, UnsupportedRtcpPacket.Kind.TRANSPORT_WIDE_CC),
        packets.get(2));
    assertEquals(
        new UnsupportedRtcpPacket(207, 0, UnsupportedRtcpPacket.Kind.UNKNOWN), packets.get(3));
    SourceDescription sdes = (SourceDescription) packets.get(4);
    assertNull(sdes.chunks().get(0).cname());
    assertThrows(
        IllegalArgumentException.class, () -> RtcpWriter.write(packets.get(1), new byte[100], 0));
  }

  @Test
  void writtenCompoundRoundTripsThroughTheParser() {
    ReportBlock block = new ReportBlock(0xFEEDFACE, 255, -0x800000, 0xFFFF_FFFFL, 0, 1, 2);
    List<RtcpPacket> packets =
        List.of(
            new SenderReport(0x80000000, -1L, 0xFFFF_FFFFL, 1, 2, List.of(block, block)),
            new SourceDescription(
                List.of(
                    SdesChunk.ofCname(5, "user@host"),
                    new SdesChunk(6, List.of(SdesItem.cname("x"), SdesItem.of(2, "Name ü"))))),
            Goodbye.of(List.of(5, 6), "shutting down"),
            Goodbye.of(List.of(7), ""),
            new ApplicationDefined(3, 9, "TEST", new byte[] {1, 2, 3, 4}),
            new ReceiverReport(9, List.of(block)),
            new GenericNack(1, 2, List.of(65535, 0, 3)),
            new PictureLossIndication(1, 2),
            new FullIntraRequest(1, 0, List.of(new FirEntry(3, 4))));
    byte[] bytes = compound(packets.toArray(RtcpPacket[]::new));
    int expected = 0;
    for (RtcpPacket p : packets) {
      expected += RtcpWriter.length(p);
      assertEquals(0, RtcpWriter.length(p) % 4);
    }
    assertEquals(expected, bytes.length);
    assertEquals(packets, parseOk(bytes));
    assertEquals("shutting down", ((Goodbye) packets.get(2)).reasonText());

    // The view walks the same packets without decoding them.
    RtcpCompoundPacket view = new RtcpCompoundPacket();
    assertTrue(view.wrap(bytes, 0, bytes.length));
    List<Integer> types = new ArrayList<>();
    while (view.next()) {
      types.add(view.packetType());
    }
    assertEquals(List.of(200, 202, 203, 203, 204, 201, 205, 206, 206), types);
    view.rewind();
    assertTrue(view.next());
    assertEquals(0x80000000, view.firstSsrc());
    assertEquals(2, view.countOrFormat());
  }

  @Test
  void everyTruncationIsRejectedUnlessItEndsOnAPacketBoundary() {
    byte[] bytes =
        compound(
            new SenderReport(1, 2, 3, 4, 5, List.of(new ReportBlock(1, 2, 3, 4, 5, 6, 7))),
            new SourceDescription(List.of(SdesChunk.ofCname(1, "cname"))),
            new GenericNack(1, 2, List.of(7)),
            new PictureLossIndication(1, 2));
    Set<Integer> boundaries = new HashSet<>();
    RtcpCompoundPacket view = new RtcpCompoundPacket();
    assertTrue(view.wrap(bytes, 0, bytes.length));
    while (view.next()) {
      boundaries.add(view.packetOffset() + view.packetLength());
    }
    for (int length = 0; length < bytes.length; length++) {
      List<RtcpPacket> out = new ArrayList<>();
      RtcpStatus status = RtcpParser.parse(bytes, 0, length, out);
      if (boundaries.contains(length)) {
        assertEquals(RtcpStatus.OK, status, "length " + length);
      } else {
        assertEquals(RtcpStatus.TRUNCATED, status, "length " + length);
        assertTrue(out.isEmpty());
      }
    }
  }

  @Test
  void malformedBodiesAndHeaders() {
    List<RtcpPacket> out = new ArrayList<>();
    // RR claiming two report blocks with room for none.
    byte[] rr = hex("82c90001 00000001");
    assertEquals(RtcpStatus.MALFORMED_BODY, RtcpParser.parse(rr, 0, rr.length, out));
    // SDES chunk whose item runs past the end.
    byte[] sdes = hex("81ca0002 00000001 01090000");
    assertEquals(RtcpStatus.MALFORMED_BODY, RtcpParser.parse(sdes, 0, sdes.length, out));
    // SDES chunk without a null terminator.
    byte[] noNull = hex("81ca0002 00000001 01026162");
    assertEquals(RtcpStatus.MALFORMED_BODY, RtcpParser.parse(noNull, 0, noNull.length, out));
    // BYE whose reason length overruns.
    byte[] bye = hex("81cb0002 00000001 05616200");
    assertEquals(RtcpStatus.MALFORMED_BODY, RtcpParser.parse(bye, 0, bye.length, out));
    // Feedback without the media SSRC.
    byte[] fb = hex("81ce0001 00000001");
    assertEquals(RtcpStatus.MALFORMED_BODY, RtcpParser.parse(fb, 0, fb.length, out));
    // Version 1.
    byte[] v1 = hex("40c90001 00000001");
    assertEquals(RtcpStatus.BAD_VERSION, RtcpParser.parse(v1, 0, v1.length, out));
    // Padding count 0, and larger than the body.
    byte[] pad0 = hex("a0c90001 00000000");
    assertEquals(RtcpStatus.BAD_PADDING, RtcpParser.parse(pad0, 0, pad0.length, out));
    byte[] padBig = hex("a0c90001 00000009");
    assertEquals(RtcpStatus.BAD_PADDING, RtcpParser.parse(padBig, 0, padBig.length, out));
    // Trailing garbage shorter than a header.
    byte[] tail = hex("80c90001 00000001 80");
    assertEquals(RtcpStatus.TRUNCATED, RtcpParser.parse(tail, 0, tail.length, out));
    assertEquals(RtcpStatus.TRUNCATED, RtcpParser.parse(new byte[0], 0, 0, out));
    assertTrue(out.isEmpty());
    // A well-formed packet with valid padding parses, ignoring the padding.
    byte[] padded = hex("a1cb0002 00000007 00000004");
    assertEquals(RtcpStatus.OK, RtcpParser.parse(padded, 0, padded.length, out));
    assertEquals(Goodbye.of(List.of(7), ""), out.get(0));
    RtcpCompoundPacket view = new RtcpCompoundPacket();
    assertFalse(view.wrap(v1, 0, v1.length));
    assertFalse(view.next());
  }

  @Test
  void writerRejectsMisuse() {
    assertThrows(IllegalArgumentException.class, () -> new ReportBlock(1, 256, 0, 0, 0, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new ReportBlock(1, 0, 0x800000, 0, 0, 0, 0));
    assertThrows(
        IllegalArgumentException.class, () -> new ApplicationDefined(1, 1, "TOOLONG", new byte[0]));
    assertThrows(IllegalArgumentException.class, () -> new FirEntry(1, 256));
    assertThrows(
        IllegalArgumentException.class,
        () -> RtcpWriter.write(new PictureLossIndication(1, 2), new byte[11], 0));
  }
}
