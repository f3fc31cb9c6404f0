package io.github.jpeer.sdp;

import java.util.List;

/**
 * The {@code c=} line (RFC 8866 section 5.7).
 *
 * <pre>
 * c=&lt;nettype&gt; &lt;addrtype&gt; &lt;connection-address&gt;
 * </pre>
 *
 * @param netType the network type, {@code IN}
 * @param addressType {@code IP4} or {@code IP6}
 * @param address the address, with any {@code /ttl/count} suffix kept as written
 */
public record Connection(String netType, String addressType, String address) {
  /** The JSEP placeholder {@code IN IP4 0.0.0.0}. */
  public static final Connection JSEP_DEFAULT = new Connection("IN", "IP4", "0.0.0.0");

  /** Validates the fields. */
  public Connection {
    Values.requireToken(netType, "connection network type");
    Values.requireToken(addressType, "connection address type");
    Values.requireToken(address, "connection address");
  }

  /** Parses the text after {@code c=}. */
  public static Connection parse(String text) {
    Values.nonNull(text, "expected a connection");
    List<String> t = Values.tokens(text);
    if (t.size() != 3) {
      throw new SdpParseException(text, "expected <nettype> <addrtype> <connection-address>");
    }
    return new Connection(t.get(0), t.get(1), t.get(2));
  }

  /** Returns the text after {@code c=}. */
  @Override
  public String toString() {
    return netType + " " + addressType + " " + address;
  }
}
