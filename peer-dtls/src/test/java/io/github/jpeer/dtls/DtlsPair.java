package io.github.jpeer.dtls;

import io.github.jpeer.testkit.Datagram;
import io.github.jpeer.testkit.SimNetwork;
import io.github.jpeer.testkit.VirtualClock;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/**
 * Two endpoints joined by a {@link SimNetwork} in virtual time. BouncyCastle's handshake thread
 * produces output on wall time, so {@link #pumpUntil} waits (bounded) on the endpoints' wakeup hook
 * when nothing else can move.
 */
final class DtlsPair {
  static final InetSocketAddress CLIENT_ADDRESS = new InetSocketAddress("10.0.0.1", 5000);
  static final InetSocketAddress SERVER_ADDRESS = new InetSocketAddress("10.0.0.2", 5000);
  static final long WALL_BOUND_NANOS = 20_000_000_000L;

  final VirtualClock clock = new VirtualClock();
  final SimNetwork net;
  final Semaphore wakeups = new Semaphore(0);
  final DtlsEndpoint client;
  final DtlsEndpoint server;
  final List<DtlsEvent> clientEvents = new ArrayList<>();
  final List<DtlsEvent> serverEvents = new ArrayList<>();
  UnaryOperator<byte[]> clientToServerFilter = UnaryOperator.identity();
  UnaryOperator<byte[]> serverToClientFilter = UnaryOperator.identity();
  java.util.function.Consumer<Datagram> onDeliver = d -> {};

  DtlsPair(SimNetwork net, DtlsConfig.Builder clientConfig, DtlsConfig.Builder serverConfig) {
    this.net = net;
    this.client = new DtlsEndpoint(clientConfig.wakeup(wakeups::release).build());
    this.server = new DtlsEndpoint(serverConfig.wakeup(wakeups::release).build());
  }

  /** A pair with fresh certificates whose fingerprints each side expects of the other. */
  static DtlsPair create(SimNetwork net, long seed) {
    DtlsCertificate clientCert = TestCertificates.ecdsa(seed);
    DtlsCertificate serverCert = TestCertificates.ecdsa(seed + 1);
    return new DtlsPair(
        net,
        builder(DtlsRole.CLIENT, clientCert, serverCert.fingerprint(), seed),
        builder(DtlsRole.SERVER, serverCert, clientCert.fingerprint(), seed + 2));
  }

  static DtlsConfig.Builder builder(
      DtlsRole role, DtlsCertificate own, Fingerprint remote, long seed) {
    return DtlsConfig.builder(role, own)
        .remoteFingerprint(remote)
        .initialRetransmitMillis(40)
        .random(TestCertificates.random(seed));
  }

  void start() {
    server.start(clock.nanoTime());
    client.start(clock.nanoTime());
  }

  /** Moves datagrams and time until {@code done} holds or 20 s of wall time pass. */
  boolean pumpUntil(BooleanSupplier done) {
    long wallDeadline = System.nanoTime() + WALL_BOUND_NANOS;
    while (!done.getAsBoolean()) {
      if (System.nanoTime() - wallDeadline > 0) {
        return false;
      }
      if (!step()) {
        // Only the handshake thread can move things now: wait for its wakeup, bounded.
        try {
          wakeups.tryAcquire(5, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
    }
    // The condition may have read a state whose event is not collected yet.
    collect();
    return true;
  }

  /** One round: drain outputs into the network, deliver what is due, run timers; true if moved. */
  boolean step() {
    boolean moved = false;
    long now = clock.nanoTime();
    for (byte[] d; (d = client.pollTransmit()) != null; moved = true) {
      byte[] filtered = clientToServerFilter.apply(d);
      if (filtered != null) {
        net.send(now, CLIENT_ADDRESS, SERVER_ADDRESS, filtered);
      }
    }
    for (byte[] d; (d = server.pollTransmit()) != null; moved = true) {
      byte[] filtered = serverToClientFilter.apply(d);
      if (filtered != null) {
        net.send(now, SERVER_ADDRESS, CLIENT_ADDRESS, filtered);
      }
    }
    long next = net.nextDeliveryNanos();
    if (next != Long.MAX_VALUE) {
      clock.advanceTo(next);
      for (Datagram d : net.pollAll(clock.nanoTime())) {
        onDeliver.accept(d);
        DtlsEndpoint to = d.to().equals(SERVER_ADDRESS) ? server : client;
        to.handleReceive(clock.nanoTime(), d.data(), 0, d.data().length);
        moved = true;
      }
    }
    client.handleTimeout(clock.nanoTime());
    server.handleTimeout(clock.nanoTime());
    moved |= collect();
    return moved;
  }

  boolean collect() {
    boolean any = false;
    for (DtlsEvent e; (e = client.pollEvent()) != null; any = true) {
      clientEvents.add(e);
    }
    for (DtlsEvent e; (e = server.pollEvent()) != null; any = true) {
      serverEvents.add(e);
    }
    return any;
  }

  boolean bothConnected() {
    return client.state() == DtlsEndpoint.State.CONNECTED
        && server.state() == DtlsEndpoint.State.CONNECTED;
  }

  boolean bothFailed() {
    return client.state() == DtlsEndpoint.State.FAILED
        && server.state() == DtlsEndpoint.State.FAILED;
  }

  static <T extends DtlsEvent> List<T> ofType(List<DtlsEvent> events, Class<T> type) {
    List<T> out = new ArrayList<>();
    for (DtlsEvent e : events) {
      if (type.isInstance(e)) {
        out.add(type.cast(e));
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return "client "
        + client.state()
        + " "
        + clientEvents
        + ", server "
        + server.state()
        + " "
        + serverEvents
        + ", sent "
        + net.sent()
        + " dropped "
        + net.dropped()
        + " delivered "
        + net.delivered()
        + " inFlight "
        + net.inFlight();
  }

  void closeBoth() {
    client.close();
    server.close();
  }

  /** Test certificates are cached per seed: key generation is the slow part of every test. */
  static final class TestCertificates {
    private static final java.util.Map<String, DtlsCertificate> CACHE =
        new java.util.concurrent.ConcurrentHashMap<>();

    /** A fixed "now" for certificate validity: 2026-01-01T00:00:00Z. */
    static final long NOW_EPOCH_MILLIS = 1_767_225_600_000L;

    static DtlsCertificate ecdsa(long seed) {
      return CACHE.computeIfAbsent(
          "ec" + seed,
          k ->
              DtlsCertificate.generate(
                  DtlsCertificate.KeyType.ECDSA_P256, random(seed), NOW_EPOCH_MILLIS));
    }

    static DtlsCertificate rsa(long seed) {
      return CACHE.computeIfAbsent(
          "rsa" + seed,
          k ->
              DtlsCertificate.generate(
                  DtlsCertificate.KeyType.RSA_2048, random(seed), NOW_EPOCH_MILLIS));
    }

    /** A deterministic SecureRandom (SHA1PRNG seeded before first use). */
    static SecureRandom random(long seed) {
      try {
        SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
        r.setSeed(seed);
        return r;
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new AssertionError(e);
      }
    }
  }
}
