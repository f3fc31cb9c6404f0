package io.github.jpeer.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

class JitterBufferFuzzTest {

  /**
   * What a hostile or broken sender can do: any payload bytes (Opus TOC bytes parsed for the
   * duration), any timestamps, sequence numbers and arrival times, in any order, between pulls.
   * Push never throws and says whether it kept the packet; pull always fills exactly one block; the
   * counters stay consistent.
   */
  @FuzzTest(maxDuration = "60s")
  void pushAndPull(FuzzedDataProvider data) {
    JitterBuffer jb = new JitterBuffer();
    short[] pcm = new short[jb.blockSamples()];
    long now = 0;
    long pushed = 0;
    long kept = 0;
    for (int i = 0; i < 64 && data.remainingBytes() > 0; i++) {
      if (data.consumeBoolean()) {
        long ts = data.consumeLong() & 0xFFFF_FFFFL;
        int seq = data.consumeInt(0, 0xFFFF);
        now += data.consumeInt(0, 200_000_000);
        byte[] payload = data.consumeBytes(data.consumeInt(0, 1600));
        pushed++;
        kept += jb.push(ts, seq, now, payload, 0, payload.length) ? 1 : 0;
      } else if (data.consumeBoolean()) {
        jb.pull(now, pcm, 0);
        now += 20_000_000;
      } else {
        jb.flush();
      }
    }
    JitterBuffer.Stats s = jb.stats();
    assertEquals(kept, s.packetsReceived());
    // every refused push is counted once; a kept packet may later count as late (found behind the
    // playout point), at most once
    long counted = s.packetsLate() + s.packetsDuplicate() + s.packetsDiscarded();
    assertTrue(counted >= pushed - kept && counted <= pushed, s.toString());
    assertTrue(s.targetDelayMillis() >= 20 && s.targetDelayMillis() <= 200, s.toString());
  }
}
