package io.github.jpeer.sdp;

import java.util.List;

/**
 * The {@code o=} line (RFC 8866 section 5.2).
 *
 * <pre>
 * o=&lt;username&gt; &lt;sess-id&gt; &lt;sess-version&gt; &lt;nettype&gt; &lt;addrtype&gt; &lt;unicast-address&gt;
 * </pre>
 *
 * <p>The session id is kept as text: browsers emit up to 19 digits and JSEP only needs it echoed
 * back. The version is a number because an offerer increments it on every new offer.
 *
 * @param username the user name, {@code -} when none
 * @param sessionId the session id, decimal digits
 * @param sessionVersion the session version
 * @param netType the network type, {@code IN}
 * @param addressType the address type, {@code IP4} or {@code IP6}
 * @param address the unicast address (JSEP uses a placeholder such as {@code 127.0.0.1})
 */
public record Origin(
    String username,
    String sessionId,
    long sessionVersion,
    String netType,
    String addressType,
    String address) {
  /** Validates the fields. */
  public Origin {
    Values.requireToken(username, "origin username");
    Values.requireToken(sessionId, "origin session id");
    Values.requireRange(sessionVersion, 0, Long.MAX_VALUE, "origin session version");
    Values.requireToken(netType, "origin network type");
    Values.requireToken(addressType, "origin address type");
    Values.requireToken(address, "origin address");
  }

  /** Parses the text after {@code o=}. */
  public static Origin parse(String text) {
    Values.nonNull(text, "expected an origin");
    List<String> t = Values.tokens(text);
    if (t.size() != 6) {
      throw new SdpParseException(
          text,
          "expected <username> <sess-id> <sess-version> <nettype> <addrtype> <unicast-address>");
    }
    long version =
        Values.unsigned(t.get(2), Long.MAX_VALUE, text, "expected a session version number");
    return new Origin(t.get(0), t.get(1), version, t.get(3), t.get(4), t.get(5));
  }

  /** Returns a copy with the session version replaced, for a renegotiation offer. */
  public Origin withSessionVersion(long version) {
    return new Origin(username, sessionId, version, netType, addressType, address);
  }

  /** Returns the text after {@code o=}. */
  @Override
  public String toString() {
    return username
        + " "
        + sessionId
        + " "
        + sessionVersion
        + " "
        + netType
        + " "
        + addressType
        + " "
        + address;
  }
}
