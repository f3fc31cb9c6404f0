package io.github.jpeer.sctp;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * One type-length-value field: an INIT/INIT-ACK parameter, a RE-CONFIG parameter or an error cause
 * (RFC 9260 section 3.2.1 and 3.3.10 share this layout).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |        Parameter Type         |       Parameter Length        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * \                                                               \
 * /                       Parameter Value                         /
 * \                                                               \
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * @param type the 16-bit type (or cause code)
 * @param value the value without header or padding; copied in and out
 */
public record Parameter(int type, byte[] value) {
  /** State Cookie (RFC 9260 section 3.3.3.1). */
  public static final int STATE_COOKIE = 7;

  /** Heartbeat Info (RFC 9260 section 3.3.5). */
  public static final int HEARTBEAT_INFO = 1;

  /** Forward-TSN-Supported (RFC 3758 section 3.1). */
  public static final int FORWARD_TSN_SUPPORTED = 0xC000;

  /** Supported Extensions (RFC 5061 section 4.2.7). */
  public static final int SUPPORTED_EXTENSIONS = 0x8008;

  /** Zero Checksum Acceptable (RFC 9653 section 5). */
  public static final int ZERO_CHECKSUM_ACCEPTABLE = 0x8001;

  /** Outgoing SSN Reset Request (RFC 6525 section 4.1). */
  public static final int OUTGOING_SSN_RESET_REQUEST = 13;

  /** Re-configuration Response (RFC 6525 section 4.4). */
  public static final int RECONFIG_RESPONSE = 16;

  /** Validates the type and copies the value. */
  public Parameter {
    if (type < 0 || type > 0xFFFF) {
      throw new IllegalArgumentException("parameter type must fit 16 bits, got " + type);
    }
    if (value.length > 0xFFFF - 4) {
      throw new IllegalArgumentException("parameter value too long: " + value.length + " bytes");
    }
    value = value.clone();
  }

  /** A copy of the value. */
  @Override
  public byte[] value() {
    return value.clone();
  }

  int length() {
    return value.length;
  }

  void copyValue(byte[] dst, int off) {
    System.arraycopy(value, 0, dst, off, value.length);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Parameter p && p.type == type && Arrays.equals(p.value, value);
  }

  @Override
  public int hashCode() {
    return type * 31 + Arrays.hashCode(value);
  }

  @Override
  public String toString() {
    return "Parameter[type=" + type + ", value=" + HexFormat.of().formatHex(value) + "]";
  }
}
