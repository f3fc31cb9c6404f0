package io.github.jpeer.stun;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * The HMAC of MESSAGE-INTEGRITY with its cached per-thread Mac: keys and algorithms interleaved as
 * on a loop thread with many connections give what a fresh Mac gives for each message.
 */
class IntegrityTest {
  @Test
  void interleavedKeysAndAlgorithmsMatchAFreshMac() throws Exception {
    SplittableRandom r = new SplittableRandom(11);
    byte[][] keys = {
      "pass-one".getBytes(StandardCharsets.UTF_8),
      "a-much-longer-ice-password-of-some-length".getBytes(StandardCharsets.UTF_8),
      new byte[16],
    };
    byte[] message = new byte[200];
    for (int i = 0; i < 300; i++) {
      r.nextBytes(message);
      byte[] key = keys[r.nextInt(keys.length)];
      String algorithm = r.nextBoolean() ? Integrity.HMAC_SHA1 : Integrity.HMAC_SHA256;
      int prefix = 20 + r.nextInt(150);
      int lengthField = r.nextInt(0x10000);
      assertArrayEquals(
          expected(algorithm, key, message, prefix, lengthField),
          Integrity.hmac(algorithm, key, message, 0, prefix, lengthField),
          "message " + i);
    }
  }

  /** RFC 8489's input: the header with its length field replaced, then the rest of the prefix. */
  private static byte[] expected(
      String algorithm, byte[] key, byte[] message, int prefix, int lengthField) throws Exception {
    Mac mac = Mac.getInstance(algorithm);
    mac.init(new SecretKeySpec(key, algorithm));
    byte[] input = java.util.Arrays.copyOf(message, prefix);
    input[2] = (byte) (lengthField >>> 8);
    input[3] = (byte) lengthField;
    return mac.doFinal(input);
  }
}
