package io.github.jpeer.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The jitter buffer's rules, one at a time, with real Opus packets (speech-like signal, in-band FEC
 * on) and a playout clock stepped by hand: 20 ms per pull.
 */
class JitterBufferTest {
  private static final long MS = 1_000_000L;
  private static final int FRAME = 960; // 20 ms at 48 kHz, samples and RTP ticks

  /** 3 s of speech-like signal as 20 ms Opus packets with FEC. */
  private static final List<byte[]> PACKETS = encode(150);

  private static List<byte[]> encode(int frames) {
    OpusConfig config = OpusConfig.builder().inbandFec(true).packetLossPercent(20).build();
    OpusEncoder encoder = new OpusEncoder(config);
    short[] pcm = SpeechLikeSignal.generate(48_000, frames * FRAME, 11);
    List<byte[]> out = new ArrayList<>();
    byte[] buf = new byte[1500];
    for (int i = 0; i < frames; i++) {
      int n = encoder.encode(pcm, i * FRAME, buf, 0, buf.length);
      out.add(java.util.Arrays.copyOf(buf, n));
    }
    return out;
  }

  private final JitterBuffer jb = new JitterBuffer();
  private final short[] block = new short[FRAME];
  private long now = 1_000 * MS;

  private boolean push(int i, long arrival) {
    byte[] p = PACKETS.get(i);
    return jb.push(1000L + (long) i * FRAME, 100 + i, arrival, p, 0, p.length);
  }

  private JitterBuffer.Source pull() {
    JitterBuffer.Source s = jb.pull(now, block, 0);
    now += 20 * MS;
    return s;
  }

  /** Packets on time: each 20 ms one arrives and one block is pulled. */
  private List<JitterBuffer.Source> steady(int from, int to, java.util.function.IntPredicate drop) {
    List<JitterBuffer.Source> out = new ArrayList<>();
    for (int i = from; i < to; i++) {
      if (!drop.test(i)) {
        push(i, now);
      }
      out.add(pull());
    }
    return out;
  }

  @Test
  void beforeAnyPacketItPlaysSilenceAndNeverBlocks() {
    for (int i = 0; i < 5; i++) {
      assertEquals(JitterBuffer.Source.SILENCE, pull());
    }
    assertEquals(5L * FRAME, jb.stats().silentSamples());
    assertEquals(0, java.util.Arrays.stream(toInts(block)).filter(v -> v != 0).count());
  }

  @Test
  void packetsOnTimePlayAfterTheMinimumDelayAndAllFromPackets() {
    List<JitterBuffer.Source> s = steady(0, 100, i -> false);
    // the first target's worth (20 ms) is silence while it fills, then every block is a packet's
    assertEquals(JitterBuffer.Source.SILENCE, s.get(0));
    assertTrue(s.subList(2, 100).stream().allMatch(x -> x == JitterBuffer.Source.PACKET), "" + s);
    JitterBuffer.Stats st = jb.stats();
    assertEquals(100, st.packetsReceived());
    assertEquals(0, st.concealedSamples());
    assertEquals(0, st.samplesFromFec());
    assertEquals(20.0, st.targetDelayMillis(), 0.01, "no jitter: the minimum");
    assertEquals(0.0, st.jitterMillis(), 0.01);
  }

  @Test
  void aSingleLossIsRecoveredFromTheNextPacketsFec() {
    List<JitterBuffer.Source> s = steady(0, 60, i -> i == 30);
    JitterBuffer.Stats st = jb.stats();
    assertEquals(FRAME, st.samplesFromFec(), "the lost packet's 20 ms came from FEC: " + s);
    assertTrue(s.contains(JitterBuffer.Source.FEC));
  }

  @Test
  void twoLossesInARowAreConcealedThenRecovered() {
    steady(0, 60, i -> i == 30 || i == 31);
    JitterBuffer.Stats st = jb.stats();
    // The first of the two is concealed as lost (beside any concealment played while waiting
    // for it, when nothing after it had come yet); the second comes from the packet after it.
    assertEquals(FRAME, st.concealedSamples() - st.insertedSamplesForDeceleration(), st.toString());
    assertEquals(FRAME, st.samplesFromFec(), st.toString());
  }

  @Test
  void reorderedAndDuplicatePacketsArePutInPlace() {
    for (int i = 0; i < 10; i++) {
      push(i, now);
      pull();
    }
    // 11 arrives before 10, and 10 twice
    push(11, now);
    push(10, now);
    assertFalse(push(10, now), "a duplicate is dropped");
    pull();
    pull();
    JitterBuffer.Stats st = jb.stats();
    assertEquals(1, st.packetsDuplicate());
    assertEquals(0, st.concealedSamples());
    assertEquals(0, st.packetsLate());
  }

  /**
   * Packets sent every 20 ms, each up to 60 ms late at random, fed in arrival order between the
   * pulls: once the target has learned the spread, every packet plays; the buffer grew its delay by
   * waiting (concealment in place of late packets) rather than by dropping them.
   */
  @Test
  void underJitterLatePacketsAreWaitedForAndPlay() {
    java.util.SplittableRandom r = new java.util.SplittableRandom(3);
    long start = now;
    long[] arrival = new long[150];
    for (int i = 0; i < arrival.length; i++) {
      arrival[i] = start + i * 20 * MS + r.nextLong(60 * MS);
    }
    Integer[] order = new Integer[arrival.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (x, y) -> Long.compare(arrival[x], arrival[y]));
    int next = 0;
    for (int tick = 0; tick < 160; tick++) {
      long t = start + tick * 20 * MS;
      while (next < order.length && arrival[order[next]] <= t) {
        push(order[next], arrival[order[next]]);
        next++;
      }
      now = t;
      jb.pull(now, block, 0);
    }
    JitterBuffer.Stats st = jb.stats();
    // the first packets teach the spread: a few may come later than the target they met
    assertTrue(st.packetsLate() <= 3, st.toString());
    assertTrue(st.samplesFromPackets() >= 140L * FRAME, st.toString());
    assertTrue(st.insertedSamplesForDeceleration() > 0, "it grew by waiting: " + st);
    assertTrue(st.targetDelayMillis() > 40 && st.targetDelayMillis() <= 60, st.toString());
  }

  @Test
  void aPacketAfterItsTimeWasPlayedIsLate() {
    steady(0, 40, i -> i == 30 || i == 31); // 30 concealed, 31 from FEC: both played
    assertFalse(push(30, now), "its time was played");
    assertEquals(1, jb.stats().packetsLate());
  }

  @Test
  void aTimestampJumpWithoutASequenceGapIsSilenceNotLoss() {
    steady(0, 20, i -> false);
    // DTX: the sender stops for 200 ms; the next packet's timestamp jumps, its sequence does not
    for (int k = 0; k < 10; k++) {
      pull();
    }
    long ts = 1000L + 30L * FRAME;
    byte[] p = PACKETS.get(20);
    assertTrue(jb.push(ts, 100 + 20, now, p, 0, p.length));
    for (int k = 0; k < 5; k++) {
      pull();
    }
    JitterBuffer.Stats st = jb.stats();
    assertEquals(0, st.samplesFromFec());
    assertTrue(st.silentSamples() > FRAME, st.toString());
    assertEquals(21L * FRAME, st.samplesFromPackets(), st.toString());
  }

  @Test
  void aLongGapBecomesSilenceAfterTheConcealmentLimit() {
    steady(0, 20, i -> false);
    for (int k = 0; k < 50; k++) { // one second with nothing
      pull();
    }
    JitterBuffer.Stats st = jb.stats();
    assertTrue(st.concealedSamples() <= 100 * 48, "at most 100 ms concealed: " + st);
    assertTrue(st.silentSamples() >= 40L * FRAME, st.toString());
  }

  @Test
  void jitterRaisesTheTargetWithinItsBounds() {
    java.util.SplittableRandom r = new java.util.SplittableRandom(5);
    for (int i = 0; i < 150; i++) {
      push(i, now + r.nextLong(60 * MS)); // up to 60 ms late
      pull();
    }
    JitterBuffer.Stats st = jb.stats();
    assertTrue(st.jitterMillis() > 40 && st.jitterMillis() <= 60, st.toString());
    assertEquals(st.jitterMillis(), st.targetDelayMillis(), 0.01, "the target is the spread");
    JitterBuffer capped = new JitterBuffer(JitterBuffer.Config.defaults().withDelays(20, 50));
    for (int i = 0; i < 150; i++) {
      byte[] p = PACKETS.get(i);
      capped.push(1000L + (long) i * FRAME, i, now + r.nextLong(200 * MS), p, 0, p.length);
      capped.pull(now, block, 0);
      now += 20 * MS;
    }
    assertEquals(50.0, capped.stats().targetDelayMillis(), 0.01);
  }

  @Test
  void flushDropsEverythingAndLaterPacketsOfTheOldStreamAreLate() {
    for (int i = 0; i < 10; i++) {
      push(i, now);
    }
    pull();
    jb.flush();
    assertEquals(JitterBuffer.Source.SILENCE, pull());
    assertEquals(0.0, jb.stats().currentDelayMillis(), 0.01);
    assertFalse(push(5, now), "sent before the flush: late");
    assertTrue(push(10, now), "the next one starts the next talk spurt");
  }

  @Test
  void afterAFlushNothingIsConcealedUntilTheNextPacket() {
    steady(0, 20, i -> false);
    long concealed = jb.stats().concealedSamples();
    jb.flush();
    // A second of pulls with nothing coming: concealment would extrapolate the old voice (the
    // assistant the user just talked over), so it is silence throughout.
    for (int k = 0; k < 50; k++) {
      assertEquals(JitterBuffer.Source.SILENCE, pull(), "pull " + k);
      assertEquals(0, peak(block), "pull " + k + " is silent");
    }
    assertEquals(concealed, jb.stats().concealedSamples());
    // The next answer: the sequence goes on, the timestamps have moved on with the clock.
    long played = jb.stats().samplesFromPackets();
    for (int k = 0; k < 20; k++) {
      byte[] p = PACKETS.get(20 + k);
      jb.push(1000L + (70L + k) * FRAME, 120 + k, now, p, 0, p.length);
      pull();
    }
    assertTrue(jb.stats().samplesFromPackets() - played >= 15L * FRAME, "it plays: " + jb.stats());
  }

  private static int peak(short[] pcm) {
    int p = 0;
    for (short v : pcm) {
      p = Math.max(p, Math.abs(v));
    }
    return p;
  }

  @Test
  void aPacketFarAheadRestartsTheBuffer() {
    steady(0, 10, i -> false);
    long jumped = 1000L + 10L * FRAME + 48_000 * 5;
    for (int i = 10; i < 13; i++) {
      byte[] p = PACKETS.get(i);
      assertTrue(jb.push(jumped + (long) (i - 10) * FRAME, 100 + i, now, p, 0, p.length));
    }
    assertEquals(1, jb.stats().restarts());
    for (int k = 0; k < 3; k++) {
      pull();
    }
    JitterBuffer.Stats st = jb.stats();
    assertTrue(st.samplesFromPackets() >= 11L * FRAME, "it plays the new stream: " + st);
  }

  @Test
  void timestampsWrapAround() {
    long base = 0xFFFF_FFFFL - 5 * FRAME;
    for (int i = 0; i < 20; i++) {
      byte[] p = PACKETS.get(i);
      jb.push((base + (long) i * FRAME) & 0xFFFF_FFFFL, 65530 + i, now, p, 0, p.length);
      pull();
    }
    JitterBuffer.Stats st = jb.stats();
    assertEquals(0, st.packetsLate());
    assertEquals(0, st.concealedSamples());
    assertEquals(0, st.restarts());
  }

  @Test
  void aByteBufferPayloadIsCopiedWithoutMovingIt() {
    byte[] p = PACKETS.get(0);
    java.nio.ByteBuffer view = java.nio.ByteBuffer.allocate(p.length + 4);
    view.position(2).put(p).position(2).limit(2 + p.length);
    assertTrue(jb.push(view.asReadOnlyBuffer(), 1000L, 100, now));
    assertEquals(2, view.position());
    assertFalse(jb.push(java.nio.ByteBuffer.wrap(p), 1000L, 100, now), "the same: a duplicate");
    assertFalse(jb.push(java.nio.ByteBuffer.allocate(1501), 0, 0, now), "larger than any packet");
    assertEquals(1, jb.stats().packetsReceived());
  }

  @Test
  void badPacketsAreCountedNotThrown() {
    assertFalse(jb.push(0, 0, now, new byte[0], 0, 0));
    assertFalse(jb.push(0, 0, now, new byte[] {(byte) 0x03}, 0, 1), "code 3 without a count");
    assertEquals(2, jb.stats().packetsDiscarded());
    assertThrows(IndexOutOfBoundsException.class, () -> jb.push(0, 0, now, new byte[2], 1, 5));
    assertThrows(IndexOutOfBoundsException.class, () -> jb.pull(now, new short[10], 0));
  }

  @Test
  void opusDurationsFromTheTocByte() {
    assertEquals(960, JitterBuffer.packetTicks(new byte[] {(byte) (31 << 3)}, 0, 1), "CELT 20");
    assertEquals(480, JitterBuffer.packetTicks(new byte[] {(byte) (0 << 3)}, 0, 1), "SILK 10");
    assertEquals(2880, JitterBuffer.packetTicks(new byte[] {(byte) (3 << 3)}, 0, 1), "SILK 60");
    assertEquals(1920, JitterBuffer.packetTicks(new byte[] {(byte) ((31 << 3) | 1)}, 0, 1));
    assertEquals(
        5760, JitterBuffer.packetTicks(new byte[] {(byte) ((31 << 3) | 3), 6}, 0, 2), "6 x 20");
    assertEquals(-1, JitterBuffer.packetTicks(new byte[] {(byte) ((31 << 3) | 3), 7}, 0, 2));
    assertEquals(-1, JitterBuffer.packetTicks(new byte[] {(byte) ((31 << 3) | 3), 0}, 0, 2));
  }

  @Test
  void pushAllocatesNothingAndNeitherDoesAPullThatDecodesNothing() {
    // Concentus allocates inside its decoder (about 25 KB per frame), so pulls that decode are
    // left to the benchmark's -prof gc; the buffer's own work is measured here.
    JitterBuffer b = new JitterBuffer();
    short[] pcm = new short[FRAME];
    for (int i = 0; i < 60; i++) { // warm: the JIT compiles push and the jitter estimate
      byte[] p = PACKETS.get(i);
      b.push(1000L + (long) i * FRAME, i, now + i * 20 * MS, p, 0, p.length);
    }
    b.flush();
    long base = 1000L + 100L * FRAME;
    long before = Signals.allocatedBytes();
    for (int i = 0; i < 40; i++) {
      byte[] p = PACKETS.get(i);
      assertTrue(b.push(base + (long) i * FRAME, 100 + i, now + i * 20 * MS, p, 0, p.length));
    }
    long pushBytes = Signals.allocatedBytes() - before - Signals.measurementOverhead();
    b.flush();
    for (int i = 0; i < 100; i++) {
      b.pull(now, pcm, 0); // flushed: silence, nothing decoded
    }
    before = Signals.allocatedBytes();
    for (int i = 0; i < 100; i++) {
      b.pull(now, pcm, 0);
    }
    long pullBytes = Signals.allocatedBytes() - before - Signals.measurementOverhead();
    assertTrue(pushBytes <= 0, "40 pushes allocated " + pushBytes + " bytes");
    assertTrue(pullBytes <= 0, "100 silent pulls allocated " + pullBytes + " bytes");
  }

  private static int[] toInts(short[] s) {
    int[] out = new int[s.length];
    for (int i = 0; i < s.length; i++) {
      out[i] = s[i];
    }
    return out;
  }
}
