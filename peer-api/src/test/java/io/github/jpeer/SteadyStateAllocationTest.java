package io.github.jpeer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jpeer.testkit.AllocationMeter;
import java.net.InetAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The whole per-packet path of a connected call allocates nothing in the steady state: sendAudio,
 * Opus packetization, SRTP protect, ICE wrapping and the socket write on one side; the socket read,
 * RFC 7983 demultiplexing, the ICE agent, SRTP unprotect, RTP parsing and delivery to onAudioTrack
 * and onAudioPacket (with its sequence number and arrival time) on the other. Both connections run
 * on this thread, over real UDP on 127.0.0.1.
 */
class SteadyStateAllocationTest {
  private long framesIn;
  private long packetsIn;
  private long packetCheck;

  private PeerConnection peer() {
    return PeerConnection.create(
        PeerConfiguration.builder()
            .audioCodec(MediaCodec.OPUS)
            .bindAddress(InetAddress.getLoopbackAddress())
            .includeLoopback(true)
            .onAudioTrack((frame, ts) -> framesIn++)
            .onAudioPacket(
                (payload, ts, sequence, arrivalNanos) -> {
                  packetsIn++;
                  packetCheck += payload.get(payload.position()) + sequence + arrivalNanos;
                })
            .build());
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void sendingAndReceivingAudioAllocatesNothing() throws Exception {
    try (PeerConnection a = peer();
        PeerConnection b = peer()) {
      AtomicReference<String> answer = new AtomicReference<>();
      String offer = a.createOffer();
      b.setRemoteDescription(offer, SdpType.OFFER);
      answer.set(b.createAnswer());
      a.setRemoteDescription(answer.get(), SdpType.ANSWER);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      java.util.concurrent.CountDownLatch never = new java.util.concurrent.CountDownLatch(1);
      while ((a.getState() != PeerConnectionState.COMPLETED
              || b.getState() != PeerConnectionState.COMPLETED)
          && System.nanoTime() < deadline) {
        a.loop();
        b.loop();
        never.await(1, TimeUnit.MILLISECONDS); // a bounded wait for the DTLS thread
      }
      assertEquals(PeerConnectionState.COMPLETED, a.getState());
      assertEquals(PeerConnectionState.COMPLETED, b.getState());
      byte[] frame = new byte[80];
      frame[0] = (byte) 0xf8; // 20 ms CELT Opus
      AllocationMeter.assertAllocatesNothing(
          "sendAudio + loop() on both ends of a connected call",
          500,
          n -> {
            for (int i = 0; i < n; i++) {
              a.sendAudio(frame, 0, frame.length);
              a.loop();
              b.loop();
            }
            return framesIn;
          });
      assertTrue(framesIn > 10_000, "audio flowed: " + framesIn);
      assertEquals(framesIn, packetsIn, "every frame reached onAudioPacket too");
    }
  }
}
