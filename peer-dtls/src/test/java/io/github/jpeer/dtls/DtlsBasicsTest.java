package io.github.jpeer.dtls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jpeer.srtp.SrtpProfile;
import java.io.ByteArrayInputStream;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Roles, demultiplexing, record framing, certificates and configuration checks. */
class DtlsBasicsTest {

  @Test
  void setupAttributeMapsToRole() {
    // RFC 5763 section 5: the "active" side initiates, i.e. is the DTLS client.
    assertEquals(DtlsRole.CLIENT, DtlsRole.fromLocalSetup("active"));
    assertEquals(DtlsRole.SERVER, DtlsRole.fromLocalSetup(" PASSIVE "));
    assertEquals(DtlsRole.SERVER, DtlsRole.fromRemoteSetup("active"));
    assertEquals(DtlsRole.CLIENT, DtlsRole.fromRemoteSetup("passive"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> DtlsRole.fromLocalSetup("actpass"));
    assertTrue(e.getMessage().contains("actpass"));
    assertThrows(IllegalArgumentException.class, () -> DtlsRole.fromRemoteSetup(null));
  }

  @Test
  void recordFramingCountsWellFormedRecordsOnly() {
    byte[] one = record(22, 0xFEFD, 5);
    assertEquals(1, DtlsEndpoint.countRecords(one, 0, one.length));
    byte[] two = concat(record(20, 0xFEFD, 1), record(22, 0xFEFF, 40));
    assertEquals(2, DtlsEndpoint.countRecords(two, 0, two.length));
    assertEquals(-1, DtlsEndpoint.countRecords(two, 0, two.length - 1));
    byte[] tls = record(22, 0x0303, 5);
    assertEquals(-1, DtlsEndpoint.countRecords(tls, 0, tls.length));
    byte[] cid = record(25, 0xFEFD, 5);
    assertEquals(-1, DtlsEndpoint.countRecords(cid, 0, cid.length));
    assertEquals(-1, DtlsEndpoint.countRecords(new byte[12], 0, 12));
  }

  static byte[] record(int type, int version, int length) {
    byte[] r = new byte[13 + length];
    r[0] = (byte) type;
    r[1] = (byte) (version >> 8);
    r[2] = (byte) version;
    r[11] = (byte) (length >> 8);
    r[12] = (byte) length;
    return r;
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Test
  void generatedCertificateIsSelfSignedP256WithSensibleValidity() throws Exception {
    long now = DtlsPair.TestCertificates.NOW_EPOCH_MILLIS;
    DtlsCertificate c = DtlsPair.TestCertificates.ecdsa(1);
    X509Certificate x509 =
        (X509Certificate)
            CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(c.encoded()));
    x509.verify(x509.getPublicKey());
    assertEquals("CN=jpeer", x509.getSubjectX500Principal().getName());
    assertEquals("EC", x509.getPublicKey().getAlgorithm());
    assertEquals("SHA256withECDSA", x509.getSigAlgName());
    assertEquals(now - 86_400_000L, x509.getNotBefore().getTime());
    assertEquals(now + 30 * 86_400_000L, x509.getNotAfter().getTime());
    assertTrue(x509.getSerialNumber().signum() > 0);
    assertEquals(Fingerprint.of("sha-256", c.encoded()), c.fingerprint());
    assertTrue(c.fingerprint().format().matches("sha-256 ([0-9A-F]{2}:){31}[0-9A-F]{2}"));
    assertFalse(
        c.fingerprint().equals(DtlsPair.TestCertificates.ecdsa(2).fingerprint()),
        "two certificates must differ");
  }

  @Test
  void rsaCertificateIs2048Bits() throws Exception {
    DtlsCertificate c = DtlsPair.TestCertificates.rsa(300);
    X509Certificate x509 =
        (X509Certificate)
            CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(c.encoded()));
    x509.verify(x509.getPublicKey());
    assertEquals(
        2048,
        ((java.security.interfaces.RSAPublicKey) x509.getPublicKey()).getModulus().bitLength());
  }

  @Test
  void configValidatesAndDefaults() {
    DtlsCertificate c = DtlsPair.TestCertificates.ecdsa(1);
    DtlsConfig config =
        DtlsConfig.builder(DtlsRole.CLIENT, c).remoteFingerprint(c.fingerprint()).build();
    assertEquals(
        List.of(
            SrtpProfile.AEAD_AES_128_GCM,
            SrtpProfile.AEAD_AES_256_GCM,
            SrtpProfile.AES128_CM_HMAC_SHA1_80,
            SrtpProfile.AES128_CM_HMAC_SHA1_32),
        config.srtpProfiles());
    assertEquals(30_000_000_000L, config.handshakeTimeoutNanos());
    assertThrows(
        IllegalArgumentException.class, () -> DtlsConfig.builder(DtlsRole.CLIENT, c).build());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            DtlsConfig.builder(DtlsRole.CLIENT, c)
                .remoteFingerprint(c.fingerprint())
                .srtpProfiles(
                    List.of(SrtpProfile.AES128_CM_HMAC_SHA1_80, SrtpProfile.AES128_CM_HMAC_SHA1_80))
                .build());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            DtlsConfig.builder(DtlsRole.CLIENT, c)
                .remoteFingerprint(c.fingerprint())
                .handshakeTimeoutNanos(0)
                .build());
  }

  @Test
  void maxDatagramBytesHasAFloorAboveBouncyCastles() {
    DtlsCertificate c = DtlsPair.TestCertificates.ecdsa(1);
    DtlsConfig.Builder b =
        DtlsConfig.builder(DtlsRole.CLIENT, c).remoteFingerprint(c.fingerprint());
    assertEquals(1200, b.build().maxDatagramBytes());
    // BouncyCastle 1.84 keeps to a limit from 61 bytes up (see MIN_MAX_DATAGRAM_BYTES).
    assertTrue(DtlsConfig.MIN_MAX_DATAGRAM_BYTES >= 13 + 12 + 12 + 24);
    assertEquals(256, b.maxDatagramBytes(256).build().maxDatagramBytes());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> b.maxDatagramBytes(255).build());
    assertTrue(e.getMessage().contains("[256, 65507]"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> b.maxDatagramBytes(65_508).build());
  }
}
