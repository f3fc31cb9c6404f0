package io.github.jpeer.agent;

import java.util.random.RandomGenerator;

/**
 * An ICE username fragment and password (RFC 8445 section 5.3; syntax from RFC 8839 section 5.4:
 * {@code ice-char = ALPHA / DIGIT / "+" / "/"}, ufrag 4 to 256 characters, pwd 22 to 256).
 *
 * @param ufrag the username fragment
 * @param pwd the password (never logged: {@link #toString()} hides it)
 */
public record IceCredentials(String ufrag, String pwd) {
  private static final String ICE_CHARS =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

  /** Length of generated ufrags: 8 characters give 48 bits, more than RFC 8445's 24. */
  static final int UFRAG_LENGTH = 8;

  /** Length of generated passwords: 24 characters give 144 bits, more than the 128 required. */
  static final int PWD_LENGTH = 24;

  /**
   * Checks the syntax.
   *
   * @throws IllegalArgumentException if either part is too short, too long or has a character
   *     outside the ice-char alphabet
   */
  public IceCredentials {
    check(ufrag, "ufrag", 4);
    check(pwd, "pwd", 22);
  }

  /** Fresh random credentials drawn from {@code random} (a SecureRandom in production). */
  public static IceCredentials random(RandomGenerator random) {
    return new IceCredentials(randomString(random, UFRAG_LENGTH), randomString(random, PWD_LENGTH));
  }

  private static String randomString(RandomGenerator random, int length) {
    char[] chars = new char[length];
    for (int i = 0; i < length; i++) {
      chars[i] = ICE_CHARS.charAt(random.nextInt(ICE_CHARS.length()));
    }
    return new String(chars);
  }

  private static void check(String value, String name, int minLength) {
    if (value == null) {
      throw new IllegalArgumentException("ICE " + name + " is missing");
    }
    if (value.length() < minLength || value.length() > 256) {
      throw new IllegalArgumentException(
          "ICE " + name + " must be " + minLength + " to 256 characters, got " + value.length());
    }
    for (int i = 0; i < value.length(); i++) {
      if (ICE_CHARS.indexOf(value.charAt(i)) < 0) {
        throw new IllegalArgumentException(
            "ICE " + name + " has a character outside ALPHA / DIGIT / + / / at index " + i);
      }
    }
  }

  @Override
  public String toString() {
    return "IceCredentials[ufrag=" + ufrag + ", pwd=<hidden>]";
  }
}
