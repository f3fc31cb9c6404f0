package io.github.jpeer.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class OpusConfigTest {

  @Test
  void defaultsSuitAVoiceCall() {
    OpusConfig config = OpusConfig.builder().build();
    assertEquals(48_000, config.sampleRate());
    assertEquals(1, config.channels());
    assertEquals(20, config.frameDurationMillis());
    assertEquals(OpusConfig.Application.VOIP, config.application());
    assertEquals(32_000, config.bitrateBps());
    assertEquals(5, config.complexity());
    assertFalse(config.dtx());
    assertTrue(config.inbandFec());
    assertEquals(10, config.packetLossPercent());
    assertEquals(960, config.samplesPerFrame());
    assertEquals(PcmFormat.MONO_48K, config.pcmFormat());
  }

  @Test
  void derivedSizesAndToBuilder() {
    OpusConfig config =
        OpusConfig.builder().sampleRate(16_000).channels(2).frameDurationMillis(60).build();
    assertEquals(960, config.samplesPerFrame());
    assertEquals(1_920, config.shortsPerFrame());
    assertEquals(config, config.toBuilder().build());
    assertEquals(12_000, config.toBuilder().bitrateBps(12_000).build().bitrateBps());
  }

  @Test
  void invalidSettingsSayWhatIsAllowed() {
    assertMessage(
        OpusConfig.builder().sampleRate(44_100),
        "sampleRate 44100 Hz is not an Opus rate; use one of [8000, 12000, 16000, 24000, 48000]");
    assertMessage(OpusConfig.builder().channels(3), "use 1 (mono) or 2 (stereo)");
    assertMessage(
        OpusConfig.builder().frameDurationMillis(5),
        "frameDurationMillis 5 is not supported; use one of [10, 20, 40, 60]");
    assertMessage(OpusConfig.builder().bitrateBps(5_000), "use 6000 to 510000 bit/s");
    assertMessage(OpusConfig.builder().bitrateBps(600_000), "bitrateBps 600000 is out of range");
    assertMessage(OpusConfig.builder().complexity(11), "use 0 (fastest) to 10");
    assertMessage(OpusConfig.builder().complexity(-1), "complexity -1");
    assertMessage(OpusConfig.builder().packetLossPercent(-1), "use 0 to 100");
    assertMessage(OpusConfig.builder().application(null), "use one of VOIP, AUDIO, LOW_DELAY");
  }

  private static void assertMessage(OpusConfig.Builder builder, String expected) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, builder::build);
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  @Test
  void everyApplicationAndRateBuildsAnEncoder() {
    for (OpusConfig.Application application : OpusConfig.Application.values()) {
      for (int rate : OpusConfig.SAMPLE_RATES) {
        OpusEncoder encoder =
            new OpusEncoder(OpusConfig.builder().application(application).sampleRate(rate).build());
        assertEquals(rate, encoder.config().sampleRate());
      }
    }
  }
}
