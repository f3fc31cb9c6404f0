package io.github.jpeer.stun;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;

/**
 * Wraps arbitrary bytes as ChannelData: either false with the framing really broken, or a view
 * whose re-encoding wraps to the same channel and data. No exception may escape.
 */
class ChannelDataFuzzTest {

  @FuzzTest(maxDuration = "60s")
  void wrapEncodeWrap(byte[] data) {
    ChannelData view = new ChannelData();
    if (!view.wrap(data, 0, data.length)) {
      boolean broken =
          data.length < 4
              || !ChannelData.isValidChannelNumber(((data[0] & 0xFF) << 8) | (data[1] & 0xFF))
              || (((data[2] & 0xFF) << 8) | (data[3] & 0xFF)) > data.length - 4;
      assertTrue(broken, "a well-formed ChannelData message was rejected");
      return;
    }
    byte[] payload =
        Arrays.copyOfRange(data, view.dataOffset(), view.dataOffset() + view.dataLength());
    for (boolean pad : new boolean[] {false, true}) {
      byte[] out = new byte[ChannelData.encodedLength(view.dataLength(), pad)];
      int n =
          ChannelData.encode(
              view.channelNumber(), data, view.dataOffset(), view.dataLength(), out, 0, pad);
      assertEquals(out.length, n);
      ChannelData again = new ChannelData();
      assertTrue(again.wrap(out, 0, n));
      assertEquals(view.channelNumber(), again.channelNumber());
      assertArrayEquals(
          payload,
          Arrays.copyOfRange(out, again.dataOffset(), again.dataOffset() + again.dataLength()));
      if (!pad) {
        assertArrayEquals(Arrays.copyOf(data, n), out);
      }
    }
  }
}
