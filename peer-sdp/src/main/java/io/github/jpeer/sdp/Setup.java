package io.github.jpeer.sdp;

import java.util.Locale;

/**
 * {@code a=setup} (RFC 4145 section 4, RFC 8842): which side starts the DTLS handshake.
 *
 * <pre>
 * setup-attr = "a=setup:" role
 * role       = "active" / "passive" / "actpass" / "holdconn"
 * </pre>
 */
public enum Setup {
  /** Offerer's default: either role. */
  ACTPASS,
  /** This side is the DTLS client. */
  ACTIVE,
  /** This side is the DTLS server. */
  PASSIVE,
  /** No connection yet. */
  HOLDCONN;

  /** The attribute name, {@code setup}. */
  public static final String NAME = "setup";

  /** Parses the attribute value, case-insensitively. */
  public static Setup parse(String value) {
    Values.nonNull(value, "expected actpass, active, passive or holdconn");
    for (Setup s : values()) {
      if (s.toString().equalsIgnoreCase(value)) {
        return s;
      }
    }
    throw new SdpParseException(value, "expected actpass, active, passive or holdconn");
  }

  /** Returns the role an answerer takes against this offered role (RFC 8842 section 5.2). */
  public Setup answerFor() {
    return switch (this) {
      case ACTPASS, PASSIVE -> ACTIVE;
      case ACTIVE -> PASSIVE;
      case HOLDCONN -> HOLDCONN;
    };
  }

  /** Returns this role as an {@code a=setup} attribute. */
  public Attribute toAttribute() {
    return Attribute.of(NAME, toString());
  }

  /** Returns the wire token, e.g. {@code actpass}. */
  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
