/** The sans-IO ICE agent (RFC 8445, RFC 8838, RFC 7675) with its TURN client (RFC 8656). */
module io.github.jpeer.agent {
  // The agent encodes and parses STUN internally; no STUN type is part of its API.
  requires io.github.jpeer.stun;

  exports io.github.jpeer.agent;
}
