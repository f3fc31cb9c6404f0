package io.github.jpeer.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ResamplerTest {

  @Test
  void sineSurvivesDownAndUpAgain() {
    short[] tone = Signals.sine(48_000, 1_000, 16_000, 48_000);
    short[] down = Resampler.resample(tone, 48_000, 16_000, 1);
    short[] up = Resampler.resample(down, 16_000, 48_000, 1);
    assertEquals(16_000, down.length);
    assertEquals(48_000, up.length);
    // Away from the edges, the tone is pure, in phase and at its level.
    double snr = Signals.toneSnrDb(up, 4_800, 38_400, 48_000, 1_000);
    assertTrue(snr > 60, "SNR " + snr + " dB");
    assertTrue(Signals.errorEnergy(tone, 4_800, up, 4_800, 38_400) / 38_400 < 100, "not aligned");
  }

  @Test
  void toneAboveTheNewNyquistIsRemovedNotAliased() {
    // 7 kHz would fold to 1 kHz at 8 kHz; the low-pass must remove it.
    short[] tone = Signals.sine(48_000, 7_000, 16_000, 48_000);
    short[] down = Resampler.resample(tone, 48_000, 8_000, 1);
    double attenuationDb =
        20
            * Math.log10(
                Signals.rms(tone, 0, 48_000) / Math.max(1e-3, Signals.rms(down, 800, 6_400)));
    assertTrue(attenuationDb > 60, "attenuation " + attenuationDb + " dB");
    // A 3 kHz tone, inside the telephone band, passes.
    short[] inBand =
        Resampler.resample(Signals.sine(48_000, 3_000, 16_000, 48_000), 48_000, 8_000, 1);
    double ratio = Signals.rms(inBand, 800, 6_400) / (16_000 / Math.sqrt(2));
    assertTrue(ratio > 0.97 && ratio < 1.03, "3 kHz gain " + ratio);
  }

  @Test
  void everyOpusRatePairAndWavRatesWork() {
    int[] rates = {8_000, 12_000, 16_000, 24_000, 48_000};
    for (int from : rates) {
      for (int to : rates) {
        short[] tone = Signals.sine(from, 440, 10_000, from / 2);
        short[] out = Resampler.resample(tone, from, to, 1);
        assertEquals(to / 2, out.length);
        double snr = Signals.toneSnrDb(out, to / 20, to / 2 - to / 10, to, 440);
        assertTrue(snr > 50, from + " -> " + to + ": SNR " + snr);
      }
    }
    short[] cd = Signals.sine(44_100, 1_000, 10_000, 44_100);
    short[] out = Resampler.resample(cd, 44_100, 48_000, 1);
    assertTrue(Signals.toneSnrDb(out, 4_800, 38_400, 48_000, 1_000) > 50);
  }

  @Test
  void streamingInOddChunksEqualsOneShotAndAllocatesNothing() {
    short[] input = SpeechLikeSignal.generate(48_000, 48_000, 4);
    Resampler whole = new Resampler(48_000, 16_000, 1);
    short[] expected = new short[whole.maxOutputFrames(input.length)];
    int expectedCount = whole.process(input, 0, input.length, expected, 0);
    Resampler chunked = new Resampler(48_000, 16_000, 1);
    short[] out = new short[expected.length];
    short[] chunkOut = new short[chunked.maxOutputFrames(997)];
    int produced = 0;
    for (int offset = 0; offset < input.length; offset += 997) {
      int n = Math.min(997, input.length - offset);
      int got = chunked.process(input, offset, n, chunkOut, 0);
      System.arraycopy(chunkOut, 0, out, produced, got);
      produced += got;
    }
    // Warmed up, a pass over the same chunks allocates nothing (the least of a few passes, as
    // the JIT may allocate while it compiles).
    long allocated = Long.MAX_VALUE;
    for (int pass = 0; pass < 5; pass++) {
      long before = Signals.allocatedBytes();
      for (int offset = 0; offset + 997 <= input.length; offset += 997) {
        chunked.process(input, offset, 997, chunkOut, 0);
      }
      allocated = Math.min(allocated, Signals.allocatedBytes() - before);
    }
    allocated -= Signals.measurementOverhead();
    assertEquals(expectedCount, produced);
    assertEquals(
        java.util.Arrays.toString(java.util.Arrays.copyOf(expected, expectedCount)),
        java.util.Arrays.toString(java.util.Arrays.copyOf(out, produced)));
    assertEquals(0, allocated);
  }

  @Test
  void stereoChannelsStaySeparate() {
    short[] left = Signals.sine(48_000, 500, 8_000, 24_000);
    short[] right = Signals.sine(48_000, 1_500, 8_000, 24_000);
    short[] stereo = new short[48_000];
    for (int i = 0; i < 24_000; i++) {
      stereo[2 * i] = left[i];
      stereo[2 * i + 1] = right[i];
    }
    short[] out = Resampler.resample(stereo, 48_000, 16_000, 2);
    short[] outLeft = new short[8_000];
    short[] outRight = new short[8_000];
    for (int i = 0; i < 8_000; i++) {
      outLeft[i] = out[2 * i];
      outRight[i] = out[2 * i + 1];
    }
    assertTrue(Signals.toneSnrDb(outLeft, 800, 6_400, 16_000, 500) > 60);
    assertTrue(Signals.toneSnrDb(outRight, 800, 6_400, 16_000, 1_500) > 60);
  }

  @Test
  void badArgumentsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new Resampler(0, 8_000, 1));
    assertThrows(IllegalArgumentException.class, () -> new Resampler(8_000, 16_000, 3));
    IllegalArgumentException odd =
        assertThrows(IllegalArgumentException.class, () -> new Resampler(48_000, 47_999, 1));
    assertTrue(odd.getMessage().contains("47999/48000"), odd.getMessage());
    Resampler r = new Resampler(8_000, 48_000, 1);
    assertThrows(
        IllegalArgumentException.class, () -> r.process(new short[160], 0, 160, new short[100], 0));
  }
}
