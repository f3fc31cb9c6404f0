package io.github.jpeer.realtime;

import io.github.jpeer.media.AudioCapture;
import io.github.jpeer.media.PcmFormat;

/**
 * Where a {@link RealtimeSession} gets the user's voice: 20 ms frames of 48 kHz mono 16-bit PCM
 * (960 samples), read one at a time on the session's sender thread, which encodes each as Opus and
 * sends it. A microphone's read blocks until the frame is captured, and so paces the sender; a
 * source that answers at once (a file, a generator, a telephony queue that is always ahead) leaves
 * the pacing to the sender, one frame every 20 ms of the system clock.
 */
public interface AudioInput extends AutoCloseable {
  /** Samples in one frame: 20 ms at 48 kHz, mono. */
  int FRAME_SAMPLES = 960;

  /**
   * Fills {@code frame} ({@link #FRAME_SAMPLES} long) with the next 20 ms.
   *
   * @return false once the input has ended: the session then sends silence (so the server's turn
   *     detection hears the end of speech) and reads no more
   */
  boolean read(short[] frame);

  /** Whether {@link #read} blocks in real time (a microphone) and so paces the sender itself. */
  default boolean paced() {
    return false;
  }

  /** Releases the device or file; the session calls it once, when the call ends. */
  @Override
  default void close() {}

  /**
   * The default microphone, opened now at 48 kHz mono.
   *
   * @throws io.github.jpeer.media.AudioDeviceException if there is none or it is busy
   */
  static AudioInput microphone() {
    AudioCapture capture = AudioCapture.open(new PcmFormat(48_000, 1));
    return new AudioInput() {
      @Override
      public boolean read(short[] frame) {
        return capture.read(frame, 0, FRAME_SAMPLES) == FRAME_SAMPLES;
      }

      @Override
      public boolean paced() {
        return true;
      }

      @Override
      public void close() {
        capture.close();
      }

      @Override
      public String toString() {
        return "the default microphone";
      }
    };
  }
}
