package io.github.jpeer;

import io.github.jpeer.testkit.ImpairingRelay.Impairment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Issue #13's matrix, measured from outside with the public API on real sockets: two connections on
 * one {@link PeerLoop} joined by an {@link io.github.jpeer.testkit.ImpairingRelay}; per condition
 * 10 connects, then on the last connection 20 s of Opus frames one way and 1000 checksummed
 * messages of 1-64 KiB over a reliable ordered data channel. Prints a Markdown table (the
 * README's). Minutes of wall time, so only with {@code -Djpeer.measure=true}:
 *
 * <pre>
 * mvn -B -q -pl peer-api -am -Djpeer.measure=true -Dtest=LossMatrixTest \
 *     -Dsurefire.failIfNoSpecifiedTests=false test
 * </pre>
 *
 * <p>The output is in {@code
 * peer-api/target/surefire-reports/io.github.jpeer.LossMatrixTest-output.txt}.
 */
@EnabledIfSystemProperty(named = "jpeer.measure", matches = "true")
class LossMatrixTest {
  private static final int TRIALS = 10;
  private static final int AUDIO_FRAMES = 1000; // 20 s
  private static final int MESSAGES = 1000;

  @Test
  @Timeout(value = 1800, unit = TimeUnit.SECONDS)
  void measureTheIssuesMatrix() throws Exception {
    Impairment[] conditions = {
      Impairment.NONE,
      ImpairedDataChannelTest.lossy(0),
      ImpairedDataChannelTest.lossy(0.10),
      ImpairedDataChannelTest.lossy(0.20)
    };
    String[] names = {"0% (clean)", "0%, reorder + dup", "10%", "20%"};
    List<String> rows = new ArrayList<>();
    for (int k = 0; k < conditions.length; k++) {
      rows.add(row(names[k], conditions[k], 100L * k));
      System.out.println(rows.get(k));
    }
    System.out.println();
    System.out.println("| loss | connect (10 trials) | audio delivered | data channel |");
    System.out.println("|---|---|---|---|");
    rows.forEach(System.out::println);
  }

  private static String row(String name, Impairment impairment, long seed) throws Exception {
    List<Long> connectMillis = new ArrayList<>();
    int failed = 0;
    String audio = "";
    String data = "";
    for (int trial = 0; trial < TRIALS; trial++) {
      try (PeerLoop loop = PeerLoop.start("loss-matrix");
          RelayedPair pair =
              new RelayedPair(
                  loop,
                  seed + trial,
                  c -> c.audioCodec(MediaCodec.OPUS).dataChannel(DataChannelType.BINARY))) {
        DataChannel ch =
            pair.onLoop(() -> pair.offerer.pc.createDataChannel("bulk", DataChannelInit.RELIABLE));
        pair.relay.impairBoth(impairment);
        long start = System.nanoTime();
        try {
          pair.connect();
        } catch (AssertionError e) {
          failed++;
          continue;
        }
        connectMillis.add((System.nanoTime() - start) / 1_000_000L);
        if (trial == TRIALS - 1) {
          audio = audio(pair);
          data = data(pair, ch, name);
        }
      }
    }
    Collections.sort(connectMillis);
    String connect =
        connectMillis.isEmpty()
            ? "all failed"
            : "median "
                + connectMillis.get(connectMillis.size() / 2)
                + " ms, worst "
                + connectMillis.get(connectMillis.size() - 1)
                + " ms"
                + (failed > 0 ? ", " + failed + " of " + TRIALS + " failed" : "");
    return "| " + name + " | " + connect + " | " + audio + " | " + data + " |";
  }

  /** 20 s of frames one way, paced at 20 ms; the share delivered (each once, in order). */
  private static String audio(RelayedPair pair) {
    boolean[] got = new boolean[AUDIO_FRAMES];
    int[] delivered = new int[1];
    int[] previous = {-1};
    int[] outOfOrder = new int[1];
    long start = System.nanoTime();
    for (int i = 0; i < AUDIO_FRAMES; i++) {
      long due = start + i * 20_000_000L;
      pair.await(() -> System.nanoTime() - due >= 0, 5_000, "frame time");
      byte[] f = new byte[80];
      Arrays.fill(f, (byte) 0x55);
      f[0] = (byte) 0xf8;
      f[1] = (byte) (i >>> 8);
      f[2] = (byte) i;
      pair.offerer.pc.sendAudio(f);
      drainAudio(pair, got, delivered, previous, outOfOrder);
    }
    // The last frames: in flight, held by the relay or waiting in the reorder stage.
    long end = System.nanoTime() + 300_000_000L;
    pair.await(() -> System.nanoTime() - end >= 0, 5_000, "the last frames");
    drainAudio(pair, got, delivered, previous, outOfOrder);
    return String.format(
        "%.1f%%%s",
        100.0 * delivered[0] / AUDIO_FRAMES,
        outOfOrder[0] > 0 ? " (" + outOfOrder[0] + " out of order)" : "");
  }

  private static void drainAudio(
      RelayedPair pair, boolean[] got, int[] delivered, int[] previous, int[] outOfOrder) {
    for (byte[] r; (r = pair.answerer.audio.poll()) != null; ) {
      int index = ((r[1] & 0xff) << 8) | (r[2] & 0xff);
      if (index < AUDIO_FRAMES && !got[index]) {
        got[index] = true;
        delivered[0]++;
      }
      if (index <= previous[0]) {
        outOfOrder[0]++;
      }
      previous[0] = index;
    }
  }

  private static String data(RelayedPair pair, DataChannel ch, String name) {
    pair.await(() -> ch.isOpen(), 20_000, "the data channel open");
    long start = System.nanoTime();
    try {
      double rate = ImpairedDataChannelTest.bulk(pair, ch, MESSAGES, 65_536, 300_000, name);
      return String.format(
          "%d/%d in %.1f s (%.2f MB/s)",
          MESSAGES, MESSAGES, (System.nanoTime() - start) / 1e9, rate);
    } catch (AssertionError e) {
      return "incomplete after 300 s: " + e.getMessage();
    }
  }
}
