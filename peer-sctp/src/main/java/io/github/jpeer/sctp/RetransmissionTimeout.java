package io.github.jpeer.sctp;

/**
 * The path's round-trip estimate and the RTO derived from it (RFC 9260 section 6.3.1, the RFC 6298
 * estimator with alpha 1/8 and beta 1/4), plus the minimum RTT that loss detection needs (RFC 8985
 * section 6.2). One per association: T3-rtx, T2-shutdown, heartbeats, stream reset requests and the
 * delayed SACK all read it; T1-init keeps its own, since no RTT is known before the handshake.
 *
 * <p>Not thread-safe: the association's thread owns it.
 */
final class RetransmissionTimeout {
  private static final long MILLIS = 1_000_000L;

  private final long minNanos;
  private final long maxNanos;
  private long rtoNanos;
  private long srttNanos;
  private long rttvarNanos;
  private long minRttNanos;
  private boolean measured;

  /** RTO.Initial until the first measurement, within RTO.Min and RTO.Max from {@code config}. */
  RetransmissionTimeout(SctpConfig config) {
    this.rtoNanos = config.rtoInitialMillis() * MILLIS;
    this.minNanos = config.rtoMinMillis() * MILLIS;
    this.maxNanos = config.rtoMaxMillis() * MILLIS;
  }

  /** Takes one RTT sample (RFC 9260 6.3.1 C1 to C3). */
  void measure(long rttNanos) {
    minRttNanos = measured ? Math.min(minRttNanos, rttNanos) : rttNanos;
    if (!measured) {
      srttNanos = rttNanos;
      rttvarNanos = rttNanos / 2;
      measured = true;
    } else {
      rttvarNanos = (3 * rttvarNanos + Math.abs(srttNanos - rttNanos)) / 4;
      srttNanos = (7 * srttNanos + rttNanos) / 8;
    }
    long rto = srttNanos + Math.max(4 * rttvarNanos, MILLIS);
    rtoNanos = Math.max(minNanos, Math.min(rto, maxNanos));
  }

  /** Doubles the RTO up to RTO.Max (RFC 9260 6.3.3 E2), as T2-shutdown does on expiry. */
  void backOff() {
    rtoNanos = Math.min(rtoNanos * 2, maxNanos);
  }

  /** The current RTO. */
  long rtoNanos() {
    return rtoNanos;
  }

  /** RTO.Max. */
  long maxNanos() {
    return maxNanos;
  }

  /** The smoothed RTT, 0 before the first sample. */
  long srttNanos() {
    return srttNanos;
  }

  /** The smallest RTT sampled so far, 0 before the first sample. */
  long minRttNanos() {
    return minRttNanos;
  }

  /** True once an RTT was sampled. */
  boolean measured() {
    return measured;
  }
}
