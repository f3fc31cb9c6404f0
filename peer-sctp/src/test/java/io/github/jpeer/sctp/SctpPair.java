package io.github.jpeer.sctp;

import io.github.jpeer.testkit.Datagram;
import io.github.jpeer.testkit.SimNetwork;
import io.github.jpeer.testkit.VirtualClock;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/** Two associations joined by a {@link SimNetwork} in virtual time: a is DTLS client, b server. */
final class SctpPair {
  static final InetSocketAddress ADDR_A = new InetSocketAddress("10.0.0.1", 1);
  static final InetSocketAddress ADDR_B = new InetSocketAddress("10.0.0.2", 2);

  final VirtualClock clock = new VirtualClock();
  final SimNetwork net;
  final SctpAssociation a;
  final SctpAssociation b;
  final List<SctpEvent> eventsA = new ArrayList<>();
  final List<SctpEvent> eventsB = new ArrayList<>();

  /** Every packet either side sent, for seeding fuzz corpora. */
  final List<byte[]> wire = new ArrayList<>();

  Consumer<SctpEvent> onEventA = e -> {};
  Consumer<SctpEvent> onEventB = e -> {};
  boolean recordWire;

  SctpPair(long seed, SctpConfig config) {
    this(seed, config, config);
  }

  SctpPair(SimNetwork net, SctpAssociation a, SctpAssociation b) {
    this.net = net;
    this.a = a;
    this.b = b;
  }

  SctpPair(long seed, SctpConfig configA, SctpConfig configB) {
    net = new SimNetwork(seed);
    a = new SctpAssociation(configA, true, new SplittableRandom(seed * 31 + 1));
    b = new SctpAssociation(configB, false, new SplittableRandom(seed * 31 + 2));
  }

  static SctpConfig fastConfig() {
    return SctpConfig.builder().rtoMillis(200, 100, 2000).remoteMaxMessageSize(262_144).build();
  }

  long now() {
    return clock.nanoTime();
  }

  /** Moves packets and events until nothing is left to do at the current instant. */
  void flush() {
    boolean progress = true;
    while (progress) {
      progress = false;
      for (byte[] p; (p = a.pollTransmit()) != null; ) {
        if (recordWire) {
          wire.add(p);
        }
        net.send(now(), ADDR_A, ADDR_B, p);
        progress = true;
      }
      for (byte[] p; (p = b.pollTransmit()) != null; ) {
        if (recordWire) {
          wire.add(p);
        }
        net.send(now(), ADDR_B, ADDR_A, p);
        progress = true;
      }
      for (SctpEvent e; (e = a.pollEvent()) != null; ) {
        eventsA.add(e);
        onEventA.accept(e);
        progress = true;
      }
      for (SctpEvent e; (e = b.pollEvent()) != null; ) {
        eventsB.add(e);
        onEventB.accept(e);
        progress = true;
      }
      for (Datagram d; (d = net.poll(now())) != null; ) {
        SctpAssociation to = d.to().equals(ADDR_A) ? a : b;
        to.handleReceive(now(), d.data(), 0, d.data().length);
        progress = true;
      }
      if (a.pollTimeoutNanos() <= now()) {
        a.handleTimeout(now());
        progress = true;
      }
      if (b.pollTimeoutNanos() <= now()) {
        b.handleTimeout(now());
        progress = true;
      }
    }
  }

  /** Steps until {@code done} holds; fails if it does not within {@code maxMillis} virtual ms. */
  void runUntil(BooleanSupplier done, long maxMillis) {
    long deadline = now() + maxMillis * 1_000_000L;
    while (true) {
      flush();
      if (done.getAsBoolean()) {
        return;
      }
      long next =
          Math.min(net.nextDeliveryNanos(), Math.min(a.pollTimeoutNanos(), b.pollTimeoutNanos()));
      if (next > deadline) {
        throw new AssertionError("condition not reached within " + maxMillis + " virtual ms");
      }
      clock.advanceTo(next);
    }
  }

  /** Flushes, then moves the clock to the next thing that happens; false if nothing will. */
  boolean stepOnce() {
    flush();
    long next =
        Math.min(net.nextDeliveryNanos(), Math.min(a.pollTimeoutNanos(), b.pollTimeoutNanos()));
    if (next == Long.MAX_VALUE) {
      return false;
    }
    clock.advanceTo(next);
    flush();
    return true;
  }

  /** Runs for {@code millis} of virtual time. */
  void runFor(long millis) {
    long end = now() + millis * 1_000_000L;
    flush();
    while (true) {
      long next =
          Math.min(net.nextDeliveryNanos(), Math.min(a.pollTimeoutNanos(), b.pollTimeoutNanos()));
      if (next > end) {
        clock.advanceTo(end);
        flush();
        return;
      }
      clock.advanceTo(next);
      flush();
    }
  }

  void connectBoth() {
    a.connect(now());
    b.connect(now());
    runUntil(this::bothUp, 30_000);
  }

  boolean bothUp() {
    return a.state() == SctpAssociation.State.ESTABLISHED
        && b.state() == SctpAssociation.State.ESTABLISHED;
  }

  static <T extends SctpEvent> List<T> of(List<SctpEvent> events, Class<T> type) {
    List<T> out = new ArrayList<>();
    for (SctpEvent e : events) {
      if (type.isInstance(e)) {
        out.add(type.cast(e));
      }
    }
    return out;
  }
}
