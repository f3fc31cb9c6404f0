package io.github.jpeer.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LevelAndPcmTest {

  @Test
  void fullScaleSineReadsMinusThreeDbRmsAndZeroPeak() {
    short[] sine = Signals.sine(48_000, 1_000, 32_767, 48_000);
    assertEquals(-3.01, LevelMeter.rmsDbfs(sine, 0, sine.length), 0.01);
    assertEquals(0.0, LevelMeter.peakDbfs(sine, 0, sine.length), 0.001);
    short[] quiet = Signals.sine(48_000, 1_000, 3_277, 4_800); // -20 dB
    assertEquals(-23.01, LevelMeter.rmsDbfs(quiet, 0, quiet.length), 0.02);
    assertEquals(LevelMeter.SILENCE_DBFS, LevelMeter.rmsDbfs(new short[960], 0, 960));
    assertEquals(32_768, LevelMeter.peak(new short[] {5, Short.MIN_VALUE}, 0, 2));
  }

  @Test
  void heldPeakDecaysPerBlock() {
    LevelMeter meter = new LevelMeter(2.0);
    short[] loud = Signals.sine(48_000, 1_000, 32_767, 960);
    meter.measure(loud, 0, 960);
    meter.measure(new short[960], 0, 960);
    assertEquals(LevelMeter.SILENCE_DBFS, meter.rmsDbfs());
    assertEquals(-2.0, meter.heldPeakDbfs(), 0.01);
    assertThrows(IllegalArgumentException.class, () -> new LevelMeter(-1));
  }

  @Test
  void monoStereoConversions() {
    short[] mono = {1, -2, 32_767};
    short[] stereo = new short[6];
    Pcm.monoToStereo(mono, 0, 3, stereo, 0);
    assertArrayEquals(new short[] {1, 1, -2, -2, 32_767, 32_767}, stereo);
    short[] back = new short[3];
    Pcm.stereoToMono(stereo, 0, 3, back, 0);
    assertArrayEquals(mono, back);
    short[] mixed = {Short.MAX_VALUE, Short.MAX_VALUE, Short.MIN_VALUE, Short.MIN_VALUE, 3, -4};
    Pcm.stereoToMono(mixed, 0, 3, mixed, 0);
    assertArrayEquals(
        new short[] {Short.MAX_VALUE, Short.MIN_VALUE, -1}, java.util.Arrays.copyOf(mixed, 3));
    assertThrows(
        IllegalArgumentException.class, () -> Pcm.monoToStereo(mono, 0, 3, new short[5], 0));
  }

  @Test
  void littleEndianRoundTrip() {
    short[] pcm = {0, 1, -1, Short.MAX_VALUE, Short.MIN_VALUE, 0x1234};
    byte[] bytes = new byte[12];
    Pcm.toLittleEndian(pcm, 0, 6, bytes, 0);
    assertEquals(0x34, bytes[10]);
    assertEquals(0x12, bytes[11]);
    short[] back = new short[6];
    Pcm.fromLittleEndian(bytes, 0, 6, back, 0);
    assertArrayEquals(pcm, back);
  }

  @Test
  void pcmFormatDerivesFrameSizes() {
    assertEquals(960, PcmFormat.MONO_48K.samplesPerFrame(20));
    assertEquals(320, new PcmFormat(16_000, 2).shortsPerFrame(10));
    assertEquals(441, new PcmFormat(44_100, 1).samplesPerFrame(10));
    assertThrows(IllegalArgumentException.class, () -> new PcmFormat(44_100, 1).samplesPerFrame(1));
    IllegalArgumentException channels =
        assertThrows(IllegalArgumentException.class, () -> new PcmFormat(48_000, 3));
    assertTrue(channels.getMessage().contains("use 1 (mono) or 2 (stereo)"));
  }

  @Test
  void speechLikeSignalIsReproducibleAndSpeechShaped() {
    short[] a = SpeechLikeSignal.generate(16_000, 160_000, 99);
    assertArrayEquals(a, SpeechLikeSignal.generate(16_000, 160_000, 99));
    int frame = 320;
    int silent = 0;
    int loud = 0;
    for (int i = 0; i + frame <= a.length; i += frame) {
      double level = LevelMeter.rmsDbfs(a, i, frame);
      silent += level < -50 ? 1 : 0;
      loud += level > -35 ? 1 : 0;
    }
    int frames = a.length / frame;
    // Pauses and syllables both present, as in conversation (roughly half active).
    assertTrue(silent > frames / 5 && loud > frames / 4, silent + " silent, " + loud + " loud");
    assertTrue(LevelMeter.peakDbfs(a, 0, a.length) < -3);
    // Seeds give different signals.
    SpeechLikeSignal other = new SpeechLikeSignal(16_000, new SplittableRandom(100));
    short[] b = new short[a.length];
    other.fill(b, 0, b.length);
    assertTrue(Math.abs(Signals.correlation(a, 0, b, 0, a.length)) < 0.3);
  }
}
