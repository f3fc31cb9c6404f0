package io.github.jpeer.srtp;

import java.util.Random;

/** Builds test RTP and RTCP packets and keyed session pairs. */
final class Packets {
  private Packets() {}

  static byte[] rtp(int seq, int ssrc, int payloadLength, long seed) {
    byte[] p = new byte[12 + payloadLength];
    new Random(seed).nextBytes(p);
    p[0] = (byte) 0x80;
    p[1] = 111;
    p[2] = (byte) (seq >>> 8);
    p[3] = (byte) seq;
    p[8] = (byte) (ssrc >>> 24);
    p[9] = (byte) (ssrc >>> 16);
    p[10] = (byte) (ssrc >>> 8);
    p[11] = (byte) ssrc;
    return p;
  }

  /** A sender report with one report block, as a sender would emit it. */
  static byte[] rtcp(int ssrc, long seed) {
    byte[] p = new byte[52];
    new Random(seed).nextBytes(p);
    p[0] = (byte) 0x81;
    p[1] = (byte) 200;
    p[2] = 0;
    p[3] = 12;
    p[4] = (byte) (ssrc >>> 24);
    p[5] = (byte) (ssrc >>> 16);
    p[6] = (byte) (ssrc >>> 8);
    p[7] = (byte) ssrc;
    return p;
  }

  static byte[] key(SrtpProfile profile, long seed) {
    byte[] k = new byte[profile.masterKeyLength()];
    new Random(seed).nextBytes(k);
    return k;
  }

  static byte[] salt(SrtpProfile profile, long seed) {
    byte[] s = new byte[profile.masterSaltLength()];
    new Random(seed + 1).nextBytes(s);
    return s;
  }

  static SrtpSession session(SrtpProfile profile, SrtpConfig config) {
    return SrtpSession.create(profile, key(profile, 42), salt(profile, 42), config);
  }

  /** A session whose GCM payloads from {@code jceGcmMinPayload} bytes up go through JCE. */
  static SrtpSession session(SrtpProfile profile, SrtpConfig config, int jceGcmMinPayload) {
    return SessionState.derived(
        profile, key(profile, 42), salt(profile, 42), config, jceGcmMinPayload);
  }

  static SrtpSession session(SrtpProfile profile) {
    return session(profile, SrtpConfig.DEFAULT);
  }
}
