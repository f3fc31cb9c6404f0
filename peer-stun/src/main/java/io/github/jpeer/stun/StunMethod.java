package io.github.jpeer.stun;

/**
 * The STUN methods used by ICE and TURN (RFC 8489 section 18.2, RFC 8656 section 17).
 *
 * <p>A received message may carry a method that is not listed here; {@link StunMessage#method()}
 * then returns null and {@link StunMessage#methodCode()} still gives the 12-bit code.
 */
public enum StunMethod {
  /** Binding (0x001), used by STUN and ICE connectivity checks. */
  BINDING(0x001),
  /** TURN Allocate (0x003). */
  ALLOCATE(0x003),
  /** TURN Refresh (0x004). */
  REFRESH(0x004),
  /** TURN Send, an indication only (0x006). */
  SEND(0x006),
  /** TURN Data, an indication only (0x007). */
  DATA(0x007),
  /** TURN CreatePermission (0x008). */
  CREATE_PERMISSION(0x008),
  /** TURN ChannelBind (0x009). */
  CHANNEL_BIND(0x009);

  private final int code;

  StunMethod(int code) {
    this.code = code;
  }

  /**
   * Returns the 12-bit method code.
   *
   * @return the code, 0x000 to 0xFFF
   */
  public int code() {
    return code;
  }

  /**
   * Returns the method with a code, or null when this enum does not list it.
   *
   * @param code a 12-bit method code
   * @return the method, or null
   */
  public static StunMethod fromCode(int code) {
    switch (code) {
      case 0x001:
        return BINDING;
      case 0x003:
        return ALLOCATE;
      case 0x004:
        return REFRESH;
      case 0x006:
        return SEND;
      case 0x007:
        return DATA;
      case 0x008:
        return CREATE_PERMISSION;
      case 0x009:
        return CHANNEL_BIND;
      default:
        return null;
    }
  }
}
