package io.github.jpeer.stun;

/**
 * STUN attribute type codes (RFC 8489 section 18.3, RFC 8656 section 18, RFC 8445 section 16.1) and
 * the rule that types below 0x8000 are comprehension-required.
 *
 * <p>The "understood" types are those this package decodes into typed values; a received
 * comprehension-required type outside that set is listed by {@link
 * StunMessage#unknownComprehensionRequired()} so that a server can answer 420 (Unknown Attribute).
 */
public final class StunAttributeType {
  private StunAttributeType() {}

  /** MAPPED-ADDRESS (RFC 8489 section 14.1). */
  public static final int MAPPED_ADDRESS = 0x0001;

  /** USERNAME (RFC 8489 section 14.3). */
  public static final int USERNAME = 0x0006;

  /** MESSAGE-INTEGRITY, HMAC-SHA1 (RFC 8489 section 14.5). */
  public static final int MESSAGE_INTEGRITY = 0x0008;

  /** ERROR-CODE (RFC 8489 section 14.8). */
  public static final int ERROR_CODE = 0x0009;

  /** UNKNOWN-ATTRIBUTES (RFC 8489 section 14.9). */
  public static final int UNKNOWN_ATTRIBUTES = 0x000A;

  /** CHANNEL-NUMBER (RFC 8656 section 18.1). */
  public static final int CHANNEL_NUMBER = 0x000C;

  /** LIFETIME in seconds (RFC 8656 section 18.2). */
  public static final int LIFETIME = 0x000D;

  /** XOR-PEER-ADDRESS (RFC 8656 section 18.3). */
  public static final int XOR_PEER_ADDRESS = 0x0012;

  /** DATA (RFC 8656 section 18.4). */
  public static final int DATA = 0x0013;

  /** REALM (RFC 8489 section 14.9). */
  public static final int REALM = 0x0014;

  /** NONCE (RFC 8489 section 14.10). */
  public static final int NONCE = 0x0015;

  /** XOR-RELAYED-ADDRESS (RFC 8656 section 18.5). */
  public static final int XOR_RELAYED_ADDRESS = 0x0016;

  /** REQUESTED-ADDRESS-FAMILY (RFC 8656 section 18.6); not decoded by this package. */
  public static final int REQUESTED_ADDRESS_FAMILY = 0x0017;

  /** EVEN-PORT (RFC 8656 section 18.7); not decoded by this package. */
  public static final int EVEN_PORT = 0x0018;

  /** REQUESTED-TRANSPORT (RFC 8656 section 18.8). */
  public static final int REQUESTED_TRANSPORT = 0x0019;

  /** DONT-FRAGMENT (RFC 8656 section 18.9); not decoded by this package. */
  public static final int DONT_FRAGMENT = 0x001A;

  /** MESSAGE-INTEGRITY-SHA256 (RFC 8489 section 14.6). */
  public static final int MESSAGE_INTEGRITY_SHA256 = 0x001C;

  /** XOR-MAPPED-ADDRESS (RFC 8489 section 14.2). */
  public static final int XOR_MAPPED_ADDRESS = 0x0020;

  /** RESERVATION-TOKEN (RFC 8656 section 18.10); not decoded by this package. */
  public static final int RESERVATION_TOKEN = 0x0022;

  /** PRIORITY (RFC 8445 section 16.1). */
  public static final int PRIORITY = 0x0024;

  /** USE-CANDIDATE (RFC 8445 section 16.1). */
  public static final int USE_CANDIDATE = 0x0025;

  /** SOFTWARE (RFC 8489 section 14.14). */
  public static final int SOFTWARE = 0x8022;

  /** ALTERNATE-SERVER (RFC 8489 section 14.15); not decoded by this package. */
  public static final int ALTERNATE_SERVER = 0x8023;

  /** FINGERPRINT (RFC 8489 section 14.7). */
  public static final int FINGERPRINT = 0x8028;

  /** ICE-CONTROLLED (RFC 8445 section 16.1). */
  public static final int ICE_CONTROLLED = 0x8029;

  /** ICE-CONTROLLING (RFC 8445 section 16.1). */
  public static final int ICE_CONTROLLING = 0x802A;

  /**
   * Tells whether a type is comprehension-required (0x0000 to 0x7FFF): a receiver that does not
   * understand it must reject the message (RFC 8489 section 14).
   *
   * @param type a 16-bit attribute type
   * @return true for 0x0000 to 0x7FFF
   */
  public static boolean isComprehensionRequired(int type) {
    return (type & 0x8000) == 0;
  }

  /**
   * Tells whether this package decodes a type into a typed value.
   *
   * @param type a 16-bit attribute type
   * @return true for the types with a typed accessor on {@link StunMessage}
   */
  public static boolean isUnderstood(int type) {
    switch (type) {
      case MAPPED_ADDRESS:
      case USERNAME:
      case MESSAGE_INTEGRITY:
      case ERROR_CODE:
      case UNKNOWN_ATTRIBUTES:
      case CHANNEL_NUMBER:
      case LIFETIME:
      case XOR_PEER_ADDRESS:
      case DATA:
      case REALM:
      case NONCE:
      case XOR_RELAYED_ADDRESS:
      case REQUESTED_TRANSPORT:
      case MESSAGE_INTEGRITY_SHA256:
      case XOR_MAPPED_ADDRESS:
      case PRIORITY:
      case USE_CANDIDATE:
      case SOFTWARE:
      case FINGERPRINT:
      case ICE_CONTROLLED:
      case ICE_CONTROLLING:
        return true;
      default:
        return false;
    }
  }

  /**
   * Returns the RFC name of a type, or its hex code when this package does not know it.
   *
   * @param type a 16-bit attribute type
   * @return a name such as {@code "XOR-MAPPED-ADDRESS"} or {@code "0x8055"}
   */
  public static String name(int type) {
    switch (type) {
      case MAPPED_ADDRESS:
        return "MAPPED-ADDRESS";
      case USERNAME:
        return "USERNAME";
      case MESSAGE_INTEGRITY:
        return "MESSAGE-INTEGRITY";
      case ERROR_CODE:
        return "ERROR-CODE";
      case UNKNOWN_ATTRIBUTES:
        return "UNKNOWN-ATTRIBUTES";
      case CHANNEL_NUMBER:
        return "CHANNEL-NUMBER";
      case LIFETIME:
        return "LIFETIME";
      case XOR_PEER_ADDRESS:
        return "XOR-PEER-ADDRESS";
      case DATA:
        return "DATA";
      case REALM:
        return "REALM";
      case NONCE:
        return "NONCE";
      case XOR_RELAYED_ADDRESS:
        return "XOR-RELAYED-ADDRESS";
      case REQUESTED_ADDRESS_FAMILY:
        return "REQUESTED-ADDRESS-FAMILY";
      case EVEN_PORT:
        return "EVEN-PORT";
      case REQUESTED_TRANSPORT:
        return "REQUESTED-TRANSPORT";
      case DONT_FRAGMENT:
        return "DONT-FRAGMENT";
      case MESSAGE_INTEGRITY_SHA256:
        return "MESSAGE-INTEGRITY-SHA256";
      case XOR_MAPPED_ADDRESS:
        return "XOR-MAPPED-ADDRESS";
      case RESERVATION_TOKEN:
        return "RESERVATION-TOKEN";
      case PRIORITY:
        return "PRIORITY";
      case USE_CANDIDATE:
        return "USE-CANDIDATE";
      case SOFTWARE:
        return "SOFTWARE";
      case ALTERNATE_SERVER:
        return "ALTERNATE-SERVER";
      case FINGERPRINT:
        return "FINGERPRINT";
      case ICE_CONTROLLED:
        return "ICE-CONTROLLED";
      case ICE_CONTROLLING:
        return "ICE-CONTROLLING";
      default:
        return String.format("0x%04X", type);
    }
  }
}
