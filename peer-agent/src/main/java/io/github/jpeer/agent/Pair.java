package io.github.jpeer.agent;

/** A candidate pair in a checklist with its RFC 8445 section 6.1.2.6 state. Not thread-safe. */
final class Pair {
  enum State {
    FROZEN,
    WAITING,
    IN_PROGRESS,
    SUCCEEDED,
    FAILED
  }

  final LocalCand local;
  final IceCandidate remote;
  final Session session;
  State state = State.FROZEN;
  long priority;

  /** The controlling side nominated this pair (our USE-CANDIDATE check succeeded or theirs). */
  boolean nominated;

  /** The remote (controlling) agent sent USE-CANDIDATE on this pair. */
  boolean remoteNominated;

  /** The controlling agent queued a USE-CANDIDATE check on this pair. */
  boolean nominateQueued;

  /** A check of ours is in flight on this pair. */
  Txn inFlight;

  /** A local peer-reflexive candidate learned from a response on this pair, else null. */
  IceCandidate mappedLocal;

  long lastConsentNanos;
  // When an authenticated check from the remote last arrived on this pair: a sign of life that
  // is not consent (RFC 7675 counts only responses) but tells a live pair from a dead one.
  long lastHeardNanos;
  // The remote ufrag of the checks that made this pair before the remote credentials were known
  // (null: none such): after an ICE restart, checks from the remote's old generation can carry
  // our new ufrag, and their pairs must go once the new remote ufrag is known.
  String earlyRemoteUfrag;
  // When the oldest consent request still unanswered went out (valid while it is after
  // lastConsentNanos): consent retransmitted for seconds with no answer means the path broke.
  long consentAskedNanos;
  // When the controlling agent last sent USE-CANDIDATE on this pair (0: never): the controlled
  // agent follows the latest nomination, which after a NAT rebinding is the new address's pair.
  long remoteNominatedNanos;

  /**
   * Smoothed round-trip time of this pair's checks and consent requests, from responses to requests
   * sent only once (Karn's rule), or -1 before the first sample; until then possibly a seed from a
   * retransmitted request's response (see {@link #seedRtt}).
   */
  long rttNanos = -1;

  /** Whether {@link #rttNanos} is only a seed, to be replaced by the first clean sample. */
  private boolean rttSeeded;

  long nextConsentNanos = Long.MAX_VALUE;

  /**
   * An ICE-TCP pair whose connection the driver has (or is opening): a check went out on it or one
   * came in. Cleared when it is closed, so that it is closed once.
   */
  boolean streamOpen;

  /** An ICE-TCP pair pruned once another was nominated: FAILED, and its late answers ignored. */
  boolean pruned;

  private CandidatePair snapshot;

  Pair(LocalCand local, IceCandidate remote, Session session) {
    this.local = local;
    this.remote = remote;
    this.session = session;
  }

  /** Adds an RTT sample: the first one as is, later ones with weight 1/8 (RFC 6298 style). */
  void addRttSample(long sampleNanos) {
    rttNanos = rttNanos < 0 || rttSeeded ? sampleNanos : rttNanos + (sampleNanos - rttNanos) / 8;
    rttSeeded = false;
  }

  /**
   * Seeds the estimate from a response to a retransmitted request, timed from the last
   * transmission, while no clean sample exists. Karn's rule keeps such responses out of the
   * estimate because it cannot tell which transmission they answer; but under loss every check may
   * need a retransmission, and DTLS would then start with its 1 s default timer. Timed from the
   * last transmission the sample is exact when that one was answered and too short only on a path
   * slower than the check's retransmission timeout (at least 250 ms): DTLS then retransmits early
   * once, which costs a flight, not a second.
   */
  void seedRtt(long sinceLastTransmissionNanos) {
    if (rttNanos < 0 || rttSeeded) {
      rttNanos =
          rttNanos < 0
              ? sinceLastTransmissionNanos
              : Math.min(rttNanos, sinceLastTransmissionNanos);
      rttSeeded = true;
    }
  }

  String foundation() {
    return local.candidate.foundation() + ":" + remote.foundation();
  }

  void computePriority(boolean controlling) {
    long l = local.candidate.priority();
    long r = remote.priority();
    long p = controlling ? IceCandidate.pairPriority(l, r) : IceCandidate.pairPriority(r, l);
    if (p != priority) {
      priority = p;
      snapshot = null;
    }
  }

  void setNominated() {
    nominated = true;
    snapshot = null;
  }

  void setMappedLocal(IceCandidate prflx) {
    mappedLocal = prflx;
    snapshot = null;
  }

  /** A cached public view, rebuilt only when something in it changed. */
  CandidatePair snapshot() {
    CandidatePair s = snapshot;
    if (s == null) {
      IceCandidate l = mappedLocal != null ? mappedLocal : local.candidate;
      s = new CandidatePair(l, remote, priority, nominated);
      snapshot = s;
    }
    return s;
  }

  boolean matches(LocalCand l, java.net.InetSocketAddress from) {
    return local == l && remote.address().equals(from);
  }

  @Override
  public String toString() {
    return local.address() + " -> " + remote.address() + " " + state;
  }
}
