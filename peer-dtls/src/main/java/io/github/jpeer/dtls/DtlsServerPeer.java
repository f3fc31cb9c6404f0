package io.github.jpeer.dtls;

import java.io.IOException;
import java.util.Hashtable;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.ClientCertificateType;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsExtensionsUtils;

/**
 * Our side of the handshake as DTLS server (SDP {@code a=setup:passive}). Handshake thread only.
 */
final class DtlsServerPeer extends DefaultTlsServer {
  private final HandshakeSession session;

  DtlsServerPeer(HandshakeSession session) {
    super(session.crypto);
    this.session = session;
  }

  @Override
  protected ProtocolVersion[] getSupportedVersions() {
    return ProtocolVersion.DTLSv12.only();
  }

  @Override
  protected int[] getSupportedCipherSuites() {
    return session.serverSuites();
  }

  @Override
  public boolean requiresExtendedMasterSecret() {
    return true;
  }

  @Override
  public int getHandshakeResendTimeMillis() {
    return session.initialRetransmitMillis();
  }

  @Override
  public int getHandshakeTimeoutMillis() {
    return DtlsEndpoint.wallClockBackstopMillis(session.config);
  }

  @Override
  @SuppressWarnings("rawtypes")
  public void processClientExtensions(Hashtable clientExtensions) throws IOException {
    super.processClientExtensions(clientExtensions);
    session.chooseProfile(HandshakeSession.useSrtpIds(clientExtensions));
  }

  @Override
  @SuppressWarnings("rawtypes")
  public Hashtable getServerExtensions() throws IOException {
    Hashtable extensions =
        TlsExtensionsUtils.ensureExtensionsInitialised(super.getServerExtensions());
    session.answerUseSrtp(extensions);
    return extensions;
  }

  @Override
  protected TlsCredentialedSigner getECDSASignerCredentials() throws IOException {
    return session.signer(context);
  }

  @Override
  protected TlsCredentialedSigner getRSASignerCredentials() throws IOException {
    return session.signer(context);
  }

  @Override
  public CertificateRequest getCertificateRequest() {
    // The client must prove the key behind its SDP fingerprint (RFC 5763 section 5).
    short[] types = {ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign};
    return new CertificateRequest(
        types, HandshakeSession.supportedSignatureAlgorithms(context), null);
  }

  @Override
  public void notifyClientCertificate(Certificate clientCertificate) throws IOException {
    session.verifyRemote(clientCertificate);
  }

  @Override
  public void notifyHandshakeComplete() throws IOException {
    super.notifyHandshakeComplete();
    session.exportKeys(context, DtlsRole.SERVER);
  }

  @Override
  public void notifyAlertRaised(
      short alertLevel, short alertDescription, String message, Throwable cause) {
    session.noteAlertRaised(alertLevel, alertDescription, message);
  }

  @Override
  public void notifyAlertReceived(short alertLevel, short alertDescription) {
    session.noteAlertReceived(alertLevel, alertDescription);
  }
}
