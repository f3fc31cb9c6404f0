package io.github.jpeer.internal;

import io.github.jpeer.MediaCodec;
import io.github.jpeer.rtp.G711Packetizer;
import io.github.jpeer.rtp.H264Packetizer;
import io.github.jpeer.rtp.OpusPacketizer;
import io.github.jpeer.rtp.OpusToc;
import io.github.jpeer.rtp.ReportBlock;
import io.github.jpeer.rtp.RtpPacketHistory;
import io.github.jpeer.rtp.SenderReport;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * One track we send, one SSRC: its packetizer (sequence number and timestamp), what was sent (for
 * the sender report, RFC 3550 section 6.4.1) and, for video the remote accepts NACK for, the
 * packets of the last second to send again (RFC 4588 section 3, in the original stream). It writes
 * RTP packets into the caller's buffer; {@link MediaSession} protects and queues them. Not
 * thread-safe.
 */
final class OutboundStream {
  /** The largest RTP packet we build (video is fragmented to fit). */
  static final int MTU = 1200;

  /**
   * Room after an RTP packet for what SRTP adds in place: the longest tag (16 bytes) and an MKI.
   */
  static final int SRTP_ROOM = 64;

  // Retransmission: 512 packets cover a second of video up to about 5 Mbit/s; a receiver gives
  // up on a packet well within a second. The same packet is resent at most once per round trip
  // (a NACK repeated sooner crossed our retransmission), bounded when the RTT is not yet known.
  private static final int HISTORY_PACKETS = 512;
  private static final long HISTORY_MAX_AGE_NANOS = 1_000_000_000L;
  private static final long RESEND_INTERVAL_DEFAULT_NANOS = 100_000_000L;
  private static final long RESEND_INTERVAL_MIN_NANOS = 5_000_000L;
  private static final long RESEND_INTERVAL_MAX_NANOS = 500_000_000L;

  private final RemoteDescription.Track track;
  private final int ssrc;
  // Exactly one packetizer: Opus or G.711 for audio, H.264 for video.
  private final OpusPacketizer opus;
  private final G711Packetizer g711;
  private final H264Packetizer h264;
  private final RtpPacketHistory history;
  private final long startNanos;

  private final MediaSession.Counters sent = new MediaSession.Counters();
  private long lastRtpTimestamp;
  private long lastSentNanos = Long.MIN_VALUE;
  private long nacksReceived;
  private long retransmitted;

  private OutboundStream(
      RemoteDescription.Track track,
      int ssrc,
      OpusPacketizer opus,
      G711Packetizer g711,
      H264Packetizer h264,
      long startNanos) {
    this.track = track;
    this.ssrc = ssrc;
    this.opus = opus;
    this.g711 = g711;
    this.h264 = h264;
    this.history =
        h264 != null && track.nack()
            ? new RtpPacketHistory(HISTORY_PACKETS, HISTORY_MAX_AGE_NANOS)
            : null;
    this.startNanos = startNanos;
  }

  /** Our audio stream for the negotiated {@code track}, Opus or G.711. */
  static OutboundStream audio(RemoteDescription.Track track, int ssrc, RandomGenerator random) {
    boolean isOpus = track.codec() == MediaCodec.OPUS;
    return new OutboundStream(
        track,
        ssrc,
        isOpus ? new OpusPacketizer(track.payloadType(), ssrc, random) : null,
        isOpus ? null : new G711Packetizer(track.payloadType(), ssrc, random),
        null,
        0);
  }

  /** Our H.264 stream for {@code track}; its RTP clock starts at {@code nowNanos}. */
  static OutboundStream video(
      RemoteDescription.Track track, int ssrc, RandomGenerator random, long nowNanos) {
    H264Packetizer h264 = new H264Packetizer(track.payloadType(), ssrc, MTU - 16, random);
    return new OutboundStream(track, ssrc, null, null, h264, nowNanos);
  }

  /** Whether the remote takes this track (its direction receives). */
  boolean remoteReceives() {
    return track.direction().receives();
  }

  /**
   * Writes the RTP packet for one encoded audio frame into {@code dst} (room for {@code length +
   * 12}); returns its length, or -1 if the frame is not a valid Opus packet.
   */
  int packetizeAudio(long nowNanos, byte[] frame, int length, byte[] dst) {
    int len;
    if (opus != null) {
      int samples = OpusToc.samplesAt48kHz(frame, 0, length);
      if (samples < 0) {
        return -1;
      }
      len = opus.packetize(frame, 0, length, samples, dst, 0);
    } else {
      len = g711.packetize(frame, 0, length, dst, 0);
    }
    sentAt(nowNanos, dst);
    return len;
  }

  /** Starts fragmenting an Annex-B access unit; {@link #nextPacket} then gives its packets. */
  void beginAccessUnit(long nowNanos, byte[] accessUnit, int length) {
    long ticks = (nowNanos - startNanos) * H264Packetizer.CLOCK_RATE / 1_000_000_000L;
    h264.beginAccessUnit(accessUnit, 0, length, ticks);
    lastSentNanos = nowNanos; // even if it makes no packet: the sender report's time goes on
  }

  /** Whether the access unit has packets left. */
  boolean hasNextPacket() {
    return h264.hasNextPacket();
  }

  /**
   * Writes the access unit's next RTP packet into {@code dst} (room for {@link #MTU}) and keeps a
   * copy for NACKs; returns its length.
   */
  int nextPacket(long nowNanos, byte[] dst) {
    int len = h264.nextPacket(dst, 0);
    sentAt(nowNanos, dst);
    if (history != null) {
      history.store(dst, 0, len, nowNanos);
    }
    return len;
  }

  private void sentAt(long nowNanos, byte[] packet) {
    lastRtpTimestamp =
        ((packet[4] & 0xffL) << 24)
            | ((packet[5] & 0xffL) << 16)
            | ((packet[6] & 0xffL) << 8)
            | (packet[7] & 0xffL);
    lastSentNanos = nowNanos;
  }

  /** Counts a packet of {@code payloadBytes} as sent (it was protected and queued). */
  void countSent(int payloadBytes) {
    sent.packets++;
    sent.bytes += payloadBytes;
  }

  /** Counts a generic NACK the remote sent about this stream. */
  void countNack() {
    nacksReceived++;
  }

  /** Whether sent packets are kept for NACKs (video, and the remote negotiated NACK). */
  boolean keepsHistory() {
    return history != null;
  }

  /**
   * Copies sent packet {@code sequenceNumber} into {@code dst} to send again: its length, or one of
   * {@link RtpPacketHistory}'s statuses (never sent or overwritten, over a second old, or resent
   * less than a round trip ago). Only when {@link #keepsHistory}.
   */
  int retransmission(int sequenceNumber, long nowNanos, double roundTripSeconds, byte[] dst) {
    long interval =
        MediaSession.roundTripBoundNanos(
            roundTripSeconds,
            1,
            RESEND_INTERVAL_DEFAULT_NANOS,
            RESEND_INTERVAL_MIN_NANOS,
            RESEND_INTERVAL_MAX_NANOS);
    return history.copy(sequenceNumber, nowNanos, interval, dst, 0);
  }

  /** Counts a packet sent again for a NACK. */
  void countRetransmitted() {
    retransmitted++;
  }

  /** Our sender report at {@code ntp} ({@code nowNanos}), carrying {@code blocks}. */
  SenderReport senderReport(long ntp, long nowNanos, List<ReportBlock> blocks) {
    // The RTP time that corresponds to 'now': the last packet's, moved on by the time since.
    long elapsedTicks = (nowNanos - lastSentNanos) * track.clockRate() / 1_000_000_000L;
    long rtpNow = (lastRtpTimestamp + elapsedTicks) & 0xffffffffL;
    return new SenderReport(
        ssrc, ntp, rtpNow, sent.packets & 0xffffffffL, sent.bytes & 0xffffffffL, blocks);
  }

  /** Our SSRC for this track. */
  int ssrc() {
    return ssrc;
  }

  /** What was sent. */
  MediaSession.Counters sent() {
    return sent;
  }

  /** Generic NACK packets received for this stream. */
  long nacksReceived() {
    return nacksReceived;
  }

  /** Packets sent again because a NACK asked for them. */
  long retransmitted() {
    return retransmitted;
  }
}
