package io.github.jpeer.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.List;

class RtcpPacketFuzzTest {

  /**
   * Any bytes: parsing returns a status and never throws; what parses writes back (skipping the
   * packets that are only recognised) and parses again to the same records.
   */
  @FuzzTest(maxDuration = "60s")
  void parseWriteParse(byte[] data) {
    List<RtcpPacket> packets = new ArrayList<>();
    RtcpStatus status = RtcpParser.parse(data, 0, data.length, packets);
    if (status != RtcpStatus.OK) {
      assertTrue(packets.isEmpty());
      return;
    }
    List<RtcpPacket> writable = new ArrayList<>();
    for (RtcpPacket packet : packets) {
      if (!(packet instanceof UnsupportedRtcpPacket)) {
        writable.add(packet);
      }
    }
    int total = 0;
    for (RtcpPacket packet : writable) {
      total += RtcpWriter.length(packet);
    }
    byte[] out = new byte[total];
    assertEquals(total, RtcpWriter.writeCompound(writable, out, 0));
    if (total == 0) {
      return;
    }
    List<RtcpPacket> again = new ArrayList<>();
    assertEquals(RtcpStatus.OK, RtcpParser.parse(out, 0, out.length, again));
    assertEquals(writable, again);
  }
}
