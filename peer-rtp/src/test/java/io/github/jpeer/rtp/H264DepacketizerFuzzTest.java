package io.github.jpeer.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;

class H264DepacketizerFuzzTest {

  /**
   * The input is a sequence of packets, each prefixed with a 2-byte length. Whatever they hold, no
   * exception escapes the depacketizer and every delivered access unit is Annex-B within the size
   * limit.
   */
  @FuzzTest(maxDuration = "60s")
  void pushPackets(byte[] data) {
    H264Depacketizer depacketizer = new H264Depacketizer(64 * 1024);
    RtpPacket view = new RtpPacket();
    int pos = 0;
    while (pos + 2 <= data.length) {
      int length =
          Math.min(((data[pos] & 0xFF) << 8) | (data[pos + 1] & 0xFF), data.length - pos - 2);
      view.wrap(data, pos + 2, length);
      depacketizer.push(view);
      while (depacketizer.pollAccessUnit()) {
        int auLength = depacketizer.accessUnitLength();
        byte[] au = depacketizer.accessUnit();
        assertTrue(auLength >= 5 && auLength <= 64 * 1024);
        assertEquals(0, au[0]);
        assertEquals(0, au[1]);
        assertEquals(0, au[2]);
        assertEquals(1, au[3]);
      }
      pos += 2 + length;
    }
  }
}
