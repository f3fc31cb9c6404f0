package io.github.jpeer.dtls;

import io.github.jpeer.srtp.AesGcmTagCheck;
import java.util.Arrays;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.SecurityParameters;
import org.bouncycastle.tls.crypto.TlsSecret;

/**
 * Rejects forged epoch-1 records of an AES-GCM suite before BouncyCastle sees them, for the price
 * of a GHASH and without allocating.
 *
 * <p>After the handshake anyone who can put datagrams on the 5-tuple can send records that look
 * like ours. BouncyCastle drops each one correctly, but only after copying it, queueing it,
 * decrypting it and throwing (and catching) an exception with a stack trace: some 6 KB of garbage
 * and 15 us per forged record, which a flood at line rate turns into a loop thread that has no time
 * left for the calls it serves. This screen derives the peer's write key and implicit IV from the
 * master secret as the record layer does (RFC 5246 section 6.3, key_block; RFC 5288 section 3,
 * nonce = salt || explicit nonce) and checks each record's tag (additional data: RFC 6347 section
 * 4.1.2.1, epoch and sequence number, type, version, plaintext length). Only records that pass go
 * on to BouncyCastle, which then decrypts them and applies its replay window as before.
 *
 * <p>ChaCha20-Poly1305 suites get no screen (BouncyCastle alone rejects their forgeries). Not
 * thread-safe: built on the handshake thread, then used by the endpoint's caller only.
 */
final class RecordScreen {
  private static final int EXPLICIT_NONCE_BYTES = 8;
  private static final int IMPLICIT_IV_BYTES = 4;
  private static final int OVERHEAD = EXPLICIT_NONCE_BYTES + AesGcmTagCheck.TAG_BYTES;

  private final AesGcmTagCheck check;
  private final byte[] nonce = new byte[AesGcmTagCheck.NONCE_BYTES];
  private final byte[] aad = new byte[13];

  private RecordScreen(byte[] key, byte[] implicitIv) {
    this.check = new AesGcmTagCheck(key);
    System.arraycopy(implicitIv, 0, nonce, 0, IMPLICIT_IV_BYTES);
  }

  /** The AES key length of an AES-GCM suite we negotiate, or 0 for any other suite. */
  static int keyBytes(int cipherSuite) {
    switch (cipherSuite) {
      case CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256:
      case CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256:
        return 16;
      case CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384:
      case CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384:
        return 32;
      default:
        return 0;
    }
  }

  /**
   * The screen for the records the peer sends, or null if the suite is not AES-GCM. Call while the
   * handshake's master secret is alive (from notifyHandshakeComplete).
   *
   * @param weAreClient whether we are the DTLS client (the peer then writes with the server keys)
   */
  static RecordScreen forPeer(SecurityParameters sp, boolean weAreClient) {
    int keyBytes = keyBytes(sp.getCipherSuite());
    TlsSecret master = sp.getMasterSecret();
    if (keyBytes == 0 || master == null) {
      return null;
    }
    byte[] seed = new byte[64];
    System.arraycopy(sp.getServerRandom(), 0, seed, 0, 32);
    System.arraycopy(sp.getClientRandom(), 0, seed, 32, 32);
    // key_block = client_write_key, server_write_key, client_write_IV, server_write_IV (AEAD
    // suites have no MAC keys).
    byte[] block =
        master
            .deriveUsingPRF(
                sp.getPRFAlgorithm(), "key expansion", seed, 2 * keyBytes + 2 * IMPLICIT_IV_BYTES)
            .extract();
    int keyAt = weAreClient ? keyBytes : 0;
    int ivAt = 2 * keyBytes + (weAreClient ? IMPLICIT_IV_BYTES : 0);
    byte[] key = Arrays.copyOfRange(block, keyAt, keyAt + keyBytes);
    byte[] iv = Arrays.copyOfRange(block, ivAt, ivAt + IMPLICIT_IV_BYTES);
    try {
      return new RecordScreen(key, iv);
    } finally {
      Arrays.fill(block, (byte) 0);
      Arrays.fill(key, (byte) 0);
      Arrays.fill(iv, (byte) 0);
    }
  }

  /**
   * Whether the record at {@code record} (whose header and body lie within the array) may be
   * genuine: an epoch-0 record is not ours to judge and passes; an epoch-1 record passes only with
   * a valid tag; any later epoch cannot exist in DTLS 1.2 without renegotiation, which we refuse.
   */
  boolean mayBeGenuine(byte[] d, int record) {
    int epoch = DtlsRecords.epoch(d, record);
    if (epoch == 0) {
      return true;
    }
    int length = DtlsRecords.length(d, record);
    if (epoch != 1 || length < OVERHEAD) {
      return false;
    }
    int body = record + DtlsRecords.HEADER_BYTES;
    int plaintext = length - OVERHEAD;
    System.arraycopy(d, body, nonce, IMPLICIT_IV_BYTES, EXPLICIT_NONCE_BYTES);
    System.arraycopy(d, record + 3, aad, 0, 8); // epoch and sequence number
    aad[8] = d[record]; // type
    aad[9] = d[record + 1]; // version
    aad[10] = d[record + 2];
    aad[11] = (byte) (plaintext >>> 8);
    aad[12] = (byte) plaintext;
    int cipher = body + EXPLICIT_NONCE_BYTES;
    return check.verify(nonce, aad, 0, aad.length, d, cipher, plaintext, cipher + plaintext);
  }
}
