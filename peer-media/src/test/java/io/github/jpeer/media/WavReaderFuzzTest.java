package io.github.jpeer.media;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;

class WavReaderFuzzTest {

  /**
   * Any bytes either parse or give a WavFormatException; what parses writes back as a file that
   * parses to the same audio.
   */
  @FuzzTest(maxDuration = "60s")
  void parse(byte[] data) {
    WavAudio audio;
    try {
      audio = WavReader.parse(data);
    } catch (WavFormatException expected) {
      return;
    }
    assertEquals(audio, WavReader.parse(WavWriter.toBytes(audio)));
  }
}
