package io.github.jpeer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One thread that drives any number of {@link PeerConnection}s (beyond libpeer): it waits on a
 * {@link Selector} over all their sockets, so a datagram reaches its callback as soon as it
 * arrives, and wakes exactly when the next timer is due instead of ticking every 15 ms.
 *
 * <pre>{@code
 * try (PeerLoop loop = PeerLoop.start("calls")) {
 *   PeerConnection pc = PeerConnection.create(config);
 *   String offer = pc.createOffer();             // before add(): any thread
 *   loop.add(pc).join();
 *   String answer = signaling.post(offer);
 *   loop.submit(() -> pc.setRemoteDescription(answer, SdpType.ANSWER)).join();
 *   pc.sendAudio(frame);                          // any thread, any time
 * }
 * }</pre>
 *
 * <p>Once added, a connection belongs to the loop's thread: its callbacks run there, and control
 * calls ({@code setRemoteDescription}, {@code addIceCandidate}, {@code getStats}, ...) go through
 * {@link #submit}. Connections can be added and removed while the loop runs. Closing the loop
 * closes the connections it still holds.
 */
public final class PeerLoop implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger("io.github.jpeer");

  private final Selector selector;
  private final Thread thread;
  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final List<Entry> connections = new ArrayList<>();
  private final Map<PeerConnection, Entry> entries = new IdentityHashMap<>();
  private volatile boolean running = true;

  /**
   * A driven connection and what the loop knows of it: its next deadline as of the last time it ran
   * (so finding the earliest is a scan of longs, not a call into every connection), and whether a
   * socket of it was selected this round.
   */
  private static final class Entry {
    final PeerConnection pc;
    long deadlineNanos = Long.MIN_VALUE;
    boolean ready;

    Entry(PeerConnection pc) {
      this.pc = pc;
    }
  }

  private PeerLoop(String name) {
    try {
      this.selector = Selector.open();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open a selector: " + e.getMessage(), e);
    }
    this.thread = new Thread(this::run, "jpeer-loop-" + name);
    this.thread.setDaemon(true);
  }

  /** Starts a loop on a new daemon thread named {@code jpeer-loop-<name>}. */
  public static PeerLoop start(String name) {
    PeerLoop loop = new PeerLoop(name);
    loop.thread.start();
    return loop;
  }

  /**
   * Hands {@code pc} to the loop. The future completes on the loop thread once it is driven there.
   */
  public CompletableFuture<Void> add(PeerConnection pc) {
    return submit(
        () -> {
          Entry e = new Entry(pc);
          pc.register(selector, selector::wakeup);
          connections.add(e);
          entries.put(pc, e);
          drive(e); // takes ownership and sends what is pending
          return null;
        });
  }

  /** Stops driving {@code pc} (it is not closed). */
  public CompletableFuture<Void> remove(PeerConnection pc) {
    return submit(
        () -> {
          Entry e = entries.remove(pc);
          if (e != null) {
            connections.remove(e);
          }
          for (SelectionKey k : selector.keys()) {
            if (k.attachment() == pc) {
              k.cancel();
            }
          }
          return null;
        });
  }

  /** Runs {@code task} on the loop thread (where the connections' control calls belong). */
  public <T> CompletableFuture<T> submit(Callable<T> task) {
    CompletableFuture<T> f = new CompletableFuture<>();
    if (!running) {
      f.completeExceptionally(new IllegalStateException("this PeerLoop is closed"));
      return f;
    }
    tasks.add(
        () -> {
          try {
            f.complete(task.call());
          } catch (Exception | Error e) {
            f.completeExceptionally(e);
          }
        });
    selector.wakeup();
    return f;
  }

  /** Runs {@code task} on the loop thread. */
  public CompletableFuture<Void> submit(Runnable task) {
    return submit(
        () -> {
          task.run();
          return null;
        });
  }

  /** How many connections the loop drives. Any thread; a moment's view. */
  public int size() {
    return connections.size();
  }

  private void run() {
    while (running) {
      try {
        boolean ranTasks = false;
        for (Runnable t; (t = tasks.poll()) != null; ) {
          t.run();
          ranTasks = true;
        }
        if (ranTasks) {
          // A control call (addIceCandidate, setRemoteDescription, ...) may have armed timers
          // without a wakeup: the cached deadlines are stale. Tasks are rare; refresh them all.
          for (int i = 0; i < connections.size(); i++) {
            Entry e = connections.get(i);
            e.deadlineNanos = e.pc.nextTimeoutNanos();
          }
        }
        // Sleep until the earliest cached deadline, a datagram, a task or a wakeup.
        long earliest = Long.MAX_VALUE;
        boolean woken = false;
        for (int i = 0; i < connections.size(); i++) {
          Entry e = connections.get(i);
          woken |= e.pc.hasPendingWork();
          if (e.deadlineNanos != Long.MAX_VALUE) {
            earliest = Math.min(earliest, Math.max(0, e.deadlineNanos - e.pc.clock().nanoTime()));
          }
        }
        if (woken || earliest == 0) {
          selector.selectNow();
        } else if (earliest == Long.MAX_VALUE) {
          selector.select(); // until a datagram, a task or a wakeup
        } else {
          // Round up: waking early would spin until the timer is actually due.
          selector.select(Math.max(1, (earliest + 999_999) / 1_000_000));
        }
        for (SelectionKey k : selector.selectedKeys()) {
          Entry e = k.attachment() instanceof PeerConnection pc ? entries.get(pc) : null;
          if (e != null) {
            e.ready = true;
          }
        }
        selector.selectedKeys().clear();
        for (int i = 0; i < connections.size(); i++) {
          Entry e = connections.get(i);
          if (e.ready || e.pc.hasPendingWork() || e.deadlineNanos <= e.pc.clock().nanoTime()) {
            drive(e);
          }
        }
        connections.removeIf(
            e -> {
              boolean closed = e.pc.getState() == PeerConnectionState.CLOSED;
              if (closed) {
                entries.remove(e.pc);
              }
              return closed;
            });
      } catch (IOException | RuntimeException e) {
        // The loop must outlive any one connection's trouble.
        LOG.log(System.Logger.Level.WARNING, "PeerLoop iteration failed; continuing", e);
      }
    }
    for (Entry e : connections) {
      drive(e.pc, e.pc::close);
    }
    connections.clear();
    entries.clear();
    try {
      selector.close();
    } catch (IOException ignored) {
      // nothing left to release
    }
  }

  private void drive(Entry e) {
    e.ready = false;
    drive(e.pc, e.pc::loop);
    e.deadlineNanos = e.pc.nextTimeoutNanos();
  }

  private static void drive(PeerConnection pc, Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      LOG.log(
          System.Logger.Level.WARNING,
          pc.name() + ": the connection's loop failed; others go on",
          e);
    }
  }

  /** Stops the thread after closing the connections it holds; waits up to 5 s for it. */
  @Override
  public void close() {
    running = false;
    selector.wakeup();
    if (Thread.currentThread() != thread) {
      try {
        thread.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
