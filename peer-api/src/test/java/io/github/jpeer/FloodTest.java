package io.github.jpeer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue #13's flood: one call on a {@link PeerLoop} is flooded, as fast as one sender thread can,
 * with DTLS records of epoch 1 carrying garbage from an address its ICE agent pairs with (an
 * on-path spoofer's view), while a second call on the same loop carries audio. The second call must
 * keep at least 49 of every 50 frames a second, each on time, and the flooded call must carry audio
 * again within a second after the flood.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FloodTest {
  private static final int FRAME_MILLIS = 20;
  private static final long WARMUP_MILLIS = 1_000;
  private static final long FLOOD_MILLIS = 3_000;
  private static final long AFTER_MILLIS = 2_000;
  private static final int FRAMES =
      (int) ((WARMUP_MILLIS + FLOOD_MILLIS + AFTER_MILLIS) / FRAME_MILLIS);

  /** A frame later than this is useless to a voice call: counted as lost. */
  private static final long ON_TIME_NANOS = 100_000_000L;

  private PeerLoop loop;
  private DatagramChannel attacker;

  @AfterEach
  void stop() throws Exception {
    if (loop != null) {
      loop.close();
    }
    if (attacker != null) {
      attacker.close();
    }
  }

  /** An Opus-looking frame (TOC 0xf8) carrying its index in bytes 1 and 2. */
  private static byte[] frame(int index) {
    byte[] f = new byte[80];
    Arrays.fill(f, (byte) index);
    f[0] = (byte) 0xf8;
    f[1] = (byte) (index >>> 8);
    f[2] = (byte) index;
    return f;
  }

  private static int index(byte[] frame) {
    return ((frame[1] & 0xff) << 8) | (frame[2] & 0xff);
  }

  @Test
  void aFloodedCallDoesNotStarveAnotherOnTheSameLoopAndRecoversWithinASecond() throws Exception {
    loop = PeerLoop.start("flood-test");
    TestPeer a1 = TestPeer.loopback("flooded-sender", c -> c);
    TestPeer a2 = TestPeer.loopback("flooded", c -> c);
    TestPeer b1 = TestPeer.loopback("bystander-sender", c -> c);
    TestPeer b2 = TestPeer.loopback("bystander", c -> c);
    TestPeer.addBoth(loop, a1, a2);
    TestPeer.addBoth(loop, b1, b2);
    TestPeer.connect(loop, a1, a2, false);
    TestPeer.connect(loop, b1, b2, false);

    attacker = DatagramChannel.open();
    attacker.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    InetSocketAddress from = (InetSocketAddress) attacker.getLocalAddress();
    InetSocketAddress target = a2.pc.localAddresses().get(0);
    loop.submit(
            () ->
                a2.pc.addIceCandidate(
                    "candidate:9 1 udp 2130706431 127.0.0.1 " + from.getPort() + " typ host"))
        .get(5, TimeUnit.SECONDS);
    ByteBuffer[] forgeries = forgeries(new SplittableRandom(13));

    AtomicLongArray sentAt = new AtomicLongArray(FRAMES);
    long[] arrivedA = new long[FRAMES];
    long[] arrivedB = new long[FRAMES];
    AtomicInteger next = new AtomicInteger();
    ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor();
    Thread flooder = null;
    long t0 = System.nanoTime();
    long floodStart = t0 + WARMUP_MILLIS * 1_000_000L;
    long floodEnd = floodStart + FLOOD_MILLIS * 1_000_000L;
    long[] flooded = new long[1];
    try {
      sender.scheduleAtFixedRate(
          () -> {
            int i = next.getAndIncrement();
            if (i < FRAMES) {
              sentAt.set(i, System.nanoTime());
              a1.pc.sendAudio(frame(i));
              b1.pc.sendAudio(frame(i));
            }
          },
          0,
          FRAME_MILLIS,
          TimeUnit.MILLISECONDS);
      flooder =
          new Thread(
              () -> {
                while (System.nanoTime() - floodStart < 0) {
                  Thread.onSpinWait();
                }
                long n = 0;
                try {
                  while (System.nanoTime() - floodEnd < 0 && n < 50_000_000L) {
                    ByteBuffer b = forgeries[(int) (n & 63)];
                    b.rewind();
                    attacker.send(b, target);
                    n++;
                  }
                } catch (java.io.IOException e) {
                  // the channel was closed: the test is over
                }
                flooded[0] = n;
              },
              "flooder");
      flooder.start();
      long end = floodEnd + AFTER_MILLIS * 1_000_000L + ON_TIME_NANOS;
      while (System.nanoTime() - end < 0) {
        drain(a2, arrivedA);
        drain(b2, arrivedB);
        TestPeer.pace(1);
      }
      drain(a2, arrivedA);
      drain(b2, arrivedB);
    } finally {
      sender.shutdownNow();
      assertTrue(sender.awaitTermination(5, TimeUnit.SECONDS));
      if (flooder != null) {
        flooder.join(5_000);
      }
    }

    PeerStats stats = a2.stats(loop);
    long forged = stats.dropped().getOrDefault("dtls-forged-record", 0L);
    double seconds = FLOOD_MILLIS / 1000.0;
    System.out.printf(
        "flood: %d datagrams sent in %.1f s (%.0f/s); the flooded connection read %d of them"
            + " (%.0f/s), all counted as dtls-forged-record%n",
        flooded[0], seconds, flooded[0] / seconds, forged, forged / seconds);
    // The bystander: of the frames sent in each second of the flood, >= 49 of 50 on time.
    for (long s = floodStart; s - floodEnd < 0; s += 1_000_000_000L) {
      int[] c = onTime(sentAt, arrivedB, s, s + 1_000_000_000L);
      System.out.printf("bystander, flood second: %d of %d frames on time%n", c[0], c[1]);
      assertTrue(c[1] >= 45, "the sender thread sent only " + c[1] + " frames in a second");
      assertTrue(c[0] >= c[1] - 1, "bystander lost frames: " + c[0] + " of " + c[1]);
    }
    int[] during = onTime(sentAt, arrivedA, floodStart, floodEnd);
    System.out.printf(
        "flooded call during the flood: %d of %d frames on time%n", during[0], during[1]);
    // Forged records cost the flooded connection a GHASH each, so its socket keeps up and its
    // own audio mostly gets through (with BouncyCastle rejecting them: 53 of 150).
    assertTrue(
        during[0] >= during[1] * 3 / 4,
        "flooded call during the flood: " + during[0] + " of " + during[1] + " on time");
    // The flooded call: every frame sent from one second after the flood on arrives on time.
    long recovered = floodEnd + 1_000_000_000L;
    int[] after = onTime(sentAt, arrivedA, recovered, recovered + 1_000_000_000L - ON_TIME_NANOS);
    assertEquals(
        after[1], after[0], "flooded call, the second after recovery: " + Arrays.toString(after));
    System.out.printf(
        "flooded call recovered %d ms after the flood%n",
        (recoveryNanos(sentAt, arrivedA, floodEnd) - floodEnd) / 1_000_000L);
    assertEquals(PeerConnectionState.COMPLETED, a2.pc.getState(), stats.toString());
    assertEquals(PeerConnectionState.COMPLETED, b2.pc.getState());
    assertTrue(forged > 1000, "the flood reached the DTLS endpoint: " + stats.dropped());
  }

  private static void drain(TestPeer to, long[] arrived) {
    for (byte[] f; (f = to.audio.poll()) != null; ) {
      int i = index(f);
      if (i < arrived.length && arrived[i] == 0) {
        arrived[i] = System.nanoTime();
      }
    }
  }

  /** {on time, sent} for the frames sent in [from, to). */
  private static int[] onTime(AtomicLongArray sentAt, long[] arrived, long from, long to) {
    int sent = 0;
    int onTime = 0;
    for (int i = 0; i < arrived.length; i++) {
      long s = sentAt.get(i);
      if (s != 0 && s - from >= 0 && s - to < 0) {
        sent++;
        if (arrived[i] != 0 && arrived[i] - s <= ON_TIME_NANOS) {
          onTime++;
        }
      }
    }
    return new int[] {onTime, sent};
  }

  /** When frames began to arrive on time again: the send time after which none was lost. */
  private static long recoveryNanos(AtomicLongArray sentAt, long[] arrived, long floodEnd) {
    long recovered = floodEnd;
    for (int i = 0; i < arrived.length; i++) {
      long s = sentAt.get(i);
      if (s != 0 && s - floodEnd >= 0 && (arrived[i] == 0 || arrived[i] - s > ON_TIME_NANOS)) {
        recovered = s;
      }
    }
    return recovered;
  }

  /** 64 DTLS 1.2 application_data records of epoch 1 with random sequence numbers and bodies. */
  private static ByteBuffer[] forgeries(SplittableRandom random) {
    ByteBuffer[] out = new ByteBuffer[64];
    for (int i = 0; i < out.length; i++) {
      int length = random.nextInt(40, 200);
      byte[] d = new byte[13 + length];
      random.nextBytes(d);
      ByteBuffer.wrap(d).put((byte) 23).putShort((short) 0xfefd).putShort((short) 1);
      ByteBuffer.wrap(d, 11, 2).putShort((short) length);
      out[i] = ByteBuffer.wrap(d);
    }
    return out;
  }
}
