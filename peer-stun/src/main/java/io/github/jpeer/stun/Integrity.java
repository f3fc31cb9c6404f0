package io.github.jpeer.stun;

import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The two hashes of RFC 8489: the HMACs of MESSAGE-INTEGRITY(-SHA256) (sections 14.5 and 14.6) and
 * the CRC-32 of FINGERPRINT (section 14.7).
 */
final class Integrity {
  private Integrity() {}

  static final String HMAC_SHA1 = "HmacSHA1";
  static final String HMAC_SHA256 = "HmacSHA256";

  /** XORed into the CRC-32 so that FINGERPRINT differs from a CRC that other protocols carry. */
  static final int FINGERPRINT_XOR = 0x5354554e;

  /**
   * Computes the HMAC over a message prefix as RFC 8489 defines it: the header with its length
   * field replaced by {@code lengthField} (the length the message would have if the integrity
   * attribute were the last one), then every byte up to the integrity attribute.
   *
   * @param prefixLen bytes from {@code off} up to the integrity attribute header, at least 20
   */
  static byte[] hmac(
      String algorithm, byte[] key, byte[] buf, int off, int prefixLen, int lengthField) {
    if (key.length == 0) {
      throw new IllegalArgumentException(
          "an empty MESSAGE-INTEGRITY key cannot be used; derive one with StunCredentials");
    }
    Mac mac;
    try {
      mac = mac(algorithm);
      mac.init(new SecretKeySpec(key, algorithm)); // re-keys and resets a cached one
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      // Every Java platform must provide HmacSHA1 and HmacSHA256 with raw keys.
      throw new IllegalStateException(algorithm + " is not available", e);
    }
    mac.update(buf, off, 2);
    mac.update((byte) (lengthField >>> 8));
    mac.update((byte) lengthField);
    mac.update(buf, off + 4, prefixLen - 4);
    return mac.doFinal();
  }

  // One Mac per algorithm per thread, re-keyed for each message: Mac.getInstance looks the
  // provider up and builds a new engine every time, about a kilobyte of garbage for every
  // connectivity check, consent check and response of every connection on the thread.
  private static final ThreadLocal<Mac[]> MACS = ThreadLocal.withInitial(() -> new Mac[2]);

  private static Mac mac(String algorithm) throws NoSuchAlgorithmException {
    int i = HMAC_SHA1.equals(algorithm) ? 0 : HMAC_SHA256.equals(algorithm) ? 1 : -1;
    if (i < 0) {
      return Mac.getInstance(algorithm);
    }
    Mac[] macs = MACS.get();
    if (macs[i] == null) {
      macs[i] = Mac.getInstance(algorithm);
    }
    return macs[i];
  }

  /** CRC-32 of {@code len} bytes XOR 0x5354554e, the FINGERPRINT value. */
  static int fingerprint(byte[] buf, int off, int len) {
    CRC32 crc = new CRC32();
    crc.update(buf, off, len);
    return (int) crc.getValue() ^ FINGERPRINT_XOR;
  }
}
