/**
 * RTP and RTCP: RFC 3550 (RTP/RTCP), RFC 4585 (feedback), RFC 5104 (FIR), RFC 8285 (header
 * extensions), and the payload formats RFC 7587 (Opus), RFC 3551 (G.711) and RFC 6184 (H264).
 *
 * <p>Per-packet paths use re-wrappable views over caller arrays and write into caller buffers,
 * allocating nothing in the steady state:
 *
 * <ul>
 *   <li>{@link io.github.jpeer.rtp.RtpPacket} parses and validates an RTP packet (never throws on
 *       network input), {@link io.github.jpeer.rtp.RtpHeaderWriter} writes headers;
 *   <li>{@link io.github.jpeer.rtp.RtpPacketizer} keeps a stream's SSRC, sequence number and
 *       timestamp; {@link io.github.jpeer.rtp.OpusPacketizer}, {@link
 *       io.github.jpeer.rtp.G711Packetizer} and {@link io.github.jpeer.rtp.H264Packetizer} build on
 *       it ({@link io.github.jpeer.rtp.OpusToc} reads an Opus packet's duration for its timestamp),
 *       {@link io.github.jpeer.rtp.H264Depacketizer} reassembles access units and reports loss;
 *   <li>{@link io.github.jpeer.rtp.SequenceUnwrapper} and {@link
 *       io.github.jpeer.rtp.ReceiverStatistics} (RFC 3550 appendix A.1, A.3, A.8) do the
 *       receive-side accounting;
 *   <li>{@link io.github.jpeer.rtp.RtpPacketHistory} keeps what a sender sent, so a generic NACK
 *       can be answered with the same packet again (RFC 4588 section 3, without RTX); {@link
 *       io.github.jpeer.rtp.RtpReorderBuffer} is the receiver's half: it holds packets behind a
 *       gap, says which to NACK, and releases them in order.
 * </ul>
 *
 * <p>RTCP is control plane (a few packets per second): {@link io.github.jpeer.rtp.RtcpParser} turns
 * a compound datagram into {@link io.github.jpeer.rtp.RtcpPacket} records and returns a {@link
 * io.github.jpeer.rtp.RtcpStatus} instead of throwing; {@link io.github.jpeer.rtp.RtcpWriter}
 * writes them back; {@link io.github.jpeer.rtp.RtcpCompoundPacket} walks the packets without
 * allocating.
 *
 * <p>Conventions: SSRCs are raw {@code int} bits; unsigned 32-bit fields (timestamps, counters) are
 * non-negative {@code long}s; times are caller-supplied nanoseconds. No class here is thread-safe,
 * none reads a clock, and randomness is passed in.
 */
package io.github.jpeer.rtp;
