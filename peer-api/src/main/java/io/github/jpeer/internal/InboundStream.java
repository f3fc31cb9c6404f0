package io.github.jpeer.internal;

import io.github.jpeer.rtp.H264Depacketizer;
import io.github.jpeer.rtp.ReceiverStatistics;
import io.github.jpeer.rtp.RtpPacket;
import io.github.jpeer.rtp.RtpReorderBuffer;
import java.util.List;

/**
 * One track we receive: the remote SSRC it is bound to, its receive statistics (RFC 3550 appendix
 * A), the reorder stage that hands packets on in sequence order, for video the NACK generator (RFC
 * 4585 generic NACK, when negotiated), the depacketizer and the keyframe-request state, and the
 * frames that come out, queued as {@link MediaEvent}s. {@link MediaSession} has unprotected and
 * parsed the packets and demultiplexed them here. Not thread-safe.
 */
final class InboundStream {
  // Audio is not resent: a packet that overtook an earlier one waits at most 60 ms (three 20 ms
  // frames) for it, so a reordered packet is delivered in order instead of dropped as late. A
  // placeholder for issue #17's adaptive jitter buffer, which will own this wait.
  static final long AUDIO_REORDER_WAIT_NANOS = 60_000_000L;
  private static final int AUDIO_REORDER_PACKETS = 32;

  // Video: a gap is NACKed at once and again every RTT (bounded) up to three times; packets
  // behind it wait three RTTs (bounded) for the retransmission before the gap is given up on.
  private static final int VIDEO_REORDER_PACKETS = 512;
  private static final int NACK_TRIES = 3;
  private static final long NACK_INTERVAL_DEFAULT_NANOS = 50_000_000L;
  private static final long NACK_INTERVAL_MIN_NANOS = 10_000_000L;
  private static final long NACK_INTERVAL_MAX_NANOS = 200_000_000L;
  private static final long REORDER_WAIT_DEFAULT_NANOS = 150_000_000L;
  private static final long REORDER_WAIT_MIN_NANOS = 30_000_000L;
  private static final long REORDER_WAIT_MAX_NANOS = 400_000_000L;
  private static final long PLI_MIN_INTERVAL_NANOS = 500_000_000L;

  private final RemoteDescription.Track track;
  private final MediaEvent.Kind frameKind;
  private final SlotRing<MediaEvent> events;
  private final MalformedPackets malformed;
  // Audio: always (reordering only); video: only with NACK negotiated (no retransmission, no wait).
  private final RtpReorderBuffer reorder;
  private final H264Depacketizer depacketizer;
  // Over packets the reorder stage releases (the caller's view is over the datagram).
  private final RtpPacket released = new RtpPacket();
  // When each held packet's datagram was read, by sequence number modulo the reorder capacity
  // (the reorder stage's own slot mapping, so an entry lives exactly as long as its packet): a
  // frame released after a wait still carries its arrival time, which a jitter buffer needs.
  private final long[] arrivalNanos;
  private final int arrivalMask;

  // Null until the first packet binds the stream to its SSRC.
  private ReceiverStatistics stats;
  private final MediaSession.Counters received = new MediaSession.Counters();
  private long duplicates;
  private long nacksSent;
  private long plisSent;
  // When the last PLI went out; valid only once pliSent is true (no sentinel arithmetic).
  private long lastPliNanos;
  private boolean pliSent;

  private InboundStream(
      RemoteDescription.Track track,
      MediaEvent.Kind frameKind,
      RtpReorderBuffer reorder,
      H264Depacketizer depacketizer,
      SlotRing<MediaEvent> events,
      MalformedPackets malformed) {
    this.track = track;
    this.frameKind = frameKind;
    this.reorder = reorder;
    this.depacketizer = depacketizer;
    this.events = events;
    this.malformed = malformed;
    int capacity =
        reorder == null
            ? 1
            : frameKind == MediaEvent.Kind.AUDIO_FRAME
                ? AUDIO_REORDER_PACKETS
                : VIDEO_REORDER_PACKETS;
    this.arrivalNanos = new long[capacity];
    this.arrivalMask = capacity - 1;
  }

  /** The remote's audio track; its frames go to {@code events}. */
  static InboundStream audio(
      RemoteDescription.Track track, SlotRing<MediaEvent> events, MalformedPackets malformed) {
    return new InboundStream(
        track,
        MediaEvent.Kind.AUDIO_FRAME,
        new RtpReorderBuffer(AUDIO_REORDER_PACKETS),
        null,
        events,
        malformed);
  }

  /** The remote's H.264 track; its access units go to {@code events}. */
  static InboundStream video(
      RemoteDescription.Track track, SlotRing<MediaEvent> events, MalformedPackets malformed) {
    return new InboundStream(
        track,
        MediaEvent.Kind.VIDEO_FRAME,
        track.nack() ? new RtpReorderBuffer(VIDEO_REORDER_PACKETS) : null,
        new H264Depacketizer(),
        events,
        malformed);
  }

  /**
   * Whether a packet of {@code payloadType} from {@code ssrc} is this track's: the payload type
   * negotiated, and one of the announced SSRCs, else the first one seen with that payload type (the
   * looser layout some stacks use: no {@code a=ssrc}).
   */
  boolean accepts(int payloadType, int ssrc) {
    if (payloadType != track.payloadType()) {
      return false;
    }
    List<Long> announced = track.ssrcs();
    if (!announced.isEmpty()) {
      long unsigned = ssrc & 0xffffffffL;
      // Compared unboxed: contains(unsigned) would box a Long for every packet.
      for (int i = 0; i < announced.size(); i++) {
        if (announced.get(i) == unsigned) {
          return true;
        }
      }
      return false;
    }
    return stats == null || stats.ssrc() == ssrc;
  }

  /** Whether the stream is bound to the remote's {@code ssrc} (it had a packet from it). */
  boolean boundTo(int ssrc) {
    return stats != null && stats.ssrc() == ssrc;
  }

  /**
   * A packet of this track, parsed in {@code rtp} over {@code data[offset, offset+length)}:
   * counted, then delivered in order (now, or when the packets before it came or were given up on).
   */
  void onPacket(
      long nowNanos, RtpPacket rtp, byte[] data, int offset, int length, double roundTripSeconds) {
    if (stats == null) {
      stats = new ReceiverStatistics(rtp.ssrc(), track.clockRate(), 1);
    }
    stats.onPacket(rtp.sequenceNumber(), rtp.timestamp(), nowNanos);
    received.packets++;
    received.bytes += rtp.payloadLength();
    if (depacketizer == null) {
      if (reorder.passThrough(data, offset, length)) {
        queueFrame(
            data,
            rtp.payloadOffset(),
            rtp.payloadLength(),
            rtp.timestamp(),
            rtp.sequenceNumber(),
            nowNanos);
        return;
      }
      // LATE: its turn passed (the wait for it ran out), too late to use; counted by late().
      int held = reorder.push(data, offset, length, nowNanos);
      if (held == RtpReorderBuffer.HELD) {
        arrivalNanos[rtp.sequenceNumber() & arrivalMask] = nowNanos;
      } else if (held == RtpReorderBuffer.DUPLICATE) {
        duplicates++;
      }
    } else if (reorder == null) {
      depacketize(rtp, data, offset, length, nowNanos);
      return;
    } else {
      // In order through the reorder buffer; a NACK for a new gap is due at once (pollTimeout).
      int held = reorder.push(data, offset, length, nowNanos);
      if (held == RtpReorderBuffer.HELD) {
        arrivalNanos[rtp.sequenceNumber() & arrivalMask] = nowNanos;
      } else if (held == RtpReorderBuffer.DUPLICATE) {
        duplicates++;
      }
    }
    release(nowNanos, roundTripSeconds);
  }

  /** Delivers every held packet the reorder stage lets go of now. */
  void release(long nowNanos, double roundTripSeconds) {
    if (reorder == null) {
      return;
    }
    long wait = reorderWaitNanos(roundTripSeconds);
    while (reorder.poll(nowNanos, wait)) {
      byte[] packet = reorder.packet();
      int length = reorder.length();
      if (!released.wrap(packet, 0, length)) {
        continue; // cannot happen: it parsed once already
      }
      long arrival = arrivalNanos[released.sequenceNumber() & arrivalMask];
      if (depacketizer == null) {
        queueFrame(
            packet,
            released.payloadOffset(),
            released.payloadLength(),
            released.timestamp(),
            released.sequenceNumber(),
            arrival);
      } else {
        depacketize(released, packet, 0, length, arrival);
      }
    }
  }

  /** Hands the video packet in {@code rtp} (over {@code data}) to the depacketizer. */
  private void depacketize(RtpPacket rtp, byte[] data, int offset, int length, long arrivalNanos) {
    if (depacketizer.push(rtp) == H264Depacketizer.Result.MALFORMED) {
      malformed.drop("H264 payload", data, offset, length);
    }
    while (depacketizer.pollAccessUnit()) {
      queueFrame(
          depacketizer.accessUnit(),
          0,
          depacketizer.accessUnitLength(),
          depacketizer.accessUnitTimestamp(),
          rtp.sequenceNumber(),
          arrivalNanos);
    }
  }

  private void queueFrame(
      byte[] data, int offset, int length, long rtpTimestamp, int sequence, long arrivalNanos) {
    events.claim().setFrame(frameKind, data, offset, length, rtpTimestamp, sequence, arrivalNanos);
    events.commit();
  }

  private long reorderWaitNanos(double roundTripSeconds) {
    if (depacketizer == null) {
      return AUDIO_REORDER_WAIT_NANOS;
    }
    return MediaSession.roundTripBoundNanos(
        roundTripSeconds,
        3,
        REORDER_WAIT_DEFAULT_NANOS,
        REORDER_WAIT_MIN_NANOS,
        REORDER_WAIT_MAX_NANOS);
  }

  private static long nackIntervalNanos(double roundTripSeconds) {
    return MediaSession.roundTripBoundNanos(
        roundTripSeconds,
        1,
        NACK_INTERVAL_DEFAULT_NANOS,
        NACK_INTERVAL_MIN_NANOS,
        NACK_INTERVAL_MAX_NANOS);
  }

  /**
   * Writes into {@code out} the video sequence numbers to NACK now (missing, and not asked for
   * within the last interval); returns how many. Zero for audio, or video without NACK.
   */
  int missing(long nowNanos, double roundTripSeconds, int[] out) {
    if (depacketizer == null || reorder == null || stats == null) {
      return 0;
    }
    return reorder.missing(nowNanos, nackIntervalNanos(roundTripSeconds), NACK_TRIES, out);
  }

  /** Counts a NACK sent for this stream. */
  void countNackSent() {
    nacksSent++;
  }

  /**
   * Whether to ask for a keyframe: a video frame was lost and the remote negotiated PLI ({@code
   * a=rtcp-fb:... nack pli}); without it we wait for the sender's next keyframe.
   */
  private boolean pliWanted() {
    return depacketizer != null && track.pli() && stats != null && depacketizer.keyframeNeeded();
  }

  /** Whether a PLI is due now: wanted, and the first, or half a second after the last. */
  boolean pliDue(long nowNanos) {
    return pliWanted() && (!pliSent || nowNanos - lastPliNanos >= PLI_MIN_INTERVAL_NANOS);
  }

  /** Counts a PLI sent now. */
  void pliSent(long nowNanos) {
    lastPliNanos = nowNanos;
    pliSent = true;
    plisSent++;
  }

  /** When this stream next has something to do (a release, a NACK, a PLI), or Long.MAX_VALUE. */
  long pollTimeoutNanos(double roundTripSeconds) {
    long next = Long.MAX_VALUE;
    if (reorder != null && stats != null) {
      next = reorder.releaseDeadlineNanos(reorderWaitNanos(roundTripSeconds));
      if (depacketizer != null) {
        next =
            Math.min(next, reorder.nextNackNanos(nackIntervalNanos(roundTripSeconds), NACK_TRIES));
      }
    }
    if (pliWanted()) {
      // A PLI is due at once the first time, then at most every PLI_MIN_INTERVAL_NANOS.
      next = pliSent ? Math.min(next, lastPliNanos + PLI_MIN_INTERVAL_NANOS) : Long.MIN_VALUE;
    }
    return next;
  }

  /** Receive statistics, or null before the first packet. */
  ReceiverStatistics statistics() {
    return stats;
  }

  /** What was received. */
  MediaSession.Counters received() {
    return received;
  }

  /** Packets that arrived after the reorder stage had given up on them. */
  long late() {
    return reorder == null ? 0 : reorder.late();
  }

  /** Packets the reorder stage already held or had passed on (network duplicates). */
  long duplicates() {
    return duplicates;
  }

  /** NACK packets sent. */
  long nacksSent() {
    return nacksSent;
  }

  /** PLIs sent. */
  long plisSent() {
    return plisSent;
  }
}
