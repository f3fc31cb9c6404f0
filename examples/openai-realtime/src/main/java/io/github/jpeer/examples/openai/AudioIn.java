package io.github.jpeer.examples.openai;

import io.github.jpeer.media.AudioCapture;
import io.github.jpeer.media.AudioDeviceException;
import io.github.jpeer.media.PcmFormat;
import io.github.jpeer.media.Resampler;
import io.github.jpeer.media.SpeechLikeSignal;
import io.github.jpeer.media.WavAudio;
import io.github.jpeer.media.WavReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Where the sent audio comes from, always as 48 kHz mono: a WAV file (converted, then silence once
 * it ends), the microphone, or a generated speech-like signal. Used by the sender thread only.
 */
final class AudioIn implements AutoCloseable {
  private final String description;
  private final short[] clip;
  private final SpeechLikeSignal generated;
  private final AudioCapture microphone;
  private int clipPosition;

  private AudioIn(
      String description, short[] clip, SpeechLikeSignal generated, AudioCapture microphone) {
    this.description = description;
    this.clip = clip;
    this.generated = generated;
    this.microphone = microphone;
  }

  /** A WAV file, down-mixed to mono and converted to 48 kHz. */
  static AudioIn wav(Path file) throws IOException {
    WavAudio wav = WavReader.read(file);
    short[] pcm = wav.samples();
    int channels = wav.format().channels();
    if (channels > 1) {
      short[] mono = new short[pcm.length / channels];
      for (int i = 0; i < mono.length; i++) {
        int sum = 0;
        for (int c = 0; c < channels; c++) {
          sum += pcm[i * channels + c];
        }
        mono[i] = (short) (sum / channels);
      }
      pcm = mono;
    }
    int rate = wav.format().sampleRate();
    if (rate != 48_000) {
      pcm = Resampler.resample(pcm, rate, 48_000, 1);
    }
    return new AudioIn(
        "file " + file + " (" + wav.durationMillis() + " ms, " + wav.format() + ")",
        pcm,
        null,
        null);
  }

  /** The generated speech-like signal (seeded, so every run sends the same audio). */
  static AudioIn generated() {
    return new AudioIn(
        "a generated speech-like signal",
        null,
        new SpeechLikeSignal(48_000, new SplittableRandom(20_251_121L)),
        null);
  }

  /**
   * The default microphone.
   *
   * @throws AudioDeviceException if there is none
   */
  static AudioIn microphone() {
    return new AudioIn("the microphone", null, null, AudioCapture.open(PcmFormat.MONO_48K));
  }

  /** Says where the audio comes from, for the console. */
  String description() {
    return description;
  }

  /**
   * Whether {@link #read} returns at once and the caller must pace itself; a microphone blocks
   * until the frame has been captured, so the device's clock paces it.
   */
  boolean needsPacing() {
    return microphone == null;
  }

  /** Fills {@code frame} with the next samples. */
  void read(short[] frame) {
    if (microphone != null) {
      int n = microphone.read(frame, 0, frame.length);
      Arrays.fill(frame, n, frame.length, (short) 0);
    } else if (generated != null) {
      generated.fill(frame, 0, frame.length);
    } else {
      int n = Math.max(0, Math.min(frame.length, clip.length - clipPosition));
      System.arraycopy(clip, clipPosition, frame, 0, n);
      // After the file: silence, so RTP keeps flowing and the server's VAD hears the end.
      Arrays.fill(frame, n, frame.length, (short) 0);
      clipPosition += n;
    }
  }

  @Override
  public void close() {
    if (microphone != null) {
      microphone.close();
    }
  }
}
