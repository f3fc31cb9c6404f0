package io.github.jpeer.examples.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jpeer.media.LevelMeter;
import io.github.jpeer.media.PcmFormat;
import io.github.jpeer.media.WavAudio;
import io.github.jpeer.media.WavWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sent audio is always 48 kHz mono, whatever the WAV file holds. */
class AudioInTest {
  @TempDir Path dir;

  @Test
  void stereo24kHzFileBecomes48kHzMonoThenSilence() throws Exception {
    // 100 ms of a 440 Hz tone at 24 kHz, stereo (the Realtime API's own PCM rate).
    short[] pcm = new short[2 * 2_400];
    for (int i = 0; i < 2_400; i++) {
      short v = (short) (8000 * Math.sin(2 * Math.PI * 440 * i / 24_000.0));
      pcm[2 * i] = v;
      pcm[2 * i + 1] = v;
    }
    Path file = dir.resolve("in.wav");
    WavWriter.write(file, new WavAudio(new PcmFormat(24_000, 2), pcm));

    try (AudioIn in = AudioIn.wav(file)) {
      assertTrue(in.needsPacing(), "a file is paced by the sender");
      short[] frame = new short[960];
      in.read(frame); // 0-20 ms
      in.read(frame); // 20-40 ms: well inside the tone
      double level = LevelMeter.rmsDbfs(frame, 0, frame.length);
      // A sine of amplitude 8000 reads 20*log10(8000/32768/sqrt(2)) = -15.3 dBFS.
      assertEquals(-15.3, level, 0.5);
      for (int i = 0; i < 3; i++) {
        in.read(frame); // up to 100 ms: the file ends
      }
      in.read(frame);
      assertEquals(LevelMeter.SILENCE_DBFS, LevelMeter.rmsDbfs(frame, 0, frame.length));
    }
  }

  @Test
  void generatedSignalSoundsLikeSpeech() {
    AudioIn in = AudioIn.generated();
    short[] frame = new short[960];
    double loudest = LevelMeter.SILENCE_DBFS;
    for (int i = 0; i < 100; i++) {
      in.read(frame);
      loudest = Math.max(loudest, LevelMeter.rmsDbfs(frame, 0, frame.length));
    }
    assertTrue(loudest > -40, "loudest 20 ms " + loudest + " dBFS");
  }
}
