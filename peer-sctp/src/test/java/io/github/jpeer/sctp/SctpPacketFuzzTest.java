package io.github.jpeer.sctp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;

class SctpPacketFuzzTest {
  /** Parse, write, parse again: the same packet; only SctpParseException may escape parse. */
  @FuzzTest(maxDuration = "60s")
  void parseWriteParse(byte[] data) throws SctpParseException {
    SctpPacket packet;
    try {
      packet = SctpPacket.parse(data, 0, data.length);
    } catch (SctpParseException e) {
      return;
    }
    byte[] written = packet.encode();
    SctpPacket again = SctpPacket.parse(written, 0, written.length);
    assertEquals(packet, again);
    assertArrayEquals(written, again.encode());
  }

  /** The same property for DCEP messages. */
  @FuzzTest(maxDuration = "60s")
  void dcepParseWriteParse(byte[] data) throws SctpParseException {
    DcepMessage msg;
    try {
      msg = DcepMessage.parse(data, 0, data.length);
    } catch (SctpParseException e) {
      return;
    }
    byte[] written = msg.encode();
    assertEquals(msg, DcepMessage.parse(written, 0, written.length));
  }
}
