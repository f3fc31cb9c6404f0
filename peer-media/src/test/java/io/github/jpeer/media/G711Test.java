package io.github.jpeer.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class G711Test {

  // ITU-T G.711 tables 1a/2a: the codes for zero, and the extreme codes.
  @Test
  void knownValues() {
    assertEquals((byte) 0xFF, G711.linearToUlaw((short) 0));
    assertEquals((byte) 0xD5, G711.linearToAlaw((short) 0));
    assertEquals(0, G711.ulawToLinear((byte) 0xFF));
    assertEquals(0, G711.ulawToLinear((byte) 0x7F));
    assertEquals(-32124, G711.ulawToLinear((byte) 0x00));
    assertEquals(32124, G711.ulawToLinear((byte) 0x80));
    assertEquals(-32256, G711.alawToLinear((byte) 0x2A));
    assertEquals(32256, G711.alawToLinear((byte) 0xAA));
    assertEquals(8, G711.alawToLinear((byte) 0xD5));
    assertEquals(-8, G711.alawToLinear((byte) 0x55));
    assertEquals((byte) 0x80, G711.linearToUlaw(Short.MAX_VALUE));
    assertEquals((byte) 0x00, G711.linearToUlaw(Short.MIN_VALUE));
    assertEquals((byte) 0xAA, G711.linearToAlaw(Short.MAX_VALUE));
    assertEquals((byte) 0x2A, G711.linearToAlaw(Short.MIN_VALUE));
  }

  @Test
  void decodeTablesAreSymmetric() {
    for (int code = 0; code < 128; code++) {
      assertEquals(
          G711.alawToLinear((byte) (code | 0x80)),
          -G711.alawToLinear((byte) code),
          "A-law " + code);
      assertEquals(
          G711.ulawToLinear((byte) (code | 0x80)),
          -G711.ulawToLinear((byte) code),
          "mu-law " + code);
    }
  }

  @Test
  void encodeInvertsDecodeForEveryCode() {
    for (int code = 0; code < 256; code++) {
      assertEquals((byte) code, G711.linearToAlaw(G711.alawToLinear((byte) code)), "A-law " + code);
      // mu-law has two zeros; 0x7F (negative zero) decodes to 0, which encodes as 0xFF.
      byte expected = code == 0x7F ? (byte) 0xFF : (byte) code;
      assertEquals(expected, G711.linearToUlaw(G711.ulawToLinear((byte) code)), "mu-law " + code);
    }
  }

  @Test
  void decodeIsMonotonicAndQuantisationErrorIsBounded() {
    // Decoded values rise with the sample; error is at most half a step of the segment.
    for (int sample = Short.MIN_VALUE; sample <= Short.MAX_VALUE; sample += 7) {
      short s = (short) sample;
      int alawError = Math.abs(G711.alawToLinear(G711.linearToAlaw(s)) - sample);
      int ulawError = Math.abs(G711.ulawToLinear(G711.linearToUlaw(s)) - sample);
      int bound = Math.max(16, Math.abs(sample) / 16 + 16);
      assertTrue(alawError <= bound, "A-law error " + alawError + " at " + sample);
      assertTrue(
          ulawError <= bound + 1024 * (Math.abs(sample) > 32124 ? 1 : 0),
          "mu-law error " + ulawError + " at " + sample);
    }
  }

  @Test
  void arrayMethodsMatchTheScalarOnes() {
    short[] pcm = SpeechLikeSignal.generate(8_000, 800, 2);
    byte[] alaw = new byte[800];
    byte[] ulaw = new byte[800];
    G711.encodeAlaw(pcm, 0, 800, alaw, 0);
    G711.encodeUlaw(pcm, 0, 800, ulaw, 0);
    short[] back = new short[800];
    G711.decodeAlaw(alaw, 0, 800, back, 0);
    for (int i = 0; i < 800; i++) {
      assertEquals(G711.linearToAlaw(pcm[i]), alaw[i]);
      assertEquals(G711.alawToLinear(alaw[i]), back[i]);
    }
    G711.decodeUlaw(ulaw, 0, 800, back, 0);
    for (int i = 0; i < 800; i++) {
      assertEquals(G711.ulawToLinear(ulaw[i]), back[i]);
    }
    assertThrows(
        IllegalArgumentException.class, () -> G711.encodeAlaw(pcm, 0, 800, new byte[10], 0));
  }
}
