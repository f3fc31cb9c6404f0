package io.github.jpeer.srtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HmacSha1Test {
  @ParameterizedTest(name = "jdkDigest={0}")
  @ValueSource(booleans = {false, true})
  void rfc2202Vectors(boolean jdkDigest) {
    // RFC 2202 section 3, test cases 1-5 (6 and 7 use 80-byte keys, longer than SRTP's).
    assertMac(
        jdkDigest, repeat(0x0b, 20), ascii("Hi There"), "b617318655057264e28bc0b6fb378c8ef146be00");
    assertMac(
        jdkDigest,
        ascii("Jefe"),
        ascii("what do ya want for nothing?"),
        "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
    assertMac(
        jdkDigest, repeat(0xaa, 20), repeat(0xdd, 50), "125d7342b9ac11cd91a39af48aa17b4f63f175d3");
    assertMac(
        jdkDigest,
        Hex.bytes("0102030405060708090a0b0c0d0e0f10111213141516171819"),
        repeat(0xcd, 50),
        "4c9007f4026250c6bc8414f9bf50c86c2d7235da");
    assertMac(
        jdkDigest,
        repeat(0x0c, 20),
        ascii("Test With Truncation"),
        "4c1a03424b55e07fe7f27be1d58bb9324a9a5a04");
  }

  @ParameterizedTest(name = "jdkDigest={0}")
  @ValueSource(booleans = {false, true})
  void matchesJceOnceJitCompiled(boolean jdkDigest) throws Exception {
    // The unrolled compression runs interpreted in short tests; enough calls here (a few
    // milliseconds) that C2 compiles it, so the compiled code is checked against JCE too.
    Random random = new Random(3);
    byte[] key = new byte[20];
    random.nextBytes(key);
    HmacSha1 ours = new HmacSha1(key, jdkDigest);
    Mac jce = Mac.getInstance("HmacSHA1");
    jce.init(new SecretKeySpec(key, "HmacSHA1"));
    byte[] data = new byte[1300];
    for (int i = 0; i < 30_000; i++) {
      random.nextBytes(data);
      int offset = random.nextInt(16);
      int length = i % 10 == 0 ? random.nextInt(data.length - offset) : 160 + random.nextInt(40);
      int roc = random.nextInt();
      ours.compute(data, offset, length, roc, true);
      jce.update(data, offset, length);
      jce.update(
          new byte[] {(byte) (roc >>> 24), (byte) (roc >>> 16), (byte) (roc >>> 8), (byte) roc});
      byte[] expected = jce.doFinal();
      if (!Arrays.equals(expected, ours.mac)) {
        assertArrayEquals(expected, ours.mac, "call " + i + ", length " + length);
      }
    }
  }

  private static void assertMac(boolean jdkDigest, byte[] key, byte[] data, String macHex) {
    HmacSha1 hmac = new HmacSha1(key, jdkDigest);
    // Twice, at different offsets, so that state carried between calls would show.
    for (int offset : new int[] {0, 7}) {
      byte[] shifted = new byte[offset + data.length];
      System.arraycopy(data, 0, shifted, offset, data.length);
      hmac.compute(shifted, offset, data.length, 0, false);
      assertEquals(macHex, Hex.string(hmac.mac));
    }
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] repeat(int value, int count) {
    byte[] b = new byte[count];
    Arrays.fill(b, (byte) value);
    return b;
  }
}
