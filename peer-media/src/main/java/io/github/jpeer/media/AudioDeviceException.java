package io.github.jpeer.media;

/**
 * No usable audio device: {@code javax.sound.sampled} has no microphone or speaker line for the
 * requested format (typical on servers, containers and CI machines), or the device is busy. The
 * message says which direction failed and suggests using WAV files instead.
 */
public final class AudioDeviceException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message and the {@code javax.sound} failure behind it. */
  public AudioDeviceException(String message, Throwable cause) {
    super(message, cause);
  }
}
