package io.github.jpeer.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jpeer.MediaCodec;
import io.github.jpeer.MediaFrameListener;
import io.github.jpeer.rtp.GenericNack;
import io.github.jpeer.rtp.RtcpWriter;
import io.github.jpeer.sdp.Direction;
import io.github.jpeer.srtp.SrtpProfile;
import io.github.jpeer.srtp.SrtpSession;
import io.github.jpeer.testkit.AllocationMeter;
import io.github.jpeer.testkit.VirtualClock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Two MediaSessions back to back, SRTP keys crossed: the send and receive paths of a call. */
class MediaSessionTest {
  private static final System.Logger TEST_LOG = System.getLogger(MediaSessionTest.class.getName());

  private static final byte[] KEY_A = new byte[16];
  private static final byte[] SALT_A = new byte[12];
  private static final byte[] KEY_B = new byte[16];
  private static final byte[] SALT_B = new byte[12];

  static {
    Arrays.fill(KEY_A, (byte) 1);
    Arrays.fill(SALT_A, (byte) 2);
    Arrays.fill(KEY_B, (byte) 3);
    Arrays.fill(SALT_B, (byte) 4);
  }

  private final VirtualClock clock = new VirtualClock();
  private final List<String> events = new ArrayList<>();
  private long framesDelivered;
  private long bytesDelivered;

  /** Byte 1 of each delivered frame, in delivery order (the audio tests put an index there). */
  private final List<Integer> marks = new ArrayList<>();

  // Where each session's frames go, as the connection hands them to the application's listener.
  private final Map<MediaSession, MediaFrameListener> frameListeners = new IdentityHashMap<>();

  /**
   * Drains {@code s}'s events as the connection's loop does: frames to the listener it was made
   * with, keyframe requests and loss reports into {@link #events}.
   */
  private void drainEvents(MediaSession s) {
    MediaFrameListener l = frameListeners.get(s);
    for (MediaEvent e; (e = s.pollEvent()) != null; ) {
      switch (e.kind()) {
        case AUDIO_FRAME, VIDEO_FRAME -> {
          if (l != null) {
            l.onFrame(e.frame(), e.rtpTimestamp());
          }
        }
        case KEYFRAME_REQUEST -> events.add("keyframe");
        case PACKET_LOSS -> events.add("loss " + e.fractionLost());
      }
    }
  }

  /** Copies of every packet {@code s} queued for sending. */
  private static List<byte[]> transmitted(MediaSession s) {
    List<byte[]> packets = new ArrayList<>();
    for (MediaTransmit t; (t = s.pollTransmit()) != null; ) {
      packets.add(Arrays.copyOf(t.data(), t.length()));
    }
    return packets;
  }

  /** An SRTP packet reaches {@code to}, which delivers what it can. */
  private void rtp(MediaSession to, long nowNanos, byte[] packet, int length) {
    to.onRtp(nowNanos, packet, 0, length);
    drainEvents(to);
  }

  /** An SRTCP packet reaches {@code to}; returns what it sent in answer (retransmissions). */
  private List<byte[]> rtcp(MediaSession to, long nowNanos, byte[] packet) {
    to.onRtcp(nowNanos, packet, 0, packet.length);
    drainEvents(to);
    return transmitted(to);
  }

  /** {@code s}'s timers run; returns what it sent (RTCP). */
  private List<byte[]> timeout(MediaSession s, long nowNanos) {
    s.handleTimeout(nowNanos);
    drainEvents(s);
    return transmitted(s);
  }

  private MediaSession session(long ourSsrc, boolean withListener) {
    RemoteDescription.Track audio =
        new RemoteDescription.Track(
            0,
            "0",
            MediaCodec.OPUS,
            111,
            48_000,
            2,
            null,
            List.of(),
            Direction.SENDRECV,
            false,
            false,
            false);
    MediaSession s =
        new MediaSession(
            audio,
            null,
            ourSsrc,
            ourSsrc + 1,
            "cname",
            new SplittableRandom(7),
            clock.nanoTime(),
            0,
            TEST_LOG);
    if (withListener) {
      frameListeners.put(
          s,
          (frame, ts) -> {
            framesDelivered++;
            bytesDelivered += frame.remaining();
            if (frame.remaining() > 1 && marks.size() < 100) {
              marks.add(frame.get(frame.position() + 1) & 0xff);
            }
          });
    }
    return s;
  }

  /** A loopback "wire": holds the last packet a session queued, for the test to hand on. */
  private static final class Wire {
    final byte[] buf = new byte[1500];
    int len;

    /** Takes what {@code s} queued (without allocating), keeping the last packet. */
    Wire from(MediaSession s) {
      for (MediaTransmit t; (t = s.pollTransmit()) != null; ) {
        System.arraycopy(t.data(), 0, buf, 0, t.length());
        len = t.length();
      }
      return this;
    }
  }

  private static byte[] opusFrame() {
    byte[] f = new byte[160];
    f[0] = (byte) 0xf8; // 20 ms CELT
    return f;
  }

  /** Sender A and receiver B with their SRTP sessions started. */
  private MediaSession[] audioPair() {
    MediaSession a = session(1000, false);
    MediaSession b = session(2000, true);
    a.start(clock.nanoTime(), SrtpProfile.AEAD_AES_128_GCM, KEY_A, SALT_A, KEY_B, SALT_B);
    b.start(clock.nanoTime(), SrtpProfile.AEAD_AES_128_GCM, KEY_B, SALT_B, KEY_A, SALT_A);
    return new MediaSession[] {a, b};
  }

  /** {@code n} SRTP packets from {@code a}, frame {@code i} carrying {@code i} in byte 1. */
  private List<byte[]> audioPackets(MediaSession a, int n) {
    Wire wire = new Wire();
    List<byte[]> sent = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] frame = opusFrame();
      frame[1] = (byte) i;
      assertTrue(a.sendAudio(clock.nanoTime(), frame, frame.length));
      sent.add(Arrays.copyOf(wire.from(a).buf, wire.len));
    }
    return sent;
  }

  private void receive(MediaSession b, List<byte[]> sent, int... order) {
    for (int i : order) {
      byte[] p = sent.get(i).clone(); // unprotected in place: keep the original for a duplicate
      rtp(b, clock.nanoTime(), p, p.length);
    }
  }

  @Test
  void reorderedAudioIsDeliveredInOrderNotDroppedAsLate() {
    MediaSession[] ab = audioPair();
    List<byte[]> sent = audioPackets(ab[0], 6);
    receive(ab[1], sent, 0, 2, 1, 3, 5, 4);
    assertEquals(List.of(0, 1, 2, 3, 4, 5), marks);
    assertEquals(0, ab[1].lateAudio());
    assertEquals(6, ab[1].audioReceived().packets());
    // Nothing waits any more: no reorder deadline (only the RTCP timer, later).
    assertTrue(
        ab[1].pollTimeoutNanos() > clock.nanoTime() + InboundStream.AUDIO_REORDER_WAIT_NANOS);
  }

  @Test
  void queuedAudioSlotsHoldWhatTheirPacketsNeedAndRtcpStillFits() {
    MediaSession[] ab = audioPair();
    // A burst: 32 frames queued before the driver polls (the loop was behind), so 32 slots.
    for (int i = 0; i < 32; i++) {
      assertTrue(ab[0].sendAudio(clock.nanoTime(), opusFrame(), 160));
    }
    int slots = 0;
    for (MediaTransmit t; (t = ab[0].pollTransmit()) != null; slots++) {
      // 160 bytes of frame, 12 of header, 16 of tag and room for the MKI: not a 1500-byte MTU
      // array per slot, which a thousand connections' bursts made the next young GC copy.
      assertTrue(t.data().length < 400, "slot array " + t.data().length);
      assertTrue(t.length() > 160 && t.length() <= t.data().length);
    }
    assertEquals(32, slots);
    // The RTCP report reuses one of those slots and gets the room a compound needs.
    clock.advanceMillis(10_000);
    List<byte[]> rtcp = timeout(ab[0], clock.nanoTime());
    assertFalse(rtcp.isEmpty());
    ab[1].onRtcp(clock.nanoTime(), rtcp.get(0), 0, rtcp.get(0).length);
    assertEquals(0, ab[1].malformedRtcp());
  }

  @Test
  void aFrameEventIsACopyThatOutlivesTheDatagramItCameIn() {
    MediaSession[] ab = audioPair();
    byte[] frame = opusFrame();
    frame[1] = 42;
    assertTrue(ab[0].sendAudio(clock.nanoTime(), frame, frame.length));
    MediaTransmit t = ab[0].pollTransmit();
    byte[] datagram = Arrays.copyOf(t.data(), t.length());
    assertEquals(null, ab[0].pollTransmit());
    ab[1].onRtp(clock.nanoTime(), datagram, 0, datagram.length);
    Arrays.fill(datagram, (byte) 0); // the driver's receive buffer, reused for the next datagram
    MediaEvent e = ab[1].pollEvent();
    assertEquals(MediaEvent.Kind.AUDIO_FRAME, e.kind());
    assertEquals(frame.length, e.frame().remaining());
    assertEquals(42, e.frame().get(1));
    assertEquals(null, ab[1].pollEvent());
  }

  @Test
  void aGapIsWaitedForSixtyMillisecondsThenSkippedAndItsPacketIsLate() {
    MediaSession[] ab = audioPair();
    MediaSession b = ab[1];
    List<byte[]> sent = audioPackets(ab[0], 4);
    long arrival = clock.nanoTime();
    receive(b, sent, 0, 2, 3);
    assertEquals(List.of(0), marks);
    // The loop is told when to come back: when packet 2 has waited its 60 ms.
    assertEquals(arrival + InboundStream.AUDIO_REORDER_WAIT_NANOS, b.pollTimeoutNanos());
    clock.advanceMillis(59);
    timeout(b, clock.nanoTime());
    assertEquals(List.of(0), marks);
    clock.advanceMillis(1);
    timeout(b, clock.nanoTime());
    assertEquals(List.of(0, 2, 3), marks);
    receive(b, sent, 1);
    assertEquals(1, b.lateAudio());
    assertEquals(List.of(0, 2, 3), marks);
  }

  @Test
  void aBurstLossIsSkippedOnceAndWhatFollowsFlowsInOrder() {
    MediaSession[] ab = audioPair();
    MediaSession b = ab[1];
    List<byte[]> sent = audioPackets(ab[0], 20);
    receive(b, sent, 0, 11, 12, 14, 13);
    assertEquals(List.of(0), marks);
    clock.advanceMillis(60);
    timeout(b, clock.nanoTime());
    assertEquals(List.of(0, 11, 12, 13, 14), marks);
    receive(b, sent, 15, 16, 18, 17, 19);
    assertEquals(List.of(0, 11, 12, 13, 14, 15, 16, 17, 18, 19), marks);
    assertEquals(0, b.lateAudio());
  }

  @Test
  void aNetworkDuplicateIsCountedAsADuplicateNotAsAReplayOrFailure() {
    MediaSession[] ab = audioPair();
    MediaSession b = ab[1];
    List<byte[]> sent = audioPackets(ab[0], 200);
    receive(b, sent, 0, 1, 1, 2, 0);
    assertEquals(List.of(0, 1, 2), marks);
    assertEquals(2, b.duplicates());
    assertEquals(0, b.replays());
    assertEquals(0, b.srtpFailures());
    // Older than SRTP's replay window: that is a replay, whatever it was.
    for (int i = 3; i < 200; i++) {
      receive(b, sent, i);
    }
    receive(b, sent, 5);
    assertEquals(1, b.replays());
    assertEquals(2, b.duplicates());
    // A tampered new packet is an SRTP failure, not delivered.
    Wire wire = new Wire();
    byte[] frame = opusFrame();
    ab[0].sendAudio(clock.nanoTime(), frame, frame.length);
    wire.from(ab[0]).buf[20] ^= 1;
    rtp(b, clock.nanoTime(), wire.buf, wire.len);
    assertEquals(1, b.srtpFailures());
    assertEquals(200, framesDelivered);
    // A frame that is not Opus (no valid TOC) is refused rather than sent with a bad timestamp.
    assertFalse(ab[0].sendAudio(clock.nanoTime(), new byte[0], 0));
    assertEquals(null, ab[0].pollTransmit());
  }

  @Test
  void reorderingAcrossTheSequenceNumberWrapLosesNothing() {
    MediaSession[] ab = audioPair();
    MediaSession a = ab[0];
    MediaSession b = ab[1];
    Wire wire = new Wire();
    byte[] frame = opusFrame();
    byte[] held = new byte[1500];
    int heldLength = 0;
    // 70 000 packets (every 16-bit sequence number and more), each pair swapped on the way but
    // the first (the first packet to arrive starts the stream: one before it would be late).
    for (int i = 0; i < 70_000; i++) {
      frame[1] = (byte) i;
      a.sendAudio(clock.nanoTime(), frame, frame.length);
      wire.from(a);
      if (i < 2) {
        rtp(b, clock.nanoTime(), wire.buf, wire.len);
      } else if ((i & 1) == 0) {
        System.arraycopy(wire.buf, 0, held, 0, wire.len);
        heldLength = wire.len;
      } else {
        rtp(b, clock.nanoTime(), wire.buf, wire.len);
        rtp(b, clock.nanoTime(), held, heldLength);
      }
    }
    assertEquals(70_000, framesDelivered);
    assertEquals(0, b.lateAudio());
    assertEquals(0, b.duplicates() + b.replays() + b.srtpFailures());
    for (int i = 0; i < marks.size(); i++) {
      assertEquals(i, marks.get(i));
    }
  }

  @Test
  void rtcpReportsLossAndRttAndKeyframeRequestsReachTheListener() {
    MediaSession a = session(1000, false);
    MediaSession b = session(2000, true);
    byte[] saltA = Arrays.copyOf(SALT_A, 14); // the CM profiles use 14-byte salts
    byte[] saltB = Arrays.copyOf(SALT_B, 14);
    a.start(clock.nanoTime(), SrtpProfile.AES128_CM_HMAC_SHA1_80, KEY_A, saltA, KEY_B, saltB);
    b.start(clock.nanoTime(), SrtpProfile.AES128_CM_HMAC_SHA1_80, KEY_B, saltB, KEY_A, saltA);
    Wire ab = new Wire();
    byte[] frame = opusFrame();
    for (int i = 0; i < 50; i++) {
      a.sendAudio(clock.nanoTime(), frame, frame.length);
      ab.from(a);
      if (i % 5 != 4) { // lose every fifth packet
        rtp(b, clock.advanceMillis(20), ab.buf, ab.len);
      }
    }
    // A's sender report lets B compute LSR/DLSR; B's receiver report tells A about the loss.
    clock.advanceTo(a.pollTimeoutNanos());
    rtcp(b, clock.nanoTime(), timeout(a, clock.nanoTime()).get(0));
    clock.advanceTo(b.pollTimeoutNanos());
    clock.advanceMillis(5);
    byte[] receiverReport = timeout(b, clock.nanoTime()).get(0);
    rtcp(a, clock.advanceMillis(10), receiverReport);
    assertTrue(events.stream().anyMatch(e -> e.startsWith("loss 0.1")), events.toString());
    assertTrue(a.remoteReportedLost() >= 9, "lost " + a.remoteReportedLost());
    assertTrue(
        a.roundTripSeconds() >= 0.009 && a.roundTripSeconds() < 0.02,
        "rtt " + a.roundTripSeconds());
  }

  @Test
  void sendAndReceivePathsAllocateNothing() {
    MediaSession a = session(1000, false);
    MediaSession b = session(2000, true);
    a.start(clock.nanoTime(), SrtpProfile.AEAD_AES_128_GCM, KEY_A, SALT_A, KEY_B, SALT_B);
    b.start(clock.nanoTime(), SrtpProfile.AEAD_AES_128_GCM, KEY_B, SALT_B, KEY_A, SALT_A);
    Wire wire = new Wire();
    byte[] frame = opusFrame();
    AllocationMeter.assertAllocatesNothing(
        "Opus packetize + SRTP protect + transmit queue + unprotect + RTP parse + frame event",
        2_000,
        n -> {
          for (int i = 0; i < n; i++) {
            a.sendAudio(0, frame, frame.length);
            wire.from(a);
            rtp(b, 0, wire.buf, wire.len);
          }
          return framesDelivered;
        });
    byte[] held = new byte[1500];
    AllocationMeter.assertAllocatesNothing(
        "audio with every pair of packets swapped: held, released in order, frame events",
        2_000,
        n -> {
          for (int i = 0; i < n; i++) {
            a.sendAudio(0, frame, frame.length);
            int heldLength = wire.from(a).len;
            System.arraycopy(wire.buf, 0, held, 0, heldLength);
            a.sendAudio(0, frame, frame.length);
            wire.from(a);
            rtp(b, 0, wire.buf, wire.len);
            rtp(b, 0, held, heldLength);
          }
          return framesDelivered;
        });
    assertEquals(0, b.srtpFailures());
    assertEquals(0, b.lateAudio());
  }

  /** The SRTP packets {@code a} sends for the access unit {@code au} at {@code nowNanos}. */
  private static List<byte[]> videoPackets(MediaSession a, byte[] au, long nowNanos) {
    a.sendVideo(nowNanos, au, au.length);
    return transmitted(a);
  }

  /** SPS, PPS and a 5000-byte IDR slice in Annex B: one STAP-A and several FU-A fragments. */
  private static byte[] keyframeWithParameterSets() {
    byte[] idr = new byte[4 + 6 + 4 + 4 + 4 + 5000];
    int p = 0;
    for (byte[] nal : List.of(new byte[] {0x67, 0x42, 0, 0x1f, 1, 2}, new byte[] {0x68, 1, 2, 3})) {
      idr[p + 3] = 1;
      System.arraycopy(nal, 0, idr, p + 4, nal.length);
      p += 4 + nal.length;
    }
    idr[p + 3] = 1;
    idr[p + 4] = 0x65;
    for (int i = p + 5; i < idr.length; i++) {
      idr[i] = (byte) (1 + i % 251); // no zero bytes: zeros at the end would read as padding
    }
    return idr;
  }

  @Test
  void withoutNegotiatedPliALostFrameWaitsQuietlyForTheNextKeyframe() {
    RemoteDescription.Track video =
        new RemoteDescription.Track(
            1,
            "1",
            MediaCodec.H264,
            96,
            90_000,
            0,
            null,
            List.of(),
            Direction.SENDRECV,
            false,
            false,
            false);
    List<byte[]> accessUnits = new ArrayList<>();
    MediaSession a = videoSender(video);
    MediaSession b = videoReceiver(video, accessUnits);
    byte[] idr = idrAccessUnit();
    List<byte[]> packets = videoPackets(a, idr, clock.nanoTime());
    deliverExcept(b, packets, -1);
    packets = videoPackets(a, idr, clock.advanceMillis(33));
    deliverExcept(b, packets, 2);
    assertEquals(1, accessUnits.size(), "an incomplete access unit is not delivered");
    // The remote did not offer PLI: none is sent, and the loop is not asked to come back for one.
    assertTrue(b.pollTimeoutNanos() > clock.nanoTime(), "nothing due now");
    timeout(b, clock.advanceMillis(600));
    assertEquals(0, b.plisSent());
  }

  @Test
  void aLostVideoFragmentSendsAPliThatReachesTheSendersKeyframeCallback() {
    // Without NACK negotiated a gap cannot be repaired: the keyframe request goes out at once.
    RemoteDescription.Track video = videoTrack(false);
    List<byte[]> accessUnits = new ArrayList<>();
    MediaSession a = videoSender(video);
    MediaSession b = videoReceiver(video, accessUnits);
    byte[] idr = keyframeWithParameterSets();
    int idrLength = idr.length;
    List<byte[]> packets = videoPackets(a, idr, clock.nanoTime());
    assertTrue(packets.size() >= 4, "packets " + packets.size());
    deliverExcept(b, packets, -1);
    assertEquals(1, accessUnits.size());
    assertArrayEquals(Arrays.copyOf(idr, idrLength), accessUnits.get(0));

    // The next access unit loses its middle fragment: no delivery, and B asks for a keyframe.
    packets = videoPackets(a, idr, clock.advanceMillis(33));
    deliverExcept(b, packets, 2);
    assertEquals(1, accessUnits.size(), "an incomplete access unit is not delivered");
    // Regression: the first PLI was never sent (now - Long.MIN_VALUE overflowed).
    assertTrue(b.pollTimeoutNanos() <= clock.nanoTime(), "a PLI is due at once");
    byte[] pli = timeout(b, clock.nanoTime()).get(0);
    assertEquals(1, b.plisSent());
    rtcp(a, clock.nanoTime(), pli);
    assertEquals(List.of("keyframe"), events);
    // The next PLI waits half a second while the keyframe is still missing.
    timeout(b, clock.advanceMillis(100));
    assertEquals(1, b.plisSent());
  }

  private static RemoteDescription.Track videoTrack(boolean nack) {
    return new RemoteDescription.Track(
        1,
        "1",
        MediaCodec.H264,
        96,
        90_000,
        0,
        null,
        List.of(),
        Direction.SENDRECV,
        nack,
        true,
        true);
  }

  private MediaSession videoSender(boolean remoteAcceptsNack) {
    return videoSender(remoteAcceptsNack, SrtpProfile.AEAD_AES_128_GCM);
  }

  private MediaSession videoSender(boolean remoteAcceptsNack, SrtpProfile profile) {
    return videoSender(videoTrack(remoteAcceptsNack), profile);
  }

  private MediaSession videoSender(RemoteDescription.Track video) {
    return videoSender(video, SrtpProfile.AEAD_AES_128_GCM);
  }

  /** A: sends {@code video} (SSRC 1000) with A's keys, started. */
  private MediaSession videoSender(RemoteDescription.Track video, SrtpProfile profile) {
    MediaSession a =
        new MediaSession(
            null, video, 1000, 1001, "a", new SplittableRandom(1), clock.nanoTime(), 0, TEST_LOG);
    int saltLength = profile == SrtpProfile.AEAD_AES_128_GCM ? 12 : 14;
    a.start(
        clock.nanoTime(),
        profile,
        KEY_A,
        Arrays.copyOf(SALT_A, saltLength),
        KEY_B,
        Arrays.copyOf(SALT_B, saltLength));
    return a;
  }

  /** B: receives video with B's keys and collects every delivered access unit. */
  private MediaSession videoReceiver(RemoteDescription.Track video, List<byte[]> accessUnits) {
    MediaSession b =
        new MediaSession(
            null, video, 2000, 2001, "b", new SplittableRandom(2), clock.nanoTime(), 0, TEST_LOG);
    frameListeners.put(
        b,
        (frame, ts) -> {
          byte[] au = new byte[frame.remaining()];
          frame.get(au);
          accessUnits.add(au);
        });
    b.start(clock.nanoTime(), SrtpProfile.AEAD_AES_128_GCM, KEY_B, SALT_B, KEY_A, SALT_A);
    return b;
  }

  /** An access unit with one 5000-byte IDR slice: about five FU-A packets. */
  private static byte[] idrAccessUnit() {
    byte[] au = new byte[5 + 4999];
    au[3] = 1;
    au[4] = 0x65;
    for (int i = 5; i < au.length; i++) {
      au[i] = (byte) (1 + i % 251);
    }
    return au;
  }

  /** Hands {@code packets} to {@code to} one millisecond apart, all but index {@code lost}. */
  private void deliverExcept(MediaSession to, List<byte[]> packets, int lost) {
    for (int i = 0; i < packets.size(); i++) {
      if (i != lost) {
        rtp(to, clock.advanceMillis(1), packets.get(i), packets.get(i).length);
      }
    }
  }

  private static int sequenceNumber(byte[] packet) {
    return ((packet[2] & 0xff) << 8) | (packet[3] & 0xff);
  }

  /** The remote's NACK for {@code lost} of SSRC {@code mediaSsrc}, protected with B's keys. */
  private static byte[] nack(SrtpSession remoteTx, int mediaSsrc, List<Integer> lost) {
    byte[] buf = new byte[1500];
    int len = RtcpWriter.writeCompound(List.of(new GenericNack(2001, mediaSsrc, lost)), buf, 0);
    len = remoteTx.protectRtcp(buf, 0, len);
    return Arrays.copyOf(buf, len);
  }

  @Test
  void aNackIsAnsweredWithTheSamePacketsAgainOncePerIntervalAndWithinASecond() {
    MediaSession a = videoSender(true);
    SrtpSession remoteTx = SrtpSession.create(SrtpProfile.AEAD_AES_128_GCM, KEY_B, SALT_B);
    byte[] au = idrAccessUnit();
    List<byte[]> originals = videoPackets(a, au, clock.nanoTime());
    assertTrue(originals.size() >= 4, "packets " + originals.size());
    int first = sequenceNumber(originals.get(0));

    // Packets 1 and 3 were lost; 60000 was never sent.
    byte[] request =
        nack(remoteTx, 1001, List.of((first + 1) & 0xffff, (first + 3) & 0xffff, 60000));
    List<byte[]> sent = rtcp(a, clock.advanceMillis(20), request);
    assertEquals(2, sent.size());
    // Same SRTP index and key, so byte for byte the packets the receiver missed.
    assertArrayEquals(originals.get(1), sent.get(0));
    assertArrayEquals(originals.get(3), sent.get(1));
    assertEquals(1, a.videoNacksReceived());
    assertEquals(2, a.videoPacketsRetransmitted());
    assertEquals(1, a.nackedPacketsUnavailable());

    // Repeated at once (it crossed our retransmission): not sent twice; after the interval
    // (100 ms while no RTT is known) it is.
    request = nack(remoteTx, 1001, List.of((first + 1) & 0xffff));
    assertEquals(0, rtcp(a, clock.advanceMillis(10), request).size());
    request = nack(remoteTx, 1001, List.of((first + 1) & 0xffff));
    sent = rtcp(a, clock.advanceMillis(100), request);
    assertEquals(1, sent.size());
    assertArrayEquals(originals.get(1), sent.get(0));

    // A second after sending, the receiver has given up on the packet: nothing is resent.
    request = nack(remoteTx, 1001, List.of((first + 2) & 0xffff));
    assertEquals(0, rtcp(a, clock.advanceMillis(1000), request).size());
    assertEquals(2, a.nackedPacketsUnavailable());

    // A NACK about another SSRC (not ours) is ignored.
    request = nack(remoteTx, 4242, List.of(first & 0xffff));
    assertEquals(0, rtcp(a, clock.advanceMillis(1), request).size());
    assertEquals(4, a.videoNacksReceived());
    assertEquals(0, a.audioNacksReceived());
  }

  @Test
  void withoutNegotiatedNackNothingIsKeptOrResent() {
    MediaSession a = videoSender(false);
    SrtpSession remoteTx = SrtpSession.create(SrtpProfile.AEAD_AES_128_GCM, KEY_B, SALT_B);
    byte[] au = idrAccessUnit();
    int first = sequenceNumber(videoPackets(a, au, clock.nanoTime()).get(0));
    byte[] request = nack(remoteTx, 1001, List.of(first, (first + 1) & 0xffff));
    assertEquals(0, rtcp(a, clock.advanceMillis(20), request).size());
    assertEquals(1, a.videoNacksReceived());
    assertEquals(0, a.videoPacketsRetransmitted());
    assertEquals(2, a.nackedPacketsUnavailable());
  }

  @Test
  void aDroppedFirstTransmissionIsRepairedByTheRetransmission() {
    MediaSession a = videoSender(true);
    List<byte[]> accessUnits = new ArrayList<>();
    MediaSession b = videoReceiver(videoTrack(true), accessUnits);
    SrtpSession remoteTx = SrtpSession.create(SrtpProfile.AEAD_AES_128_GCM, KEY_B, SALT_B);
    byte[] au = idrAccessUnit();
    // An access unit sent whole, then the next one's last packet (its marker packet) lost on its
    // first transmission: the test carries the packets from A to B, so it drops that one itself.
    List<byte[]> sent = videoPackets(a, au, clock.nanoTime());
    int perUnit = sent.size();
    deliverExcept(b, sent, -1);
    assertEquals(1, accessUnits.size());
    sent = videoPackets(a, au, clock.advanceMillis(33));
    assertEquals(perUnit, sent.size());
    int dropped = sequenceNumber(sent.get(perUnit - 1));
    deliverExcept(b, sent, perUnit - 1);
    assertEquals(1, accessUnits.size(), "the unit waits for its marker packet");
    List<byte[]> resent = rtcp(a, clock.advanceMillis(5), nack(remoteTx, 1001, List.of(dropped)));
    assertEquals(1, resent.size());
    rtp(b, clock.advanceMillis(1), resent.get(0), resent.get(0).length);
    assertEquals(2, accessUnits.size(), "the retransmitted marker packet completed the unit");
    assertArrayEquals(au, accessUnits.get(1));
  }

  @Test
  void keepingVideoForRetransmissionAllocatesNothingOnceTheHistoryIsFull() {
    // An HMAC profile: GCM packets of 512 bytes and more go through JCE, which allocates.
    MediaSession a = videoSender(true, SrtpProfile.AES128_CM_HMAC_SHA1_80);
    byte[] au = idrAccessUnit();
    Wire wire = new Wire();
    for (int i = 0; i < 200; i++) { // about 1000 packets: every history slot holds its array
      a.sendVideo(clock.advanceMillis(33), au, au.length);
      wire.from(a);
    }
    AllocationMeter.assertAllocatesNothing(
        "H264 packetize + history + SRTP protect + transmit queue",
        200,
        n -> {
          for (int i = 0; i < n; i++) {
            a.sendVideo(clock.advanceMillis(33), au, au.length);
            wire.from(a);
          }
          return a.videoSent().packets();
        });
  }

  @Test
  void aReceiverNacksAGapAndTheRetransmissionCompletesTheFrameWithoutAPli() {
    MediaSession a = videoSender(true);
    List<byte[]> accessUnits = new ArrayList<>();
    MediaSession b = videoReceiver(videoTrack(true), accessUnits);
    byte[] au = idrAccessUnit();
    List<byte[]> sent = videoPackets(a, au, clock.nanoTime());
    deliverExcept(b, sent, 2); // the third packet is lost
    assertEquals(0, accessUnits.size(), "held behind the gap");
    // The gap makes a NACK due at once; B's loop sends it, A answers with the packet.
    assertTrue(b.pollTimeoutNanos() <= clock.nanoTime(), "a NACK is due at once");
    List<byte[]> nacks = timeout(b, clock.nanoTime());
    assertEquals(1, b.videoNacksSent());
    assertEquals(0, b.plisSent(), "no keyframe request while a retransmission can still come");
    List<byte[]> resent = rtcp(a, clock.advanceMillis(5), nacks.get(nacks.size() - 1));
    assertEquals(1, resent.size());
    rtp(b, clock.advanceMillis(5), resent.get(0), resent.get(0).length);
    assertEquals(1, accessUnits.size());
    assertArrayEquals(au, accessUnits.get(0));
    timeout(b, clock.advanceMillis(500));
    assertEquals(0, b.plisSent());
    assertEquals(1, b.videoNacksSent(), "nothing left to ask for");
  }

  @Test
  void anUnrepairedGapIsNackedThreeTimesThenGivenUpForAKeyframe() {
    MediaSession a = videoSender(true);
    List<byte[]> accessUnits = new ArrayList<>();
    MediaSession b = videoReceiver(videoTrack(true), accessUnits);
    byte[] au = idrAccessUnit();
    List<byte[]> sent = new ArrayList<>(videoPackets(a, au, clock.nanoTime()));
    byte[] delta = au.clone();
    delta[4] = 0x41; // a non-IDR slice: after the loss only a keyframe restores decoding
    sent.addAll(videoPackets(a, delta, clock.advanceMillis(33)));
    int perUnit = sent.size() / 2;
    deliverExcept(b, sent, 1); // lost in the first access unit, never resent
    assertEquals(0, accessUnits.size(), "both units wait behind the gap");
    // NACKs at once and then every 50 ms (no RTT known yet), three in all; the packets behind the
    // gap are let go 150 ms after the first of them arrived.
    for (int step = 0; step < 40 && b.plisSent() == 0; step++) {
      clock.advanceTo(Math.max(clock.nanoTime(), b.pollTimeoutNanos()));
      timeout(b, clock.nanoTime());
    }
    assertEquals(3, b.videoNacksSent());
    assertEquals(1, accessUnits.size(), "the second unit, complete, is delivered");
    assertArrayEquals(delta, accessUnits.get(0));
    assertEquals(1, b.plisSent(), "the broken unit asks for a keyframe, once");
    rtp(b, clock.advanceMillis(1), sent.get(1), sent.get(1).length);
    assertEquals(1, b.lateVideo(), "the packet after it was given up on is dropped");
    assertEquals(2 * perUnit, sent.size());
  }

  @Test
  void receivingVideoThroughTheReorderBufferAllocatesNothing() {
    MediaSession a = videoSender(true, SrtpProfile.AES128_CM_HMAC_SHA1_80);
    long[] delivered = {0};
    MediaSession b =
        new MediaSession(
            null,
            videoTrack(true),
            2000,
            2001,
            "b",
            new SplittableRandom(2),
            clock.nanoTime(),
            0,
            TEST_LOG);
    frameListeners.put(b, (frame, ts) -> delivered[0] += frame.remaining());
    byte[] salt = Arrays.copyOf(SALT_B, 14);
    b.start(
        clock.nanoTime(),
        SrtpProfile.AES128_CM_HMAC_SHA1_80,
        KEY_B,
        salt,
        KEY_A,
        Arrays.copyOf(SALT_A, 14));
    byte[] au = idrAccessUnit();
    for (int i = 0; i < 200; i++) { // about 1000 packets: every reorder slot holds its array
      sendVideoTo(b, a, au);
    }
    AllocationMeter.assertAllocatesNothing(
        "SRTP unprotect + reorder buffer + H264 depacketize + frame event + delivery",
        200,
        n -> {
          for (int i = 0; i < n; i++) {
            sendVideoTo(b, a, au);
          }
          return delivered[0];
        });
    assertEquals(0, b.videoNacksSent());
  }

  /** {@code a} sends {@code au} 33 ms on; its packets reach {@code b} at once. */
  private void sendVideoTo(MediaSession b, MediaSession a, byte[] au) {
    a.sendVideo(clock.advanceMillis(33), au, au.length);
    for (MediaTransmit t; (t = a.pollTransmit()) != null; ) {
      rtp(b, clock.nanoTime(), t.data(), t.length());
    }
  }
}
