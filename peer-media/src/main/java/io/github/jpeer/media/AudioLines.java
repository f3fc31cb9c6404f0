package io.github.jpeer.media;

import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.DataLine;
import javax.sound.sampled.LineUnavailableException;
import javax.sound.sampled.SourceDataLine;
import javax.sound.sampled.TargetDataLine;

/**
 * Where capture and playback get their {@code javax.sound} lines: the system's default mixer, or a
 * stand-in in tests (so the failure path is tested on machines that do have devices).
 */
interface AudioLines {

  /** The system's default lines, through {@link AudioSystem}. */
  AudioLines SYSTEM =
      new AudioLines() {
        @Override
        public TargetDataLine captureLine(AudioFormat format) throws LineUnavailableException {
          return AudioSystem.getTargetDataLine(format);
        }

        @Override
        public SourceDataLine playbackLine(AudioFormat format) throws LineUnavailableException {
          return AudioSystem.getSourceDataLine(format);
        }
      };

  /** A microphone line for {@code format}; unopened. */
  TargetDataLine captureLine(AudioFormat format) throws LineUnavailableException;

  /** A speaker line for {@code format}; unopened. */
  SourceDataLine playbackLine(AudioFormat format) throws LineUnavailableException;

  /** The {@code javax.sound} description of 16-bit signed little-endian PCM in {@code format}. */
  static AudioFormat toAudioFormat(PcmFormat format) {
    return new AudioFormat(format.sampleRate(), 16, format.channels(), true, false);
  }

  /** Bytes of a line buffer holding {@code bufferMillis} of audio, whole frames. */
  static int bufferBytes(PcmFormat format, int bufferMillis) {
    if (bufferMillis < 10 || bufferMillis > 10_000) {
      throw new IllegalArgumentException(
          "bufferMillis " + bufferMillis + " is out of range; use 10 to 10000 (e.g. 100)");
    }
    return (int) ((long) format.bytesPerSecond() * bufferMillis / 1000)
        / (2 * format.channels())
        * (2 * format.channels());
  }

  /** Gets an unopened line for a format: {@link #captureLine} or {@link #playbackLine}. */
  @FunctionalInterface
  interface LineSource<L extends DataLine> {
    L line(AudioFormat format) throws LineUnavailableException;
  }

  /** Opens a line with a buffer size; {@code DataLine} itself has no such method. */
  @FunctionalInterface
  interface LineOpener<L extends DataLine> {
    void open(L line, AudioFormat format, int bufferBytes) throws LineUnavailableException;
  }

  /**
   * Gets, opens and starts a line for {@code format} with a buffer of {@code bufferMillis}.
   *
   * @param direction "capture" or "playback", for the error message
   * @param instead what the user can do without a device, for the error message
   * @throws AudioDeviceException if no device supports {@code format} or it is busy
   * @throws IllegalArgumentException if {@code bufferMillis} is outside 10 to 10000
   */
  static <L extends DataLine> L start(
      PcmFormat format,
      int bufferMillis,
      LineSource<L> source,
      LineOpener<L> opener,
      String direction,
      String instead) {
    int bufferBytes = bufferBytes(format, bufferMillis);
    AudioFormat audioFormat = toAudioFormat(format);
    L line;
    try {
      line = source.line(audioFormat);
      opener.open(line, audioFormat, bufferBytes);
    } catch (LineUnavailableException | IllegalArgumentException | SecurityException e) {
      // javax.sound says "no line matching..." (IllegalArgumentException) when no mixer
      // exists at all and LineUnavailableException when the device is busy.
      throw new AudioDeviceException(
          "No audio "
              + direction
              + " device is available for "
              + format
              + " ("
              + e.getMessage()
              + "); "
              + instead,
          e);
    }
    line.start();
    return line;
  }
}
