package io.github.jpeer.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class OpusTocTest {
  private static int samples(int... bytes) {
    byte[] b = new byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      b[i] = (byte) bytes[i];
    }
    int fromArray = OpusToc.samplesAt48kHz(b, 0, b.length);
    int fromBytes =
        OpusToc.samplesAt48kHz(
            b.length > 0 ? b[0] : 0, b.length > 1 ? b[1] : (byte) 0x55, b.length);
    assertEquals(fromArray, fromBytes, "from the first two bytes as from the array");
    return fromArray;
  }

  @Test
  void frameSizesOfRfc6716Table2() {
    // config 1: SILK NB 20 ms; config 3: SILK NB 60 ms; config 13: Hybrid SWB 20 ms;
    // config 31: CELT FB 20 ms; config 16: CELT NB 2.5 ms.
    assertEquals(960, samples(1 << 3));
    assertEquals(2880, samples(3 << 3));
    assertEquals(960, samples(13 << 3));
    assertEquals(960, samples(31 << 3));
    assertEquals(120, samples(16 << 3));
    // libopus's usual 20 ms fullband CELT packet starts with 0xf8 / 0xfc (stereo).
    assertEquals(960, samples(0xf8, 0x01));
    assertEquals(960, samples(0xfc, 0x01));
  }

  @Test
  void frameCountCodes() {
    assertEquals(1920, samples((31 << 3) | 1, 0, 0)); // two equal frames
    assertEquals(1920, samples((31 << 3) | 2, 1, 0)); // two different frames
    assertEquals(2880, samples((31 << 3) | 3, 3)); // code 3, three frames
    assertEquals(-1, samples((31 << 3) | 3)); // code 3 needs its count byte
    assertEquals(-1, samples((31 << 3) | 3, 0)); // zero frames
    assertEquals(-1, samples((3 << 3) | 3, 3)); // 180 ms: over the 120 ms limit
    assertEquals(-1, samples());
  }
}
