package io.github.jpeer.examples.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jpeer.MediaCodec;
import io.github.jpeer.NanoClock;
import io.github.jpeer.PeerConfiguration;
import io.github.jpeer.PeerConnection;
import io.github.jpeer.PeerConnectionState;
import io.github.jpeer.SdpType;
import io.github.jpeer.media.JitterBuffer;
import io.github.jpeer.media.JitterBufferPlayer;
import io.github.jpeer.media.LevelMeter;
import io.github.jpeer.media.OpusConfig;
import io.github.jpeer.media.OpusEncoder;
import io.github.jpeer.media.SpeechLikeSignal;
import java.net.InetAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The application's ready path over a real call on 127.0.0.1: {@code onAudioPacket(player::push)}
 * puts every received Opus packet into a {@link JitterBuffer} on the loop thread, and the playout
 * side pulls 20 ms blocks decoded from them, on the connection's own clock.
 */
class JitterBufferCallTest {
  private static final OpusConfig OPUS =
      OpusConfig.builder()
          .sampleRate(48_000)
          .channels(1)
          .frameDurationMillis(20)
          .bitrateBps(32_000)
          .build();

  private static PeerConfiguration.Builder config() {
    return PeerConfiguration.builder()
        .audioCodec(MediaCodec.OPUS)
        .bindAddress(InetAddress.getLoopbackAddress())
        .includeLoopback(true)
        .clock(NanoClock.SYSTEM);
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void receivedPacketsPlayOutOfTheJitterBufferAsDecodedBlocks() throws Exception {
    short[] heard = new short[48_000 * 3];
    int[] heardSamples = {0};
    JitterBufferPlayer player =
        JitterBufferPlayer.toSink(
            new JitterBuffer(),
            (pcm, off, n) -> {
              int room = Math.min(n, heard.length - heardSamples[0]);
              System.arraycopy(pcm, off, heard, heardSamples[0], room);
              heardSamples[0] += room;
            },
            NanoClock.SYSTEM::nanoTime);
    try (PeerConnection a = PeerConnection.create(config().build());
        PeerConnection b = PeerConnection.create(config().onAudioPacket(player::push).build())) {
      b.setRemoteDescription(a.createOffer(), SdpType.OFFER);
      a.setRemoteDescription(b.createAnswer(), SdpType.ANSWER);
      CountDownLatch never = new CountDownLatch(1);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while ((a.getState() != PeerConnectionState.COMPLETED
              || b.getState() != PeerConnectionState.COMPLETED)
          && System.nanoTime() < deadline) {
        a.loop();
        b.loop();
        never.await(1, TimeUnit.MILLISECONDS);
      }
      assertEquals(PeerConnectionState.COMPLETED, b.getState());

      // One second of speech, a frame every 20 ms; the playout pulls a block every 20 ms too.
      OpusEncoder encoder = new OpusEncoder(OPUS);
      short[] speech = SpeechLikeSignal.generate(48_000, 48_000, 11);
      byte[] out = new byte[1275];
      long start = System.nanoTime();
      for (int i = 0; i < 60; i++) {
        if (i < 50) {
          int n = encoder.encode(speech, i * 960, out, 0, out.length);
          assertTrue(a.sendAudio(out, 0, n));
        }
        a.loop();
        b.loop();
        player.playOnce();
        long wait = start + (i + 1) * 20_000_000L - System.nanoTime();
        if (wait > 0) {
          never.await(wait, TimeUnit.NANOSECONDS);
        }
      }
    }
    JitterBuffer.Stats s = player.stats();
    assertEquals(50, s.packetsReceived(), s.toString());
    assertEquals(0, s.packetsLate() + s.packetsDuplicate() + s.packetsDiscarded(), s.toString());
    long decoded = player.blocksPlayed(JitterBuffer.Source.PACKET);
    assertTrue(decoded >= 40, "blocks decoded from packets: " + decoded + ", " + s);
    assertTrue(s.jitterMillis() < 200, "the arrival times are real: " + s);
    double dbfs = LevelMeter.rmsDbfs(heard, 0, heardSamples[0]);
    assertTrue(dbfs > -45, "what played is the speech sent: " + dbfs + " dBFS");
  }
}
