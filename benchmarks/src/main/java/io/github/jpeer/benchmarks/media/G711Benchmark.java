package io.github.jpeer.benchmarks.media;

import io.github.jpeer.media.G711;
import io.github.jpeer.media.SpeechLikeSignal;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * G.711 A-law encode and decode of one 20 ms frame (160 samples at 8 kHz), for scale next to {@link
 * OpusBenchmark}: the table lookups should cost well under a microsecond and allocate nothing.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class G711Benchmark {
  private final short[] pcm = SpeechLikeSignal.generate(8_000, 160, 1);
  private final byte[] alaw = new byte[160];
  private final short[] decoded = new short[160];

  /** Encode 160 samples to A-law. */
  @Benchmark
  public byte[] alawEncode() {
    G711.encodeAlaw(pcm, 0, 160, alaw, 0);
    return alaw;
  }

  /** Decode 160 A-law bytes. */
  @Benchmark
  public short[] alawDecode() {
    G711.decodeAlaw(alaw, 0, 160, decoded, 0);
    return decoded;
  }
}
