package io.github.jpeer.rtp;

import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The sending side of one RTP stream (RFC 3550 section 5.1): SSRC, payload type, sequence numbers
 * and the timestamp clock. The payload-format packetizers ({@link OpusPacketizer}, {@link
 * G711Packetizer}, {@link H264Packetizer}) are built on it; it can also be used directly for any
 * format that sends one frame per packet.
 *
 * <p>The initial sequence number and timestamp offset are drawn from the given random source, as
 * RFC 3550 section 5.1 asks (pass a seeded generator in tests). Packets are written into caller
 * buffers; nothing is allocated per packet. Not thread-safe.
 */
public final class RtpPacketizer {

  private final int payloadType;
  private final int ssrc;
  private final int clockRate;
  private final long timestampOffset;
  private int sequenceNumber;
  // Media time in clock ticks since the stream started; the wire timestamp adds the offset.
  private long mediaTicks;

  /**
   * Creates a stream.
   *
   * @param payloadType the negotiated payload type, 0-127
   * @param ssrc the stream's SSRC
   * @param clockRate the RTP clock rate in Hz (48000 for Opus, 8000 for G.711, 90000 for video)
   * @param random source of the initial sequence number and timestamp offset
   */
  public RtpPacketizer(int payloadType, int ssrc, int clockRate, RandomGenerator random) {
    if (payloadType < 0 || payloadType > 127) {
      throw new IllegalArgumentException("payload type must be 0-127, got " + payloadType);
    }
    if (clockRate <= 0) {
      throw new IllegalArgumentException("clockRate must be positive, got " + clockRate);
    }
    Objects.requireNonNull(random, "random");
    this.payloadType = payloadType;
    this.ssrc = ssrc;
    this.clockRate = clockRate;
    this.sequenceNumber = random.nextInt(0x10000);
    this.timestampOffset = random.nextLong() & 0xFFFF_FFFFL;
  }

  /** Returns the payload type. */
  public int payloadType() {
    return payloadType;
  }

  /** Returns the SSRC. */
  public int ssrc() {
    return ssrc;
  }

  /** Returns the clock rate in Hz. */
  public int clockRate() {
    return clockRate;
  }

  /** Returns the sequence number the next packet will carry. */
  public int nextSequenceNumber() {
    return sequenceNumber;
  }

  /** Returns the timestamp the next {@link #packetize} call will use (unsigned 32 bits). */
  public long nextTimestamp() {
    return timestampFor(mediaTicks);
  }

  /**
   * Returns the wire timestamp for a media time: the random offset plus {@code mediaTicks}, modulo
   * 2^32.
   *
   * @param mediaTicks media time in clock ticks since the start of the stream
   */
  public long timestampFor(long mediaTicks) {
    return (timestampOffset + mediaTicks) & 0xFFFF_FFFFL;
  }

  /**
   * Advances the timestamp clock without sending, e.g. over a silence (DTX) period.
   *
   * @param durationTicks clock ticks to skip, not negative
   */
  public void skip(long durationTicks) {
    if (durationTicks < 0) {
      throw new IllegalArgumentException(
          "durationTicks must not be negative, got " + durationTicks);
    }
    mediaTicks += durationTicks;
  }

  /**
   * Writes the 12-byte header of the next packet with an explicit timestamp and consumes a sequence
   * number; the caller writes the payload after it.
   *
   * @param marker the M bit
   * @param timestamp the wire timestamp (see {@link #timestampFor})
   * @param dst destination array
   * @param offset where to write
   * @return {@link RtpPacket#FIXED_HEADER_LENGTH}
   */
  public int writeHeader(boolean marker, long timestamp, byte[] dst, int offset) {
    int written =
        RtpHeaderWriter.writeFixed(
            dst, offset, marker, payloadType, sequenceNumber, timestamp, ssrc);
    sequenceNumber = (sequenceNumber + 1) & 0xFFFF;
    return written;
  }

  /**
   * Writes one packet carrying {@code length} payload bytes at the current timestamp, then advances
   * the timestamp by {@code durationTicks}.
   *
   * @param payload the payload (one frame)
   * @param offset where it starts
   * @param length its length
   * @param durationTicks the frame's duration in clock ticks
   * @param marker the M bit
   * @param dst destination array, with room for 12 + length bytes
   * @param dstOffset where to write
   * @return the packet length
   */
  public int packetize(
      byte[] payload,
      int offset,
      int length,
      long durationTicks,
      boolean marker,
      byte[] dst,
      int dstOffset) {
    Objects.checkFromIndexSize(offset, length, payload.length);
    Objects.checkFromIndexSize(dstOffset, RtpPacket.FIXED_HEADER_LENGTH + length, dst.length);
    if (durationTicks < 0) {
      throw new IllegalArgumentException(
          "durationTicks must not be negative, got " + durationTicks);
    }
    int header = writeHeader(marker, nextTimestamp(), dst, dstOffset);
    System.arraycopy(payload, offset, dst, dstOffset + header, length);
    mediaTicks += durationTicks;
    return header + length;
  }
}
