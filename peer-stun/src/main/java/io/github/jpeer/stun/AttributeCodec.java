package io.github.jpeer.stun;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;

/** Value encodings of the typed attributes; the message framing lives in {@link StunMessage}. */
final class AttributeCodec {
  private AttributeCodec() {}

  static final int FAMILY_IPV4 = 0x01;
  static final int FAMILY_IPV6 = 0x02;

  /**
   * Checks the value of an understood attribute; returns null when it is well formed, else the
   * reason. Types this package does not understand are always accepted.
   */
  static String invalidReason(int type, byte[] b, int valueOff, int len) {
    switch (type) {
      case StunAttributeType.MAPPED_ADDRESS:
      case StunAttributeType.XOR_MAPPED_ADDRESS:
      case StunAttributeType.XOR_PEER_ADDRESS:
      case StunAttributeType.XOR_RELAYED_ADDRESS:
        if (len == 8 && Bytes.u8(b, valueOff + 1) == FAMILY_IPV4) {
          return null;
        }
        if (len == 20 && Bytes.u8(b, valueOff + 1) == FAMILY_IPV6) {
          return null;
        }
        return "address attribute is neither an 8-byte IPv4 nor a 20-byte IPv6 value";
      case StunAttributeType.ERROR_CODE:
        if (len < 4) {
          return "ERROR-CODE shorter than 4 bytes";
        }
        int errorClass = Bytes.u8(b, valueOff + 2) & 0x07;
        int number = Bytes.u8(b, valueOff + 3);
        if (errorClass < 3 || errorClass > 6 || number > 99) {
          return "ERROR-CODE class must be 3..6 and number 0..99";
        }
        return null;
      case StunAttributeType.UNKNOWN_ATTRIBUTES:
        return (len & 1) == 0 ? null : "UNKNOWN-ATTRIBUTES length is odd";
      case StunAttributeType.CHANNEL_NUMBER:
      case StunAttributeType.LIFETIME:
      case StunAttributeType.REQUESTED_TRANSPORT:
      case StunAttributeType.PRIORITY:
      case StunAttributeType.FINGERPRINT:
        return len == 4 ? null : StunAttributeType.name(type) + " is not 4 bytes";
      case StunAttributeType.USE_CANDIDATE:
        return len == 0 ? null : "USE-CANDIDATE is not empty";
      case StunAttributeType.ICE_CONTROLLED:
      case StunAttributeType.ICE_CONTROLLING:
        return len == 8 ? null : StunAttributeType.name(type) + " is not 8 bytes";
      case StunAttributeType.MESSAGE_INTEGRITY:
        return len == 20 ? null : "MESSAGE-INTEGRITY is not 20 bytes";
      case StunAttributeType.MESSAGE_INTEGRITY_SHA256:
        // RFC 8489 section 14.6: truncation to 16..32 bytes, in steps of 4.
        return len >= 16 && len <= 32 && (len & 3) == 0
            ? null
            : "MESSAGE-INTEGRITY-SHA256 is not 16..32 bytes in steps of 4";
      default:
        return null;
    }
  }

  /*
   * MAPPED-ADDRESS and XOR-MAPPED-ADDRESS (RFC 8489 sections 14.1 and 14.2); XOR-PEER-ADDRESS
   * and XOR-RELAYED-ADDRESS (RFC 8656) share the XOR form. X-Port is the port XOR the top 16
   * bits of the magic cookie; X-Address is the address XOR the cookie (IPv4) or XOR the cookie
   * followed by the transaction id (IPv6).
   *
   *   0                   1                   2                   3
   *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
   *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   *  |0 0 0 0 0 0 0 0|    Family     |         X-Port                |
   *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   *  |                X-Address (Variable)
   *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   */

  /**
   * Decodes a validated address value. {@code header} holds the message header at offset 0 (the
   * cookie and transaction id are the XOR pad).
   */
  static InetSocketAddress readAddress(byte[] header, byte[] b, int valueOff, boolean xor) {
    boolean v4 = Bytes.u8(b, valueOff + 1) == FAMILY_IPV4;
    int port = Bytes.u16(b, valueOff + 2);
    byte[] addr = new byte[v4 ? 4 : 16];
    System.arraycopy(b, valueOff + 4, addr, 0, addr.length);
    if (xor) {
      port ^= StunMessage.MAGIC_COOKIE >>> 16;
      for (int i = 0; i < addr.length; i++) {
        addr[i] ^= header[4 + i];
      }
    }
    try {
      // Never a name lookup: getByAddress only wraps the bytes. Inet6Address is forced for
      // family 2 so that an IPv4-mapped IPv6 address keeps its family through a round trip.
      InetAddress ia =
          v4 ? InetAddress.getByAddress(addr) : Inet6Address.getByAddress(null, addr, -1);
      return new InetSocketAddress(ia, port);
    } catch (UnknownHostException e) {
      // Only thrown for a wrong array length, which the validation above excludes.
      throw new IllegalStateException(e);
    }
  }

  /** Encodes an address value; {@code cookieAndTransaction} is the 16-byte XOR pad. */
  static byte[] writeAddress(InetSocketAddress address, boolean xor, byte[] cookieAndTransaction) {
    InetAddress ia = address.getAddress();
    if (ia == null) {
      throw new IllegalArgumentException(
          "address " + address + " is unresolved; resolve it before putting it in a STUN message");
    }
    byte[] addr = ia.getAddress();
    byte[] out = new byte[4 + addr.length];
    out[1] = (byte) (ia instanceof Inet4Address ? FAMILY_IPV4 : FAMILY_IPV6);
    int port = address.getPort();
    if (xor) {
      port ^= StunMessage.MAGIC_COOKIE >>> 16;
      for (int i = 0; i < addr.length; i++) {
        addr[i] ^= cookieAndTransaction[i];
      }
    }
    Bytes.put16(out, 2, port);
    System.arraycopy(addr, 0, out, 4, addr.length);
    return out;
  }

  /*
   * ERROR-CODE (RFC 8489 section 14.8):
   *
   *   0                   1                   2                   3
   *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
   *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   *  |           Reserved, should be 0         |Class|     Number    |
   *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   *  |      Reason Phrase (variable)                                ..
   *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   */

  /** Decodes a validated ERROR-CODE value. */
  static ErrorCode readErrorCode(byte[] b, int valueOff, int len) {
    int code = (Bytes.u8(b, valueOff + 2) & 0x07) * 100 + Bytes.u8(b, valueOff + 3);
    return new ErrorCode(code, new String(b, valueOff + 4, len - 4, StandardCharsets.UTF_8));
  }

  /** Encodes an ERROR-CODE value. */
  static byte[] writeErrorCode(ErrorCode error) {
    byte[] reason = error.reason().getBytes(StandardCharsets.UTF_8);
    if (reason.length > 763) {
      throw new IllegalArgumentException(
          "ERROR-CODE reason must be at most 763 UTF-8 bytes, got " + reason.length);
    }
    byte[] out = new byte[4 + reason.length];
    out[2] = (byte) error.errorClass();
    out[3] = (byte) error.number();
    System.arraycopy(reason, 0, out, 4, reason.length);
    return out;
  }
}
