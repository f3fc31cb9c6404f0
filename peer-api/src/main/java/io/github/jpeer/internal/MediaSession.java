package io.github.jpeer.internal;

import io.github.jpeer.rtp.FullIntraRequest;
import io.github.jpeer.rtp.GenericNack;
import io.github.jpeer.rtp.Goodbye;
import io.github.jpeer.rtp.NtpTime;
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
 * <p>What belongs to one track lives in its stream: an {@link OutboundStream} per track we send, an
 * {@link InboundStream} per track we receive. The session keeps what they share: the SRTP sessions,
 * the demultiplexing of incoming packets to the streams (by payload type and SSRC), the RTCP
 * compound and its schedule, the round-trip time, and the counters of what was dropped.
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

  // What the accessors report for a track that was not negotiated: nothing, ever.
  private static final Counters NONE = new Counters();
  private static final long RTCP_INTERVAL_NANOS = 1_000_000_000L;

  private final int audioSsrc;
  private final int videoSsrc;
  private final String cname;
  private final RandomGenerator random;
  private final long epochOffsetNanos;

  // One per negotiated track and direction, null when that kind was not negotiated.
  private final OutboundStream audioOut;
  private final OutboundStream videoOut;
  private final InboundStream audioIn;
  private final InboundStream videoIn;

  private SrtpSession tx;
  private SrtpSession rx;
  private final int[] nackScratch = new int[64];
  private final RtpPacket rtp = new RtpPacket();
  // What the driver drains: a video access unit queues tens of packets at once, so the transmit
  // ring starts larger; events are drained after every call and rarely more than one waits.
  private final SlotRing<MediaTransmit> transmits = new SlotRing<>(16, MediaTransmit::new);
  private final SlotRing<MediaEvent> events = new SlotRing<>(4, this::newEvent);
  private int eventSlots;
  private final MalformedPackets malformedRtp;

  private long nextRtcpNanos;
  private double roundTripSeconds = Double.NaN;
  private long remoteReportedLost;
  private double remoteFractionLost;

  private long srtpFailures;
  private long protectFailures;
  // An SRTP or SRTCP packet from the remote authenticated: it has the keys of this handshake.
  private boolean remoteAuthenticated;
  private long replays;
  private long duplicates;
  private long unknownStream;
  private long malformedRtcp;
  private long nackedUnavailable;

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
    this.malformedRtp = new MalformedPackets(java.util.Objects.requireNonNull(log, "log"));
    this.audioSsrc = (int) audioSsrc;
    this.videoSsrc = (int) videoSsrc;
    this.cname = cname;
    this.random = random;
    this.epochOffsetNanos = epochOffsetNanos;
    this.audioOut = audio == null ? null : OutboundStream.audio(audio, this.audioSsrc, random);
    this.videoOut =
        video == null ? null : OutboundStream.video(video, this.videoSsrc, random, nowNanos);
    this.audioIn = audio == null ? null : InboundStream.audio(audio, events, malformedRtp);
    this.videoIn = video == null ? null : InboundStream.video(video, events, malformedRtp);
    this.nextRtcpNanos = Long.MAX_VALUE;
  }

  /** An event slot for the ring, numbered in the order made ({@link MediaEvent#slot}). */
  private MediaEvent newEvent() {
    return new MediaEvent(eventSlots++);
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
    if (tx == null || audioOut == null || !audioOut.remoteReceives()) {
      return false;
    }
    byte[] out = transmitBuffer(length + OutboundStream.SRTP_ROOM);
    int len = audioOut.packetizeAudio(nowNanos, frame, length, out);
    return len >= 0 && protectAndQueue(len, length, audioOut);
  }

  /** Sends one Annex-B access unit, fragmented to the MTU. */
  public boolean sendVideo(long nowNanos, byte[] accessUnit, int length) {
    if (tx == null || videoOut == null || !videoOut.remoteReceives()) {
      return false;
    }
    videoOut.beginAccessUnit(nowNanos, accessUnit, length);
    while (videoOut.hasNextPacket()) {
      byte[] out = transmitBuffer(OutboundStream.MTU + OutboundStream.SRTP_ROOM);
      int len = videoOut.nextPacket(nowNanos, out);
      protectAndQueue(len, len - 12, videoOut);
    }
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
  private boolean protectAndQueue(int rtpLength, int payloadBytes, OutboundStream stream) {
    MediaTransmit t = transmits.claim();
    int protectedLength = tx.protectRtp(t.data(), 0, rtpLength);
    if (protectedLength < 0) {
      protectFailures++; // key usage limit reached: nothing more can be sent with these keys
      return false;
    }
    stream.countSent(payloadBytes);
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

  /** True if the datagram is RTCP rather than RTP (RFC 5761 4: payload types 64..95 + 128). */
  public static boolean isRtcp(byte[] data, int offset, int length) {
    if (length < 2) {
      return false;
    }
    int pt = data[offset + 1] & 0xff;
    return pt >= 192 && pt <= 223;
  }

  /**
   * An SRTP packet arrived on the selected pair; it is decrypted in place and handed to its stream,
   * whose frames are queued for {@link #pollEvent}.
   */
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
      malformedRtp.drop("RTP header", data, offset, len);
      return;
    }
    int pt = rtp.payloadType();
    int ssrc = rtp.ssrc();
    if (audioIn != null && audioIn.accepts(pt, ssrc)) {
      audioIn.onPacket(nowNanos, rtp, data, offset, len, roundTripSeconds);
    } else if (videoIn != null && videoIn.accepts(pt, ssrc)) {
      videoIn.onPacket(nowNanos, rtp, data, offset, len, roundTripSeconds);
    } else {
      unknownStream++;
    }
  }

  /**
   * {@code factor} round trips in nanoseconds, kept within {@code [minNanos, maxNanos]}; {@code
   * defaultNanos} while no round trip is known. For the streams' RTT-driven waits.
   */
  static long roundTripBoundNanos(
      double roundTripSeconds, int factor, long defaultNanos, long minNanos, long maxNanos) {
    return Double.isNaN(roundTripSeconds)
        ? defaultNanos
        : Math.min(maxNanos, Math.max(minNanos, (long) (factor * roundTripSeconds * 1e9)));
  }

  /** NACKs the video packets missing now (RFC 4585 generic NACK), if any are due. */
  private void sendNacks(long nowNanos) {
    int n = videoIn.missing(nowNanos, roundTripSeconds, nackScratch);
    if (n == 0) {
      return;
    }
    List<Integer> lost = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      lost.add(nackScratch[i]);
    }
    int remoteSsrc = videoIn.statistics().ssrc();
    queueRtcp(RtcpWriter.write(new GenericNack(videoSsrc, remoteSsrc, lost), rtcpBuffer(), 0));
    videoIn.countNackSent();
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
    // A new list, not a field cleared after use: the parsed packets are young, and storing them
    // into a long-lived list's array marks a card that the next young collection scans, one per
    // connection per report; a field kept until the next report also had them copied.
    List<RtcpPacket> packets = new ArrayList<>(4);
    if (RtcpParser.parse(data, offset, len, packets) != RtcpStatus.OK) {
      malformedRtcp++;
      return;
    }
    handleRtcp(nowNanos, packets);
  }

  private void handleRtcp(long nowNanos, List<RtcpPacket> packets) {
    for (RtcpPacket p : packets) {
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
    if (nack.mediaSsrc() == audioSsrc && audioOut != null) {
      audioOut.countNack(); // audio is not kept for resending: we never offer NACK for it
      return;
    }
    if (nack.mediaSsrc() != videoSsrc || videoOut == null) {
      return;
    }
    videoOut.countNack();
    List<Integer> lost = nack.lostSequenceNumbers();
    if (!videoOut.keepsHistory()) {
      nackedUnavailable += lost.size();
      return;
    }
    for (int i = 0; i < lost.size(); i++) {
      MediaTransmit t = transmits.claim();
      byte[] out = t.buffer(OutboundStream.MTU + OutboundStream.SRTP_ROOM);
      int len = videoOut.retransmission(lost.get(i), nowNanos, roundTripSeconds, out);
      if (len > 0) {
        int protectedLength = tx.protectRtp(out, 0, len);
        if (protectedLength > 0) {
          videoOut.countRetransmitted();
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

  private ReceiverStatistics statsFor(int ssrc) {
    if (audioIn != null && audioIn.boundTo(ssrc)) {
      return audioIn.statistics();
    }
    if (videoIn != null && videoIn.boundTo(ssrc)) {
      return videoIn.statistics();
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
    if (audioIn != null) {
      audioIn.release(nowNanos, roundTripSeconds);
    }
    if (videoIn != null) {
      videoIn.release(nowNanos, roundTripSeconds);
      sendNacks(nowNanos);
      if (videoIn.pliDue(nowNanos)) {
        int remoteSsrc = videoIn.statistics().ssrc();
        queueRtcp(RtcpWriter.writePictureLossIndication(rtcpBuffer(), 0, videoSsrc, remoteSsrc));
        videoIn.pliSent(nowNanos);
      }
    }
    if (nowNanos >= nextRtcpNanos) {
      nextRtcpNanos = nowNanos + jitteredInterval();
      queueRtcp(RtcpWriter.writeCompound(reports(nowNanos), rtcpBuffer(), 0));
    }
  }

  /**
   * The regular compound (RFC 3550 section 6.1): a sender report per stream we sent on, the first
   * carrying the report blocks for what we receive (a receiver report instead if we sent nothing),
   * then SDES with our CNAME.
   */
  private List<RtcpPacket> reports(long nowNanos) {
    List<RtcpPacket> compound = new ArrayList<>(4);
    List<ReportBlock> blocks = new ArrayList<>(2);
    for (InboundStream in : new InboundStream[] {audioIn, videoIn}) {
      if (in != null && in.statistics() != null && in.statistics().isValid()) {
        blocks.add(in.statistics().reportBlock(nowNanos));
      }
    }
    long ntp = NtpTime.fromEpochNanos(nowNanos + epochOffsetNanos);
    List<SdesChunk> chunks = new ArrayList<>(2);
    for (OutboundStream out : new OutboundStream[] {audioOut, videoOut}) {
      if (out != null && out.sent().packets > 0) {
        compound.add(out.senderReport(ntp, nowNanos, blocks));
        blocks = List.of();
        chunks.add(SdesChunk.ofCname(out.ssrc(), cname));
      }
    }
    if (compound.isEmpty()) {
      int ssrc = audioOut != null ? audioSsrc : videoSsrc;
      compound.add(new ReceiverReport(ssrc, blocks));
      chunks.add(SdesChunk.ofCname(ssrc, cname));
    }
    compound.add(new SourceDescription(chunks));
    return compound;
  }

  /** The array of the transmit slot to write the next RTCP compound into. */
  private byte[] rtcpBuffer() {
    return transmitBuffer(MediaTransmit.RTCP_CAPACITY);
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
    if (audioOut != null) {
      ssrcs.add(audioSsrc);
    }
    if (videoOut != null) {
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

  /** When {@link #handleTimeout} should next run. */
  public long pollTimeoutNanos() {
    if (tx == null) {
      return Long.MAX_VALUE;
    }
    long next = nextRtcpNanos;
    if (audioIn != null) {
      next = Math.min(next, audioIn.pollTimeoutNanos(roundTripSeconds));
    }
    if (videoIn != null) {
      next = Math.min(next, videoIn.pollTimeoutNanos(roundTripSeconds));
    }
    return next;
  }

  private long jitteredInterval() {
    // RFC 3550 6.3.1: randomise to [0.5, 1.5] x the interval so reports do not synchronise.
    return (long) (RTCP_INTERVAL_NANOS * (0.5 + random.nextDouble()));
  }

  /** Audio we sent. */
  public Counters audioSent() {
    return audioOut == null ? NONE : audioOut.sent();
  }

  /** Video we sent. */
  public Counters videoSent() {
    return videoOut == null ? NONE : videoOut.sent();
  }

  /** Audio we received. */
  public Counters audioReceived() {
    return audioIn == null ? NONE : audioIn.received();
  }

  /** Video we received. */
  public Counters videoReceived() {
    return videoIn == null ? NONE : videoIn.received();
  }

  /** Receive-side statistics of the remote audio stream, or null before its first packet. */
  public ReceiverStatistics audioStatistics() {
    return audioIn == null ? null : audioIn.statistics();
  }

  /** Receive-side statistics of the remote video stream, or null. */
  public ReceiverStatistics videoStatistics() {
    return videoIn == null ? null : videoIn.statistics();
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
    return duplicates
        + (audioIn == null ? 0 : audioIn.duplicates())
        + (videoIn == null ? 0 : videoIn.duplicates());
  }

  /**
   * Audio packets received and then not used: late (their turn had passed) or duplicates of ones
   * the reorder stage had (WebRTC's {@code packetsDiscarded}).
   */
  public long audioDiscarded() {
    return audioIn == null ? 0 : audioIn.late() + audioIn.duplicates();
  }

  /** Video packets received and then not used; see {@link #audioDiscarded}. */
  public long videoDiscarded() {
    return videoIn == null ? 0 : videoIn.late() + videoIn.duplicates();
  }

  /** RTP packets that did not parse after decryption (header, or H.264 payload). */
  public long malformedRtp() {
    return malformedRtp.count();
  }

  /** RTP packets of no negotiated track (unknown payload type or SSRC). */
  public long unknownStream() {
    return unknownStream;
  }

  /** Audio packets that arrived after their turn (the reorder stage had given up on them). */
  public long lateAudio() {
    return audioIn == null ? 0 : audioIn.late();
  }

  /** RTCP compounds that did not parse. */
  public long malformedRtcp() {
    return malformedRtcp;
  }

  /** Generic NACK packets received for our audio stream (audio is not resent). */
  public long audioNacksReceived() {
    return audioOut == null ? 0 : audioOut.nacksReceived();
  }

  /** Generic NACK packets received for our video stream. */
  public long videoNacksReceived() {
    return videoOut == null ? 0 : videoOut.nacksReceived();
  }

  /** Video packets sent again because a NACK asked for them. */
  public long videoPacketsRetransmitted() {
    return videoOut == null ? 0 : videoOut.retransmitted();
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
    return videoIn == null ? 0 : videoIn.nacksSent();
  }

  /** Video packets that arrived after the reorder buffer had given up on them. */
  public long lateVideo() {
    return videoIn == null ? 0 : videoIn.late();
  }

  /** PLIs we sent after losing video. */
  public long plisSent() {
    return videoIn == null ? 0 : videoIn.plisSent();
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
