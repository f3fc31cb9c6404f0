package io.github.jpeer.agent;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * One ICE candidate of component 1 (RFC 8445 section 5.1), local or remote, over UDP or over TCP
 * (RFC 6544: then {@link #tcpType()} says whether it connects out, listens, or does both).
 *
 * <p>A remote host candidate whose address is an mDNS name (RFC 8838-era browsers hide their
 * addresses behind {@code <uuid>.local}) is given as an unresolved address ({@link
 * InetSocketAddress#createUnresolved}); the agent asks for it with an {@link IceEvent.MdnsQuery}.
 *
 * @param foundation the foundation (1 to 32 ice-chars), equal for candidates of the same type, base
 *     IP and server (RFC 8445 section 5.1.1.3)
 * @param priority the priority (RFC 8445 section 5.1.2), 1 to 2^31-1
 * @param address the transport address
 * @param type the candidate type
 * @param relatedAddress for srflx/prflx/relay candidates the address they derive from (for
 *     information only), otherwise {@code null}
 * @param tcpType for a TCP candidate its RFC 6544 type, for a UDP candidate {@code null}
 */
public record IceCandidate(
    String foundation,
    long priority,
    InetSocketAddress address,
    CandidateType type,
    InetSocketAddress relatedAddress,
    TcpType tcpType) {

  /** The only component a WebRTC (RTP/RTCP-muxed, bundled) session uses. */
  public static final int COMPONENT_RTP = 1;

  /**
   * The port an active TCP candidate signals (RFC 6544 section 4.5): it connects out from a port
   * the operating system picks, so there is nothing to dial.
   */
  public static final int DISCARD_PORT = 9;

  /** The {@code tcptype} of an RFC 6544 candidate. */
  public enum TcpType {
    /** Opens connections out; never accepts one. */
    ACTIVE("active"),
    /** Accepts connections; never opens one. */
    PASSIVE("passive"),
    /** Simultaneous open (both ends connect at once); jpeer neither gathers nor dials these. */
    SO("so");

    private final String sdpName;

    TcpType(String sdpName) {
      this.sdpName = sdpName;
    }

    /** The token after {@code tcptype} in SDP. */
    public String sdpName() {
      return sdpName;
    }

    /**
     * The type named by an SDP {@code tcptype} token.
     *
     * @throws IllegalArgumentException if it is not active, passive or so
     */
    public static TcpType fromSdpName(String name) {
      for (TcpType t : values()) {
        if (t.sdpName.equalsIgnoreCase(name)) {
          return t;
        }
      }
      throw new IllegalArgumentException("unknown tcptype '" + name + "'");
    }
  }

  /** A UDP candidate. */
  public IceCandidate(
      String foundation,
      long priority,
      InetSocketAddress address,
      CandidateType type,
      InetSocketAddress relatedAddress) {
    this(foundation, priority, address, type, relatedAddress, null);
  }

  /** Checks the fields. */
  public IceCandidate {
    Objects.requireNonNull(foundation, "foundation");
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(type, "type");
    if (foundation.isEmpty() || foundation.length() > 32) {
      throw new IllegalArgumentException("foundation must be 1 to 32 characters: " + foundation);
    }
    if (priority < 1 || priority > 0x7FFF_FFFFL) {
      throw new IllegalArgumentException("priority must be within [1, 2^31-1], got " + priority);
    }
  }

  /**
   * The priority formula of RFC 8445 section 5.1.2.1: {@code 2^24 * typePreference + 2^8 *
   * localPreference + (256 - componentId)}.
   *
   * @param typePreference 0 to 126
   * @param localPreference 0 to 65535
   * @param componentId 1 to 256
   */
  public static long priority(int typePreference, int localPreference, int componentId) {
    if (typePreference < 0 || typePreference > 126) {
      throw new IllegalArgumentException("typePreference must be 0..126: " + typePreference);
    }
    if (localPreference < 0 || localPreference > 65535) {
      throw new IllegalArgumentException("localPreference must be 0..65535: " + localPreference);
    }
    if (componentId < 1 || componentId > 256) {
      throw new IllegalArgumentException("componentId must be 1..256: " + componentId);
    }
    return ((long) typePreference << 24) + ((long) localPreference << 8) + (256 - componentId);
  }

  /**
   * The pair priority of RFC 8445 section 6.1.2.3: {@code 2^32*MIN(G,D) + 2*MAX(G,D) + (G>D?1:0)},
   * G the controlling agent's candidate priority, D the controlled agent's.
   */
  public static long pairPriority(long controllingPriority, long controlledPriority) {
    long g = controllingPriority;
    long d = controlledPriority;
    return (Math.min(g, d) << 32) + 2 * Math.max(g, d) + (g > d ? 1 : 0);
  }

  /** Whether this is a TCP candidate (RFC 6544). */
  public boolean isTcp() {
    return tcpType != null;
  }

  /** {@code "udp"} or {@code "tcp"}, as SDP writes it. */
  public String protocol() {
    return tcpType == null ? "udp" : "tcp";
  }

  /** Whether the address is an mDNS name still to be resolved. */
  public boolean isMdns() {
    return address.isUnresolved();
  }

  /** The IP address ({@code null} for an unresolved mDNS name). */
  public InetAddress ip() {
    return address.getAddress();
  }

  /**
   * This candidate as the value of an SDP {@code a=candidate:} attribute (RFC 8839 section 5.1),
   * without the {@code candidate:} prefix, e.g. {@code 1 1 udp 2130706431 192.0.2.1 5000 typ host}
   * or {@code 2 1 tcp 1518280447 192.0.2.1 9 typ host tcptype active}.
   */
  public String toSdpValue() {
    StringBuilder sb = new StringBuilder(96);
    sb.append(foundation).append(' ').append(COMPONENT_RTP).append(' ').append(protocol());
    sb.append(' ').append(priority);
    sb.append(' ').append(hostString(address)).append(' ').append(address.getPort());
    sb.append(" typ ").append(type.sdpName());
    if (relatedAddress != null) {
      sb.append(" raddr ").append(hostString(relatedAddress));
      sb.append(" rport ").append(relatedAddress.getPort());
    }
    if (tcpType != null) {
      sb.append(" tcptype ").append(tcpType.sdpName());
    }
    return sb.toString();
  }

  /**
   * Parses the value of an SDP candidate attribute (with or without the {@code candidate:} prefix)
   * for component 1, over UDP or TCP (a TCP one needs its {@code tcptype}, RFC 6544 section 4.5).
   * Other extension attributes are ignored.
   *
   * @throws IllegalArgumentException naming the field if the line is malformed, neither UDP nor
   *     TCP, a TCP candidate without {@code tcptype}, or not component 1
   */
  public static IceCandidate parse(String value) {
    String v = value.strip();
    if (v.startsWith("a=")) {
      v = v.substring(2);
    }
    if (v.startsWith("candidate:")) {
      v = v.substring("candidate:".length());
    }
    String[] f = v.split("\\s+");
    if (f.length < 8 || !f[6].equals("typ")) {
      throw new IllegalArgumentException("candidate needs 8 fields ending in 'typ <type>': " + v);
    }
    boolean tcp = f[2].equalsIgnoreCase("tcp");
    if (!tcp && !f[2].equalsIgnoreCase("udp")) {
      throw new IllegalArgumentException("transport must be udp or tcp, got " + f[2]);
    }
    if (!f[1].equals("1")) {
      throw new IllegalArgumentException("only component 1 is supported, got " + f[1]);
    }
    long priority = parseNumber(f[3], "priority", 0xFFFF_FFFFL);
    int port = (int) parseNumber(f[5], "port", 65535);
    CandidateType type = CandidateType.fromSdpName(f[7]);
    InetSocketAddress address = address(f[4], port);
    String raddr = null;
    int rport = -1;
    TcpType tcpType = null;
    for (int i = 8; i + 1 < f.length; i += 2) {
      if (f[i].equals("raddr")) {
        raddr = f[i + 1];
      } else if (f[i].equals("rport")) {
        rport = (int) parseNumber(f[i + 1], "rport", 65535);
      } else if (f[i].equals("tcptype") && tcp) {
        tcpType = TcpType.fromSdpName(f[i + 1]);
      }
    }
    if (tcp && tcpType == null) {
      throw new IllegalArgumentException("a TCP candidate needs a tcptype (RFC 6544): " + v);
    }
    InetSocketAddress related = raddr != null && rport >= 0 ? address(raddr, rport) : null;
    return new IceCandidate(f[0], priority, address, type, related, tcpType);
  }

  private static long parseNumber(String s, String field, long max) {
    try {
      long n = Long.parseLong(s);
      if (n < 0 || n > max) {
        throw new IllegalArgumentException(field + " out of range: " + s);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(field + " is not a number: " + s, e);
    }
  }

  /** Literal IPs become resolved addresses without DNS; anything else stays unresolved. */
  private static InetSocketAddress address(String host, int port) {
    InetAddress ip = IpLiteral.parse(host);
    return ip != null
        ? new InetSocketAddress(ip, port)
        : InetSocketAddress.createUnresolved(host, port);
  }

  private static String hostString(InetSocketAddress a) {
    if (a.isUnresolved()) {
      return a.getHostString();
    }
    String s = a.getAddress().getHostAddress();
    int scope = s.indexOf('%');
    s = scope >= 0 ? s.substring(0, scope) : s;
    return s.indexOf(':') >= 0 ? compressIpv6(s) : s;
  }

  /** RFC 5952 section 4.2: the longest run of two or more zero groups becomes "::". */
  private static String compressIpv6(String full) {
    String[] groups = full.split(":");
    int bestStart = -1;
    int bestLen = 1;
    for (int i = 0; i < groups.length; ) {
      int j = i;
      while (j < groups.length && groups[j].equals("0")) {
        j++;
      }
      if (j - i > bestLen) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j == i ? i + 1 : j;
    }
    if (bestStart < 0) {
      return full;
    }
    String head = String.join(":", java.util.Arrays.copyOfRange(groups, 0, bestStart));
    String tail =
        String.join(":", java.util.Arrays.copyOfRange(groups, bestStart + bestLen, groups.length));
    return head + "::" + tail;
  }
}
