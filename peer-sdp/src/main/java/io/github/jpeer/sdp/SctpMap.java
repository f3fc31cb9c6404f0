package io.github.jpeer.sdp;

import java.util.List;

/**
 * The pre-RFC 8841 {@code a=sctpmap} that goes with {@code m=application 9 DTLS/SCTP 5000}
 * (draft-ietf-mmusic-sctp-sdp-05), still sent by older stacks.
 *
 * <pre>
 * a=sctpmap:&lt;port&gt; &lt;protocol&gt; [&lt;streams&gt;]     e.g. a=sctpmap:5000 webrtc-datachannel 1024
 * </pre>
 *
 * @param port the SCTP port
 * @param protocol the application protocol, {@code webrtc-datachannel}
 * @param streams the number of streams, or 0 when absent
 */
public record SctpMap(int port, String protocol, int streams) {
  /** The attribute name, {@code sctpmap}. */
  public static final String NAME = "sctpmap";

  /** Validates the fields. */
  public SctpMap {
    Values.requireRange(port, 0, 65535, "sctpmap port");
    Values.requireToken(protocol, "sctpmap protocol");
    Values.requireRange(streams, 0, 65535, "sctpmap streams");
  }

  /** Parses the attribute value, e.g. {@code 5000 webrtc-datachannel 1024}. */
  public static SctpMap parse(String value) {
    Values.nonNull(value, "expected <port> <protocol> [<streams>]");
    List<String> t = Values.tokens(value);
    if (t.size() < 2 || t.size() > 3) {
      throw new SdpParseException(value, "expected <port> <protocol> [<streams>]");
    }
    int port = Values.unsignedInt(t.get(0), 65535, value, "expected an SCTP port number");
    int streams =
        t.size() == 3
            ? Values.unsignedInt(t.get(2), 65535, value, "expected a stream count number")
            : 0;
    return new SctpMap(port, t.get(1), streams);
  }

  /** Returns this as an {@code a=sctpmap} attribute. */
  public Attribute toAttribute() {
    return Attribute.of(NAME, toString());
  }

  /** Returns the attribute value. */
  @Override
  public String toString() {
    return streams > 0 ? port + " " + protocol + " " + streams : port + " " + protocol;
  }
}
