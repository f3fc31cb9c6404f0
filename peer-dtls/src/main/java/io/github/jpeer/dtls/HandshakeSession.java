package io.github.jpeer.dtls;

import io.github.jpeer.srtp.SrtpProfile;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Hashtable;
import java.util.List;
import java.util.Vector;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.AlertLevel;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.ExporterLabel;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsContext;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * What the BouncyCastle client and server peers share: the configuration, the fingerprint check,
 * the use_srtp choice and the exported keys. Written on the handshake thread only; the endpoint
 * reads it after the thread published its outcome (a happens-before edge through the atomic outcome
 * reference).
 */
final class HandshakeSession {
  private final Logger log;

  /** ECDHE with AEAD ciphers, as browsers offer them; ECDSA first (the default certificate). */
  static final int[] ECDSA_SUITES = {
    CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
    CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
    CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
  };

  static final int[] RSA_SUITES = {
    CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
    CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
    CipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
  };

  final DtlsConfig config;
  final BcTlsCrypto crypto;
  private SrtpProfile profile;
  private SrtpKeyMaterial keys;
  private RecordScreen recordScreen;
  private Fingerprint remoteFingerprint;
  private int cipherSuite;
  private String failureDetail;
  private DtlsFailure failureKind;

  /**
   * BouncyCastle's first retransmission timeout for this handshake; set by the endpoint before the
   * handshake thread starts (Thread.start orders the write before the thread's reads).
   */
  private int initialRetransmitMillis;

  HandshakeSession(DtlsConfig config) {
    this.config = config;
    this.log = config.logger();
    this.initialRetransmitMillis = config.initialRetransmitMillis();
    this.crypto = new DiscardingTlsCrypto(config.random());
  }

  /** The suites we offer as client: both key types, since the server's certificate decides. */
  int[] clientSuites() {
    int[] all = new int[ECDSA_SUITES.length + RSA_SUITES.length];
    System.arraycopy(ECDSA_SUITES, 0, all, 0, ECDSA_SUITES.length);
    System.arraycopy(RSA_SUITES, 0, all, ECDSA_SUITES.length, RSA_SUITES.length);
    return all;
  }

  /** The suites we accept as server: only those our own certificate can sign for. */
  int[] serverSuites() {
    return config.certificate().keyType() == DtlsCertificate.KeyType.ECDSA_P256
        ? ECDSA_SUITES.clone()
        : RSA_SUITES.clone();
  }

  /** The use_srtp profile ids to offer, most preferred first. */
  private int[] offeredProfileIds() {
    List<SrtpProfile> profiles = config.srtpProfiles();
    int[] ids = new int[profiles.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = profiles.get(i).id();
    }
    return ids;
  }

  /** Client side: adds our use_srtp offer to the ClientHello extensions, if we want SRTP. */
  void offerUseSrtp(Hashtable<?, ?> extensions) throws IOException {
    if (!config.srtpProfiles().isEmpty()) {
      addUseSrtp(extensions, offeredProfileIds());
    }
  }

  /**
   * Server side: adds our choice to the ServerHello extensions, if one was made: exactly one
   * profile (RFC 5764 section 4.1.1).
   */
  void answerUseSrtp(Hashtable<?, ?> extensions) throws IOException {
    if (profile != null) {
      addUseSrtp(extensions, new int[] {profile.id()});
    }
  }

  /** The profile ids in a hello's use_srtp extension, or null if it has none. */
  static int[] useSrtpIds(Hashtable<?, ?> extensions) throws IOException {
    UseSRTPData srtp = extensions == null ? null : TlsSRTPUtils.getUseSRTPExtension(extensions);
    return srtp == null ? null : srtp.getProtectionProfiles();
  }

  private static void addUseSrtp(Hashtable<?, ?> extensions, int[] ids) throws IOException {
    // We never use an MKI (RFC 5764 section 4.1.1).
    TlsSRTPUtils.addUseSRTPExtension(extensions, new UseSRTPData(ids, TlsUtils.EMPTY_BYTES));
  }

  /**
   * Server side: picks our most preferred profile among the client's (RFC 5764 section 4.1.1).
   *
   * @throws TlsFatalAlert handshake_failure if we require SRTP and nothing is common
   */
  void chooseProfile(int[] offeredIds) throws IOException {
    if (config.srtpProfiles().isEmpty()) {
      return;
    }
    if (offeredIds != null) {
      for (SrtpProfile ours : config.srtpProfiles()) {
        for (int id : offeredIds) {
          if (id == ours.id()) {
            profile = ours;
            return;
          }
        }
      }
    }
    throw fail(
        DtlsFailure.NO_COMMON_SRTP_PROFILE,
        AlertDescription.handshake_failure,
        "no common SRTP profile: remote offered "
            + (offeredIds == null ? "no use_srtp" : idList(offeredIds))
            + ", we accept "
            + config.srtpProfiles());
  }

  /** Client side: checks the server's single choice is one we offered (RFC 5764 section 4.1.1). */
  void acceptProfile(int[] chosenIds) throws IOException {
    if (config.srtpProfiles().isEmpty()) {
      return;
    }
    if (chosenIds == null) {
      throw fail(
          DtlsFailure.NO_COMMON_SRTP_PROFILE,
          AlertDescription.handshake_failure,
          "remote did not negotiate use_srtp");
    }
    if (chosenIds.length == 1) {
      SrtpProfile chosen = SrtpProfile.fromId(chosenIds[0]);
      if (chosen != null && config.srtpProfiles().contains(chosen)) {
        profile = chosen;
        return;
      }
    }
    throw fail(
        DtlsFailure.NO_COMMON_SRTP_PROFILE,
        AlertDescription.illegal_parameter,
        "remote chose SRTP profile "
            + idList(chosenIds)
            + " which we did not offer ("
            + config.srtpProfiles()
            + ")");
  }

  SrtpProfile profile() {
    return profile;
  }

  /**
   * Checks the remote's end-entity certificate against the SDP fingerprints. The fingerprint is the
   * only trust anchor (RFC 8827 section 6.5): the validity dates and issuer are not checked, so an
   * expired self-signed certificate with the right fingerprint is accepted, as browsers do.
   *
   * @throws TlsFatalAlert bad_certificate on a mismatch or a missing certificate
   */
  void verifyRemote(Certificate certificate) throws IOException {
    if (certificate == null || certificate.isEmpty()) {
      throw fail(
          DtlsFailure.FINGERPRINT_MISMATCH,
          AlertDescription.bad_certificate,
          "remote sent no certificate");
    }
    byte[] der = certificate.getCertificateAt(0).getEncoded();
    Fingerprint received = Fingerprint.of("sha-256", der);
    for (Fingerprint expected : config.remoteFingerprints()) {
      if (expected.matches(der)) {
        remoteFingerprint = received;
        return;
      }
    }
    StringBuilder receivedText = new StringBuilder();
    for (Fingerprint expected : config.remoteFingerprints()) {
      if (receivedText.length() > 0) {
        receivedText.append(", ");
      }
      receivedText.append(Fingerprint.of(expected.algorithm(), der).format());
    }
    throw fail(
        DtlsFailure.FINGERPRINT_MISMATCH,
        AlertDescription.bad_certificate,
        "remote certificate fingerprint mismatch: expected "
            + config.remoteFingerprints()
            + ", received "
            + receivedText);
  }

  /** Our certificate chain (one self-signed certificate) for the given handshake. */
  Certificate localChain() throws IOException {
    TlsCertificate tlsCertificate = crypto.createCertificate(config.certificate().der());
    return new Certificate(new TlsCertificate[] {tlsCertificate});
  }

  /**
   * Our signing credentials. SHA-256 with our key type is supported by every DTLS 1.2 stack and is
   * what browsers use.
   */
  TlsCredentialedSigner signer(TlsContext context) throws IOException {
    short signature =
        config.certificate().keyType() == DtlsCertificate.KeyType.ECDSA_P256
            ? SignatureAlgorithm.ecdsa
            : SignatureAlgorithm.rsa;
    return new BcDefaultTlsCredentialedSigner(
        new TlsCryptoParameters(context),
        crypto,
        config.certificate().privateKey(),
        localChain(),
        SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha256, signature));
  }

  /** The signature algorithms we ask a client to sign with, DTLS 1.2 defaults. */
  static Vector<?> supportedSignatureAlgorithms(TlsContext context) {
    return TlsUtils.getDefaultSupportedSignatureAlgorithms(context);
  }

  /**
   * Exports the SRTP keying material while the handshake's secrets still exist (BouncyCastle clears
   * them when connect/accept returns).
   */
  void exportKeys(TlsContext context, DtlsRole role) {
    cipherSuite = context.getSecurityParametersConnection().getCipherSuite();
    recordScreen =
        RecordScreen.forPeer(context.getSecurityParametersConnection(), role == DtlsRole.CLIENT);
    if (profile != null) {
      byte[] exported =
          context.exportKeyingMaterial(
              ExporterLabel.dtls_srtp, null, SrtpKeyMaterial.exportLength(profile));
      keys = SrtpKeyMaterial.fromExporter(exported, profile, role);
      java.util.Arrays.fill(exported, (byte) 0);
    }
  }

  /** The screen for the peer's records, or null (not an AES-GCM suite, or no handshake yet). */
  RecordScreen recordScreen() {
    return recordScreen;
  }

  SrtpKeyMaterial keys() {
    return keys;
  }

  Fingerprint remoteFingerprint() {
    return remoteFingerprint;
  }

  int cipherSuite() {
    return cipherSuite;
  }

  int initialRetransmitMillis() {
    return initialRetransmitMillis;
  }

  void setInitialRetransmitMillis(int millis) {
    initialRetransmitMillis = millis;
  }

  /** The first specific reason recorded for a failure, or null. */
  String failureDetail() {
    return failureDetail;
  }

  /** The kind of {@link #failureDetail()}, or null. */
  DtlsFailure failureKind() {
    return failureKind;
  }

  void noteAlertReceived(short level, short description) {
    String text = AlertLevel.getText(level) + " " + AlertDescription.getText(description);
    log.log(Level.DEBUG, "DTLS alert received: {0}", text);
    if (level == AlertLevel.fatal && failureDetail == null) {
      failureDetail = "remote sent alert " + text;
      failureKind = DtlsFailure.ALERT_RECEIVED;
    }
  }

  void noteAlertRaised(short level, short description, String message) {
    log.log(
        Level.DEBUG,
        "DTLS alert sent: {0} {1}{2}",
        AlertLevel.getText(level),
        AlertDescription.getText(description),
        message == null ? "" : " (" + message + ")");
    if (level == AlertLevel.fatal && failureDetail == null) {
      failureDetail =
          "sent alert "
              + AlertDescription.getText(description)
              + (message == null ? "" : ": " + message);
      failureKind = DtlsFailure.ALERT_SENT;
    }
  }

  private TlsFatalAlert fail(DtlsFailure kind, short alert, String detail) {
    if (failureDetail == null) {
      failureDetail = detail;
      failureKind = kind;
    }
    return new TlsFatalAlert(alert, detail);
  }

  private static String idList(int[] ids) {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < ids.length; i++) {
      b.append(i == 0 ? "" : ", ").append(String.format("0x%04X", ids[i]));
    }
    return b.append(']').toString();
  }
}
