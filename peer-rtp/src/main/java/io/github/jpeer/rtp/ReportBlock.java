package io.github.jpeer.rtp;

/**
 * One reception report block of an SR or RR (RFC 3550 section 6.4.1).
 *
 * <pre>
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |                 SSRC_1 (SSRC of first source)                 |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | fraction lost |       cumulative number of packets lost       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           extended highest sequence number received           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                      interarrival jitter                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         last SR (LSR)                         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                   delay since last SR (DLSR)                  |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * </pre>
 *
 * @param ssrc the source this block reports on
 * @param fractionLost 0-255, lost fraction since the previous report in units of 1/256
 * @param cumulativeLost signed 24-bit count (-8388608 to 8388607); negative with duplicates
 * @param extendedHighestSequence unsigned 32 bits: cycles in the high 16, highest seq in the low
 * @param jitter unsigned 32-bit interarrival jitter in timestamp units
 * @param lastSenderReport unsigned 32 bits: middle 32 bits of the last SR's NTP time, 0 if none
 * @param delaySinceLastSenderReport unsigned 32 bits, units of 1/65536 s, 0 if no SR yet
 */
public record ReportBlock(
    int ssrc,
    int fractionLost,
    int cumulativeLost,
    long extendedHighestSequence,
    long jitter,
    long lastSenderReport,
    long delaySinceLastSenderReport) {

  /** Encoded size of one block in bytes. */
  public static final int LENGTH = 24;

  /** Validates the ranges of the fields. */
  public ReportBlock {
    if (fractionLost < 0 || fractionLost > 255) {
      throw new IllegalArgumentException("fractionLost must be 0-255, got " + fractionLost);
    }
    if (cumulativeLost < -0x800000 || cumulativeLost > 0x7FFFFF) {
      throw new IllegalArgumentException(
          "cumulativeLost must fit 24 signed bits, got " + cumulativeLost);
    }
    checkU32("extendedHighestSequence", extendedHighestSequence);
    checkU32("jitter", jitter);
    checkU32("lastSenderReport", lastSenderReport);
    checkU32("delaySinceLastSenderReport", delaySinceLastSenderReport);
  }

  static void checkU32(String name, long value) {
    if (value < 0 || value > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException(name + " must be an unsigned 32-bit value, got " + value);
    }
  }
}
