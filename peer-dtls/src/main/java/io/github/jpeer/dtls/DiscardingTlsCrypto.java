package io.github.jpeer.dtls;

import java.io.IOException;
import java.security.SecureRandom;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.crypto.TlsCipher;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.TlsDecodeResult;
import org.bouncycastle.tls.crypto.TlsEncodeResult;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * BouncyCastle's lightweight crypto with one change: a record too short for its AEAD cipher (fewer
 * bytes than explicit nonce plus tag) is discarded instead of failing the association.
 *
 * <p>BouncyCastle's AEAD ciphers answer such a record with a decode_error alert, which its record
 * layer treats as fatal; since the record is unauthenticated, anyone who can put a datagram on the
 * 5-tuple could then kill the connection with a 14-byte packet. RFC 6347 section 4.1.2.7 says
 * invalid records SHOULD be silently discarded, so decode errors of ciphertext become
 * bad_record_mac, which the record layer drops.
 */
final class DiscardingTlsCrypto extends BcTlsCrypto {

  DiscardingTlsCrypto(SecureRandom random) {
    super(random);
  }

  @Override
  public TlsCipher createCipher(
      TlsCryptoParameters cryptoParams, int encryptionAlgorithm, int macAlgorithm)
      throws IOException {
    return new Discarding(super.createCipher(cryptoParams, encryptionAlgorithm, macAlgorithm));
  }

  /** Delegates everything; only maps decode errors while decrypting. */
  private static final class Discarding implements TlsCipher {
    private final TlsCipher cipher;

    Discarding(TlsCipher cipher) {
      this.cipher = cipher;
    }

    @Override
    public TlsDecodeResult decodeCiphertext(
        long seqNo,
        short recordType,
        ProtocolVersion recordVersion,
        byte[] ciphertext,
        int offset,
        int len)
        throws IOException {
      try {
        return cipher.decodeCiphertext(seqNo, recordType, recordVersion, ciphertext, offset, len);
      } catch (TlsFatalAlert e) {
        if (e.getAlertDescription() == AlertDescription.decode_error) {
          throw new TlsFatalAlert(AlertDescription.bad_record_mac, e);
        }
        throw e;
      }
    }

    @Override
    public int getCiphertextDecodeLimit(int plaintextLimit) {
      return cipher.getCiphertextDecodeLimit(plaintextLimit);
    }

    @Override
    public int getCiphertextEncodeLimit(int plaintextLimit) {
      return cipher.getCiphertextEncodeLimit(plaintextLimit);
    }

    @Override
    public int getPlaintextDecodeLimit(int ciphertextLimit) {
      return cipher.getPlaintextDecodeLimit(ciphertextLimit);
    }

    @Override
    public int getPlaintextEncodeLimit(int ciphertextLimit) {
      return cipher.getPlaintextEncodeLimit(ciphertextLimit);
    }

    @Override
    public TlsEncodeResult encodePlaintext(
        long seqNo,
        short contentType,
        ProtocolVersion recordVersion,
        int headerAllocation,
        byte[] plaintext,
        int offset,
        int len)
        throws IOException {
      return cipher.encodePlaintext(
          seqNo, contentType, recordVersion, headerAllocation, plaintext, offset, len);
    }

    @Override
    public void rekeyDecoder() throws IOException {
      cipher.rekeyDecoder();
    }

    @Override
    public void rekeyEncoder() throws IOException {
      cipher.rekeyEncoder();
    }

    @Override
    public boolean usesOpaqueRecordTypeDecode() {
      return cipher.usesOpaqueRecordTypeDecode();
    }

    @Override
    public boolean usesOpaqueRecordTypeEncode() {
      return cipher.usesOpaqueRecordTypeEncode();
    }
  }
}
