package io.github.jpeer.benchmarks.srtp;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * jpeer's SRTP HMAC-SHA1 per SHA-1 block and per 172-byte RTP packet plus ROC, its own SHA-1 (4
 * compressions, pads precomputed) beside its JDK-digest path (6 compressions) and SunJCE's {@code
 * HmacSHA1} in the same run. Run once with {@code -jvmArgsAppend '-XX:+UnlockDiagnosticVMOptions
 * -XX:-UseSHA1Intrinsics'} for a CPU without SHA extensions and once without it.
 *
 * <p>{@code io.github.jpeer.srtp.HmacSha1} is package-private, so it is reached through method
 * handles held in static finals (C2 inlines them like direct calls); the shaded jar runs on the
 * class path, where private lookup into another package is allowed.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class HmacSha1Benchmark {
  private static final int PACKET_SIZE = 172;
  private static final MethodHandle NEW_HMAC;
  private static final MethodHandle COMPUTE;
  private static final MethodHandle COMPRESS;

  static {
    try {
      Class<?> type = Class.forName("io.github.jpeer.srtp.HmacSha1");
      MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(type, MethodHandles.lookup());
      NEW_HMAC =
          lookup
              .findConstructor(type, MethodType.methodType(void.class, byte[].class, boolean.class))
              .asType(MethodType.methodType(Object.class, byte[].class, boolean.class));
      COMPUTE =
          lookup
              .findVirtual(
                  type,
                  "compute",
                  MethodType.methodType(
                      void.class, byte[].class, int.class, int.class, int.class, boolean.class))
              .asType(
                  MethodType.methodType(
                      void.class,
                      Object.class,
                      byte[].class,
                      int.class,
                      int.class,
                      int.class,
                      boolean.class));
      COMPRESS =
          lookup.findStatic(
              type,
              "compress",
              MethodType.methodType(void.class, int[].class, byte[].class, int.class));
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private byte[] packet;
  private byte[] block;
  private final int[] state = {0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0};
  private MessageDigest jdkDigest;
  private Object ownHmac;
  private Object digestHmac;
  private Mac jceMac;
  private int roc;

  @Setup
  public void setUp() throws Throwable {
    Random random = new Random(1);
    byte[] key = new byte[20];
    random.nextBytes(key);
    packet = new byte[PACKET_SIZE];
    random.nextBytes(packet);
    block = new byte[64];
    random.nextBytes(block);
    jdkDigest = MessageDigest.getInstance("SHA-1");
    ownHmac = NEW_HMAC.invokeExact(key, false);
    digestHmac = NEW_HMAC.invokeExact(key, true);
    try {
      jceMac = Mac.getInstance("HmacSHA1");
      jceMac.init(new SecretKeySpec(key, "HmacSHA1"));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** jpeer's own SHA-1: one compression of a 64-byte block. */
  @Benchmark
  public int ownCompressBlock() throws Throwable {
    COMPRESS.invokeExact(state, block, 0);
    return state[0];
  }

  /** The JDK's SHA-1 (intrinsic or plain Java per the flag): one 64-byte block. */
  @Benchmark
  public MessageDigest jdkCompressBlock() {
    jdkDigest.update(block, 0, 64);
    return jdkDigest;
  }

  /** jpeer's own-SHA-1 path: HMAC of 172 bytes plus ROC, 4 compressions. */
  @Benchmark
  public int ownHmacPacket() throws Throwable {
    COMPUTE.invokeExact(ownHmac, packet, 0, PACKET_SIZE, roc++, true);
    return roc;
  }

  /** jpeer's JDK-digest path: HMAC of 172 bytes plus ROC, 6 compressions. */
  @Benchmark
  public int digestHmacPacket() throws Throwable {
    COMPUTE.invokeExact(digestHmac, packet, 0, PACKET_SIZE, roc++, true);
    return roc;
  }

  /** SunJCE's HmacSHA1 over the same bytes, for reference. */
  @Benchmark
  public byte[] jceHmacPacket() {
    jceMac.update(packet, 0, PACKET_SIZE);
    jceMac.update(packet, 0, 4);
    return jceMac.doFinal();
  }
}
