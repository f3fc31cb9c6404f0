package io.github.jpeer;

import io.github.jpeer.agent.IceCandidate;
import io.github.jpeer.stun.StreamFramer;
import io.github.jpeer.testkit.Datagram;
import io.github.jpeer.testkit.SimNetwork;
import io.github.jpeer.testkit.SimStreams;
import io.github.jpeer.testkit.VirtualClock;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 *
 * <p>A call made with {@link #tcpOnly} goes over ICE-TCP (RFC 6544) on {@link #streams}, simulated
 * TCP, as {@link PeerConnection}'s driver does it: each side listens on its IP, and what the core
 * sends over a stream ({@link OutgoingDatagram#isIceTcp()}) is framed by RFC 4571 and written on
 * the connection between its local address and its destination, dialled from an active candidate's
 * IP on the first packet, the one the remote opened for a passive candidate (the packet is dropped
 * and counted if there is none); an empty packet closes it. Each connection end de-frames what
 * arrives (in the pieces {@link SimStreams#setChunkSizes} cuts, down to one byte) into {@link
 * PeerCore#handleStreamReceive}; a refused or closed connection goes to {@link
 * PeerCore#streamClosed}.
 */
final class SimCall {
  static final long MS = 1_000_000L;
  static final long SECOND = 1000 * MS;
  private static final long WALL_BOUND_NANOS = 60 * SECOND;

  final VirtualClock clock = new VirtualClock(1_000 * SECOND);
  final SimNetwork net;

  /** The simulated TCP a {@link #tcpOnly} call goes over; unused by a UDP call. */
  final SimStreams streams;

  final Side offerer;
  final Side answerer;
  private final Semaphore wakeups = new Semaphore(0);
  private final PriorityQueue<Task> tasks = new PriorityQueue<>();
  private long taskSequence;
  // every connection end a side has, dialled or accepted
  private final Map<SimStreams.End, TcpLink> tcpLinks = new HashMap<>();

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

    /** TCP listening addresses (ICE-TCP passive candidates); empty for a UDP-only side. */
    final List<InetSocketAddress> tcpListeners;

    /** This side's connection ends, by (the core's local address, the core's remote address). */
    final Map<List<InetSocketAddress>, TcpLink> links = new LinkedHashMap<>();

    /** Connection ends this side's listener accepted. */
    final List<SimStreams.End> accepted = new ArrayList<>();

    /** Connection ends reported to the core as refused or closed. */
    final List<SimStreams.End> streamsLost = new ArrayList<>();

    /** ICE-TCP packets from a passive candidate that had no connection to send them on. */
    long streamDropped;

    /** Pieces of stream read (SimStreams' Data events) and the bytes in them. */
    long streamReads;

    long streamBytesRead;

    /** When the state first became COMPLETED (virtual nanos since the call started), or -1. */
    long completedAtNanos = -1;

    Side(
        String name,
        InetSocketAddress address,
        List<InetSocketAddress> tcpListeners,
        PeerConfiguration config) {
      this.name = name;
      this.address = address;
      this.tcpListeners = List.copyOf(tcpListeners);
      this.core =
          this.tcpListeners.isEmpty()
              ? new PeerCore(config, List.of(address), clock.nanoTime())
              : new PeerCore(config, List.of(address), this.tcpListeners, clock.nanoTime());
      core.wakeup(wakeups::release);
      for (InetSocketAddress l : this.tcpListeners) {
        streams.listen(l);
      }
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

  /** One connection end of a side, named as its core names it. */
  static final class TcpLink {
    final Side side;
    final SimStreams.End end;

    /** The core's local address: the active candidate's IP:9, or the listener. */
    final InetSocketAddress local;

    /** The far end as the socket sees it. */
    final InetSocketAddress remote;

    final StreamFramer framer = new StreamFramer(StreamFramer.Framing.RFC_4571);

    TcpLink(Side side, SimStreams.End end, InetSocketAddress local, InetSocketAddress remote) {
      this.side = side;
      this.end = end;
      this.local = local;
      this.remote = remote;
    }

    @Override
    public String toString() {
      return side.name + " " + local + " <-> " + remote;
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
    this(seed, net, new SimStreams(seed), configure, false, false);
  }

  private SimCall(
      long seed,
      SimNetwork net,
      SimStreams streams,
      Consumer<PeerConfiguration.Builder> configure,
      boolean tcp,
      boolean offererSecond) {
    this.net = net;
    this.streams = streams;
    String offererIp = offererSecond ? "10.0.0.2" : "10.0.0.1";
    String answererIp = offererSecond ? "10.0.0.1" : "10.0.0.2";
    this.offerer = side("offerer", offererIp, tcp, config(seed, configure));
    this.answerer = side("answerer", answererIp, tcp, config(seed + 1, configure));
  }

  /**
   * A call over ICE-TCP only ({@link PeerConfiguration.Builder#iceUdp} off): each side listens on
   * {@link #TCP_PORT} of its IP, and the offerer is at 10.0.0.1, or at 10.0.0.2 if {@code
   * offererSecond} (so either address ends up dialling). {@code streams} sets the delay and how
   * arriving bytes are cut.
   */
  static SimCall tcpOnly(
      long seed,
      SimStreams streams,
      boolean offererSecond,
      Consumer<PeerConfiguration.Builder> configure) {
    return new SimCall(
        seed,
        new SimNetwork(seed),
        streams,
        b -> configure.accept(b.iceUdp(false)),
        true,
        offererSecond);
  }

  /** The port each side of a {@link #tcpOnly} call listens on. */
  static final int TCP_PORT = 4443;

  private Side side(String name, String ip, boolean tcp, PeerConfiguration config) {
    return new Side(
        name,
        new InetSocketAddress(ip, 5000),
        tcp ? List.of(new InetSocketAddress(ip, TCP_PORT)) : List.of(),
        config);
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
    audioBothWays(Integer.MAX_VALUE);
  }

  /** As {@link #audioBothWays()}, stopping after {@code frames} frames from each side. */
  void audioBothWays(int frames) {
    int[] index = new int[2];
    every(20 * MS, now -> sendFrame(offerer, now, index, 0, frames));
    every(20 * MS, now -> sendFrame(answerer, now, index, 1, frames));
  }

  private static void sendFrame(Side side, long now, int[] index, int which, int frames) {
    if (side.state() != PeerConnectionState.COMPLETED || index[which] >= frames) {
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
    for (SimStreams.Event e; (e = streams.poll(now)) != null; ) {
      streamEvent(now, e);
      moved = true;
    }
    if (moved) {
      return;
    }
    long next =
        Math.min(
            Math.min(net.nextDeliveryNanos(), streams.nextDeliveryNanos()),
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
      if (d.isStream()) {
        sendStream(s, now, d);
      } else if (!d.isMdns()) {
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

  /** What a driver does with an ICE-TCP packet (see the class comment). */
  private void sendStream(Side s, long now, OutgoingDatagram d) {
    if (!d.isIceTcp()) {
      throw new IllegalStateException("TURN over TCP is not simulated: " + d);
    }
    TcpLink link = s.links.get(List.of(d.local(), d.destination()));
    if (d.isClose()) {
      if (link != null) {
        forget(link);
        streams.close(now, link.end);
      }
      return;
    }
    if (link == null) {
      if (d.local().getPort() != IceCandidate.DISCARD_PORT) {
        s.streamDropped++; // a passive candidate never connects out
        return;
      }
      SimStreams.End end = streams.connect(now, d.local().getAddress(), d.destination());
      link = remember(new TcpLink(s, end, d.local(), d.destination()));
    }
    byte[] framed = new byte[link.framer.framedLength(d.length())];
    int n = link.framer.frame(d.data(), 0, d.length(), framed, 0);
    streams.write(now, link.end, framed, 0, n);
  }

  private void streamEvent(long now, SimStreams.Event e) {
    if (e instanceof SimStreams.Accepted a) {
      Side owner =
          offerer.tcpListeners.contains(a.end().local())
              ? offerer
              : answerer.tcpListeners.contains(a.end().local()) ? answerer : null;
      if (owner == null) {
        streams.close(now, a.end());
      } else {
        owner.accepted.add(a.end());
        remember(new TcpLink(owner, a.end(), a.end().local(), a.end().remote()));
      }
    } else if (e instanceof SimStreams.Data d) {
      TcpLink link = tcpLinks.get(d.end());
      if (link == null) {
        return;
      }
      link.side.streamReads++;
      link.side.streamBytesRead += d.bytes().length;
      StreamFramer f = link.framer;
      f.receive(d.bytes(), 0, d.bytes().length);
      while (f.next()) {
        link.side.core.handleStreamReceive(
            now, link.local, link.remote, f.frameArray(), f.frameOffset(), f.frameLength());
      }
    } else if (e instanceof SimStreams.Refused || e instanceof SimStreams.Closed) {
      lost(now, e.end());
    }
    // Connected: the bytes already written now flow
  }

  private TcpLink remember(TcpLink link) {
    tcpLinks.put(link.end, link);
    link.side.links.put(List.of(link.local, link.remote), link);
    return link;
  }

  private void forget(TcpLink link) {
    tcpLinks.remove(link.end);
    link.side.links.remove(List.of(link.local, link.remote));
  }

  private void lost(long now, SimStreams.End end) {
    TcpLink link = tcpLinks.get(end);
    if (link != null) {
      forget(link);
      link.side.streamsLost.add(end);
      link.side.core.streamClosed(now, link.local, link.remote);
    }
  }

  /**
   * The connection end that carries {@code s}'s selected ICE-TCP pair: the one of its ends on the
   * pair's local address, to the pair's remote address (a passive end's remote is the dialler's
   * ephemeral port on the remote candidate's IP).
   *
   * @throws IllegalStateException if there is no selected pair or not exactly one such end
   */
  TcpLink selectedLink(Side s) {
    PeerStats.CandidatePairStats pair = s.core.stats().candidatePair();
    if (pair == null) {
      throw new IllegalStateException(s.name + " has no selected pair");
    }
    List<TcpLink> found = new ArrayList<>();
    for (TcpLink l : s.links.values()) {
      boolean sameRemote =
          l.remote.equals(pair.remote())
              || (l.local.equals(pair.local())
                  && l.remote.getAddress().equals(pair.remote().getAddress())
                  && pair.remote().getPort() == IceCandidate.DISCARD_PORT);
      if (l.local.equals(pair.local()) && sameRemote) {
        found.add(l);
      }
    }
    if (found.size() != 1) {
      throw new IllegalStateException(
          s.name + ": " + found.size() + " connections for " + pair + " among " + s.links);
    }
    return found.get(0);
  }

  /**
   * Closes {@code link} as its side's driver does when its socket goes away: its core is told at
   * once ({@code streamClosed}), the far end one delay later.
   */
  void hangUp(TcpLink link) {
    streams.close(clock.nanoTime(), link.end);
    lost(clock.nanoTime(), link.end);
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
    String tcp =
        tcpLinks.isEmpty() && streams.connectCount() == 0
            ? ""
            : "; tcp connects "
                + streams.connectCount()
                + " alive "
                + streams.connections()
                + " "
                + tcpLinks.values();
    return offerer
        + "; "
        + answerer
        + "; net sent "
        + net.sent()
        + " dropped "
        + net.dropped()
        + tcp;
  }
}
