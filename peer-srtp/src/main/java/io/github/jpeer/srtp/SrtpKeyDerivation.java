package io.github.jpeer.srtp;

/**
 * The SRTP key derivation function of RFC 3711 section 4.3 with key derivation rate 0, as AES-CM
 * keyed by the master key (AES-256 for a 32-byte master key, RFC 6188 section 7; RFC 7714 section
 * 11 reuses it for GCM).
 *
 * <pre>
 *   key_id = label || r          (r = index DIV kdr = 0, 48 bits)
 *   x      = key_id XOR master_salt   (both right-aligned in 112 bits)
 *   output = AES-CM(master_key, IV = x * 2^16)
 * </pre>
 *
 * A 96-bit GCM master salt is placed in the leftmost 12 of the 14 salt bytes, zero-filled after, as
 * libsrtp and jitsi-srtp do (the interop test pins this).
 */
final class SrtpKeyDerivation {
  static final int LABEL_RTP_ENCRYPTION = 0x00;
  static final int LABEL_RTP_AUTH = 0x01;
  static final int LABEL_RTP_SALT = 0x02;
  static final int LABEL_RTCP_ENCRYPTION = 0x03;
  static final int LABEL_RTCP_AUTH = 0x04;
  static final int LABEL_RTCP_SALT = 0x05;

  private SrtpKeyDerivation() {}

  /** Derives {@code length} bytes for {@code label}. Control plane: allocates freely. */
  static byte[] derive(byte[] masterKey, byte[] masterSalt, int label, int length) {
    byte[] iv = new byte[16];
    System.arraycopy(masterSalt, 0, iv, 0, Math.min(14, masterSalt.length));
    // The label sits just above the 48-bit r field: byte 7 of the 14-byte x.
    iv[7] ^= (byte) label;
    AesKeystream aes = new AesKeystream(masterKey);
    aes.generate(iv, (length + 15) >>> 4);
    byte[] out = new byte[length];
    System.arraycopy(aes.stream, 0, out, 0, length);
    return out;
  }
}
