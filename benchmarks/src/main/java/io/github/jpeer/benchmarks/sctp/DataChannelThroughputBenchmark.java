package io.github.jpeer.benchmarks.sctp;

import io.github.jpeer.sctp.DataChannelConfig;
import io.github.jpeer.sctp.SctpAssociation;
import io.github.jpeer.sctp.SctpConfig;
import io.github.jpeer.sctp.SctpEvent;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Data channel throughput of jpeer's SCTP stack alone: two {@link SctpAssociation}s joined in
 * memory (each {@code pollTransmit()} packet handed straight to the other's {@code handleReceive}),
 * no DTLS, no sockets, virtual time. One operation is one message sent on a reliable ordered
 * channel, delivered to the remote application and acknowledged back, so the score in ops/s is
 * messages/s; MB/s is that times the message size.
 *
 * <p>Each invocation sends a burst of {@value #BURST} messages and pumps until all are delivered
 * and the sender has nothing outstanding; when nothing moves, virtual time jumps to the next timer
 * (the delayed SACK), as a real link would wait for it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DataChannelThroughputBenchmark {
  private static final int BURST = 16;

  /** Message size in bytes. */
  @Param({"64", "1024", "16384"})
  public int messageBytes;

  private SctpAssociation client;
  private SctpAssociation server;
  private int streamId;
  private byte[] message;
  private long nowNanos;
  private long delivered;
  private long deliveredBytes;

  /** Connects the pair and opens one reliable ordered channel. */
  @Setup(Level.Trial)
  public void connect() {
    SctpConfig config = SctpConfig.builder().build();
    client = new SctpAssociation(config, true, new SplittableRandom(1));
    server = new SctpAssociation(config, false, new SplittableRandom(2));
    nowNanos = 1_000_000_000L;
    client.connect(nowNanos);
    server.connect(nowNanos);
    streamId = client.openChannel(nowNanos, DataChannelConfig.reliable("bench"));
    boolean[] open = new boolean[2];
    for (int i = 0; i < 10_000 && !(open[0] && open[1]); i++) {
      pump();
      for (SctpEvent e; (e = client.pollEvent()) != null; ) {
        open[0] |= e instanceof SctpEvent.ChannelOpen;
      }
      for (SctpEvent e; (e = server.pollEvent()) != null; ) {
        open[1] |= e instanceof SctpEvent.ChannelOpen;
      }
      advanceIfIdle();
    }
    if (!(open[0] && open[1])) {
      throw new IllegalStateException("channel did not open: " + client.state());
    }
    message = new byte[messageBytes];
    new SplittableRandom(3).nextBytes(message);
  }

  /** Moves packets both ways until neither side has anything to send; true if any moved. */
  private boolean pump() {
    boolean moved = false;
    for (boolean again = true; again; ) {
      again = false;
      for (byte[] p; (p = client.pollTransmit()) != null; ) {
        server.handleReceive(nowNanos, p, 0, p.length);
        again = true;
      }
      for (byte[] p; (p = server.pollTransmit()) != null; ) {
        client.handleReceive(nowNanos, p, 0, p.length);
        again = true;
      }
      moved |= again;
    }
    return moved;
  }

  /** Jumps virtual time to the next timer and runs it (a delayed SACK, a retransmission). */
  private void advanceIfIdle() {
    long next = Math.min(client.pollTimeoutNanos(), server.pollTimeoutNanos());
    if (next != Long.MAX_VALUE) {
      nowNanos = Math.max(nowNanos, next);
      client.handleTimeout(nowNanos);
      server.handleTimeout(nowNanos);
    }
  }

  /** Sends {@value #BURST} messages and waits (in virtual time) until all were delivered. */
  @Benchmark
  @OperationsPerInvocation(BURST)
  public long sendReliableOrdered() {
    long target = delivered + BURST;
    for (int i = 0; i < BURST; i++) {
      client.send(nowNanos, streamId, message, true);
    }
    while (delivered < target || client.bufferedAmount(streamId) > 0) {
      boolean moved = pump();
      for (SctpEvent e; (e = server.pollEvent()) != null; ) {
        if (e instanceof SctpEvent.Message m) {
          delivered++;
          deliveredBytes += m.data().length;
        }
      }
      for (SctpEvent e; (e = client.pollEvent()) != null; ) {
        // BufferedAmountLow and the like: nothing to do
      }
      if (!moved && delivered < target) {
        advanceIfIdle();
      }
    }
    return deliveredBytes;
  }
}
