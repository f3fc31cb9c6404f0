package io.github.jpeer.dtls;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;

/**
 * A certificate fingerprint as carried in SDP's {@code a=fingerprint} attribute (RFC 8122 section
 * 5, RFC 5763 section 5): a hash function name and the digest of the DER-encoded certificate.
 *
 * <pre>
 * fingerprint-attribute  =  "fingerprint" ":" hash-func SP fingerprint
 * hash-func              =  "sha-1" / "sha-224" / "sha-256" / "sha-384" / "sha-512" / ...
 * fingerprint            =  2UHEX *(":" 2UHEX)
 * </pre>
 *
 * <p>jpeer supports sha-1, sha-256, sha-384 and sha-512. Names and hex digits are accepted in any
 * case (RFC 8122 says the hex is uppercase, but browsers and libraries are lax); {@link #format()}
 * always writes the canonical form: lowercase name, uppercase hex, colon-separated.
 *
 * @param algorithm the lowercase hash function name as SDP spells it, e.g. {@code "sha-256"}
 * @param value the digest bytes; copied in and out
 */
public record Fingerprint(String algorithm, byte[] value) {
  private static final HexFormat HEX = HexFormat.ofDelimiter(":").withUpperCase();

  /**
   * Validates the algorithm and digest length and normalises the name to lowercase.
   *
   * @throws IllegalArgumentException if the algorithm is not supported or the length is wrong
   */
  public Fingerprint {
    if (algorithm == null || value == null) {
      throw new IllegalArgumentException("algorithm and value must not be null");
    }
    algorithm = algorithm.toLowerCase(Locale.ROOT);
    int expected = digestLength(algorithm);
    if (value.length != expected) {
      throw new IllegalArgumentException(
          algorithm + " fingerprint must be " + expected + " bytes, got " + value.length);
    }
    value = value.clone();
  }

  /** A copy of the digest bytes. */
  @Override
  public byte[] value() {
    return value.clone();
  }

  /**
   * Parses the value of an SDP fingerprint attribute, e.g. {@code "sha-256 AB:CD:..."} (the part
   * after {@code a=fingerprint:}).
   *
   * @throws IllegalArgumentException naming the problem if the text is not a supported fingerprint
   */
  public static Fingerprint parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("fingerprint text must not be null");
    }
    String trimmed = text.strip();
    int space = trimmed.indexOf(' ');
    if (space <= 0) {
      throw new IllegalArgumentException(
          "fingerprint must be '<hash-func> <hex:hex:...>', got '" + text + "'");
    }
    String algorithm = trimmed.substring(0, space);
    String hex = trimmed.substring(space + 1).strip();
    byte[] value;
    try {
      value = HEX.parseHex(hex.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "fingerprint digest must be colon-separated hex pairs, got '" + hex + "'", e);
    }
    return new Fingerprint(algorithm, value);
  }

  /**
   * The fingerprint of a DER-encoded certificate with the given hash function.
   *
   * @throws IllegalArgumentException if the algorithm is not supported
   */
  public static Fingerprint of(String algorithm, byte[] derCertificate) {
    String name = algorithm.toLowerCase(Locale.ROOT);
    digestLength(name);
    try {
      return new Fingerprint(name, MessageDigest.getInstance(jcaName(name)).digest(derCertificate));
    } catch (NoSuchAlgorithmException e) {
      // Every JDK ships SHA-1 and SHA-2: a missing one is a broken runtime.
      throw new IllegalStateException("JDK lacks " + name, e);
    }
  }

  /**
   * True if {@code derCertificate} hashes to this fingerprint with this fingerprint's algorithm.
   */
  public boolean matches(byte[] derCertificate) {
    return MessageDigest.isEqual(value, of(algorithm, derCertificate).value);
  }

  /** The canonical SDP form: {@code "sha-256 AB:CD:..."}. */
  public String format() {
    return algorithm + " " + HEX.formatHex(value);
  }

  /** True if jpeer can compute and verify fingerprints with this hash function name. */
  public static boolean isSupported(String algorithm) {
    return algorithm != null && lengthOrMinus(algorithm.toLowerCase(Locale.ROOT)) > 0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Fingerprint f
        && algorithm.equals(f.algorithm)
        && Arrays.equals(value, f.value);
  }

  @Override
  public int hashCode() {
    return algorithm.hashCode() * 31 + Arrays.hashCode(value);
  }

  @Override
  public String toString() {
    return format();
  }

  private static int digestLength(String algorithm) {
    int length = lengthOrMinus(algorithm);
    if (length < 0) {
      throw new IllegalArgumentException(
          "unsupported fingerprint hash function '"
              + algorithm
              + "'; use sha-1, sha-256, sha-384 or sha-512");
    }
    return length;
  }

  private static int lengthOrMinus(String algorithm) {
    return switch (algorithm) {
      case "sha-1" -> 20;
      case "sha-256" -> 32;
      case "sha-384" -> 48;
      case "sha-512" -> 64;
      default -> -1;
    };
  }

  private static String jcaName(String algorithm) {
    return switch (algorithm) {
      case "sha-1" -> "SHA-1";
      case "sha-256" -> "SHA-256";
      case "sha-384" -> "SHA-384";
      default -> "SHA-512";
    };
  }
}
