package io.github.jpeer.benchmarks.dtls;

import io.github.jpeer.dtls.DtlsCertificate;
import io.github.jpeer.dtls.DtlsConfig;
import io.github.jpeer.dtls.DtlsEndpoint;
import io.github.jpeer.dtls.DtlsEvent;
import io.github.jpeer.dtls.DtlsRole;
import java.security.SecureRandom;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/** Runs a handshake between two endpoints in memory, as a connection's loop would. */
final class InMemoryHandshake {
  private static final long BOUND_NANOS = TimeUnit.SECONDS.toNanos(10);

  private InMemoryHandshake() {}

  /** An endpoint expecting {@code theirs}, whose handshake thread releases {@code wakeups}. */
  static DtlsEndpoint endpoint(
      DtlsRole role,
      DtlsCertificate ours,
      DtlsCertificate theirs,
      SecureRandom random,
      Semaphore wakeups) {
    return new DtlsEndpoint(
        DtlsConfig.builder(role, ours)
            .remoteFingerprint(theirs.fingerprint())
            .random(random)
            .wakeup(wakeups::release)
            .build());
  }

  /**
   * Starts both endpoints and carries their datagrams until both completed; {@code wakeups} is the
   * semaphore their wakeup hooks release. Returns the client's exported key length.
   *
   * @throws IllegalStateException if either fails or 10 s pass
   */
  static int run(DtlsEndpoint client, DtlsEndpoint server, Semaphore wakeups) {
    long start = System.nanoTime();
    server.start(start);
    client.start(start);
    int keys = 0;
    boolean clientDone = false;
    boolean serverDone = false;
    while (!(clientDone && serverDone)) {
      long now = System.nanoTime();
      if (now - start > BOUND_NANOS) {
        throw new IllegalStateException("handshake did not complete within 10 s");
      }
      boolean moved = false;
      for (byte[] r; (r = client.pollTransmit()) != null; moved = true) {
        server.handleReceive(now, r, 0, r.length);
      }
      for (byte[] r; (r = server.pollTransmit()) != null; moved = true) {
        client.handleReceive(now, r, 0, r.length);
      }
      for (DtlsEvent e; (e = client.pollEvent()) != null; ) {
        clientDone |= e instanceof DtlsEvent.HandshakeComplete;
        if (e instanceof DtlsEvent.HandshakeComplete hc) {
          keys += hc.keys().localKey().length;
        }
        if (e instanceof DtlsEvent.Failed f) {
          throw new IllegalStateException(f.reason());
        }
      }
      for (DtlsEvent e; (e = server.pollEvent()) != null; ) {
        serverDone |= e instanceof DtlsEvent.HandshakeComplete;
        if (e instanceof DtlsEvent.Failed f) {
          throw new IllegalStateException(f.reason());
        }
      }
      if (!moved && !(clientDone && serverDone)) {
        try {
          // The handshake threads signal new output through the wakeup callback.
          wakeups.tryAcquire(1, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      }
    }
    return keys;
  }
}
