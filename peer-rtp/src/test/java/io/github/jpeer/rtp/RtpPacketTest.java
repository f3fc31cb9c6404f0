package io.github.jpeer.rtp;

import static io.github.jpeer.rtp.Allocations.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RtpPacketTest {

  @Test
  void parsesHandWrittenFixedHeader() {
    // RFC 3550 5.1: V=2, P=0, X=0, CC=0, M=1, PT=111, seq 0x1234, ts 0xDEADBEEF, SSRC 0xCAFEBABE.
    byte[] bytes = hex("80ef1234 deadbeef cafebabe 0102030405");
    RtpPacket packet = new RtpPacket();
    assertTrue(packet.wrap(bytes, 0, bytes.length));
    assertEquals(2, packet.version());
    assertTrue(packet.marker());
    assertEquals(111, packet.payloadType());
    assertEquals(0x1234, packet.sequenceNumber());
    assertEquals(0xDEADBEEFL, packet.timestamp());
    assertEquals(0xCAFEBABE, packet.ssrc());
    assertEquals(12, packet.headerLength());
    assertEquals(12, packet.payloadOffset());
    assertEquals(5, packet.payloadLength());
    assertFalse(packet.hasExtension());
    assertEquals(-1, packet.extensionProfile());
    assertEquals(-1, packet.firstExtensionElement());
  }

  @Test
  void oneByteExtensionsCsrcsAndPaddingRoundTrip() {
    RtpHeaderWriter writer =
        new RtpHeaderWriter()
            .marker(true)
            .payloadType(96)
            .sequenceNumber(65535)
            .timestamp(0xFFFF_FFFFL)
            .ssrc(0x11223344)
            .addCsrc(0xA1)
            .addCsrc(0xA2)
            .addExtension(1, new byte[] {0x55}, 0, 1)
            .addExtension(3, new byte[] {1, 2, 3}, 0, 3)
            .addExtension(14, new byte[16], 0, 16);
    byte[] buf = new byte[200];
    int header = writer.write(buf, 10);
    // 12 fixed + 8 CSRC + 4 extension header + (2 + 4 + 17 = 23 -> 24) elements
    assertEquals(48, header);
    byte[] payload = {9, 8, 7};
    System.arraycopy(payload, 0, buf, 10 + header, payload.length);
    int length = RtpHeaderWriter.appendPadding(buf, 10, header + payload.length, 5);

    RtpPacket packet = new RtpPacket();
    assertTrue(packet.wrap(buf, 10, length));
    assertTrue(packet.hasPadding());
    assertEquals(5, packet.paddingLength());
    assertEquals(3, packet.payloadLength());
    assertArrayEquals(
        payload, Arrays.copyOfRange(buf, packet.payloadOffset(), packet.payloadOffset() + 3));
    assertEquals(2, packet.csrcCount());
    assertEquals(0xA2, packet.csrc(1));
    assertEquals(65535, packet.sequenceNumber());
    assertEquals(0xFFFF_FFFFL, packet.timestamp());
    assertEquals(RtpPacket.ONE_BYTE_PROFILE, packet.extensionProfile());
    assertEquals(24, packet.extensionDataLength());

    int c = packet.firstExtensionElement();
    assertEquals(1, packet.extensionElementId(c));
    assertEquals(1, packet.extensionElementLength(c));
    assertEquals(0x55, buf[packet.extensionElementDataOffset(c)]);
    c = packet.nextExtensionElement(c);
    assertEquals(3, packet.extensionElementId(c));
    assertEquals(3, packet.extensionElementLength(c));
    c = packet.nextExtensionElement(c);
    assertEquals(14, packet.extensionElementId(c));
    assertEquals(16, packet.extensionElementLength(c));
    assertEquals(-1, packet.nextExtensionElement(c));
    assertEquals(
        packet.findExtensionElement(3),
        packet.nextExtensionElement(packet.firstExtensionElement()));
    assertEquals(-1, packet.findExtensionElement(2));

    // Re-writing the parsed header gives the same bytes.
    byte[] again = new byte[200];
    int againHeader = new RtpHeaderWriter().copyFrom(packet).write(again, 0);
    assertEquals(header, againHeader);
    again[0] |= 0x20;
    assertArrayEquals(Arrays.copyOfRange(buf, 10, 10 + header), Arrays.copyOf(again, header));
  }

  @Test
  void twoByteExtensionsRoundTrip() {
    RtpHeaderWriter writer =
        new RtpHeaderWriter()
            .payloadType(100)
            .ssrc(7)
            .addExtension(20, new byte[] {1, 2}, 0, 2)
            .addExtension(2, new byte[0], 0, 0)
            .addExtension(5, new byte[17], 0, 17);
    byte[] buf = new byte[100];
    int header = writer.write(buf, 0);
    // RFC 8285 4.3: profile 0x100 with appbits 0.
    assertEquals(0x10, buf[12] & 0xFF);
    assertEquals(0x00, buf[13] & 0xFF);
    // (2+2) + (2+0) + (2+17) = 25 -> 28 bytes of element data.
    assertEquals(12 + 4 + 28, header);
    RtpPacket packet = new RtpPacket();
    assertTrue(packet.wrap(buf, 0, header));
    assertEquals(0, packet.payloadLength());
    int c = packet.findExtensionElement(20);
    assertEquals(2, packet.extensionElementLength(c));
    assertEquals(2, buf[packet.extensionElementDataOffset(c) + 1]);
    c = packet.findExtensionElement(2);
    assertEquals(0, packet.extensionElementLength(c));
    c = packet.findExtensionElement(5);
    assertEquals(17, packet.extensionElementLength(c));
  }

  @Test
  void forcedTwoByteFormAndHandWrittenOneBytePaddingAndStop() {
    byte[] buf = new byte[64];
    int header =
        new RtpHeaderWriter()
            .twoByteExtensions(true)
            .addExtension(1, new byte[] {42}, 0, 1)
            .write(buf, 0);
    RtpPacket packet = new RtpPacket();
    assertTrue(packet.wrap(buf, 0, header));
    assertEquals(RtpPacket.TWO_BYTE_PROFILE, packet.extensionProfile());
    assertEquals(42, buf[packet.extensionElementDataOffset(packet.findExtensionElement(1))]);

    // RFC 8285 4.2: zero bytes between elements are padding; id 15 stops processing.
    byte[] bytes = hex("90000001 00000000 00000001 bede0002 00 10 aa 00 f0 20 bbbb");
    assertTrue(packet.wrap(bytes, 0, bytes.length));
    int c = packet.firstExtensionElement();
    assertEquals(1, packet.extensionElementId(c));
    assertEquals(-1, packet.nextExtensionElement(c));
    assertEquals(-1, packet.findExtensionElement(2));
  }

  @Test
  void extensionElementOverrunEndsIteration() {
    // One-byte element claiming 16 bytes inside a 4-byte extension: the packet is fine, the
    // element list is not, so iteration yields nothing.
    byte[] bytes = hex("90000001 00000000 00000001 bede0001 1f000000");
    RtpPacket packet = new RtpPacket();
    assertTrue(packet.wrap(bytes, 0, bytes.length));
    assertEquals(-1, packet.firstExtensionElement());
    // Another profile is not RFC 8285: no elements.
    byte[] other = hex("90000001 00000000 00000001 12340001 10aa0000");
    assertTrue(packet.wrap(other, 0, other.length));
    assertEquals(0x1234, packet.extensionProfile());
    assertEquals(-1, packet.firstExtensionElement());
  }

  @Test
  void malformedPacketsAreRejectedWithStatus() {
    RtpPacket packet = new RtpPacket();
    assertEquals(RtpPacket.Status.NOT_WRAPPED, packet.status());
    byte[] v1 = hex("40000001 00000000 00000001");
    assertFalse(packet.wrap(v1, 0, v1.length));
    assertEquals(RtpPacket.Status.BAD_VERSION, packet.status());
    byte[] csrc = hex("82000001 00000000 00000001 00000001");
    assertFalse(packet.wrap(csrc, 0, csrc.length));
    assertEquals(RtpPacket.Status.CSRC_OVERRUN, packet.status());
    byte[] ext = hex("90000001 00000000 00000001 bede0002 00000000");
    assertFalse(packet.wrap(ext, 0, ext.length));
    assertEquals(RtpPacket.Status.EXTENSION_OVERRUN, packet.status());
    byte[] zeroPadding = hex("a0000001 00000000 00000001 aabb00");
    assertFalse(packet.wrap(zeroPadding, 0, zeroPadding.length));
    assertEquals(RtpPacket.Status.BAD_PADDING, packet.status());
    byte[] bigPadding = hex("a0000001 00000000 00000001 aabb05");
    assertFalse(packet.wrap(bigPadding, 0, bigPadding.length));
    assertEquals(RtpPacket.Status.BAD_PADDING, packet.status());
    assertFalse(packet.wrap(new byte[0], 0, 0));
    assertEquals(RtpPacket.Status.TOO_SHORT, packet.status());
  }

  @Test
  void everyTruncationOfAHeaderOnlyPacketIsInvalid() {
    byte[] buf = new byte[100];
    int header =
        new RtpHeaderWriter()
            .addCsrc(1)
            .addCsrc(2)
            .addExtension(4, new byte[] {1, 2, 3, 4, 5}, 0, 5)
            .write(buf, 0);
    RtpPacket packet = new RtpPacket();
    assertTrue(packet.wrap(buf, 0, header));
    for (int length = 0; length < header; length++) {
      assertFalse(packet.wrap(buf, 0, length), "length " + length);
    }
    // With padding the count byte moves as the packet is cut: never an exception, and a
    // truncation is only accepted when its own last byte is a plausible count.
    int padded = RtpHeaderWriter.appendPadding(buf, 0, header, 4);
    for (int length = 0; length < padded; length++) {
      boolean valid = packet.wrap(buf, 0, length);
      if (valid) {
        assertTrue(packet.headerLength() + packet.paddingLength() <= length);
      }
    }
  }

  @Test
  void writerRejectsMisuse() {
    RtpHeaderWriter writer = new RtpHeaderWriter();
    assertThrows(IllegalArgumentException.class, () -> writer.payloadType(128));
    assertThrows(IllegalArgumentException.class, () -> writer.addExtension(0, new byte[1], 0, 1));
    for (int i = 0; i < 15; i++) {
      writer.addCsrc(i);
    }
    assertThrows(IllegalStateException.class, () -> writer.addCsrc(16));
    assertThrows(
        IllegalArgumentException.class,
        () -> RtpHeaderWriter.appendPadding(new byte[20], 0, 12, 0));
  }

  @Test
  void viewParseAllocatesNothing() {
    byte[] buf = new byte[300];
    int header =
        new RtpHeaderWriter()
            .addCsrc(5)
            .addExtension(1, new byte[] {1}, 0, 1)
            .addExtension(2, new byte[] {1, 2}, 0, 2)
            .write(buf, 0);
    int length = header + 160;
    RtpPacket packet = new RtpPacket();
    long[] sink = new long[1];
    long allocated =
        Allocations.allocatedBytes(
            () -> {
              for (int i = 0; i < 10_000; i++) {
                if (packet.wrap(buf, 0, length)) {
                  int c = packet.findExtensionElement(2);
                  sink[0] +=
                      packet.sequenceNumber() + packet.timestamp() + packet.payloadLength() + c;
                }
              }
            });
    assertEquals(0, allocated);
    assertTrue(sink[0] != 0);
  }
}
