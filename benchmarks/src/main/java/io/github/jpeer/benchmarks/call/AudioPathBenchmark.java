package io.github.jpeer.benchmarks.call;

import io.github.jpeer.PeerConnection;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One Opus frame through a whole connected call on this thread, over UDP on 127.0.0.1: {@code
 * sendAudio}, the sender's {@code loop()} (packetize, SRTP protect, ICE wrap, socket write) and the
 * receiver's {@code loop()} (socket read, demultiplexing, ICE, SRTP unprotect, reorder buffer,
 * depacketize, the frame callback). Public API only, so the same benchmark measures any version.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar AudioPathBenchmark -f 1 -wi 3 -w 1s -i 5 -r 1s -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AudioPathBenchmark {
  private PeerConnection sender;
  private PeerConnection receiver;
  private final byte[] frame = new byte[80];
  private long framesIn;

  private PeerConnection peer() {
    return PeerConnection.create(LoopbackCall.config().onAudioTrack((f, ts) -> framesIn++).build());
  }

  /** Negotiates and loops both until DTLS is done (at most 20 s). */
  @Setup(Level.Trial)
  public void connect() {
    frame[0] = (byte) 0xf8; // Opus TOC: CELT FB 20 ms, mono, one frame
    sender = peer();
    receiver = peer();
    LoopbackCall.connect(sender, receiver, 1_000_000);
  }

  @TearDown(Level.Trial)
  public void close() {
    sender.close();
    receiver.close();
  }

  /** One frame from sendAudio to the receiver's callback. */
  @Benchmark
  public long frameThroughTheCall() {
    sender.sendAudio(frame);
    sender.loop();
    receiver.loop();
    return framesIn;
  }
}
