package io.github.jpeer.sctp;

/**
 * Thrown by the SCTP and DCEP parsers when bytes from the network are not a well-formed packet,
 * chunk, parameter or DCEP message. The only exception a parser in this module lets escape for
 * untrusted input; the association catches it, counts the packet as malformed and drops it.
 */
public final class SctpParseException extends Exception {
  private static final long serialVersionUID = 1L;

  /** A parse failure described by {@code message} (what was wrong and where). */
  public SctpParseException(String message) {
    super(message);
  }
}
