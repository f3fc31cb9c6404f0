package io.github.jpeer.srtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jpeer.srtp.SrtpConfig.GcmEngine;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Round trips, ROC estimation, replay, tampering, truncation and limits, for every profile. Tests
 * taking {@code jceGcmMinPayload} run the GCM profiles twice: every payload through JCE's AES/GCM
 * (0) and every payload through the table GHASH ({@link Integer#MAX_VALUE}).
 */
class SrtpSessionTest {
  private static final int SSRC = 0x1234abcd;
  private static final int JCE_ALWAYS = 0;
  private static final int JCE_NEVER = Integer.MAX_VALUE;

  /** Every profile; the GCM ones once per GCM path. */
  static Stream<Arguments> paths() {
    return Arrays.stream(SrtpProfile.values())
        .flatMap(
            p ->
                p.isAead()
                    ? Stream.of(Arguments.of(p, JCE_ALWAYS), Arguments.of(p, JCE_NEVER))
                    : Stream.of(Arguments.of(p, JCE_NEVER)));
  }

  @ParameterizedTest(name = "{0} jceGcmMinPayload={1}")
  @MethodSource("paths")
  void rtpRoundTripInPlaceAndIntoBuffer(SrtpProfile profile, int jceGcmMinPayload) {
    SrtpSession tx = Packets.session(profile, SrtpConfig.DEFAULT, jceGcmMinPayload);
    SrtpSession rx = Packets.session(profile, SrtpConfig.DEFAULT, jceGcmMinPayload);
    for (int payload : new int[] {0, 1, 15, 16, 17, 160, 1200, 3000}) {
      byte[] plain = Packets.rtp(payload, SSRC, payload, payload);
      byte[] buf = Arrays.copyOf(plain, plain.length + tx.rtpOverhead());
      int protectedLength = tx.protectRtp(buf, 0, plain.length);
      assertEquals(plain.length + profile.rtpAuthTagLength(), protectedLength);
      if (payload >= 16) {
        assertNotEquals(Hex.string(plain, 12, 16), Hex.string(buf, 12, 16), "payload encrypted");
      }
      byte[] out = new byte[protectedLength + 7];
      assertEquals(plain.length, rx.unprotectRtp(buf, 0, protectedLength, out, 7));
      assertArrayEquals(plain, Arrays.copyOfRange(out, 7, 7 + plain.length));
    }
    assertEquals(8, rx.statusCount(SrtpStatus.OK));
  }

  @ParameterizedTest(name = "{0} jceGcmMinPayload={1}")
  @MethodSource("paths")
  void rtpWithCsrcsAndExtensionKeepsHeaderClear(SrtpProfile profile, int jceGcmMinPayload) {
    SrtpSession tx = Packets.session(profile, SrtpConfig.DEFAULT, jceGcmMinPayload);
    SrtpSession rx = Packets.session(profile, SrtpConfig.DEFAULT, jceGcmMinPayload);
    byte[] plain = Packets.rtp(7, SSRC, 8 + 8 + 100, 3);
    plain[0] = (byte) 0x92; // X=1, CC=2
    plain[20] = (byte) 0xbe; // one-byte extension profile, one word
    plain[21] = (byte) 0xde;
    plain[22] = 0;
    plain[23] = 1;
    byte[] buf = Arrays.copyOf(plain, plain.length + tx.rtpOverhead());
    int n = tx.protectRtp(buf, 0, plain.length);
    assertArrayEquals(Arrays.copyOf(plain, 28), Arrays.copyOf(buf, 28), "header stays clear");
    assertEquals(plain.length, rx.unprotectRtp(buf, 0, n));
    assertArrayEquals(plain, Arrays.copyOf(buf, plain.length));
  }

  @ParameterizedTest(name = "{0} jceGcmMinPayload={1}")
  @MethodSource("paths")
  void rtcpRoundTrip(SrtpProfile profile, int jceGcmMinPayload) {
    SrtpSession tx = Packets.session(profile, SrtpConfig.DEFAULT, jceGcmMinPayload);
    SrtpSession rx = Packets.session(profile, SrtpConfig.DEFAULT, jceGcmMinPayload);
    for (int i = 0; i < 5; i++) {
      byte[] plain = Packets.rtcp(SSRC, i);
      byte[] buf = Arrays.copyOf(plain, plain.length + tx.rtcpOverhead());
      int n = tx.protectRtcp(buf, 0, plain.length);
      assertEquals(plain.length + 4 + profile.rtcpAuthTagLength(), n);
      // RFC 5764: an 80-bit SRTCP tag even in the _32 profile.
      assertEquals(profile.isAead() ? 16 : 10, n - plain.length - 4);
      int wordOffset = profile.isAead() ? plain.length + 16 : plain.length;
      assertEquals(0x80000000 | i, ByteBuffer.wrap(buf).getInt(wordOffset), "E flag and index");
      assertEquals(plain.length, rx.unprotectRtcp(buf, 0, n));
      assertArrayEquals(plain, Arrays.copyOf(buf, plain.length));
    }
  }

  @ParameterizedTest(name = "{0} jceGcmMinPayload={1}")
  @MethodSource("paths")
  void byteBuffersHeapAndDirectLeavePositionAndLimit(SrtpProfile profile, int jceGcmMinPayload) {
    SrtpSession tx = Packets.session(profile, SrtpConfig.DEFAULT, jceGcmMinPayload);
    SrtpSession rx = Packets.session(profile, SrtpConfig.DEFAULT, jceGcmMinPayload);
    for (ByteBuffer buffer :
        new ByteBuffer[] {ByteBuffer.allocate(400), ByteBuffer.allocateDirect(400)}) {
      byte[] plain = Packets.rtp(buffer.isDirect() ? 2 : 1, SSRC, 160, 5);
      buffer.put(10, plain, 0, plain.length);
      buffer.position(3).limit(300);
      int n = tx.protectRtp(buffer, 10, plain.length);
      assertEquals(plain.length + profile.rtpAuthTagLength(), n);
      assertEquals(plain.length, rx.unprotectRtp(buffer, 10, n));
      byte[] back = new byte[plain.length];
      buffer.get(10, back);
      assertArrayEquals(plain, back);
      assertEquals(3, buffer.position());
      assertEquals(300, buffer.limit());

      byte[] rtcp = Packets.rtcp(SSRC, 9);
      buffer.put(20, rtcp, 0, rtcp.length);
      int m = tx.protectRtcp(buffer, 20, rtcp.length);
      assertEquals(rtcp.length, rx.unprotectRtcp(buffer, 20, m));
      byte[] rtcpBack = new byte[rtcp.length];
      buffer.get(20, rtcpBack);
      assertArrayEquals(rtcp, rtcpBack);
    }
  }

  @ParameterizedTest
  @EnumSource(SrtpProfile.class)
  void rocEstimationAcrossThreeWrapsWithReordering(SrtpProfile profile) {
    // RFC 3711 section 3.3.1 / appendix A: start near the top of the sequence space, cross three
    // 2^16 boundaries, and deliver packets shuffled within runs of 40 (well inside the window).
    SrtpSession tx = Packets.session(profile);
    SrtpSession rx = Packets.session(profile);
    Random random = new Random(99);
    int first = 65000;
    int count = 3 * 65536 + 2000;
    int batch = 40;
    byte[][] wire = new byte[batch][];
    int[] wireLength = new int[batch];
    byte[] plain = Packets.rtp(0, SSRC, 20, 1);
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < batch; i++) {
      wire[i] = new byte[plain.length + 16];
      order.add(i);
    }
    for (int base = 0; base < count; base += batch) {
      for (int i = 0; i < batch; i++) {
        int seq = (first + base + i) & 0xffff;
        plain[2] = (byte) (seq >>> 8);
        plain[3] = (byte) seq;
        plain[12] = (byte) i;
        System.arraycopy(plain, 0, wire[i], 0, plain.length);
        wireLength[i] = tx.protectRtp(wire[i], 0, plain.length);
      }
      if (base > 0) {
        Collections.shuffle(order, random);
      }
      for (int i : order) {
        int n = rx.unprotectRtp(wire[i], 0, wireLength[i]);
        assertEquals(plain.length, n, "packet " + (base + i) + " " + SrtpStatus.of(n));
        assertEquals((byte) i, wire[i][12]);
      }
    }
    assertEquals((count + batch - 1) / batch * batch, rx.statusCount(SrtpStatus.OK));
    assertEquals(0, rx.statusCount(SrtpStatus.AUTH_FAIL));
  }

  @ParameterizedTest
  @EnumSource(
      value = SrtpProfile.class,
      names = {"AEAD_AES_128_GCM", "AEAD_AES_256_GCM"})
  void gcmPathsAgreeAroundTheThreshold(SrtpProfile profile) {
    // The default session switches to JCE at JCE_GCM_MIN_PAYLOAD; whichever path sealed a packet,
    // either path must produce the same bytes and open it.
    SrtpSession tx = Packets.session(profile);
    SrtpSession txTables = Packets.session(profile, SrtpConfig.DEFAULT, JCE_NEVER);
    SrtpSession rxTables = Packets.session(profile, SrtpConfig.DEFAULT, JCE_NEVER);
    SrtpSession rxJce = Packets.session(profile, SrtpConfig.DEFAULT, JCE_ALWAYS);
    int threshold = SrtpSession.JCE_GCM_MIN_PAYLOAD;
    for (int payload = threshold - 17; payload <= threshold + 17; payload++) {
      byte[] plain = Packets.rtp(payload, SSRC, payload, payload);
      byte[] a = Arrays.copyOf(plain, plain.length + 16);
      byte[] b = Arrays.copyOf(plain, plain.length + 16);
      assertEquals(a.length, tx.protectRtp(a, 0, plain.length));
      assertEquals(b.length, txTables.protectRtp(b, 0, plain.length));
      assertArrayEquals(b, a, "payload " + payload);
      assertEquals(plain.length, rxTables.unprotectRtp(a, 0, a.length, new byte[a.length], 0));
      assertEquals(plain.length, rxJce.unprotectRtp(a, 0, a.length));
      assertArrayEquals(plain, Arrays.copyOf(a, plain.length));

      byte[] rtcp = Arrays.copyOf(Packets.rtcp(SSRC, payload), 8 + payload);
      byte[] c = Arrays.copyOf(rtcp, rtcp.length + tx.rtcpOverhead());
      byte[] d = Arrays.copyOf(rtcp, rtcp.length + tx.rtcpOverhead());
      assertEquals(c.length, tx.protectRtcp(c, 0, rtcp.length));
      assertEquals(d.length, txTables.protectRtcp(d, 0, rtcp.length));
      assertArrayEquals(d, c, "RTCP payload " + payload);
      assertEquals(rtcp.length, rxTables.unprotectRtcp(c, 0, c.length, new byte[c.length], 0));
      assertEquals(rtcp.length, rxJce.unprotectRtcp(c, 0, c.length));
      assertArrayEquals(rtcp, Arrays.copyOf(c, rtcp.length));
    }
  }

  @Test
  void jceRefusingARepeatedNonceFallsBackToTheTables() {
    // Protecting the same index twice repeats the GCM nonce; SunJCE refuses to encrypt under the
    // IV it just used, so the session must seal with its own GHASH instead, giving the same bytes.
    SrtpProfile profile = SrtpProfile.AEAD_AES_128_GCM;
    SrtpSession tx = Packets.session(profile, SrtpConfig.DEFAULT, JCE_ALWAYS);
    byte[] plain = Packets.rtp(5, SSRC, 700, 5);
    byte[] first = Arrays.copyOf(plain, plain.length + 16);
    byte[] second = Arrays.copyOf(plain, plain.length + 16);
    assertEquals(first.length, tx.protectRtp(first, 0, plain.length));
    assertEquals(second.length, tx.protectRtp(second, 0, plain.length));
    assertArrayEquals(first, second);
    SrtpSession rx = Packets.session(profile, SrtpConfig.DEFAULT, JCE_ALWAYS);
    assertEquals(plain.length, rx.unprotectRtp(second, 0, second.length));
    assertArrayEquals(plain, Arrays.copyOf(second, plain.length));
  }

  @Test
  void lateFirstWrapPacketUsesPreviousRoc() {
    // Receiver has seen up to seq 5 after a wrap (ROC 1); a late packet 65534 belongs to ROC 0.
    SrtpProfile profile = SrtpProfile.AES128_CM_HMAC_SHA1_80;
    SrtpSession tx = Packets.session(profile);
    SrtpSession rx = Packets.session(profile);
    int[] seqs = {65530, 65533, 65534, 65535, 0, 1, 5};
    byte[][] wire = new byte[seqs.length][];
    int[] len = new int[seqs.length];
    for (int i = 0; i < seqs.length; i++) {
      byte[] p = Packets.rtp(seqs[i], SSRC, 30, i);
      wire[i] = Arrays.copyOf(p, p.length + 10);
      len[i] = tx.protectRtp(wire[i], 0, p.length);
    }
    for (int i : new int[] {0, 1, 4, 5, 6, 2, 3}) {
      assertEquals(42, rx.unprotectRtp(wire[i].clone(), 0, len[i]), "seq " + seqs[i]);
    }
    // Every one again: duplicates.
    for (int i = 0; i < seqs.length; i++) {
      assertEquals(
          SrtpStatus.REPLAY_DUPLICATE, SrtpStatus.of(rx.unprotectRtp(wire[i].clone(), 0, len[i])));
    }
  }

  @ParameterizedTest(name = "{0} jceGcmMinPayload={1}")
  @MethodSource("paths")
  void replayWindowBoundaries(SrtpProfile profile, int jceGcmMinPayload) {
    SrtpSession tx = Packets.session(profile, SrtpConfig.DEFAULT, jceGcmMinPayload);
    SrtpSession rx =
        Packets.session(
            profile, SrtpConfig.DEFAULT.withReplayWindowPackets(1024), jceGcmMinPayload);
    int total = 1100;
    byte[][] wire = new byte[total][];
    int[] len = new int[total];
    for (int s = 0; s < total; s++) {
      byte[] p = Packets.rtp(s, SSRC, 10, s);
      wire[s] = Arrays.copyOf(p, p.length + 16);
      len[s] = tx.protectRtp(wire[s], 0, p.length);
    }
    // Receive 0..1099 but skip 50 and 100.
    for (int s = 0; s < total; s++) {
      if (s != 50 && s != 100) {
        assertTrue(rx.unprotectRtp(wire[s].clone(), 0, len[s]) > 0);
      }
    }
    // Highest is 1099: 100 is 999 behind (inside a 1024 window), 50 is 1049 behind (outside).
    assertEquals(22, rx.unprotectRtp(wire[100].clone(), 0, len[100]));
    assertEquals(
        SrtpStatus.REPLAY_OLD, SrtpStatus.of(rx.unprotectRtp(wire[50].clone(), 0, len[50])));
    assertEquals(
        SrtpStatus.REPLAY_DUPLICATE,
        SrtpStatus.of(rx.unprotectRtp(wire[100].clone(), 0, len[100])));
    assertEquals(
        SrtpStatus.REPLAY_DUPLICATE,
        SrtpStatus.of(rx.unprotectRtp(wire[1099].clone(), 0, len[1099])));
    assertEquals(1, rx.statusCount(SrtpStatus.REPLAY_OLD));
    assertEquals(2, rx.statusCount(SrtpStatus.REPLAY_DUPLICATE));
  }

  @ParameterizedTest(name = "jceGcmMinPayload={0}")
  @ValueSource(ints = {JCE_ALWAYS, JCE_NEVER})
  void replayProtectionCanBeSwitchedOff(int jceGcmMinPayload) {
    SrtpProfile profile = SrtpProfile.AEAD_AES_256_GCM;
    SrtpSession tx = Packets.session(profile, SrtpConfig.DEFAULT, jceGcmMinPayload);
    SrtpSession rx =
        Packets.session(profile, SrtpConfig.DEFAULT.withReplayProtection(false), jceGcmMinPayload);
    byte[] p = Packets.rtp(77, SSRC, 30, 7);
    byte[] w = Arrays.copyOf(p, p.length + 16);
    int n = tx.protectRtp(w, 0, p.length);
    for (int i = 0; i < 3; i++) {
      assertEquals(p.length, rx.unprotectRtp(w.clone(), 0, n), "the same packet again");
    }
    byte[] r = Packets.rtcp(SSRC, 7);
    byte[] rw = Arrays.copyOf(r, r.length + 20);
    int m = tx.protectRtcp(rw, 0, r.length);
    assertEquals(r.length, rx.unprotectRtcp(rw.clone(), 0, m));
    assertEquals(r.length, rx.unprotectRtcp(rw.clone(), 0, m));
  }

  @Test
  void configRejectsBadWindows() {
    assertThrows(
        IllegalArgumentException.class, () -> SrtpConfig.DEFAULT.withReplayWindowPackets(32));
    assertThrows(
        IllegalArgumentException.class, () -> SrtpConfig.DEFAULT.withReplayWindowPackets(1000));
    assertThrows(IllegalArgumentException.class, () -> SrtpConfig.DEFAULT.withMaxSsrcs(0));
    assertEquals(1024, SrtpConfig.DEFAULT.withReplayWindowPackets(1024).replayWindowPackets());
  }

  @Test
  void configDefaultsToTheNibbleTableAndRejectsNoEngine() {
    assertEquals(GcmEngine.NIBBLE_TABLE, SrtpConfig.DEFAULT.gcmEngine());
    SrtpConfig jce = SrtpConfig.DEFAULT.withMaxSsrcs(5).withGcmEngine(GcmEngine.JCE);
    assertEquals(GcmEngine.JCE, jce.gcmEngine());
    assertEquals(5, jce.maxSsrcs());
    // Every other copy keeps the engine.
    assertEquals(GcmEngine.JCE, jce.withReplayProtection(false).withMaxSsrcs(6).gcmEngine());
    assertThrows(NullPointerException.class, () -> SrtpConfig.DEFAULT.withGcmEngine(null));
  }

  @ParameterizedTest
  @EnumSource(
      value = SrtpProfile.class,
      names = {"AEAD_AES_128_GCM", "AEAD_AES_256_GCM"})
  void everyGcmEngineProducesTheSamePackets(SrtpProfile profile) {
    // The engine is a local choice: every one must put the same bytes on the wire, and open what
    // any other sealed.
    byte[] rtp = Packets.rtp(7, SSRC, 160, 3);
    byte[] rtcp = Packets.rtcp(SSRC, 4);
    byte[] expectedRtp = null;
    byte[] expectedRtcp = null;
    for (GcmEngine engine : GcmEngine.values()) {
      SrtpSession tx = Packets.session(profile, SrtpConfig.DEFAULT.withGcmEngine(engine));
      byte[] r = Arrays.copyOf(rtp, rtp.length + tx.rtpOverhead());
      assertEquals(r.length, tx.protectRtp(r, 0, rtp.length), engine.name());
      byte[] c = Arrays.copyOf(rtcp, rtcp.length + tx.rtcpOverhead());
      assertEquals(c.length, tx.protectRtcp(c, 0, rtcp.length), engine.name());
      if (expectedRtp == null) {
        expectedRtp = r;
        expectedRtcp = c;
      }
      assertArrayEquals(expectedRtp, r, engine.name());
      assertArrayEquals(expectedRtcp, c, engine.name());
      for (GcmEngine other : GcmEngine.values()) {
        SrtpSession rx = Packets.session(profile, SrtpConfig.DEFAULT.withGcmEngine(other));
        assertEquals(rtp.length, rx.unprotectRtp(r.clone(), 0, r.length), engine + " to " + other);
        assertEquals(
            rtcp.length, rx.unprotectRtcp(c.clone(), 0, c.length), engine + " to " + other);
      }
    }
  }

  @ParameterizedTest(name = "{0} jceGcmMinPayload={1}")
  @MethodSource("paths")
  void srtcpReplay(SrtpProfile profile, int jceGcmMinPayload) {
    SrtpSession tx = Packets.session(profile, SrtpConfig.DEFAULT, jceGcmMinPayload);
    SrtpSession rx = Packets.session(profile, SrtpConfig.DEFAULT, jceGcmMinPayload);
    byte[][] wire = new byte[200][];
    int[] len = new int[200];
    for (int i = 0; i < 200; i++) {
      byte[] p = Packets.rtcp(SSRC, i);
      wire[i] = Arrays.copyOf(p, p.length + 20);
      len[i] = tx.protectRtcp(wire[i], 0, p.length);
    }
    assertEquals(52, rx.unprotectRtcp(wire[0].clone(), 0, len[0]));
    assertEquals(
        SrtpStatus.REPLAY_DUPLICATE, SrtpStatus.of(rx.unprotectRtcp(wire[0].clone(), 0, len[0])));
    assertEquals(52, rx.unprotectRtcp(wire[199].clone(), 0, len[199]));
    assertEquals(52, rx.unprotectRtcp(wire[100].clone(), 0, len[100]));
    // 199 - 1 >= 128: outside the default SRTCP window.
    assertEquals(
        SrtpStatus.REPLAY_OLD, SrtpStatus.of(rx.unprotectRtcp(wire[1].clone(), 0, len[1])));
  }

  @ParameterizedTest(name = "{0} jceGcmMinPayload={1}")
  @MethodSource("paths")
  void everyFlippedByteIsRejectedAndLeavesThePacketAlone(
      SrtpProfile profile, int jceGcmMinPayload) {
    SrtpSession tx = Packets.session(profile, SrtpConfig.DEFAULT, jceGcmMinPayload);
    SrtpSession rx = Packets.session(profile, SrtpConfig.DEFAULT, jceGcmMinPayload);
    byte[] plain = Packets.rtp(4000, SSRC, 160, 8);
    byte[] wire = Arrays.copyOf(plain, plain.length + 16);
    int n = tx.protectRtp(wire, 0, plain.length);
    for (int i = 0; i < n; i++) {
      byte[] bad = Arrays.copyOf(wire, n);
      bad[i] ^= (byte) (1 << (i % 8));
      byte[] before = bad.clone();
      int r = rx.unprotectRtp(bad, 0, n);
      SrtpStatus status = SrtpStatus.of(r);
      if (i == 0) {
        assertTrue(
            status == SrtpStatus.AUTH_FAIL || status == SrtpStatus.INVALID, "byte 0 " + status);
      } else {
        assertEquals(SrtpStatus.AUTH_FAIL, status, "byte " + i);
      }
      assertArrayEquals(before, bad, "nothing decrypted before authentication");
    }
    assertEquals(0, rx.ssrcCount(), "failed packets create no SSRC context");
    assertEquals(plain.length, rx.unprotectRtp(wire, 0, n));

    byte[] rtcp = Packets.rtcp(SSRC, 3);
    byte[] rtcpWire = Arrays.copyOf(rtcp, rtcp.length + 20);
    int m = tx.protectRtcp(rtcpWire, 0, rtcp.length);
    for (int i = 0; i < m; i++) {
      byte[] bad = Arrays.copyOf(rtcpWire, m);
      bad[i] ^= (byte) (1 << (i % 8));
      SrtpStatus status = SrtpStatus.of(rx.unprotectRtcp(bad, 0, m));
      if (i == 0 && (i % 8) >= 6) {
        assertEquals(SrtpStatus.INVALID, status);
      } else {
        assertEquals(SrtpStatus.AUTH_FAIL, status, "RTCP byte " + i);
      }
    }
    assertEquals(rtcp.length, rx.unprotectRtcp(rtcpWire, 0, m));
  }

  @ParameterizedTest(name = "{0} jceGcmMinPayload={1}")
  @MethodSource("paths")
  void truncatedAndGarbagePacketsAreStatusesNotExceptions(
      SrtpProfile profile, int jceGcmMinPayload) {
    SrtpSession tx = Packets.session(profile, SrtpConfig.DEFAULT, jceGcmMinPayload);
    SrtpSession rx = Packets.session(profile, SrtpConfig.DEFAULT, jceGcmMinPayload);
    byte[] plain = Packets.rtp(1, SSRC, 40, 2);
    byte[] wire = Arrays.copyOf(plain, plain.length + 16);
    int n = tx.protectRtp(wire, 0, plain.length);
    byte[] rtcp = Packets.rtcp(SSRC, 2);
    byte[] rtcpWire = Arrays.copyOf(rtcp, rtcp.length + 20);
    int m = tx.protectRtcp(rtcpWire, 0, rtcp.length);
    for (int len = 0; len < n; len++) {
      assertTrue(rx.unprotectRtp(wire.clone(), 0, len) < 0, "length " + len);
    }
    for (int len = 0; len < m; len++) {
      assertTrue(rx.unprotectRtcp(rtcpWire.clone(), 0, len) < 0, "length " + len);
    }
    Random random = new Random(5);
    for (int i = 0; i < 2000; i++) {
      byte[] junk = new byte[random.nextInt(80)];
      random.nextBytes(junk);
      if (junk.length > 0 && random.nextBoolean()) {
        junk[0] = (byte) (0x80 | (junk[0] & 0x3f));
      }
      assertTrue(rx.unprotectRtp(junk, 0, junk.length) < 0);
      assertTrue(rx.unprotectRtcp(junk, 0, junk.length) < 0);
    }
    // A protect with no room for the tag, or of a non-RTP packet, is INVALID, not an exception.
    byte[] tight = plain.clone();
    assertEquals(SrtpStatus.INVALID, SrtpStatus.of(tx.protectRtp(tight, 0, tight.length)));
    assertEquals(SrtpStatus.INVALID, SrtpStatus.of(tx.protectRtp(new byte[40], 0, 20)));
    assertThrows(IllegalArgumentException.class, () -> tx.protectRtp(plain, 5, plain.length));
  }

  @Test
  void keyUsageLimits() {
    SrtpSession tx = Packets.session(SrtpProfile.AES128_CM_HMAC_SHA1_80);
    byte[] p = Packets.rtp(1, SSRC, 20, 1);
    // RFC 3711 section 9.2: 2^48 SRTP packets per master key.
    SessionState.packetCounts(tx, (1L << 48) - 1, 0);
    assertTrue(tx.protectRtp(Arrays.copyOf(p, 50), 0, p.length) > 0);
    assertEquals(
        SrtpStatus.KEY_LIMIT, SrtpStatus.of(tx.protectRtp(Arrays.copyOf(p, 50), 0, p.length)));
    // 2^31 SRTCP packets: the 31-bit index cannot wrap.
    byte[] r = Packets.rtcp(SSRC, 1);
    SessionState.rtcpIndex(tx, SSRC, (1L << 31) - 1);
    int n = tx.protectRtcp(Arrays.copyOf(r, 80), 0, r.length);
    assertTrue(n > 0);
    assertEquals(
        SrtpStatus.KEY_LIMIT, SrtpStatus.of(tx.protectRtcp(Arrays.copyOf(r, 80), 0, r.length)));
    // The ROC cannot pass 2^32 - 1.
    SrtpSession tx2 = Packets.session(SrtpProfile.AEAD_AES_128_GCM);
    SessionState.roc(tx2, SSRC, 0xFFFFFFFFL, 65535);
    byte[] q = Packets.rtp(0, SSRC, 20, 1);
    assertEquals(
        SrtpStatus.KEY_LIMIT, SrtpStatus.of(tx2.protectRtp(Arrays.copyOf(q, 60), 0, q.length)));
  }

  @Test
  void ssrcBoundIsEnforcedAndOnlyAuthenticPacketsCreateContexts() {
    SrtpProfile profile = SrtpProfile.AES128_CM_HMAC_SHA1_32;
    SrtpSession tx = Packets.session(profile);
    SrtpSession rx = Packets.session(profile, SrtpConfig.DEFAULT.withMaxSsrcs(2));
    for (int ssrc = 1; ssrc <= 3; ssrc++) {
      byte[] p = Packets.rtp(1, ssrc, 20, ssrc);
      byte[] w = Arrays.copyOf(p, 60);
      int n = tx.protectRtp(w, 0, p.length);
      byte[] forged = w.clone();
      forged[20] ^= 1;
      // With the table full, a new SSRC is refused before any crypto is spent on it.
      assertEquals(
          ssrc <= 2 ? SrtpStatus.AUTH_FAIL : SrtpStatus.SSRC_LIMIT,
          SrtpStatus.of(rx.unprotectRtp(forged, 0, n)));
      int r = rx.unprotectRtp(w, 0, n);
      assertEquals(ssrc <= 2 ? SrtpStatus.OK : SrtpStatus.SSRC_LIMIT, SrtpStatus.of(r));
    }
    assertEquals(2, rx.ssrcCount());
    assertEquals(2, rx.statusCount(SrtpStatus.SSRC_LIMIT));
  }

  @Test
  void keyingMaterialSplitsPerRfc5764() {
    SrtpProfile profile = SrtpProfile.AES128_CM_HMAC_SHA1_80;
    byte[] material = new byte[profile.keyingMaterialLength()];
    for (int i = 0; i < material.length; i++) {
      material[i] = (byte) i;
    }
    SrtpKeyingMaterial km = SrtpKeyingMaterial.split(profile, material);
    assertArrayEquals(Arrays.copyOfRange(material, 0, 16), km.localMasterKey(true));
    assertArrayEquals(Arrays.copyOfRange(material, 16, 32), km.localMasterKey(false));
    assertArrayEquals(Arrays.copyOfRange(material, 32, 46), km.localMasterSalt(true));
    assertArrayEquals(Arrays.copyOfRange(material, 46, 60), km.remoteMasterSalt(true));
    SrtpSession clientOut = km.outboundSession(true, SrtpConfig.DEFAULT);
    SrtpSession serverIn = km.inboundSession(false, SrtpConfig.DEFAULT);
    byte[] p = Packets.rtp(9, SSRC, 50, 9);
    byte[] w = Arrays.copyOf(p, p.length + 10);
    int n = clientOut.protectRtp(w, 0, p.length);
    assertEquals(p.length, serverIn.unprotectRtp(w, 0, n));
    assertEquals("SrtpKeyingMaterial[AES128_CM_HMAC_SHA1_80]", km.toString());
    assertThrows(
        IllegalArgumentException.class, () -> SrtpKeyingMaterial.split(profile, new byte[59]));
    assertThrows(
        IllegalArgumentException.class,
        () -> SrtpSession.create(profile, new byte[16], new byte[12]));
    assertEquals(56, SrtpProfile.AEAD_AES_128_GCM.keyingMaterialLength());
  }

  @Test
  void statusCodesMapBack() {
    for (SrtpStatus s : SrtpStatus.values()) {
      assertEquals(s, SrtpStatus.of(s.code()));
    }
    assertEquals(SrtpStatus.OK, SrtpStatus.of(172));
    assertThrows(IllegalArgumentException.class, () -> SrtpStatus.of(-100));
  }
}
