package io.github.jpeer.dtls;

import io.github.jpeer.srtp.SrtpProfile;

/**
 * What a {@link DtlsEndpoint} reports through {@link DtlsEndpoint#pollEvent()}, in order.
 *
 * <p>A connection reports exactly one {@link HandshakeComplete} or one {@link Failed} for the
 * handshake; after {@link HandshakeComplete} come any number of {@link ApplicationData}, then at
 * most one {@link Closed} or {@link Failed}. Nothing follows {@link Closed} or {@link Failed}.
 */
public sealed interface DtlsEvent {

  /**
   * The handshake finished and the remote certificate matched the expected fingerprint.
   *
   * @param profile the negotiated SRTP profile, or {@code null} if the endpoint offered none
   * @param keys the SRTP keys assigned to directions by our role, or {@code null} with no profile
   * @param remoteFingerprint the sha-256 fingerprint of the certificate the remote presented
   * @param cipherSuite the negotiated TLS cipher suite (IANA number, e.g. 0xC02B)
   */
  record HandshakeComplete(
      SrtpProfile profile, SrtpKeyMaterial keys, Fingerprint remoteFingerprint, int cipherSuite)
      implements DtlsEvent {}

  /**
   * Decrypted application data (SCTP packets in WebRTC), one record's worth.
   *
   * @param data the plaintext; copied in and out
   */
  record ApplicationData(byte[] data) implements DtlsEvent {
    /** Copies the plaintext. */
    public ApplicationData {
      data = data.clone();
    }

    /** A copy of the plaintext. */
    @Override
    public byte[] data() {
      return data.clone();
    }
  }

  /**
   * The connection ended cleanly with close_notify.
   *
   * @param byRemote true if the remote sent close_notify first, false if we called {@link
   *     DtlsEndpoint#close()}
   */
  record Closed(boolean byRemote) implements DtlsEvent {}

  /**
   * The handshake or connection failed: fingerprint mismatch, a fatal alert either way, the
   * handshake timeout, no common SRTP profile, or a remote that never finished. No keys are
   * exported after a failure.
   *
   * @param kind why, as a value to count or switch on
   * @param reason a human-readable reason (never contains key material)
   */
  record Failed(DtlsFailure kind, String reason) implements DtlsEvent {
    /** Checks both are present. */
    public Failed {
      java.util.Objects.requireNonNull(kind, "kind");
      java.util.Objects.requireNonNull(reason, "reason");
    }
  }
}
