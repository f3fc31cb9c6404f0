/** STUN and TURN messages (RFC 8489, RFC 8656): a pure codec. */
module io.github.jpeer.stun {
  exports io.github.jpeer.stun;
}
