package io.github.jpeer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jpeer.interop.H264Fixture;
import io.github.jpeer.interop.LibWebRtcPeer;
import io.github.jpeer.interop.LibWebRtcPeer.VideoReceiveStats;
import io.github.jpeer.testkit.ImpairingRelay;
import io.github.jpeer.testkit.ImpairingRelay.Side;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntPredicate;
import java.util.function.Predicate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * H.264 from jpeer to Google's libwebrtc (webrtc-java), which decodes it: both offer/answer roles,
 * and loss on the way repaired by NACK (RFC 4585) and retransmission.
 *
 * <p>The video is a real x264 stream (constrained baseline, see the fixture's README.txt), sent at
 * its own 30 fps in real time: libwebrtc's jitter buffer and decoder run on wall time, so this is
 * one of the few tests here that cannot use a virtual clock. Every wait is bounded.
 */
@Tag("interop")
class LibWebRtcVideoTest {

  private static final long FRAME_INTERVAL_NANOS = 1_000_000_000L / 30;

  /** The fixture twice over: four seconds, four key frames, enough packets to lose some. */
  private static final int FRAMES_TO_SEND = 2 * H264Fixture.FRAMES;

  /**
   * Frames libwebrtc may fail to decode without the test failing. Runs here decode every frame,
   * with and without the repaired loss; the slack is for a machine so loaded that libwebrtc's frame
   * buffer skips a late frame. It is far below what a real failure costs: a P frame that never
   * decodes stalls the rest of its group of pictures, up to 29 frames here.
   */
  private static final int FRAME_TOLERANCE = 2;

  private final CompletableFuture<Void> completed = new CompletableFuture<>();
  private final AtomicLong keyframeRequests = new AtomicLong();

  // ---------------------------------------------------------------- the fixture

  @Test
  void fixtureSplitsIntoAccessUnitsThatStartWithAnAudAndRebuildTheFile() throws IOException {
    byte[] file = H264Fixture.bytes();
    List<byte[]> units = H264Fixture.accessUnits(file);
    assertEquals(H264Fixture.FRAMES, units.size());
    ByteArrayOutputStream joined = new ByteArrayOutputStream();
    for (byte[] au : units) {
      assertEquals(9, firstNalType(au), "every access unit opens with an AUD (type 9)");
      joined.writeBytes(au);
    }
    assertArrayEquals(file, joined.toByteArray());
    // x264 with keyint=30: IDR (type 5) with SPS/PPS at frames 0 and 30.
    assertTrue(containsNal(units.get(0), 7) && containsNal(units.get(0), 8));
    assertTrue(containsNal(units.get(0), 5) && containsNal(units.get(30), 5));
    assertTrue(!containsNal(units.get(1), 5), "frame 1 is a P frame");
  }

  // ---------------------------------------------------------------- interop

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void jpeerOffersAndSendsH264LibWebRtcDecodesIt() throws Exception {
    // No transceiver of its own: as answerer, libwebrtc takes the offered video by itself.
    try (PeerLoop loop = PeerLoop.start("video-offer");
        LibWebRtcPeer google = new LibWebRtcPeer(false, null, false)) {
      PeerConnection pc = jpeerOffers(loop, google, null);
      sendTheClipAndExpectItDecoded(loop, pc, google);
    }
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void libWebRtcOffersRecvonlyVideoJpeerAnswersAndSends() throws Exception {
    try (PeerLoop loop = PeerLoop.start("video-answer");
        LibWebRtcPeer google = new LibWebRtcPeer(false, null, true)) {
      PeerConnection pc = jpeer();
      String offer = google.createOffer();
      assertTrue(offer.contains("a=recvonly"), offer);
      pc.setRemoteDescription(offer, SdpType.OFFER);
      CompletableFuture<String> fullAnswer = new CompletableFuture<>();
      pc.onIceCandidate(fullAnswer::complete);
      pc.createAnswer();
      loop.add(pc).get(5, TimeUnit.SECONDS);
      String answer = fullAnswer.get(10, TimeUnit.SECONDS);
      assertTrue(answer.contains("a=sendonly") && answer.contains("H264/90000"), answer);
      google.setRemoteDescription(answer, false);
      awaitConnected(google);
      sendTheClipAndExpectItDecoded(loop, pc, google);
    }
  }

  /** Streams the clip twice at 30 fps; libwebrtc must decode (nearly) every frame. */
  private void sendTheClipAndExpectItDecoded(PeerLoop loop, PeerConnection pc, LibWebRtcPeer google)
      throws Exception {
    int sent = stream(pc, H264Fixture.accessUnits());
    VideoReceiveStats s = awaitDecoded(google, sent, false);
    assertDecodedAll(s, google, sent);
    loop.submit(pc::close).get(5, TimeUnit.SECONDS);
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void lossRepairedByNackRetransmission() throws Exception {
    try (PeerLoop loop = PeerLoop.start("video-nack");
        LibWebRtcPeer google = new LibWebRtcPeer(false, null, true)) {
      // Packets 9, 26, 43, ... of the stream (every 17th, counted from its first) never arrive
      // the first time: ten of its 178, in key frames and P frames alike, each a gap that only a
      // retransmission can fill. Counting from the first packet (not by raw sequence number)
      // makes the same packets go missing every run, and the offset keeps clear of the three
      // that no NACK can save: the stream's first packet (before it libwebrtc knows of no
      // sequence number, so there is no gap to report), its last (no later packet reveals the
      // gap), and the last packet of a frame just before a key frame (the gap shows up with the
      // key frame's packets, libwebrtc decodes the key frame at once and then discards the older
      // frame even when the retransmission arrives). Those are packets 0, 48, 88, 137 and 177.
      AtomicInteger first = new AtomicInteger(-1);
      AtomicInteger dropped = new AtomicInteger();
      IntPredicate drop =
          seq -> {
            first.compareAndSet(-1, seq);
            boolean lose = ((seq - first.get()) & 0xffff) % 17 == 9;
            if (lose) {
              dropped.incrementAndGet();
            }
            return lose;
          };
      PeerConnection pc;
      int sent;
      VideoReceiveStats s;
      try (LossyPath path = new LossyPath(firstTransmissionOf(drop))) {
        pc = jpeerOffers(loop, google, path);
        sent = stream(pc, H264Fixture.accessUnits());
        s = awaitDecoded(google, sent, true);
        assertEquals(dropped.get(), path.chosenLost(), "the relay dropped what the test chose");
      }
      PeerStats.TrackStats ours = loop.submit(pc::getStats).get(5, TimeUnit.SECONDS).video();
      System.out.println(
          "H.264 to libwebrtc, first transmission of "
              + dropped.get()
              + " packets dropped: jpeer sent "
              + sent
              + " frames in "
              + ours.packetsSent()
              + " packets, received "
              + ours.nacksReceived()
              + " NACKs, retransmitted "
              + ours.packetsRetransmitted()
              + "; libwebrtc "
              + s
              + "; keyframe requests at jpeer "
              + keyframeRequests.get());
      assertTrue(dropped.get() >= 8, "too few packets dropped to test anything: " + dropped);
      assertTrue(s.nackCount() > 0, "libwebrtc sent no NACK: " + s);
      assertTrue(ours.nacksReceived() > 0, "jpeer counted no NACK: " + ours);
      assertTrue(
          ours.packetsRetransmitted() >= dropped.get(), dropped + " packets dropped, but " + ours);
      // Every dropped packet was resent and arrived (nothing else loses packets on this path), so
      // libwebrtc's cumulative loss, expected minus received, is back to zero.
      assertEquals(0, s.packetsLost(), "libwebrtc still counts losses: " + s);
      assertDecodedAll(s, google, sent);
      loop.submit(pc::close).get(5, TimeUnit.SECONDS);
    }
  }

  // ---------------------------------------------------------------- helpers

  private PeerConnection jpeer() {
    PeerConfiguration config =
        PeerConfiguration.builder()
            .audioCodec(MediaCodec.NONE)
            .videoCodec(MediaCodec.H264)
            .onRequestKeyframe(keyframeRequests::incrementAndGet)
            .build();
    PeerConnection pc = PeerConnection.create(config);
    pc.onIceConnectionStateChange(
        s -> {
          if (s == PeerConnectionState.COMPLETED) {
            completed.complete(null);
          }
        });
    return pc;
  }

  /**
   * jpeer offers, libwebrtc answers; with a {@code path}, every datagram between them goes through
   * its relay.
   */
  private PeerConnection jpeerOffers(PeerLoop loop, LibWebRtcPeer google, LossyPath path)
      throws Exception {
    PeerConnection pc = jpeer();
    CompletableFuture<String> fullOffer = new CompletableFuture<>();
    pc.onIceCandidate(fullOffer::complete);
    pc.createOffer();
    loop.add(pc).get(5, TimeUnit.SECONDS);
    String offer = fullOffer.get(10, TimeUnit.SECONDS);
    google.setRemoteDescription(path == null ? offer : path.through(offer, Side.A), true);
    String answer = google.createAnswer();
    assertTrue(answer.contains("H264/90000") && answer.contains("nack"), answer);
    String seen = path == null ? answer : path.through(answer, Side.B);
    if (path != null) {
      path.start();
    }
    loop.submit(() -> pc.setRemoteDescription(seen, SdpType.ANSWER)).get(5, TimeUnit.SECONDS);
    awaitConnected(google);
    return pc;
  }

  /**
   * The one path between jpeer (side A) and libwebrtc (side B): an {@link ImpairingRelay} on this
   * machine's interface address (libwebrtc ignores loopback), pumped by a thread of its own, which
   * drops the datagrams towards libwebrtc that a predicate chooses. Each side's UDP host candidate
   * on that address is rewritten to the relay's front for it and every other candidate removed, so
   * ICE can only find the relayed path.
   */
  private static final class LossyPath implements AutoCloseable {
    private final Predicate<ByteBuffer> choose;
    private final AtomicBoolean stop = new AtomicBoolean();
    private ImpairingRelay relay;
    private Thread pump;

    LossyPath(Predicate<ByteBuffer> choose) {
      this.choose = choose;
    }

    /** {@code sdp} of {@code side} as the other side must see it (the relay opens on first use). */
    String through(String sdp, Side side) {
      StringBuilder sb = new StringBuilder(sdp.length());
      boolean found = false;
      for (String line : sdp.split("\r\n")) {
        if (!line.startsWith("a=candidate")) {
          sb.append(line).append("\r\n");
          continue;
        }
        // a=candidate:foundation component transport priority address port typ type ...
        String[] f = line.split(" ");
        InetAddress address = parse(f[4]);
        boolean interfaceUdp =
            f.length > 7
                && f[2].equalsIgnoreCase("udp")
                && f[7].equals("host")
                && address instanceof Inet4Address
                && !address.isLoopbackAddress()
                && (relay == null || address.equals(relay.frontOf(side).getAddress()));
        if (!interfaceUdp || found) {
          continue;
        }
        found = true;
        if (relay == null) {
          relay = ImpairingRelay.open(1, address);
          relay.dropWhen(Side.B, choose);
        }
        relay.connect(side, new InetSocketAddress(address, Integer.parseInt(f[5])));
        f[5] = Integer.toString(relay.frontOf(side).getPort());
        sb.append(String.join(" ", f)).append("\r\n");
      }
      assertTrue(found, "no UDP host candidate on an interface address in\n" + sdp);
      return sb.toString();
    }

    private static InetAddress parse(String literal) {
      try {
        return InetAddress.getByName(literal);
      } catch (UnknownHostException e) {
        return null; // an mDNS name: not a candidate the relay can stand for
      }
    }

    /** Starts moving datagrams; from here on only the pump thread touches the relay. */
    void start() {
      pump = new Thread(() -> relay.pumpUntil(stop::get, 60_000), "lossy-path");
      pump.setDaemon(true);
      pump.start();
    }

    long chosenLost() throws InterruptedException {
      stop.set(true);
      pump.join(5_000);
      return relay.counts(Side.B).chosenLost();
    }

    @Override
    public void close() {
      stop.set(true);
      if (pump != null) {
        try {
          pump.join(5_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      if (relay != null) {
        relay.close();
      }
    }
  }

  /**
   * Picks the packets to lose: the first transmission of each RTP packet whose sequence number
   * {@code drop} chooses. A NACK retransmission goes out in the original stream (RFC 4588 section 3
   * without RTX), the same sequence number again, so it passes. Only video is sent here: every RTP
   * packet is video; STUN and DTLS (first byte below 128, RFC 7983) and RTCP (packet types 192 to
   * 223 in byte 1, RFC 5761 section 4) always pass. Called on the relay's pump thread only.
   */
  private static Predicate<ByteBuffer> firstTransmissionOf(IntPredicate drop) {
    Set<Integer> seen = new HashSet<>();
    return packet -> {
      if (packet.remaining() < 12 || (packet.get(0) & 0xc0) != 0x80) {
        return false;
      }
      int packetType = packet.get(1) & 0xff;
      if (packetType >= 192 && packetType <= 223) {
        return false;
      }
      int seq = Short.toUnsignedInt(packet.getShort(2));
      return seen.add(seq) && drop.test(seq);
    };
  }

  /** Both sides up: jpeer's DTLS done (COMPLETED), libwebrtc CONNECTED. */
  private void awaitConnected(LibWebRtcPeer google) throws Exception {
    completed.get(10, TimeUnit.SECONDS);
    assertTrue(google.awaitConnected(10_000), "libwebrtc states " + google.states());
  }

  /**
   * Sends {@link #FRAMES_TO_SEND} access units from the start of {@code units} (looping) at 30 fps
   * of wall time; returns how many were queued. The schedule is absolute, so a late wake-up is
   * caught up rather than stretching the stream.
   */
  private static int stream(PeerConnection pc, List<byte[]> units) throws InterruptedException {
    CountDownLatch never = new CountDownLatch(1);
    long start = System.nanoTime();
    int sent = 0;
    for (int i = 0; i < FRAMES_TO_SEND; i++) {
      long wait = start + i * FRAME_INTERVAL_NANOS - System.nanoTime();
      if (wait > 0) {
        never.await(wait, TimeUnit.NANOSECONDS);
      }
      if (pc.sendVideo(units.get(i % units.size()))) {
        sent++;
      }
    }
    return sent;
  }

  /**
   * Polls libwebrtc's stats (at most 3 s) until it decoded all {@code sent} frames and, if {@code
   * lossless}, its loss count is back to zero; the caller judges what it got.
   */
  private static VideoReceiveStats awaitDecoded(LibWebRtcPeer google, int sent, boolean lossless)
      throws InterruptedException {
    CountDownLatch never = new CountDownLatch(1);
    VideoReceiveStats s = google.videoReceiveStats();
    for (int i = 0;
        i < 30
            && (s.framesDecoded() < sent
                || google.decodedVideoFrames() < sent
                || (lossless && s.packetsLost() != 0));
        i++) {
      never.await(100, TimeUnit.MILLISECONDS);
      s = google.videoReceiveStats();
    }
    return s;
  }

  private static void assertDecodedAll(VideoReceiveStats s, LibWebRtcPeer google, int sent) {
    assertEquals(FRAMES_TO_SEND, sent, "jpeer refused some access units");
    assertTrue(s.framesDecoded() >= sent - FRAME_TOLERANCE, sent + " frames sent, " + s);
    assertTrue(s.framesDecoded() <= sent, sent + " frames sent, " + s);
    assertTrue(s.keyFramesDecoded() >= 1, "no key frame decoded: " + s);
    assertTrue(
        google.decodedVideoFrames() >= sent - FRAME_TOLERANCE,
        "the sink saw " + google.decodedVideoFrames() + " of " + sent + " frames");
  }

  private static int firstNalType(byte[] au) {
    int i = au[2] == 1 ? 3 : 4;
    return au[i] & 0x1f;
  }

  private static boolean containsNal(byte[] au, int type) {
    for (int i = 0; i + 3 < au.length; i++) {
      if (au[i] == 0 && au[i + 1] == 0 && au[i + 2] == 1 && (au[i + 3] & 0x1f) == type) {
        return true;
      }
    }
    return false;
  }
}
