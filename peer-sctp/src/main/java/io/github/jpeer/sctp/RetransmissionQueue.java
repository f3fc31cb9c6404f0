package io.github.jpeer.sctp;

import io.github.jpeer.sctp.DataChannels.Channel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The send side of an association: user messages cut into DATA chunks, the chunks in flight until
 * the peer acknowledges them, and the decisions of when to send and what to send again.
 *
 * <p>It owns TSN assignment and fragmentation (RFC 9260 6.9), the outstanding chunks and the
 * processing of SACKs (6.2.1), the peer's receive window (6.1), T3-rtx (6.3.2, 6.3.3), loss
 * detection by transmission order and time (RACK, RFC 8985 6) with the tail-loss probe (RFC 8985 7)
 * and the detection of spurious retransmissions, and the sender side of partial reliability:
 * abandoning messages and the advanced peer ack point that FORWARD TSN announces (RFC 3758 3.5).
 * What it learns about acks and losses goes to its {@link CongestionControl} (RFC 9260 7.2), whose
 * window limits what it sends. The deviations from RFC 9260 taken for issue #13 are documented at
 * their methods.
 *
 * <p>The association decides whether data may be sent at all (its state) and what a timeout costs
 * it (the error counter); this class reports when the cumulative ack moved. TSNs are unwrapped to
 * {@code long} so comparisons never wrap.
 *
 * <p>Not thread-safe: the association's thread owns it.
 */
final class RetransmissionQueue {
  private static final long NONE = Long.MAX_VALUE;
  private static final long MILLIS = 1_000_000L;
  private static final int DATA_CHUNK_OVERHEAD = 16;
  private static final int MAX_PROBES = 2;
  private static final int MAX_REO_WND_MULT = 16;

  private final SctpConfig config;
  private final RetransmissionTimeout rto;
  private final DataChannels channels;
  private final CongestionControl congestion;
  private boolean peerForwardTsn;

  private long nextTsn;
  private long cumAckTsn;
  private long advancedPeerAckPoint;
  private final ChunkRing outstanding = new ChunkRing();
  private final ArrayDeque<OutChunk> unsent = new ArrayDeque<>();
  private int retransmitMarked;
  private long flightBytes;
  private long peerRwnd;
  private boolean fastRetransmitPending;
  private boolean forwardTsnNeeded;
  private long lastForwardTsnSent;
  private OutChunk rttProbe;
  private long t3Deadline = NONE;
  // consecutive T3 expirations without progress: T3 waits rto << t3Backoff (capped at RTO.Max)
  private int t3Backoff;
  // counts every DATA transmission, so loss detection can tell what was sent after what
  private long transmitSeq;
  // RACK: the latest transmission the peer has acknowledged (-1: none yet)
  private long rackSeq = -1;
  private long reorderDeadline = NONE;
  // tail-loss probe
  private long probeDeadline = NONE;
  private int probesSent;
  private boolean probeNewData;
  // reordering (RFC 8985 6.2): TSNs loss detection retransmitted lately, to recognise the peer's
  // duplicate reports of them; -1 is no TSN
  private final long[] recentLossRetransmits = filled(new long[64], -1);
  private int recentLossRetransmitsNext;
  private boolean reorderingSeen;
  private int reoWndMult = 1;
  private long reoWndRaisedNanos;
  private int recoveriesSinceSpurious;

  // counters
  private long invalidSacks;
  private long dataChunksSent;
  private long retransmissions;
  private long fastRetransmits;
  private long t3Expirations;
  private long tailLossProbes;
  private long spuriousRetransmits;
  private long abandonedMessages;

  /**
   * An empty queue whose first TSN is {@code initialTsn} (our INIT's).
   *
   * @param rto the association's RTO, which T3 and loss detection read and acks feed
   * @param channels whose bufferedAmount falls as chunks go out the first time
   */
  RetransmissionQueue(
      SctpConfig config, int initialTsn, RetransmissionTimeout rto, DataChannels channels) {
    this.config = config;
    this.rto = rto;
    this.channels = channels;
    this.congestion = new CongestionControl(config);
    this.nextTsn = Integer.toUnsignedLong(initialTsn);
    this.cumAckTsn = nextTsn - 1;
    this.advancedPeerAckPoint = cumAckTsn;
  }

  private static long[] filled(long[] a, long v) {
    Arrays.fill(a, v);
    return a;
  }

  /** What the peer's INIT or INIT ACK said: its receive window and FORWARD TSN support. */
  void start(int peerRwnd, boolean peerForwardTsn) {
    this.peerRwnd = Integer.toUnsignedLong(peerRwnd);
    this.peerForwardTsn = peerForwardTsn;
  }

  /** RFC 9260 7.2.1: the initial window, once the association is up. */
  void onEstablished() {
    congestion.start(peerRwnd);
  }

  /** The TSN assigned last (what an outgoing stream reset request names, RFC 6525 4.1). */
  int lastAssignedTsn() {
    return (int) (nextTsn - 1);
  }

  /** True if queued data has not been sent even once. */
  boolean hasUnsent() {
    return !unsent.isEmpty();
  }

  /** True if any chunk is sent and not yet acknowledged (or abandoned up to the ack point). */
  boolean hasOutstanding() {
    return outstanding.size() > 0;
  }

  /** True if nothing is queued or outstanding, as a graceful shutdown waits for. */
  boolean isDrained() {
    return outstanding.size() == 0 && unsent.isEmpty();
  }

  /** True if a retransmission or new data waits for room in a packet or the window. */
  boolean hasDataWaiting() {
    return retransmitMarked > 0 || !unsent.isEmpty();
  }

  /** The earliest of T3-rtx, the reorder timer and the tail-loss probe, or NONE. */
  long deadlineNanos() {
    return Math.min(t3Deadline, Math.min(reorderDeadline, probeDeadline));
  }

  /** When T3-rtx expires, or NONE. */
  long t3DeadlineNanos() {
    return t3Deadline;
  }

  /**
   * T3-rtx expired: disarms it and returns true if chunks are outstanding (the caller then counts
   * the error and, unless it gives up, calls {@link #retransmitAllAfterT3}).
   */
  boolean expireT3() {
    t3Deadline = NONE;
    if (outstanding.size() == 0) {
      return false;
    }
    t3Expirations++;
    return true;
  }

  /** RFC 9260 6.3.3 E1 to E3: marks everything outstanding for retransmission, from one MTU. */
  void retransmitAllAfterT3(long nowNanos) {
    // RFC 9260 6.3.3 E2: back off. The base RTO stays as measured; the backoff ends as soon as
    // the peer acknowledges new data (see processAck), not only at the next RTT sample
    if (t3Backoff < 30) {
      t3Backoff++;
    }
    congestion.onRetransmissionTimeout();
    rttProbe = null;
    reorderDeadline = NONE;
    probeDeadline = NONE;
    probesSent = 0;
    for (int i = 0; i < outstanding.size(); i++) {
      OutChunk c = outstanding.get(i);
      if (c.acked || c.abandoned) {
        continue;
      }
      if (c.inFlight) {
        c.inFlight = false;
        flightBytes -= c.len;
      }
      if (!c.retransmit) {
        c.retransmit = true;
        retransmitMarked++;
      }
      maybeAbandon(nowNanos, c);
    }
    lastForwardTsnSent = cumAckTsn;
    updateAdvancedPeerAckPoint(nowNanos);
    t3Deadline = nowNanos + t3TimeoutNanos();
  }

  /**
   * The T3-rtx duration: the RTO doubled per expiration since the last progress, up to RTO.Max.
   *
   * <p>Deliberate deviation from RFC 9260 6.3.3 E2 (as dcSCTP does): RFC 6298 keeps a backed-off
   * RTO until a new RTT measurement, but Karn's rule forbids measuring on retransmitted chunks, and
   * after a timeout the sender retransmits everything outstanding before it sends new data. Under
   * heavy loss the backed-off RTO then stuck for the whole recovery and kept doubling to RTO.Max
   * (stalls of tens of seconds, issue #13). A SACK that moves the cumulative ack proves the path
   * works again, so it ends the backoff.
   */
  private long t3TimeoutNanos() {
    long maxNanos = rto.maxNanos();
    long rtoNanos = rto.rtoNanos();
    return t3Backoff >= 30 || rtoNanos > (maxNanos >> t3Backoff) ? maxNanos : rtoNanos << t3Backoff;
  }

  /** Runs the reorder timer and the tail-loss probe if due. */
  void handleLossTimers(long nowNanos) {
    if (reorderDeadline <= nowNanos) {
      detectLosses(nowNanos, -1);
    }
    if (probeDeadline <= nowNanos) {
      onProbeDue(nowNanos);
    }
  }

  /**
   * The cumulative TSN ack of a SHUTDOWN (RFC 9260 9.2), taken as a SACK without gap blocks.
   *
   * @return true if the cumulative ack moved
   */
  boolean onCumulativeAck(long nowNanos, int cumulativeTsnAck) {
    long cum = unwrap(cumulativeTsnAck);
    return cum >= cumAckTsn
        && cum < nextTsn
        && processAck(nowNanos, cum, peerRwnd + flightBytes, List.of());
  }

  private long unwrap(int tsn) {
    return cumAckTsn + (int) (tsn - (int) cumAckTsn);
  }

  /**
   * Processes one SACK (RFC 9260 6.2.1); an old one is ignored, one acking data never sent is
   * counted and dropped.
   *
   * @return true if the cumulative ack moved
   */
  boolean onSack(long nowNanos, SelectiveAckChunk s) {
    long cum = unwrap(s.cumulativeTsnAck());
    if (cum < cumAckTsn) {
      // RFC 9260 6.2.1: an older SACK, possibly reordered
      return false;
    }
    if (cum >= nextTsn) {
      // acks data never sent: a protocol violation; drop the SACK
      invalidSacks++;
      return false;
    }
    List<Integer> dups = s.duplicateTsns();
    for (int i = 0; i < dups.size(); i++) {
      onDuplicateReported(nowNanos, unwrap(dups.get(i)));
    }
    return processAck(nowNanos, cum, Integer.toUnsignedLong(s.aRwnd()), s.gapAckBlocks());
  }

  /**
   * The peer received {@code tsn} twice. If loss detection had retransmitted it, the original was
   * only late: the retransmission was spurious (RFC 8985 6.2 uses DSACK the same way, and SCTP's
   * duplicate TSN reports say what DSACK says). The path reorders, so from now on loss is judged by
   * time alone, with a reordering window that grows per spurious round trip; and if this chunk
   * started the last window reduction, the reduction is undone (as TCP's Eifel, RFC 3522).
   */
  private void onDuplicateReported(long nowNanos, long tsn) {
    boolean ours = false;
    for (long t : recentLossRetransmits) {
      if (t == tsn) {
        ours = true;
        break;
      }
    }
    if (!ours) {
      return; // a duplicate the network made, or of a chunk sent twice for another reason
    }
    spuriousRetransmits++;
    reorderingSeen = true;
    recoveriesSinceSpurious = 0;
    if (nowNanos - reoWndRaisedNanos > rto.srttNanos() && reoWndMult < MAX_REO_WND_MULT) {
      reoWndMult++;
      reoWndRaisedNanos = nowNanos;
    }
    congestion.onSpuriousRetransmission(tsn);
  }

  private boolean processAck(
      long nowNanos, long cum, long aRwnd, List<SelectiveAckChunk.GapAckBlock> gaps) {
    long flightBefore = flightBytes;
    long bytesAcked = 0;
    // the latest transmission among the newly acked chunks: what was sent before it and is still
    // missing gets a miss indication
    long latestNewlyAckedSeq = -1;
    boolean cumAdvanced = cum > cumAckTsn;
    while (outstanding.size() > 0 && outstanding.first().tsn <= cum) {
      OutChunk c = outstanding.pollFirst();
      if (c.inFlight) {
        flightBytes -= c.len;
        c.inFlight = false;
      }
      if (c.retransmit) {
        retransmitMarked--;
      }
      if (!c.acked && !c.abandoned) {
        bytesAcked += c.len;
        latestNewlyAckedSeq = Math.max(latestNewlyAckedSeq, ackedTransmission(nowNanos, c));
        sampleRtt(nowNanos, c);
      }
    }
    if (cumAdvanced) {
      cumAckTsn = cum;
      t3Backoff = 0;
      if (advancedPeerAckPoint < cum) {
        advancedPeerAckPoint = cum;
      }
    }
    long sentUpTo = cumAckTsn + outstanding.size();
    for (SelectiveAckChunk.GapAckBlock g : gaps) {
      long start = cum + g.start();
      long end = Math.min(cum + g.end(), sentUpTo);
      for (long t = Math.max(start, cumAckTsn + 1); t <= end; t++) {
        OutChunk c = outstanding.get((int) (t - cumAckTsn - 1));
        if (c.acked) {
          continue;
        }
        c.acked = true;
        if (c.inFlight) {
          flightBytes -= c.len;
          c.inFlight = false;
        }
        if (c.retransmit) {
          c.retransmit = false;
          retransmitMarked--;
        }
        if (!c.abandoned) {
          bytesAcked += c.len;
          latestNewlyAckedSeq = Math.max(latestNewlyAckedSeq, ackedTransmission(nowNanos, c));
          sampleRtt(nowNanos, c);
        }
      }
    }
    congestion.onCumulativeAck(cumAckTsn);
    if (latestNewlyAckedSeq > rackSeq) {
      rackSeq = latestNewlyAckedSeq;
    }
    if (bytesAcked > 0) {
      // the peer answered: the tail-loss probes of this episode are over
      probesSent = 0;
      probeNewData = false;
    }
    detectLosses(nowNanos, latestNewlyAckedSeq);
    congestion.onAck(cumAdvanced, bytesAcked, flightBefore);
    peerRwnd = Math.max(0, aRwnd - flightBytes);
    if (outstanding.size() == 0) {
      t3Deadline = NONE;
    } else if (cumAdvanced || t3Deadline == NONE) {
      t3Deadline = nowNanos + t3TimeoutNanos();
    }
    updateAdvancedPeerAckPoint(nowNanos);
    if (peerForwardTsn && advancedPeerAckPoint > cumAckTsn) {
      // RFC 3758 3.5 C3: a SACK behind the advanced point means the peer has not seen it (the
      // FORWARD TSN was lost, or is still on its way): send it again. Waiting for T3 instead
      // stalled partially reliable channels under loss, a backed-off RTO per lost FORWARD TSN.
      forwardTsnNeeded = true;
    }
    armProbe(nowNanos);
    return cumAdvanced;
  }

  /**
   * Marks chunks lost, in the manner of RACK (RFC 8985) over SCTP's SACK: a chunk still missing is
   * lost once a chunk transmitted after it was acknowledged and either three SACKs said so (RFC
   * 9260 7.2.4's miss indications, counted only from SACKs that newly ack a later transmission) or
   * one reordering window has passed since it should have arrived (its send time plus the smoothed
   * RTT plus a quarter of it). A chunk not lost yet arms the reorder timer.
   *
   * <p>Deliberate deviations from RFC 9260 7.2.4, for the lossy paths of issue #13. First, 7.2.4
   * fast-retransmits a chunk only once, so a lost fast retransmission waited for T3; at 10% loss
   * one in ten did, and the association spent most of its time in timeouts. Here a retransmission
   * is judged like any transmission: by what was sent after it. Second, with a window of a few
   * packets (all that 20% loss leaves) three SACKs rarely come before the ack clock dies; the time
   * rule needs one.
   *
   * @param latestNewlyAckedSeq the latest transmission this SACK newly acked, or -1 (timer)
   */
  private void detectLosses(long nowNanos, long latestNewlyAckedSeq) {
    reorderDeadline = NONE;
    if (rackSeq < 0 || outstanding.size() == 0) {
      return;
    }
    // RFC 8985 6.2: the reordering window starts at a quarter of the minimum RTT and grows with
    // each spurious retransmission, up to one smoothed RTT
    long reoWndNanos =
        Math.max(MILLIS, Math.min(reoWndMult * rto.minRttNanos() / 4, rto.srttNanos()));
    long lossDelayNanos = rto.measured() ? rto.srttNanos() + reoWndNanos : rto.rtoNanos();
    long sentUpTo = cumAckTsn + outstanding.size();
    boolean marked = false;
    long firstMarked = -1;
    for (int i = 0; i < outstanding.size(); i++) {
      OutChunk c = outstanding.get(i);
      if (c.sentSeq >= rackSeq && c.transmits == 1) {
        // sent once and not before the latest acked transmission: neither was any later TSN
        break;
      }
      if (c.acked || c.abandoned || c.retransmit || !c.everSent || c.sentSeq >= rackSeq) {
        continue;
      }
      if (c.sentSeq < latestNewlyAckedSeq) {
        c.missCount++;
      }
      long dueNanos = c.sentNanos + lossDelayNanos;
      // three miss indications count only until the path showed it reorders (then a burst of
      // SACKs for packets that overtook one says nothing about its loss)
      boolean dupThresh = c.missCount >= 3 && !reorderingSeen;
      if (!dupThresh && nowNanos < dueNanos) {
        reorderDeadline = Math.min(reorderDeadline, dueNanos);
        continue;
      }
      c.retransmit = true;
      retransmitMarked++;
      if (c.inFlight) {
        c.inFlight = false;
        flightBytes -= c.len;
      }
      fastRetransmits++;
      if (!maybeAbandon(nowNanos, c)) {
        if (!marked) {
          firstMarked = c.tsn;
        }
        marked = true;
        recentLossRetransmits[recentLossRetransmitsNext] = c.tsn;
        recentLossRetransmitsNext = (recentLossRetransmitsNext + 1) % recentLossRetransmits.length;
      }
    }
    if (marked) {
      fastRetransmitPending = true;
      if (congestion.onLoss(sentUpTo, firstMarked) && ++recoveriesSinceSpurious >= 16) {
        // RFC 8985 6.2: the window shrinks back after 16 recoveries without a spurious one
        reoWndMult = 1;
        recoveriesSinceSpurious = 0;
      }
    }
    // a chunk over its partial-reliability limit was abandoned instead of marked
    updateAdvancedPeerAckPoint(nowNanos);
  }

  /**
   * Arms the tail-loss probe (RFC 8985 section 7, TLP): when the last packets of a flight or all
   * their SACKs are lost, nothing clocks out the next SACK and only T3 (at least RTO.Min) would
   * notice. Two smoothed RTTs of silence (plus the peer's delayed-ack time when a single packet is
   * out, which the peer may hold back) send a probe instead, whose SACK lets {@link #detectLosses}
   * find what is missing. At most {@value #MAX_PROBES} probes per silence; then T3 decides.
   *
   * <p>Only reached while the association is up (SACKs, FORWARD TSN and DATA are only processed or
   * sent then, and {@link #clear} disarms it at the end), so it does not ask.
   */
  private void armProbe(long nowNanos) {
    boolean forwardTsnOut = peerForwardTsn && advancedPeerAckPoint > cumAckTsn;
    if (!rto.measured() || (flightBytes == 0 && !forwardTsnOut) || probesSent >= MAX_PROBES) {
      probeDeadline = NONE;
      return;
    }
    long ptoNanos = Math.max(2 * rto.srttNanos(), 2 * MILLIS) << probesSent;
    if (flightBytes <= config.mtu()) {
      ptoNanos += config.delayedAckMillis() * MILLIS;
    }
    long deadline = nowNanos + ptoNanos;
    probeDeadline = deadline < t3Deadline ? deadline : NONE;
  }

  private void onProbeDue(long nowNanos) {
    probeDeadline = NONE;
    if (retransmitMarked > 0) {
      return;
    }
    if (flightBytes == 0) {
      if (peerForwardTsn && advancedPeerAckPoint > cumAckTsn) {
        // only skipped data is unacknowledged: its FORWARD TSN (or the SACK) was lost
        probesSent++;
        tailLossProbes++;
        forwardTsnNeeded = true;
        armProbe(nowNanos);
      }
      return;
    }
    probesSent++;
    tailLossProbes++;
    // new data if the peer can take it (it is useful whatever happened), else the newest chunk
    // in flight again: either way the peer answers with a SACK at once or after its delay
    OutChunk next = unsent.peek();
    if (next != null && next.len <= peerRwnd) {
      probeNewData = true;
    } else {
      for (int i = outstanding.size() - 1; i >= 0; i--) {
        OutChunk c = outstanding.get(i);
        if (c.inFlight && !c.acked && !c.abandoned) {
          c.retransmit = true;
          retransmitMarked++;
          c.inFlight = false;
          flightBytes -= c.len;
          fastRetransmitPending = true;
          break;
        }
      }
    }
    armProbe(nowNanos);
  }

  /**
   * The transmission of newly acked {@code c} that loss detection may trust, or -1. An ack that
   * comes sooner than the path's minimum RTT after a retransmission was for an earlier copy (RFC
   * 8985 6.2 step 2): taken for the retransmission, it would make everything sent in between look
   * overtaken and lost, and the retransmissions of those would do the same again (a storm of
   * spurious retransmissions, seen behind a bottleneck queue on a lossless path).
   */
  private long ackedTransmission(long nowNanos, OutChunk c) {
    if (c.transmits > 1 && (!rto.measured() || nowNanos - c.sentNanos < rto.minRttNanos())) {
      return -1;
    }
    return c.sentSeq;
  }

  /** Karn's rule (RFC 9260 6.3.1 C5): only a chunk sent once gives an RTT sample. */
  private void sampleRtt(long nowNanos, OutChunk c) {
    if (c == rttProbe) {
      if (c.transmits == 1) {
        rto.measure(nowNanos - c.sentNanos);
      }
      rttProbe = null;
    }
  }

  /** RFC 3758 3.5 A1/A2: gives up a message whose limit is reached. True if abandoned. */
  private boolean maybeAbandon(long nowNanos, OutChunk c) {
    OutMessage m = c.msg;
    if (m.abandoned) {
      return true;
    }
    if (!peerForwardTsn) {
      return false;
    }
    boolean expired = m.expiryNanos != NONE && nowNanos >= m.expiryNanos;
    boolean exhausted = m.maxRetransmits >= 0 && c.transmits > m.maxRetransmits;
    if (!expired && !exhausted) {
      return false;
    }
    abandon(m);
    return true;
  }

  private void abandon(OutMessage m) {
    m.abandoned = true;
    abandonedMessages++;
    long from = Math.max(m.firstTsn, cumAckTsn + 1);
    long to = Math.min(m.lastTsn, cumAckTsn + outstanding.size());
    for (long t = from; t <= to; t++) {
      OutChunk c = outstanding.get((int) (t - cumAckTsn - 1));
      c.abandoned = true;
      if (c == rttProbe) {
        rttProbe = null;
      }
      if (c.inFlight) {
        c.inFlight = false;
        flightBytes -= c.len;
      }
      if (c.retransmit) {
        c.retransmit = false;
        retransmitMarked--;
      }
    }
  }

  private void updateAdvancedPeerAckPoint(long nowNanos) {
    if (!peerForwardTsn) {
      return;
    }
    if (advancedPeerAckPoint < cumAckTsn) {
      advancedPeerAckPoint = cumAckTsn;
    }
    int idx = (int) (advancedPeerAckPoint - cumAckTsn);
    while (idx < outstanding.size() && outstanding.get(idx).abandoned) {
      advancedPeerAckPoint++;
      idx++;
    }
    if (advancedPeerAckPoint > cumAckTsn) {
      // announce each new point at once; a SACK still behind it repeats it (processAck)
      if (advancedPeerAckPoint > lastForwardTsnSent) {
        forwardTsnNeeded = true;
      }
      if (t3Deadline == NONE) {
        t3Deadline = nowNanos + t3TimeoutNanos();
      }
    }
  }

  /** True if a FORWARD TSN should go out: the advanced peer ack point moved or was not seen. */
  boolean forwardTsnDue() {
    return forwardTsnNeeded && advancedPeerAckPoint > cumAckTsn;
  }

  /**
   * The FORWARD TSN for the advanced peer ack point (RFC 3758 3.5 C1 to C3), naming the last
   * skipped SSN of each ordered stream (as many as fit {@code maxBytes}); re-arms the probe.
   */
  ForwardTsnChunk buildForwardTsn(long nowNanos, int maxBytes) {
    Map<Integer, Integer> ssns = new LinkedHashMap<>();
    int maxEntries = Math.max(0, (maxBytes - 8) / 4);
    for (long t = cumAckTsn + 1; t <= advancedPeerAckPoint; t++) {
      OutChunk c = outstanding.get((int) (t - cumAckTsn - 1));
      if (!c.unordered && (ssns.containsKey(c.streamId) || ssns.size() < maxEntries)) {
        ssns.put(c.streamId, c.ssn);
      }
    }
    List<ForwardTsnChunk.StreamSequence> list = new ArrayList<>();
    ssns.forEach((k, v) -> list.add(new ForwardTsnChunk.StreamSequence(k, v)));
    forwardTsnNeeded = false;
    lastForwardTsnSent = advancedPeerAckPoint;
    armProbe(nowNanos);
    return new ForwardTsnChunk((int) advancedPeerAckPoint, list);
  }

  /**
   * Cuts one message into DATA chunks (RFC 9260 6.9) with the next TSNs and queues them; an ordered
   * message takes the channel's next SSN. See {@link DataChannels.Outbox#enqueue}.
   */
  void enqueue(
      long nowNanos,
      Channel ch,
      int ppid,
      byte[] payload,
      boolean unordered,
      int userBytes,
      boolean counted) {
    OutMessage m = new OutMessage();
    m.channel = counted ? ch : null;
    if (counted && ch.type.byRetransmits()) {
      m.maxRetransmits = ch.config.maxRetransmits();
    }
    if (counted && ch.type.byLifetime()) {
      m.expiryNanos = nowNanos + ch.config.maxLifetimeMillis() * MILLIS;
    }
    int ssn = 0;
    if (!unordered) {
      ssn = ch.nextSsn;
      ch.nextSsn = (ch.nextSsn + 1) & 0xFFFF;
    }
    // A chunk is padded to 4 bytes on the wire (RFC 9260 3.2): a fragment must leave room for
    // its padding, or a full one never fits a packet and the association stalls.
    int maxFragment = (config.mtu() - SctpPacket.HEADER_LENGTH - DATA_CHUNK_OVERHEAD) & ~3;
    m.firstTsn = nextTsn;
    for (int pos = 0; pos < payload.length; pos += maxFragment) {
      OutChunk c = new OutChunk();
      c.tsn = nextTsn++;
      c.streamId = ch.id;
      c.ssn = ssn;
      c.ppid = ppid;
      c.unordered = unordered;
      c.data = payload;
      c.off = pos;
      c.len = Math.min(maxFragment, payload.length - pos);
      c.begin = pos == 0;
      c.end = pos + c.len == payload.length;
      c.bufferedBytes = counted && userBytes > 0 ? c.len : 0;
      c.msg = m;
      unsent.add(c);
    }
    m.lastTsn = nextTsn - 1;
    if (counted) {
      ch.bufferedBytes += userBytes;
    }
  }

  private void releaseBuffered(OutChunk c) {
    if (c.bufferedBytes == 0 || c.msg.channel == null) {
      return;
    }
    channels.release(c.msg.channel, c.bufferedBytes);
    c.bufferedBytes = 0;
  }

  /**
   * Writes DATA chunks into the packet {@code b} from {@code p} up to {@code limit}: chunks marked
   * for retransmission first, then new data, as the congestion and receive windows allow.
   *
   * @return the new end of the packet
   */
  int writeData(long nowNanos, byte[] b, int p, int limit) {
    return writeNewData(nowNanos, b, writeRetransmissions(nowNanos, b, p, limit), limit);
  }

  private int writeRetransmissions(long nowNanos, byte[] b, int p, int limit) {
    if (retransmitMarked == 0) {
      return p;
    }
    boolean bypassCwnd = fastRetransmitPending;
    fastRetransmitPending = false;
    for (int i = 0; i < outstanding.size() && retransmitMarked > 0; i++) {
      OutChunk c = outstanding.get(i);
      if (!c.retransmit) {
        continue;
      }
      if (maybeAbandon(nowNanos, c)) {
        updateAdvancedPeerAckPoint(nowNanos);
        continue;
      }
      int size = Wire.pad4(DATA_CHUNK_OVERHEAD + c.len);
      if (p + size > limit) {
        break;
      }
      if (!bypassCwnd && flightBytes > 0 && flightBytes + c.len > congestion.cwnd()) {
        break;
      }
      p += writeChunk(nowNanos, b, p, c);
      if (c == rttProbe) {
        rttProbe = null;
      }
      if (i == 0) {
        // RFC 9260 7.2.4 step 4: retransmitting the lowest outstanding TSN restarts T3, or the
        // timer armed long before fires while this retransmission is still on its way
        t3Deadline = nowNanos + t3TimeoutNanos();
      }
      c.retransmit = false;
      retransmitMarked--;
      retransmissions++;
    }
    return p;
  }

  private int writeNewData(long nowNanos, byte[] b, int p, int limit) {
    while (!unsent.isEmpty()) {
      OutChunk c = unsent.peek();
      OutMessage m = c.msg;
      if (m.abandoned || (peerForwardTsn && m.expiryNanos != NONE && nowNanos >= m.expiryNanos)) {
        // expired before it was ever sent: abandon it without sending (RFC 3758 3.5 A1)
        if (!m.abandoned) {
          abandon(m);
        }
        unsent.poll();
        c.abandoned = true;
        releaseBuffered(c);
        outstanding.addLast(c);
        updateAdvancedPeerAckPoint(nowNanos);
        continue;
      }
      int size = Wire.pad4(DATA_CHUNK_OVERHEAD + c.len);
      if (p + size > limit) {
        break;
      }
      if (flightBytes > 0
          && (flightBytes + c.len > congestion.cwnd() && !probeNewData || c.len > peerRwnd)) {
        break;
      }
      probeNewData = false;
      unsent.poll();
      outstanding.addLast(c);
      p += writeChunk(nowNanos, b, p, c);
      peerRwnd = Math.max(0, peerRwnd - c.len);
      dataChunksSent++;
      if (rttProbe == null) {
        rttProbe = c;
      }
      releaseBuffered(c);
    }
    return p;
  }

  private int writeChunk(long nowNanos, byte[] b, int p, OutChunk c) {
    b[p] = Chunk.DATA;
    b[p + 1] = (byte) DataChunk.flags(false, c.unordered, c.begin, c.end);
    Wire.put16(b, p + 2, DATA_CHUNK_OVERHEAD + c.len);
    DataChunk.writeHeaderValue(b, p + 4, (int) c.tsn, c.streamId, c.ssn, c.ppid);
    System.arraycopy(c.data, c.off, b, p + DATA_CHUNK_OVERHEAD, c.len);
    int padded = Wire.pad4(DATA_CHUNK_OVERHEAD + c.len);
    for (int i = p + DATA_CHUNK_OVERHEAD + c.len; i < p + padded; i++) {
      b[i] = 0;
    }
    c.inFlight = true;
    c.everSent = true;
    c.transmits++;
    c.sentNanos = nowNanos;
    c.sentSeq = ++transmitSeq;
    c.missCount = 0;
    flightBytes += c.len;
    if (t3Deadline == NONE) {
      t3Deadline = nowNanos + t3TimeoutNanos();
    }
    armProbe(nowNanos);
    return padded;
  }

  /** Forgets everything (the association ended). */
  void clear() {
    t3Deadline = NONE;
    reorderDeadline = NONE;
    probeDeadline = NONE;
    unsent.clear();
    outstanding.clear();
    flightBytes = 0;
    forwardTsnNeeded = false;
  }

  /** The T3-rtx duration now. */
  long t3TimeoutMillis() {
    return t3TimeoutNanos() / MILLIS;
  }

  /** The congestion window. */
  long cwnd() {
    return congestion.cwnd();
  }

  /** The peer's receive window as we estimate it (its a_rwnd less what is in flight). */
  long peerRwnd() {
    return peerRwnd;
  }

  /** SACKs dropped for acking TSNs never sent. */
  long invalidSacks() {
    return invalidSacks;
  }

  /** DATA chunks sent the first time. */
  long dataChunksSent() {
    return dataChunksSent;
  }

  /** DATA chunks sent again, for any reason. */
  long retransmissions() {
    return retransmissions;
  }

  /** Chunks loss detection marked lost (before T3 would have). */
  long fastRetransmits() {
    return fastRetransmits;
  }

  /** T3-rtx expirations with data outstanding. */
  long t3Expirations() {
    return t3Expirations;
  }

  /** Tail-loss probes sent. */
  long tailLossProbes() {
    return tailLossProbes;
  }

  /** Retransmissions the peer's duplicate reports showed to be spurious. */
  long spuriousRetransmits() {
    return spuriousRetransmits;
  }

  /** Messages given up under partial reliability. */
  long abandonedMessages() {
    return abandonedMessages;
  }

  /** One user message being sent. */
  private static final class OutMessage {
    Channel channel;
    int maxRetransmits = -1;
    long expiryNanos = NONE;
    boolean abandoned;
    long firstTsn;
    long lastTsn;
  }

  /** One DATA chunk being sent (a view into the message's bytes). */
  private static final class OutChunk {
    long tsn;
    int streamId;
    int ssn;
    int ppid;
    boolean unordered;
    boolean begin;
    boolean end;
    byte[] data;
    int off;
    int len;
    int bufferedBytes;
    OutMessage msg;
    boolean inFlight;
    boolean everSent;
    boolean acked;
    boolean retransmit;
    boolean abandoned;
    int transmits;
    int missCount;
    long sentNanos;
    long sentSeq;
  }

  /**
   * The chunks from the cumulative ack point on, in TSN order and contiguous, so chunk {@code
   * cumAckTsn + 1 + i} is at index {@code i}.
   */
  private static final class ChunkRing {
    private OutChunk[] items = new OutChunk[64];
    private int head;
    private int size;

    int size() {
      return size;
    }

    OutChunk get(int i) {
      return items[(head + i) & (items.length - 1)];
    }

    OutChunk first() {
      return items[head];
    }

    void addLast(OutChunk c) {
      if (size == items.length) {
        OutChunk[] bigger = new OutChunk[items.length * 2];
        for (int i = 0; i < size; i++) {
          bigger[i] = get(i);
        }
        items = bigger;
        head = 0;
      }
      items[(head + size) & (items.length - 1)] = c;
      size++;
    }

    OutChunk pollFirst() {
      OutChunk c = items[head];
      items[head] = null;
      head = (head + 1) & (items.length - 1);
      size--;
      return c;
    }

    void clear() {
      Arrays.fill(items, null);
      head = 0;
      size = 0;
    }
  }
}
