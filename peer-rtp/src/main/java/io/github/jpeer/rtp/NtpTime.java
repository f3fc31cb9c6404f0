package io.github.jpeer.rtp;

/**
 * 64-bit NTP timestamps as RTCP uses them (RFC 3550 section 4): seconds since 1900-01-01 in the
 * high 32 bits, the binary fraction of a second in the low 32.
 */
public final class NtpTime {

  /** Seconds from 1900-01-01 (NTP era 0) to 1970-01-01 (Unix epoch). */
  public static final long EPOCH_OFFSET_SECONDS = 2_208_988_800L;

  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private NtpTime() {}

  /**
   * Converts wall-clock time to NTP format.
   *
   * @param epochNanos nanoseconds since 1970-01-01 UTC (from the driver's epoch clock)
   * @return the 64-bit NTP timestamp
   */
  public static long fromEpochNanos(long epochNanos) {
    long seconds = Math.floorDiv(epochNanos, NANOS_PER_SECOND) + EPOCH_OFFSET_SECONDS;
    long nanos = Math.floorMod(epochNanos, NANOS_PER_SECOND);
    long fraction = (nanos << 32) / NANOS_PER_SECOND;
    return (seconds << 32) | fraction;
  }

  /** Converts an NTP timestamp (era 0) back to nanoseconds since 1970-01-01 UTC. */
  public static long toEpochNanos(long ntpTimestamp) {
    long seconds = (ntpTimestamp >>> 32) - EPOCH_OFFSET_SECONDS;
    long fraction = ntpTimestamp & 0xFFFF_FFFFL;
    return seconds * NANOS_PER_SECOND + ((fraction * NANOS_PER_SECOND) >>> 32);
  }

  /** Returns the middle 32 bits, the compact form used in LSR fields (RFC 3550 6.4.1). */
  public static long middle32(long ntpTimestamp) {
    return (ntpTimestamp >>> 16) & 0xFFFF_FFFFL;
  }

  /**
   * Converts a duration to the 1/65536-second units of DLSR, clamped to 32 bits.
   *
   * @param durationNanos a non-negative duration (negative values give 0)
   */
  public static long toCompactDuration(long durationNanos) {
    if (durationNanos <= 0) {
      return 0;
    }
    long seconds = durationNanos / NANOS_PER_SECOND;
    long remainder = durationNanos % NANOS_PER_SECOND;
    if (seconds >= 65536) {
      return 0xFFFF_FFFFL;
    }
    return (seconds << 16) + (remainder << 16) / NANOS_PER_SECOND;
  }
}
