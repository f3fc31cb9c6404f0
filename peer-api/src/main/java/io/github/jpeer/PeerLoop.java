package io.github.jpeer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
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
  private final List<PeerConnection> connections = new ArrayList<>();
  private final List<PeerConnection> ready = new ArrayList<>();
  private volatile boolean running = true;

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
          pc.register(selector, selector::wakeup);
          connections.add(pc);
          pc.loop(); // takes ownership and sends what is pending
          return null;
        });
  }

  /** Stops driving {@code pc} (it is not closed). */
  public CompletableFuture<Void> remove(PeerConnection pc) {
    return submit(
        () -> {
          connections.remove(pc);
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
        for (Runnable t; (t = tasks.poll()) != null; ) {
          t.run();
        }
        long timeoutMillis = 0; // 0: until a datagram, a task or a wakeup
        long earliest = Long.MAX_VALUE;
        long now = 0;
        for (PeerConnection pc : connections) {
          long next = pc.nextTimeoutNanos();
          if (next != Long.MAX_VALUE) {
            long pcNow = pc.clock().nanoTime();
            earliest = Math.min(earliest, Math.max(0, next - pcNow));
          }
        }
        if (earliest != Long.MAX_VALUE) {
          // Round up: waking early would spin until the timer is actually due.
          timeoutMillis = Math.max(1, (earliest + 999_999) / 1_000_000);
        }
        if (earliest == 0) {
          selector.selectNow();
        } else {
          selector.select(timeoutMillis);
        }
        ready.clear();
        for (SelectionKey k : selector.selectedKeys()) {
          if (k.attachment() instanceof PeerConnection pc && !ready.contains(pc)) {
            ready.add(pc);
          }
        }
        selector.selectedKeys().clear();
        for (int i = 0; i < connections.size(); i++) {
          PeerConnection pc = connections.get(i);
          boolean due = pc.nextTimeoutNanos() <= pc.clock().nanoTime();
          if (due || ready.contains(pc)) {
            drive(pc);
          }
        }
        connections.removeIf(pc -> pc.getState() == PeerConnectionState.CLOSED);
      } catch (IOException | RuntimeException e) {
        // The loop must outlive any one connection's trouble.
        LOG.log(System.Logger.Level.WARNING, "PeerLoop iteration failed; continuing", e);
      }
    }
    for (PeerConnection pc : connections) {
      drive(pc::close);
    }
    connections.clear();
    try {
      selector.close();
    } catch (IOException ignored) {
      // nothing left to release
    }
  }

  private void drive(PeerConnection pc) {
    drive(pc::loop);
  }

  private static void drive(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "a connection's loop failed; others go on", e);
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
