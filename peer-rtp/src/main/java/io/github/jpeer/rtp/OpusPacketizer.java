package io.github.jpeer.rtp;

import java.util.random.RandomGenerator;

/**
 * Opus over RTP (RFC 7587): one Opus packet (one or more frames as the encoder produced them) per
 * RTP packet, no payload header.
 *
 * <p>RFC 7587 section 4.1: the RTP clock is always 48 kHz whatever the encoder's internal rate, so
 * the timestamp advances by the frame's duration in 48 kHz samples (960 for 20 ms). The marker bit
 * is left to the caller: set it on the first packet after a DTX silence (section 4.2).
 * Allocation-free. Not thread-safe.
 */
public final class OpusPacketizer {

  /** The RTP clock rate of Opus, always 48000 Hz (RFC 7587 section 4.1). */
  public static final int CLOCK_RATE = 48_000;

  private final RtpPacketizer stream;

  /**
   * Creates an Opus stream.
   *
   * @param payloadType the dynamic payload type negotiated for opus/48000/2
   * @param ssrc the SSRC
   * @param random source of the initial sequence number and timestamp
   */
  public OpusPacketizer(int payloadType, int ssrc, RandomGenerator random) {
    this.stream = new RtpPacketizer(payloadType, ssrc, CLOCK_RATE, random);
  }

  /** Returns the underlying stream state (sequence number, timestamp, SSRC). */
  public RtpPacketizer stream() {
    return stream;
  }

  /**
   * Writes one RTP packet carrying an encoded Opus packet, without marker.
   *
   * @param opus the encoded packet
   * @param offset where it starts
   * @param length its length
   * @param samplesAt48kHz its duration in 48 kHz samples (120 to 5760)
   * @param dst destination, with room for 12 + length bytes
   * @param dstOffset where to write
   * @return the RTP packet length
   */
  public int packetize(
      byte[] opus, int offset, int length, int samplesAt48kHz, byte[] dst, int dstOffset) {
    return packetize(opus, offset, length, samplesAt48kHz, false, dst, dstOffset);
  }

  /**
   * Writes one RTP packet carrying an encoded Opus packet.
   *
   * @param opus the encoded packet
   * @param offset where it starts
   * @param length its length
   * @param samplesAt48kHz its duration in 48 kHz samples (120 to 5760)
   * @param marker set on the first packet of a talkspurt
   * @param dst destination, with room for 12 + length bytes
   * @param dstOffset where to write
   * @return the RTP packet length
   */
  public int packetize(
      byte[] opus,
      int offset,
      int length,
      int samplesAt48kHz,
      boolean marker,
      byte[] dst,
      int dstOffset) {
    // RFC 6716: an Opus packet lasts 2.5 ms to 120 ms.
    if (samplesAt48kHz < 120 || samplesAt48kHz > 5760) {
      throw new IllegalArgumentException(
          "an Opus packet lasts 120-5760 samples at 48 kHz (2.5-120 ms), got " + samplesAt48kHz);
    }
    return stream.packetize(opus, offset, length, samplesAt48kHz, marker, dst, dstOffset);
  }
}
