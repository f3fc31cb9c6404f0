package io.github.jpeer.media;

/**
 * A WAV file is malformed or holds audio this module cannot read (not 16-bit PCM, more than two
 * channels); the message names what was found and what is supported. This is the only exception
 * {@link WavReader#parse(byte[])} throws for any input.
 */
public final class WavFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message naming what was found. */
  public WavFormatException(String message) {
    super(message);
  }
}
