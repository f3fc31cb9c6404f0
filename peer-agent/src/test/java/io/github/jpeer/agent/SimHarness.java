package io.github.jpeer.agent;

import io.github.jpeer.testkit.Datagram;
import io.github.jpeer.testkit.SimNetwork;
import io.github.jpeer.testkit.VirtualClock;
import java.net.InetSocketAddress;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Drives ICE agents, STUN/TURN servers and a {@link SimNetwork} in virtual time: the str0m-style
 * {@code progress()} loop. Everything is seeded, so a run replays exactly.
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
  final List<Node> nodes = new ArrayList<>();
  private final SecureRandom random;
  long undeliverable;
  private int stalls;
  private long lastStepNanos = Long.MIN_VALUE;

  SimHarness(long seed) {
    net = new SimNetwork(seed);
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

  void send(InetSocketAddress from, InetSocketAddress to, byte[] data) {
    net.send(clock.nanoTime(), from, to, data);
  }

  /** Flushes outputs, advances to the next event, delivers and runs timers. */
  void step(long limitNanos) {
    flush();
    long next = net.nextDeliveryNanos();
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
    for (Node n : nodes) {
      if (n.nextTimeoutNanos() <= now) {
        n.timeout(now, this);
      }
    }
    flush();
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
    final List<IceEvent> events = new ArrayList<>();
    final List<byte[]> appData = new ArrayList<>();
    final List<CandidatePair> appDataPairs = new ArrayList<>();
    final Map<IceState, Long> firstEntered = new EnumMap<>(IceState.class);
    Peer trickleTo;
    boolean gathered;
    SimHarness h;

    Peer(String name, IceAgent agent, InetSocketAddress... sockets) {
      this.name = name;
      this.agent = agent;
      this.sockets = List.of(sockets);
    }

    void gather(SimHarness harness) {
      this.h = harness;
      agent.gather(harness.now(), sockets);
    }

    @Override
    public boolean owns(InetSocketAddress address) {
      return sockets.contains(address);
    }

    @Override
    public void receive(long nowNanos, Datagram d, SimHarness harness) {
      Received r = agent.handleReceive(nowNanos, d.to(), d.from(), d.data(), 0, d.data().length);
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
      h.send(agent.selectedSocket(), agent.selectedDestination(), Arrays.copyOf(out, n));
      return true;
    }

    void flush(SimHarness harness) {
      for (Transmit t; (t = agent.pollTransmit()) != null; ) {
        harness.send(t.local(), t.destination(), t.data());
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
