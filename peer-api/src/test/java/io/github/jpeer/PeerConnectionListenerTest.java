package io.github.jpeer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The callback surface of a real connection: one {@link PeerConnection.Listener} sees every kind of
 * event beside the single-purpose setters, {@code onLocalDescription} and libpeer's {@code
 * onIceCandidate} alias deliver the complete description, and media callbacks set on a connection
 * replace the shared configuration's.
 */
class PeerConnectionListenerTest {
  private static PeerConfiguration config(AtomicInteger configFrames) {
    return PeerConfiguration.builder()
        .audioCodec(MediaCodec.OPUS)
        .dataChannel(DataChannelType.STRING)
        .bindAddress(InetAddress.getLoopbackAddress())
        .includeLoopback(true)
        .onAudioTrack((frame, ts) -> configFrames.incrementAndGet())
        .build();
  }

  private static void loopUntil(BooleanSupplier done, PeerConnection... pcs) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    CountDownLatch never = new CountDownLatch(1);
    while (!done.getAsBoolean() && System.nanoTime() < deadline) {
      for (PeerConnection pc : pcs) {
        pc.loop();
      }
      never.await(1, TimeUnit.MILLISECONDS); // a bounded wait for the DTLS thread
    }
    assertTrue(done.getAsBoolean(), "timed out");
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void oneListenerSeesEveryEventAndPerConnectionMediaCallbacksWin() throws Exception {
    AtomicInteger configFrames = new AtomicInteger();
    PeerConfiguration shared = config(configFrames); // one configuration, two calls
    try (PeerConnection a = PeerConnection.create(shared);
        PeerConnection b = PeerConnection.create(shared)) {
      List<String> seen = new CopyOnWriteArrayList<>();
      AtomicInteger listenerFrames = new AtomicInteger();
      AtomicInteger connectionFrames = new AtomicInteger();
      b.onAudioTrack((frame, ts) -> connectionFrames.incrementAndGet());
      b.listener(
          new PeerConnection.Listener() {
            @Override
            public void onLocalDescription(String sdp) {
              seen.add("description");
            }

            @Override
            public void onLocalCandidate(String candidate) {
              seen.add("candidate");
            }

            @Override
            public void onStateChange(PeerConnectionState state) {
              seen.add(state.name());
            }

            @Override
            public void onAudioFrame(ByteBuffer frame, long rtpTimestamp) {
              assertEquals(0xf8, frame.get(frame.position()) & 0xff, "the whole frame, from 0");
              listenerFrames.incrementAndGet();
            }

            @Override
            public void onOpen(DataChannel channel) {
              seen.add("open " + channel.label());
            }

            @Override
            public void onMessage(DataChannel channel, ByteBuffer message, boolean binary) {
              seen.add("message " + StandardCharsets.UTF_8.decode(message));
            }
          });
      AtomicReference<String> described = new AtomicReference<>();
      AtomicReference<String> alias = new AtomicReference<>();
      a.onLocalDescription(described::set);
      DataChannel events = a.createDataChannel("oai-events");
      a.createOffer();
      loopUntil(() -> described.get() != null, a);
      assertTrue(described.get().contains("a=end-of-candidates"), described.get());
      b.setRemoteDescription(described.get(), SdpType.OFFER);
      b.onIceCandidate(alias::set); // libpeer's name, the same callback
      b.createAnswer();
      loopUntil(() -> alias.get() != null, a, b);
      a.setRemoteDescription(alias.get(), SdpType.ANSWER);
      loopUntil(() -> events.isOpen() && seen.contains("open oai-events"), a, b);
      events.send("hi");
      byte[] frame = new byte[60];
      frame[0] = (byte) 0xf8; // 20 ms CELT Opus
      for (int i = 0; i < 5; i++) {
        assertTrue(a.sendAudio(frame));
      }
      loopUntil(() -> listenerFrames.get() == 5 && seen.contains("message hi"), a, b);

      assertEquals(5, connectionFrames.get(), "the connection's own onAudioTrack");
      assertEquals(0, configFrames.get(), "replaced on b, and a receives nothing");
      assertTrue(seen.contains("description"), seen.toString());
      assertTrue(seen.contains("candidate"), seen.toString());
      assertTrue(
          seen.indexOf("CHECKING") < seen.indexOf("COMPLETED") && seen.contains("CONNECTED"),
          seen.toString());
    }
  }
}
