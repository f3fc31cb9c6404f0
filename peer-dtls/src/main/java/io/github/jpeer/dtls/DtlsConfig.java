package io.github.jpeer.dtls;

import io.github.jpeer.srtp.SrtpProfile;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * Everything one {@link DtlsEndpoint} needs, fixed before it starts. Build with {@link
 * #builder(DtlsRole, DtlsCertificate)}.
 *
 * @param role client or server, from the SDP setup attribute (see {@link DtlsRole})
 * @param certificate our certificate and key, possibly shared with other endpoints
 * @param remoteFingerprints the fingerprints from the remote SDP; the remote certificate must match
 *     at least one of them (RFC 8122 section 5 allows several)
 * @param srtpProfiles the SRTP profiles to offer (as client) or accept (as server), most preferred
 *     first; empty means no use_srtp (a data-only session)
 * @param handshakeTimeoutNanos how long after {@link DtlsEndpoint#start} the handshake may take,
 *     measured on the caller's {@code nowNanos}
 * @param initialRetransmitMillis BouncyCastle's first handshake retransmission timeout, in
 *     wall-clock milliseconds (RFC 6347 section 4.2.4.1 suggests 1000); it doubles on each
 *     retransmission
 * @param maxDatagramBytes the largest datagram we send, at least {@link #MIN_MAX_DATAGRAM_BYTES};
 *     handshake messages are fragmented to fit
 * @param random the source of handshake randomness
 * @param wakeup called on the handshake thread each time it queued a datagram or finished, so that
 *     an event loop blocked in a selector can wake up and drain {@link
 *     DtlsEndpoint#pollTransmit()}; must be fast, thread-safe and must not call the endpoint
 * @param logger where the endpoint and its handshake log; a connection passes one that names it, so
 *     that a server with many calls can tell which call an alert was in; default the logger named
 *     after {@link DtlsEndpoint}
 */
public record DtlsConfig(
    DtlsRole role,
    DtlsCertificate certificate,
    List<Fingerprint> remoteFingerprints,
    List<SrtpProfile> srtpProfiles,
    long handshakeTimeoutNanos,
    int initialRetransmitMillis,
    int maxDatagramBytes,
    SecureRandom random,
    Runnable wakeup,
    System.Logger logger) {

  /** The default SRTP preference: GCM (RFC 7714) first, then the classic _80 and _32. */
  public static final List<SrtpProfile> DEFAULT_SRTP_PROFILES =
      List.of(
          SrtpProfile.AEAD_AES_128_GCM,
          SrtpProfile.AEAD_AES_256_GCM,
          SrtpProfile.AES128_CM_HMAC_SHA1_80,
          SrtpProfile.AES128_CM_HMAC_SHA1_32);

  /** Default handshake timeout: 30 s. */
  public static final long DEFAULT_HANDSHAKE_TIMEOUT_NANOS = 30_000_000_000L;

  /** Default first retransmission timeout: 1 s (RFC 6347 section 4.2.4.1). */
  public static final int DEFAULT_INITIAL_RETRANSMIT_MILLIS = 1000;

  /** Default largest datagram: 1200 bytes, which fits under any path MTU with ICE/TURN framing. */
  public static final int DEFAULT_MAX_DATAGRAM_BYTES = 1200;

  /**
   * The smallest {@code maxDatagramBytes} accepted: 256 bytes, well above what BouncyCastle 1.84
   * can honour, and small enough for the tightest MTU anyone configures for DTLS (OpenSSL's and
   * GnuTLS's {@code -mtu 256} interoperate with it, see the interop tests).
   *
   * <p>BouncyCastle's own floor, measured with the check lowered (two endpoints, P-256 and
   * RSA-2048, AES-GCM suites): below 26 bytes (a 13-byte record header, a 12-byte handshake header
   * and one body byte) it fails the handshake with internal_error; from 26 to 60 bytes the
   * handshake may complete but the Finished breaks the limit, because {@code
   * DTLSReliableHandshake.writeMessage} sizes its fragments for epoch 0 and the record layer then
   * encrypts it in epoch 1, adding 24 bytes (explicit nonce and tag): 13 + 12 + 12 + 24 = 61 bytes.
   * From 61 bytes up every datagram fits, and a record carries {@code maxDatagramBytes - 37} bytes
   * of application data. An RSA-2048 handshake takes 66 datagrams (both sides) at 64 bytes, 16 at
   * 256.
   */
  public static final int MIN_MAX_DATAGRAM_BYTES = 256;

  /**
   * Validates and copies the lists.
   *
   * @throws IllegalArgumentException naming the bad value
   */
  public DtlsConfig {
    if (role == null || certificate == null || random == null) {
      throw new IllegalArgumentException("role, certificate and random must not be null");
    }
    if (remoteFingerprints == null || remoteFingerprints.isEmpty()) {
      throw new IllegalArgumentException(
          "at least one remote fingerprint (from the remote SDP's a=fingerprint) is required");
    }
    if (remoteFingerprints.stream().anyMatch(java.util.Objects::isNull)) {
      throw new IllegalArgumentException("remoteFingerprints must not contain null");
    }
    remoteFingerprints = List.copyOf(remoteFingerprints);
    if (srtpProfiles == null || srtpProfiles.stream().anyMatch(java.util.Objects::isNull)) {
      throw new IllegalArgumentException(
          "srtpProfiles must be a list without nulls (empty disables use_srtp)");
    }
    srtpProfiles = List.copyOf(srtpProfiles);
    if (new HashSet<>(srtpProfiles).size() != srtpProfiles.size()) {
      throw new IllegalArgumentException("srtpProfiles lists a profile twice: " + srtpProfiles);
    }
    if (handshakeTimeoutNanos <= 0) {
      throw new IllegalArgumentException(
          "handshakeTimeoutNanos must be > 0, got " + handshakeTimeoutNanos);
    }
    if (initialRetransmitMillis < 1) {
      throw new IllegalArgumentException(
          "initialRetransmitMillis must be >= 1, got " + initialRetransmitMillis);
    }
    if (maxDatagramBytes < MIN_MAX_DATAGRAM_BYTES || maxDatagramBytes > 65_507) {
      throw new IllegalArgumentException(
          "maxDatagramBytes must be within ["
              + MIN_MAX_DATAGRAM_BYTES
              + ", 65507], got "
              + maxDatagramBytes);
    }
    if (wakeup == null) {
      wakeup = () -> {};
    }
    if (logger == null) {
      logger = System.getLogger(DtlsEndpoint.class.getName());
    }
  }

  /** A builder with the defaults: all four SRTP profiles, 30 s timeout, 1 s first retransmit. */
  public static Builder builder(DtlsRole role, DtlsCertificate certificate) {
    return new Builder(role, certificate);
  }

  /** Builds a {@link DtlsConfig}; not thread-safe. */
  public static final class Builder {
    private final DtlsRole role;
    private final DtlsCertificate certificate;
    private final List<Fingerprint> remoteFingerprints = new ArrayList<>();
    private List<SrtpProfile> srtpProfiles = DEFAULT_SRTP_PROFILES;
    private long handshakeTimeoutNanos = DEFAULT_HANDSHAKE_TIMEOUT_NANOS;
    private int initialRetransmitMillis = DEFAULT_INITIAL_RETRANSMIT_MILLIS;
    private int maxDatagramBytes = DEFAULT_MAX_DATAGRAM_BYTES;
    private SecureRandom random;
    private Runnable wakeup;
    private System.Logger logger;

    private Builder(DtlsRole role, DtlsCertificate certificate) {
      this.role = role;
      this.certificate = certificate;
    }

    /** Adds a fingerprint the remote certificate may match (call once per a=fingerprint line). */
    public Builder remoteFingerprint(Fingerprint fingerprint) {
      if (fingerprint == null) {
        throw new IllegalArgumentException("fingerprint must not be null");
      }
      remoteFingerprints.add(fingerprint);
      return this;
    }

    /** The SRTP profiles, most preferred first; an empty list disables use_srtp. */
    public Builder srtpProfiles(List<SrtpProfile> profiles) {
      this.srtpProfiles = profiles;
      return this;
    }

    /** The handshake timeout on the caller's clock. */
    public Builder handshakeTimeoutNanos(long timeoutNanos) {
      this.handshakeTimeoutNanos = timeoutNanos;
      return this;
    }

    /** BouncyCastle's first retransmission timeout in wall-clock milliseconds. */
    public Builder initialRetransmitMillis(int millis) {
      this.initialRetransmitMillis = millis;
      return this;
    }

    /** The largest datagram to send. */
    public Builder maxDatagramBytes(int bytes) {
      this.maxDatagramBytes = bytes;
      return this;
    }

    /** The randomness source; a fresh {@link SecureRandom} if never set. */
    public Builder random(SecureRandom random) {
      this.random = random;
      return this;
    }

    /** The hook the handshake thread calls after queuing output (see {@link DtlsConfig}). */
    public Builder wakeup(Runnable wakeup) {
      this.wakeup = wakeup;
      return this;
    }

    /** Where to log (see {@link DtlsConfig#logger()}); the class-named logger if never set. */
    public Builder logger(System.Logger logger) {
      this.logger = logger;
      return this;
    }

    /** The validated configuration. */
    public DtlsConfig build() {
      return new DtlsConfig(
          role,
          certificate,
          remoteFingerprints,
          srtpProfiles,
          handshakeTimeoutNanos,
          initialRetransmitMillis,
          maxDatagramBytes,
          random == null ? new SecureRandom() : random,
          wakeup,
          logger);
    }
  }
}
