package io.github.jpeer.benchmarks.media;

import io.github.jpeer.media.JitterBuffer;
import io.github.jpeer.media.OpusConfig;
import io.github.jpeer.media.OpusEncoder;
import io.github.jpeer.media.SpeechLikeSignal;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One 20 ms Opus packet through the jitter buffer: {@code push} on arrival and one {@code pull} of
 * a block, as a call's receive side does 50 times a second. {@code lossPercent} drops packets at
 * random (FEC and concealment in place of decoding). With {@code -prof gc}, {@code
 * gc.alloc.rate.norm} is what Concentus's decoder allocates inside (about 25 KB per decoded frame:
 * OpusBenchmark shows the same for plain decoding); the buffer itself allocates nothing
 * (JitterBufferTest measures that part alone).
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar media.JitterBufferBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 15, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class JitterBufferBenchmark {
  /** Random loss: 0 (every block decoded from its packet) or 20 (FEC and concealment too). */
  @Param({"0", "20"})
  public int lossPercent;

  private static final int FRAME = 960;
  private byte[][] packets;
  private final short[] pcm = new short[FRAME];
  private JitterBuffer buffer;
  private long now;
  private int index;
  private long seed = 1;

  /** 10 s of speech-like signal as 20 ms Opus packets with FEC. */
  @Setup
  public void setUp() {
    OpusEncoder encoder =
        new OpusEncoder(OpusConfig.builder().inbandFec(true).packetLossPercent(20).build());
    short[] speech = SpeechLikeSignal.generate(48_000, 500 * FRAME, 3);
    packets = new byte[500][];
    byte[] out = new byte[1500];
    for (int i = 0; i < packets.length; i++) {
      packets[i] = Arrays.copyOf(out, encoder.encode(speech, i * FRAME, out, 0, out.length));
    }
    buffer = new JitterBuffer();
  }

  /** The next packet arrives (unless lost) and one block is pulled, 20 ms later in clock time. */
  @Benchmark
  public JitterBuffer.Source packetThroughTheBuffer() {
    seed = seed * 6364136223846793005L + 1442695040888963407L; // no allocation, unlike Random
    boolean lost = Long.remainderUnsigned(seed >>> 33, 100) < lossPercent;
    byte[] p = packets[index % packets.length];
    if (!lost) {
      buffer.push((long) index * FRAME, index & 0xFFFF, now, p, 0, p.length);
    }
    JitterBuffer.Source s = buffer.pull(now, pcm, 0);
    index++;
    now += 20_000_000L;
    return s;
  }
}
