package io.github.jpeer.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * {@code a=ssrc-group} (RFC 5576 section 4.2), e.g. {@code FID} (RTX) or {@code SIM} (simulcast).
 *
 * <pre>
 * ssrc-group-attr = "ssrc-group:" semantics *(SP ssrc-id)
 * </pre>
 *
 * @param semantics e.g. {@code FID}, {@code SIM}, {@code FEC-FR}
 * @param ssrcs the SSRCs, unsigned 32-bit, in order
 */
public record SsrcGroup(String semantics, List<Long> ssrcs) {
  /** The attribute name, {@code ssrc-group}. */
  public static final String NAME = "ssrc-group";

  /** Validates and copies. */
  public SsrcGroup {
    Values.requireToken(semantics, "ssrc-group semantics");
    ssrcs = List.copyOf(ssrcs);
    ssrcs.forEach(s -> Values.requireRange(s, 0, Values.UINT32_MAX, "ssrc"));
  }

  /** Parses the attribute value, e.g. {@code FID 1111 2222}. */
  public static SsrcGroup parse(String value) {
    Values.nonNull(value, "expected <semantics> *(<ssrc>)");
    List<String> t = Values.tokens(value);
    if (t.isEmpty()) {
      throw new SdpParseException(value, "expected <semantics> *(<ssrc>)");
    }
    List<Long> ssrcs = new ArrayList<>();
    for (String s : t.subList(1, t.size())) {
      ssrcs.add(Values.unsigned(s, Values.UINT32_MAX, value, "expected an SSRC number"));
    }
    return new SsrcGroup(t.get(0), ssrcs);
  }

  /** Returns this as an {@code a=ssrc-group} attribute. */
  public Attribute toAttribute() {
    return Attribute.of(NAME, toString());
  }

  /** Returns the attribute value. */
  @Override
  public String toString() {
    return ssrcs.isEmpty()
        ? semantics
        : semantics + " " + ssrcs.stream().map(String::valueOf).collect(Collectors.joining(" "));
  }
}
