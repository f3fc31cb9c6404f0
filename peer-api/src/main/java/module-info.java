/**
 * jpeer's public API: {@code PeerConnection} and its configuration, states and callbacks. Only
 * {@code io.github.jpeer} is exported; {@code io.github.jpeer.internal} (the UDP driver and the
 * glue between the cores) is not API.
 */
module io.github.jpeer {
  // Types of these modules appear in PeerConnection's API: SDP records, RTP views, SRTP profiles.
  requires transitive io.github.jpeer.rtp;
  requires transitive io.github.jpeer.sdp;
  requires transitive io.github.jpeer.srtp;
  // The cores this module drives, none of whose types it hands out.
  requires io.github.jpeer.agent;
  requires io.github.jpeer.dtls;
  requires io.github.jpeer.sctp;

  exports io.github.jpeer;
}
