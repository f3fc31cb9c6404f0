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
  private final List<SharedUdpPort> ports = new ArrayList<>();
  private volatile boolean running = true;

  /** The driven connections by id: what the loop's per-wake structures below hold instead. */
  private final Entries table = new Entries();

  /**
   * Connections whose wakeup hook fired (a frame queued, a DTLS flight written), as a lock-free
   * stack of ids linked through the entries themselves ({@link Entry#nextSignalled}), -1 when
   * empty: any thread pushes, the loop takes all at once, and a signal allocates nothing (each
   * entry is on it at most once, see {@link Entry#queued}).
   *
   * <p>Ids, not references, here and in {@link #due} and {@link DeadlineHeap}: these are written
   * for every packet of every connection, and a reference stored into a long-lived object costs G1
   * a dirty card that its refinement threads must rescan. With references, that refinement took
   * about a fifth of all CPU at 2000 connections; an int store costs nothing of the kind.
   */
  private final java.util.concurrent.atomic.AtomicInteger signalled =
      new java.util.concurrent.atomic.AtomicInteger(-1);

  /** The ids of the connections due this round, each once (reused: no allocation per wake). */
  private int[] due = new int[16];

  private int dueCount;

  private final java.util.function.Consumer<SelectionKey> onReady = this::ready;
  private static final java.util.function.Consumer<SelectionKey> IGNORE_READY = k -> {};

  private final DeadlineHeap deadlines = new DeadlineHeap(table);
  private long round;

  /**
   * A driven connection and what the loop knows of it: its next deadline on the loop's clock as of
   * the last time it ran (kept in {@link DeadlineHeap}, so a wake finds the due connections without
   * looking at the others), and whether it is queued to run.
   */
  static final class Entry {
    final PeerConnection pc;

    /** Its place in {@link Entries}, unique among the loop's entries while it is there. */
    final int id;

    /** Its place in {@link DeadlineHeap}, which holds its deadline; -1 while it has none. */
    int heapIndex = -1;

    long dueRound = -1;

    /** On the signalled stack (for good once removed: its hook must not push it again). */
    final java.util.concurrent.atomic.AtomicBoolean queued =
        new java.util.concurrent.atomic.AtomicBoolean();

    int nextSignalled = -1; // the id below it on the stack; written before the push publishes it

    /** No longer driven; its id is freed once it is off the signalled stack. */
    boolean removed;

    /** The connection's place on its shared port, or null if it has sockets of its own. */
    SharedUdpPort.Member member;

    Entry(PeerConnection pc, int id) {
      this.pc = pc;
      this.id = id;
    }
  }

  /**
   * The loop's entries by id (the loop thread only). Ids are reused, the last freed first, so the
   * table stays as large as the most connections held at once.
   */
  static final class Entries {
    private Entry[] byId = new Entry[16];
    private int[] free = new int[16];
    private int freeCount;
    private int used; // ids below this were handed out at least once

    /** A new entry for {@code pc} under a free id. */
    Entry add(PeerConnection pc) {
      int id;
      if (freeCount > 0) {
        id = free[--freeCount];
      } else {
        id = used++;
        if (id == byId.length) {
          byId = java.util.Arrays.copyOf(byId, 2 * id);
        }
      }
      Entry e = new Entry(pc, id);
      byId[id] = e;
      return e;
    }

    Entry get(int id) {
      return byId[id];
    }

    /** Frees {@code e}'s id for the next {@link #add}. */
    void release(Entry e) {
      byId[e.id] = null;
      if (freeCount == free.length) {
        free = java.util.Arrays.copyOf(free, 2 * freeCount);
      }
      free[freeCount++] = e.id;
    }
  }

  /**
   * A binary min-heap of entries by deadline that knows each entry's place, so a changed deadline
   * moves the entry in O(log n) and nothing is allocated (a {@code PriorityQueue} would need a
   * removal by scan or a new node per change). It holds ids and deadlines, in two arrays side by
   * side, so moving an entry stores no reference (see {@link #signalled}).
   */
  static final class DeadlineHeap {
    private final Entries table;
    private int[] ids = new int[16];
    private long[] keys = new long[16];
    private int size;

    DeadlineHeap(Entries table) {
      this.table = table;
    }

    int size() {
      return size;
    }

    /** The entry with the earliest deadline, or null. */
    Entry peek() {
      return size == 0 ? null : table.get(ids[0]);
    }

    /** The earliest deadline on {@link System#nanoTime()}, or {@link Long#MAX_VALUE} if none. */
    long peekDeadline() {
      return size == 0 ? Long.MAX_VALUE : keys[0];
    }

    /** Sets {@code e}'s deadline and puts it where it belongs; {@code MAX_VALUE} takes it out. */
    void update(Entry e, long deadlineNanos) {
      if (deadlineNanos == Long.MAX_VALUE) {
        remove(e);
        return;
      }
      int i = e.heapIndex;
      if (i < 0) {
        if (size == ids.length) {
          ids = java.util.Arrays.copyOf(ids, size * 2);
          keys = java.util.Arrays.copyOf(keys, size * 2);
        }
        i = size++;
      }
      down(up(i, e.id, deadlineNanos), e.id, deadlineNanos);
    }

    void remove(Entry e) {
      int i = e.heapIndex;
      if (i < 0) {
        return;
      }
      e.heapIndex = -1;
      int last = --size;
      if (i < last) {
        int id = ids[last];
        long key = keys[last];
        down(up(i, id, key), id, key);
      }
    }

    /** Moves the hole at {@code i} up to where {@code id} belongs and puts it there. */
    private int up(int i, int id, long key) {
      while (i > 0) {
        int parent = (i - 1) >>> 1;
        if (keys[parent] - key <= 0) {
          break;
        }
        place(i, ids[parent], keys[parent]);
        i = parent;
      }
      place(i, id, key);
      return i;
    }

    /** Moves {@code id}, at {@code i}, down to where it belongs. */
    private void down(int i, int id, long key) {
      while (true) {
        int child = 2 * i + 1;
        if (child >= size) {
          break;
        }
        if (child + 1 < size && keys[child + 1] - keys[child] < 0) {
          child++;
        }
        if (key - keys[child] <= 0) {
          break;
        }
        place(i, ids[child], keys[child]);
        i = child;
      }
      place(i, id, key);
    }

    private void place(int i, int id, long key) {
      ids[i] = id;
      keys[i] = key;
      table.get(id).heapIndex = i;
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
   * Opens a UDP port that connections on this loop can share ({@link
   * PeerConfiguration.Builder#sharedPort}); bound at once, read by this loop.
   *
   * @param address a concrete local address (not a wildcard: it is every connection's host
   *     candidate) and a port, 0 for any free one
   * @throws IllegalArgumentException if the address is a wildcard or unresolved
   * @throws java.io.UncheckedIOException if it cannot be bound (the message names it)
   * @throws IllegalStateException if the loop is closed
   */
  public SharedUdpPort openSharedPort(java.net.InetSocketAddress address) {
    java.util.Objects.requireNonNull(address, "address");
    if (!running) {
      throw new IllegalStateException("this PeerLoop is closed: start another to open a port on");
    }
    SharedUdpPort port = new SharedUdpPort(this, address);
    Runnable join =
        () -> {
          port.transport().register(selector, port);
          ports.add(port);
        };
    if (isLoopThread()) {
      join.run();
    } else {
      try {
        submit(join).join();
      } catch (RuntimeException e) {
        port.transport().close();
        throw e;
      }
    }
    return port;
  }

  /**
   * Hands {@code pc} to the loop. The future completes on the loop thread once it is driven there.
   *
   * @throws IllegalArgumentException if {@code pc} is on a {@link SharedUdpPort} of another loop
   */
  public CompletableFuture<Void> add(PeerConnection pc) {
    SharedUdpPort port = pc.sharedPort();
    if (port != null && port.loop() != this) {
      throw new IllegalArgumentException(
          pc.name()
              + " is on a SharedUdpPort that "
              + port.loop()
              + " reads: add it to that loop, or give its configuration a port of this one");
    }
    return submit(
        () -> {
          // Keys cancelled by an earlier remove() of this connection stay registered until the
          // next select, and registering its channels again before that throws: flush them.
          // Ready keys seen by this select come again in the next one (level-triggered).
          selector.selectNow(IGNORE_READY);
          Entry e = table.add(pc);
          if (port != null) {
            e.member = port.attach(e);
          }
          pc.register(selector, () -> signal(e));
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
          Entry e = entries.get(pc);
          if (e != null) {
            forget(e);
          }
          for (SelectionKey k : selector.keys()) {
            if (k.attachment() == pc) {
              k.cancel();
            }
          }
          pc.unregistered();
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

  /** The connection's wakeup hook, from any thread: queue it once and wake the selector. */
  private void signal(Entry e) {
    push(e);
    selector.wakeup();
  }

  /** Puts {@code e} on the signalled stack unless it is there already. */
  private void push(Entry e) {
    if (e.queued.compareAndSet(false, true)) {
      int head;
      do {
        head = signalled.get();
        e.nextSignalled = head;
      } while (!signalled.compareAndSet(head, e.id));
    }
  }

  private void run() {
    while (running) {
      try {
        round++;
        boolean ranTasks = false;
        for (Runnable t; (t = tasks.poll()) != null; ) {
          t.run();
          ranTasks = true;
        }
        if (ranTasks) {
          // A control call (addIceCandidate, setRemoteDescription, close, ...) may have armed
          // timers without a wakeup: the known deadlines are stale. Tasks are rare; refresh all.
          for (int i = connections.size() - 1; i >= 0; i--) {
            Entry e = connections.get(i);
            if (!dropIfClosed(e)) {
              if (e.member != null) {
                e.member.refreshUfrag(); // an offer, answer or restart made by a task
              }
              deadlines.update(e, deadlineOf(e.pc));
            }
          }
        }
        // Sleep until the earliest deadline, a datagram, a task or a wakeup.
        long first = deadlines.peekDeadline();
        long wait = first == Long.MAX_VALUE ? Long.MAX_VALUE : first - System.nanoTime();
        dueCount = 0;
        // The ready keys go straight to onReady: no selected-key set, so no node per ready key.
        if (signalled.get() >= 0 || !tasks.isEmpty() || wait <= 0) {
          selector.selectNow(onReady);
        } else if (wait == Long.MAX_VALUE) {
          selector.select(onReady, 0); // until a datagram, a task or a wakeup
        } else {
          // Round up: waking early would spin until the timer is actually due.
          selector.select(onReady, Math.max(1, (wait + 999_999) / 1_000_000));
        }
        for (int id = signalled.getAndSet(-1); id >= 0; ) {
          Entry e = table.get(id);
          id = e.nextSignalled;
          if (e.removed) {
            table.release(e); // off the stack for good: its id may be reused now
          } else {
            e.queued.set(false); // a signal from now on pushes it again
            markDue(e);
          }
        }
        long now = System.nanoTime();
        while (deadlines.size() > 0 && deadlines.peekDeadline() - now <= 0) {
          Entry e = deadlines.peek();
          deadlines.remove(e);
          markDue(e);
        }
        for (int i = 0; i < dueCount; i++) {
          Entry e = table.get(due[i]);
          if (e != null && !e.removed) { // removed by an earlier one's callback this round
            drive(e);
          }
        }
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
    for (SharedUdpPort port : ports) {
      port.closeNow();
    }
    ports.clear();
    try {
      selector.close();
    } catch (IOException ignored) {
      // nothing left to release
    }
  }

  /** A ready key: its connection is due, or its shared port's datagrams go to theirs. */
  private void ready(SelectionKey k) {
    if (k.attachment() instanceof PeerConnection pc) {
      pc.readyOps |= k.readyOps(); // which of its sockets to read when it runs
      markDue(entries.get(pc));
    } else if (k.attachment() instanceof SharedUdpPort port) {
      port.drain(); // marks each datagram's connection due: one pass drives each once
    }
  }

  /** Adds a driven connection to this round's list once. */
  void markDue(Entry e) {
    if (e != null && e.dueRound != round) {
      e.dueRound = round;
      if (dueCount == due.length) {
        due = java.util.Arrays.copyOf(due, 2 * dueCount);
      }
      due[dueCount++] = e.id;
    }
  }

  /** The connection's next deadline on the loop's clock ({@link System#nanoTime()}). */
  private static long deadlineOf(PeerConnection pc) {
    long next = pc.nextTimeoutNanos();
    if (next == Long.MAX_VALUE) {
      return Long.MAX_VALUE;
    }
    // Connections may run on clocks of their own: carry the distance over, not the value.
    long in = next - pc.clock().nanoTime();
    return System.nanoTime() + Math.max(0, Math.min(in, Long.MAX_VALUE / 4));
  }

  /** Forgets {@code e} if its connection is closed; true if it did. */
  private boolean dropIfClosed(Entry e) {
    if (e.pc.getState() != PeerConnectionState.CLOSED) {
      return false;
    }
    forget(e);
    return true;
  }

  /** Stops driving {@code e}: out of every structure, its id freed once no signal can name it. */
  private void forget(Entry e) {
    connections.remove(e);
    entries.remove(e.pc);
    deadlines.remove(e);
    if (e.member != null) {
      e.member.detach();
    }
    e.removed = true;
    if (!e.queued.getAndSet(true)) {
      table.release(e); // not on the signalled stack, and its hook can no longer push it
    } // else the loop frees it when it takes it off the stack
  }

  private void drive(Entry e) {
    try {
      e.pc.loop(); // not through drive(pc, Runnable): a method reference per wake is garbage
    } catch (RuntimeException ex) {
      failed(e.pc, ex);
    }
    if (dropIfClosed(e)) {
      return;
    }
    if (e.member != null) {
      e.member.refreshUfrag(); // an offer, answer or restart made in a callback
    }
    if (e.pc.hasPendingWork()) {
      push(e); // its socket budget ran out (or work arrived meanwhile): next round, after others
    }
    deadlines.update(e, deadlineOf(e.pc));
  }

  private static void drive(PeerConnection pc, Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      failed(pc, e);
    }
  }

  private static void failed(PeerConnection pc, RuntimeException e) {
    LOG.log(
        System.Logger.Level.WARNING, pc.name() + ": the connection's loop failed; others go on", e);
  }

  /**
   * Whether the calling thread is this loop's: code that may run in a connection's callback uses it
   * to hand blocking work (such as {@link #close()}, which waits for this thread) to another
   * thread.
   */
  public boolean isLoopThread() {
    return Thread.currentThread() == thread;
  }

  /** Whether the loop's thread still runs (false once {@link #close()} began). */
  boolean isRunning() {
    return running && thread.isAlive();
  }

  @Override
  public String toString() {
    return "PeerLoop[" + thread.getName() + "]";
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
