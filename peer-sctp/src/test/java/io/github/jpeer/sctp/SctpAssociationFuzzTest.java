package io.github.jpeer.sctp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

class SctpAssociationFuzzTest {
  /**
   * Input: byte 0 picks the verification tag (even: the right one; odd: bytes 1-4), the rest is the
   * chunk section of one SCTP packet. The packet gets a valid CRC32c so it reaches the chunk
   * handlers of an established association. Nothing may escape, and unless the packet legally ended
   * or reconfigured the association, it still carries a message.
   */
  @FuzzTest(maxDuration = "60s")
  void randomPacketsIntoEstablishedAssociation(byte[] data) {
    if (data.length < 1) {
      return;
    }
    SctpPair pair = new SctpPair(99, SctpPair.fastConfig());
    pair.connectBoth();
    int id = pair.a.openChannel(pair.now(), DataChannelConfig.reliable("fuzz"));
    pair.runUntil(() -> pair.b.channel(id).isPresent(), 2_000);
    pair.a.send(pair.now(), id, new byte[3000], true);
    pair.flush();

    int tag = pair.b.localVerificationTag();
    int bodyStart = 1;
    if ((data[0] & 1) != 0 && data.length >= 5) {
      tag =
          ((data[1] & 0xFF) << 24)
              | ((data[2] & 0xFF) << 16)
              | ((data[3] & 0xFF) << 8)
              | (data[4] & 0xFF);
      bodyStart = 5;
    }
    byte[] packet = new byte[12 + data.length - bodyStart];
    packet[0] = (byte) (5000 >>> 8);
    packet[1] = (byte) 5000;
    packet[2] = (byte) (5000 >>> 8);
    packet[3] = (byte) 5000;
    packet[4] = (byte) (tag >>> 24);
    packet[5] = (byte) (tag >>> 16);
    packet[6] = (byte) (tag >>> 8);
    packet[7] = (byte) tag;
    System.arraycopy(data, bodyStart, packet, 12, data.length - bodyStart);
    SctpPacket.writeChecksum(packet, 0, packet.length);
    pair.b.handleReceive(pair.now(), packet, 0, packet.length);
    pair.runFor(3_000);

    SctpStats s = pair.b.stats();
    assertTrue(s.packetsReceived() > 0);
    if (pair.b.state() == SctpAssociation.State.ESTABLISHED
        && pair.b.channel(id).isPresent()
        && pair.a.channel(id).isPresent()
        && pair.a.state() == SctpAssociation.State.ESTABLISHED) {
      int before = SctpPair.of(pair.eventsA, SctpEvent.Message.class).size();
      pair.b.send(pair.now(), id, "still alive".getBytes(StandardCharsets.UTF_8), false);
      pair.runFor(5_000);
      assertEquals(
          before + 1,
          SctpPair.of(pair.eventsA, SctpEvent.Message.class).size(),
          "association no longer usable; b state " + pair.b.state() + " stats " + s);
    }
  }
}
