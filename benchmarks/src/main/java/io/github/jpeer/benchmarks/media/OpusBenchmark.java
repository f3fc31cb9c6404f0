package io.github.jpeer.benchmarks.media;

import io.github.jaredmdobson.concentus.OpusApplication;
import io.github.jaredmdobson.concentus.OpusException;
import io.github.jpeer.media.OpusConfig;
import io.github.jpeer.media.OpusDecoder;
import io.github.jpeer.media.OpusEncoder;
import io.github.jpeer.media.Resampler;
import io.github.jpeer.media.WavAudio;
import io.github.jpeer.media.WavReader;
import java.io.IOException;
import java.io.InputStream;
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
 * Opus encode and decode of one 20 ms mono frame of speech: jpeer's {@link OpusEncoder} and {@link
 * OpusDecoder} beside raw Concentus calls with the same settings, in the same run, so the wrapper's
 * cost (there should be none) is visible.
 *
 * <p>Input: 3 s of English speech rendered by espeak-ng and converted with sox to 24 kHz ({@code
 * espeak-speech-24k.wav} in the resources; regenerate with {@code espeak-ng -w raw.wav "..." && sox
 * raw.wav -r 24000 -c 1 -b 16 out.wav trim 0 3 gain -n -3}), resampled to the benchmark rate with
 * jpeer's {@link Resampler}. Each call codes the next frame, cycling through the clip, so the
 * encoder sees real speech dynamics.
 *
 * <p>Concentus needs about 15 s of JIT warm-up (BENCHMARKING.md), hence 15 warm-up iterations. Run:
 * {@code java -jar benchmarks/target/benchmarks.jar 'media.OpusBenchmark' -prof gc}. Streams per
 * core = 1e6 / (us per frame) / 50 frames per second.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 15, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class OpusBenchmark {

  /** Sample rate in Hz: fullband, super-wideband, wideband. */
  @Param({"48000", "24000", "16000"})
  public int sampleRate;

  /** Encoder complexity, 0 (fastest) to 10. */
  @Param({"0", "5", "10"})
  public int complexity;

  private short[] speech;
  private int frameSamples;
  private int frameCount;
  private int frame;
  private final byte[] packet = new byte[OpusEncoder.MAX_PACKET_BYTES];
  private short[] pcmOut;
  private byte[][] packets;
  private OpusEncoder jpeerEncoder;
  private io.github.jaredmdobson.concentus.OpusEncoder concentusEncoder;
  private OpusDecoder jpeerDecoder;
  private io.github.jaredmdobson.concentus.OpusDecoder concentusDecoder;

  /** Loads the speech clip and builds both encoders and decoders with the same settings. */
  @Setup
  public void setUp() throws IOException, OpusException {
    WavAudio clip;
    try (InputStream in = OpusBenchmark.class.getResourceAsStream("espeak-speech-24k.wav")) {
      if (in == null) {
        throw new IllegalStateException("espeak-speech-24k.wav missing from the benchmark jar");
      }
      clip = WavReader.read(in);
    }
    speech = Resampler.resample(clip.samples(), clip.format().sampleRate(), sampleRate, 1);
    OpusConfig config = OpusConfig.builder().sampleRate(sampleRate).complexity(complexity).build();
    frameSamples = config.samplesPerFrame();
    frameCount = speech.length / frameSamples;
    pcmOut = new short[frameSamples];
    jpeerEncoder = new OpusEncoder(config);
    concentusEncoder =
        new io.github.jaredmdobson.concentus.OpusEncoder(
            sampleRate, 1, OpusApplication.OPUS_APPLICATION_VOIP);
    concentusEncoder.setBitrate(config.bitrateBps());
    concentusEncoder.setComplexity(config.complexity());
    concentusEncoder.setUseDTX(config.dtx());
    concentusEncoder.setUseInbandFEC(config.inbandFec());
    concentusEncoder.setPacketLossPercent(config.packetLossPercent());
    // Packets for the decode benchmarks, from a separate encoder with the same settings.
    OpusEncoder packetMaker = new OpusEncoder(config);
    packets = new byte[frameCount][];
    for (int i = 0; i < frameCount; i++) {
      int length = packetMaker.encode(speech, i * frameSamples, packet, 0, packet.length);
      packets[i] = java.util.Arrays.copyOf(packet, length);
    }
    jpeerDecoder = new OpusDecoder(config);
    concentusDecoder = new io.github.jaredmdobson.concentus.OpusDecoder(sampleRate, 1);
  }

  private int nextFrame() {
    int f = frame;
    frame = f + 1 == frameCount ? 0 : f + 1;
    return f;
  }

  /** jpeer: encode one 20 ms frame; returns the packet length. */
  @Benchmark
  public int jpeerEncode() {
    return jpeerEncoder.encode(speech, nextFrame() * frameSamples, packet, 0, packet.length);
  }

  /** Raw Concentus: the same encode. */
  @Benchmark
  public int concentusEncode() throws OpusException {
    return concentusEncoder.encode(
        speech, nextFrame() * frameSamples, frameSamples, packet, 0, packet.length);
  }

  /** jpeer: decode one 20 ms packet; returns samples decoded. */
  @Benchmark
  public int jpeerDecode() {
    byte[] p = packets[nextFrame()];
    return jpeerDecoder.decode(p, 0, p.length, pcmOut, 0, frameSamples);
  }

  /** Raw Concentus: the same decode. */
  @Benchmark
  public int concentusDecode() throws OpusException {
    byte[] p = packets[nextFrame()];
    return concentusDecoder.decode(p, 0, p.length, pcmOut, 0, frameSamples, false);
  }
}
