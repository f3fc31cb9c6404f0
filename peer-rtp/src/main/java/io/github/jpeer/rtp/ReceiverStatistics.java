package io.github.jpeer.rtp;

/**
 * Reception statistics for one remote SSRC, as RFC 3550 appendix A describes them: source
 * validation with probation (A.1), expected and lost packets and the fraction lost per report
 * interval (A.3), and interarrival jitter (A.8). Produces the {@link ReportBlock} of an RR or SR.
 *
 * <p>Call {@link #onPacket} for every RTP packet of the source (after SRTP), {@link
 * #onSenderReport} for every SR from it, and {@link #reportBlock} when sending a report. Times are
 * the caller's monotonic {@code nowNanos}. Allocation-free except {@link #reportBlock}. Not
 * thread-safe.
 */
public final class ReceiverStatistics {

  /** RFC 3550 A.1: the largest forward jump still taken as the same sequence space. */
  public static final int MAX_DROPOUT = 3000;

  /** RFC 3550 A.1: the largest backward jump taken as reordering rather than a restart. */
  public static final int MAX_MISORDER = 100;

  /** RFC 3550 A.1: consecutive packets needed before a new source is believed. */
  public static final int MIN_SEQUENTIAL = 2;

  private static final int RTP_SEQ_MOD = 1 << 16;
  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private final int ssrc;
  private final int clockRate;
  private final int minSequential;

  private boolean seen;
  private int maxSeq;
  private long cycles;
  private int baseSeq;
  private int badSeq;
  private int probation;
  private long received;
  private long expectedPrior;
  private long receivedPrior;

  private boolean transitValid;
  private int lastTransit;
  private double jitter;

  private long lastSenderReportNtp;
  private long lastSenderReportArrivalNanos;
  private boolean senderReportSeen;

  /**
   * Creates statistics with the RFC's probation of {@link #MIN_SEQUENTIAL} packets.
   *
   * @param ssrc the remote source
   * @param clockRate its RTP clock rate in Hz
   */
  public ReceiverStatistics(int ssrc, int clockRate) {
    this(ssrc, clockRate, MIN_SEQUENTIAL);
  }

  /**
   * Creates statistics.
   *
   * @param ssrc the remote source
   * @param clockRate its RTP clock rate in Hz
   * @param minSequential packets in sequence needed to validate the source; 0 or 1 trusts the first
   *     packet (suitable when SRTP already authenticated the stream)
   */
  public ReceiverStatistics(int ssrc, int clockRate, int minSequential) {
    if (clockRate <= 0) {
      throw new IllegalArgumentException("clockRate must be positive, got " + clockRate);
    }
    if (minSequential < 0) {
      throw new IllegalArgumentException(
          "minSequential must not be negative, got " + minSequential);
    }
    this.ssrc = ssrc;
    this.clockRate = clockRate;
    this.minSequential = minSequential;
  }

  /** Returns the SSRC these statistics are about. */
  public int ssrc() {
    return ssrc;
  }

  /**
   * Records one received RTP packet.
   *
   * @param sequenceNumber its 16-bit sequence number
   * @param rtpTimestamp its RTP timestamp (unsigned 32 bits)
   * @param arrivalNanos its arrival time on the caller's monotonic clock
   * @return whether the packet counts as valid (RFC 3550 A.1); false during probation and for a
   *     large jump that is not yet confirmed as a restart
   */
  public boolean onPacket(int sequenceNumber, long rtpTimestamp, long arrivalNanos) {
    int seq = sequenceNumber & 0xFFFF;
    if (!seen) {
      seen = true;
      if (minSequential <= 1) {
        initSequence(seq);
        received++;
        updateJitter(rtpTimestamp, arrivalNanos);
        return true;
      }
      initSequence(seq);
      maxSeq = (seq - 1) & 0xFFFF;
      probation = minSequential;
    }
    if (!updateSequence(seq)) {
      return false;
    }
    updateJitter(rtpTimestamp, arrivalNanos);
    return true;
  }

  // RFC 3550 A.1 init_seq
  private void initSequence(int seq) {
    baseSeq = seq;
    maxSeq = seq;
    badSeq = RTP_SEQ_MOD + 1; // so seq == badSeq is false
    cycles = 0;
    received = 0;
    receivedPrior = 0;
    expectedPrior = 0;
  }

  // RFC 3550 A.1 update_seq
  private boolean updateSequence(int seq) {
    int udelta = (seq - maxSeq) & 0xFFFF;
    if (probation > 0) {
      // The source is not valid until minSequential packets arrive in sequence.
      if (seq == ((maxSeq + 1) & 0xFFFF)) {
        probation--;
        maxSeq = seq;
        if (probation == 0) {
          initSequence(seq);
          received++;
          return true;
        }
      } else {
        probation = minSequential - 1;
        maxSeq = seq;
      }
      return false;
    } else if (udelta < MAX_DROPOUT) {
      // In order, with a permissible gap.
      if (seq < maxSeq) {
        cycles += RTP_SEQ_MOD;
      }
      maxSeq = seq;
    } else if (udelta <= RTP_SEQ_MOD - MAX_MISORDER) {
      // A very large jump: two sequential packets mean the other side restarted.
      if (seq == badSeq) {
        initSequence(seq);
      } else {
        badSeq = (seq + 1) & (RTP_SEQ_MOD - 1);
        return false;
      }
    }
    // else: a duplicate or a reordered packet; counted as received (A.3 allows negative loss).
    received++;
    return true;
  }

  // RFC 3550 A.8: J += (|D| - J) / 16 with D the change in transit time, in timestamp units.
  private void updateJitter(long rtpTimestamp, long arrivalNanos) {
    long arrivalTicks = toTicks(arrivalNanos);
    // Transit times are only compared with each other, so 32-bit wrap-around is harmless.
    int transit = (int) (arrivalTicks - rtpTimestamp);
    if (transitValid) {
      int d = transit - lastTransit;
      jitter += (Math.abs((double) d) - jitter) / 16.0;
    }
    lastTransit = transit;
    transitValid = true;
  }

  private long toTicks(long nanos) {
    // Split to avoid overflowing nanos * clockRate.
    return Math.floorDiv(nanos, NANOS_PER_SECOND) * clockRate
        + Math.floorMod(nanos, NANOS_PER_SECOND) * clockRate / NANOS_PER_SECOND;
  }

  /**
   * Records an SR from this source, for the LSR and DLSR fields of the next report block.
   *
   * @param ntpTimestamp the SR's NTP timestamp
   * @param arrivalNanos its arrival time on the caller's monotonic clock
   */
  public void onSenderReport(long ntpTimestamp, long arrivalNanos) {
    lastSenderReportNtp = ntpTimestamp;
    lastSenderReportArrivalNanos = arrivalNanos;
    senderReportSeen = true;
  }

  /** Returns whether the source has passed probation and packets are being counted. */
  public boolean isValid() {
    return seen && probation == 0;
  }

  /** Returns the packets counted as received (duplicates included, RFC 3550 A.3). */
  public long packetsReceived() {
    return received;
  }

  /** Returns the extended highest sequence number received (cycles in the high bits). */
  public long extendedHighestSequence() {
    return cycles + maxSeq;
  }

  /** Returns the number of packets expected: extended highest - base + 1 (RFC 3550 A.3). */
  public long packetsExpected() {
    return isValid() ? extendedHighestSequence() - baseSeq + 1 : 0;
  }

  /** Returns expected minus received; negative when duplicates arrived. */
  public long cumulativeLost() {
    return packetsExpected() - received;
  }

  /** Returns the interarrival jitter estimate in timestamp units. */
  public double jitter() {
    return jitter;
  }

  /**
   * Builds the report block for this source and starts a new report interval (the fraction lost is
   * for the packets since the previous call).
   *
   * @param nowNanos the current time on the same clock as the arrival times, for DLSR
   * @return the block to put in an SR or RR
   */
  public ReportBlock reportBlock(long nowNanos) {
    long expected = packetsExpected();
    long expectedInterval = expected - expectedPrior;
    expectedPrior = expected;
    long receivedInterval = received - receivedPrior;
    receivedPrior = received;
    long lostInterval = expectedInterval - receivedInterval;
    int fraction =
        expectedInterval == 0 || lostInterval <= 0
            ? 0
            : (int) Math.min(255, (lostInterval << 8) / expectedInterval);
    // RFC 3550 6.4.1: cumulative lost is a signed 24-bit field; clamp rather than wrap.
    long lost = Math.max(-0x800000L, Math.min(0x7FFFFFL, cumulativeLost()));
    long lsr = senderReportSeen ? NtpTime.middle32(lastSenderReportNtp) : 0;
    long dlsr =
        senderReportSeen ? NtpTime.toCompactDuration(nowNanos - lastSenderReportArrivalNanos) : 0;
    return new ReportBlock(
        ssrc,
        fraction,
        (int) lost,
        extendedHighestSequence() & 0xFFFF_FFFFL,
        Math.min(0xFFFF_FFFFL, (long) jitter),
        lsr,
        dlsr);
  }
}
