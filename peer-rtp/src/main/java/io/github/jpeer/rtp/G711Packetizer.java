package io.github.jpeer.rtp;

import java.util.random.RandomGenerator;

/**
 * G.711 PCMU/PCMA over RTP (RFC 3551 section 4.5.14): 8 kHz, one byte per sample, so the timestamp
 * advances by the number of payload bytes. Allocation-free. Not thread-safe.
 */
public final class G711Packetizer {

  /** The static payload type of PCMU (RFC 3551 table 4). */
  public static final int PCMU = 0;

  /** The static payload type of PCMA (RFC 3551 table 4). */
  public static final int PCMA = 8;

  /** The RTP clock rate of G.711. */
  public static final int CLOCK_RATE = 8_000;

  private final RtpPacketizer stream;

  /**
   * Creates a G.711 stream.
   *
   * @param payloadType {@link #PCMU}, {@link #PCMA}, or a dynamic type mapped to them
   * @param ssrc the SSRC
   * @param random source of the initial sequence number and timestamp
   */
  public G711Packetizer(int payloadType, int ssrc, RandomGenerator random) {
    this.stream = new RtpPacketizer(payloadType, ssrc, CLOCK_RATE, random);
  }

  /** Returns the underlying stream state. */
  public RtpPacketizer stream() {
    return stream;
  }

  /**
   * Writes one RTP packet of encoded samples, without marker.
   *
   * @param samples encoded G.711 bytes, one per sample
   * @param offset where they start
   * @param length the number of samples (160 for 20 ms)
   * @param dst destination, with room for 12 + length bytes
   * @param dstOffset where to write
   * @return the RTP packet length
   */
  public int packetize(byte[] samples, int offset, int length, byte[] dst, int dstOffset) {
    return packetize(samples, offset, length, false, dst, dstOffset);
  }

  /**
   * Writes one RTP packet of encoded samples.
   *
   * @param samples encoded G.711 bytes, one per sample
   * @param offset where they start
   * @param length the number of samples
   * @param marker set on the first packet after silence (RFC 3551 section 4.1)
   * @param dst destination, with room for 12 + length bytes
   * @param dstOffset where to write
   * @return the RTP packet length
   */
  public int packetize(
      byte[] samples, int offset, int length, boolean marker, byte[] dst, int dstOffset) {
    return stream.packetize(samples, offset, length, length, marker, dst, dstOffset);
  }
}
