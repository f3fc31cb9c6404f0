package io.github.jpeer.dtls;

/** Why a DTLS association failed: the kind behind {@link DtlsEvent.Failed}'s text. */
public enum DtlsFailure {
  /** The handshake did not finish within {@link DtlsConfig#handshakeTimeoutNanos()}. */
  HANDSHAKE_TIMEOUT,
  /**
   * The remote certificate matched none of the fingerprints of the remote description, or the
   * remote sent no certificate.
   */
  FINGERPRINT_MISMATCH,
  /** No SRTP protection profile both sides accept (RFC 5764 section 4.1.1). */
  NO_COMMON_SRTP_PROFILE,
  /** The remote sent a fatal alert (its description is in the reason). */
  ALERT_RECEIVED,
  /** We sent a fatal alert because the remote broke the protocol (the reason says how). */
  ALERT_SENT,
  /**
   * As DTLS server, the handshake completed on our side but the remote never showed that it
   * finished too: no record or packet authenticated with the new keys arrived from it within the
   * handshake timeout, so our final flight was lost and the remote gave up.
   */
  REMOTE_NEVER_FINISHED,
  /** Anything else: an I/O or internal error of the DTLS implementation. */
  OTHER
}
