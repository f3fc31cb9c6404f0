package io.github.jpeer.stun;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;

/**
 * MESSAGE-INTEGRITY keys for the two STUN credential mechanisms (RFC 8489 section 9).
 *
 * <p>Passwords and realms go through the OpaqueString profile of RFC 8265 (which replaced
 * SASLprep): non-ASCII spaces become U+0020, the string is NFC-normalised, and control characters
 * are refused. For printable ASCII, the usual case for ICE passwords, the key is just the bytes.
 * The username is used exactly as given (its UTF-8 bytes), because it must be the same bytes as the
 * USERNAME attribute; prepare it once before using it in both places.
 *
 * <p>The returned arrays are keys: never log them.
 */
public final class StunCredentials {
  private StunCredentials() {}

  /**
   * Returns the short-term credential key: OpaqueString(password) in UTF-8 (RFC 8489 section
   * 9.1.1). ICE uses this with the remote ufrag's password.
   *
   * @param password the password, not empty
   * @return the HMAC key
   * @throws IllegalArgumentException if the password is empty or holds control characters
   */
  public static byte[] shortTermKey(String password) {
    return opaqueString(password, "password");
  }

  /**
   * Returns the long-term credential key, MD5(username ":" OpaqueString(realm) ":"
   * OpaqueString(password)) (RFC 8489 section 9.2.2), as TURN servers use.
   *
   * @param username the username as sent in USERNAME
   * @param realm the REALM received from the server
   * @param password the password, not empty
   * @return the 16-byte HMAC key
   * @throws IllegalArgumentException if the password is empty or a string holds control characters
   */
  public static byte[] longTermKey(String username, String realm, String password) {
    byte[] user = username.getBytes(StandardCharsets.UTF_8);
    byte[] realmBytes = realm.isEmpty() ? new byte[0] : opaqueString(realm, "realm");
    byte[] pass = opaqueString(password, "password");
    MessageDigest md5;
    try {
      md5 = MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      // Every Java platform must provide MD5.
      throw new IllegalStateException("MD5 is not available", e);
    }
    md5.update(user);
    md5.update((byte) ':');
    md5.update(realmBytes);
    md5.update((byte) ':');
    md5.update(pass);
    return md5.digest();
  }

  /** RFC 8265 section 4.2 OpaqueString enforcement, reduced to what the JDK offers. */
  static byte[] opaqueString(String s, String what) {
    if (s.isEmpty()) {
      throw new IllegalArgumentException("the " + what + " must not be empty");
    }
    boolean printableAscii = true;
    for (int i = 0; i < s.length() && printableAscii; i++) {
      char c = s.charAt(i);
      printableAscii = c >= 0x20 && c < 0x7F;
    }
    if (printableAscii) {
      return s.getBytes(StandardCharsets.US_ASCII);
    }
    StringBuilder mapped = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      int category = Character.getType(cp);
      if (category == Character.CONTROL
          || category == Character.SURROGATE
          || category == Character.UNASSIGNED) {
        throw new IllegalArgumentException(
            "the " + what + " holds a character that OpaqueString disallows at index " + i);
      }
      // Additional mapping rule: every non-ASCII space becomes U+0020.
      mapped.appendCodePoint(category == Character.SPACE_SEPARATOR ? ' ' : cp);
    }
    return Normalizer.normalize(mapped, Normalizer.Form.NFC).getBytes(StandardCharsets.UTF_8);
  }
}
