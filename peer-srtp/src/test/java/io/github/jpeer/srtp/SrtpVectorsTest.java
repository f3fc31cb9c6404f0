package io.github.jpeer.srtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.jpeer.srtp.SrtpConfig.GcmEngine;
import java.util.Arrays;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The RFCs' own test vectors, byte for byte, and cross-checks of the hand-written primitives. The
 * GCM vectors run once per {@link GcmEngine}: {@code JCE} sends every payload through JCE's
 * AES/GCM, each table engine every payload through its own GHASH tables, so all paths are held to
 * them.
 */
class SrtpVectorsTest {
  private static final String EVERY_GCM_PATH = "{0}";

  // RFC 7714 section 16: key 00 01 .. 0f (or .. 1f), salt "Quid pro quo".
  private static final byte[] SALT = Hex.bytes("51756964 2070726f 2071756f");
  private static final byte[] RTP_PLAIN =
      Hex.bytes(
          "8040f17b 8041f8d3 5501a0b2 47616c6c 69612065 7374206f 6d6e6973 20646976"
              + " 69736120 696e2070 61727465 73207472 6573");
  private static final byte[] RTCP_PLAIN =
      Hex.bytes(
          "81c8000d 4d617273 4e545031 4e545032 52545020 0000042a 0000e930 4c756e61"
              + " deadbeef deadbeef deadbeef deadbeef deadbeef");

  private static byte[] key(int length) {
    byte[] k = new byte[length];
    for (int i = 0; i < length; i++) {
      k[i] = (byte) i;
    }
    return k;
  }

  private static SrtpSession rfc7714(SrtpProfile profile, GcmEngine engine) {
    return SessionState.withSessionKeys(
        profile,
        key(profile.masterKeyLength()),
        SALT,
        null,
        SrtpConfig.DEFAULT.withGcmEngine(engine),
        engine == GcmEngine.JCE ? 0 : Integer.MAX_VALUE);
  }

  @Test
  void aesCmKeystream() {
    // RFC 3711 appendix B.2: 65282 keystream blocks from counter F0F1..FCFD0000 to ..FCFDFF01.
    AesKeystream aes = new AesKeystream(Hex.bytes("2B7E151628AED2A6ABF7158809CF4F3C"));
    aes.generate(Hex.bytes("F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000"), 65282);
    byte[] s = aes.stream;
    assertEquals(
        "e03ead0935c95e80e166b16dd92b4eb4d23513162b02d0f72a43a2fe4a5f97ab"
            + "41e95b3bb0a2e8dd477901e4fca894c0",
        Hex.string(s, 0, 48));
    assertEquals(
        "ec8cdf7398607cb0f2d21675ea9ea1e4362b7c3c6773516318a077d7fc5073ae"
            + "6a2cc3787889374fbeb4c81b17ba6c44",
        Hex.string(s, 16 * (65282 - 3), 48));
  }

  @Test
  void aesCmKeystreamThroughProtect() {
    // RFC 3711 appendix B.2 again, through the packet path: session salt F0..FD, SSRC 0, index 0,
    // so a zero payload encrypts to the keystream itself.
    SrtpSession s =
        SessionState.withSessionKeys(
            SrtpProfile.AES128_CM_HMAC_SHA1_80,
            Hex.bytes("2B7E151628AED2A6ABF7158809CF4F3C"),
            Hex.bytes("F0F1F2F3F4F5F6F7F8F9FAFBFCFD"),
            new byte[20],
            SrtpConfig.DEFAULT);
    byte[] packet = new byte[12 + 48 + 10];
    packet[0] = (byte) 0x80;
    assertEquals(70, s.protectRtp(packet, 0, 60));
    assertEquals(
        "e03ead0935c95e80e166b16dd92b4eb4d23513162b02d0f72a43a2fe4a5f97ab"
            + "41e95b3bb0a2e8dd477901e4fca894c0",
        Hex.string(packet, 12, 48));
  }

  @Test
  void keyDerivation() {
    // RFC 3711 appendix B.3.
    byte[] masterKey = Hex.bytes("E1F97A0D3E018BE0D64FA32C06DE4139");
    byte[] masterSalt = Hex.bytes("0EC675AD498AFEEBB6960B3AABE6");
    assertEquals(
        "c61e7a93744f39ee10734afe3ff7a087",
        Hex.string(SrtpKeyDerivation.derive(masterKey, masterSalt, 0x00, 16)));
    assertEquals(
        "30cbbc08863d8c85d49db34a9ae1",
        Hex.string(SrtpKeyDerivation.derive(masterKey, masterSalt, 0x02, 14)));
    assertEquals(
        ("CEBE321F6FF7716B6FD4AB49AF256A15 6D38BAA48F0A0ACF3C34E2359E6CDBCE"
                + " E049646C43D9327AD175578EF7227098 6371C10C9A369AC2F94A8C5FBCDDDC25"
                + " 6D6E919A48B610EF17C2041E47403576 6B68642C59BBFC2F34DB60DBDFB2")
            .replace(" ", "")
            .toLowerCase(),
        Hex.string(SrtpKeyDerivation.derive(masterKey, masterSalt, 0x01, 94)));
  }

  @ParameterizedTest(name = EVERY_GCM_PATH)
  @EnumSource(GcmEngine.class)
  void gcm128SrtpEncryption(GcmEngine engine) {
    // RFC 7714 section 16.1.1.
    assertProtects(
        SrtpProfile.AEAD_AES_128_GCM,
        engine,
        "8040f17b 8041f8d3 5501a0b2 f24de3a3 fb34de6c acba861c 9d7e4bca be633bd5"
            + " 0d294e6f 42a5f47a 51c7d19b 36de3adf 8833899d 7f27beb1 6a9152cf 765ee439 0cce");
  }

  @ParameterizedTest(name = EVERY_GCM_PATH)
  @EnumSource(GcmEngine.class)
  void gcm128SrtpDecryption(GcmEngine engine) {
    // RFC 7714 section 16.1.2.
    assertUnprotects(
        SrtpProfile.AEAD_AES_128_GCM,
        engine,
        "8040f17b 8041f8d3 5501a0b2 f24de3a3 fb34de6c acba861c 9d7e4bca be633bd5"
            + " 0d294e6f 42a5f47a 51c7d19b 36de3adf 8833899d 7f27beb1 6a9152cf 765ee439 0cce");
  }

  @ParameterizedTest(name = EVERY_GCM_PATH)
  @EnumSource(GcmEngine.class)
  void gcm256SrtpEncryption(GcmEngine engine) {
    // RFC 7714 section 16.2.1.
    assertProtects(
        SrtpProfile.AEAD_AES_256_GCM,
        engine,
        "8040f17b 8041f8d3 5501a0b2 32b1de78 a822fe12 ef9f78fa 332e33aa b1801238"
            + " 9a58e2f3 b50b2a02 76ffae0f 1ba63799 b87b7aa3 db36dfff d6b0f9bb 7878d7a7 6c13");
  }

  @ParameterizedTest(name = EVERY_GCM_PATH)
  @EnumSource(GcmEngine.class)
  void gcm256SrtpDecryption(GcmEngine engine) {
    // RFC 7714 section 16.2.2.
    assertUnprotects(
        SrtpProfile.AEAD_AES_256_GCM,
        engine,
        "8040f17b 8041f8d3 5501a0b2 32b1de78 a822fe12 ef9f78fa 332e33aa b1801238"
            + " 9a58e2f3 b50b2a02 76ffae0f 1ba63799 b87b7aa3 db36dfff d6b0f9bb 7878d7a7 6c13");
  }

  @ParameterizedTest(name = EVERY_GCM_PATH)
  @EnumSource(GcmEngine.class)
  void gcm128SrtcpEncryption(GcmEngine engine) {
    // RFC 7714 section 17.1, SRTCP index 000005d4.
    SrtpSession s = rfc7714(SrtpProfile.AEAD_AES_128_GCM, engine);
    SessionState.rtcpIndex(s, 0x4d617273, 0x5d4);
    byte[] buf = Arrays.copyOf(RTCP_PLAIN, RTCP_PLAIN.length + s.rtcpOverhead());
    assertEquals(buf.length, s.protectRtcp(buf, 0, RTCP_PLAIN.length));
    assertArrayEquals(
        Hex.bytes(
            "81c8000d 4d617273 63e94885 dcdab67c a727d766 2f6b7e99 7ff5c0f7 6c06f32d"
                + " c676a5f1 730d6fda 4ce09b46 86303ded 0bb9275b c84aa458 96cf4d2f c5abf872"
                + " 45d9eade 800005d4"),
        buf);
  }

  @ParameterizedTest(name = EVERY_GCM_PATH)
  @EnumSource(GcmEngine.class)
  void gcm256SrtcpDecryption(GcmEngine engine) {
    // RFC 7714 section 17.2.
    SrtpSession s = rfc7714(SrtpProfile.AEAD_AES_256_GCM, engine);
    byte[] buf =
        Hex.bytes(
            "81c8000d 4d617273 d50ae4d1 f5ce5d30 4ba297e4 7d470c28 2c3ece5d bffe0a50"
                + " a2eaa5c1 110555be 8415f658 c61de047 6f1b6fad 1d1eb30c 4446839f 57ff6f6c"
                + " b26ac3be 800005d4");
    assertEquals(RTCP_PLAIN.length, s.unprotectRtcp(buf, 0, buf.length));
    assertArrayEquals(RTCP_PLAIN, Arrays.copyOf(buf, RTCP_PLAIN.length));
  }

  @ParameterizedTest(name = EVERY_GCM_PATH)
  @EnumSource(GcmEngine.class)
  void gcm128SrtcpTaggingOnlyVerifies(GcmEngine engine) {
    // RFC 7714 section 17.3: E-flag clear, the whole packet and index word are AAD.
    SrtpSession s = rfc7714(SrtpProfile.AEAD_AES_128_GCM, engine);
    byte[] buf =
        Hex.bytes(
            "81c8000d 4d617273 4e545031 4e545032 52545020 0000042a 0000e930 4c756e61"
                + " deadbeef deadbeef deadbeef deadbeef deadbeef 841dd968 3dd78ec9 2ae58790"
                + " 125f62b3 000005d4");
    assertEquals(RTCP_PLAIN.length, s.unprotectRtcp(buf, 0, buf.length));
    assertArrayEquals(RTCP_PLAIN, Arrays.copyOf(buf, RTCP_PLAIN.length));
  }

  @ParameterizedTest(name = EVERY_GCM_PATH)
  @EnumSource(GcmEngine.class)
  void gcm256SrtcpTagVerification(GcmEngine engine) {
    // RFC 7714 section 17.4.
    SrtpSession s = rfc7714(SrtpProfile.AEAD_AES_256_GCM, engine);
    byte[] buf =
        Hex.bytes(
            "81c8000d 4d617273 4e545031 4e545032 52545020 0000042a 0000e930 4c756e61"
                + " deadbeef deadbeef deadbeef deadbeef deadbeef 91db4afb feee5a97 8fab4393"
                + " ed2615fe 000005d4");
    assertEquals(RTCP_PLAIN.length, s.unprotectRtcp(buf, 0, buf.length));
    assertArrayEquals(RTCP_PLAIN, Arrays.copyOf(buf, RTCP_PLAIN.length));
    // One flipped bit in the tag: the same packet no longer verifies.
    buf[RTCP_PLAIN.length + 3] ^= 1;
    assertEquals(
        SrtpStatus.AUTH_FAIL,
        SrtpStatus.of(
            rfc7714(SrtpProfile.AEAD_AES_256_GCM, engine).unprotectRtcp(buf, 0, buf.length)));
  }

  private static void assertProtects(SrtpProfile profile, GcmEngine engine, String expectedHex) {
    SrtpSession s = rfc7714(profile, engine);
    byte[] buf = Arrays.copyOf(RTP_PLAIN, RTP_PLAIN.length + 16);
    assertEquals(buf.length, s.protectRtp(buf, 0, RTP_PLAIN.length));
    assertArrayEquals(Hex.bytes(expectedHex), buf);
  }

  private static void assertUnprotects(SrtpProfile profile, GcmEngine engine, String protectedHex) {
    SrtpSession s = rfc7714(profile, engine);
    byte[] buf = Hex.bytes(protectedHex);
    assertEquals(RTP_PLAIN.length, s.unprotectRtp(buf, 0, buf.length));
    assertArrayEquals(RTP_PLAIN, Arrays.copyOf(buf, RTP_PLAIN.length));
  }

  @Test
  void hmacSha1MatchesJce() throws Exception {
    // The hand-written HMAC-SHA1 against the JDK's, across every padding case (lengths 0..300,
    // with and without SRTP's 4-byte ROC suffix).
    Random random = new Random(7);
    byte[] key = new byte[20];
    random.nextBytes(key);
    for (boolean jdkDigest : new boolean[] {false, true}) {
      checkHmac(new HmacSha1(key, jdkDigest), key, random);
    }
  }

  private static void checkHmac(HmacSha1 ours, byte[] key, Random random) throws Exception {
    Mac jce = Mac.getInstance("HmacSHA1");
    jce.init(new SecretKeySpec(key, "HmacSHA1"));
    byte[] data = new byte[310];
    random.nextBytes(data);
    for (int length = 0; length <= 300; length++) {
      int roc = random.nextInt();
      ours.compute(data, 5, length, roc, true);
      jce.update(data, 5, length);
      jce.update(
          new byte[] {(byte) (roc >>> 24), (byte) (roc >>> 16), (byte) (roc >>> 8), (byte) roc});
      assertArrayEquals(jce.doFinal(), ours.mac, "length " + length);
      ours.compute(data, 3, length, 0, false);
      jce.update(data, 3, length);
      assertArrayEquals(jce.doFinal(), ours.mac, "length " + length);
    }
  }

  @ParameterizedTest(name = EVERY_GCM_PATH)
  @EnumSource(GcmEngine.class)
  void gcmMatchesJce(GcmEngine engine) throws Exception {
    // The hand-written GHASH + counter mode against JCE's AES/GCM for many header and payload
    // lengths: SRTP-GCM is GCM with IV = J0 prefix, AAD = header, plaintext = payload.
    Random random = new Random(11);
    for (SrtpProfile profile :
        new SrtpProfile[] {SrtpProfile.AEAD_AES_128_GCM, SrtpProfile.AEAD_AES_256_GCM}) {
      byte[] key = new byte[profile.masterKeyLength()];
      random.nextBytes(key);
      byte[] salt = new byte[12];
      random.nextBytes(salt);
      SrtpSession s =
          SessionState.withSessionKeys(
              profile,
              key,
              salt,
              null,
              SrtpConfig.DEFAULT.withGcmEngine(engine),
              engine == GcmEngine.JCE ? 0 : Integer.MAX_VALUE);
      Cipher jce = Cipher.getInstance("AES/GCM/NoPadding");
      int seq = 1000;
      for (int csrcs = 0; csrcs <= 3; csrcs++) {
        for (int payload = 0; payload <= 70; payload++) {
          int header = 12 + 4 * csrcs;
          byte[] packet = new byte[header + payload + 16];
          random.nextBytes(packet);
          packet[0] = (byte) (0x80 | csrcs);
          packet[2] = (byte) (seq >>> 8);
          packet[3] = (byte) seq;
          packet[8] = 0x11;
          packet[9] = 0x22;
          packet[10] = 0x33;
          packet[11] = 0x44;
          seq++;
          byte[] plain = Arrays.copyOf(packet, header + payload);
          assertEquals(packet.length, s.protectRtp(packet, 0, header + payload));
          byte[] nonce = salt.clone();
          nonce[2] ^= 0x11;
          nonce[3] ^= 0x22;
          nonce[4] ^= 0x33;
          nonce[5] ^= 0x44;
          nonce[10] ^= plain[2];
          nonce[11] ^= plain[3];
          jce.init(
              Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
          jce.updateAAD(plain, 0, header);
          byte[] expected = jce.doFinal(plain, header, payload);
          assertArrayEquals(expected, Arrays.copyOfRange(packet, header, packet.length));
        }
      }
    }
  }
}
