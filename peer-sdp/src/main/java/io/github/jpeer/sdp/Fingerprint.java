package io.github.jpeer.sdp;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;

/**
 * {@code a=fingerprint} (RFC 8122 section 5): the hash of the DTLS certificate.
 *
 * <pre>
 * fingerprint-attribute = "fingerprint" ":" hash-func SP fingerprint
 * hash-func             = "sha-1" / "sha-224" / "sha-256" / "sha-384" / "sha-512"
 *                         / "md5" / "md2" / token
 * fingerprint           = 2UHEX *(":" 2UHEX)
 * </pre>
 *
 * <p>Hex is accepted in either case and written in upper case. For the SHA hash functions the byte
 * count must match the digest length. For md2 and md5, which RFC 8122 section 5 forbids and no
 * WebRTC stack verifies, any length is taken: a wrong length there is no reason to reject the whole
 * description, and the application that checks fingerprints says it does not support the hash.
 *
 * @param algorithm the hash function name as written, e.g. {@code sha-256}
 * @param value the digest bytes (copied in and out)
 */
public record Fingerprint(String algorithm, byte[] value) {
  /** The attribute name, {@code fingerprint}. */
  public static final String NAME = "fingerprint";

  private static final HexFormat HEX = HexFormat.of().withUpperCase();

  /** Validates and copies. */
  public Fingerprint {
    Values.requireToken(algorithm, "fingerprint algorithm");
    if (value == null || value.length == 0) {
      throw new IllegalArgumentException("fingerprint value must hold at least one byte");
    }
    int expected = digestLength(algorithm);
    if (expected > 0 && value.length != expected) {
      throw new IllegalArgumentException(
          algorithm + " fingerprint must be " + expected + " bytes, got " + value.length);
    }
    value = value.clone();
  }

  /**
   * Hashes a DER-encoded certificate.
   *
   * @param algorithm e.g. {@code sha-256}
   * @param derCertificate the certificate bytes
   */
  public static Fingerprint of(String algorithm, byte[] derCertificate) {
    try {
      MessageDigest md = MessageDigest.getInstance(jcaName(algorithm));
      return new Fingerprint(algorithm.toLowerCase(Locale.ROOT), md.digest(derCertificate));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalArgumentException("unsupported fingerprint algorithm " + algorithm, e);
    }
  }

  /** Parses the attribute value, e.g. {@code sha-256 AB:CD:...}. */
  public static Fingerprint parse(String text) {
    Values.nonNull(text, "expected <hash-func> <fingerprint>");
    java.util.List<String> t = Values.tokens(text);
    if (t.size() != 2) {
      throw new SdpParseException(text, "expected <hash-func> <fingerprint>");
    }
    String hex = t.get(1);
    // Two hex digits per byte, colon separated: length is 3n - 1.
    if ((hex.length() + 1) % 3 != 0) {
      throw new SdpParseException(text, "expected colon-separated pairs of hex digits");
    }
    byte[] bytes = new byte[(hex.length() + 1) / 3];
    for (int i = 0; i < bytes.length; i++) {
      int hi = Character.digit(hex.charAt(3 * i), 16);
      int lo = Character.digit(hex.charAt(3 * i + 1), 16);
      boolean separatorOk = 3 * i + 2 >= hex.length() || hex.charAt(3 * i + 2) == ':';
      if (hi < 0
          || lo < 0
          || !separatorOk
          || !isAsciiHex(hex.charAt(3 * i))
          || !isAsciiHex(hex.charAt(3 * i + 1))) {
        throw new SdpParseException(text, "expected colon-separated pairs of hex digits");
      }
      bytes[i] = (byte) (hi << 4 | lo);
    }
    int expected = digestLength(t.get(0));
    if (expected > 0 && bytes.length != expected) {
      throw new SdpParseException(text, "expected " + expected + " bytes for " + t.get(0));
    }
    return new Fingerprint(t.get(0), bytes);
  }

  private static boolean isAsciiHex(char c) {
    return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
  }

  /** Digest length in bytes of a known hash function, or 0 for an unknown one. */
  static int digestLength(String algorithm) {
    return switch (algorithm.toLowerCase(Locale.ROOT)) {
      case "sha-1" -> 20;
      case "sha-224" -> 28;
      case "sha-256" -> 32;
      case "sha-384" -> 48;
      case "sha-512" -> 64;
      default -> 0;
    };
  }

  private static String jcaName(String algorithm) throws NoSuchAlgorithmException {
    return switch (algorithm.toLowerCase(Locale.ROOT)) {
      case "md2" -> "MD2";
      case "md5" -> "MD5";
      case "sha-1" -> "SHA-1";
      case "sha-224" -> "SHA-224";
      case "sha-256" -> "SHA-256";
      case "sha-384" -> "SHA-384";
      case "sha-512" -> "SHA-512";
      default -> throw new NoSuchAlgorithmException(algorithm);
    };
  }

  /**
   * Returns the {@link MessageDigest} name of the algorithm, e.g. {@code SHA-256}.
   *
   * @throws IllegalStateException for a hash function this class does not know
   */
  public String jcaAlgorithm() {
    try {
      return jcaName(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("no JCA name for fingerprint algorithm " + algorithm, e);
    }
  }

  /** Returns a copy of the digest bytes. */
  @Override
  public byte[] value() {
    return value.clone();
  }

  /**
   * True when the DER certificate hashes to this fingerprint; compares in constant time.
   *
   * @throws IllegalStateException for a hash function this class does not know
   */
  public boolean matches(byte[] derCertificate) {
    try {
      byte[] digest = MessageDigest.getInstance(jcaAlgorithm()).digest(derCertificate);
      return MessageDigest.isEqual(digest, value);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(
          "fingerprint algorithm " + algorithm + " is not available", e);
    }
  }

  /** Returns this fingerprint as an {@code a=fingerprint} attribute. */
  public Attribute toAttribute() {
    return Attribute.of(NAME, toString());
  }

  /** Compares algorithm (case-insensitively) and bytes. */
  @Override
  public boolean equals(Object o) {
    return o instanceof Fingerprint f
        && algorithm.equalsIgnoreCase(f.algorithm)
        && Arrays.equals(value, f.value);
  }

  @Override
  public int hashCode() {
    return algorithm.toLowerCase(Locale.ROOT).hashCode() * 31 + Arrays.hashCode(value);
  }

  /** Returns the attribute value, e.g. {@code sha-256 AB:CD:...}, hex in upper case. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(algorithm.length() + 1 + value.length * 3);
    sb.append(algorithm).append(' ');
    for (int i = 0; i < value.length; i++) {
      if (i > 0) {
        sb.append(':');
      }
      sb.append(HEX.toHexDigits(value[i]));
    }
    return sb.toString();
  }
}
