package io.github.jpeer.realtime;

import io.github.jpeer.media.AudioPlayback;
import io.github.jpeer.media.PcmFormat;
import java.io.IOException;

/**
 * Where a {@link RealtimeSession} plays the assistant's voice: 20 ms blocks of 48 kHz mono 16-bit
 * PCM out of the session's jitter buffer, written on the session's playout thread. A speaker's
 * write blocks while the device is full, and so paces playout; a sink that takes blocks at once (a
 * file, a meter, a telephony bridge) leaves the pacing to the session, one block every 20 ms.
 */
public interface AudioOutput extends AutoCloseable {
  /**
   * Takes one block: {@code count} samples of {@code pcm} from {@code offset}. The array is reused
   * for the next block: copy what you keep.
   *
   * @throws IOException if the block cannot be written: playout then ends, and the session reports
   *     it ({@link RealtimeSession#playoutFailure()})
   */
  void write(short[] pcm, int offset, int count) throws IOException;

  /** Whether {@link #write} blocks while the device is full (a speaker), pacing playout itself. */
  default boolean blocking() {
    return false;
  }

  /**
   * Drops what the device still holds, at barge-in: the assistant must stop at once. Called from
   * the connection's loop thread, concurrently with {@link #write}.
   */
  default void flush() {}

  /** Releases the device or file; the session calls it once, after playout has stopped. */
  @Override
  default void close() throws IOException {}

  /**
   * The default speaker, opened now at 48 kHz mono with a 60 ms device buffer.
   *
   * @throws io.github.jpeer.media.AudioDeviceException if there is none or it is busy
   */
  static AudioOutput speaker() {
    AudioPlayback playback = AudioPlayback.open(new PcmFormat(48_000, 1), 60);
    return new AudioOutput() {
      @Override
      public void write(short[] pcm, int offset, int count) {
        playback.write(pcm, offset, count);
      }

      @Override
      public boolean blocking() {
        return true;
      }

      @Override
      public void flush() {
        playback.flush();
      }

      @Override
      public void close() {
        playback.drain();
        playback.close();
      }

      @Override
      public String toString() {
        return "the default speaker";
      }
    };
  }
}
