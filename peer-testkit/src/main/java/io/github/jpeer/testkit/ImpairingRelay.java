package io.github.jpeer.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * A UDP relay on 127.0.0.1 that stands between two real endpoints A and B and impairs what it
 * forwards, per direction: random loss, burst loss (bursts that start at random and last a random
 * time), reordering (holding a fraction of datagrams back for a while), duplication, a fixed delay,
 * jitter, and a one-way outage of a given length. It is the real-socket sibling of {@link
 * SimNetwork}: SimNetwork tests protocol cores in virtual time; this relay tests a driver (sockets,
 * wake-ups, timers read from a real clock) under the same conditions.
 *
 * <p>The relay has two sockets. {@link #frontOf(Side) frontOf(A)} is the address that stands for A:
 * give it to B instead of A's own address (e.g. by rewriting A's candidates in the description B
 * receives), and likewise {@code frontOf(B)} to A. A datagram from B to {@code frontOf(A)} leaves
 * from {@code frontOf(B)} towards A, so each side sees the other at the relay's address and answers
 * there. Where each real endpoint is comes from {@link #connect}.
 *
 * <p>Every random draw comes from one seeded generator per direction, so the k-th datagram of a
 * direction meets the same fate in every run with the same seed (which datagram is k-th still
 * depends on real timing), except under burst loss: a burst lasts a span of time, which real timing
 * decides how many datagrams fill. (A burst counted in datagrams, as a Gilbert-Elliott chain per
 * datagram has it, is stretched by a sender that backs off: six datagrams one retransmission
 * timeout apart became an outage of many seconds.)
 *
 * <p>It has no thread of its own: the thread that owns it moves datagrams by calling {@link
 * #pump(long)} (a bounded wait) or {@link #pumpUntil} (until a condition holds or a real-time bound
 * passes). A test whose connections run on their own loop thread calls {@code pumpUntil} from the
 * test thread; a test that calls {@code loop()} by hand interleaves {@code pump} with those calls.
 * Held datagrams are bounded ({@link #MAX_HELD}); beyond that they are dropped and counted.
 *
 * <p>Not thread-safe: one thread owns it. Binds 127.0.0.1 (or another address of this machine,
 * {@link #open(long, InetAddress)}) and forwards only to the addresses given to {@link #connect}.
 */
public final class ImpairingRelay implements AutoCloseable {
  /** The two ends of the relayed path. */
  public enum Side {
    /** The first endpoint. */
    A,
    /** The second endpoint. */
    B;

    /** The other end. */
    public Side other() {
      return this == A ? B : A;
    }
  }

  /** Most datagrams held (delayed or reordered) at once; more are dropped and counted. */
  public static final int MAX_HELD = 20_000;

  private static final int MAX_DATAGRAM = 65_535;

  /**
   * How one direction is impaired. All rates are probabilities per datagram (0 to 1); times in
   * nanoseconds. Build with {@link #builder()}; {@link #NONE} forwards everything at once.
   *
   * @param lossRate independent random loss
   * @param burstEnterRate per datagram outside a burst, the chance that a burst starts with it
   * @param burstMeanNanos mean length of a burst (exponentially distributed); every datagram in it
   *     is lost
   * @param reorderRate the share of datagrams held back by {@code reorderMinNanos} to {@code
   *     reorderMaxNanos} (uniform), so later ones overtake them
   * @param reorderMinNanos shortest hold of a reordered datagram
   * @param reorderMaxNanos longest hold of a reordered datagram
   * @param duplicateRate the share of forwarded datagrams sent twice
   * @param delayNanos fixed one-way delay
   * @param jitterNanos extra delay uniform in [0, jitterNanos); above the packet spacing it
   *     reorders
   */
  public record Impairment(
      double lossRate,
      double burstEnterRate,
      long burstMeanNanos,
      double reorderRate,
      long reorderMinNanos,
      long reorderMaxNanos,
      double duplicateRate,
      long delayNanos,
      long jitterNanos) {

    /** No impairment at all. */
    public static final Impairment NONE = builder().build();

    /** Checks every value. */
    public Impairment {
      rate(lossRate, "lossRate");
      rate(burstEnterRate, "burstEnterRate");
      rate(reorderRate, "reorderRate");
      rate(duplicateRate, "duplicateRate");
      if (burstEnterRate > 0 && burstMeanNanos <= 0) {
        throw new IllegalArgumentException("burstMeanNanos must be > 0 when bursts can start");
      }
      if (reorderMinNanos < 0 || reorderMaxNanos < reorderMinNanos) {
        throw new IllegalArgumentException(
            "need 0 <= reorderMinNanos <= reorderMaxNanos, got "
                + reorderMinNanos
                + ", "
                + reorderMaxNanos);
      }
      if (delayNanos < 0 || jitterNanos < 0) {
        throw new IllegalArgumentException("delay and jitter must be >= 0");
      }
    }

    private static void rate(double r, String name) {
      if (!(r >= 0 && r <= 1)) {
        throw new IllegalArgumentException(name + " must be within [0, 1], got " + r);
      }
    }

    /** A builder starting from no impairment. */
    public static Builder builder() {
      return new Builder();
    }

    /** Builds an {@link Impairment}; each setter returns the builder. */
    public static final class Builder {
      private double lossRate;
      private double burstEnterRate;
      private long burstMeanNanos;
      private double reorderRate;
      private long reorderMinNanos;
      private long reorderMaxNanos;
      private double duplicateRate;
      private long delayNanos;
      private long jitterNanos;

      private Builder() {}

      /** Independent random loss. */
      public Builder loss(double rate) {
        lossRate = rate;
        return this;
      }

      /**
       * Burst loss: a burst starts with {@code enterRate} per datagram and lasts {@code meanMillis}
       * on average (exponentially distributed), losing every datagram in it.
       */
      public Builder burstLoss(double enterRate, double meanMillis) {
        if (!(meanMillis > 0)) {
          throw new IllegalArgumentException("meanMillis must be > 0, got " + meanMillis);
        }
        burstEnterRate = enterRate;
        burstMeanNanos = (long) (meanMillis * 1_000_000);
        return this;
      }

      /** Holds {@code rate} of the datagrams back by {@code [minMillis, maxMillis]}. */
      public Builder reorder(double rate, long minMillis, long maxMillis) {
        reorderRate = rate;
        reorderMinNanos = minMillis * 1_000_000L;
        reorderMaxNanos = maxMillis * 1_000_000L;
        return this;
      }

      /** Sends {@code rate} of the forwarded datagrams twice. */
      public Builder duplicate(double rate) {
        duplicateRate = rate;
        return this;
      }

      /** Fixed one-way delay. */
      public Builder delayMillis(long millis) {
        delayNanos = millis * 1_000_000L;
        return this;
      }

      /** Fixed one-way delay in microseconds (loopback paths of a fraction of a millisecond). */
      public Builder delayMicros(long micros) {
        delayNanos = micros * 1_000L;
        return this;
      }

      /** Extra uniform delay in [0, millis). */
      public Builder jitterMillis(long millis) {
        jitterNanos = millis * 1_000_000L;
        return this;
      }

      /** The impairment; throws IllegalArgumentException naming a bad value. */
      public Impairment build() {
        return new Impairment(
            lossRate,
            burstEnterRate,
            burstMeanNanos,
            reorderRate,
            reorderMinNanos,
            reorderMaxNanos,
            duplicateRate,
            delayNanos,
            jitterNanos);
      }
    }
  }

  /**
   * What happened to the datagrams of one direction.
   *
   * @param received datagrams that reached the relay
   * @param forwarded datagrams sent on (duplicates included)
   * @param lost dropped by random loss
   * @param burstLost dropped inside a loss burst
   * @param outageLost dropped during an outage
   * @param reordered held back so that later ones overtake them
   * @param duplicated extra copies sent
   * @param overflow dropped because {@link #MAX_HELD} datagrams were already held
   * @param chosenLost dropped because the {@link #dropWhen} predicate chose them
   */
  public record Counts(
      long received,
      long forwarded,
      long lost,
      long burstLost,
      long outageLost,
      long reordered,
      long duplicated,
      long overflow,
      long chosenLost) {}

  /** One direction: what it is, and its counters. */
  private final class Direction {
    final Side to;
    final SplittableRandom random;
    Impairment impairment = Impairment.NONE;
    Predicate<ByteBuffer> chosen;
    InetSocketAddress destination;
    long burstEndNanos = Long.MIN_VALUE;
    long outageEndNanos = Long.MIN_VALUE;
    long received;
    long forwarded;
    long lost;
    long burstLost;
    long outageLost;
    long reordered;
    long duplicated;
    long overflow;
    long chosenLost;

    Direction(Side to, long seed) {
      this.to = to;
      this.random = new SplittableRandom(seed);
    }

    Counts counts() {
      return new Counts(
          received,
          forwarded,
          lost,
          burstLost,
          outageLost,
          reordered,
          duplicated,
          overflow,
          chosenLost);
    }
  }

  private record Held(long dueNanos, long seq, Direction direction, byte[] data)
      implements Comparable<Held> {
    @Override
    public int compareTo(Held o) {
      int c = Long.compare(dueNanos, o.dueNanos);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }

  private final Selector selector;
  // sockets[s] is frontOf(s): it receives what the other side sends to s, and sends towards s
  private final DatagramChannel[] sockets = new DatagramChannel[2];
  // towards[s]: the direction whose datagrams go to s
  private final Direction[] towards = new Direction[2];
  private final PriorityQueue<Held> held = new PriorityQueue<>();
  private final ByteBuffer buffer = ByteBuffer.allocate(MAX_DATAGRAM);
  private long sequence;
  private boolean closed;

  private ImpairingRelay(long seed, InetAddress bind) throws IOException {
    selector = Selector.open();
    for (Side s : Side.values()) {
      DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET);
      // room for a burst of a few thousand datagrams, as a real host's socket would have
      ch.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
      ch.setOption(StandardSocketOptions.SO_SNDBUF, 4 << 20);
      ch.bind(new InetSocketAddress(bind, 0));
      ch.configureBlocking(false);
      ch.register(selector, SelectionKey.OP_READ, s);
      sockets[s.ordinal()] = ch;
      towards[s.ordinal()] = new Direction(s, seed * 2 + s.ordinal());
    }
  }

  /** Opens the relay's two sockets on 127.0.0.1; nothing is forwarded until {@link #connect}. */
  public static ImpairingRelay open(long seed) {
    return open(seed, InetAddress.getLoopbackAddress());
  }

  /**
   * Opens the relay's two sockets on {@code bind}, which must be a loopback address or an address
   * of one of this machine's interfaces (for peers such as libwebrtc that ignore loopback).
   */
  public static ImpairingRelay open(long seed, InetAddress bind) {
    requireThisMachine(bind);
    try {
      return new ImpairingRelay(seed, bind);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the relay's sockets: " + e.getMessage(), e);
    }
  }

  private static void requireThisMachine(InetAddress address) {
    boolean local;
    try {
      local = address.isLoopbackAddress() || NetworkInterface.getByInetAddress(address) != null;
    } catch (SocketException e) {
      local = false;
    }
    if (!local) {
      throw new IllegalArgumentException(
          "the relay stays on this machine: "
              + address
              + " is neither loopback nor an address of one of its interfaces");
    }
  }

  /** The relay's address that stands for {@code side}: hand it to the other side. */
  public InetSocketAddress frontOf(Side side) {
    try {
      return (InetSocketAddress) sockets[side.ordinal()].getLocalAddress();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Says where the real endpoint {@code side} is; only loopback addresses and this machine's own
   * interface addresses are accepted, so the relay never sends anywhere else.
   */
  public void connect(Side side, InetSocketAddress realAddress) {
    requireThisMachine(realAddress.getAddress());
    towards[side.ordinal()].destination = realAddress;
  }

  /**
   * Drops, from now on, every datagram travelling towards {@code to} for which {@code choose}
   * returns true (null: none), before any other impairment; they are counted as {@code chosenLost}.
   * The predicate sees the datagram as a read-only buffer from position 0 to its length, on the
   * thread that pumps; a test picks packets by their cleartext headers with it (the first
   * transmission of chosen RTP sequence numbers, say).
   */
  public void dropWhen(Side to, Predicate<ByteBuffer> choose) {
    towards[to.ordinal()].chosen = choose;
  }

  /** Sets how datagrams travelling towards {@code to} are impaired (from now on). */
  public void impair(Side to, Impairment impairment) {
    towards[to.ordinal()].impairment = impairment;
  }

  /** Sets the same impairment on both directions. */
  public void impairBoth(Impairment impairment) {
    impair(Side.A, impairment);
    impair(Side.B, impairment);
  }

  /**
   * Drops every datagram travelling towards {@code to} for the next {@code millis} of real time,
   * starting now (a one-way outage; the other direction is untouched).
   */
  public void outage(Side to, long millis) {
    if (millis < 0 || millis > 600_000) {
      throw new IllegalArgumentException("outage of 0..600000 ms, got " + millis);
    }
    towards[to.ordinal()].outageEndNanos = System.nanoTime() + millis * 1_000_000L;
  }

  /** What happened so far to the datagrams travelling towards {@code to}. */
  public Counts counts(Side to) {
    return towards[to.ordinal()].counts();
  }

  /** Datagrams held right now (delayed or reordered). */
  public int heldCount() {
    return held.size();
  }

  /**
   * Moves datagrams for at most {@code maxWaitNanos} of real time: waits for arrivals or for the
   * next held datagram to fall due, forwards what is due, and returns as soon as something was
   * moved or the wait is over. Returns the number of datagrams sent on.
   */
  public int pump(long maxWaitNanos) {
    if (closed) {
      throw new IllegalStateException("the relay is closed");
    }
    try {
      long now = System.nanoTime();
      int sent = sendDue(now);
      if (sent > 0) {
        return sent + readAll(now);
      }
      long waitNanos = maxWaitNanos;
      Held head = held.peek();
      if (head != null) {
        waitNanos = Math.min(waitNanos, head.dueNanos - now);
      }
      if (waitNanos <= 0) {
        selector.selectNow();
      } else {
        // round up: waking before the due time would spin
        selector.select(Math.max(1, (waitNanos + 999_999) / 1_000_000));
      }
      selector.selectedKeys().clear();
      now = System.nanoTime();
      return readAll(now) + sendDue(now);
    } catch (IOException e) {
      throw new UncheckedIOException("relay I/O failed: " + e.getMessage(), e);
    }
  }

  /**
   * Pumps until {@code done} holds or {@code timeoutMillis} of real time have passed; returns
   * whether {@code done} held. The bound keeps a stalled test from running forever.
   */
  public boolean pumpUntil(BooleanSupplier done, long timeoutMillis) {
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
    while (!done.getAsBoolean()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return done.getAsBoolean();
      }
      pump(Math.min(left, 5_000_000L));
    }
    return true;
  }

  private int readAll(long now) throws IOException {
    int sent = 0;
    for (Side s : Side.values()) {
      DatagramChannel in = sockets[s.ordinal()];
      // what reaches frontOf(s) comes from the other side and goes on towards s
      Direction d = towards[s.ordinal()];
      for (int i = 0; i < 4096; i++) {
        buffer.clear();
        SocketAddress from = in.receive(buffer);
        if (from == null) {
          break;
        }
        buffer.flip();
        sent += onDatagram(d, from, now);
      }
    }
    return sent;
  }

  private int onDatagram(Direction d, SocketAddress from, long now) throws IOException {
    Direction back = towards[d.to.other().ordinal()];
    if (d.destination == null || !from.equals(back.destination)) {
      // not from the endpoint this socket fronts for: a stray datagram
      return 0;
    }
    d.received++;
    Predicate<ByteBuffer> chosen = d.chosen;
    if (chosen != null && chosen.test(buffer.asReadOnlyBuffer())) {
      d.chosenLost++;
      return 0;
    }
    Impairment im = d.impairment;
    if (now < d.outageEndNanos) {
      d.outageLost++;
      return 0;
    }
    if (now < d.burstEndNanos) {
      d.burstLost++;
      return 0;
    }
    if (im.burstEnterRate() > 0 && d.random.nextDouble() < im.burstEnterRate()) {
      // exponential length: memoryless, like a path that fails and recovers at random
      double u = d.random.nextDouble();
      d.burstEndNanos = now + (long) (-Math.log(1 - u) * im.burstMeanNanos());
      d.burstLost++;
      return 0;
    }
    if (im.lossRate() > 0 && d.random.nextDouble() < im.lossRate()) {
      d.lost++;
      return 0;
    }
    int copies = im.duplicateRate() > 0 && d.random.nextDouble() < im.duplicateRate() ? 2 : 1;
    if (copies == 2) {
      d.duplicated++;
    }
    int sent = 0;
    for (int c = 0; c < copies; c++) {
      long extra = im.delayNanos();
      if (im.jitterNanos() > 0) {
        extra += d.random.nextLong(im.jitterNanos());
      }
      if (im.reorderRate() > 0 && d.random.nextDouble() < im.reorderRate()) {
        d.reordered++;
        extra +=
            im.reorderMinNanos()
                + (im.reorderMaxNanos() > im.reorderMinNanos()
                    ? d.random.nextLong(im.reorderMaxNanos() - im.reorderMinNanos())
                    : 0);
      }
      if (extra == 0) {
        // nothing to wait for: held datagrams are due later, so sending now keeps the order
        sent += send(d, buffer.array(), 0, buffer.limit());
      } else if (held.size() >= MAX_HELD) {
        d.overflow++;
      } else {
        byte[] copy = new byte[buffer.limit()];
        System.arraycopy(buffer.array(), 0, copy, 0, copy.length);
        held.add(new Held(now + extra, sequence++, d, copy));
      }
    }
    return sent;
  }

  private int sendDue(long now) throws IOException {
    int sent = 0;
    for (Held h; (h = held.peek()) != null && h.dueNanos <= now; ) {
      held.poll();
      sent += send(h.direction, h.data, 0, h.data.length);
    }
    return sent;
  }

  private int send(Direction d, byte[] data, int off, int len) throws IOException {
    // towards side s, a datagram leaves from frontOf(other): that is where s believes the
    // other side is
    DatagramChannel out = sockets[d.to.other().ordinal()];
    int n = out.send(ByteBuffer.wrap(data, off, len), d.destination);
    if (n > 0) {
      d.forwarded++;
      return 1;
    }
    return 0; // the socket's send buffer is full: lost, as on a real path
  }

  /** Closes both sockets; held datagrams are discarded. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    held.clear();
    try {
      selector.close();
    } catch (IOException ignored) {
      // nothing left to release
    }
    for (DatagramChannel ch : sockets) {
      try {
        ch.close();
      } catch (IOException ignored) {
        // nothing left to release
      }
    }
  }
}
