package io.github.jpeer.benchmarks.scale;

import io.github.jpeer.PeerConnection;
import io.github.jpeer.PeerConnectionState;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The audio clock of one loop's connections, as a media server has it: a timer thread of its own
 * that hands each connection a 20 ms frame with {@link PeerConnection#sendAudio(byte[], int, int)}
 * (the any-thread send, which queues the frame and wakes the loop). It ticks every millisecond and
 * serves one twentieth of the connections per tick (connection {@code j} in tick {@code j mod 20}),
 * so a loop's packets leave spread over the period instead of all at once.
 *
 * <p>Why not {@code PeerLoop.submit} per tick: every task makes the loop refresh every connection's
 * deadline, a cost a server that sends from its own threads does not pay.
 *
 * <p>Why a thread of its own that parks until the next tick rather than a {@code
 * ScheduledThreadPoolExecutor} at a fixed rate (the same schedule: a late tick is caught up at
 * once): the executor re-queues its task into its heap array, takes its lock and waits on its
 * condition with a new wait node every tick, reference stores into long-lived objects that cost G1
 * card refinement, which this harness in the measured JVM must not add to what it measures.
 *
 * <p>Each frame is {@value #FRAME_BYTES} bytes: an Opus TOC byte (config 15, one 20 ms frame, so
 * the RTP timestamp advances by 960), the send time ({@link System#nanoTime()}), the connection's
 * sequence number, zeros. One scratch buffer is reused: {@code sendAudio} copies.
 */
final class Pacer implements AutoCloseable {
  static final byte OPUS_TOC = 0x78;
  static final int FRAME_BYTES = 80;

  /** TOC, 8 bytes of send time, 4 of sequence number. */
  static final int HEADER_BYTES = 13;

  static final int SLOTS_PER_PERIOD = 20;

  static final long TICK_NANOS = 1_000_000;

  private final Window window;
  private final PeerConnection[] ends;
  private final int[] sequence;
  private volatile int size; // written by the one thread that adds, after the element
  private final Thread timer;
  private volatile boolean running = true;
  // A counts() request, answered by the timer thread between ticks.
  private volatile CompletableFuture<long[]> countsRequest;
  private final byte[] frame = new byte[FRAME_BYTES];
  private final ByteBuffer frameView = ByteBuffer.wrap(frame);

  // The timer thread's own.
  private long tick;
  private long nextTickNanos;
  // By Window.phase of the send time; only INSIDE is reported (see Window.phase for why all).
  private final long[] sent = new long[3];
  private final long[] refused = new long[3];
  private long errors;

  Pacer(String name, int capacity, Window window) {
    this.window = window;
    this.ends = new PeerConnection[capacity];
    this.sequence = new int[capacity];
    this.timer = new Thread(this::run, name);
    timer.setDaemon(true);
    frame[0] = OPUS_TOC;
  }

  /** Adds a connection; it gets frames once COMPLETED. One adding thread only. */
  void add(PeerConnection pc) {
    int n = size;
    if (n == ends.length) {
      throw new IllegalStateException("pacer full: " + n + " connections");
    }
    ends[n] = pc;
    size = n + 1;
  }

  void start() {
    timer.start();
  }

  /**
   * The timer thread: a tick every millisecond, the first a millisecond after {@link #start}, a
   * late one caught up at once; between ticks it answers {@link #counts}.
   */
  private void run() {
    nextTickNanos = System.nanoTime() + TICK_NANOS;
    while (running) {
      CompletableFuture<long[]> request = countsRequest;
      if (request != null) {
        countsRequest = null;
        request.complete(new long[] {sent[Window.INSIDE], refused[Window.INSIDE], errors});
      }
      long wait = nextTickNanos - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait); // no blocker object: setting one is a reference store
        continue;
      }
      tick();
      nextTickNanos += TICK_NANOS;
    }
  }

  private void tick() {
    int slot = (int) (tick++ % SLOTS_PER_PERIOD);
    int n = size;
    for (int j = slot; j < n; j += SLOTS_PER_PERIOD) {
      PeerConnection pc = ends[j];
      if (pc.getState() != PeerConnectionState.COMPLETED) {
        continue;
      }
      long now = System.nanoTime();
      frameView.putLong(1, now);
      frameView.putInt(9, sequence[j]++);
      boolean taken;
      try {
        taken = pc.sendAudio(frame, 0, FRAME_BYTES);
      } catch (RuntimeException e) {
        errors++; // a throwing task would end the fixed-rate schedule
        continue;
      }
      int phase = window.phase(now);
      int ok = taken ? 1 : 0;
      sent[phase] += ok;
      refused[phase] += 1 - ok;
    }
  }

  /** Frames sent inside the window, frames sendAudio refused there, and send exceptions. */
  long[] counts() throws Exception {
    CompletableFuture<long[]> request = new CompletableFuture<>();
    countsRequest = request; // one caller at a time
    LockSupport.unpark(timer);
    return request.get(5, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    running = false;
    LockSupport.unpark(timer);
  }
}
