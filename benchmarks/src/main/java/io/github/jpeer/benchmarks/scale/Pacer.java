package io.github.jpeer.benchmarks.scale;

import io.github.jpeer.PeerConnection;
import io.github.jpeer.PeerConnectionState;
import java.nio.ByteBuffer;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

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

  private final Window window;
  private final PeerConnection[] ends;
  private final int[] sequence;
  private volatile int size; // written by the one thread that adds, after the element
  private final ScheduledExecutorService timer;
  private final byte[] frame = new byte[FRAME_BYTES];
  private final ByteBuffer frameView = ByteBuffer.wrap(frame);

  // The timer thread's own.
  private long tick;
  private long sent;
  private long refused;
  private long errors;

  Pacer(String name, int capacity, Window window) {
    this.window = window;
    this.ends = new PeerConnection[capacity];
    this.sequence = new int[capacity];
    ScheduledThreadPoolExecutor t =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread thread = new Thread(r, name);
              thread.setDaemon(true);
              return thread;
            });
    this.timer = t;
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
    timer.scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.MILLISECONDS);
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
      if (window.contains(now)) {
        if (taken) {
          sent++;
        } else {
          refused++;
        }
      }
    }
  }

  /** Frames sent inside the window, frames sendAudio refused there, and send exceptions. */
  long[] counts() throws Exception {
    return timer.submit(() -> new long[] {sent, refused, errors}).get(5, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
