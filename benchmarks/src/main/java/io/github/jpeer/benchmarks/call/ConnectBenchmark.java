package io.github.jpeer.benchmarks.call;

import io.github.jpeer.PeerConnection;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How long a call takes to connect on 127.0.0.1, over UDP or over ICE-TCP only (both sides with UDP
 * off, as on a network that blocks it): from {@code createOffer} to both sides COMPLETED (ICE
 * checks, nomination, the DTLS handshake). The connections, and so their certificates, are made
 * before the clock starts. One shot per iteration; JMH's percentiles give the median of 20.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar ConnectBenchmark -f 1
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5)
@Measurement(iterations = 20)
public class ConnectBenchmark {
  /** {@code udp}: the default configuration, which picks UDP; {@code tcp}: ICE-TCP only. */
  @Param({"udp", "tcp"})
  public String transport;

  private PeerConnection offerer;
  private PeerConnection answerer;

  private PeerConnection peer() {
    return PeerConnection.create(LoopbackCall.config().iceUdp(!transport.equals("tcp")).build());
  }

  /** Two fresh connections for each shot. */
  @Setup(Level.Iteration)
  public void create() {
    offerer = peer();
    answerer = peer();
  }

  /** Closes the shot's connections. */
  @TearDown(Level.Iteration)
  public void close() {
    offerer.close();
    answerer.close();
  }

  /** One connect, on this thread, loops 100 µs apart. */
  @Benchmark
  public void connect() {
    LoopbackCall.connect(offerer, answerer, 100_000);
  }
}
