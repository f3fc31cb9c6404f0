package io.github.jpeer.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;

class RtpPacketFuzzTest {

  /**
   * Any bytes: {@link RtpPacket#wrap} never throws; a valid packet re-written from its parsed
   * fields (header verbatim, payload, padding length) gives the same bytes, apart from the content
   * of padding octets before the count, which RFC 3550 leaves free.
   */
  @FuzzTest(maxDuration = "60s")
  void parseAndRewrite(byte[] data) {
    RtpPacket packet = new RtpPacket();
    if (!packet.wrap(data, 0, data.length)) {
      return;
    }
    int elements = 0;
    for (int c = packet.firstExtensionElement(); c >= 0; c = packet.nextExtensionElement(c)) {
      int end = packet.extensionElementDataOffset(c) + packet.extensionElementLength(c);
      assertTrue(end <= packet.extensionDataOffset() + packet.extensionDataLength());
      assertTrue(packet.extensionElementId(c) > 0);
      assertTrue(++elements <= packet.extensionDataLength());
    }
    assertTrue(
        packet.payloadOffset() + packet.payloadLength() + packet.paddingLength() == data.length);

    byte[] out = new byte[data.length];
    int header = new RtpHeaderWriter().copyFrom(packet).write(out, 0);
    assertEquals(packet.headerLength(), header);
    System.arraycopy(data, packet.payloadOffset(), out, header, packet.payloadLength());
    int length = header + packet.payloadLength();
    if (packet.hasPadding()) {
      length = RtpHeaderWriter.appendPadding(out, 0, length, packet.paddingLength());
    }
    assertEquals(data.length, length);
    int compared = data.length - packet.paddingLength();
    assertArrayEquals(Arrays.copyOf(data, compared), Arrays.copyOf(out, compared));
    if (packet.hasPadding()) {
      assertEquals(data[data.length - 1], out[length - 1]);
    }

    RtpPacket again = new RtpPacket();
    assertTrue(again.wrap(out, 0, length));
    assertEquals(packet.ssrc(), again.ssrc());
    assertEquals(packet.timestamp(), again.timestamp());
    assertEquals(packet.payloadLength(), again.payloadLength());
  }
}
