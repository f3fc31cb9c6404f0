package io.github.jpeer.benchmarks.dtls;

import io.github.jpeer.dtls.DtlsCertificate;
import io.github.jpeer.dtls.DtlsEndpoint;
import io.github.jpeer.dtls.DtlsEvent;
import io.github.jpeer.dtls.DtlsRole;
import java.security.SecureRandom;
import java.util.SplittableRandom;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * DTLS records after the handshake (AES-128-GCM, as two jpeer endpoints negotiate): what a forged
 * epoch-1 record costs the receiver, which is what a flood from the peer's address costs the loop
 * thread, and a genuine record's trip (encrypt, tag screen, BouncyCastle's decrypt).
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar DtlsRecordBenchmark -f 1 -wi 3 -w 2s -i 5 -r 2s -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DtlsRecordBenchmark {
  /** Bytes of record body (application data plus nonce and tag for the genuine one). */
  @Param({"100", "1000"})
  public int size;

  private final Semaphore wakeups = new Semaphore(0);
  private DtlsEndpoint client;
  private DtlsEndpoint server;
  private byte[][] forgeries;
  private byte[] payload;
  private int next;

  /** One handshake, and 64 forged records with the header of a genuine one. */
  @Setup(Level.Trial)
  public void connect() {
    SecureRandom random = new SecureRandom();
    long now = System.currentTimeMillis();
    DtlsCertificate c = DtlsCertificate.generate(DtlsCertificate.KeyType.ECDSA_P256, random, now);
    DtlsCertificate s = DtlsCertificate.generate(DtlsCertificate.KeyType.ECDSA_P256, random, now);
    client = InMemoryHandshake.endpoint(DtlsRole.CLIENT, c, s, random, wakeups);
    server = InMemoryHandshake.endpoint(DtlsRole.SERVER, s, c, random, wakeups);
    InMemoryHandshake.run(client, server, wakeups);
    payload = new byte[Math.max(1, size - 24)];
    client.sendApplicationData(payload, 0, payload.length);
    byte[] genuine = client.pollTransmit();
    SplittableRandom r = new SplittableRandom(1);
    forgeries = new byte[64][];
    for (int i = 0; i < forgeries.length; i++) {
      byte[] d = new byte[genuine.length];
      r.nextBytes(d);
      System.arraycopy(genuine, 0, d, 0, 13);
      forgeries[i] = d;
    }
  }

  /** Closes both endpoints. */
  @TearDown(Level.Trial)
  public void close() {
    client.close();
    server.close();
  }

  /** One forged record in: screened, counted and dropped. */
  @Benchmark
  public long forgedRecord() {
    byte[] d = forgeries[next++ & 63];
    server.handleReceive(System.nanoTime(), d, 0, d.length);
    return server.forgedRecords();
  }

  /** One genuine record from client to server: sealed, screened, opened, delivered. */
  @Benchmark
  public int genuineRecord() {
    client.sendApplicationData(payload, 0, payload.length);
    byte[] d = client.pollTransmit();
    server.handleReceive(System.nanoTime(), d, 0, d.length);
    DtlsEvent e = server.pollEvent();
    if (!(e instanceof DtlsEvent.ApplicationData a)) {
      throw new IllegalStateException("expected application data, got " + e);
    }
    return a.data().length;
  }
}
