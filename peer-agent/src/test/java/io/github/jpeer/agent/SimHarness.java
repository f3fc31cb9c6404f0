package io.github.jpeer.agent;

import io.github.jpeer.stun.StreamFramer;
import io.github.jpeer.testkit.Datagram;
import io.github.jpeer.testkit.SimNetwork;
import io.github.jpeer.testkit.SimStreams;
import io.github.jpeer.testkit.VirtualClock;
import java.net.InetSocketAddress;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Drives ICE agents, STUN/TURN servers and a {@link SimNetwork} in virtual time: the str0m-style
 * {@code progress()} loop. Everything is seeded, so a run replays exactly.
 *
 * <p>ICE-TCP (RFC 6544) goes over {@link #streams}, simulated TCP: a {@link Peer} given TCP
 * listeners does what a driver does with the agent's RFC 4571 {@link Transmit}s (connect out from
 * an active candidate's IP on the first packet, answer on the connection a passive candidate
 * accepted, frame with peer-stun's {@link StreamFramer}, close on {@link Transmit#isClose()}), and
 * de-frames what arrives with one framer per connection end.
 */
final class SimHarness {
  /** Something on the simulated network. */
  interface Node {
    boolean owns(InetSocketAddress address);

    void receive(long nowNanos, Datagram d, SimHarness h);

    default long nextTimeoutNanos() {
      return Long.MAX_VALUE;
    }

    default void timeout(long nowNanos, SimHarness h) {}
  }

  final VirtualClock clock = new VirtualClock();
  final SimNetwork net;
  final SimStreams streams;
  final List<Node> nodes = new ArrayList<>();
  // every connection end a peer has, dialled or accepted
  private final Map<SimStreams.End, StreamLink> links = new HashMap<>();
  private final SecureRandom random;
  long undeliverable;
  private int stalls;
  private long lastStepNanos = Long.MIN_VALUE;

  SimHarness(long seed) {
    net = new SimNetwork(seed);
    streams = new SimStreams(seed ^ 0x7CF5_A1E3L);
    random = seededRandom(seed ^ 0x5DEECE66DL);
  }

  static SecureRandom seededRandom(long seed) {
    try {
      // SHA1PRNG seeded before first use is deterministic: tests replay exactly.
      SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
      r.setSeed(seed);
      return r;
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  SecureRandom random() {
    return random;
  }

  long now() {
    return clock.nanoTime();
  }

  <T extends Node> T add(T node) {
    nodes.add(node);
    return node;
  }

  Peer peer(
      String name, IceConfig config, boolean controlling, long seed, InetSocketAddress... sockets) {
    return add(new Peer(name, new IceAgent(config, controlling, seededRandom(seed)), sockets));
  }

  /** A peer with UDP sockets {@code udp} and TCP listeners {@code tcp} (either may be empty). */
  Peer peer(
      String name,
      IceConfig config,
      boolean controlling,
      long seed,
      List<InetSocketAddress> udp,
      List<InetSocketAddress> tcp) {
    return add(new Peer(name, new IceAgent(config, controlling, seededRandom(seed)), udp, tcp));
  }

  void send(InetSocketAddress from, InetSocketAddress to, byte[] data) {
    net.send(clock.nanoTime(), from, to, data);
  }

  /** Flushes outputs, advances to the next event, delivers and runs timers. */
  void step(long limitNanos) {
    flush();
    long next = Math.min(net.nextDeliveryNanos(), streams.nextDeliveryNanos());
    for (Node n : nodes) {
      next = Math.min(next, n.nextTimeoutNanos());
    }
    next = Math.max(next, clock.nanoTime());
    clock.advanceTo(Math.min(next, limitNanos));
    long now = clock.nanoTime();
    // A core whose timeout stays in the past after handleTimeout would spin forever.
    stalls = now == lastStepNanos ? stalls + 1 : 0;
    lastStepNanos = now;
    if (stalls > 10_000) {
      StringBuilder sb = new StringBuilder("no progress at " + now + ":");
      for (Node n : nodes) {
        sb.append(' ').append(n).append(" timeout-now=").append(n.nextTimeoutNanos() - now);
      }
      throw new AssertionError(sb.toString());
    }
    for (Datagram d; (d = net.poll(now)) != null; ) {
      Node target = null;
      for (Node n : nodes) {
        if (n.owns(d.to())) {
          target = n;
          break;
        }
      }
      if (target == null) {
        undeliverable++;
      } else {
        target.receive(now, d, this);
      }
    }
    for (SimStreams.Event e; (e = streams.poll(now)) != null; ) {
      streamEvent(now, e);
    }
    for (Node n : nodes) {
      if (n.nextTimeoutNanos() <= now) {
        n.timeout(now, this);
      }
    }
    flush();
  }

  /** One connection end of a peer's ICE-TCP candidate, as the agent names it. */
  static final class StreamLink {
    final Peer peer;
    final SimStreams.End end;

    /** The agent's local address: the active candidate's IP:9, or the listener. */
    final InetSocketAddress agentLocal;

    /** The far end as the socket sees it. */
    final InetSocketAddress agentRemote;

    final StreamFramer framer = new StreamFramer(StreamFramer.Framing.RFC_4571);

    StreamLink(
        Peer peer,
        SimStreams.End end,
        InetSocketAddress agentLocal,
        InetSocketAddress agentRemote) {
      this.peer = peer;
      this.end = end;
      this.agentLocal = agentLocal;
      this.agentRemote = agentRemote;
    }
  }

  private void streamEvent(long now, SimStreams.Event e) {
    if (e instanceof SimStreams.Accepted a) {
      Peer owner = null;
      for (Node n : nodes) {
        if (n instanceof Peer p && p.tcpListeners.contains(a.end().local())) {
          owner = p;
        }
      }
      if (owner == null) {
        streams.close(now, a.end());
        return;
      }
      StreamLink link = new StreamLink(owner, a.end(), a.end().local(), a.end().remote());
      links.put(a.end(), link);
      owner.links.put(List.of(link.agentLocal, link.agentRemote), link);
      owner.accepted.add(a.end());
    } else if (e instanceof SimStreams.Data d) {
      StreamLink link = links.get(d.end());
      if (link == null) {
        return;
      }
      link.framer.receive(d.bytes(), 0, d.bytes().length);
      while (link.framer.next()) {
        Received r =
            link.peer.agent.handleStreamReceive(
                now,
                link.agentLocal,
                link.agentRemote,
                link.framer.frameArray(),
                link.framer.frameOffset(),
                link.framer.frameLength());
        link.peer.record(r);
      }
    } else if (e instanceof SimStreams.Refused || e instanceof SimStreams.Closed) {
      lost(now, e.end());
    }
    // Connected: nothing to do, the bytes already written now flow
  }

  private void lost(long now, SimStreams.End end) {
    StreamLink link = links.remove(end);
    if (link != null) {
      link.peer.links.remove(List.of(link.agentLocal, link.agentRemote));
      link.peer.streamsLost.add(end);
      link.peer.agent.streamClosed(now, link.agentLocal, link.agentRemote);
    }
  }

  /**
   * Sends an ICE-TCP packet the way a driver does: on the connection between {@code local} and
   * {@code destination}, dialled from an active candidate's IP if there is none yet, dropped if a
   * passive candidate has none; an empty packet closes that connection.
   */
  void sendStream(Peer p, InetSocketAddress local, InetSocketAddress destination, byte[] data) {
    long now = now();
    List<InetSocketAddress> key = List.of(local, destination);
    StreamLink link = p.links.get(key);
    if (data.length == 0) {
      if (link != null) {
        p.links.remove(key);
        links.remove(link.end);
        streams.close(now, link.end);
      }
      return;
    }
    if (link == null) {
      if (local.getPort() != IceCandidate.DISCARD_PORT) {
        p.streamDropped++; // a passive candidate never connects out
        return;
      }
      SimStreams.End end = streams.connect(now, local.getAddress(), destination);
      link = new StreamLink(p, end, local, destination);
      links.put(end, link);
      p.links.put(key, link);
    }
    byte[] framed = new byte[link.framer.framedLength(data.length)];
    link.framer.frame(data, 0, data.length, framed, 0);
    streams.write(now, link.end, framed);
  }

  /**
   * Closes {@code p}'s connection end between {@code local} and {@code remote} as its driver does
   * when the socket goes away (the agent is told with {@code streamClosed}); the far end hears of
   * it one delay later.
   */
  void hangUp(Peer p, InetSocketAddress local, InetSocketAddress remote) {
    StreamLink link = p.links.remove(List.of(local, remote));
    if (link != null) {
      links.remove(link.end);
      streams.close(now(), link.end);
      p.agent.streamClosed(now(), local, remote);
    }
  }

  /** The connection end {@code p} uses between {@code local} and {@code remote}, or null. */
  SimStreams.End streamEnd(Peer p, InetSocketAddress local, InetSocketAddress remote) {
    StreamLink link = p.links.get(List.of(local, remote));
    return link == null ? null : link.end;
  }

  private void flush() {
    for (Node n : nodes) {
      if (n instanceof Peer p) {
        p.flush(this);
      }
    }
  }

  /** Runs until {@code done} holds or {@code maxNanos} of virtual time passed; true if done. */
  boolean runUntil(BooleanSupplier done, long maxNanos) {
    long limit = clock.nanoTime() + maxNanos;
    while (!done.getAsBoolean()) {
      if (clock.nanoTime() >= limit) {
        return false;
      }
      step(limit);
    }
    return true;
  }

  void runFor(long nanos) {
    long limit = clock.nanoTime() + nanos;
    while (clock.nanoTime() < limit) {
      step(limit);
    }
  }

  static long seconds(double s) {
    return (long) (s * 1_000_000_000L);
  }

  /** Gives each peer the other's credentials; candidates then trickle on their own. */
  static void signal(Peer a, Peer b) {
    a.agent.setRemoteCredentials(b.agent.localCredentials());
    b.agent.setRemoteCredentials(a.agent.localCredentials());
    a.trickleTo = b;
    b.trickleTo = a;
    for (IceCandidate c : a.agent.localCandidates()) {
      if (c.type() != CandidateType.PEER_REFLEXIVE) {
        b.agent.addRemoteCandidate(b.h.now(), c);
      }
    }
    for (IceCandidate c : b.agent.localCandidates()) {
      if (c.type() != CandidateType.PEER_REFLEXIVE) {
        a.agent.addRemoteCandidate(a.h.now(), c);
      }
    }
  }

  /** An ICE agent on the simulated network with the sockets it owns. */
  static final class Peer implements Node {
    final String name;
    final IceAgent agent;
    final List<InetSocketAddress> sockets;
    final List<InetSocketAddress> tcpListeners;
    final List<IceEvent> events = new ArrayList<>();

    /** Every ICE-TCP Transmit the agent gave (closes included), in order. */
    final List<Transmit> streamTransmits = new ArrayList<>();

    /** When each of {@link #streamTransmits} was sent. */
    final List<Long> streamTransmitNanos = new ArrayList<>();

    /** Connection ends this peer accepted. */
    final List<SimStreams.End> accepted = new ArrayList<>();

    /** Connection ends reported to the agent as refused or closed. */
    final List<SimStreams.End> streamsLost = new ArrayList<>();

    /** Packets a passive candidate had no connection for. */
    long streamDropped;

    // (agent local, agent remote) -> connection end
    final Map<List<InetSocketAddress>, StreamLink> links = new HashMap<>();
    final List<byte[]> appData = new ArrayList<>();
    final List<CandidatePair> appDataPairs = new ArrayList<>();
    final Map<IceState, Long> firstEntered = new EnumMap<>(IceState.class);
    Peer trickleTo;
    boolean gathered;
    SimHarness h;

    Peer(String name, IceAgent agent, InetSocketAddress... sockets) {
      this(name, agent, List.of(sockets), List.of());
    }

    Peer(
        String name,
        IceAgent agent,
        List<InetSocketAddress> sockets,
        List<InetSocketAddress> tcpListeners) {
      this.name = name;
      this.agent = agent;
      this.sockets = List.copyOf(sockets);
      this.tcpListeners = List.copyOf(tcpListeners);
    }

    void gather(SimHarness harness) {
      this.h = harness;
      for (InetSocketAddress l : tcpListeners) {
        harness.streams.listen(l);
      }
      if (tcpListeners.isEmpty()) {
        agent.gather(harness.now(), sockets);
      } else {
        agent.gather(harness.now(), sockets, tcpListeners);
      }
    }

    @Override
    public boolean owns(InetSocketAddress address) {
      return sockets.contains(address);
    }

    @Override
    public void receive(long nowNanos, Datagram d, SimHarness harness) {
      record(agent.handleReceive(nowNanos, d.to(), d.from(), d.data(), 0, d.data().length));
    }

    void record(Received r) {
      if (r.isApplicationData()) {
        byte[] copy = new byte[r.length()];
        System.arraycopy(r.data(), r.offset(), copy, 0, r.length());
        appData.add(copy);
        appDataPairs.add(r.pair());
      }
    }

    @Override
    public long nextTimeoutNanos() {
      return agent.pollTimeoutNanos();
    }

    @Override
    public void timeout(long nowNanos, SimHarness harness) {
      agent.handleTimeout(nowNanos);
    }

    /**
     * Sends application data on the selected pair the way a driver does: wrapped by the agent
     * (ChannelData or a Send indication when relayed) and put on the network at once.
     *
     * @return false if no pair is selected
     */
    boolean sendData(byte[] data) {
      byte[] out = new byte[data.length + TurnClient.maxOverhead()];
      int n = agent.wrapForSelectedPair(data, 0, data.length, out, 0);
      if (n < 0) {
        return false;
      }
      if (agent.selectedFraming() == StreamFramer.Framing.RFC_4571) {
        h.sendStream(
            this, agent.selectedSocket(), agent.selectedDestination(), Arrays.copyOf(out, n));
      } else {
        h.send(agent.selectedSocket(), agent.selectedDestination(), Arrays.copyOf(out, n));
      }
      return true;
    }

    void flush(SimHarness harness) {
      for (Transmit t; (t = agent.pollTransmit()) != null; ) {
        if (t.framing() == StreamFramer.Framing.RFC_4571) {
          streamTransmits.add(t);
          streamTransmitNanos.add(harness.now());
          harness.sendStream(this, t.local(), t.destination(), t.data());
        } else {
          harness.send(t.local(), t.destination(), t.data());
        }
      }
      for (IceEvent e; (e = agent.pollEvent()) != null; ) {
        events.add(e);
        if (e instanceof IceEvent.StateChanged s) {
          firstEntered.putIfAbsent(s.state(), harness.now());
        }
        if (e instanceof IceEvent.LocalCandidate c && trickleTo != null) {
          trickleTo.agent.addRemoteCandidate(harness.now(), c.candidate());
        }
      }
    }

    IceState state() {
      return agent.state();
    }

    boolean completed() {
      return agent.state() == IceState.COMPLETED;
    }

    List<IceState> states() {
      List<IceState> out = new ArrayList<>();
      for (IceEvent e : events) {
        if (e instanceof IceEvent.StateChanged s) {
          out.add(s.state());
        }
      }
      return out;
    }

    @Override
    public String toString() {
      return name;
    }
  }
}
