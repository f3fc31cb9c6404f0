package io.github.jpeer.dtls;

import java.io.IOException;
import java.util.Hashtable;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsExtensionsUtils;
import org.bouncycastle.tls.TlsServerCertificate;

/** Our side of the handshake as DTLS client (SDP {@code a=setup:active}). Handshake thread only. */
final class DtlsClientPeer extends DefaultTlsClient {
  private final HandshakeSession session;

  DtlsClientPeer(HandshakeSession session) {
    super(session.crypto);
    this.session = session;
  }

  @Override
  protected ProtocolVersion[] getSupportedVersions() {
    return ProtocolVersion.DTLSv12.only();
  }

  @Override
  protected int[] getSupportedCipherSuites() {
    return session.clientSuites();
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
  public Hashtable getClientExtensions() throws IOException {
    Hashtable extensions =
        TlsExtensionsUtils.ensureExtensionsInitialised(super.getClientExtensions());
    session.offerUseSrtp(extensions);
    return extensions;
  }

  @Override
  @SuppressWarnings("rawtypes")
  public void processServerExtensions(Hashtable serverExtensions) throws IOException {
    super.processServerExtensions(serverExtensions);
    session.acceptProfile(HandshakeSession.useSrtpIds(serverExtensions));
  }

  @Override
  public TlsAuthentication getAuthentication() {
    return new TlsAuthentication() {
      @Override
      public void notifyServerCertificate(TlsServerCertificate serverCertificate)
          throws IOException {
        session.verifyRemote(serverCertificate.getCertificate());
      }

      @Override
      public TlsCredentials getClientCredentials(CertificateRequest certificateRequest)
          throws IOException {
        // DTLS-SRTP servers always ask (RFC 5763 section 5): prove the key behind our fingerprint.
        return session.signer(context);
      }
    };
  }

  @Override
  public void notifyHandshakeComplete() throws IOException {
    super.notifyHandshakeComplete();
    session.exportKeys(context, DtlsRole.CLIENT);
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
