package io.github.jpeer.sdp;

import java.util.List;

/**
 * {@code a=group} (RFC 5888 section 5), in WebRTC the BUNDLE group of RFC 9143.
 *
 * <pre>
 * group-attribute = "a=group:" semantics *(SP identification-tag)
 * </pre>
 *
 * @param semantics the semantics, e.g. {@code BUNDLE}, {@code LS}
 * @param mids the media identification tags, in order
 */
public record Group(String semantics, List<String> mids) {
  /** The attribute name, {@code group}. */
  public static final String NAME = "group";

  /** The BUNDLE semantics (RFC 9143). */
  public static final String BUNDLE = "BUNDLE";

  /** Validates and copies. */
  public Group {
    Values.requireToken(semantics, "group semantics");
    mids = List.copyOf(mids);
    mids.forEach(m -> Values.requireToken(m, "group mid"));
  }

  /** Creates a BUNDLE group of the given mids. */
  public static Group bundle(List<String> mids) {
    return new Group(BUNDLE, mids);
  }

  /** Parses the attribute value, e.g. {@code BUNDLE 0 1}. */
  public static Group parse(String value) {
    Values.nonNull(value, "expected a group");
    List<String> t = Values.tokens(value);
    if (t.isEmpty()) {
      throw new SdpParseException(value, "expected <semantics> *(<mid>)");
    }
    return new Group(t.get(0), t.subList(1, t.size()));
  }

  /** True for BUNDLE semantics, compared case-insensitively. */
  public boolean isBundle() {
    return BUNDLE.equalsIgnoreCase(semantics);
  }

  /** Returns this group as an {@code a=group} attribute. */
  public Attribute toAttribute() {
    return Attribute.of(NAME, toString());
  }

  /** Returns the attribute value. */
  @Override
  public String toString() {
    return mids.isEmpty() ? semantics : semantics + " " + String.join(" ", mids);
  }
}
