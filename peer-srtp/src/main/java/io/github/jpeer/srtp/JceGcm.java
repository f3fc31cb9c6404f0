package io.github.jpeer.srtp;

import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-GCM through the JDK's {@code AES/GCM/NoPadding}, for payloads large enough that its PCLMULQDQ
 * GHASH beats {@link Ghash}'s tables despite the per-packet {@code Cipher.init} JCE demands (the
 * provider builds its GCM state afresh for every packet: about 900 bytes of garbage with SunJCE on
 * JDK 17, measured against jitsi-srtp's by {@code SrtpAllocationTest}).
 *
 * <p>One cipher per direction, so the encrypt side's key schedule and the decrypt side's are each
 * expanded once and reused by the provider. Decryption goes into a scratch array and is copied to
 * the packet only after {@code doFinal} has verified the tag, so a forged packet is never touched
 * whatever the provider does with its output on failure. A forged packet costs the provider's
 * {@link AEADBadTagException}, stack trace included, a few microseconds more than a table-path
 * rejection.
 */
final class JceGcm {
  private static final int TAG_BITS = 128;
  private static final int NONCE_BYTES = 12;

  private final SecretKeySpec key;
  private final Cipher encrypt;
  private final Cipher decrypt;
  private final NonceSpec spec = new NonceSpec();
  private final byte[] word = new byte[4];
  private byte[] scratch = new byte[2048];

  JceGcm(byte[] rawKey) {
    key = new SecretKeySpec(rawKey, "AES");
    try {
      encrypt = Cipher.getInstance("AES/GCM/NoPadding");
      decrypt = Cipher.getInstance("AES/GCM/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no AES/GCM/NoPadding", e);
    }
  }

  /**
   * Encrypts {@code data[textOffset, +textLength)} in place and writes the 16-byte tag after it,
   * authenticating {@code aad[aadOffset, +aadLength)} and then, if {@code aadWord} is true, the
   * four bytes of {@code word} (SRTCP's trailing index word).
   *
   * @param nonce the 12-byte GCM IV (the first 12 bytes of the J0 the caller built)
   * @return false if the provider refused the nonce because it just encrypted under it (SunJCE
   *     rejects an immediate key and IV reuse); the caller then uses its own GCM for this packet
   */
  boolean seal(
      byte[] nonce,
      byte[] aad,
      int aadOffset,
      int aadLength,
      boolean aadWord,
      int wordValue,
      byte[] data,
      int textOffset,
      int textLength) {
    Cipher c = encrypt;
    try {
      start(c, Cipher.ENCRYPT_MODE, nonce, aad, aadOffset, aadLength, aadWord, wordValue);
    } catch (InvalidAlgorithmParameterException e) {
      return false;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES/GCM refused a valid key", e);
    }
    try {
      // In place with equal offsets: SunJCE encrypts without copying the input.
      c.doFinal(data, textOffset, textLength, data, textOffset);
      return true;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES/GCM encryption into a sized buffer failed", e);
    }
  }

  /**
   * Verifies and decrypts {@code data[textOffset, +textLength + 16)} (ciphertext then tag); only if
   * the tag matches is the plaintext written over the ciphertext.
   *
   * @return false if the tag does not match, with {@code data} unchanged
   */
  boolean open(
      byte[] nonce,
      byte[] aad,
      int aadOffset,
      int aadLength,
      boolean aadWord,
      int wordValue,
      byte[] data,
      int textOffset,
      int textLength) {
    if (scratch.length < textLength) {
      // Only a packet larger than any before grows it; steady state never does.
      scratch = new byte[Integer.highestOneBit(textLength) << 1];
    }
    Cipher c = decrypt;
    try {
      start(c, Cipher.DECRYPT_MODE, nonce, aad, aadOffset, aadLength, aadWord, wordValue);
      c.doFinal(data, textOffset, textLength + TAG_BITS / 8, scratch, 0);
    } catch (AEADBadTagException e) {
      return false;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES/GCM decryption into a sized buffer failed", e);
    }
    System.arraycopy(scratch, 0, data, textOffset, textLength);
    return true;
  }

  /** Initialises {@code c} for one packet and feeds it the AAD (and SRTCP's index word). */
  private void start(
      Cipher c,
      int mode,
      byte[] nonce,
      byte[] aad,
      int aadOffset,
      int aadLength,
      boolean aadWord,
      int wordValue)
      throws GeneralSecurityException {
    c.init(mode, key, spec.set(nonce));
    c.updateAAD(aad, aadOffset, aadLength);
    if (aadWord) {
      c.updateAAD(bytes(wordValue), 0, 4);
    }
  }

  /**
   * One reused parameter spec whose IV is the current packet's nonce. Providers read the IV through
   * {@link #getIV()}, which returns a fresh copy as its contract says (SunJCE keeps it to refuse an
   * immediate IV reuse), so nothing mutable is shared. Reuse saves the spec and the copy its
   * constructor makes, 56 of the roughly 950 bytes JCE's GCM allocates per packet; that is what
   * keeps this path below jitsi-srtp, which makes the same JCE calls with a new spec each time.
   */
  private static final class NonceSpec extends GCMParameterSpec {
    private final byte[] nonce = new byte[NONCE_BYTES];

    NonceSpec() {
      super(TAG_BITS, new byte[NONCE_BYTES]);
    }

    NonceSpec set(byte[] j0) {
      System.arraycopy(j0, 0, nonce, 0, NONCE_BYTES);
      return this;
    }

    @Override
    public byte[] getIV() {
      return nonce.clone();
    }
  }

  private byte[] bytes(int value) {
    byte[] w = word;
    w[0] = (byte) (value >>> 24);
    w[1] = (byte) (value >>> 16);
    w[2] = (byte) (value >>> 8);
    w[3] = (byte) value;
    return w;
  }
}
