package io.github.jpeer;

import io.github.jpeer.testkit.Datagram;
import io.github.jpeer.testkit.SimNetwork;
import io.github.jpeer.testkit.VirtualClock;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.UnaryOperator;

/**
 * A whole call in virtual time: two {@link PeerCore}s over a {@link SimNetwork}, driven the way
 * {@link PeerConnection} drives one (datagrams in, timers, transmits out, events), with a {@link
 * VirtualClock} that jumps to the next thing due. Everything but BouncyCastle's DTLS handshake
 * thread runs on the test's thread; while a handshake is under way, a step that moved nothing waits
 * (bounded, in wall time) for that thread's wakeup before time moves on.
 *
 * <p>Scenarios schedule application actions with {@link #every} and {@link #at} and change the
 * network as they go ({@link SimNetwork#blackhole}, a middlebox for NAT rebinding).
 */
final class SimCall {
  static final long MS = 1_000_000L;
  static final long SECOND = 1000 * MS;
  private static final long WALL_BOUND_NANOS = 60 * SECOND;

  final VirtualClock clock = new VirtualClock(1_000 * SECOND);
  final SimNetwork net;
  final Side offerer;
  final Side answerer;
  private final Semaphore wakeups = new Semaphore(0);
  private final PriorityQueue<Task> tasks = new PriorityQueue<>();
  private long taskSequence;

  /** One end of the call and what it saw. */
  final class Side {
    final String name;
    InetSocketAddress address;
    final PeerCore core;
    final List<PeerConnectionState> states = new ArrayList<>();
    final List<String> messages = new ArrayList<>();

    /** The label of the channel each of {@link #messages} came on. */
    final List<String> messageChannels = new ArrayList<>();

    final List<DataChannel> opened = new ArrayList<>();
    final List<DataChannel> closed = new ArrayList<>();
    final List<Integer> audioSequence = new ArrayList<>();
    String completeDescription;
    long keyframeRequests;
    long lowEvents;
    long lossReports;

    /** When the state first became COMPLETED (virtual nanos since the call started), or -1. */
    long completedAtNanos = -1;

    Side(String name, InetSocketAddress address, PeerConfiguration config) {
      this.name = name;
      this.address = address;
      this.core = new PeerCore(config, List.of(address), clock.nanoTime());
      core.wakeup(wakeups::release);
    }

    PeerConnectionState state() {
      return core.state();
    }

    DataChannel channel(String label) {
      for (DataChannel ch : core.dataChannels()) {
        if (ch.label().equals(label) && ch.isOpen()) {
          return ch;
        }
      }
      return null;
    }

    @Override
    public String toString() {
      return name
          + " "
          + core.state()
          + " states "
          + states
          + " audio "
          + audioSequence.size()
          + " messages "
          + messages.size()
          + " "
          + core.stats().dropped();
    }
  }

  private record Task(long dueNanos, long sequence, long periodNanos, LongConsumer action)
      implements Comparable<Task> {
    @Override
    public int compareTo(Task o) {
      int c = Long.compare(dueNanos, o.dueNanos);
      return c != 0 ? c : Long.compare(sequence, o.sequence);
    }
  }

  private final long startNanos = clock.nanoTime();

  /**
   * The mDNS responder on the simulated link: given a side's query it returns the answer, which
   * reaches that side 5 ms later, or null to stay silent. By default nobody answers.
   */
  BiFunction<Side, byte[], byte[]> mdnsResponder = (side, query) -> null;

  /** Sees every datagram the network delivers to a side, just before that side's core does. */
  BiConsumer<Side, Datagram> deliveryTap = (side, d) -> {};

  /**
   * Two cores at 10.0.0.1 and 10.0.0.2 with Opus audio and a string data channel; {@code configure}
   * may change either's configuration (it sees the builder and whether it is the offerer's).
   */
  SimCall(long seed, SimNetwork net, Consumer<PeerConfiguration.Builder> configure) {
    this.net = net;
    this.offerer =
        new Side("offerer", new InetSocketAddress("10.0.0.1", 5000), config(seed, configure));
    this.answerer =
        new Side("answerer", new InetSocketAddress("10.0.0.2", 5000), config(seed + 1, configure));
  }

  SimCall(long seed, SimNetwork net) {
    this(seed, net, b -> {});
  }

  private static PeerConfiguration config(
      long seed, Consumer<PeerConfiguration.Builder> configure) {
    PeerConfiguration.Builder b =
        PeerConfiguration.builder()
            .audioCodec(MediaCodec.OPUS)
            .dataChannel(DataChannelType.STRING)
            .random(new SplittableRandom(seed))
            .epochClock(InstantSource.fixed(Instant.parse("2026-12-03T10:00:00Z")))
            .name("sim-" + seed);
    configure.accept(b);
    return b.build();
  }

  /** Nanoseconds of virtual time since the call was made. */
  long elapsedNanos() {
    return clock.nanoTime() - startNanos;
  }

  /** Runs {@code action(now)} every {@code periodNanos}, starting one period from now. */
  void every(long periodNanos, LongConsumer action) {
    tasks.add(new Task(clock.nanoTime() + periodNanos, taskSequence++, periodNanos, action));
  }

  /** Runs {@code action(now)} once, {@code delayNanos} from now. */
  void at(long delayNanos, LongConsumer action) {
    tasks.add(new Task(clock.nanoTime() + delayNanos, taskSequence++, 0, action));
  }

  /** Offer, then answer, each the complete description (gathering ends at once: host only). */
  void negotiate() {
    negotiate(UnaryOperator.identity(), UnaryOperator.identity());
  }

  /** As {@link #negotiate()}, with each description changed on its way (as signaling might). */
  void negotiate(UnaryOperator<String> offerOnTheWay, UnaryOperator<String> answerOnTheWay) {
    offerer.core.createOffer(clock.nanoTime());
    runUntil(() -> offerer.completeDescription != null, SECOND);
    answerer.core.setRemoteDescription(
        clock.nanoTime(), offerOnTheWay.apply(offerer.completeDescription), SdpType.OFFER);
    answerer.core.createAnswer(clock.nanoTime());
    runUntil(() -> answerer.completeDescription != null, SECOND);
    offerer.core.setRemoteDescription(
        clock.nanoTime(), answerOnTheWay.apply(answerer.completeDescription), SdpType.ANSWER);
  }

  /** Negotiates and runs until both sides are COMPLETED; false if that takes over {@code limit}. */
  boolean connect(long limitNanos) {
    negotiate();
    return runUntil(
        () ->
            offerer.state() == PeerConnectionState.COMPLETED
                && answerer.state() == PeerConnectionState.COMPLETED,
        limitNanos);
  }

  /** Whether both sides are in {@code state}. */
  boolean bothIn(PeerConnectionState state) {
    return offerer.state() == state && answerer.state() == state;
  }

  /**
   * Connects (within 5 s), then sends audio both ways for a second: a call that was up.
   *
   * @throws IllegalStateException if it does not connect
   */
  SimCall upWithAudio() {
    if (!connect(5 * SECOND)) {
      throw new IllegalStateException("no call: " + this);
    }
    audioBothWays();
    run(SECOND);
    return this;
  }

  /** Sends a 20 ms Opus frame carrying its index from each side every 20 ms once connected. */
  void audioBothWays() {
    int[] index = new int[2];
    every(20 * MS, now -> sendFrame(offerer, now, index, 0));
    every(20 * MS, now -> sendFrame(answerer, now, index, 1));
  }

  private static void sendFrame(Side side, long now, int[] index, int which) {
    if (side.state() != PeerConnectionState.COMPLETED) {
      return;
    }
    byte[] f = new byte[60];
    f[0] = (byte) 0xf8; // Opus TOC: CELT FB 20 ms, mono, one frame
    int i = index[which]++;
    f[1] = (byte) (i >>> 8);
    f[2] = (byte) i;
    side.core.sendAudio(now, f, f.length);
  }

  /**
   * Moves datagrams, timers and scheduled actions until {@code done} holds; false if {@code
   * limitNanos} of virtual time (or a minute of wall time) passed first.
   */
  boolean runUntil(BooleanSupplier done, long limitNanos) {
    long end = clock.nanoTime() + limitNanos;
    long wallEnd = System.nanoTime() + WALL_BOUND_NANOS;
    while (!done.getAsBoolean()) {
      if (clock.nanoTime() - end > 0 || System.nanoTime() - wallEnd > 0) {
        return false;
      }
      step(end);
    }
    return true;
  }

  /** Runs for {@code nanos} of virtual time. */
  void run(long nanos) {
    long end = clock.nanoTime() + nanos;
    runUntil(() -> clock.nanoTime() >= end, nanos + 1);
  }

  private void step(long end) {
    long now = clock.nanoTime();
    boolean moved = flush(offerer) | flush(answerer);
    for (Datagram d; (d = net.poll(now)) != null; ) {
      Side to =
          d.to().equals(offerer.address)
              ? offerer
              : d.to().equals(answerer.address) ? answerer : null;
      if (to != null) {
        deliveryTap.accept(to, d);
        to.core.handleReceive(now, to.address, d.from(), d.data(), 0, d.data().length);
      }
      moved = true;
    }
    if (moved) {
      return;
    }
    long next =
        Math.min(
            net.nextDeliveryNanos(),
            Math.min(offerer.core.pollTimeoutNanos(), answerer.core.pollTimeoutNanos()));
    if (offerer.core.handshaking() || answerer.core.handshaking()) {
      // BouncyCastle works and retransmits in wall time: let virtual time follow wall time, in
      // 5 ms slices, until its thread has said something.
      try {
        if (wakeups.tryAcquire(5, TimeUnit.MILLISECONDS)) {
          offerer.core.handleTimeout(now);
          answerer.core.handleTimeout(now);
          return;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      next = Math.min(next, now + 5 * MS);
    }
    Task task = tasks.peek();
    if (task != null) {
      next = Math.min(next, task.dueNanos());
    }
    next = Math.min(next, end + 1);
    if (next > now) {
      clock.advanceTo(next);
    }
    now = clock.nanoTime();
    while ((task = tasks.peek()) != null && task.dueNanos() <= now) {
      tasks.poll();
      task.action().accept(now);
      if (task.periodNanos() > 0) {
        tasks.add(
            new Task(
                task.dueNanos() + task.periodNanos(),
                taskSequence++,
                task.periodNanos(),
                task.action()));
      }
    }
    for (Side s : List.of(offerer, answerer)) {
      if (now >= s.core.pollTimeoutNanos()) {
        s.core.handleTimeout(now);
      }
    }
  }

  /** Sends what a side has to send and records its events; true if anything moved. */
  private boolean flush(Side s) {
    boolean moved = false;
    long now = clock.nanoTime();
    for (OutgoingDatagram d; (d = s.core.pollTransmit()) != null; ) {
      moved = true;
      if (!d.isMdns()) {
        net.send(now, s.address, d.destination(), d.data(), 0, d.length());
      } else {
        byte[] answer = mdnsResponder.apply(s, Arrays.copyOf(d.data(), d.length()));
        if (answer != null) {
          at(5 * MS, t -> s.core.handleMdnsReceive(t, answer, answer.length));
        }
      }
    }
    for (PeerEvent e; (e = s.core.pollEvent()) != null; ) {
      moved = true;
      record(s, e);
    }
    return moved;
  }

  private void record(Side s, PeerEvent e) {
    if (e instanceof PeerEvent.MediaFrame f) {
      ByteBuffer b = f.frame();
      if (!f.isVideo() && b.remaining() >= 3) {
        s.audioSequence.add(
            ((b.get(b.position() + 1) & 0xff) << 8) | (b.get(b.position() + 2) & 0xff));
      }
    } else if (e instanceof PeerEvent.StateChanged c) {
      s.states.add(c.state());
      if (c.state() == PeerConnectionState.COMPLETED && s.completedAtNanos < 0) {
        s.completedAtNanos = elapsedNanos();
      }
    } else if (e instanceof PeerEvent.LocalDescriptionComplete d) {
      s.completeDescription = d.sdp();
    } else if (e instanceof PeerEvent.ChannelOpen o) {
      s.opened.add(o.channel());
    } else if (e instanceof PeerEvent.ChannelClosed c) {
      s.closed.add(c.channel());
    } else if (e instanceof PeerEvent.ChannelMessage m) {
      s.messages.add(StandardCharsets.UTF_8.decode(m.message()).toString());
      s.messageChannels.add(m.channel().label());
    } else if (e instanceof PeerEvent.BufferedAmountLow) {
      s.lowEvents++;
    } else if (e instanceof PeerEvent.KeyframeRequest) {
      s.keyframeRequests++;
    } else if (e instanceof PeerEvent.PacketLoss) {
      s.lossReports++;
    }
  }

  /** Closes both cores and delivers what they said on the way out. */
  void close() {
    offerer.core.close(clock.nanoTime());
    answerer.core.close(clock.nanoTime());
    run(100 * MS);
  }

  @Override
  public String toString() {
    return offerer + "; " + answerer + "; net sent " + net.sent() + " dropped " + net.dropped();
  }
}
