package io.github.jpeer.benchmarks.dtls;

import io.github.jpeer.dtls.DtlsCertificate;
import io.github.jpeer.dtls.DtlsEndpoint;
import io.github.jpeer.dtls.DtlsRole;
import java.security.SecureRandom;
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

/**
 * Full DTLS-SRTP handshakes per second, client and server in one JVM: records are passed from one
 * endpoint's {@code pollTransmit()} to the other's {@code handleReceive()} in memory, as a
 * connection's loop would. Certificates are made once (a PeerConnection makes one per connection;
 * servers holding many calls can share one), so this measures the handshake itself: ECDHE,
 * signatures, use_srtp and the keying-material export, plus the handshake thread's start.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar dtls -f 1 -wi 3 -w 2s -i 5 -r 2s
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class DtlsHandshakeBenchmark {
  /** The certificates' key type (both sides). */
  @Param({"ECDSA_P256", "RSA_2048"})
  public String keyType;

  private DtlsCertificate clientCertificate;
  private DtlsCertificate serverCertificate;
  private final SecureRandom random = new SecureRandom();
  private final Semaphore wakeups = new Semaphore(0);

  /** Makes the two certificates once. */
  @Setup(Level.Trial)
  public void certificates() {
    DtlsCertificate.KeyType type = DtlsCertificate.KeyType.valueOf(keyType);
    long now = System.currentTimeMillis();
    clientCertificate = DtlsCertificate.generate(type, random, now);
    serverCertificate = DtlsCertificate.generate(type, random, now);
  }

  /** One complete handshake; returns the exported key length so it cannot be optimised away. */
  @Benchmark
  public int handshake() {
    DtlsEndpoint client =
        InMemoryHandshake.endpoint(
            DtlsRole.CLIENT, clientCertificate, serverCertificate, random, wakeups);
    DtlsEndpoint server =
        InMemoryHandshake.endpoint(
            DtlsRole.SERVER, serverCertificate, clientCertificate, random, wakeups);
    int keys = InMemoryHandshake.run(client, server, wakeups);
    client.close();
    server.close();
    return keys;
  }
}
