package io.github.jpeer.dtls;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A self-signed certificate and its private key, the identity a DTLS endpoint proves and whose
 * fingerprint goes into SDP (RFC 5763 section 5, RFC 8827 section 6.5).
 *
 * <p>Generating a key pair costs milliseconds (ECDSA) to a second (RSA), so generate one per
 * application or per {@code PeerConnection} and hand the same instance to many {@link
 * DtlsEndpoint}s: it is immutable and thread-safe.
 *
 * <p>The certificate has subject and issuer {@code CN=jpeer}, a random 64-bit positive serial, and
 * is valid from one day before to 30 days after the time given to {@link #generate}. WebRTC trusts
 * the fingerprint, not the validity window (see {@link DtlsEndpoint}).
 */
public final class DtlsCertificate {
  private static final long DAY_MILLIS = 24L * 60 * 60 * 1000;
  private static final long NOT_BEFORE_SLACK_MILLIS = DAY_MILLIS;
  private static final long LIFETIME_MILLIS = 30 * DAY_MILLIS;

  private final KeyType keyType;
  private final byte[] der;
  private final AsymmetricKeyParameter privateKey;
  private final Fingerprint sha256;
  private final long notBeforeEpochMillis;
  private final long notAfterEpochMillis;

  /** The key algorithms jpeer can generate; browsers accept both. */
  public enum KeyType {
    /** ECDSA on NIST P-256 (secp256r1) signing with SHA-256: small, fast, the WebRTC default. */
    ECDSA_P256,
    /** RSA with a 2048-bit modulus signing with SHA-256 (PKCS#1 v1.5). */
    RSA_2048
  }

  private DtlsCertificate(
      KeyType keyType,
      byte[] der,
      AsymmetricKeyParameter privateKey,
      long notBeforeEpochMillis,
      long notAfterEpochMillis) {
    this.keyType = keyType;
    this.der = der;
    this.privateKey = privateKey;
    this.sha256 = Fingerprint.of("sha-256", der);
    this.notBeforeEpochMillis = notBeforeEpochMillis;
    this.notAfterEpochMillis = notAfterEpochMillis;
  }

  /**
   * Generates an ECDSA P-256 certificate valid from a day before {@code nowEpochMillis} to 30 days
   * after it.
   *
   * @param random the source of the key and serial number
   * @param nowEpochMillis the current wall-clock time (milliseconds since 1970), which the caller
   *     reads: this module has no clock
   */
  public static DtlsCertificate generate(SecureRandom random, long nowEpochMillis) {
    return generate(KeyType.ECDSA_P256, random, nowEpochMillis);
  }

  /**
   * Generates a certificate of the given key type valid from a day before {@code nowEpochMillis} to
   * 30 days after it.
   */
  public static DtlsCertificate generate(
      KeyType keyType, SecureRandom random, long nowEpochMillis) {
    return generate(
        keyType,
        random,
        nowEpochMillis - NOT_BEFORE_SLACK_MILLIS,
        nowEpochMillis + LIFETIME_MILLIS);
  }

  /**
   * Generates a certificate with an explicit validity window, e.g. to test that an expired peer
   * certificate is still accepted on its fingerprint.
   *
   * @throws IllegalArgumentException if the window is empty
   */
  public static DtlsCertificate generate(
      KeyType keyType, SecureRandom random, long notBeforeEpochMillis, long notAfterEpochMillis) {
    if (keyType == null || random == null) {
      throw new IllegalArgumentException("keyType and random must not be null");
    }
    if (notAfterEpochMillis <= notBeforeEpochMillis) {
      throw new IllegalArgumentException(
          "notAfter must be later than notBefore, got "
              + notBeforeEpochMillis
              + " .. "
              + notAfterEpochMillis);
    }
    try {
      KeyPair pair = keyPair(keyType, random);
      X500Name name = new X500Name("CN=jpeer");
      // A positive 63-bit serial: random per RFC 5280's uniqueness expectation, never negative.
      BigInteger serial = new BigInteger(63, random).add(BigInteger.ONE);
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              name,
              serial,
              new Date(notBeforeEpochMillis),
              new Date(notAfterEpochMillis),
              name,
              pair.getPublic());
      String signatureAlgorithm =
          keyType == KeyType.ECDSA_P256 ? "SHA256withECDSA" : "SHA256withRSA";
      ContentSigner signer =
          new JcaContentSignerBuilder(signatureAlgorithm)
              .setSecureRandom(random)
              .build(pair.getPrivate());
      X509CertificateHolder holder = builder.build(signer);
      return new DtlsCertificate(
          keyType,
          holder.getEncoded(),
          PrivateKeyFactory.createKey(pair.getPrivate().getEncoded()),
          notBeforeEpochMillis,
          notAfterEpochMillis);
    } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
      // The JDK always has EC P-256 and RSA: failing here means a broken runtime.
      throw new IllegalStateException("cannot generate a " + keyType + " certificate", e);
    }
  }

  private static KeyPair keyPair(KeyType keyType, SecureRandom random)
      throws GeneralSecurityException {
    KeyPairGenerator generator;
    if (keyType == KeyType.ECDSA_P256) {
      generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), random);
    } else {
      generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(new RSAKeyGenParameterSpec(2048, RSAKeyGenParameterSpec.F4), random);
    }
    return generator.generateKeyPair();
  }

  /** The key algorithm. */
  public KeyType keyType() {
    return keyType;
  }

  /** A copy of the DER-encoded X.509 certificate. */
  public byte[] encoded() {
    return der.clone();
  }

  /** The SHA-256 fingerprint to put in SDP ({@code a=fingerprint:sha-256 AB:CD:...}). */
  public Fingerprint fingerprint() {
    return sha256;
  }

  /** The fingerprint with another supported hash function (sha-1, sha-256, sha-384, sha-512). */
  public Fingerprint fingerprint(String algorithm) {
    return Fingerprint.of(algorithm, der);
  }

  /** Start of the validity window, milliseconds since 1970. */
  public long notBeforeEpochMillis() {
    return notBeforeEpochMillis;
  }

  /** End of the validity window, milliseconds since 1970. */
  public long notAfterEpochMillis() {
    return notAfterEpochMillis;
  }

  byte[] der() {
    return der;
  }

  AsymmetricKeyParameter privateKey() {
    return privateKey;
  }

  @Override
  public String toString() {
    return "DtlsCertificate[" + keyType + ", " + sha256.format() + "]";
  }
}
