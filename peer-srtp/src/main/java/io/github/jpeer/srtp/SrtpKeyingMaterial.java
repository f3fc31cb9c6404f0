package io.github.jpeer.srtp;

import java.util.Arrays;
import java.util.Objects;

/**
 * The two master keys and salts of a DTLS-SRTP association, split out of the DTLS exporter output
 * labelled "EXTRACTOR-dtls_srtp" (RFC 5764 section 4.2):
 *
 * <pre>
 *   client_write_SRTP_master_key[key_len]
 *   server_write_SRTP_master_key[key_len]
 *   client_write_SRTP_master_salt[salt_len]
 *   server_write_SRTP_master_salt[salt_len]
 * </pre>
 *
 * The DTLS client protects with the client write key and unprotects with the server's, the server
 * the other way round. Holds copies of the keys; {@link #toString()} never shows them.
 */
public final class SrtpKeyingMaterial {
  private final SrtpProfile profile;
  private final byte[] clientKey;
  private final byte[] serverKey;
  private final byte[] clientSalt;
  private final byte[] serverSalt;

  private SrtpKeyingMaterial(SrtpProfile profile, byte[] material) {
    int k = profile.masterKeyLength();
    int s = profile.masterSaltLength();
    this.profile = profile;
    this.clientKey = Arrays.copyOfRange(material, 0, k);
    this.serverKey = Arrays.copyOfRange(material, k, 2 * k);
    this.clientSalt = Arrays.copyOfRange(material, 2 * k, 2 * k + s);
    this.serverSalt = Arrays.copyOfRange(material, 2 * k + s, 2 * k + 2 * s);
  }

  /**
   * Splits exported keying material of exactly {@link SrtpProfile#keyingMaterialLength()} bytes.
   *
   * @throws IllegalArgumentException if the length does not match the profile
   */
  public static SrtpKeyingMaterial split(SrtpProfile profile, byte[] exported) {
    Objects.requireNonNull(profile, "profile");
    Objects.requireNonNull(exported, "exported");
    if (exported.length != profile.keyingMaterialLength()) {
      throw new IllegalArgumentException(
          profile
              + " needs "
              + profile.keyingMaterialLength()
              + " bytes of DTLS keying material, got "
              + exported.length);
    }
    return new SrtpKeyingMaterial(profile, exported);
  }

  /** The negotiated profile. */
  public SrtpProfile profile() {
    return profile;
  }

  /** A copy of the master key this side protects with. */
  public byte[] localMasterKey(boolean localIsClient) {
    return (localIsClient ? clientKey : serverKey).clone();
  }

  /** A copy of the master salt this side protects with. */
  public byte[] localMasterSalt(boolean localIsClient) {
    return (localIsClient ? clientSalt : serverSalt).clone();
  }

  /** A copy of the master key the peer protects with (this side unprotects with it). */
  public byte[] remoteMasterKey(boolean localIsClient) {
    return (localIsClient ? serverKey : clientKey).clone();
  }

  /** A copy of the master salt the peer protects with. */
  public byte[] remoteMasterSalt(boolean localIsClient) {
    return (localIsClient ? serverSalt : clientSalt).clone();
  }

  /** The session that protects outgoing RTP and RTCP; {@code localIsClient} is the DTLS role. */
  public SrtpSession outboundSession(boolean localIsClient, SrtpConfig config) {
    return localIsClient
        ? SrtpSession.create(profile, clientKey, clientSalt, config)
        : SrtpSession.create(profile, serverKey, serverSalt, config);
  }

  /** The session that unprotects incoming SRTP and SRTCP. */
  public SrtpSession inboundSession(boolean localIsClient, SrtpConfig config) {
    return localIsClient
        ? SrtpSession.create(profile, serverKey, serverSalt, config)
        : SrtpSession.create(profile, clientKey, clientSalt, config);
  }

  /** Names the profile only: key bytes never reach a log. */
  @Override
  public String toString() {
    return "SrtpKeyingMaterial[" + profile + "]";
  }
}
