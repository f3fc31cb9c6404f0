package io.github.jpeer.sdp;

import java.util.Optional;

/**
 * {@code a=ssrc} (RFC 5576 section 4.1): a source attribute such as {@code cname} or {@code msid}.
 *
 * <pre>
 * ssrc-attr = "ssrc:" ssrc-id SP attribute     ; attribute = name [":" value]
 * ssrc-id   = integer                          ; 0 .. 2**32 - 1
 * </pre>
 *
 * @param ssrc the synchronization source, unsigned 32-bit
 * @param attribute the source attribute name, e.g. {@code cname}
 * @param value the text after {@code :}, which may contain blanks ({@code msid:stream track}), or
 *     {@code null} when the attribute has no value
 */
public record Ssrc(long ssrc, String attribute, String value) {
  /** The attribute name, {@code ssrc}. */
  public static final String NAME = "ssrc";

  /** Validates the fields. */
  public Ssrc {
    Values.requireRange(ssrc, 0, Values.UINT32_MAX, "ssrc");
    Values.requireToken(attribute, "ssrc attribute");
    if (attribute.indexOf(':') >= 0) {
      throw new IllegalArgumentException("ssrc attribute name must not contain ':'");
    }
    if (value != null) {
      Values.requireLineSafe(value, "ssrc attribute value");
      if (!Values.strip(value).equals(value)) {
        throw new IllegalArgumentException(
            "ssrc attribute value must not start or end with blanks");
      }
    }
  }

  /** Parses the attribute value, e.g. {@code 3735928559 cname:abc}. */
  public static Ssrc parse(String text) {
    Values.nonNull(text, "expected <ssrc> <attribute>[:<value>]");
    if (!Values.isLineSafe(text)) {
      throw new SdpParseException(text, "expected ssrc on one line");
    }
    String s = Values.strip(text);
    int end = Values.nextSpace(s, 0);
    long ssrc =
        Values.unsigned(s.substring(0, end), Values.UINT32_MAX, text, "expected an SSRC number");
    String rest = Values.strip(s.substring(end));
    if (rest.isEmpty()) {
      throw new SdpParseException(text, "expected a source attribute after the SSRC");
    }
    int colon = rest.indexOf(':');
    String name = colon < 0 ? rest : rest.substring(0, colon);
    if (!Values.isToken(name)) {
      throw new SdpParseException(text, "expected a source attribute name without blanks");
    }
    return new Ssrc(ssrc, name, colon < 0 ? null : Values.strip(rest.substring(colon + 1)));
  }

  /** Returns the value, or empty. */
  public Optional<String> optionalValue() {
    return Optional.ofNullable(value);
  }

  /** Returns this as an {@code a=ssrc} attribute. */
  public Attribute toAttribute() {
    return Attribute.of(NAME, toString());
  }

  /** Returns the attribute value. */
  @Override
  public String toString() {
    return value == null ? ssrc + " " + attribute : ssrc + " " + attribute + ":" + value;
  }
}
