package io.github.jpeer.rtp;

/**
 * An RTCP packet that was recognised (or not) and skipped by its length: REMB, transport-wide
 * congestion control feedback, other feedback messages, XR and unknown packet types. It cannot be
 * written back.
 *
 * @param packetType the packet type byte
 * @param format the 5-bit count/FMT field
 * @param kind what the packet was recognised as
 */
public record UnsupportedRtcpPacket(int packetType, int format, Kind kind) implements RtcpPacket {

  /** What a skipped packet was recognised as. */
  public enum Kind {
    /** Receiver Estimated Maximum Bitrate: PSFB FMT 15 with the "REMB" identifier. */
    REMB,
    /** Transport-wide congestion control feedback: RTPFB FMT 15. */
    TRANSPORT_WIDE_CC,
    /** Any other packet type or feedback message. */
    UNKNOWN
  }
}
