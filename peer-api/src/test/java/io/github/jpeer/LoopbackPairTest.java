package io.github.jpeer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Two jpeer connections in one JVM over real UDP on 127.0.0.1, driven by one PeerLoop. */
class LoopbackPairTest {
  /** One side of the call and what it saw. */
  static final class Side {
    final PeerConnection pc;
    final List<PeerConnectionState> states = new CopyOnWriteArrayList<>();
    final CompletableFuture<Void> completed = new CompletableFuture<>();
    final AtomicLong audioFrames = new AtomicLong();
    final AtomicLong audioBytes = new AtomicLong();
    final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    final CompletableFuture<DataChannel> channelOpen = new CompletableFuture<>();

    Side(MediaCodec audio) {
      PeerConfiguration config =
          PeerConfiguration.builder()
              .audioCodec(audio)
              .dataChannel(DataChannelType.STRING)
              .bindAddress(InetAddress.getLoopbackAddress())
              .includeLoopback(true)
              .onAudioTrack(
                  (frame, ts) -> {
                    audioFrames.incrementAndGet();
                    audioBytes.addAndGet(frame.remaining());
                  })
              .build();
      pc = PeerConnection.create(config);
      pc.onIceConnectionStateChange(
          s -> {
            states.add(s);
            if (s == PeerConnectionState.COMPLETED) {
              completed.complete(null);
            }
          });
      pc.onDataChannel(
          new DataChannelListener() {
            @Override
            public void onOpen(DataChannel channel) {
              channelOpen.complete(channel);
            }

            @Override
            public void onMessage(DataChannel channel, ByteBuffer message, boolean binary) {
              byte[] b = new byte[message.remaining()];
              message.get(b);
              messages.add(new String(b, StandardCharsets.UTF_8));
            }
          });
    }
  }

  /** A 20 ms fullband CELT Opus frame as libopus lays it out: TOC 0xf8, then payload bytes. */
  static byte[] opusFrame(int i) {
    byte[] f = new byte[80];
    f[0] = (byte) 0xf8;
    for (int k = 1; k < f.length; k++) {
      f[k] = (byte) (i * 31 + k);
    }
    return f;
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void audioAndDataFlowBothWays() throws Exception {
    Side a = new Side(MediaCodec.OPUS);
    Side b = new Side(MediaCodec.OPUS);
    try (PeerLoop loop = PeerLoop.start("loopback-test")) {
      DataChannel events = a.pc.createDataChannel("oai-events");
      String offer = a.pc.createOffer();
      b.pc.setRemoteDescription(offer, SdpType.OFFER);
      String answer = b.pc.createAnswer();
      a.pc.setRemoteDescription(answer, SdpType.ANSWER);
      loop.add(a.pc).get(5, TimeUnit.SECONDS);
      loop.add(b.pc).get(5, TimeUnit.SECONDS);

      a.completed.get(20, TimeUnit.SECONDS);
      b.completed.get(20, TimeUnit.SECONDS);
      assertEquals(
          List.of(
              PeerConnectionState.CHECKING,
              PeerConnectionState.CONNECTED,
              PeerConnectionState.COMPLETED),
          a.states);

      // Paced like a voice app's 20 ms frames (a bounded wait, not a sleep in virtual time:
      // this test runs over real sockets).
      java.util.concurrent.CountDownLatch never = new java.util.concurrent.CountDownLatch(1);
      for (int i = 0; i < 50; i++) {
        assertTrue(a.pc.sendAudio(opusFrame(i)));
        assertTrue(b.pc.sendAudio(opusFrame(i)));
        never.await(20, TimeUnit.MILLISECONDS);
      }
      DataChannel atB = b.channelOpen.get(10, TimeUnit.SECONDS);
      assertEquals("oai-events", atB.label());
      a.channelOpen.get(10, TimeUnit.SECONDS);
      events.send("{\"type\":\"session.update\"}");
      assertEquals("{\"type\":\"session.update\"}", b.messages.poll(10, TimeUnit.SECONDS));
      atB.send("{\"type\":\"session.updated\"}");
      assertEquals("{\"type\":\"session.updated\"}", a.messages.poll(10, TimeUnit.SECONDS));

      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while ((a.audioFrames.get() < 50 || b.audioFrames.get() < 50)
          && System.nanoTime() < deadline) {
        a.messages.poll(20, TimeUnit.MILLISECONDS); // a bounded wait
      }
      assertEquals(50, a.audioFrames.get());
      assertEquals(50, b.audioFrames.get());
      assertEquals(50 * 80, b.audioBytes.get());

      PeerStats sa = loop.submit(a.pc::getStats).get(5, TimeUnit.SECONDS);
      PeerStats sb = loop.submit(b.pc::getStats).get(5, TimeUnit.SECONDS);
      assertEquals(50, sa.audio().packetsSent());
      assertEquals(sa.audio().packetsSent(), sb.audio().packetsReceived());
      assertEquals(sb.audio().packetsSent(), sa.audio().packetsReceived());
      assertEquals(0, sb.audio().packetsLost());
      assertTrue(sa.srtpProfile() != null, sa.toString());
      assertTrue(sa.selectedCandidatePair().contains("127.0.0.1"), sa.selectedCandidatePair());
      assertEquals(java.util.Map.of(), sb.dropped(), "nothing dropped on a clean path");

      loop.submit(a.pc::close).get(5, TimeUnit.SECONDS);
      assertEquals(PeerConnectionState.CLOSED, a.pc.getState());
    }
  }
}
