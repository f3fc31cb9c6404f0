package io.github.jpeer.stun;

/**
 * What a datagram on a WebRTC 5-tuple carries, by its first byte (RFC 7983 section 7, with the TURN
 * ChannelData range of RFC 7983 / RFC 8656).
 *
 * @see PacketDemux#classify(byte[], int, int)
 */
public enum PacketKind {
  /** First byte 0 to 3: STUN. */
  STUN,
  /** First byte 16 to 19: ZRTP. */
  ZRTP,
  /** First byte 20 to 63: DTLS. */
  DTLS,
  /** First byte 64 to 79: TURN ChannelData. */
  TURN_CHANNEL,
  /** First byte 128 to 191: RTP or RTCP (SRTP/SRTCP in WebRTC). */
  RTP_RTCP,
  /** Empty, or a first byte in no range above. */
  UNKNOWN
}
