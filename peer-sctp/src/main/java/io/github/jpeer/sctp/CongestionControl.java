package io.github.jpeer.sctp;

/**
 * The congestion window of an association (RFC 9260 section 7.2): slow start and congestion
 * avoidance (7.2.1, 7.2.2), one reduction per loss episode with fast recovery (7.2.3, 7.2.4), the
 * restart from one MTU after T3-rtx (7.2.3), and the undo of a reduction that a duplicate TSN
 * report proves spurious (in the manner of TCP's Eifel, RFC 3522).
 *
 * <p>The {@link RetransmissionQueue} decides what was acked and lost and tells this class; this
 * class only keeps cwnd, ssthresh and the recovery episode. Sizes are bytes of user data.
 *
 * <p>Not thread-safe: the association's thread owns it.
 */
final class CongestionControl {
  private final int mtu;
  private long cwnd;
  private long ssthresh;
  private long partialBytesAcked;
  private boolean fastRecovery;
  private long fastRecoveryExit;
  // the window before the last reduction, and the chunk whose loss caused it (to undo it)
  private long undoCwnd;
  private long undoSsthresh;
  private long recoveryTriggerTsn = -1;

  /** A window of 0 until {@link #start}. */
  CongestionControl(SctpConfig config) {
    this.mtu = config.mtu();
  }

  /** RFC 9260 7.2.1: the initial window, once the association is up; ssthresh the peer's rwnd. */
  void start(long peerRwnd) {
    cwnd = Math.min(4L * mtu, Math.max(2L * mtu, 4380));
    ssthresh = peerRwnd;
  }

  /** The congestion window. */
  long cwnd() {
    return cwnd;
  }

  /** RFC 9260 7.2.3: after a T3 timeout restart from one MTU; any recovery episode ends. */
  void onRetransmissionTimeout() {
    ssthresh = Math.max(cwnd / 2, 4L * mtu);
    cwnd = mtu;
    partialBytesAcked = 0;
    fastRecovery = false;
  }

  /**
   * Loss was detected. RFC 9260 7.2.3: one reduction per loss episode, which lasts until the
   * cumulative ack passes {@code recoveryExitTsn}; the old window is kept to undo it if the loss of
   * {@code triggerTsn} proves spurious.
   *
   * @return true if this started a new episode (and reduced the window)
   */
  boolean onLoss(long recoveryExitTsn, long triggerTsn) {
    if (fastRecovery) {
      return false;
    }
    fastRecovery = true;
    fastRecoveryExit = recoveryExitTsn;
    undoCwnd = cwnd;
    undoSsthresh = ssthresh;
    recoveryTriggerTsn = triggerTsn;
    ssthresh = Math.max(cwnd / 2, 4L * mtu);
    cwnd = ssthresh;
    partialBytesAcked = 0;
    return true;
  }

  /**
   * The cumulative ack moved to {@code cumAckTsn}: the recovery episode ends once past its exit.
   */
  void onCumulativeAck(long cumAckTsn) {
    if (fastRecovery && cumAckTsn >= fastRecoveryExit) {
      fastRecovery = false;
    }
  }

  /**
   * RFC 9260 7.2.1 and 7.2.2: grows the window by {@code bytesAcked} newly acked bytes, only when
   * the cumulative ack moved, outside fast recovery, and when the window was being used ({@code
   * flightBefore} bytes were in flight).
   */
  void onAck(boolean cumAdvanced, long bytesAcked, long flightBefore) {
    if (cumAdvanced && !fastRecovery && bytesAcked > 0 && flightBefore + mtu >= cwnd) {
      if (cwnd <= ssthresh) {
        cwnd += Math.min(bytesAcked, mtu);
      } else {
        partialBytesAcked += bytesAcked;
        if (partialBytesAcked >= cwnd) {
          partialBytesAcked -= cwnd;
          cwnd += mtu;
        }
      }
    }
  }

  /**
   * The retransmission of {@code tsn} was spurious: if its loss caused the last reduction, the
   * window before it is restored and the episode ends.
   */
  void onSpuriousRetransmission(long tsn) {
    if (tsn == recoveryTriggerTsn && undoCwnd > 0) {
      cwnd = Math.max(cwnd, undoCwnd);
      ssthresh = Math.max(ssthresh, undoSsthresh);
      undoCwnd = 0;
      fastRecovery = false;
    }
  }
}
