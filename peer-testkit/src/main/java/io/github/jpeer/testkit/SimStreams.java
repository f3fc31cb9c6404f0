package io.github.jpeer.testkit;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;

/**
 * Simulated TCP connections in virtual time: reliable, ordered byte streams between endpoints, the
 * stream counterpart of {@link SimNetwork}. It knows nothing of what the bytes mean (framing is the
 * caller's job), so any driver that speaks over a stream can be tested with it.
 *
 * <p>A listener is registered by address ({@link #listen}). {@link #connect} opens a connection
 * from an IP to a listener and gives the dialling end an ephemeral port on that IP. One one-way
 * delay later the listener's side sees {@link Accepted}; one round trip after the connect the
 * dialler sees {@link Connected}, or {@link Refused} if nothing listens there. Bytes {@link #write
 * written} on an end come out at the other end in order, one delay later (a dialler's bytes leave
 * once it is connected, as a driver that queues until then would send them), cut into {@link Data}
 * events of sizes set by {@link #setChunkSizes}: one byte at a time, fixed pieces, or random sizes
 * from the seed, and a piece may span two writes. So a reader's partial-frame handling is exercised
 * as a real socket's short reads would.
 *
 * <p>{@link #close} by one end reaches the other as {@link Closed} after the bytes already sent;
 * {@link #reset} breaks a connection at once (bytes in flight are lost, both ends see {@code
 * Closed} with {@code reset}); {@link #blackhole(End)} makes a connection's path silently lose
 * everything from then on (data and the close alike, as a dead path does; the ends find out by
 * their own timeouts), and {@link #blackhole(InetSocketAddress)} does so for every connection to or
 * from an address, including connects, which then get no answer.
 *
 * <p>A driver loop uses it like this:
 *
 * <pre>{@code
 * End e = streams.connect(now, localIp, remoteListener);   // on the first packet to send
 * streams.write(now, e, framed, 0, framed.length);
 * clock.advanceTo(Math.min(streams.nextDeliveryNanos(), coreTimeouts));
 * for (SimStreams.Event ev; (ev = streams.poll(clock.nanoTime())) != null; ) {
 *   switch (ev) { case Data d -> deframe(d.end(), d.bytes()); ... }
 * }
 * }</pre>
 *
 * <p>Everything is bounded: connections alive at once ({@value #MAX_CONNECTIONS}), ephemeral ports
 * per IP, and bytes queued on one direction of one connection ({@link #setMaxQueuedBytes}); going
 * past a bound is a test that misuses it, and throws {@link IllegalStateException}.
 *
 * <p>Not thread-safe: a test owns it.
 */
public final class SimStreams {
  /** How many connections may be alive at once. */
  public static final int MAX_CONNECTIONS = 4096;

  /** The first ephemeral port handed to a dialling end (IANA's dynamic range). */
  public static final int FIRST_EPHEMERAL_PORT = 49152;

  private static final int LAST_EPHEMERAL_PORT = 65535;
  private static final int MAX_RECORDED_CONNECTS = 65536;

  /**
   * One end of a connection, named as its socket sees it.
   *
   * @param local this end's address: the listener's for an accepted connection, the ephemeral one
   *     for a dialled connection
   * @param remote the other end's address: the dialler's ephemeral address for an accepted
   *     connection, the listener's for a dialled one
   */
  public record End(InetSocketAddress local, InetSocketAddress remote) {}

  /** What {@link #poll} reports, for one end of one connection. */
  public sealed interface Event {
    /** The end this happened at. */
    End end();
  }

  /**
   * A listener accepted a connection; {@code end.local()} is the listener's address.
   *
   * @param end the accepting end
   */
  public record Accepted(End end) implements Event {}

  /**
   * A connect completed: the dialling end's bytes now flow.
   *
   * @param end the dialling end
   */
  public record Connected(End end) implements Event {}

  /**
   * Nothing listened at the address dialled; the connection is gone.
   *
   * @param end the dialling end
   */
  public record Refused(End end) implements Event {}

  /**
   * Bytes arrived, in order.
   *
   * @param end the receiving end
   * @param bytes the bytes, owned by whoever polled the event
   */
  public record Data(End end, byte[] bytes) implements Event {}

  /**
   * The other end closed the connection ({@code reset} false, after all it had sent), or the
   * connection was broken ({@code reset} true, see {@link SimStreams#reset}). This end is closed
   * too: writes on it are dropped.
   *
   * @param end the end told
   * @param reset whether the connection was reset rather than closed in order
   */
  public record Closed(End end, boolean reset) implements Event {}

  private final Random random;
  private final Set<InetSocketAddress> listeners = new HashSet<>();
  private final Set<InetSocketAddress> blackholed = new HashSet<>();
  private final Map<End, Side> sides = new HashMap<>();
  private final Map<InetAddress, Integer> nextPort = new HashMap<>();
  private final PriorityQueue<Arrival> queue = new PriorityQueue<>();
  // ends with something to report, in the order they got it; each reports once per turn
  private final LinkedHashMap<Side, Boolean> ready = new LinkedHashMap<>();
  private final List<End> connects = new ArrayList<>();
  private long delayNanos = 1_000_000L;
  private int chunkMin = 65536;
  private int chunkMax = 65536;
  private long maxQueuedBytes = 4L << 20;
  private long sequence;
  private long lastPollNanos = Long.MIN_VALUE;
  private int connections;
  private long connectCount;
  private long refused;
  private long bytesWritten;
  private long bytesDelivered;
  private long bytesDropped;

  /**
   * No connections, 1 ms one-way delay, whole writes delivered at once; random from {@code seed}.
   */
  public SimStreams(long seed) {
    this.random = new Random(seed);
  }

  /**
   * The one-way delay of every connection opened from now on, and of bytes written from now on (a
   * shorter delay never lets bytes overtake earlier ones). Returns this.
   */
  public SimStreams setDelayNanos(long delayNanos) {
    if (delayNanos < 0) {
      throw new IllegalArgumentException("delayNanos must be >= 0, got " + delayNanos);
    }
    this.delayNanos = delayNanos;
    return this;
  }

  /**
   * How arrived bytes are cut into {@link Data} events: each carries a size drawn uniformly from
   * [min, max] (or what there is, if less). {@code (1, 1)} delivers one byte at a time; the default
   * is 65536 each, so a write usually arrives whole. Returns this.
   */
  public SimStreams setChunkSizes(int min, int max) {
    if (min < 1 || max < min) {
      throw new IllegalArgumentException("need 1 <= min <= max, got " + min + ", " + max);
    }
    this.chunkMin = min;
    this.chunkMax = max;
    return this;
  }

  /**
   * The most bytes that may be written on one end and not yet be polled at the other (default 4
   * MiB); past it {@link #write} throws, as a test that never polls has a bug. Returns this.
   */
  public SimStreams setMaxQueuedBytes(long maxQueuedBytes) {
    if (maxQueuedBytes < 1) {
      throw new IllegalArgumentException("maxQueuedBytes must be >= 1, got " + maxQueuedBytes);
    }
    this.maxQueuedBytes = maxQueuedBytes;
    return this;
  }

  /** Accepts connections to {@code address} from now on. */
  public void listen(InetSocketAddress address) {
    listeners.add(checkConcrete(address));
  }

  /** Refuses connections to {@code address} from now on; connections already made stay. */
  public void unlisten(InetSocketAddress address) {
    listeners.remove(address);
  }

  /** Whether connections to {@code address} are accepted. */
  public boolean isListening(InetSocketAddress address) {
    return listeners.contains(address);
  }

  /**
   * Opens a connection from {@code fromIp} (an ephemeral port is picked on it) to {@code remote}.
   * The dialler hears {@link Connected} or {@link Refused} one round trip later, or nothing if
   * either address is blackholed. It may write at once: its bytes leave when the connection is up.
   *
   * @return the dialling end
   * @throws IllegalStateException if {@value #MAX_CONNECTIONS} connections are alive, or the IP has
   *     no ephemeral port left
   */
  public End connect(long nowNanos, InetAddress fromIp, InetSocketAddress remote) {
    checkConcrete(remote);
    if (connections >= MAX_CONNECTIONS) {
      throw new IllegalStateException(
          MAX_CONNECTIONS + " simulated connections are alive; close some first");
    }
    InetSocketAddress local = new InetSocketAddress(fromIp, ephemeralPort(fromIp, remote));
    End end = new End(local, remote);
    Side dialler = new Side(end, nowNanos + 2 * delayNanos);
    sides.put(end, dialler);
    connections++;
    connectCount++;
    if (connects.size() < MAX_RECORDED_CONNECTS) {
      connects.add(end);
    }
    if (blackholed.contains(local) || blackholed.contains(remote)) {
      dialler.hung = true; // nothing comes back, ever
    } else if (!listeners.contains(remote)) {
      refused++;
      schedule(nowNanos + 2 * delayNanos, dialler, new Refused(end));
    } else {
      Side acceptor = new Side(new End(remote, local), nowNanos + delayNanos);
      acceptor.peer = dialler;
      dialler.peer = acceptor;
      sides.put(acceptor.end, acceptor);
      schedule(nowNanos + delayNanos, acceptor, new Accepted(acceptor.end));
      schedule(nowNanos + 2 * delayNanos, dialler, new Connected(end));
    }
    return end;
  }

  private int ephemeralPort(InetAddress ip, InetSocketAddress remote) {
    int first = nextPort.getOrDefault(ip, FIRST_EPHEMERAL_PORT);
    int span = LAST_EPHEMERAL_PORT - FIRST_EPHEMERAL_PORT + 1;
    for (int i = 0; i < span; i++) {
      int port = FIRST_EPHEMERAL_PORT + (first - FIRST_EPHEMERAL_PORT + i) % span;
      InetSocketAddress candidate = new InetSocketAddress(ip, port);
      if (!listeners.contains(candidate) && !sides.containsKey(new End(candidate, remote))) {
        nextPort.put(ip, port == LAST_EPHEMERAL_PORT ? FIRST_EPHEMERAL_PORT : port + 1);
        return port;
      }
    }
    throw new IllegalStateException("no ephemeral port left on " + ip.getHostAddress());
  }

  /**
   * Sends {@code data[offset, offset+length)} from {@code end} to the other end, which gets it in
   * order one delay later (at the earliest when the connection is up).
   *
   * @return false if the bytes were dropped: the end is closed, reset, refused or unknown
   * @throws IllegalStateException if more than {@link #setMaxQueuedBytes} would be queued
   */
  public boolean write(long nowNanos, End end, byte[] data, int offset, int length) {
    java.util.Objects.checkFromIndexSize(offset, length, data.length);
    Side s = sides.get(end);
    if (s == null || s.closed || s.hung) {
      bytesDropped += length;
      return s != null && s.hung && !s.closed; // a hung connection takes bytes and loses them
    }
    if (length == 0) {
      return true;
    }
    Side to = s.peer;
    if (to == null) { // refused, not known yet at this end
      bytesDropped += length;
      return true;
    }
    if (to.queuedBytes + length > maxQueuedBytes) {
      throw new IllegalStateException(
          "more than " + maxQueuedBytes + " bytes queued towards " + to.end + "; poll them");
    }
    byte[] copy = new byte[length];
    System.arraycopy(data, offset, copy, 0, length);
    bytesWritten += length;
    to.queuedBytes += length;
    long depart = Math.max(nowNanos, s.writableFromNanos);
    schedule(depart + delayNanos, to, copy);
    return true;
  }

  /** Sends all of {@code data}; see {@link #write(long, End, byte[], int, int)}. */
  public boolean write(long nowNanos, End end, byte[] data) {
    return write(nowNanos, end, data, 0, data.length);
  }

  /**
   * Closes {@code end}: what it has not read is discarded, and the other end gets {@link Closed}
   * after the bytes already written to it. Closing an end twice, or an unknown one, does nothing.
   */
  public void close(long nowNanos, End end) {
    Side s = sides.get(end);
    if (s == null || s.closed) {
      return;
    }
    finish(s);
    Side to = s.peer;
    if (to != null && !to.closed) {
      schedule(Math.max(nowNanos, s.writableFromNanos) + delayNanos, to, new Closed(to.end, false));
    }
  }

  /**
   * Breaks the connection {@code end} belongs to at once: bytes in flight are lost and both ends
   * get {@link Closed} with {@code reset} true. Does nothing for an unknown or closed connection.
   */
  public void reset(long nowNanos, End end) {
    Side s = sides.get(end);
    if (s == null) {
      return;
    }
    for (Side x : new Side[] {s, s.peer}) {
      if (x != null && !x.closed) {
        x.resetPending = true;
        discardInbox(x);
        // at once, ahead of bytes still in flight (they are lost on arrival: the end is closed)
        queue.add(new Arrival(nowNanos, sequence++, x, new Closed(x.end, true)));
        x.closed = true; // writes stop now; the event still reaches it
      }
    }
  }

  /**
   * From now on the path of {@code end}'s connection loses everything in both directions: bytes and
   * the close, not yet arrived or written later. No event says so.
   */
  public void blackhole(End end) {
    Side s = sides.get(end);
    if (s != null) {
      s.pathDead = true;
      if (s.peer != null) {
        s.peer.pathDead = true;
      }
    }
  }

  /**
   * Every connection to or from {@code address} loses everything from now on, and a connect to or
   * from it gets no answer at all, until {@link #restore}.
   */
  public void blackhole(InetSocketAddress address) {
    blackholed.add(address);
  }

  /** Undoes {@link #blackhole(InetSocketAddress)}; connections hung meanwhile stay hung. */
  public void restore(InetSocketAddress address) {
    blackholed.remove(address);
  }

  /**
   * The next event due at or before {@code nowNanos}, or {@code null}. Ends with something to
   * report take turns, one event each.
   */
  public Event poll(long nowNanos) {
    lastPollNanos = nowNanos;
    for (Arrival a; (a = queue.peek()) != null && a.dueNanos <= nowNanos; ) {
      queue.poll();
      arrive(a);
    }
    // each turn removes an empty end or takes an item from one: bounded by the items held
    while (!ready.isEmpty()) {
      Side s = ready.keySet().iterator().next();
      ready.remove(s);
      Event e = take(s);
      if (!s.inbox.isEmpty()) {
        ready.put(s, Boolean.TRUE);
      }
      if (e != null) {
        return e;
      }
    }
    return null;
  }

  private void arrive(Arrival a) {
    Side to = a.to;
    boolean dead =
        to.pathDead || blackholed.contains(to.end.local()) || blackholed.contains(to.end.remote());
    if (a.item instanceof byte[] bytes) {
      if (to.closed || dead) {
        to.queuedBytes -= bytes.length;
        bytesDropped += bytes.length;
        return;
      }
    } else if (a.item instanceof Closed c) {
      if (c.reset()) {
        if (!to.resetPending || sides.get(to.end) != to) {
          return;
        }
        to.resetPending = false;
      } else if (to.closed || dead) {
        return;
      } else {
        to.closed = true;
      }
    }
    to.inbox.add(a.item);
    ready.put(to, Boolean.TRUE);
  }

  private Event take(Side s) {
    Object head = s.inbox.peek();
    if (head == null) {
      return null;
    }
    if (!(head instanceof byte[])) {
      s.inbox.poll();
      Event e = (Event) head;
      if (e instanceof Refused || e instanceof Closed) {
        finish(s);
      }
      return e;
    }
    int want = chunkMin == chunkMax ? chunkMin : chunkMin + random.nextInt(chunkMax - chunkMin + 1);
    int available = 0;
    for (Object o : s.inbox) {
      if (!(o instanceof byte[] b) || available >= want) {
        break;
      }
      available += (o == head ? b.length - s.headOffset : b.length);
    }
    byte[] out = new byte[Math.min(want, available)];
    int n = 0;
    while (n < out.length) {
      byte[] b = (byte[]) s.inbox.peek();
      int k = Math.min(out.length - n, b.length - s.headOffset);
      System.arraycopy(b, s.headOffset, out, n, k);
      n += k;
      s.headOffset += k;
      if (s.headOffset == b.length) {
        s.inbox.poll();
        s.headOffset = 0;
      }
    }
    s.queuedBytes -= out.length;
    bytesDelivered += out.length;
    return new Data(s.end, out);
  }

  /** This end is done: nothing more is read or written; its connection goes when both are. */
  private void finish(Side s) {
    s.closed = true;
    discardInbox(s);
    if (!s.released) {
      s.released = true;
      sides.remove(s.end);
      if (s.peer == null || s.peer.released) {
        connections--;
      }
    }
  }

  /** Drops what arrived at {@code s} and was not polled; bytes still in flight drop on arrival. */
  private void discardInbox(Side s) {
    long held = -s.headOffset;
    for (Object o : s.inbox) {
      if (o instanceof byte[] b) {
        held += b.length;
      }
    }
    bytesDropped += held;
    s.queuedBytes -= held;
    s.inbox.clear();
    s.headOffset = 0;
    ready.remove(s);
  }

  private void schedule(long dueNanos, Side to, Object item) {
    // in order per end: nothing overtakes what was sent before it
    long due = Math.max(dueNanos, to.lastDueNanos);
    to.lastDueNanos = due;
    queue.add(new Arrival(due, sequence++, to, item));
  }

  /**
   * When the next event is due: at or before the last {@link #poll} time if events are waiting
   * there, {@link Long#MAX_VALUE} if nothing is in flight.
   */
  public long nextDeliveryNanos() {
    if (!ready.isEmpty()) {
      return lastPollNanos;
    }
    Arrival head = queue.peek();
    return head == null ? Long.MAX_VALUE : head.dueNanos;
  }

  /** Whether {@code end} is open: known, and neither closed by it nor told of a close. */
  public boolean isOpen(End end) {
    Side s = sides.get(end);
    return s != null && !s.closed;
  }

  /** The dialling ends of every connect so far (the first 65536), in order. */
  public List<End> connects() {
    return Collections.unmodifiableList(connects);
  }

  /** Connects made so far. */
  public long connectCount() {
    return connectCount;
  }

  /** Connects refused because nothing listened. */
  public long refused() {
    return refused;
  }

  /** Connections alive (at least one end not yet closed). */
  public int connections() {
    return connections;
  }

  /** Bytes accepted by {@link #write} on connections that were up or coming up. */
  public long bytesWritten() {
    return bytesWritten;
  }

  /** Bytes handed out in {@link Data} events. */
  public long bytesDelivered() {
    return bytesDelivered;
  }

  /** Bytes lost: to blackholes, resets, closed ends and refused connects. */
  public long bytesDropped() {
    return bytesDropped;
  }

  private static InetSocketAddress checkConcrete(InetSocketAddress address) {
    if (address.isUnresolved() || address.getAddress().isAnyLocalAddress()) {
      throw new IllegalArgumentException(
          address + " must be a concrete address, not a name or wildcard");
    }
    return address;
  }

  private static final class Side {
    final End end;
    final long writableFromNanos;
    final ArrayDeque<Object> inbox = new ArrayDeque<>();
    Side peer;
    int headOffset;
    long queuedBytes;
    long lastDueNanos = Long.MIN_VALUE;
    boolean closed;
    boolean released;
    boolean hung;
    boolean pathDead;
    boolean resetPending;

    Side(End end, long writableFromNanos) {
      this.end = end;
      this.writableFromNanos = writableFromNanos;
    }

    @Override
    public String toString() {
      return "Side" + end;
    }
  }

  private record Arrival(long dueNanos, long seq, Side to, Object item)
      implements Comparable<Arrival> {
    @Override
    public int compareTo(Arrival o) {
      int c = Long.compare(dueNanos, o.dueNanos);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }
}
