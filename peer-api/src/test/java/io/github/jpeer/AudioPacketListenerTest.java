package io.github.jpeer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link AudioPacketListener} over a real call on 127.0.0.1: every frame sent arrives with its RTP
 * sequence number (consecutive, as the sender numbered them), its timestamp (20 ms apart) and the
 * time of the {@code loop()} that read its datagram, on the configured clock.
 */
class AudioPacketListenerTest {
  private record Packet(
      int firstByte, int index, long rtpTimestamp, int sequence, long arrivalNanos) {}

  /** A clock the test can read too: System.nanoTime, counted. */
  private static final class CountingClock implements NanoClock {
    final AtomicLong reads = new AtomicLong();

    @Override
    public long nanoTime() {
      reads.incrementAndGet();
      return System.nanoTime();
    }
  }

  private static PeerConfiguration.Builder config(NanoClock clock) {
    return PeerConfiguration.builder()
        .audioCodec(MediaCodec.OPUS)
        .bindAddress(InetAddress.getLoopbackAddress())
        .includeLoopback(true)
        .clock(clock);
  }

  private static void connect(PeerConnection a, PeerConnection b) throws InterruptedException {
    b.setRemoteDescription(a.createOffer(), SdpType.OFFER);
    a.setRemoteDescription(b.createAnswer(), SdpType.ANSWER);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    CountDownLatch never = new CountDownLatch(1);
    while ((a.getState() != PeerConnectionState.COMPLETED
            || b.getState() != PeerConnectionState.COMPLETED)
        && System.nanoTime() < deadline) {
      a.loop();
      b.loop();
      never.await(1, TimeUnit.MILLISECONDS); // a bounded wait for the DTLS thread
    }
    assertEquals(PeerConnectionState.COMPLETED, a.getState());
    assertEquals(PeerConnectionState.COMPLETED, b.getState());
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void packetsCarryTheirSequenceNumbersAndArrivalTimes() throws Exception {
    List<Packet> packets = new ArrayList<>();
    List<Long> frames = new ArrayList<>();
    // Every loop() of b between two readings of the test: an arrival must fall in its window.
    List<long[]> loopWindows = new ArrayList<>();
    CountingClock clock = new CountingClock();
    try (PeerConnection a = PeerConnection.create(config(NanoClock.SYSTEM).build());
        PeerConnection b =
            PeerConnection.create(
                config(clock)
                    .onAudioTrack((frame, ts) -> frames.add(ts))
                    .onAudioPacket(
                        (payload, ts, seq, arrival) ->
                            packets.add(
                                new Packet(
                                    payload.get(payload.position()) & 0xff,
                                    payload.get(payload.position() + 1),
                                    ts,
                                    seq,
                                    arrival)))
                    .build())) {
      connect(a, b);
      packets.clear();
      frames.clear();
      byte[] frame = new byte[60];
      CountDownLatch never = new CountDownLatch(1);
      int sent = 0;
      for (int i = 0; i < 50; i++) {
        frame[0] = (byte) 0xf8; // 20 ms CELT Opus
        frame[1] = (byte) i; // which frame this is
        if (a.sendAudio(frame, 0, frame.length)) {
          sent++;
        }
        a.loop();
        long before = System.nanoTime();
        b.loop();
        loopWindows.add(new long[] {before, System.nanoTime()});
        never.await(2, TimeUnit.MILLISECONDS);
      }
      for (int i = 0; i < 20 && packets.size() < sent; i++) {
        long before = System.nanoTime();
        b.loop();
        loopWindows.add(new long[] {before, System.nanoTime()});
        never.await(5, TimeUnit.MILLISECONDS);
      }

      assertEquals(50, sent);
      assertEquals(sent, packets.size(), "every frame sent arrived once, on loopback");
      assertEquals(frames, packets.stream().map(Packet::rtpTimestamp).toList(), "as onAudioTrack");
      for (int i = 1; i < packets.size(); i++) {
        Packet prev = packets.get(i - 1);
        Packet p = packets.get(i);
        assertEquals((prev.sequence() + 1) & 0xffff, p.sequence(), "consecutive at " + i);
        assertEquals((prev.rtpTimestamp() + 960) & 0xffff_ffffL, p.rtpTimestamp(), "20 ms apart");
        assertTrue(p.arrivalNanos() >= prev.arrivalNanos(), "arrivals in order at " + i);
        assertTrue(p.sequence() >= 0 && p.sequence() <= 0xffff);
      }
      for (Packet p : packets) {
        assertEquals(0xf8, p.firstByte(), "the payload is the Opus frame, from its TOC byte");
        assertEquals(packets.indexOf(p), p.index(), "in the order sent");
        boolean inALoop =
            loopWindows.stream()
                .anyMatch(w -> p.arrivalNanos() >= w[0] && p.arrivalNanos() <= w[1]);
        assertTrue(inALoop, "arrival " + p.arrivalNanos() + " is the time its loop() read it");
      }
      assertTrue(clock.reads.get() > 0, "arrivals come from the configured clock");
    }
  }

  @Test
  void theConfigurationHoldsTheListener() {
    AudioPacketListener fromConfig = (p, ts, seq, at) -> {};
    PeerConfiguration c = config(NanoClock.SYSTEM).onAudioPacket(fromConfig).build();
    assertEquals(fromConfig, c.onAudioPacket());
    assertEquals(null, config(NanoClock.SYSTEM).build().onAudioPacket());
  }
}
