package io.github.jpeer.sctp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class DcepMessageTest {
  private static byte[] hex(String s) {
    return HexFormat.of().parseHex(s.replace(" ", ""));
  }

  @Test
  void openMatchesRfc8832Layout() throws Exception {
    // RFC 8832 5.1: type 0x03, channel type 0x81 (rexmit unordered), priority 256,
    // reliability 3, label "chat" (4), protocol "xmpp" (4)
    byte[] wire = hex("03 81 0100 00000003 0004 0004 63686174 786d7070");
    DcepMessage.Open open =
        new DcepMessage.Open(ChannelType.PARTIAL_RELIABLE_REXMIT_UNORDERED, 256, 3, "chat", "xmpp");
    assertArrayEquals(wire, open.encode());
    assertEquals(open, DcepMessage.parse(wire, 0, wire.length));
  }

  @Test
  void openWithEmptyLabelAndProtocolAndEveryChannelType() throws Exception {
    for (ChannelType t : ChannelType.values()) {
      DcepMessage.Open open = new DcepMessage.Open(t, 128, 1000, "", "");
      byte[] wire = open.encode();
      assertEquals(12, wire.length);
      assertEquals(t.code(), wire[1] & 0xFF);
      assertEquals(open, DcepMessage.parse(wire, 0, wire.length));
    }
    assertEquals(0x00, ChannelType.RELIABLE.code());
    assertEquals(0x01, ChannelType.PARTIAL_RELIABLE_REXMIT.code());
    assertEquals(0x02, ChannelType.PARTIAL_RELIABLE_TIMED.code());
    assertEquals(0x80, ChannelType.RELIABLE_UNORDERED.code());
    assertEquals(0x82, ChannelType.PARTIAL_RELIABLE_TIMED_UNORDERED.code());
  }

  @Test
  void utf8LabelLengthsCountBytes() throws Exception {
    DcepMessage.Open open = new DcepMessage.Open(ChannelType.RELIABLE, 256, 0, "ü", "");
    byte[] wire = open.encode();
    assertEquals(2, ((wire[8] & 0xFF) << 8) | (wire[9] & 0xFF));
    assertEquals("ü", ((DcepMessage.Open) DcepMessage.parse(wire, 0, wire.length)).label());
  }

  @Test
  void ackIsOneByte() throws Exception {
    // RFC 8832 5.2
    assertArrayEquals(new byte[] {0x02}, new DcepMessage.Ack().encode());
    assertEquals(new DcepMessage.Ack(), DcepMessage.parse(new byte[] {2}, 0, 1));
  }

  @Test
  void malformedMessagesAreRejected() {
    assertThrows(SctpParseException.class, () -> DcepMessage.parse(new byte[0], 0, 0));
    assertThrows(SctpParseException.class, () -> DcepMessage.parse(new byte[] {2, 0}, 0, 2));
    assertThrows(SctpParseException.class, () -> DcepMessage.parse(new byte[] {9}, 0, 1));
    byte[] badType = hex("03 05 0100 00000000 0000 0000");
    assertThrows(SctpParseException.class, () -> DcepMessage.parse(badType, 0, badType.length));
    byte[] badLen = hex("03 00 0100 00000000 0005 0000 6162");
    assertThrows(SctpParseException.class, () -> DcepMessage.parse(badLen, 0, badLen.length));
    byte[] shortOpen = hex("03 00 0100 0000");
    assertThrows(SctpParseException.class, () -> DcepMessage.parse(shortOpen, 0, 6));
  }
}
