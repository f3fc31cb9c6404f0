package io.github.jpeer.stun;

/** The class of a STUN message (RFC 8489 section 5): the two C bits of the message type. */
public enum StunClass {
  /** A request, answered by a success or error response (C1 C0 = 0b00). */
  REQUEST(0b00),
  /** An indication, which is not answered (0b01). */
  INDICATION(0b01),
  /** A success response (0b10). */
  SUCCESS_RESPONSE(0b10),
  /** An error response, carrying ERROR-CODE (0b11). */
  ERROR_RESPONSE(0b11);

  private static final StunClass[] BY_BITS = values();

  private final int bits;

  StunClass(int bits) {
    this.bits = bits;
  }

  /**
   * Returns the two class bits, C1 in bit 1 and C0 in bit 0.
   *
   * @return a value 0 to 3
   */
  public int bits() {
    return bits;
  }

  /**
   * Returns the class for two class bits.
   *
   * @param bits C1 in bit 1, C0 in bit 0; other bits are ignored
   * @return the class, never null
   */
  public static StunClass fromBits(int bits) {
    // Declaration order equals bit order, so the ordinal is the bit value.
    return BY_BITS[bits & 0b11];
  }
}
