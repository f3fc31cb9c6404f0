package io.github.jpeer.testkit;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * A simulated UDP network in virtual time: datagrams handed to {@link #send} come out of {@link
 * #poll} at their delivery time, after loss, duplication, base delay and random jitter (jitter
 * larger than the gap between two packets reorders them). Everything random comes from one seeded
 * {@link Random}, so a test replays exactly.
 *
 * <p>A test drives it like this:
 *
 * <pre>{@code
 * net.send(clock.nanoTime(), a, b, bytes);          // what a core's pollTransmit() gave
 * clock.advanceTo(Math.min(net.nextDeliveryNanos(), coreTimeouts));
 * for (Datagram d; (d = net.poll(clock.nanoTime())) != null; ) deliverTo(d.to(), d);
 * }</pre>
 *
 * <p>Two more impairments model what a real path adds: {@link #setReorder} holds a share of the
 * datagrams back by a range of delays (so a burst of later ones overtakes them, as the real-socket
 * {@code ImpairingRelay} does), and {@link #setBandwidth} puts a bottleneck of a given rate and
 * queue in front of each receiver, so a sender that floods it loses datagrams to the queue the way
 * a full socket buffer loses them, and throughput measured in virtual time has a ceiling.
 *
 * <p>An optional middlebox (see {@link #setMiddlebox}) sees every datagram before it is queued and
 * may rewrite its addresses (a NAT) or drop it (return {@code null}).
 *
 * <p>Not thread-safe: a test owns it.
 */
public final class SimNetwork {
  private final Random random;
  private final PriorityQueue<InFlight> queue = new PriorityQueue<>();
  private final Set<InetSocketAddress> blackholed = new HashSet<>();
  private long sequence;
  private double lossRate;
  private double burstEnterRate;
  private long burstMeanNanos;
  private boolean inBurst;
  private long burstEndNanos;
  private double duplicateRate;
  private long delayNanos = 1_000_000L;
  private long jitterNanos;
  private double reorderRate;
  private long reorderMinNanos;
  private long reorderMaxNanos;
  private long bytesPerSecond;
  private long queueNanos;
  // per receiver: when its bottleneck link has finished sending what is already queued
  private final Map<InetSocketAddress, long[]> linkFreeAt = new HashMap<>();
  private UnaryOperator<Datagram> middlebox = UnaryOperator.identity();

  private long sent;
  private long dropped;
  private long burstDropped;
  private long queueDropped;
  private long reordered;
  private long duplicated;
  private long delivered;

  /**
   * A perfect network (no loss, 1 ms delay, no jitter) whose randomness starts from {@code seed}.
   */
  public SimNetwork(long seed) {
    this.random = new Random(seed);
  }

  /** Drops each datagram with this probability (0 to 1). Returns this network. */
  public SimNetwork setLossRate(double lossRate) {
    this.lossRate = checkRate(lossRate, "lossRate");
    return this;
  }

  /**
   * Burst loss, as {@code ImpairingRelay} models it: outside a burst each datagram starts one with
   * probability {@code enterRate}; a burst lasts an exponentially distributed time of mean {@code
   * meanNanos} (of virtual time, not a count of datagrams, so a sender that backs off does not
   * stretch it), and every datagram sent during it is lost. One burst at a time for the whole
   * network, which is a shared bottleneck's view. 0 turns it off. Setting it ends a burst under
   * way.
   */
  public SimNetwork setBurstLoss(double enterRate, long meanNanos) {
    if (enterRate < 0 || enterRate > 1 || (enterRate > 0 && meanNanos <= 0)) {
      throw new IllegalArgumentException(
          "burst loss needs enterRate in [0, 1] and meanNanos > 0, got "
              + enterRate
              + " and "
              + meanNanos);
    }
    this.burstEnterRate = enterRate;
    this.burstMeanNanos = meanNanos;
    this.inBurst = false; // a burst under the old setting ends here
    return this;
  }

  /** Delivers each surviving datagram twice with this probability (0 to 1). */
  public SimNetwork setDuplicateRate(double duplicateRate) {
    this.duplicateRate = checkRate(duplicateRate, "duplicateRate");
    return this;
  }

  /** Fixed one-way delay every datagram takes. */
  public SimNetwork setDelayNanos(long delayNanos) {
    if (delayNanos < 0) {
      throw new IllegalArgumentException("delayNanos must be >= 0, got " + delayNanos);
    }
    this.delayNanos = delayNanos;
    return this;
  }

  /**
   * Extra delay drawn uniformly from [0, jitterNanos) per datagram; jitter above the sending
   * interval reorders datagrams.
   */
  public SimNetwork setJitterNanos(long jitterNanos) {
    if (jitterNanos < 0) {
      throw new IllegalArgumentException("jitterNanos must be >= 0, got " + jitterNanos);
    }
    this.jitterNanos = jitterNanos;
    return this;
  }

  /**
   * Holds back {@code rate} of the datagrams (0 to 1) by an extra delay drawn uniformly from
   * [minNanos, maxNanos], so later datagrams overtake them. Returns this network.
   */
  public SimNetwork setReorder(double rate, long minNanos, long maxNanos) {
    checkRate(rate, "reorder rate");
    if (minNanos < 0 || maxNanos < minNanos) {
      throw new IllegalArgumentException(
          "need 0 <= minNanos <= maxNanos, got " + minNanos + ", " + maxNanos);
    }
    this.reorderRate = rate;
    this.reorderMinNanos = minNanos;
    this.reorderMaxNanos = maxNanos;
    return this;
  }

  /**
   * Puts a bottleneck in front of every receiver: datagrams to one address leave at most at {@code
   * bytesPerSecond}, waiting in a queue that holds up to {@code queueNanos} of sending time; what
   * would wait longer is dropped (tail drop). 0 bytes per second means no bottleneck (the default).
   */
  public SimNetwork setBandwidth(long bytesPerSecond, long queueNanos) {
    if (bytesPerSecond < 0 || queueNanos < 0) {
      throw new IllegalArgumentException("bandwidth and queue must be >= 0");
    }
    this.bytesPerSecond = bytesPerSecond;
    this.queueNanos = queueNanos;
    return this;
  }

  /**
   * Installs a function that sees every datagram at send time and returns it (possibly with new
   * addresses, as a NAT would) or {@code null} to drop it (as a firewall would).
   */
  public SimNetwork setMiddlebox(UnaryOperator<Datagram> middlebox) {
    this.middlebox = middlebox == null ? UnaryOperator.identity() : middlebox;
    return this;
  }

  /** Silently drops everything sent to or from {@code address} until {@link #restore}. */
  public void blackhole(InetSocketAddress address) {
    blackholed.add(address);
  }

  /** Undoes {@link #blackhole} for {@code address}. */
  public void restore(InetSocketAddress address) {
    blackholed.remove(address);
  }

  /** Puts a copy of {@code data[offset, offset+length)} on the wire at {@code nowNanos}. */
  public void send(
      long nowNanos,
      InetSocketAddress from,
      InetSocketAddress to,
      byte[] data,
      int offset,
      int length) {
    sent++;
    byte[] copy = new byte[length];
    System.arraycopy(data, offset, copy, 0, length);
    Datagram d = middlebox.apply(new Datagram(from, to, copy));
    if (d == null
        || blackholed.contains(d.from())
        || blackholed.contains(d.to())
        || random.nextDouble() < lossRate) {
      dropped++;
      return;
    }
    if (inBurst(nowNanos)) {
      dropped++;
      burstDropped++;
      return;
    }
    long departNanos = nowNanos;
    if (bytesPerSecond > 0) {
      long[] free = linkFreeAt.computeIfAbsent(d.to(), k -> new long[] {Long.MIN_VALUE});
      long start = Math.max(nowNanos, free[0]);
      if (start - nowNanos > queueNanos) {
        dropped++;
        queueDropped++;
        return;
      }
      departNanos = start + length * 1_000_000_000L / bytesPerSecond;
      free[0] = departNanos;
    }
    enqueue(departNanos, d);
    if (random.nextDouble() < duplicateRate) {
      duplicated++;
      enqueue(departNanos, new Datagram(d.from(), d.to(), d.data().clone()));
    }
  }

  private boolean inBurst(long nowNanos) {
    if (inBurst && nowNanos - burstEndNanos < 0) {
      return true;
    }
    inBurst = burstEnterRate > 0 && random.nextDouble() < burstEnterRate;
    if (inBurst) {
      long length = (long) (-Math.log(1 - random.nextDouble()) * burstMeanNanos);
      burstEndNanos = nowNanos + Math.max(1, length);
    }
    return inBurst;
  }

  /** Puts a copy of all of {@code data} on the wire at {@code nowNanos}. */
  public void send(long nowNanos, InetSocketAddress from, InetSocketAddress to, byte[] data) {
    send(nowNanos, from, to, data, 0, data.length);
  }

  private void enqueue(long nowNanos, Datagram d) {
    long jitter = jitterNanos == 0 ? 0 : (long) (random.nextDouble() * jitterNanos);
    if (reorderRate > 0 && random.nextDouble() < reorderRate) {
      reordered++;
      jitter +=
          reorderMinNanos + (long) (random.nextDouble() * (reorderMaxNanos - reorderMinNanos));
    }
    queue.add(new InFlight(nowNanos + delayNanos + jitter, sequence++, d));
  }

  /** The next datagram due at or before {@code nowNanos}, or {@code null} if none is due. */
  public Datagram poll(long nowNanos) {
    InFlight head = queue.peek();
    if (head == null || head.dueNanos > nowNanos) {
      return null;
    }
    queue.poll();
    delivered++;
    return head.datagram;
  }

  /** All datagrams due at or before {@code nowNanos}, in delivery order. */
  public List<Datagram> pollAll(long nowNanos) {
    List<Datagram> out = new ArrayList<>();
    for (Datagram d; (d = poll(nowNanos)) != null; ) {
      out.add(d);
    }
    return out;
  }

  /** When the next datagram is due, or {@link Long#MAX_VALUE} if nothing is in flight. */
  public long nextDeliveryNanos() {
    InFlight head = queue.peek();
    return head == null ? Long.MAX_VALUE : head.dueNanos;
  }

  /** Datagrams still in flight. */
  public int inFlight() {
    return queue.size();
  }

  /** Datagrams handed to {@link #send}. */
  public long sent() {
    return sent;
  }

  /** Datagrams lost in a burst (see {@link #setBurstLoss}; also counted in dropped). */
  public long burstDropped() {
    return burstDropped;
  }

  /** Datagrams dropped by random loss, bursts, the middlebox, a blackhole or a full queue. */
  public long dropped() {
    return dropped;
  }

  /** Datagrams dropped because a bottleneck's queue was full (also counted in dropped). */
  public long queueDropped() {
    return queueDropped;
  }

  /** Datagrams held back by {@link #setReorder}. */
  public long reordered() {
    return reordered;
  }

  /** Extra copies created by duplication. */
  public long duplicated() {
    return duplicated;
  }

  /** Datagrams returned by {@link #poll}. */
  public long delivered() {
    return delivered;
  }

  private static double checkRate(double rate, String name) {
    if (!(rate >= 0.0 && rate <= 1.0)) {
      throw new IllegalArgumentException(name + " must be within [0, 1], got " + rate);
    }
    return rate;
  }

  private record InFlight(long dueNanos, long seq, Datagram datagram)
      implements Comparable<InFlight> {
    @Override
    public int compareTo(InFlight o) {
      int c = Long.compare(dueNanos, o.dueNanos);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }
}
