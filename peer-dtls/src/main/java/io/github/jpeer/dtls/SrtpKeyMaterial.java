package io.github.jpeer.dtls;

import io.github.jpeer.srtp.SrtpProfile;

/**
 * The SRTP master keys and salts that DTLS-SRTP derives, already assigned to directions: we protect
 * what we send with the {@code local} pair and unprotect what we receive with the {@code remote}
 * pair.
 *
 * <p>RFC 5764 section 4.2 exports {@code 2 * (keyLength + saltLength)} bytes with the label {@code
 * "EXTRACTOR-dtls_srtp"} and no context, laid out as:
 *
 * <pre>
 * client_write_SRTP_master_key[keyLength]
 * server_write_SRTP_master_key[keyLength]
 * client_write_SRTP_master_salt[saltLength]
 * server_write_SRTP_master_salt[saltLength]
 * </pre>
 *
 * The DTLS client's write pair is its local pair and the server's remote pair, so the two ends'
 * records mirror each other.
 *
 * @param profile the negotiated protection profile, which fixes the lengths
 * @param localKey master key for what we send
 * @param localSalt master salt for what we send
 * @param remoteKey master key for what we receive
 * @param remoteSalt master salt for what we receive
 */
public record SrtpKeyMaterial(
    SrtpProfile profile, byte[] localKey, byte[] localSalt, byte[] remoteKey, byte[] remoteSalt) {

  /**
   * Checks the lengths against the profile and copies the arrays.
   *
   * @throws IllegalArgumentException if a length does not fit the profile
   */
  public SrtpKeyMaterial {
    if (profile == null) {
      throw new IllegalArgumentException("profile must not be null");
    }
    checkLength("localKey", localKey, profile.masterKeyLength());
    checkLength("remoteKey", remoteKey, profile.masterKeyLength());
    checkLength("localSalt", localSalt, profile.masterSaltLength());
    checkLength("remoteSalt", remoteSalt, profile.masterSaltLength());
    localKey = localKey.clone();
    localSalt = localSalt.clone();
    remoteKey = remoteKey.clone();
    remoteSalt = remoteSalt.clone();
  }

  /** The exporter output length RFC 5764 section 4.2 asks for with this profile. */
  public static int exportLength(SrtpProfile profile) {
    return 2 * (profile.masterKeyLength() + profile.masterSaltLength());
  }

  /**
   * Splits the RFC 5764 exporter output into keys and salts and assigns them by our role.
   *
   * @throws IllegalArgumentException if {@code exported} is not {@link #exportLength} bytes
   */
  public static SrtpKeyMaterial fromExporter(byte[] exported, SrtpProfile profile, DtlsRole role) {
    int keyLength = profile.masterKeyLength();
    int saltLength = profile.masterSaltLength();
    if (exported.length != exportLength(profile)) {
      throw new IllegalArgumentException(
          "exporter output for "
              + profile
              + " must be "
              + exportLength(profile)
              + " bytes, got "
              + exported.length);
    }
    byte[] clientKey = slice(exported, 0, keyLength);
    byte[] serverKey = slice(exported, keyLength, keyLength);
    byte[] clientSalt = slice(exported, 2 * keyLength, saltLength);
    byte[] serverSalt = slice(exported, 2 * keyLength + saltLength, saltLength);
    return role == DtlsRole.CLIENT
        ? new SrtpKeyMaterial(profile, clientKey, clientSalt, serverKey, serverSalt)
        : new SrtpKeyMaterial(profile, serverKey, serverSalt, clientKey, clientSalt);
  }

  /** A copy of the key for what we send. */
  @Override
  public byte[] localKey() {
    return localKey.clone();
  }

  /** A copy of the salt for what we send. */
  @Override
  public byte[] localSalt() {
    return localSalt.clone();
  }

  /** A copy of the key for what we receive. */
  @Override
  public byte[] remoteKey() {
    return remoteKey.clone();
  }

  /** A copy of the salt for what we receive. */
  @Override
  public byte[] remoteSalt() {
    return remoteSalt.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SrtpKeyMaterial k
        && profile == k.profile
        && java.util.Arrays.equals(localKey, k.localKey)
        && java.util.Arrays.equals(localSalt, k.localSalt)
        && java.util.Arrays.equals(remoteKey, k.remoteKey)
        && java.util.Arrays.equals(remoteSalt, k.remoteSalt);
  }

  @Override
  public int hashCode() {
    return profile.hashCode() * 31 + java.util.Arrays.hashCode(localKey);
  }

  /** Names the profile only: keys never reach a log line. */
  @Override
  public String toString() {
    return "SrtpKeyMaterial[" + profile + ", keys redacted]";
  }

  private static void checkLength(String name, byte[] value, int expected) {
    if (value == null || value.length != expected) {
      throw new IllegalArgumentException(
          name + " must be " + expected + " bytes, got " + (value == null ? "null" : value.length));
    }
  }

  private static byte[] slice(byte[] source, int offset, int length) {
    byte[] out = new byte[length];
    System.arraycopy(source, offset, out, 0, length);
    return out;
  }
}
