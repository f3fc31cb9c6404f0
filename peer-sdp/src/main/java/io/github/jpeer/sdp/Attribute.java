package io.github.jpeer.sdp;

import java.util.Optional;

/**
 * One {@code a=} line: a property attribute {@code a=name} or a value attribute {@code
 * a=name:value} (RFC 8866 section 5.13). The value is kept exactly as it appeared; the typed
 * records of this package ({@link Candidate}, {@link RtpMap}, ...) parse it on demand.
 *
 * @param name the attribute name, the text before the first {@code :}
 * @param value the text after the first {@code :}, or {@code null} for a property attribute
 */
public record Attribute(String name, String value) {
  /** Validates name and value. */
  public Attribute {
    Values.requireLineSafe(name, "attribute name");
    if (name.isEmpty() || name.indexOf(':') >= 0) {
      throw new IllegalArgumentException(
          "attribute name must be non-empty and contain no ':', got '" + name + "'");
    }
    if (value != null) {
      Values.requireLineSafe(value, "attribute value");
    }
  }

  /** Creates a property attribute such as {@code a=rtcp-mux}. */
  public static Attribute flag(String name) {
    return new Attribute(name, null);
  }

  /** Creates a value attribute such as {@code a=mid:0}. */
  public static Attribute of(String name, String value) {
    return new Attribute(name, java.util.Objects.requireNonNull(value, "value"));
  }

  /**
   * Parses the text after {@code a=}.
   *
   * <pre>
   * attribute = (attribute-name ":" attribute-value) / attribute-name
   * </pre>
   *
   * @throws SdpParseException if the name is empty
   */
  public static Attribute parse(String text) {
    Values.nonNull(text, "expected an attribute");
    if (!Values.isLineSafe(text)) {
      throw new SdpParseException(text, "expected an attribute on one line");
    }
    int colon = text.indexOf(':');
    String name = colon < 0 ? text : text.substring(0, colon);
    if (name.isEmpty()) {
      throw new SdpParseException(text, "expected an attribute name");
    }
    return new Attribute(name, colon < 0 ? null : text.substring(colon + 1));
  }

  /** Returns the value, empty for a property attribute. */
  public Optional<String> optionalValue() {
    return Optional.ofNullable(value);
  }

  /** True when this attribute has the given name, ASCII letters compared case-insensitively. */
  public boolean is(String attributeName) {
    return Values.equalsAsciiIgnoreCase(name, attributeName);
  }

  /** Returns the text after {@code a=}: {@code name} or {@code name:value}. */
  @Override
  public String toString() {
    return value == null ? name : name + ":" + value;
  }
}
