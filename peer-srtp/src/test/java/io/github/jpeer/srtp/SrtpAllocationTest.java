package io.github.jpeer.srtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jpeer.srtp.SrtpConfig.GcmEngine;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.stream.Stream;
import org.jitsi.srtp.crypto.Aes;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the per-packet paths allocate once warm. Allocation-free: every call of the HMAC-SHA1
 * profiles at any size, and of the GCM profiles whenever the payload is below {@link
 * SrtpSession#JCE_GCM_MIN_PAYLOAD} (512 bytes: audio, RTCP), on arrays and on heap and direct
 * buffers, with each GHASH table size. GCM payloads from 512 bytes up go through JCE's AES/GCM,
 * which allocates per packet; there the bound is jitsi-srtp's allocation for the same packets,
 * measured in the same test.
 */
class SrtpAllocationTest {
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
  private static final int WINDOW_ROUNDS = 10_000;

  /** Every profile at an audio size and just below the JCE threshold; HMAC also at video size. */
  static Stream<Arguments> allocationFree() {
    return Arrays.stream(SrtpProfile.values())
        .flatMap(
            p ->
                p.isAead()
                    ? Stream.of(
                        Arguments.of(p, 160), Arguments.of(p, SrtpSession.JCE_GCM_MIN_PAYLOAD - 1))
                    : Stream.of(
                        Arguments.of(p, 160),
                        Arguments.of(p, SrtpSession.JCE_GCM_MIN_PAYLOAD - 1),
                        Arguments.of(p, 1200)));
  }

  @ParameterizedTest(name = "{0} payload {1}")
  @MethodSource("allocationFree")
  void protectAndUnprotectAllocateNothing(SrtpProfile profile, int payload) {
    assertRoundsAllocateNothing(profile, SrtpConfig.DEFAULT, payload);
  }

  @ParameterizedTest
  @EnumSource(
      value = GcmEngine.class,
      names = {"WIDE_TABLES", "BYTE_TABLE", "NIBBLE_TABLE"})
  void everyGhashTableAllocatesNothing(GcmEngine engine) {
    assertRoundsAllocateNothing(
        SrtpProfile.AEAD_AES_128_GCM, SrtpConfig.DEFAULT.withGcmEngine(engine), 160);
  }

  private static void assertRoundsAllocateNothing(
      SrtpProfile profile, SrtpConfig config, int payload) {
    SrtpSession tx = Packets.session(profile, config);
    SrtpSession rx = Packets.session(profile, config);
    byte[] rtp = Packets.rtp(0, 0x01020304, payload, 1);
    byte[] rtcp = Packets.rtcp(0x01020304, 1);
    byte[] buf = new byte[1500];
    ByteBuffer direct = ByteBuffer.allocateDirect(1500);
    int[] seq = {0};
    Runnable round =
        () -> {
          int s = seq[0]++;
          rtp[2] = (byte) (s >>> 8);
          rtp[3] = (byte) s;
          System.arraycopy(rtp, 0, buf, 0, rtp.length);
          int n = tx.protectRtp(buf, 0, rtp.length);
          int m = rx.unprotectRtp(buf, 0, n);
          System.arraycopy(rtcp, 0, buf, 0, rtcp.length);
          int r = tx.protectRtcp(buf, 0, rtcp.length);
          int q = rx.unprotectRtcp(buf, 0, r);
          direct.put(0, rtp, 0, rtp.length);
          // The direct-buffer path reuses a scratch array; its own RTP index must be fresh.
          direct.put(2, (byte) ((s + 30000) >>> 8)).put(3, (byte) (s + 30000));
          direct.put(8, (byte) 9);
          int d = tx.protectRtp(direct, 0, rtp.length);
          int e = rx.unprotectRtp(direct, 0, d);
          if (m != rtp.length || q != rtcp.length || e != rtp.length) {
            throw new AssertionError("round trip failed: " + m + " " + q + " " + e);
          }
        };
    long least = leastPerWindow(round, true);
    assertEquals(
        0,
        least,
        profile
            + " "
            + config.gcmEngine()
            + " allocated "
            + least
            + " bytes in "
            + WINDOW_ROUNDS
            + " rounds");
    assertEquals(0, rx.statusCount(SrtpStatus.AUTH_FAIL));
  }

  @ParameterizedTest
  @EnumSource(
      value = SrtpProfile.class,
      names = {"AEAD_AES_128_GCM", "AEAD_AES_256_GCM"})
  void jceGcmAllocatesLessThanJitsiSrtp(SrtpProfile profile) {
    // A 1200-byte payload (video) protected and unprotected in place, jpeer through JCE's AES/GCM
    // and jitsi-srtp in its pure-Java mode (SunJCE's AES/GCM, as in SrtpBenchmark): both re-init a
    // JCE cipher per packet. Measured here on JDK 17 (SunJCE): jpeer 1808 bytes per round with
    // AES-128 and 1840 with AES-256, jitsi-srtp 1920 and 1952.
    int ssrc = 0x01020304;
    int payload = 1200;
    byte[] rtp = Packets.rtp(0, ssrc, payload, 1);

    SrtpSession tx = Packets.session(profile);
    SrtpSession rx = Packets.session(profile);
    byte[] buf = new byte[rtp.length + 16];
    int[] seq = {0};
    Runnable jpeer =
        () -> {
          int s = seq[0]++;
          System.arraycopy(rtp, 0, buf, 0, rtp.length);
          buf[2] = (byte) (s >>> 8);
          buf[3] = (byte) s;
          int n = tx.protectRtp(buf, 0, rtp.length);
          if (rx.unprotectRtp(buf, 0, n) != rtp.length) {
            throw new AssertionError("jpeer round trip failed");
          }
        };

    byte[] key = Packets.key(profile, 42);
    byte[] salt = Packets.salt(profile, 42);
    // A static switch; the default (jitsi's own choice) is restored below for the other tests.
    Aes.setFactoryClassName("SunJCE");
    JitsiSrtp jitsiTx;
    JitsiSrtp jitsiRx;
    try {
      jitsiTx = new JitsiSrtp(profile, true, key, salt, ssrc);
      jitsiRx = new JitsiSrtp(profile, false, key, salt, ssrc);
    } finally {
      Aes.setFactoryClassName(null);
    }
    JitsiSrtp.Buffer jb = new JitsiSrtp.Buffer(rtp);
    int[] jitsiSeq = {0};
    Runnable jitsi =
        () -> {
          int s = jitsiSeq[0]++;
          System.arraycopy(rtp, 0, jb.data, 0, rtp.length);
          jb.data[2] = (byte) (s >>> 8);
          jb.data[3] = (byte) s;
          jb.offset = 0;
          jb.length = rtp.length;
          if (!jitsiTx.protectRtpInPlace(jb)
              || !jitsiRx.unprotectRtpInPlace(jb)
              || jb.length != rtp.length) {
            throw new AssertionError("jitsi round trip failed");
          }
        };

    double jpeerPerRound = leastPerWindow(jpeer, false) / (double) WINDOW_ROUNDS;
    double jitsiPerRound = leastPerWindow(jitsi, false) / (double) WINDOW_ROUNDS;
    jitsiTx.close();
    jitsiRx.close();
    String figures =
        profile + ": jpeer " + jpeerPerRound + " B/round, jitsi-srtp " + jitsiPerRound + " B/round";
    // Above zero: the packets really went through JCE (the table path allocates nothing).
    assertTrue(jpeerPerRound > 0, figures);
    assertTrue(jpeerPerRound < jitsiPerRound, figures);
  }

  /**
   * The least any window of {@link #WINDOW_ROUNDS} rounds allocated, after a warm-up. On a loaded
   * machine C2 may still be compiling after the warm-up, and code running in the interpreter or C1
   * allocates what C2 scalar-replaces; so steady state is the least window, and a per-packet
   * allocation shows in every window.
   */
  private static long leastPerWindow(Runnable round, boolean stopAtZero) {
    for (int i = 0; i < 20_000; i++) {
      round.run();
    }
    long tid = Thread.currentThread().getId();
    long least = Long.MAX_VALUE;
    for (int window = 0; window < 8 && !(stopAtZero && least == 0); window++) {
      long before = THREADS.getThreadAllocatedBytes(tid);
      for (int i = 0; i < WINDOW_ROUNDS; i++) {
        round.run();
      }
      least = Math.min(least, THREADS.getThreadAllocatedBytes(tid) - before);
    }
    return least;
  }
}
