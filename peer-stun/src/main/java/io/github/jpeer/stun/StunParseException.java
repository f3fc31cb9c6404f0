package io.github.jpeer.stun;

/**
 * Thrown when bytes received from the network are not a well-formed STUN message.
 *
 * <p>This is the only exception the decoders of this package let escape for untrusted input,
 * whatever the bytes are. It is unchecked (the project keeps checked exceptions for I/O), so a
 * caller that decodes network input must catch it explicitly, count the packet as malformed and
 * drop it. To keep a flood of garbage cheap, the exception records no stack trace.
 */
public final class StunParseException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Offset of the offending byte, relative to the start of the message. */
  private final int offset;

  /**
   * Creates an exception.
   *
   * @param reason what is wrong, in words
   * @param offset offset of the offending field relative to the start of the message
   */
  public StunParseException(String reason, int offset) {
    super(reason + " (at offset " + offset + ")", null, false, false);
    this.offset = offset;
  }

  /**
   * Returns the offset of the offending field, relative to the start of the message.
   *
   * @return the offset in bytes
   */
  public int offset() {
    return offset;
  }
}
