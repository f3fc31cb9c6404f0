package io.github.jpeer.media;

import javax.sound.sampled.TargetDataLine;

/**
 * Records 16-bit PCM from the default microphone through {@code javax.sound.sampled}.
 *
 * <p>{@link #read} blocks until the requested samples have been captured, so the application calls
 * it from its own audio thread (one 20 ms frame per call paces that thread in real time); never
 * call it from {@code PeerConnection.loop()}. The conversion buffer is reused, so reading frames of
 * a fixed size allocates nothing after the first call. Not thread-safe, except that {@link #close}
 * may be called from another thread to end a blocked {@link #read}.
 */
public final class AudioCapture implements AutoCloseable {
  private final PcmFormat format;
  private final TargetDataLine line;
  private byte[] scratch = new byte[0];

  private AudioCapture(PcmFormat format, TargetDataLine line) {
    this.format = format;
    this.line = line;
  }

  /**
   * Opens and starts the default microphone with a 100 ms device buffer.
   *
   * @throws AudioDeviceException if no capture device supports {@code format} or it is busy
   */
  public static AudioCapture open(PcmFormat format) {
    return open(format, 100);
  }

  /**
   * Opens and starts the default microphone with a device buffer of {@code bufferMillis}.
   *
   * @throws AudioDeviceException if no capture device supports {@code format} or it is busy
   * @throws IllegalArgumentException if {@code bufferMillis} is outside 10 to 10000
   */
  public static AudioCapture open(PcmFormat format, int bufferMillis) {
    return open(format, bufferMillis, AudioLines.SYSTEM);
  }

  static AudioCapture open(PcmFormat format, int bufferMillis, AudioLines lines) {
    TargetDataLine line =
        AudioLines.start(
            format,
            bufferMillis,
            lines::captureLine,
            TargetDataLine::open,
            "capture",
            "use --input FILE.wav to read audio from a WAV file instead");
    return new AudioCapture(format, line);
  }

  /** The format captured. */
  public PcmFormat format() {
    return format;
  }

  /**
   * Reads {@code count} interleaved samples, blocking until they are captured.
   *
   * @return samples read: {@code count}, or fewer if the capture was closed meanwhile
   * @throws IllegalArgumentException if the range does not fit or splits a frame
   */
  public int read(short[] pcm, int offset, int count) {
    Checks.frames(format, pcm, offset, count);
    if (scratch.length < 2 * count) {
      scratch = new byte[2 * count];
    }
    int bytes = line.read(scratch, 0, 2 * count);
    int samples = bytes / 2;
    Pcm.fromLittleEndian(scratch, 0, samples, pcm, offset);
    return samples;
  }

  /** Stops capturing and releases the device. */
  @Override
  public void close() {
    line.stop();
    line.close();
  }
}
