package io.github.jpeer.rtp;

/**
 * One parsed RTCP packet of a compound datagram (RFC 3550 section 6, RFC 4585, RFC 5104).
 *
 * <p>Produced by {@link RtcpParser#parse} and consumed by {@link RtcpWriter}. These are
 * control-plane values (a few per second), so they are immutable records; the per-packet RTP path
 * uses {@link RtpPacket} views instead. SSRCs are raw {@code int} bits; unsigned 32-bit counters
 * are non-negative {@code long}s.
 */
public sealed interface RtcpPacket
    permits SenderReport,
        ReceiverReport,
        SourceDescription,
        Goodbye,
        ApplicationDefined,
        GenericNack,
        PictureLossIndication,
        FullIntraRequest,
        UnsupportedRtcpPacket {

  /** RTCP packet type SR (RFC 3550 6.4.1). */
  int TYPE_SR = 200;

  /** RTCP packet type RR (RFC 3550 6.4.2). */
  int TYPE_RR = 201;

  /** RTCP packet type SDES (RFC 3550 6.5). */
  int TYPE_SDES = 202;

  /** RTCP packet type BYE (RFC 3550 6.6). */
  int TYPE_BYE = 203;

  /** RTCP packet type APP (RFC 3550 6.7). */
  int TYPE_APP = 204;

  /** Transport-layer feedback (RFC 4585 6.1). */
  int TYPE_RTPFB = 205;

  /** Payload-specific feedback (RFC 4585 6.1). */
  int TYPE_PSFB = 206;

  /** Returns the RTCP packet type (200-206, or another value for unsupported packets). */
  int packetType();
}
