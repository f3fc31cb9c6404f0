package io.github.jpeer.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * An ICE candidate, {@code a=candidate} (RFC 8839 section 5.1), with the TCP extension of RFC 6544.
 *
 * <pre>
 * candidate-attribute = "candidate" ":" foundation SP component-id SP
 *                       transport SP priority SP
 *                       connection-address SP port
 *                       SP cand-type
 *                       [SP rel-addr] [SP rel-port]
 *                       *(SP cand-extension)
 * foundation          = 1*32ice-char
 * component-id        = 1*3DIGIT
 * transport           = "UDP" / transport-extension
 * priority            = 1*10DIGIT
 * cand-type           = "typ" SP ("host" / "srflx" / "prflx" / "relay" / token)
 * rel-addr            = "raddr" SP connection-address
 * rel-port            = "rport" SP port
 * cand-extension      = extension-att-name SP extension-att-value
 * </pre>
 *
 * <p>{@link #parse} accepts the attribute value, {@code candidate:...} as trickled by JavaScript
 * and signaling servers, and {@code a=candidate:...}. The connection address is kept as text and
 * never resolved: it may be IPv4, IPv6 or an mDNS {@code .local} name. {@code tcptype} and the
 * other extensions ({@code generation}, {@code ufrag}, {@code network-id}, ...) stay in the {@link
 * #extensions()} list in their original order. Keywords are matched case-insensitively (ABNF
 * strings are) and the transport keeps the case it was written in. Deviation: candidate types other
 * than the four of RFC 8445 are rejected, since no ICE agent can use them.
 *
 * @param foundation the foundation, ALPHA / DIGIT / "+" / "/"
 * @param component the component id, 1 for RTP (and everything under rtcp-mux)
 * @param transport the transport as written, {@code udp}/{@code UDP}/{@code tcp}/{@code TCP}
 * @param priority the priority, unsigned 32-bit
 * @param address the connection address: IPv4, IPv6 or a hostname such as {@code x.local}
 * @param port the port
 * @param type the candidate type
 * @param relatedAddress the {@code raddr}, or {@code null}
 * @param relatedPort the {@code rport}, or -1 when absent
 * @param extensions the extension attributes in order, {@code tcptype} included
 */
public record Candidate(
    String foundation,
    int component,
    String transport,
    long priority,
    String address,
    int port,
    Type type,
    String relatedAddress,
    int relatedPort,
    List<Extension> extensions) {

  /** The attribute name, {@code candidate}. */
  public static final String NAME = "candidate";

  private static final String SYNTAX =
      "expected <foundation> <component> <transport> <priority> <address> <port> typ <type>";

  /** Candidate types (RFC 8445 section 5.1.1). */
  public enum Type {
    /** A local interface address. */
    HOST,
    /** Server reflexive: the address a STUN server saw. */
    SRFLX,
    /** Peer reflexive: learned from a connectivity check. */
    PRFLX,
    /** Relayed through TURN. */
    RELAY;

    /** Returns the type with this token (case-insensitive), or empty. */
    public static Optional<Type> fromToken(String token) {
      for (Type t : values()) {
        if (t.toString().equalsIgnoreCase(token)) {
          return Optional.of(t);
        }
      }
      return Optional.empty();
    }

    /** Returns the wire token, e.g. {@code srflx}. */
    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * One extension attribute, e.g. {@code generation 0} or {@code tcptype passive}.
   *
   * @param name the name
   * @param value the value
   */
  public record Extension(String name, String value) {
    /** Validates both tokens. */
    public Extension {
      Values.requireToken(name, "candidate extension name");
      Values.requireToken(value, "candidate extension value");
    }
  }

  /** Validates and copies. */
  public Candidate {
    if (!isFoundation(foundation)) {
      throw new IllegalArgumentException(
          "foundation must be 1 or more of ALPHA / DIGIT / + / /, got '" + foundation + "'");
    }
    Values.requireRange(component, 1, 256, "component");
    Values.requireToken(transport, "transport");
    Values.requireRange(priority, 0, Values.UINT32_MAX, "priority");
    if (!isAddress(address)) {
      throw new IllegalArgumentException(
          "address must be an IPv4, IPv6 or host name, got '" + address + "'");
    }
    Values.requireRange(port, 0, 65535, "port");
    Objects.requireNonNull(type, "type");
    if (relatedAddress != null && !isAddress(relatedAddress)) {
      throw new IllegalArgumentException(
          "related address must be an IPv4, IPv6 or host name, got '" + relatedAddress + "'");
    }
    Values.requireRange(relatedPort, -1, 65535, "related port");
    extensions = List.copyOf(extensions);
    // The writer emits raddr/rport right after the type; an extension by that name in that
    // position would be read back as the related address, so refuse to build such a value.
    if (!extensions.isEmpty()) {
      String first = extensions.get(0).name();
      if (relatedPort < 0 && first.equalsIgnoreCase("rport")
          || relatedAddress == null && relatedPort < 0 && first.equalsIgnoreCase("raddr")) {
        throw new IllegalArgumentException(
            "use relatedAddress/relatedPort, not an extension named " + first);
      }
    }
  }

  /** Returns a builder; transport defaults to {@code udp} and component to 1. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Parses a candidate in any of its three forms: the attribute value, {@code candidate:<value>} or
   * {@code a=candidate:<value>}.
   *
   * @throws SdpParseException naming what was expected
   */
  public static Candidate parse(String text) {
    Values.nonNull(text, SYNTAX);
    String value = Values.strip(text);
    if (value.startsWith("a=")) {
      value = value.substring(2);
    }
    if (value.regionMatches(true, 0, "candidate:", 0, 10)) {
      value = value.substring(10);
    }
    List<String> t = Values.tokens(value);
    if (t.size() < 8) {
      throw new SdpParseException(text, SYNTAX);
    }
    String foundation = t.get(0);
    if (!isFoundation(foundation)) {
      throw new SdpParseException(text, "expected a foundation of ALPHA / DIGIT / + / /");
    }
    int component = Values.unsignedInt(t.get(1), 256, text, "expected a component id in 1..256");
    if (component == 0) {
      throw new SdpParseException(text, "expected a component id in 1..256");
    }
    String transport = t.get(2);
    long priority =
        Values.unsigned(t.get(3), Values.UINT32_MAX, text, "expected a priority in 0..4294967295");
    String address = t.get(4);
    if (!isAddress(address)) {
      throw new SdpParseException(text, "expected a connection address (IPv4, IPv6 or host name)");
    }
    int port = Values.unsignedInt(t.get(5), 65535, text, "expected a port number");
    if (!t.get(6).equalsIgnoreCase("typ")) {
      throw new SdpParseException(text, "expected typ after the port");
    }
    Type type =
        Type.fromToken(t.get(7))
            .orElseThrow(
                () -> new SdpParseException(text, "expected typ host, srflx, prflx or relay"));
    int i = 8;
    String relatedAddress = null;
    int relatedPort = -1;
    if (i + 1 < t.size() && t.get(i).equalsIgnoreCase("raddr")) {
      relatedAddress = t.get(i + 1);
      if (!isAddress(relatedAddress)) {
        throw new SdpParseException(text, "expected a related address after raddr");
      }
      i += 2;
    }
    if (i + 1 < t.size() && t.get(i).equalsIgnoreCase("rport")) {
      relatedPort =
          Values.unsignedInt(
              t.get(i + 1), 65535, text, "expected a related port number after rport");
      i += 2;
    }
    List<Extension> extensions = new ArrayList<>();
    for (; i < t.size(); i += 2) {
      if (i + 1 >= t.size()) {
        throw new SdpParseException(text, "expected a value after " + t.get(i));
      }
      extensions.add(new Extension(t.get(i), t.get(i + 1)));
    }
    return new Candidate(
        foundation,
        component,
        transport,
        priority,
        address,
        port,
        type,
        relatedAddress,
        relatedPort,
        extensions);
  }

  // ice-char (RFC 8839 section 5.1): ALPHA / DIGIT / "+" / "/".
  private static boolean isFoundation(String s) {
    return isNonEmptyOf(s, "+/");
  }

  // IPv4, IPv6 (with an optional %zone) and DNS names only use these characters.
  private static boolean isAddress(String s) {
    return isNonEmptyOf(s, ".:-_%");
  }

  /** True if {@code s} is non-empty and made of ASCII letters, digits and {@code others} only. */
  private static boolean isNonEmptyOf(String s, String others) {
    if (s == null || s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok =
          c >= 'a' && c <= 'z'
              || c >= 'A' && c <= 'Z'
              || c >= '0' && c <= '9'
              || others.indexOf(c) >= 0;
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** True for a UDP candidate (case-insensitive). */
  public boolean isUdp() {
    return transport.equalsIgnoreCase("udp");
  }

  /** True for a TCP candidate (case-insensitive). */
  public boolean isTcp() {
    return transport.equalsIgnoreCase("tcp");
  }

  /**
   * True when the address is an mDNS name ending in {@code .local}; it must be resolved by mDNS.
   */
  public boolean isMdns() {
    return address.regionMatches(true, address.length() - 6, ".local", 0, 6);
  }

  /** True when the address is an IPv6 literal. */
  public boolean isIpv6() {
    return address.indexOf(':') >= 0;
  }

  /** Returns the value of the first extension with this name (case-insensitive), or empty. */
  public Optional<String> extension(String name) {
    for (Extension e : extensions) {
      if (e.name().equalsIgnoreCase(name)) {
        return Optional.of(e.value());
      }
    }
    return Optional.empty();
  }

  /**
   * Returns the RFC 6544 {@code tcptype} ({@code active}, {@code passive}, {@code so}), or empty.
   */
  public Optional<String> tcpType() {
    return extension("tcptype");
  }

  /** Returns the {@code ufrag} extension (Chrome, OpenAI), or empty. */
  public Optional<String> ufrag() {
    return extension("ufrag");
  }

  /** Returns the {@code generation} extension, or empty when absent or not a number. */
  public OptionalInt generation() {
    return extension("generation")
        .filter(v -> v.length() <= 9 && v.chars().allMatch(c -> c >= '0' && c <= '9'))
        .map(v -> OptionalInt.of(Integer.parseInt(v)))
        .orElse(OptionalInt.empty());
  }

  /** Returns the related address, or empty. */
  public Optional<String> optionalRelatedAddress() {
    return Optional.ofNullable(relatedAddress);
  }

  /** Returns the related port, or empty. */
  public OptionalInt optionalRelatedPort() {
    return relatedPort < 0 ? OptionalInt.empty() : OptionalInt.of(relatedPort);
  }

  /** Returns a copy with one more extension appended. */
  public Candidate withExtension(String name, String value) {
    return toBuilder().extension(name, value).build();
  }

  /** Returns a builder holding this candidate's values. */
  public Builder toBuilder() {
    Builder b =
        new Builder()
            .foundation(foundation)
            .component(component)
            .transport(transport)
            .priority(priority)
            .address(address)
            .port(port)
            .type(type)
            .related(relatedAddress, relatedPort);
    extensions.forEach(e -> b.extension(e.name(), e.value()));
    return b;
  }

  /** Returns this candidate as an {@code a=candidate} attribute. */
  public Attribute toAttribute() {
    return Attribute.of(NAME, toString());
  }

  /**
   * Returns {@code candidate:<value>}, the form of JavaScript's {@code RTCIceCandidate.candidate}.
   */
  public String toCandidateString() {
    return NAME + ":" + this;
  }

  /** Returns the attribute value, without {@code candidate:}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(96);
    sb.append(foundation)
        .append(' ')
        .append(component)
        .append(' ')
        .append(transport)
        .append(' ')
        .append(priority)
        .append(' ')
        .append(address)
        .append(' ')
        .append(port)
        .append(" typ ")
        .append(type);
    if (relatedAddress != null) {
      sb.append(" raddr ").append(relatedAddress);
    }
    if (relatedPort >= 0) {
      sb.append(" rport ").append(relatedPort);
    }
    for (Extension e : extensions) {
      sb.append(' ').append(e.name()).append(' ').append(e.value());
    }
    return sb.toString();
  }

  /** Builds a {@link Candidate}; not thread-safe. */
  public static final class Builder {
    private String foundation;
    private int component = 1;
    private String transport = "udp";
    private long priority;
    private String address;
    private int port;
    private Type type = Type.HOST;
    private String relatedAddress;
    private int relatedPort = -1;
    private final List<Extension> extensions = new ArrayList<>();

    private Builder() {}

    /** Sets the foundation. */
    public Builder foundation(String value) {
      this.foundation = value;
      return this;
    }

    /** Sets the component id (default 1). */
    public Builder component(int value) {
      this.component = value;
      return this;
    }

    /** Sets the transport (default {@code udp}). */
    public Builder transport(String value) {
      this.transport = value;
      return this;
    }

    /** Sets the priority, unsigned 32-bit. */
    public Builder priority(long value) {
      this.priority = value;
      return this;
    }

    /** Sets the connection address. */
    public Builder address(String value) {
      this.address = value;
      return this;
    }

    /** Sets the port. */
    public Builder port(int value) {
      this.port = value;
      return this;
    }

    /** Sets the type (default host). */
    public Builder type(Type value) {
      this.type = value;
      return this;
    }

    /** Sets {@code raddr} and {@code rport}; {@code null} and -1 leave them out. */
    public Builder related(String addressValue, int portValue) {
      this.relatedAddress = addressValue;
      this.relatedPort = portValue;
      return this;
    }

    /** Appends an extension, e.g. {@code ("tcptype", "passive")} or {@code ("generation", "0")}. */
    public Builder extension(String name, String value) {
      extensions.add(new Extension(name, value));
      return this;
    }

    /** Builds the candidate; throws {@link IllegalArgumentException} for invalid fields. */
    public Candidate build() {
      return new Candidate(
          foundation,
          component,
          transport,
          priority,
          address,
          port,
          type,
          relatedAddress,
          relatedPort,
          extensions);
    }
  }
}
