package io.github.jpeer.examples.openai;

import io.github.jpeer.media.AudioDeviceException;
import io.github.jpeer.media.AudioPlayback;
import io.github.jpeer.media.PcmFormat;
import io.github.jpeer.media.WavWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Where the received audio goes: a WAV file, the speaker, or nowhere (levels only). Decoded frames
 * come from the connection's loop thread, which must not block on a file or a device, so they pass
 * through a queue to a writer thread.
 */
final class AudioOut implements AutoCloseable {
  private static final short[] END = new short[0];

  private final String description;
  private final WavWriter wav;
  private final AudioPlayback speaker;
  private final BlockingQueue<short[]> queue = new ArrayBlockingQueue<>(500);
  private final Thread writer;
  private volatile String writeError;
  private volatile long framesDropped;

  private AudioOut(String description, WavWriter wav, AudioPlayback speaker) {
    this.description = description;
    this.wav = wav;
    this.speaker = speaker;
    if (wav != null || speaker != null) {
      writer = new Thread(this::drain, "openai-audio-out");
      writer.setDaemon(true);
      writer.start();
    } else {
      writer = null;
    }
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

  /** Takes a decoded frame (kept, not copied). Never blocks; drops if the writer lags. */
  void accept(short[] pcm) {
    if (writer != null && !queue.offer(pcm)) {
      framesDropped++;
    }
  }

  /** Why writing failed, or null. */
  String writeError() {
    return writeError;
  }

  /** Frames dropped because the writer fell behind. */
  long framesDropped() {
    return framesDropped;
  }

  private void drain() {
    try {
      for (short[] pcm; (pcm = queue.take()) != END; ) {
        if (writeError != null) {
          continue; // keep draining so the loop thread never fills the queue
        }
        try {
          if (wav != null) {
            wav.write(pcm, 0, pcm.length);
          } else {
            speaker.write(pcm, 0, pcm.length);
          }
        } catch (IOException | RuntimeException e) {
          writeError = e.getMessage();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Writes what is queued (within 5 s), then closes the file or device. */
  @Override
  public void close() throws IOException {
    if (writer != null) {
      try {
        queue.offer(END, 5, TimeUnit.SECONDS);
        writer.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (wav != null) {
      wav.close();
    }
    if (speaker != null) {
      speaker.drain();
      speaker.close();
    }
  }
}
