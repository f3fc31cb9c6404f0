package io.github.jpeer.srtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AesGcmTagCheckTest {
  /** Test case 4 of the GCM specification (McGrew and Viega, 2005): AES-128, 20 bytes of AAD. */
  @Test
  void gcmSpecificationTestCase4() {
    byte[] key = Hex.bytes("feffe9928665731c6d6a8f9467308308");
    byte[] nonce = Hex.bytes("cafebabefacedbaddecaf888");
    byte[] aad = Hex.bytes("feedfacedeadbeeffeedfacedeadbeefabaddad2");
    byte[] cipherAndTag =
        Hex.bytes(
            "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
                + "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091"
                + "5bc94fbc3221a5db94fae95ae7121a47");
    AesGcmTagCheck check = new AesGcmTagCheck(key);
    int c = cipherAndTag.length - 16;
    assertTrue(check.verify(nonce, aad, 0, aad.length, cipherAndTag, 0, c, c));
    cipherAndTag[c + 15] ^= 1;
    assertFalse(check.verify(nonce, aad, 0, aad.length, cipherAndTag, 0, c, c));
  }

  /** Against the JDK's AES/GCM at every length from 0 to 100 and a few large ones, both keys. */
  @ParameterizedTest
  @ValueSource(ints = {16, 32})
  void agreesWithTheJdkAndRejectsEveryTamperedByte(int keyBytes) throws Exception {
    SplittableRandom random = new SplittableRandom(keyBytes);
    byte[] key = new byte[keyBytes];
    random.nextBytes(key);
    AesGcmTagCheck check = new AesGcmTagCheck(key);
    Cipher jdk = Cipher.getInstance("AES/GCM/NoPadding");
    for (int length : lengths()) {
      byte[] nonce = new byte[12];
      random.nextBytes(nonce);
      byte[] aad = new byte[13];
      random.nextBytes(aad);
      byte[] plain = new byte[length];
      random.nextBytes(plain);
      jdk.init(
          Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
      jdk.updateAAD(aad);
      byte[] sealed = jdk.doFinal(plain);
      // Offset inside a larger array, as a record sits inside a datagram.
      byte[] data = new byte[sealed.length + 7];
      System.arraycopy(sealed, 0, data, 5, sealed.length);
      assertTrue(check.verify(nonce, aad, 0, 13, data, 5, length, 5 + length), "length " + length);
      for (int i = 5; i < 5 + sealed.length; i += Math.max(1, sealed.length / 40)) {
        data[i] ^= (byte) (1 << (i & 7));
        assertFalse(check.verify(nonce, aad, 0, 13, data, 5, length, 5 + length), "byte " + i);
        data[i] ^= (byte) (1 << (i & 7));
      }
      aad[12] ^= 1;
      assertFalse(check.verify(nonce, aad, 0, 13, data, 5, length, 5 + length));
      aad[12] ^= 1;
      nonce[0] ^= 1;
      assertFalse(check.verify(nonce, aad, 0, 13, data, 5, length, 5 + length));
    }
  }

  private static int[] lengths() {
    int[] out = new int[104];
    for (int i = 0; i <= 100; i++) {
      out[i] = i;
    }
    out[101] = 1024;
    out[102] = 1187;
    out[103] = 16_384;
    return out;
  }

  @Test
  void checkingAllocatesNothing() {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    AesGcmTagCheck check = new AesGcmTagCheck(new byte[16]);
    byte[] nonce = new byte[12];
    byte[] aad = new byte[13];
    byte[] record = new byte[1200];
    boolean any = false;
    for (int i = 0; i < 20_000; i++) { // warm up: JIT, escape analysis
      any |= check.verify(nonce, aad, 0, 13, record, 8, 1176, 1184);
    }
    // The least of five rounds: a one-off (JIT, a TLAB refill) is not the path's.
    long allocated = Long.MAX_VALUE;
    for (int round = 0; round < 5; round++) {
      long before = threads.getCurrentThreadAllocatedBytes();
      for (int i = 0; i < 10_000; i++) {
        any |= check.verify(nonce, aad, 0, 13, record, 8, 1176, 1184);
      }
      allocated = Math.min(allocated, threads.getCurrentThreadAllocatedBytes() - before);
    }
    assertFalse(any, "a zero record with a zero tag is not authentic");
    assertTrue(allocated < 1024, "allocated " + allocated + " bytes in 10000 checks");
  }

  @Test
  void refusesKeysOfOtherLengths() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new AesGcmTagCheck(new byte[24]));
    assertEquals("an AES-GCM key is 16 or 32 bytes, got 24", e.getMessage());
  }
}
