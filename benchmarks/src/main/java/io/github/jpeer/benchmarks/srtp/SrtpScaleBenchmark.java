package io.github.jpeer.benchmarks.srtp;

import io.github.jpeer.srtp.SrtpConfig;
import io.github.jpeer.srtp.SrtpConfig.GcmEngine;
import io.github.jpeer.srtp.SrtpProfile;
import io.github.jpeer.srtp.SrtpSession;
import io.github.jpeer.srtp.SrtpStatus;
import java.util.Random;
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
 * SRTP protect plus unprotect of one Opus-sized RTP packet (12-byte header, 80-byte payload) with
 * {@code sessions} calls live in the JVM, each call visited in turn in a shuffled order (fixed
 * seed), so every operation works with another call's keys and tables, as a server with many calls
 * does; {@code SrtpBenchmark} keeps one session's keys in L1 and cannot show what the tables cost
 * at scale.
 *
 * <p>A call is a sending session and a receiving session, each with its own keys and tables (the
 * receiver is keyed like the sender, as the far end would be, so that its unprotect verifies): the
 * two sessions per call a server holds. One operation protects a new packet of the call's SSRC with
 * the sender and unprotects it with the receiver, replay protection on.
 *
 * <p>{@code variant}: {@code DEFAULT} is {@link SrtpConfig#DEFAULT}; {@code WIDE_TABLES}, {@code
 * BYTE_TABLE}, {@code NIBBLE_TABLE} and {@code JCE} are the {@link GcmEngine}s, all with {@code
 * AEAD_AES_128_GCM}; {@code AES_CM_HMAC_SHA1_80} is {@code AES128_CM_HMAC_SHA1_80} for reference.
 * Read {@code gc.alloc.rate.norm} with {@code -prof gc}: only {@code JCE} may allocate.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SrtpScaleBenchmark {
  private static final int HEADER_BYTES = 12;
  private static final int PAYLOAD_BYTES = 80;
  private static final int PACKET_BYTES = HEADER_BYTES + PAYLOAD_BYTES;

  @Param({"DEFAULT", "WIDE_TABLES", "BYTE_TABLE", "NIBBLE_TABLE", "JCE", "AES_CM_HMAC_SHA1_80"})
  public String variant;

  /** Calls live in the JVM. */
  @Param({"1", "100", "1000", "4000"})
  public int sessions;

  private SrtpSession[] senders;
  private SrtpSession[] receivers;
  private byte[] plain;
  private int[] ssrcs;
  private int[] sequenceNumbers;
  private int[] order;
  private int next;
  private byte[] work;

  @Setup
  public void setUp() {
    SrtpProfile profile;
    SrtpConfig config;
    if (variant.equals("AES_CM_HMAC_SHA1_80")) {
      profile = SrtpProfile.AES128_CM_HMAC_SHA1_80;
      config = SrtpConfig.DEFAULT;
    } else {
      profile = SrtpProfile.AEAD_AES_128_GCM;
      config =
          variant.equals("DEFAULT")
              ? SrtpConfig.DEFAULT
              : SrtpConfig.DEFAULT.withGcmEngine(GcmEngine.valueOf(variant));
    }
    Random random = new Random(19);
    senders = new SrtpSession[sessions];
    receivers = new SrtpSession[sessions];
    plain = new byte[PACKET_BYTES];
    random.nextBytes(plain);
    plain[0] = (byte) 0x80;
    plain[1] = 111; // Opus
    ssrcs = new int[sessions];
    sequenceNumbers = new int[sessions];
    for (int i = 0; i < sessions; i++) {
      byte[] key = new byte[profile.masterKeyLength()];
      byte[] salt = new byte[profile.masterSaltLength()];
      random.nextBytes(key);
      random.nextBytes(salt);
      senders[i] = SrtpSession.create(profile, key, salt, config);
      receivers[i] = SrtpSession.create(profile, key, salt, config);
      ssrcs[i] = random.nextInt();
      sequenceNumbers[i] = random.nextInt(1 << 16);
    }
    order = new int[sessions];
    for (int i = 0; i < sessions; i++) {
      order[i] = i;
    }
    for (int i = sessions - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    work = new byte[PACKET_BYTES + 64];
    // Every call once, so each receiver has its SSRC context and unprotect must succeed.
    for (int i = 0; i < sessions; i++) {
      int n = protectUnprotect();
      if (n != PACKET_BYTES) {
        throw new IllegalStateException(variant + " round trip failed: " + SrtpStatus.of(n));
      }
    }
  }

  /** Fails the run if any call failed: the figures would then time a failure path. */
  @TearDown(Level.Trial)
  public void checkNoFailures() {
    for (int i = 0; i < sessions; i++) {
      for (SrtpStatus status : SrtpStatus.values()) {
        long count = senders[i].statusCount(status) + receivers[i].statusCount(status);
        if (status != SrtpStatus.OK && count != 0) {
          throw new IllegalStateException(variant + ": " + count + " calls ended " + status);
        }
      }
    }
  }

  /** The next call in the shuffled order: protect a new packet, then unprotect it. */
  @Benchmark
  public int protectUnprotect() {
    int call = order[next];
    next = next + 1 == order.length ? 0 : next + 1;
    int seq = sequenceNumbers[call] = (sequenceNumbers[call] + 1) & 0xffff;
    byte[] b = work;
    System.arraycopy(plain, 0, b, 0, PACKET_BYTES);
    b[2] = (byte) (seq >>> 8);
    b[3] = (byte) seq;
    int ssrc = ssrcs[call];
    b[8] = (byte) (ssrc >>> 24);
    b[9] = (byte) (ssrc >>> 16);
    b[10] = (byte) (ssrc >>> 8);
    b[11] = (byte) ssrc;
    int n = senders[call].protectRtp(b, 0, PACKET_BYTES);
    return receivers[call].unprotectRtp(b, 0, n);
  }
}
