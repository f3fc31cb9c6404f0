package io.github.jpeer.agent;

/**
 * The four ICE candidate types (RFC 8445 section 5.1.1) with the type preferences RFC 8445 section
 * 5.1.2.2 recommends, as their SDP {@code typ} token.
 */
public enum CandidateType {
  /** A candidate on a local socket address. */
  HOST(126, "host"),
  /** A candidate learned from a connectivity check (RFC 8445 section 7.2.5.3.1 / 7.3.1.3). */
  PEER_REFLEXIVE(110, "prflx"),
  /** The public mapping of a host candidate, learned from a STUN server. */
  SERVER_REFLEXIVE(100, "srflx"),
  /** An address allocated on a TURN server (RFC 8656). */
  RELAYED(0, "relay");

  private final int typePreference;
  private final String sdpName;

  CandidateType(int typePreference, String sdpName) {
    this.typePreference = typePreference;
    this.sdpName = sdpName;
  }

  /** The type preference (0 to 126) that goes into the top 8 bits of a candidate priority. */
  public int typePreference() {
    return typePreference;
  }

  /** The token used after {@code typ} in an SDP candidate attribute. */
  public String sdpName() {
    return sdpName;
  }

  /**
   * The type named by an SDP {@code typ} token.
   *
   * @throws IllegalArgumentException if the token is not one of host, prflx, srflx, relay
   */
  public static CandidateType fromSdpName(String name) {
    for (CandidateType t : values()) {
      if (t.sdpName.equalsIgnoreCase(name)) {
        return t;
      }
    }
    throw new IllegalArgumentException("unknown candidate type '" + name + "'");
  }
}
