package io.github.jpeer.media;

import javax.sound.sampled.SourceDataLine;

/**
 * Plays 16-bit PCM on the default speaker through {@code javax.sound.sampled}.
 *
 * <p>{@link #write} blocks while the device buffer is full, so the application calls it from its
 * own audio thread (a jitter buffer in front of it smooths the network's timing: {@link
 * JitterBufferPlayer#toSpeaker} pulls one and writes here); never call it from {@code
 * PeerConnection.loop()}. The conversion buffer is reused, so writing frames of a fixed size
 * allocates nothing after the first call. Not thread-safe.
 */
public final class AudioPlayback implements AutoCloseable {
  private final PcmFormat format;
  private final SourceDataLine line;
  private byte[] scratch = new byte[0];

  private AudioPlayback(PcmFormat format, SourceDataLine line) {
    this.format = format;
    this.line = line;
  }

  /**
   * Opens and starts the default speaker with a 100 ms device buffer.
   *
   * @throws AudioDeviceException if no playback device supports {@code format} or it is busy
   */
  public static AudioPlayback open(PcmFormat format) {
    return open(format, 100);
  }

  /**
   * Opens and starts the default speaker with a device buffer of {@code bufferMillis}.
   *
   * @throws AudioDeviceException if no playback device supports {@code format} or it is busy
   * @throws IllegalArgumentException if {@code bufferMillis} is outside 10 to 10000
   */
  public static AudioPlayback open(PcmFormat format, int bufferMillis) {
    return open(format, bufferMillis, AudioLines.SYSTEM);
  }

  static AudioPlayback open(PcmFormat format, int bufferMillis, AudioLines lines) {
    SourceDataLine line =
        AudioLines.start(
            format,
            bufferMillis,
            lines::playbackLine,
            SourceDataLine::open,
            "playback",
            "use --output FILE.wav to write the received audio to a WAV file instead");
    return new AudioPlayback(format, line);
  }

  /** The format played. */
  public PcmFormat format() {
    return format;
  }

  /**
   * Queues {@code count} interleaved samples for playback, blocking while the device buffer is
   * full.
   *
   * @return samples queued: {@code count}, or fewer if the playback was closed meanwhile
   * @throws IllegalArgumentException if the range does not fit or splits a frame
   */
  public int write(short[] pcm, int offset, int count) {
    Checks.frames(format, pcm, offset, count);
    if (scratch.length < 2 * count) {
      scratch = new byte[2 * count];
    }
    Pcm.toLittleEndian(pcm, offset, count, scratch, 0);
    return line.write(scratch, 0, 2 * count) / 2;
  }

  /**
   * Drops what is queued in the device and not yet played (barge-in). May be called from another
   * thread than the writer's.
   */
  public void flush() {
    line.flush();
  }

  /** Blocks until everything queued has been played. */
  public void drain() {
    line.drain();
  }

  /** Stops playback, dropping what is still queued, and releases the device. */
  @Override
  public void close() {
    line.stop();
    line.close();
  }
}
