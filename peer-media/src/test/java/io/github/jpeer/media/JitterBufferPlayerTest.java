package io.github.jpeer.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The playout side of a jitter buffer: pushes from one thread, blocks out on another. */
class JitterBufferPlayerTest {
  private static final OpusConfig OPUS =
      OpusConfig.builder()
          .sampleRate(48_000)
          .channels(1)
          .frameDurationMillis(20)
          .bitrateBps(32_000)
          .build();

  private static byte[][] encode(int frames) {
    OpusEncoder encoder = new OpusEncoder(OPUS);
    short[] speech = SpeechLikeSignal.generate(48_000, frames * 960, 3);
    byte[][] packets = new byte[frames][];
    byte[] out = new byte[1275];
    for (int i = 0; i < frames; i++) {
      int n = encoder.encode(speech, i * 960, out, 0, out.length);
      packets[i] = Arrays.copyOf(out, n);
    }
    return packets;
  }

  @Test
  void pushTakesAReadOnlyViewWithoutMovingIt() {
    long[] now = {0};
    JitterBufferPlayer player =
        JitterBufferPlayer.toSink(new JitterBuffer(), (pcm, off, n) -> {}, () -> now[0]);
    byte[][] packets = encode(20);
    for (int i = 0; i < 20; i++) {
      ByteBuffer b = ByteBuffer.allocate(packets[i].length + 5).position(5);
      b.put(packets[i]).position(5);
      ByteBuffer view = b.asReadOnlyBuffer();
      assertTrue(player.push(view, i * 960L, i, now[0]));
      assertEquals(5, view.position());
      assertTrue(player.playOnce());
      now[0] += 20_000_000L;
    }
    assertEquals(20, player.stats().packetsReceived());
    assertTrue(player.blocksPlayed(JitterBuffer.Source.PACKET) >= 15, player.stats().toString());
    assertFalse(player.push(ByteBuffer.allocate(2000), 20 * 960L, 20, now[0]), "too large");
    assertEquals(1, player.stats().packetsDiscarded());
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void aPacedPlayerPullsOneBlockPerPeriodOnItsThread() throws Exception {
    CountDownLatch tenBlocks = new CountDownLatch(10);
    AtomicInteger samples = new AtomicInteger();
    JitterBufferPlayer player =
        JitterBufferPlayer.toSink(
            new JitterBuffer(),
            (pcm, off, n) -> {
              samples.addAndGet(n);
              tenBlocks.countDown();
            },
            System::nanoTime);
    long start = System.nanoTime();
    CompletableFuture<Void> playout = CompletableFuture.runAsync(player);
    assertTrue(tenBlocks.await(5, TimeUnit.SECONDS));
    long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
    // The first block is due at once, the tenth 180 ms later: paced, not a burst.
    assertTrue(elapsedMillis >= 170, "10 blocks in " + elapsedMillis + " ms");
    player.close();
    playout.get(2, TimeUnit.SECONDS); // close ended run()
    assertTrue(samples.get() >= 10 * 960);
    assertNull(player.failure());
    assertThrows(IllegalStateException.class, player::run, "a player runs once");
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void aFailingSinkEndsPlayoutAndIsReported() throws Exception {
    IOException broken = new IOException("disk full");
    AtomicReference<Throwable> reported = new AtomicReference<>();
    JitterBufferPlayer player =
        JitterBufferPlayer.toBlockingSink(
                new JitterBuffer(),
                (pcm, off, n) -> {
                  throw broken;
                },
                System::nanoTime)
            .onError(reported::set);
    CompletableFuture.runAsync(player).get(2, TimeUnit.SECONDS); // run() returns: playout over
    assertSame(broken, player.failure());
    assertSame(broken, reported.get());
    assertFalse(player.playOnce(), "a failed player plays no more");
    player.close();
  }

  @Test
  void flushDropsWhatIsQueued() {
    long[] now = {0};
    JitterBufferPlayer player =
        JitterBufferPlayer.toSink(new JitterBuffer(), (pcm, off, n) -> {}, () -> now[0]);
    byte[][] packets = encode(10);
    for (int i = 0; i < 10; i++) {
      player.push(ByteBuffer.wrap(packets[i]), i * 960L, i, 0);
    }
    player.playOnce();
    player.playOnce();
    player.flush();
    assertEquals(1, player.flushes());
    assertEquals(0.0, player.stats().currentDelayMillis());
    long packetBlocks = player.blocksPlayed(JitterBuffer.Source.PACKET);
    player.playOnce();
    assertEquals(packetBlocks, player.blocksPlayed(JitterBuffer.Source.PACKET));
  }
}
