package io.github.jpeer.srtp;

/**
 * The outcome of one protect or unprotect call.
 *
 * <p>The per-packet methods of {@link SrtpSession} return an {@code int} so that nothing is
 * allocated per packet: a value {@code >= 0} is the new packet length (status {@link #OK}); a
 * negative value is {@link #code()} of the failure. {@link #of(int)} maps any result back to this
 * enum, and {@link #isOk(int)} is the cheap test.
 */
public enum SrtpStatus {
  /** The packet was processed; the result is its new length. */
  OK,
  /** The authentication tag did not verify (RFC 3711 section 3.3 step 5): drop the packet. */
  AUTH_FAIL,
  /** The packet index is older than the replay window: drop it. */
  REPLAY_OLD,
  /** The packet index was already received inside the replay window: drop it. */
  REPLAY_DUPLICATE,
  /**
   * The bytes are not an RTP/RTCP packet this session can process: too short, wrong version, a
   * header longer than the packet, no room in the buffer for the tag, or an index out of range.
   */
  INVALID,
  /**
   * The master key has reached its usage limit (RFC 3711 section 9.2: 2^48 SRTP packets, 2^31 SRTCP
   * packets per key); nothing more may be protected until DTLS re-keys.
   */
  KEY_LIMIT,
  /** A new SSRC arrived but the session already holds {@link SrtpConfig#maxSsrcs()} contexts. */
  SSRC_LIMIT;

  private static final SrtpStatus[] VALUES = values();

  /** The negative int a per-packet method returns for this status (0 for {@link #OK}). */
  public int code() {
    return -ordinal();
  }

  /** Maps a per-packet result (a length or a negative code) to its status. */
  public static SrtpStatus of(int result) {
    if (result >= 0) {
      return OK;
    }
    int index = -result;
    if (index >= VALUES.length) {
      throw new IllegalArgumentException("not an SRTP result code: " + result);
    }
    return VALUES[index];
  }

  /** True when a per-packet result is a length rather than a failure code. */
  public static boolean isOk(int result) {
    return result >= 0;
  }
}
