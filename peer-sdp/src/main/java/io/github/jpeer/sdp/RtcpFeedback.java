package io.github.jpeer.sdp;

/**
 * {@code a=rtcp-fb} (RFC 4585 section 4.2).
 *
 * <pre>
 * rtcp-fb-syntax = "a=rtcp-fb:" rtcp-fb-pt SP rtcp-fb-val
 * rtcp-fb-pt     = "*" / fmt
 * rtcp-fb-val    = "ack" rtcp-fb-ack-param / "nack" rtcp-fb-nack-param / "trr-int" SP 1*DIGIT
 *                  / rtcp-fb-id rtcp-fb-param          ; e.g. "goog-remb", "transport-cc", "ccm fir"
 * </pre>
 *
 * @param payloadType the payload type, or {@link #WILDCARD} for {@code *}
 * @param type the feedback type, e.g. {@code nack}, {@code ccm}, {@code transport-cc}
 * @param parameter the rest, e.g. {@code pli} or {@code fir}; empty when none
 */
public record RtcpFeedback(int payloadType, String type, String parameter) {
  /** The attribute name, {@code rtcp-fb}. */
  public static final String NAME = "rtcp-fb";

  /** The payload type value that stands for {@code *} (all payload types). */
  public static final int WILDCARD = -1;

  /** Validates the fields. */
  public RtcpFeedback {
    Values.requireRange(payloadType, WILDCARD, 127, "payload type");
    Values.requireToken(type, "feedback type");
    Values.requireLineSafe(parameter, "feedback parameter");
    if (!Values.strip(parameter).equals(parameter)) {
      throw new IllegalArgumentException("feedback parameter must not start or end with blanks");
    }
  }

  /** Parses the attribute value, e.g. {@code 96 nack pli}. */
  public static RtcpFeedback parse(String value) {
    Values.nonNull(value, "expected <payload type> <feedback type>");
    if (!Values.isLineSafe(value)) {
      throw new SdpParseException(value, "expected rtcp-fb on one line");
    }
    String text = Values.strip(value);
    int end = Values.nextSpace(text, 0);
    String ptText = text.substring(0, end);
    int pt =
        ptText.equals("*")
            ? WILDCARD
            : Values.unsignedInt(ptText, 127, value, "expected a payload type number or *");
    String rest = Values.strip(text.substring(end));
    int typeEnd = Values.nextSpace(rest, 0);
    if (typeEnd == 0) {
      throw new SdpParseException(value, "expected a feedback type after the payload type");
    }
    return new RtcpFeedback(pt, rest.substring(0, typeEnd), Values.strip(rest.substring(typeEnd)));
  }

  /** True when this feedback applies to the payload type (equal, or wildcard). */
  public boolean appliesTo(int pt) {
    return payloadType == WILDCARD || payloadType == pt;
  }

  /** Returns this as an {@code a=rtcp-fb} attribute. */
  public Attribute toAttribute() {
    return Attribute.of(NAME, toString());
  }

  /** Returns the attribute value, e.g. {@code 96 nack pli}. */
  @Override
  public String toString() {
    String pt = payloadType == WILDCARD ? "*" : Integer.toString(payloadType);
    return parameter.isEmpty() ? pt + " " + type : pt + " " + type + " " + parameter;
  }
}
