package io.github.jpeer.sdp;

import java.util.Locale;
import java.util.Optional;

/**
 * The media direction property attributes (RFC 8866 sections 6.7.1 to 6.7.4), also used as the
 * optional direction of {@code a=extmap}.
 */
public enum Direction {
  /** Send and receive; the default when no direction attribute is present. */
  SENDRECV,
  /** Send only. */
  SENDONLY,
  /** Receive only. */
  RECVONLY,
  /** Neither. */
  INACTIVE;

  /** Returns the direction with this wire token (case-insensitive), or empty. */
  public static Optional<Direction> fromToken(String token) {
    if (token != null) {
      for (Direction d : values()) {
        if (d.toString().equalsIgnoreCase(token)) {
          return Optional.of(d);
        }
      }
    }
    return Optional.empty();
  }

  /** Parses a wire token. */
  public static Direction parse(String value) {
    return fromToken(value)
        .orElseThrow(
            () ->
                new SdpParseException(
                    String.valueOf(value), "expected sendrecv, sendonly, recvonly or inactive"));
  }

  /** Returns the direction seen from the other side: sendonly and recvonly swap. */
  public Direction reverse() {
    return switch (this) {
      case SENDONLY -> RECVONLY;
      case RECVONLY -> SENDONLY;
      default -> this;
    };
  }

  /** True when this side sends media. */
  public boolean sends() {
    return this == SENDRECV || this == SENDONLY;
  }

  /** True when this side receives media. */
  public boolean receives() {
    return this == SENDRECV || this == RECVONLY;
  }

  /** Returns this direction as a property attribute, e.g. {@code a=sendrecv}. */
  public Attribute toAttribute() {
    return Attribute.flag(toString());
  }

  /** Returns the wire token, e.g. {@code sendrecv}. */
  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
