package io.github.jpeer.media;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.LineUnavailableException;
import javax.sound.sampled.SourceDataLine;
import javax.sound.sampled.TargetDataLine;
import org.junit.jupiter.api.Test;

class AudioDeviceTest {

  /** Lines as javax.sound gives them on a machine without sound hardware. */
  private static final AudioLines NONE =
      new AudioLines() {
        @Override
        public TargetDataLine captureLine(AudioFormat format) {
          throw new IllegalArgumentException(
              "No line matching interface TargetDataLine is supported.");
        }

        @Override
        public SourceDataLine playbackLine(AudioFormat format) throws LineUnavailableException {
          throw new LineUnavailableException("device busy");
        }
      };

  @Test
  void missingDevicesGiveAClearMessageSuggestingWavFiles() {
    AudioDeviceException capture =
        assertThrows(
            AudioDeviceException.class, () -> AudioCapture.open(PcmFormat.MONO_48K, 100, NONE));
    assertTrue(
        capture
            .getMessage()
            .startsWith("No audio capture device is available for 48000 Hz 16-bit mono"),
        capture.getMessage());
    assertTrue(capture.getMessage().contains("--input FILE.wav"), capture.getMessage());
    AudioDeviceException playback =
        assertThrows(
            AudioDeviceException.class, () -> AudioPlayback.open(PcmFormat.MONO_48K, 100, NONE));
    assertTrue(
        playback.getMessage().startsWith("No audio playback device is available"),
        playback.getMessage());
    assertTrue(playback.getMessage().contains("--output FILE.wav"), playback.getMessage());
    assertTrue(playback.getCause() instanceof LineUnavailableException);
  }

  /** Runs only where javax.sound sees no device (as on this CI machine): the real path. */
  @Test
  void realSystemWithoutDevicesFailsTheSameWay() {
    AudioFormat format = new AudioFormat(48_000, 16, 1, true, false);
    assumeTrue(
        !AudioSystem.isLineSupported(
            new javax.sound.sampled.DataLine.Info(TargetDataLine.class, format)),
        "this machine has a capture device");
    AudioDeviceException e =
        assertThrows(AudioDeviceException.class, () -> AudioCapture.open(PcmFormat.MONO_48K));
    assertTrue(e.getMessage().contains("--input FILE.wav"), e.getMessage());
  }

  @Test
  void bufferSizeIsChecked() {
    assertThrows(
        IllegalArgumentException.class, () -> AudioCapture.open(PcmFormat.MONO_48K, 5, NONE));
  }
}
