package io.github.jpeer.examples.openai;

import io.github.jpeer.media.AudioDeviceException;
import io.github.jpeer.media.AudioPlayback;
import io.github.jpeer.media.PcmFormat;
import io.github.jpeer.media.WavWriter;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Where the received audio goes: a WAV file, the speaker, or nowhere (levels only). Written on the
 * playout thread of peer-realtime's {@code RealtimeSession}, one 20 ms block at a time, never on
 * the connection's loop thread: the speaker's write blocks while its device is full (and so paces
 * the playout), a file's does not (the player paces itself).
 */
final class AudioOut implements AutoCloseable {
  private final String description;
  private final WavWriter wav;
  private final AudioPlayback speaker;

  private AudioOut(String description, WavWriter wav, AudioPlayback speaker) {
    this.description = description;
    this.wav = wav;
    this.speaker = speaker;
  }

  /** A 48 kHz mono WAV file. */
  static AudioOut wav(Path file) throws IOException {
    return new AudioOut("file " + file, WavWriter.create(file, PcmFormat.MONO_48K), null);
  }

  /**
   * The default speaker.
   *
   * @throws AudioDeviceException if there is none
   */
  static AudioOut speaker() {
    return new AudioOut("the speaker", null, AudioPlayback.open(PcmFormat.MONO_48K));
  }

  /** Nowhere: the received audio is only measured. */
  static AudioOut none() {
    return new AudioOut("nowhere (levels only)", null, null);
  }

  /** Says where the audio goes, for the console. */
  String description() {
    return description;
  }

  /** Whether {@link #write} blocks on a device (which then paces playout). */
  boolean blocks() {
    return speaker != null;
  }

  /** One block of 48 kHz mono PCM (playout thread). */
  void write(short[] pcm, int offset, int count) throws IOException {
    if (wav != null) {
      wav.write(pcm, offset, count);
    } else if (speaker != null) {
      speaker.write(pcm, offset, count);
    }
  }

  /** Barge-in: drops what the speaker still queues (any thread). */
  void flush() {
    if (speaker != null) {
      speaker.flush();
    }
  }

  /** Closes the file, or plays the speaker's queue out and releases it (after playout ended). */
  @Override
  public void close() throws IOException {
    if (wav != null) {
      wav.close();
    }
    if (speaker != null) {
      speaker.drain();
      speaker.close();
    }
  }
}
