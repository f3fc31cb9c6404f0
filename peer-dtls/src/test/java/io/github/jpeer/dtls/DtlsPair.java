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

  /** Sees each side's datagrams of one step together (after the per-datagram filters). */
  UnaryOperator<List<byte[]>> clientToServerBurst = UnaryOperator.identity();

  UnaryOperator<List<byte[]>> serverToClientBurst = UnaryOperator.identity();

  /** Every datagram either endpoint sent, as it left the endpoint. */
  final List<byte[]> sentByEndpoints = new ArrayList<>();

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
    long now = clock.nanoTime();
    boolean moved = send(now, client, clientToServerFilter, clientToServerBurst, SERVER_ADDRESS);
    moved |= send(now, server, serverToClientFilter, serverToClientBurst, CLIENT_ADDRESS);
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

  private boolean send(
      long now,
      DtlsEndpoint from,
      UnaryOperator<byte[]> filter,
      UnaryOperator<List<byte[]>> burst,
      InetSocketAddress to) {
    List<byte[]> out = new ArrayList<>();
    for (byte[] d; (d = from.pollTransmit()) != null; ) {
      sentByEndpoints.add(d);
      byte[] filtered = filter.apply(d);
      if (filtered != null) {
        out.add(filtered);
      }
    }
    InetSocketAddress source = to == SERVER_ADDRESS ? CLIENT_ADDRESS : SERVER_ADDRESS;
    for (byte[] d : out.isEmpty() ? out : burst.apply(out)) {
      net.send(now, source, to, d);
    }
    return !out.isEmpty();
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
        + counters(client)
        + ", server "
        + server.state()
        + " "
        + serverEvents
        + counters(server)
        + ", sent "
        + net.sent()
        + " dropped "
        + net.dropped()
        + " delivered "
        + net.delivered()
        + " inFlight "
        + net.inFlight();
  }

  private static String counters(DtlsEndpoint e) {
    return " (held "
        + e.heldBackRecords()
        + ", late "
        + e.lateHandshakeRecords()
        + ", rejected "
        + e.rejectedRecords()
        + ", overflow "
        + e.overflowDatagrams()
        + ", malformed "
        + e.malformedDatagrams()
        + ")";
  }

  void closeBoth() {
    client.close();
    server.close();
  }

  /** Tests a record in a datagram: the array and the offset of the record's header. */
  interface RecordTest {
    boolean test(byte[] datagram, int record);
  }

  /**
   * The datagram without the records {@code drop} selects, or null if none is left. The endpoint
   * packs several handshake records into a datagram, so a filter must look at each record.
   */
  static byte[] withoutRecords(byte[] datagram, RecordTest drop) {
    java.io.ByteArrayOutputStream kept = new java.io.ByteArrayOutputStream();
    boolean changed = false;
    for (int pos = 0; DtlsRecords.hasHeader(pos, datagram.length); ) {
      int end = DtlsRecords.end(datagram, pos);
      if (drop.test(datagram, pos)) {
        changed = true;
      } else {
        kept.write(datagram, pos, end - pos);
      }
      pos = end;
    }
    if (!changed) {
      return datagram;
    }
    return kept.size() == 0 ? null : kept.toByteArray();
  }

  /** True if the record is of this content type and, for handshake type >= 0, epoch 0 of it. */
  static boolean isRecord(byte[] d, int record, int contentType, int handshakeType) {
    return DtlsRecords.type(d, record) == contentType
        && (handshakeType < 0
            || DtlsRecords.epoch(d, record) == 0
                && DtlsRecords.length(d, record) > 0
                && (d[record + DtlsRecords.HEADER_BYTES] & 0xFF) == handshakeType);
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
