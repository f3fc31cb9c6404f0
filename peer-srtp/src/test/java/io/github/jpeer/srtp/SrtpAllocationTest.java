package io.github.jpeer.srtp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The per-packet paths allocate nothing once warm, for every profile (no JCE re-init anywhere). */
class SrtpAllocationTest {
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  @ParameterizedTest
  @EnumSource(SrtpProfile.class)
  void protectAndUnprotectAllocateNothing(SrtpProfile profile) {
    SrtpSession tx = Packets.session(profile);
    SrtpSession rx = Packets.session(profile);
    byte[] rtp = Packets.rtp(0, 0x01020304, 160, 1);
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
    for (int i = 0; i < 20_000; i++) {
      round.run();
    }
    // On a loaded machine C2 may still be compiling after the warm-up, and code running in the
    // interpreter or C1 allocates what C2 scalar-replaces. Steady state means a window of 10000
    // rounds with no allocation at all; a per-packet allocation would show in every window.
    long tid = Thread.currentThread().getId();
    long least = Long.MAX_VALUE;
    for (int window = 0; window < 8 && least > 0; window++) {
      long before = THREADS.getThreadAllocatedBytes(tid);
      for (int i = 0; i < 10_000; i++) {
        round.run();
      }
      least = Math.min(least, THREADS.getThreadAllocatedBytes(tid) - before);
    }
    assertEquals(0, least, profile + " allocated " + least + " bytes in 10000 rounds");
    assertEquals(0, rx.statusCount(SrtpStatus.AUTH_FAIL));
  }
}
