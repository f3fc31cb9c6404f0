package io.github.jpeer.sdp;

import java.util.Optional;

/**
 * {@code a=extmap} (RFC 8285 section 8): an RTP header extension.
 *
 * <pre>
 * extmap = mapentry SP extensionname [SP extensionattributes]
 * mapentry = "extmap:" 1*5DIGIT ["/" direction]
 * </pre>
 *
 * @param id the local identifier, 1..14 (one-byte) or up to 255 (two-byte), 4096..4351 offered
 * @param direction the direction, or {@code null} when absent (Chrome omits it, Firefox sets it)
 * @param uri the extension URI
 * @param attributes the extension attributes, empty when none
 */
public record ExtMap(int id, Direction direction, String uri, String attributes) {
  /** The attribute name, {@code extmap}. */
  public static final String NAME = "extmap";

  /** Validates the fields. */
  public ExtMap {
    Values.requireRange(id, 0, 65535, "extmap id");
    Values.requireToken(uri, "extmap URI");
    Values.requireLineSafe(attributes, "extmap attributes");
    if (!Values.strip(attributes).equals(attributes)) {
      throw new IllegalArgumentException("extmap attributes must not start or end with blanks");
    }
  }

  /**
   * Parses the attribute value, e.g. {@code 1/sendonly
   * urn:ietf:params:rtp-hdrext:ssrc-audio-level}.
   */
  public static ExtMap parse(String value) {
    Values.nonNull(value, "expected <id>[/<direction>] <uri>");
    if (!Values.isLineSafe(value)) {
      throw new SdpParseException(value, "expected extmap on one line");
    }
    String text = Values.strip(value);
    int end = Values.nextSpace(text, 0);
    String entry = text.substring(0, end);
    int slash = entry.indexOf('/');
    int id =
        Values.unsignedInt(
            slash < 0 ? entry : entry.substring(0, slash),
            65535,
            value,
            "expected an extmap id number");
    Direction direction = null;
    if (slash >= 0) {
      direction =
          Direction.fromToken(entry.substring(slash + 1))
              .orElseThrow(
                  () ->
                      new SdpParseException(
                          value, "expected sendrecv, sendonly, recvonly or inactive after /"));
    }
    String rest = Values.strip(text.substring(end));
    int uriEnd = Values.nextSpace(rest, 0);
    if (uriEnd == 0) {
      throw new SdpParseException(value, "expected an extension URI after the id");
    }
    return new ExtMap(
        id, direction, rest.substring(0, uriEnd), Values.strip(rest.substring(uriEnd)));
  }

  /** Returns the direction, or empty when absent. */
  public Optional<Direction> optionalDirection() {
    return Optional.ofNullable(direction);
  }

  /** Returns this as an {@code a=extmap} attribute. */
  public Attribute toAttribute() {
    return Attribute.of(NAME, toString());
  }

  /** Returns the attribute value. */
  @Override
  public String toString() {
    String head = direction == null ? Integer.toString(id) : id + "/" + direction;
    return attributes.isEmpty() ? head + " " + uri : head + " " + uri + " " + attributes;
  }
}
