package io.github.jpeer.internal;

import io.github.jpeer.MediaCodec;
import io.github.jpeer.rtp.FullIntraRequest;
import io.github.jpeer.rtp.G711Packetizer;
import io.github.jpeer.rtp.GenericNack;
import io.github.jpeer.rtp.Goodbye;
import io.github.jpeer.rtp.H264Depacketizer;
import io.github.jpeer.rtp.H264Packetizer;
import io.github.jpeer.rtp.NtpTime;
import io.github.jpeer.rtp.OpusPacketizer;
import io.github.jpeer.rtp.OpusToc;
import io.github.jpeer.rtp.PictureLossIndication;
import io.github.jpeer.rtp.ReceiverReport;
import io.github.jpeer.rtp.ReceiverStatistics;
import io.github.jpeer.rtp.ReportBlock;
import io.github.jpeer.rtp.RtcpPacket;
import io.github.jpeer.rtp.RtcpParser;
import io.github.jpeer.rtp.RtcpStatus;
import io.github.jpeer.rtp.RtcpWriter;
import io.github.jpeer.rtp.RtpPacket;
import io.github.jpeer.rtp.RtpPacketHistory;
import io.github.jpeer.rtp.RtpReorderBuffer;
import io.github.jpeer.rtp.SdesChunk;
import io.github.jpeer.rtp.SenderReport;
import io.github.jpeer.rtp.SourceDescription;
import io.github.jpeer.srtp.SrtpProfile;
import io.github.jpeer.srtp.SrtpSession;
import io.github.jpeer.srtp.SrtpStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The RTP side of a connection once DTLS has produced keys: packetizes and protects outgoing
 * frames, unprotects, checks and delivers incoming ones in sequence order, and keeps RTCP going
 * (sender and receiver reports with SDES every second or so, PLI when a video frame is lost, BYE at
 * the end). When the remote accepts generic NACK for video, sent video packets are kept for a
 * second and a NACK is answered by sending the named packets again (RFC 4585 section 6.2.1, in the
 * original stream as RFC 4588 section 3 allows without RTX). On the receiving side the same
 * negotiation makes it hold video packets that arrive after a gap, NACK the missing ones, and hand
 * the depacketizer a gap (and so ask for a keyframe) only once a retransmission had time to come.
 *
 * <p>Sans-IO like the cores, with their verbs: every call ({@code sendAudio}, {@code sendVideo},
 * {@code onRtp}, {@code onRtcp}, {@code handleTimeout}, {@code sendBye}) only queues what it
 * produced; the driver then drains {@link #pollTransmit} (protected packets for the selected pair)
 * and {@link #pollEvent} (received frames, keyframe requests, loss reports) and calls the
 * application itself, so no application code runs inside a receive path. Time comes in as {@code
 * nowNanos}. Not thread-safe: the connection's loop thread owns it. Both queues are rings of reused
 * slots, so the steady-state send and receive paths allocate nothing of their own (RTCP, once a
 * second, does).
 */
public final class MediaSession {
  /** Counters for one direction of one track. */
  public static final class Counters {
    long packets;
    long bytes;

    /** RTP packets. */
    public long packets() {
      return packets;
    }

    /** Payload bytes. */
    public long bytes() {
      return bytes;
    }
  }

  private final System.Logger log;
  private static final int MTU = 1200;
  // Room after an RTP packet for what SRTP adds in place: the longest tag (16 bytes) and an MKI.
  private static final int RTP_OVERHEAD = 64;
  private static final long RTCP_INTERVAL_NANOS = 1_000_000_000L;
  private static final long PLI_MIN_INTERVAL_NANOS = 500_000_000L;

  // Retransmission: 512 packets cover a second of video up to about 5 Mbit/s; a receiver gives
  // up on a packet well within a second. The same packet is resent at most once per round trip
  // (a NACK repeated sooner crossed our retransmission), bounded when the RTT is not yet known.
  private static final int VIDEO_HISTORY_PACKETS = 512;
  private static final long VIDEO_HISTORY_MAX_AGE_NANOS = 1_000_000_000L;
  private static final long RESEND_INTERVAL_DEFAULT_NANOS = 100_000_000L;
  private static final long RESEND_INTERVAL_MIN_NANOS = 5_000_000L;
  private static final long RESEND_INTERVAL_MAX_NANOS = 500_000_000L;

  // Receiving: a gap is NACKed at once and again every RTT (bounded) up to three times; packets
  // behind it wait three RTTs (bounded) for the retransmission before the gap is given up on.
  private static final int REORDER_PACKETS = 512;
  private static final int NACK_TRIES = 3;
  private static final long NACK_INTERVAL_DEFAULT_NANOS = 50_000_000L;
  private static final long NACK_INTERVAL_MIN_NANOS = 10_000_000L;
  private static final long NACK_INTERVAL_MAX_NANOS = 200_000_000L;
  private static final long REORDER_WAIT_DEFAULT_NANOS = 150_000_000L;
  private static final long REORDER_WAIT_MIN_NANOS = 30_000_000L;
  private static final long REORDER_WAIT_MAX_NANOS = 400_000_000L;

  // Audio is not resent: a packet that overtook an earlier one waits at most 60 ms (three 20 ms
  // frames) for it, so a reordered packet is delivered in order instead of dropped as late. A
  // placeholder for issue #17's adaptive jitter buffer, which will own this wait.
  static final long AUDIO_REORDER_WAIT_NANOS = 60_000_000L;
  private static final int AUDIO_REORDER_PACKETS = 32;

  private final RemoteDescription.Track audio;
  private final RemoteDescription.Track video;
  private final int audioSsrc;
  private final int videoSsrc;
  private final String cname;
  private final RandomGenerator random;
  private final long epochOffsetNanos;

  private SrtpSession tx;
  private SrtpSession rx;
  private final OpusPacketizer opus;
  private final G711Packetizer g711;
  private final H264Packetizer h264;
  private final H264Depacketizer h264Receiver = new H264Depacketizer();
  private final RtpPacketHistory videoHistory;
  private final RtpReorderBuffer videoReorder;
  private final RtpReorderBuffer audioReorder;
  private final int[] nackScratch = new int[64];
  private final RtpPacket rtp = new RtpPacket();
  private final List<RtcpPacket> rtcpIn = new ArrayList<>();
  // What the driver drains: a video access unit queues tens of packets at once, so the transmit
  // ring starts larger; events are drained after every call and rarely more than one waits.
  private final SlotRing<MediaTransmit> transmits = new SlotRing<>(16, MediaTransmit::new);
  private final SlotRing<MediaEvent> events = new SlotRing<>(4, MediaEvent::new);

  private ReceiverStatistics audioStats;
  private ReceiverStatistics videoStats;

  private final Counters audioSent = new Counters();
  private final Counters videoSent = new Counters();
  private final Counters audioReceived = new Counters();
  private final Counters videoReceived = new Counters();
  private long lastAudioRtpTimestamp;
  private long lastAudioSentNanos = Long.MIN_VALUE;
  private long lastVideoRtpTimestamp;
  private long lastVideoSentNanos = Long.MIN_VALUE;
  private final long videoStartNanos;
  private long nextRtcpNanos;
  // When the last PLI went out; valid only once pliSent is true (no sentinel arithmetic).
  private long lastPliNanos;
  private boolean pliSent;
  private double roundTripSeconds = Double.NaN;
  private long remoteReportedLost;
  private double remoteFractionLost;

  private long srtpFailures;
  private long protectFailures;
  // An SRTP or SRTCP packet from the remote authenticated: it has the keys of this handshake.
  private boolean remoteAuthenticated;
  private long replays;
  private long duplicates;
  private long malformedRtp;
  private long unknownStream;
  private long lateAudio;
  private long malformedRtcp;
  private long audioNacks;
  private long videoNacks;
  private long videoRetransmitted;
  private long nackedUnavailable;
  private long nacksSent;
  private long plisSent;

  /**
   * A session for the negotiated tracks ({@code null}: none of that kind).
   *
   * @param epochOffsetNanos add to a {@code nowNanos} to get nanoseconds since 1970 (for NTP)
   */
  public MediaSession(
      RemoteDescription.Track audio,
      RemoteDescription.Track video,
      long audioSsrc,
      long videoSsrc,
      String cname,
      RandomGenerator random,
      long nowNanos,
      long epochOffsetNanos,
      System.Logger log) {
    this.log = java.util.Objects.requireNonNull(log, "log");
    this.audio = audio;
    this.video = video;
    this.audioSsrc = (int) audioSsrc;
    this.videoSsrc = (int) videoSsrc;
    this.cname = cname;
    this.random = random;
    this.epochOffsetNanos = epochOffsetNanos;
    this.opus =
        audio != null && audio.codec() == MediaCodec.OPUS
            ? new OpusPacketizer(audio.payloadType(), this.audioSsrc, random)
            : null;
    this.g711 =
        audio != null && audio.codec() != MediaCodec.OPUS
            ? new G711Packetizer(audio.payloadType(), this.audioSsrc, random)
            : null;
    this.h264 =
        video != null
            ? new H264Packetizer(video.payloadType(), this.videoSsrc, MTU - 16, random)
            : null;
    this.videoHistory =
        video != null && video.nack()
            ? new RtpPacketHistory(VIDEO_HISTORY_PACKETS, VIDEO_HISTORY_MAX_AGE_NANOS)
            : null;
    this.videoReorder =
        video != null && video.nack() ? new RtpReorderBuffer(REORDER_PACKETS) : null;
    this.audioReorder = audio != null ? new RtpReorderBuffer(AUDIO_REORDER_PACKETS) : null;
    this.videoStartNanos = nowNanos;
    this.nextRtcpNanos = Long.MAX_VALUE;
  }

  /** Installs the SRTP keys DTLS exported; media flows from now on. */
  public void start(
      long nowNanos,
      SrtpProfile profile,
      byte[] localKey,
      byte[] localSalt,
      byte[] remoteKey,
      byte[] remoteSalt) {
    tx = SrtpSession.create(profile, localKey, localSalt);
    rx = SrtpSession.create(profile, remoteKey, remoteSalt);
    nextRtcpNanos = nowNanos + jitteredInterval();
  }

  /** Whether keys are installed. */
  public boolean started() {
    return tx != null;
  }

  /**
   * Sends one encoded audio frame.
   *
   * @return false if it was not sent (no audio negotiated, not started, or not a valid frame)
   */
  public boolean sendAudio(long nowNanos, byte[] frame, int length) {
    if (tx == null || audio == null || !audio.direction().receives()) {
      return false;
    }
    byte[] out = transmitBuffer(length + RTP_OVERHEAD);
    int len;
    if (opus != null) {
      int samples = OpusToc.samplesAt48kHz(frame, 0, length);
      if (samples < 0) {
        return false;
      }
      len = opus.packetize(frame, 0, length, samples, out, 0);
      lastAudioRtpTimestamp = rtpTimestampOf(out);
    } else {
      len = g711.packetize(frame, 0, length, out, 0);
      lastAudioRtpTimestamp = rtpTimestampOf(out);
    }
    lastAudioSentNanos = nowNanos;
    return protectAndQueue(len, length, audioSent);
  }

  /** Sends one Annex-B access unit, fragmented to the MTU. */
  public boolean sendVideo(long nowNanos, byte[] accessUnit, int length) {
    if (tx == null || video == null || !video.direction().receives()) {
      return false;
    }
    long ticks = (nowNanos - videoStartNanos) * H264Packetizer.CLOCK_RATE / 1_000_000_000L;
    h264.beginAccessUnit(accessUnit, 0, length, ticks);
    while (h264.hasNextPacket()) {
      byte[] out = transmitBuffer(MTU + RTP_OVERHEAD);
      int len = h264.nextPacket(out, 0);
      lastVideoRtpTimestamp = rtpTimestampOf(out);
      if (videoHistory != null) {
        videoHistory.store(out, 0, len, nowNanos);
      }
      protectAndQueue(len, len - 12, videoSent);
    }
    lastVideoSentNanos = nowNanos;
    return true;
  }

  /**
   * The array of the transmit slot to write the next packet into, with room for {@code capacity}
   * bytes (the packet, the SRTP tag and MKI added in place).
   */
  private byte[] transmitBuffer(int capacity) {
    return transmits.claim().buffer(capacity);
  }

  /** Protects the RTP packet in the claimed transmit slot in place and queues it. */
  private boolean protectAndQueue(int rtpLength, int payloadBytes, Counters counters) {
    MediaTransmit t = transmits.claim();
    int protectedLength = tx.protectRtp(t.data(), 0, rtpLength);
    if (protectedLength < 0) {
      protectFailures++; // key usage limit reached: nothing more can be sent with these keys
      return false;
    }
    counters.packets++;
    counters.bytes += payloadBytes;
    t.setLength(protectedLength);
    transmits.commit();
    return true;
  }

  /**
   * The next protected packet to send, or null if none is queued. A reused view: valid until the
   * next call, so send it before polling again.
   */
  public MediaTransmit pollTransmit() {
    return transmits.poll();
  }

  /**
   * The next received frame, keyframe request or loss report, or null if none is queued. A reused
   * view: valid until the next call.
   */
  public MediaEvent pollEvent() {
    return events.poll();
  }

  private static long rtpTimestampOf(byte[] packet) {
    return ((packet[4] & 0xffL) << 24)
        | ((packet[5] & 0xffL) << 16)
        | ((packet[6] & 0xffL) << 8)
        | (packet[7] & 0xffL);
  }

  /** True if the datagram is RTCP rather than RTP (RFC 5761 4: payload types 64..95 + 128). */
  public static boolean isRtcp(byte[] data, int offset, int length) {
    if (length < 2) {
      return false;
    }
    int pt = data[offset + 1] & 0xff;
    return pt >= 192 && pt <= 223;
  }

  /** An SRTP packet arrived on the selected pair; it is decrypted in place. */
  public void onRtp(long nowNanos, byte[] data, int offset, int length) {
    if (rx == null) {
      return;
    }
    int len = rx.unprotectRtp(data, offset, length);
    if (len < 0) {
      countFailure(len);
      return;
    }
    remoteAuthenticated = true;
    if (!rtp.wrap(data, offset, len)) {
      malformedRtp++;
      logMalformed("RTP header", data, offset, len);
      return;
    }
    int pt = rtp.payloadType();
    if (audio != null && pt == audio.payloadType() && acceptsSsrc(audio, audioStats, rtp.ssrc())) {
      if (audioStats == null) {
        audioStats = new ReceiverStatistics(rtp.ssrc(), audio.clockRate(), 1);
      }
      audioStats.onPacket(rtp.sequenceNumber(), rtp.timestamp(), nowNanos);
      audioReceived.packets++;
      audioReceived.bytes += rtp.payloadLength();
      if (audioReorder.passThrough(data, offset, len)) {
        queueFrame(MediaEvent.Kind.AUDIO_FRAME, data, rtp.payloadOffset(), rtp.payloadLength());
        return;
      }
      int held = audioReorder.push(data, offset, len, nowNanos);
      if (held == RtpReorderBuffer.LATE) {
        lateAudio++; // its turn passed (the wait for it ran out): too late to use
      } else if (held == RtpReorderBuffer.DUPLICATE) {
        duplicates++;
      }
      releaseAudio(nowNanos);
    } else if (video != null
        && pt == video.payloadType()
        && acceptsSsrc(video, videoStats, rtp.ssrc())) {
      if (videoStats == null) {
        videoStats = new ReceiverStatistics(rtp.ssrc(), video.clockRate(), 1);
      }
      videoStats.onPacket(rtp.sequenceNumber(), rtp.timestamp(), nowNanos);
      videoReceived.packets++;
      videoReceived.bytes += rtp.payloadLength();
      if (videoReorder == null) {
        depacketize(data, offset, len);
      } else {
        // In order through the reorder buffer; a NACK for a new gap is due at once (pollTimeout).
        videoReorder.push(data, offset, len, nowNanos);
        releaseVideo(nowNanos);
      }
    } else {
      unknownStream++;
    }
  }

  /** Queues as frames every audio packet the reorder stage lets go of now. */
  private void releaseAudio(long nowNanos) {
    while (audioReorder.poll(nowNanos, AUDIO_REORDER_WAIT_NANOS)) {
      byte[] packet = audioReorder.packet();
      if (rtp.wrap(packet, 0, audioReorder.length())) { // it parsed once already
        queueFrame(MediaEvent.Kind.AUDIO_FRAME, packet, rtp.payloadOffset(), rtp.payloadLength());
      }
    }
  }

  /** Hands the video packet in {@link #rtp} (over {@code data}) to the depacketizer. */
  private void depacketize(byte[] data, int offset, int length) {
    H264Depacketizer.Result r = h264Receiver.push(rtp);
    if (r == H264Depacketizer.Result.MALFORMED) {
      malformedRtp++;
      logMalformed("H264 payload", data, offset, length);
    }
    while (h264Receiver.pollAccessUnit()) {
      events
          .claim()
          .setFrame(
              MediaEvent.Kind.VIDEO_FRAME,
              h264Receiver.accessUnit(),
              0,
              h264Receiver.accessUnitLength(),
              h264Receiver.accessUnitTimestamp());
      events.commit();
    }
  }

  /** Depacketizes every video packet the reorder buffer lets go of now. */
  private void releaseVideo(long nowNanos) {
    long wait = reorderWaitNanos();
    while (videoReorder.poll(nowNanos, wait)) {
      byte[] packet = videoReorder.packet();
      if (rtp.wrap(packet, 0, videoReorder.length())) { // it parsed once already
        depacketize(packet, 0, videoReorder.length());
      }
    }
  }

  private long reorderWaitNanos() {
    return Double.isNaN(roundTripSeconds)
        ? REORDER_WAIT_DEFAULT_NANOS
        : Math.min(
            REORDER_WAIT_MAX_NANOS,
            Math.max(REORDER_WAIT_MIN_NANOS, (long) (3 * roundTripSeconds * 1e9)));
  }

  private long nackIntervalNanos() {
    return Double.isNaN(roundTripSeconds)
        ? NACK_INTERVAL_DEFAULT_NANOS
        : Math.min(
            NACK_INTERVAL_MAX_NANOS,
            Math.max(NACK_INTERVAL_MIN_NANOS, (long) (roundTripSeconds * 1e9)));
  }

  /** NACKs the video packets missing now (RFC 4585 generic NACK), if any are due. */
  private void sendNacks(long nowNanos) {
    int n = videoReorder.missing(nowNanos, nackIntervalNanos(), NACK_TRIES, nackScratch);
    if (n == 0 || videoStats == null) {
      return;
    }
    List<Integer> lost = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      lost.add(nackScratch[i]);
    }
    queueRtcp(
        RtcpWriter.write(new GenericNack(videoSsrc, videoStats.ssrc(), lost), rtcpBuffer(), 0));
    nacksSent++;
  }

  /**
   * The remote's SSRC for a track: the announced ones, else the first one seen with the track's
   * payload type (the looser layout some stacks use: no {@code a=ssrc}).
   */
  private static boolean acceptsSsrc(
      RemoteDescription.Track track, ReceiverStatistics stats, int ssrc) {
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

  /** Queues the payload of the packet in {@link #rtp} ({@code data}) as a frame of {@code kind}. */
  private void queueFrame(MediaEvent.Kind kind, byte[] data, int offset, int length) {
    events.claim().setFrame(kind, data, offset, length, rtp.timestamp());
    events.commit();
  }

  /**
   * An SRTCP packet arrived; it is decrypted in place and acted on. Retransmissions a NACK asks for
   * are queued for {@link #pollTransmit}, keyframe requests and loss reports for {@link
   * #pollEvent}.
   */
  public void onRtcp(long nowNanos, byte[] data, int offset, int length) {
    if (rx == null) {
      return;
    }
    int len = rx.unprotectRtcp(data, offset, length);
    if (len < 0) {
      countFailure(len);
      return;
    }
    remoteAuthenticated = true;
    rtcpIn.clear();
    if (RtcpParser.parse(data, offset, len, rtcpIn) != RtcpStatus.OK) {
      malformedRtcp++;
      return;
    }
    for (RtcpPacket p : rtcpIn) {
      if (p instanceof SenderReport sr) {
        ReceiverStatistics s = statsFor(sr.senderSsrc());
        if (s != null) {
          s.onSenderReport(sr.ntpTimestamp(), nowNanos);
        }
        reportBlocks(nowNanos, sr.reportBlocks());
      } else if (p instanceof ReceiverReport rr) {
        reportBlocks(nowNanos, rr.reportBlocks());
      } else if (p instanceof PictureLossIndication || p instanceof FullIntraRequest) {
        events.claim().setKeyframeRequest();
        events.commit();
      } else if (p instanceof GenericNack nack) {
        onNack(nowNanos, nack);
      }
    }
  }

  private void onNack(long nowNanos, GenericNack nack) {
    if (nack.mediaSsrc() == audioSsrc && audio != null) {
      audioNacks++; // audio is not kept for resending: we never offer NACK for it
      return;
    }
    if (nack.mediaSsrc() != videoSsrc || video == null) {
      return;
    }
    videoNacks++;
    if (videoHistory == null) {
      nackedUnavailable += nack.lostSequenceNumbers().size();
      return;
    }
    long interval =
        Double.isNaN(roundTripSeconds)
            ? RESEND_INTERVAL_DEFAULT_NANOS
            : Math.min(
                RESEND_INTERVAL_MAX_NANOS,
                Math.max(RESEND_INTERVAL_MIN_NANOS, (long) (roundTripSeconds * 1e9)));
    List<Integer> lost = nack.lostSequenceNumbers();
    for (int i = 0; i < lost.size(); i++) {
      MediaTransmit t = transmits.claim();
      int len = videoHistory.copy(lost.get(i), nowNanos, interval, t.buffer(MTU + RTP_OVERHEAD), 0);
      if (len > 0) {
        int protectedLength = tx.protectRtp(t.data(), 0, len);
        if (protectedLength > 0) {
          videoRetransmitted++;
          t.setLength(protectedLength);
          transmits.commit();
        } else {
          protectFailures++;
        }
      } else if (len != RtpPacketHistory.TOO_SOON) {
        nackedUnavailable++;
      }
    }
  }

  /**
   * Says at DEBUG what a dropped packet looked like (its first 16 bytes, decrypted), for the first
   * ten and then every thousandth, so that a stack sending something unexpected can be found.
   */
  private void logMalformed(String what, byte[] data, int offset, int length) {
    if (malformedRtp > 10 && malformedRtp % 1000 != 0) {
      return;
    }
    if (log.isLoggable(System.Logger.Level.DEBUG)) {
      int shown = Math.min(16, length);
      log.log(
          System.Logger.Level.DEBUG,
          "dropped malformed {0} ({1} so far): {2} bytes, starting {3}",
          what,
          malformedRtp,
          length,
          java.util.HexFormat.of().formatHex(data, offset, offset + shown));
    }
  }

  private ReceiverStatistics statsFor(int ssrc) {
    if (audioStats != null && audioStats.ssrc() == ssrc) {
      return audioStats;
    }
    if (videoStats != null && videoStats.ssrc() == ssrc) {
      return videoStats;
    }
    return null;
  }

  private void reportBlocks(long nowNanos, List<ReportBlock> blocks) {
    for (ReportBlock b : blocks) {
      if (b.ssrc() != audioSsrc && b.ssrc() != videoSsrc) {
        continue;
      }
      if (b.lastSenderReport() != 0) {
        // RFC 3550 6.4.1: RTT = A - LSR - DLSR, in 1/65536 s.
        long a = NtpTime.middle32(NtpTime.fromEpochNanos(nowNanos + epochOffsetNanos));
        long rtt = (a - b.lastSenderReport() - b.delaySinceLastSenderReport()) & 0xffffffffL;
        if (rtt < 0x8000_0000L) {
          roundTripSeconds = rtt / 65536.0;
        }
      }
      remoteFractionLost = b.fractionLost() / 256.0;
      remoteReportedLost = b.cumulativeLost();
      events.claim().setPacketLoss(remoteFractionLost, remoteReportedLost);
      events.commit();
    }
  }

  private void countFailure(int status) {
    SrtpStatus s = SrtpStatus.of(status);
    if (s == SrtpStatus.REPLAY_DUPLICATE) {
      duplicates++; // the network delivered it twice: not an attack, not a failure
    } else if (s == SrtpStatus.REPLAY_OLD) {
      replays++;
    } else {
      srtpFailures++;
    }
  }

  /**
   * Does what is due: releases held packets (their frames to {@link #pollEvent}), queues NACKs,
   * RTCP reports and a PLI for a lost video frame (to {@link #pollTransmit}).
   */
  public void handleTimeout(long nowNanos) {
    if (tx == null) {
      return;
    }
    if (audioReorder != null) {
      releaseAudio(nowNanos);
    }
    if (videoReorder != null) {
      releaseVideo(nowNanos);
      sendNacks(nowNanos);
    }
    if (pliWanted() && (!pliSent || nowNanos - lastPliNanos >= PLI_MIN_INTERVAL_NANOS)) {
      lastPliNanos = nowNanos;
      pliSent = true;
      int len =
          RtcpWriter.writePictureLossIndication(rtcpBuffer(), 0, videoSsrc, videoStats.ssrc());
      queueRtcp(len);
      plisSent++;
    }
    if (nowNanos >= nextRtcpNanos) {
      nextRtcpNanos = nowNanos + jitteredInterval();
      List<RtcpPacket> compound = new ArrayList<>(4);
      List<ReportBlock> blocks = new ArrayList<>(2);
      if (audioStats != null && audioStats.isValid()) {
        blocks.add(audioStats.reportBlock(nowNanos));
      }
      if (videoStats != null && videoStats.isValid()) {
        blocks.add(videoStats.reportBlock(nowNanos));
      }
      long ntp = NtpTime.fromEpochNanos(nowNanos + epochOffsetNanos);
      List<SdesChunk> chunks = new ArrayList<>(2);
      if (audioSent.packets > 0) {
        compound.add(
            senderReport(
                audioSsrc,
                ntp,
                nowNanos,
                lastAudioRtpTimestamp,
                lastAudioSentNanos,
                audio.clockRate(),
                audioSent,
                blocks));
        blocks = List.of();
        chunks.add(SdesChunk.ofCname(audioSsrc, cname));
      }
      if (videoSent.packets > 0) {
        compound.add(
            senderReport(
                videoSsrc,
                ntp,
                nowNanos,
                lastVideoRtpTimestamp,
                lastVideoSentNanos,
                video.clockRate(),
                videoSent,
                blocks));
        blocks = List.of();
        chunks.add(SdesChunk.ofCname(videoSsrc, cname));
      }
      if (compound.isEmpty()) {
        int ssrc = audio != null ? audioSsrc : videoSsrc;
        compound.add(new ReceiverReport(ssrc, blocks));
        chunks.add(SdesChunk.ofCname(ssrc, cname));
      }
      compound.add(new SourceDescription(chunks));
      queueRtcp(RtcpWriter.writeCompound(compound, rtcpBuffer(), 0));
    }
  }

  private static SenderReport senderReport(
      int ssrc,
      long ntp,
      long nowNanos,
      long lastRtpTimestamp,
      long lastSentNanos,
      int clockRate,
      Counters sent,
      List<ReportBlock> blocks) {
    // The RTP time that corresponds to 'now': the last packet's, moved on by the time since.
    long elapsedTicks = (nowNanos - lastSentNanos) * clockRate / 1_000_000_000L;
    long rtpNow = (lastRtpTimestamp + elapsedTicks) & 0xffffffffL;
    return new SenderReport(
        ssrc, ntp, rtpNow, sent.packets & 0xffffffffL, sent.bytes & 0xffffffffL, blocks);
  }

  /** The array of the transmit slot to write the next RTCP compound into. */
  private byte[] rtcpBuffer() {
    return transmitBuffer(MediaTransmit.INITIAL_CAPACITY);
  }

  /** Protects the RTCP compound in the claimed transmit slot in place and queues it. */
  private void queueRtcp(int length) {
    MediaTransmit t = transmits.claim();
    int protectedLength = tx.protectRtcp(t.data(), 0, length);
    if (protectedLength > 0) {
      t.setLength(protectedLength);
      transmits.commit();
    } else {
      protectFailures++;
    }
  }

  /** Queues a BYE for our streams (on close). */
  public void sendBye() {
    if (tx == null) {
      return;
    }
    List<Integer> ssrcs = new ArrayList<>(2);
    if (audio != null) {
      ssrcs.add(audioSsrc);
    }
    if (video != null) {
      ssrcs.add(videoSsrc);
    }
    if (ssrcs.isEmpty()) {
      return;
    }
    int ssrc = ssrcs.get(0);
    int len =
        RtcpWriter.writeCompound(
            List.of(
                new ReceiverReport(ssrc, List.of()),
                new SourceDescription(List.of(SdesChunk.ofCname(ssrc, cname))),
                Goodbye.of(ssrcs, "closed")),
            rtcpBuffer(),
            0);
    queueRtcp(len);
  }

  /**
   * Whether to ask for a keyframe: a video frame was lost and the remote negotiated PLI ({@code
   * a=rtcp-fb:... nack pli}); without it we wait for the sender's next keyframe.
   */
  private boolean pliWanted() {
    return video != null && video.pli() && videoStats != null && h264Receiver.keyframeNeeded();
  }

  /** When {@link #handleTimeout} should next run. */
  public long pollTimeoutNanos() {
    if (tx == null) {
      return Long.MAX_VALUE;
    }
    long next = nextRtcpNanos;
    if (audioReorder != null && audioStats != null) {
      next = Math.min(next, audioReorder.releaseDeadlineNanos(AUDIO_REORDER_WAIT_NANOS));
    }
    if (videoReorder != null && videoStats != null) {
      next = Math.min(next, videoReorder.releaseDeadlineNanos(reorderWaitNanos()));
      next = Math.min(next, videoReorder.nextNackNanos(nackIntervalNanos(), NACK_TRIES));
    }
    if (pliWanted()) {
      // A PLI is due at once the first time, then at most every PLI_MIN_INTERVAL_NANOS.
      next = pliSent ? Math.min(next, lastPliNanos + PLI_MIN_INTERVAL_NANOS) : Long.MIN_VALUE;
    }
    return next;
  }

  private long jitteredInterval() {
    // RFC 3550 6.3.1: randomise to [0.5, 1.5] x the interval so reports do not synchronise.
    return (long) (RTCP_INTERVAL_NANOS * (0.5 + random.nextDouble()));
  }

  /** Audio we sent. */
  public Counters audioSent() {
    return audioSent;
  }

  /** Video we sent. */
  public Counters videoSent() {
    return videoSent;
  }

  /** Audio we received. */
  public Counters audioReceived() {
    return audioReceived;
  }

  /** Video we received. */
  public Counters videoReceived() {
    return videoReceived;
  }

  /** Receive-side statistics of the remote audio stream, or null before its first packet. */
  public ReceiverStatistics audioStatistics() {
    return audioStats;
  }

  /** Receive-side statistics of the remote video stream, or null. */
  public ReceiverStatistics videoStatistics() {
    return videoStats;
  }

  /** The round-trip time from the last report with an LSR, or NaN. */
  public double roundTripSeconds() {
    return roundTripSeconds;
  }

  /** The negotiated SRTP profile, or null before keys. */
  public SrtpProfile profile() {
    return tx == null ? null : tx.profile();
  }

  /** True once an SRTP or SRTCP packet from the remote authenticated with the session's keys. */
  public boolean remoteAuthenticated() {
    return remoteAuthenticated;
  }

  /**
   * Our own packets not sent because SRTP refused to protect them (the key usage limit of RFC 3711
   * section 9.2 reached: only new keys, a new DTLS handshake, help).
   */
  public long protectFailures() {
    return protectFailures;
  }

  /** Datagrams received and dropped for failed SRTP authentication or malformed SRTP. */
  public long srtpFailures() {
    return srtpFailures;
  }

  /**
   * Datagrams dropped as replays: older than the SRTP replay window (RFC 3711 section 3.3.2), so
   * they cannot be told apart from a replay attack.
   */
  public long replays() {
    return replays;
  }

  /**
   * RTP packets that arrived again (a network duplicate: SRTP's replay window saw the same index,
   * or the reorder stage already held it); dropped, and not a failure.
   */
  public long duplicates() {
    return duplicates;
  }

  /** RTP packets that did not parse after decryption. */
  public long malformedRtp() {
    return malformedRtp;
  }

  /** RTP packets of no negotiated track (unknown payload type or SSRC). */
  public long unknownStream() {
    return unknownStream;
  }

  /** Audio packets that arrived after their turn (the reorder stage had given up on them). */
  public long lateAudio() {
    return lateAudio;
  }

  /** RTCP compounds that did not parse. */
  public long malformedRtcp() {
    return malformedRtcp;
  }

  /** Generic NACK packets received for our audio stream (audio is not resent). */
  public long audioNacksReceived() {
    return audioNacks;
  }

  /** Generic NACK packets received for our video stream. */
  public long videoNacksReceived() {
    return videoNacks;
  }

  /** Video packets sent again because a NACK asked for them. */
  public long videoPacketsRetransmitted() {
    return videoRetransmitted;
  }

  /**
   * Packets a NACK asked for that could not be resent: never sent, already overwritten in the
   * history or older than a second, or the remote did not negotiate NACK.
   */
  public long nackedPacketsUnavailable() {
    return nackedUnavailable;
  }

  /** Generic NACK packets we sent for video that went missing. */
  public long videoNacksSent() {
    return nacksSent;
  }

  /** Video packets that arrived after the reorder buffer had given up on them. */
  public long lateVideo() {
    return videoReorder == null ? 0 : videoReorder.late();
  }

  /** PLIs we sent after losing video. */
  public long plisSent() {
    return plisSent;
  }

  /** The remote's last reported fraction of our packets lost (0..1). */
  public double remoteFractionLost() {
    return remoteFractionLost;
  }

  /** The remote's last reported cumulative loss of our packets. */
  public long remoteReportedLost() {
    return remoteReportedLost;
  }
}
