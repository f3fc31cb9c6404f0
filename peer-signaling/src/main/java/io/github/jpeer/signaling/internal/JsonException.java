package io.github.jpeer.signaling.internal;

/** Text that is not the JSON it should be; the message names the offset and what was expected. */
public final class JsonException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int offset;

  /** A failure at {@code offset} (in chars) of the text. */
  public JsonException(String message, int offset) {
    super(message);
    this.offset = offset;
  }

  /** Where in the text parsing failed, in chars from the start. */
  public int offset() {
    return offset;
  }
}
