package io.github.jpeer.stun;

import java.util.Arrays;

/**
 * One STUN attribute as it is on the wire: a 16-bit type and its value, without padding.
 *
 * <p>{@link StunMessage} decodes the attributes it understands through typed accessors; this raw
 * form serves the others (kept so a message survives a decode and encode unchanged) and generic
 * code such as logging.
 *
 * @param type the 16-bit attribute type, see {@link StunAttributeType}
 * @param value the value bytes, copied on the way in and out
 */
public record StunAttribute(int type, byte[] value) {

  /**
   * Creates an attribute, copying the value.
   *
   * @param type the 16-bit attribute type
   * @param value the value, at most 65535 bytes
   * @throws IllegalArgumentException if the type or the value length does not fit 16 bits
   */
  public StunAttribute {
    if (type < 0 || type > 0xFFFF) {
      throw new IllegalArgumentException("attribute type must be 0..0xFFFF, got " + type);
    }
    if (value.length > 0xFFFF) {
      throw new IllegalArgumentException(
          "attribute value must be at most 65535 bytes, got " + value.length);
    }
    value = value.clone();
  }

  /**
   * Returns a copy of the value bytes.
   *
   * @return a new array
   */
  @Override
  public byte[] value() {
    return value.clone();
  }

  /**
   * Tells whether a receiver must understand this attribute (type below 0x8000).
   *
   * @return true if comprehension-required
   */
  public boolean isComprehensionRequired() {
    return StunAttributeType.isComprehensionRequired(type);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StunAttribute
        && ((StunAttribute) o).type == type
        && Arrays.equals(((StunAttribute) o).value, value);
  }

  @Override
  public int hashCode() {
    return 31 * type + Arrays.hashCode(value);
  }

  /**
   * Returns the type name and value length; never the value, which may be a credential.
   *
   * @return a short description
   */
  @Override
  public String toString() {
    return StunAttributeType.name(type) + "(" + value.length + " bytes)";
  }
}
