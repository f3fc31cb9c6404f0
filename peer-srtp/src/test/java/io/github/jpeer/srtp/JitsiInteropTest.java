package io.github.jpeer.srtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Known-answer interop with jitsi-srtp: jpeer unprotects what jitsi protected and jitsi unprotects
 * what jpeer protected, RTP and RTCP, across a sequence-number wrap, for every profile both
 * implement. Both sides derive their own session keys from the same master key and salt, so this
 * also pins the key derivation (including the 12-byte GCM salt's placement).
 */
class JitsiInteropTest {
  private static final int SSRC = 0x5eed5eed;

  @ParameterizedTest
  @EnumSource(SrtpProfile.class)
  void jitsiToJpeer(SrtpProfile profile) {
    byte[] key = Packets.key(profile, 17);
    byte[] salt = Packets.salt(profile, 17);
    JitsiSrtp jitsi = new JitsiSrtp(profile, true, key, salt, SSRC);
    SrtpSession jpeer = SrtpSession.create(profile, key, salt);
    for (int i = 0; i < 40; i++) {
      int seq = (65520 + i) & 0xffff; // crosses the wrap: ROC 0 -> 1
      byte[] plain = Packets.rtp(seq, SSRC, 20 + 7 * i, i);
      byte[] wire = jitsi.protectRtp(plain);
      assertNotNull(wire);
      assertEquals(plain.length + profile.rtpAuthTagLength(), wire.length);
      byte[] buf = wire.clone();
      int n = jpeer.unprotectRtp(buf, 0, buf.length);
      assertEquals(plain.length, n, "seq " + seq + ": " + SrtpStatus.of(n));
      assertArrayEquals(plain, Arrays.copyOf(buf, n));

      byte[] rtcp = Packets.rtcp(SSRC, i);
      byte[] rtcpWire = jitsi.protectRtcp(rtcp);
      assertNotNull(rtcpWire);
      byte[] rbuf = rtcpWire.clone();
      int m = jpeer.unprotectRtcp(rbuf, 0, rbuf.length);
      assertEquals(rtcp.length, m, "rtcp " + i + ": " + SrtpStatus.of(m));
      assertArrayEquals(rtcp, Arrays.copyOf(rbuf, m));
    }
    jitsi.close();
  }

  @ParameterizedTest
  @EnumSource(SrtpProfile.class)
  void jpeerToJitsi(SrtpProfile profile) {
    byte[] key = Packets.key(profile, 23);
    byte[] salt = Packets.salt(profile, 23);
    SrtpSession jpeer = SrtpSession.create(profile, key, salt);
    JitsiSrtp jitsi = new JitsiSrtp(profile, false, key, salt, SSRC);
    for (int i = 0; i < 40; i++) {
      int seq = (65520 + i) & 0xffff;
      byte[] plain = Packets.rtp(seq, SSRC, 20 + 7 * i, i);
      byte[] buf = Arrays.copyOf(plain, plain.length + jpeer.rtpOverhead());
      int n = jpeer.protectRtp(buf, 0, plain.length);
      byte[] back = jitsi.unprotectRtp(Arrays.copyOf(buf, n));
      assertNotNull(back, "jitsi rejected jpeer's seq " + seq);
      assertArrayEquals(plain, back);

      byte[] rtcp = Packets.rtcp(SSRC, i);
      byte[] rbuf = Arrays.copyOf(rtcp, rtcp.length + jpeer.rtcpOverhead());
      int m = jpeer.protectRtcp(rbuf, 0, rtcp.length);
      byte[] rtcpBack = jitsi.unprotectRtcp(Arrays.copyOf(rbuf, m));
      assertNotNull(rtcpBack, "jitsi rejected jpeer's RTCP " + i);
      assertArrayEquals(rtcp, rtcpBack);
    }
    // And jitsi agrees a tampered jpeer packet is not authentic.
    byte[] plain = Packets.rtp(100, SSRC, 60, 1);
    byte[] buf = Arrays.copyOf(plain, plain.length + jpeer.rtpOverhead());
    int n = jpeer.protectRtp(buf, 0, plain.length);
    buf[30] ^= 4;
    assertNull(jitsi.unprotectRtp(Arrays.copyOf(buf, n)));
    jitsi.close();
  }
}
