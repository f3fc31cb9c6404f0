package io.github.jpeer.srtp;

/**
 * Checks an AES-GCM tag (NIST SP 800-38D) without decrypting and without allocating: GHASH over the
 * AAD and the ciphertext, masked with one AES block of the initial counter, compared in constant
 * time.
 *
 * <p>For a receiver that must reject forged packets cheaply before handing the genuine ones to a
 * library that decrypts them again: jpeer's DTLS endpoint screens each epoch-1 record this way, so
 * that a flood of forged records costs a GHASH each instead of BouncyCastle's exception and copies.
 * GHASH uses the compact 4 KiB table (see {@code Ghash}), sized for thousands of connections in one
 * JVM. Tags are 16 bytes; nonces 12 bytes.
 *
 * <p>Not thread-safe: one instance per key and thread.
 */
public final class AesGcmTagCheck {
  /** The tag length this class checks. */
  public static final int TAG_BYTES = 16;

  /** The nonce length this class takes. */
  public static final int NONCE_BYTES = 12;

  private final AesKeystream aes;
  private final Ghash ghash;
  private final byte[] counter = new byte[16];
  private final byte[] mask = new byte[16];
  private final byte[] computed = new byte[16];

  /**
   * A checker for one AES key.
   *
   * @param key 16 or 32 bytes (AES-128 or AES-256); copied by the cipher, so the caller may wipe it
   * @throws IllegalArgumentException for another length
   */
  public AesGcmTagCheck(byte[] key) {
    if (key == null || (key.length != 16 && key.length != 32)) {
      throw new IllegalArgumentException(
          "an AES-GCM key is 16 or 32 bytes, got " + (key == null ? "null" : key.length));
    }
    this.aes = new AesKeystream(key);
    byte[] h = new byte[16];
    aes.encryptBlock(new byte[16], h);
    this.ghash = new Ghash(h, Ghash.Tables.BYTE);
  }

  /**
   * Whether {@code data[tagOff, tagOff + 16)} is the GCM tag of the ciphertext {@code
   * data[cipherOff, cipherOff + cipherLen)} with additional data {@code aad[aadOff, aadOff +
   * aadLen)} under the 12-byte {@code nonce}. The ranges are not checked beyond what array access
   * checks; callers pass ranges they have already validated.
   */
  public boolean verify(
      byte[] nonce,
      byte[] aad,
      int aadOff,
      int aadLen,
      byte[] data,
      int cipherOff,
      int cipherLen,
      int tagOff) {
    System.arraycopy(nonce, 0, counter, 0, NONCE_BYTES);
    counter[12] = 0;
    counter[13] = 0;
    counter[14] = 0;
    counter[15] = 1;
    aes.encryptBlock(counter, mask);
    Ghash g = ghash;
    g.reset();
    g.update(aad, aadOff, aadLen);
    g.padSegment();
    g.update(data, cipherOff, cipherLen);
    g.finish(aadLen, cipherLen, mask, 0, computed, 0);
    return SrtpSession.equalTags(computed, data, tagOff, TAG_BYTES);
  }
}
