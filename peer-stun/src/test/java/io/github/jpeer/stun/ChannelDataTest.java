package io.github.jpeer.stun;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ChannelDataTest {

  @Test
  void roundTripsWithAndWithoutPadding() {
    for (int dataLength : new int[] {0, 1, 3, 4, 5, 160, 1200}) {
      byte[] data = new byte[dataLength];
      for (int i = 0; i < dataLength; i++) {
        data[i] = (byte) (i * 7 + 1);
      }
      for (boolean pad : new boolean[] {false, true}) {
        byte[] dst = new byte[ChannelData.encodedLength(dataLength, pad) + 3];
        Arrays.fill(dst, (byte) 0x55);
        int n = ChannelData.encode(0x4001, data, 0, dataLength, dst, 3, pad);
        assertEquals(pad ? 4 + ((dataLength + 3) & ~3) : 4 + dataLength, n);
        for (int i = 3 + 4 + dataLength; i < 3 + n; i++) {
          assertEquals(0, dst[i], "padding is zero");
        }
        ChannelData view = new ChannelData();
        assertTrue(view.wrap(dst, 3, n));
        assertTrue(view.isValid());
        assertEquals(0x4001, view.channelNumber());
        assertEquals(7, view.dataOffset());
        assertEquals(dataLength, view.dataLength());
        assertEquals(dst, view.buffer());
        assertArrayEquals(data, Arrays.copyOfRange(dst, 7, 7 + dataLength));
      }
    }
  }

  @Test
  void headerOnlyEncodeWhenDataIsAlreadyInPlace() {
    byte[] buf = new byte[4 + 6];
    byte[] payload = {10, 20, 30, 40, 50, 60};
    System.arraycopy(payload, 0, buf, 4, payload.length);
    assertEquals(10, ChannelData.encode(0x4FFF, buf, 4, 6, buf, 0, false));
    assertArrayEquals(new byte[] {0x4F, (byte) 0xFF, 0, 6, 10, 20, 30, 40, 50, 60}, buf);
  }

  @Test
  void rfc8656Example() {
    // RFC 8656 section 12.4: channel 0x4000, 4 bytes of data.
    byte[] msg = {0x40, 0x00, 0x00, 0x04, 1, 2, 3, 4};
    ChannelData view = new ChannelData();
    assertTrue(view.wrap(msg, 0, msg.length));
    assertEquals(0x4000, view.channelNumber());
    assertEquals(4, view.dataLength());
  }

  @Test
  void malformedInputIsRejectedWithoutException() {
    ChannelData view = new ChannelData();
    byte[][] bad = {
      {},
      {0x40},
      {0x40, 0x00, 0x00},
      {0x3F, (byte) 0xFF, 0x00, 0x00}, // channel below range
      {0x50, 0x00, 0x00, 0x00}, // reserved channel
      {0x7F, (byte) 0xFF, 0x00, 0x00},
      {(byte) 0x80, 0x00, 0x00, 0x00},
      {0x40, 0x00, 0x00, 0x05, 1, 2, 3, 4}, // length past the end
      {0x40, 0x00, (byte) 0xFF, (byte) 0xFF},
    };
    for (byte[] b : bad) {
      assertTrue(view.wrap(new byte[] {0x40, 0, 0, 0}, 0, 4));
      assertFalse(view.wrap(b, 0, b.length), Arrays.toString(b));
      assertFalse(view.isValid());
      assertNull(view.buffer());
      assertEquals(0, view.channelNumber());
    }
    // Every truncation of a valid message is rejected.
    byte[] good = new byte[12];
    int n = ChannelData.encode(0x4abc, new byte[8], 0, 8, good, 0, false);
    for (int len = 0; len < n; len++) {
      assertFalse(view.wrap(good, 0, len));
    }
    // Extra bytes after the data (UDP padding) are ignored.
    assertTrue(view.wrap(Arrays.copyOf(good, 15), 0, 15));
    assertEquals(8, view.dataLength());
  }

  @Test
  void encodeRejectsMisuse() {
    byte[] dst = new byte[100];
    assertThrows(
        IllegalArgumentException.class,
        () -> ChannelData.encode(0x3FFF, new byte[1], 0, 1, dst, 0, false));
    assertThrows(
        IllegalArgumentException.class,
        () -> ChannelData.encode(0x5000, new byte[1], 0, 1, dst, 0, false));
    assertThrows(
        IllegalArgumentException.class,
        () -> ChannelData.encode(0x4000, new byte[99], 0, 99, dst, 0, true));
    assertThrows(IllegalArgumentException.class, () -> ChannelData.encodedLength(0x10000, false));
    assertThrows(IndexOutOfBoundsException.class, () -> new ChannelData().wrap(dst, 90, 20));
  }
}
