package io.github.jpeer.stun;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * An immutable STUN message (RFC 8489), with the TURN (RFC 8656) and ICE (RFC 8445) attributes.
 *
 * <p><b>Decoding.</b> {@link #decode(byte[], int, int)} checks the framing and the value of every
 * attribute it understands, copies the bytes once and returns a message whose typed accessors
 * ({@link #xorMappedAddress()}, {@link #priority()}, {@link #username()}, {@link #errorCode()},
 * ...) cannot fail; an absent attribute is {@code null}, an empty optional or {@code false}. When
 * an attribute appears twice the accessors return the first. Malformed bytes raise {@link
 * StunParseException} (unchecked, no stack trace) and nothing else. Attributes this package does
 * not understand are kept and skipped; the comprehension-required ones are listed by {@link
 * #unknownComprehensionRequired()} so that a server can answer 420. As RFC 8489 section 14.5 says,
 * attributes after MESSAGE-INTEGRITY are ignored (not listed), except MESSAGE-INTEGRITY-SHA256 and
 * FINGERPRINT; anything after FINGERPRINT is rejected.
 *
 * <p><b>Verifying.</b> A decoded message keeps its received bytes, so {@link #verify(byte[],
 * boolean)} checks FINGERPRINT and MESSAGE-INTEGRITY(-SHA256) over exactly what arrived, with the
 * length-field adjustment of RFC 8489 sections 14.5 to 14.7, comparing MACs in constant time.
 *
 * <p><b>Encoding.</b> {@link #builder(StunClass, StunMethod, TransactionId)} returns a {@link
 * Builder}; it appends MESSAGE-INTEGRITY, MESSAGE-INTEGRITY-SHA256 and FINGERPRINT last, in that
 * order, whatever order they were asked for in, and writes into a caller's array or buffer or a new
 * array.
 *
 * <p>Instances are immutable and safe to share between threads.
 */
public final class StunMessage {

  /** Length of the STUN header in bytes. */
  public static final int HEADER_LENGTH = 20;

  /** The magic cookie, 0x2112A442, in bytes 4 to 7 of every RFC 5389/8489 message. */
  public static final int MAGIC_COOKIE = 0x2112A442;

  /** Largest message: a 16-bit length that is a multiple of 4, plus the header. */
  public static final int MAX_LENGTH = HEADER_LENGTH + 0xFFFC;

  private static final int NOT_PRESENT = -1;

  /** The whole message as received or encoded, starting at index 0. */
  private final byte[] raw;

  private final int messageType;
  private final TransactionId transactionId;
  private final int attributeCount;
  private final int[] attributeTypes;
  private final int[] valueOffsets;
  private final int[] valueLengths;

  /** Offsets of the attribute headers, or NOT_PRESENT. */
  private final int integrityOffset;

  private final int integritySha256Offset;
  private final int fingerprintOffset;
  private final int[] unknownRequired;

  private StunMessage(
      byte[] raw,
      int attributeCount,
      int[] attributeTypes,
      int[] valueOffsets,
      int[] valueLengths,
      int integrityOffset,
      int integritySha256Offset,
      int fingerprintOffset,
      int[] unknownRequired) {
    this.raw = raw;
    this.messageType = Bytes.u16(raw, 0);
    this.transactionId = TransactionId.read(raw, 8);
    this.attributeCount = attributeCount;
    this.attributeTypes = attributeTypes;
    this.valueOffsets = valueOffsets;
    this.valueLengths = valueLengths;
    this.integrityOffset = integrityOffset;
    this.integritySha256Offset = integritySha256Offset;
    this.fingerprintOffset = fingerprintOffset;
    this.unknownRequired = unknownRequired;
  }

  // ---------------------------------------------------------------------------------------
  // Recognising and decoding

  /*
   * The STUN header (RFC 8489 section 5), then the attributes:
   *
   *   0                   1                   2                   3
   *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
   *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   *  |0 0|     STUN Message Type     |         Message Length        |
   *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   *  |                         Magic Cookie                          |
   *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   *  |                                                               |
   *  |                     Transaction ID (96 bits)                  |
   *  |                                                               |
   *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   *
   * The message type interleaves the class bits C1 C0 with the 12 method bits:
   *
   *                        0                 1
   *                        2  3  4 5 6 7 8 9 0 1 2 3 4 5
   *                       +--+--+-+-+-+-+-+-+-+-+-+-+-+-+
   *                       |M |M |M|M|M|C|M|M|M|C|M|M|M|M|
   *                       |11|10|9|8|7|1|6|5|4|0|3|2|1|0|
   *                       +--+--+-+-+-+-+-+-+-+-+-+-+-+-+
   *
   * Each attribute is a TLV padded to a multiple of 4 bytes; Length excludes the padding:
   *
   *   0                   1                   2                   3
   *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
   *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   *  |         Type                  |            Length             |
   *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   *  |                         Value (variable)                ....
   *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   */

  /**
   * Tells cheaply whether bytes look like one whole STUN message: at least 20 bytes, the first two
   * bits zero, the magic cookie, a length field that is a multiple of 4 and equals the number of
   * bytes after the header. Allocates nothing; never throws for any content.
   *
   * @param buf the buffer
   * @param off offset of the first byte
   * @param len number of bytes of the datagram
   * @return true if the header is consistent with a STUN message of exactly {@code len} bytes
   * @throws IndexOutOfBoundsException if {@code off} and {@code len} do not fit {@code buf}
   */
  public static boolean isStun(byte[] buf, int off, int len) {
    Objects.checkFromIndexSize(off, len, buf.length);
    if (len < HEADER_LENGTH || (buf[off] & 0xC0) != 0) {
      return false;
    }
    int messageLength = Bytes.u16(buf, off + 2);
    return Bytes.u32(buf, off + 4) == MAGIC_COOKIE
        && (messageLength & 3) == 0
        && HEADER_LENGTH + messageLength == len;
  }

  /**
   * Like {@link #isStun(byte[], int, int)} for the bytes between a buffer's position and limit;
   * uses absolute reads and leaves position and limit alone.
   *
   * @param buf the buffer
   * @return true if the bytes are consistent with a STUN message
   */
  public static boolean isStun(ByteBuffer buf) {
    int off = buf.position();
    int len = buf.remaining();
    if (len < HEADER_LENGTH || (buf.get(off) & 0xC0) != 0) {
      return false;
    }
    int messageLength = Short.toUnsignedInt(buf.getShort(off + 2));
    return buf.getInt(off + 4) == MAGIC_COOKIE
        && (messageLength & 3) == 0
        && HEADER_LENGTH + messageLength == len;
  }

  /**
   * Decodes a whole array as one STUN message.
   *
   * @param message the bytes
   * @return the message
   * @throws StunParseException if the bytes are not a well-formed STUN message
   */
  public static StunMessage decode(byte[] message) {
    return decode(message, 0, message.length);
  }

  /**
   * Decodes the bytes between a buffer's position and limit as one STUN message. Uses absolute
   * reads: the position and limit do not move.
   *
   * @param buf the buffer
   * @return the message
   * @throws StunParseException if the bytes are not a well-formed STUN message
   */
  public static StunMessage decode(ByteBuffer buf) {
    if (buf.hasArray()) {
      return decode(buf.array(), buf.arrayOffset() + buf.position(), buf.remaining());
    }
    byte[] copy = new byte[buf.remaining()];
    buf.get(buf.position(), copy);
    return decode(copy, 0, copy.length);
  }

  /**
   * Decodes {@code len} bytes as one STUN message (one UDP datagram, or one message cut from a TCP
   * stream). The bytes are copied; the caller may reuse {@code buf} at once.
   *
   * @param buf the buffer
   * @param off offset of the first byte of the message
   * @param len the exact length of the message
   * @return the message
   * @throws StunParseException if the bytes are not a well-formed STUN message; never any other
   *     exception for any content
   * @throws IndexOutOfBoundsException if {@code off} and {@code len} do not fit {@code buf} (API
   *     misuse, not bad input)
   */
  public static StunMessage decode(byte[] buf, int off, int len) {
    Objects.checkFromIndexSize(off, len, buf.length);
    if (len < HEADER_LENGTH) {
      throw new StunParseException("shorter than the 20-byte header: " + len + " bytes", 0);
    }
    if ((buf[off] & 0xC0) != 0) {
      throw new StunParseException("the first two bits are not zero", 0);
    }
    if (Bytes.u32(buf, off + 4) != MAGIC_COOKIE) {
      throw new StunParseException("no magic cookie", 4);
    }
    int messageLength = Bytes.u16(buf, off + 2);
    if ((messageLength & 3) != 0) {
      throw new StunParseException("length " + messageLength + " is not a multiple of 4", 2);
    }
    if (HEADER_LENGTH + messageLength != len) {
      throw new StunParseException(
          "length field says "
              + messageLength
              + " bytes but "
              + (len - HEADER_LENGTH)
              + " follow the header",
          2);
    }
    return parse(Arrays.copyOfRange(buf, off, off + len));
  }

  /** Indexes the attributes of a message whose header is already checked; {@code raw} is kept. */
  private static StunMessage parse(byte[] raw) {
    int end = raw.length;
    int count = 0;
    int[] types = new int[8];
    int[] offsets = new int[8];
    int[] lengths = new int[8];
    int[] unknown = new int[0];
    int integrity = NOT_PRESENT;
    int integritySha256 = NOT_PRESENT;
    int fingerprint = NOT_PRESENT;
    int pos = HEADER_LENGTH;
    while (pos < end) {
      // The header check made end - pos a multiple of 4, so a whole attribute header fits.
      int type = Bytes.u16(raw, pos);
      int length = Bytes.u16(raw, pos + 2);
      int valueOff = pos + 4;
      if (Bytes.pad4(length) > end - valueOff) {
        throw new StunParseException(
            StunAttributeType.name(type) + " of " + length + " bytes runs past the message end",
            pos);
      }
      if (fingerprint != NOT_PRESENT) {
        throw new StunParseException("attribute after FINGERPRINT", pos);
      }
      boolean keep;
      if (type == StunAttributeType.FINGERPRINT) {
        keep = true;
        fingerprint = pos;
      } else if (integritySha256 != NOT_PRESENT) {
        keep = false;
      } else if (type == StunAttributeType.MESSAGE_INTEGRITY_SHA256) {
        keep = true;
        integritySha256 = pos;
      } else if (integrity != NOT_PRESENT) {
        // RFC 8489 section 14.5: ignore what follows MESSAGE-INTEGRITY, bar the two above.
        keep = false;
      } else {
        keep = true;
        if (type == StunAttributeType.MESSAGE_INTEGRITY) {
          integrity = pos;
        }
      }
      if (keep) {
        String invalid = AttributeCodec.invalidReason(type, raw, valueOff, length);
        if (invalid != null) {
          throw new StunParseException(invalid, pos);
        }
        if (count == types.length) {
          types = Arrays.copyOf(types, count * 2);
          offsets = Arrays.copyOf(offsets, count * 2);
          lengths = Arrays.copyOf(lengths, count * 2);
        }
        types[count] = type;
        offsets[count] = valueOff;
        lengths[count] = length;
        count++;
        if (StunAttributeType.isComprehensionRequired(type)
            && !StunAttributeType.isUnderstood(type)) {
          unknown = Arrays.copyOf(unknown, unknown.length + 1);
          unknown[unknown.length - 1] = type;
        }
      }
      pos = valueOff + Bytes.pad4(length);
    }
    return new StunMessage(
        raw, count, types, offsets, lengths, integrity, integritySha256, fingerprint, unknown);
  }

  // ---------------------------------------------------------------------------------------
  // Header

  /**
   * Returns the message class.
   *
   * @return the class, never null
   */
  public StunClass messageClass() {
    return StunClass.fromBits(((messageType >>> 7) & 0b10) | ((messageType >>> 4) & 0b01));
  }

  /**
   * Returns the method, or null when the 12-bit code is not one of {@link StunMethod}.
   *
   * @return the method or null
   */
  public StunMethod method() {
    return StunMethod.fromCode(methodCode());
  }

  /**
   * Returns the 12-bit method code, also for methods {@link StunMethod} does not list.
   *
   * @return the code, 0x000 to 0xFFF
   */
  public int methodCode() {
    return (messageType & 0x000F) | ((messageType >>> 1) & 0x0070) | ((messageType >>> 2) & 0x0F80);
  }

  /**
   * Tells whether the message has a class and method.
   *
   * @param messageClass the class
   * @param method the method
   * @return true if both match
   */
  public boolean is(StunClass messageClass, StunMethod method) {
    return messageClass() == messageClass && methodCode() == method.code();
  }

  /**
   * Returns the transaction id.
   *
   * @return the id
   */
  public TransactionId transactionId() {
    return transactionId;
  }

  // ---------------------------------------------------------------------------------------
  // Attributes

  /**
   * Returns the attributes in wire order, including the ones this package does not understand,
   * MESSAGE-INTEGRITY(-SHA256) and FINGERPRINT, but not those ignored after MESSAGE-INTEGRITY.
   *
   * @return an unmodifiable list of copies
   */
  public List<StunAttribute> attributes() {
    List<StunAttribute> out = new ArrayList<>(attributeCount);
    for (int i = 0; i < attributeCount; i++) {
      out.add(new StunAttribute(attributeTypes[i], valueCopy(i)));
    }
    return Collections.unmodifiableList(out);
  }

  /**
   * Tells whether an attribute of a type is present.
   *
   * @param type the attribute type
   * @return true if present
   */
  public boolean has(int type) {
    return find(type) >= 0;
  }

  /**
   * Returns the value of the first attribute of a type.
   *
   * @param type the attribute type
   * @return a copy of the value, or null if absent
   */
  public byte[] attribute(int type) {
    int i = find(type);
    return i < 0 ? null : valueCopy(i);
  }

  /**
   * Returns the comprehension-required attribute types (below 0x8000) present in the message that
   * this package does not understand, in wire order. A server answers a request that has any with a
   * 420 error listing them in UNKNOWN-ATTRIBUTES; a client treats such a response as failed (RFC
   * 8489 sections 6.3.1 and 7.3.3).
   *
   * @return a copy, empty if there are none
   */
  public int[] unknownComprehensionRequired() {
    return unknownRequired.clone();
  }

  /**
   * Returns MAPPED-ADDRESS.
   *
   * @return the address, or null if absent
   */
  public InetSocketAddress mappedAddress() {
    return address(StunAttributeType.MAPPED_ADDRESS, false);
  }

  /**
   * Returns XOR-MAPPED-ADDRESS, the reflexive address a Binding response reports.
   *
   * @return the address, or null if absent
   */
  public InetSocketAddress xorMappedAddress() {
    return address(StunAttributeType.XOR_MAPPED_ADDRESS, true);
  }

  /**
   * Returns the first XOR-PEER-ADDRESS (TURN).
   *
   * @return the address, or null if absent
   */
  public InetSocketAddress xorPeerAddress() {
    return address(StunAttributeType.XOR_PEER_ADDRESS, true);
  }

  /**
   * Returns every XOR-PEER-ADDRESS, as a CreatePermission request may carry several.
   *
   * @return the addresses in wire order, possibly empty
   */
  public List<InetSocketAddress> xorPeerAddresses() {
    List<InetSocketAddress> out = new ArrayList<>(1);
    for (int i = 0; i < attributeCount; i++) {
      if (attributeTypes[i] == StunAttributeType.XOR_PEER_ADDRESS) {
        out.add(AttributeCodec.readAddress(raw, raw, valueOffsets[i], true));
      }
    }
    return out;
  }

  /**
   * Returns XOR-RELAYED-ADDRESS, the relayed address of a TURN allocation.
   *
   * @return the address, or null if absent
   */
  public InetSocketAddress xorRelayedAddress() {
    return address(StunAttributeType.XOR_RELAYED_ADDRESS, true);
  }

  /**
   * Returns USERNAME decoded as UTF-8 (for ICE, "remoteUfrag:localUfrag").
   *
   * @return the username, or null if absent
   */
  public String username() {
    return string(StunAttributeType.USERNAME);
  }

  /**
   * Returns REALM decoded as UTF-8.
   *
   * @return the realm, or null if absent
   */
  public String realm() {
    return string(StunAttributeType.REALM);
  }

  /**
   * Returns NONCE decoded as UTF-8 (nonces are ASCII on the wire).
   *
   * @return the nonce, or null if absent
   */
  public String nonce() {
    return string(StunAttributeType.NONCE);
  }

  /**
   * Returns SOFTWARE decoded as UTF-8.
   *
   * @return the software description, or null if absent
   */
  public String software() {
    return string(StunAttributeType.SOFTWARE);
  }

  /**
   * Returns ERROR-CODE.
   *
   * @return the code and reason, or null if absent
   */
  public ErrorCode errorCode() {
    int i = find(StunAttributeType.ERROR_CODE);
    return i < 0 ? null : AttributeCodec.readErrorCode(raw, valueOffsets[i], valueLengths[i]);
  }

  /**
   * Returns the attribute types listed by UNKNOWN-ATTRIBUTES (in a 420 response).
   *
   * @return the types, or null if the attribute is absent
   */
  public int[] unknownAttributes() {
    int i = find(StunAttributeType.UNKNOWN_ATTRIBUTES);
    if (i < 0) {
      return null;
    }
    int[] out = new int[valueLengths[i] / 2];
    for (int k = 0; k < out.length; k++) {
      out[k] = Bytes.u16(raw, valueOffsets[i] + 2 * k);
    }
    return out;
  }

  /**
   * Returns LIFETIME (TURN), in seconds.
   *
   * @return the unsigned 32-bit lifetime, or empty if absent
   */
  public OptionalLong lifetimeSeconds() {
    return u32(StunAttributeType.LIFETIME);
  }

  /**
   * Returns the protocol number of REQUESTED-TRANSPORT (17 for UDP).
   *
   * @return the protocol, 0 to 255, or empty if absent
   */
  public OptionalInt requestedTransport() {
    int i = find(StunAttributeType.REQUESTED_TRANSPORT);
    return i < 0 ? OptionalInt.empty() : OptionalInt.of(Bytes.u8(raw, valueOffsets[i]));
  }

  /**
   * Returns CHANNEL-NUMBER (TURN), the first 16 bits of the value.
   *
   * @return the channel number, or empty if absent
   */
  public OptionalInt channelNumber() {
    int i = find(StunAttributeType.CHANNEL_NUMBER);
    return i < 0 ? OptionalInt.empty() : OptionalInt.of(Bytes.u16(raw, valueOffsets[i]));
  }

  /**
   * Returns DATA (TURN Send and Data indications).
   *
   * @return a copy of the data, or null if absent
   */
  public byte[] data() {
    return attribute(StunAttributeType.DATA);
  }

  /**
   * Returns PRIORITY (ICE).
   *
   * @return the unsigned 32-bit priority, or empty if absent
   */
  public OptionalLong priority() {
    return u32(StunAttributeType.PRIORITY);
  }

  /**
   * Tells whether USE-CANDIDATE (ICE nomination) is present.
   *
   * @return true if present
   */
  public boolean useCandidate() {
    return has(StunAttributeType.USE_CANDIDATE);
  }

  /**
   * Returns the tie-breaker of ICE-CONTROLLED.
   *
   * @return the 64-bit tie-breaker, or empty if absent
   */
  public OptionalLong iceControlled() {
    int i = find(StunAttributeType.ICE_CONTROLLED);
    return i < 0 ? OptionalLong.empty() : OptionalLong.of(Bytes.u64(raw, valueOffsets[i]));
  }

  /**
   * Returns the tie-breaker of ICE-CONTROLLING.
   *
   * @return the 64-bit tie-breaker, or empty if absent
   */
  public OptionalLong iceControlling() {
    int i = find(StunAttributeType.ICE_CONTROLLING);
    return i < 0 ? OptionalLong.empty() : OptionalLong.of(Bytes.u64(raw, valueOffsets[i]));
  }

  /**
   * Tells whether MESSAGE-INTEGRITY (HMAC-SHA1) is present.
   *
   * @return true if present
   */
  public boolean hasMessageIntegrity() {
    return integrityOffset != NOT_PRESENT;
  }

  /**
   * Tells whether MESSAGE-INTEGRITY-SHA256 is present.
   *
   * @return true if present
   */
  public boolean hasMessageIntegritySha256() {
    return integritySha256Offset != NOT_PRESENT;
  }

  /**
   * Tells whether FINGERPRINT is present.
   *
   * @return true if present
   */
  public boolean hasFingerprint() {
    return fingerprintOffset != NOT_PRESENT;
  }

  // ---------------------------------------------------------------------------------------
  // Verification

  /**
   * Checks FINGERPRINT against the CRC-32 of the message bytes before it, XOR 0x5354554e (RFC 8489
   * section 14.7).
   *
   * @return {@link StunVerification#OK}, {@link StunVerification#NO_FINGERPRINT} or {@link
   *     StunVerification#BAD_FINGERPRINT}
   */
  public StunVerification verifyFingerprint() {
    if (fingerprintOffset == NOT_PRESENT) {
      return StunVerification.NO_FINGERPRINT;
    }
    // FINGERPRINT is last, so the length field as received is already the one it covers.
    int expected = Integrity.fingerprint(raw, 0, fingerprintOffset);
    return expected == Bytes.u32(raw, fingerprintOffset + 4)
        ? StunVerification.OK
        : StunVerification.BAD_FINGERPRINT;
  }

  /**
   * Checks MESSAGE-INTEGRITY and MESSAGE-INTEGRITY-SHA256 (whichever are present; both must match
   * when both are) against a key, over the received bytes with the length field set as RFC 8489
   * sections 14.5 and 14.6 say. MACs are compared in constant time.
   *
   * @param key the key from {@link StunCredentials}, not empty
   * @return {@link StunVerification#OK}, {@link StunVerification#NO_INTEGRITY} or {@link
   *     StunVerification#BAD_INTEGRITY}
   * @throws IllegalArgumentException if the key is empty
   */
  public StunVerification verifyIntegrity(byte[] key) {
    Objects.requireNonNull(key, "key");
    if (integrityOffset == NOT_PRESENT && integritySha256Offset == NOT_PRESENT) {
      return StunVerification.NO_INTEGRITY;
    }
    boolean ok = true;
    if (integrityOffset != NOT_PRESENT) {
      ok &= macMatches(Integrity.HMAC_SHA1, key, integrityOffset);
    }
    if (integritySha256Offset != NOT_PRESENT) {
      ok &= macMatches(Integrity.HMAC_SHA256, key, integritySha256Offset);
    }
    return ok ? StunVerification.OK : StunVerification.BAD_INTEGRITY;
  }

  /**
   * Checks FINGERPRINT (if present, or fails when required and absent) and then the message
   * integrity. The fingerprint goes first because it is cheap and says whether the bytes are STUN
   * at all.
   *
   * @param key the key from {@link StunCredentials}, not empty
   * @param requireFingerprint whether a missing FINGERPRINT is a failure (ICE always sends one)
   * @return the first failed check, or {@link StunVerification#OK}
   * @throws IllegalArgumentException if the key is empty
   */
  public StunVerification verify(byte[] key, boolean requireFingerprint) {
    StunVerification fingerprint = verifyFingerprint();
    if (fingerprint == StunVerification.BAD_FINGERPRINT
        || (requireFingerprint && fingerprint == StunVerification.NO_FINGERPRINT)) {
      return fingerprint;
    }
    return verifyIntegrity(key);
  }

  private boolean macMatches(String algorithm, byte[] key, int attributeOffset) {
    int length = Bytes.u16(raw, attributeOffset + 2);
    // The length field as if this attribute ended the message (RFC 8489 14.5, 14.6).
    int lengthField = attributeOffset + 4 + length - HEADER_LENGTH;
    byte[] mac = Integrity.hmac(algorithm, key, raw, 0, attributeOffset, lengthField);
    // MESSAGE-INTEGRITY-SHA256 may be truncated; compare the prefix that was sent.
    byte[] expected = length == mac.length ? mac : Arrays.copyOf(mac, length);
    return MessageDigest.isEqual(
        expected, Arrays.copyOfRange(raw, attributeOffset + 4, attributeOffset + 4 + length));
  }

  // ---------------------------------------------------------------------------------------
  // Bytes

  /**
   * Returns the length of the message in bytes, header included.
   *
   * @return the length
   */
  public int length() {
    return raw.length;
  }

  /**
   * Returns the message bytes: those received, or those the builder encoded.
   *
   * @return a new array
   */
  public byte[] toBytes() {
    return raw.clone();
  }

  /**
   * Copies the message bytes into a caller's array.
   *
   * @param dst the destination
   * @param off where the first byte goes
   * @return the number of bytes written, {@link #length()}
   * @throws IllegalArgumentException if {@code dst} has less than {@link #length()} bytes from
   *     {@code off}
   */
  public int writeTo(byte[] dst, int off) {
    if (off < 0 || dst.length - off < raw.length) {
      throw new IllegalArgumentException(
          "destination needs "
              + raw.length
              + " bytes from offset "
              + off
              + ", has "
              + (dst.length - off));
    }
    System.arraycopy(raw, 0, dst, off, raw.length);
    return raw.length;
  }

  /**
   * Returns a builder holding this message's class, method, transaction id and attributes, except
   * MESSAGE-INTEGRITY, MESSAGE-INTEGRITY-SHA256 and FINGERPRINT, which are computed: call {@link
   * Builder#messageIntegrity(byte[])} and {@link Builder#fingerprint()} again to re-sign. Encoding
   * the result gives the canonical form (zero padding).
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    Builder b = new Builder(messageClass(), methodCode(), transactionId);
    for (int i = 0; i < attributeCount; i++) {
      int type = attributeTypes[i];
      if (type != StunAttributeType.MESSAGE_INTEGRITY
          && type != StunAttributeType.MESSAGE_INTEGRITY_SHA256
          && type != StunAttributeType.FINGERPRINT) {
        b.add(type, valueCopy(i));
      }
    }
    return b;
  }

  /**
   * Starts a success response to this request: same method and transaction id.
   *
   * @return a new builder
   */
  public Builder successResponseBuilder() {
    return new Builder(StunClass.SUCCESS_RESPONSE, methodCode(), transactionId);
  }

  /**
   * Starts an error response to this request: same method and transaction id, with ERROR-CODE.
   *
   * @param code the error code, 300 to 699 (see the constants of {@link ErrorCode})
   * @param reason the reason phrase
   * @return a new builder
   */
  public Builder errorResponseBuilder(int code, String reason) {
    return new Builder(StunClass.ERROR_RESPONSE, methodCode(), transactionId)
        .errorCode(new ErrorCode(code, reason));
  }

  /**
   * Starts a message.
   *
   * @param messageClass the class
   * @param method the method
   * @param transactionId the transaction id (see {@link TransactionId#random})
   * @return a new builder
   */
  public static Builder builder(
      StunClass messageClass, StunMethod method, TransactionId transactionId) {
    return new Builder(messageClass, method.code(), transactionId);
  }

  /**
   * Starts a message with a method code {@link StunMethod} does not list.
   *
   * @param messageClass the class
   * @param methodCode the 12-bit method code
   * @param transactionId the transaction id
   * @return a new builder
   * @throws IllegalArgumentException if the code does not fit 12 bits
   */
  public static Builder builder(
      StunClass messageClass, int methodCode, TransactionId transactionId) {
    return new Builder(messageClass, methodCode, transactionId);
  }

  // ---------------------------------------------------------------------------------------
  // Object

  /**
   * Compares class, method, transaction id and the attribute list (types and values); padding bytes
   * and ignored attributes do not count.
   */
  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof StunMessage)) {
      return false;
    }
    StunMessage m = (StunMessage) o;
    if (m.messageType != messageType
        || !m.transactionId.equals(transactionId)
        || m.attributeCount != attributeCount) {
      return false;
    }
    for (int i = 0; i < attributeCount; i++) {
      if (m.attributeTypes[i] != attributeTypes[i]
          || !Arrays.equals(
              m.raw,
              m.valueOffsets[i],
              m.valueOffsets[i] + m.valueLengths[i],
              raw,
              valueOffsets[i],
              valueOffsets[i] + valueLengths[i])) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    int h = 31 * messageType + transactionId.hashCode();
    for (int i = 0; i < attributeCount; i++) {
      h = 31 * h + attributeTypes[i];
      h = 31 * h + valueLengths[i];
    }
    return h;
  }

  /**
   * Describes the header and the attribute types and lengths; never a value, since USERNAME and
   * MESSAGE-INTEGRITY relate to credentials.
   */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("StunMessage[");
    StunMethod method = method();
    sb.append(method != null ? method.name() : String.format("0x%03X", methodCode()))
        .append(' ')
        .append(messageClass())
        .append(" tx=")
        .append(transactionId)
        .append(" attributes=[");
    for (int i = 0; i < attributeCount; i++) {
      sb.append(i == 0 ? "" : ", ")
          .append(StunAttributeType.name(attributeTypes[i]))
          .append('(')
          .append(valueLengths[i])
          .append(')');
    }
    return sb.append("]]").toString();
  }

  private int find(int type) {
    for (int i = 0; i < attributeCount; i++) {
      if (attributeTypes[i] == type) {
        return i;
      }
    }
    return -1;
  }

  private byte[] valueCopy(int i) {
    return Arrays.copyOfRange(raw, valueOffsets[i], valueOffsets[i] + valueLengths[i]);
  }

  private InetSocketAddress address(int type, boolean xor) {
    int i = find(type);
    return i < 0 ? null : AttributeCodec.readAddress(raw, raw, valueOffsets[i], xor);
  }

  private String string(int type) {
    int i = find(type);
    return i < 0 ? null : new String(raw, valueOffsets[i], valueLengths[i], StandardCharsets.UTF_8);
  }

  private OptionalLong u32(int type) {
    int i = find(type);
    return i < 0
        ? OptionalLong.empty()
        : OptionalLong.of(Bytes.u32(raw, valueOffsets[i]) & 0xFFFF_FFFFL);
  }

  /** Builds a message from the bytes a {@link Builder} has just encoded. */
  static StunMessage ofEncoded(byte[] encoded) {
    return parse(encoded);
  }

  // =======================================================================================

  /**
   * Collects the attributes of a message and encodes it. Attributes are written in the order they
   * were added; MESSAGE-INTEGRITY, MESSAGE-INTEGRITY-SHA256 and FINGERPRINT, when asked for, always
   * come last and in that order. A builder is not thread-safe and may encode several times.
   */
  public static final class Builder {
    private static final int MAX_USERNAME_BYTES = 508;
    private static final int MAX_TEXT_BYTES = 763;

    private final int messageType;
    private final TransactionId transactionId;

    /** The magic cookie then the transaction id: the XOR pad of the address attributes. */
    private final byte[] xorPad = new byte[16];

    private final List<byte[]> values = new ArrayList<>();
    private int[] types = new int[8];
    private byte[] integrityKey;
    private byte[] integritySha256Key;
    private boolean fingerprint;
    private byte paddingByte;

    Builder(StunClass messageClass, int methodCode, TransactionId transactionId) {
      Objects.requireNonNull(messageClass, "messageClass");
      Objects.requireNonNull(transactionId, "transactionId");
      if (methodCode < 0 || methodCode > 0xFFF) {
        throw new IllegalArgumentException("a STUN method is 12 bits, got " + methodCode);
      }
      int c = messageClass.bits();
      this.messageType =
          (methodCode & 0x000F)
              | ((methodCode & 0x0070) << 1)
              | ((methodCode & 0x0F80) << 2)
              | ((c & 0b01) << 4)
              | ((c & 0b10) << 7);
      this.transactionId = transactionId;
      Bytes.put32(xorPad, 0, MAGIC_COOKIE);
      transactionId.writeTo(xorPad, 4);
    }

    /** Appends a value without checks; the value array is owned by the builder. */
    Builder add(int type, byte[] value) {
      int n = values.size();
      if (n == types.length) {
        types = Arrays.copyOf(types, n * 2);
      }
      types[n] = type;
      values.add(value);
      return this;
    }

    /**
     * Adds MAPPED-ADDRESS.
     *
     * @param address a resolved IPv4 or IPv6 socket address
     * @return this builder
     * @throws IllegalArgumentException if the address is unresolved
     */
    public Builder mappedAddress(InetSocketAddress address) {
      return add(
          StunAttributeType.MAPPED_ADDRESS, AttributeCodec.writeAddress(address, false, xorPad));
    }

    /**
     * Adds XOR-MAPPED-ADDRESS, the address a request came from, in a Binding success response.
     *
     * @param address a resolved IPv4 or IPv6 socket address
     * @return this builder
     * @throws IllegalArgumentException if the address is unresolved
     */
    public Builder xorMappedAddress(InetSocketAddress address) {
      return add(
          StunAttributeType.XOR_MAPPED_ADDRESS, AttributeCodec.writeAddress(address, true, xorPad));
    }

    /**
     * Adds an XOR-PEER-ADDRESS; call again to add several (CreatePermission).
     *
     * @param address a resolved IPv4 or IPv6 socket address
     * @return this builder
     * @throws IllegalArgumentException if the address is unresolved
     */
    public Builder xorPeerAddress(InetSocketAddress address) {
      return add(
          StunAttributeType.XOR_PEER_ADDRESS, AttributeCodec.writeAddress(address, true, xorPad));
    }

    /**
     * Adds XOR-RELAYED-ADDRESS.
     *
     * @param address a resolved IPv4 or IPv6 socket address
     * @return this builder
     * @throws IllegalArgumentException if the address is unresolved
     */
    public Builder xorRelayedAddress(InetSocketAddress address) {
      return add(
          StunAttributeType.XOR_RELAYED_ADDRESS,
          AttributeCodec.writeAddress(address, true, xorPad));
    }

    /**
     * Adds USERNAME.
     *
     * @param username the username, fewer than 509 UTF-8 bytes
     * @return this builder
     * @throws IllegalArgumentException if it is too long
     */
    public Builder username(String username) {
      return add(StunAttributeType.USERNAME, text("USERNAME", username, MAX_USERNAME_BYTES));
    }

    /**
     * Adds REALM.
     *
     * @param realm the realm, at most 763 UTF-8 bytes
     * @return this builder
     * @throws IllegalArgumentException if it is too long
     */
    public Builder realm(String realm) {
      return add(StunAttributeType.REALM, text("REALM", realm, MAX_TEXT_BYTES));
    }

    /**
     * Adds NONCE.
     *
     * @param nonce the nonce as received, at most 763 bytes
     * @return this builder
     * @throws IllegalArgumentException if it is too long
     */
    public Builder nonce(String nonce) {
      return add(StunAttributeType.NONCE, text("NONCE", nonce, MAX_TEXT_BYTES));
    }

    /**
     * Adds SOFTWARE.
     *
     * @param software a description of the sending software, at most 763 UTF-8 bytes
     * @return this builder
     * @throws IllegalArgumentException if it is too long
     */
    public Builder software(String software) {
      return add(StunAttributeType.SOFTWARE, text("SOFTWARE", software, MAX_TEXT_BYTES));
    }

    /**
     * Adds ERROR-CODE.
     *
     * @param error the code and reason
     * @return this builder
     */
    public Builder errorCode(ErrorCode error) {
      return add(StunAttributeType.ERROR_CODE, AttributeCodec.writeErrorCode(error));
    }

    /**
     * Adds UNKNOWN-ATTRIBUTES, listing the types a 420 response did not understand.
     *
     * @param attributeTypes 16-bit attribute types
     * @return this builder
     * @throws IllegalArgumentException if a type does not fit 16 bits
     */
    public Builder unknownAttributes(int... attributeTypes) {
      byte[] value = new byte[2 * attributeTypes.length];
      for (int i = 0; i < attributeTypes.length; i++) {
        if (attributeTypes[i] < 0 || attributeTypes[i] > 0xFFFF) {
          throw new IllegalArgumentException(
              "attribute types are 16 bits, got " + attributeTypes[i]);
        }
        Bytes.put16(value, 2 * i, attributeTypes[i]);
      }
      return add(StunAttributeType.UNKNOWN_ATTRIBUTES, value);
    }

    /**
     * Adds LIFETIME (TURN).
     *
     * @param seconds 0 to 2^32-1
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder lifetimeSeconds(long seconds) {
      return add(StunAttributeType.LIFETIME, u32("LIFETIME", seconds));
    }

    /**
     * Adds REQUESTED-TRANSPORT (TURN), the protocol number then three reserved zero bytes.
     *
     * @param protocol the IP protocol number, 17 for UDP
     * @return this builder
     * @throws IllegalArgumentException if not 0 to 255
     */
    public Builder requestedTransport(int protocol) {
      if (protocol < 0 || protocol > 255) {
        throw new IllegalArgumentException("a protocol number is 0..255, got " + protocol);
      }
      return add(StunAttributeType.REQUESTED_TRANSPORT, new byte[] {(byte) protocol, 0, 0, 0});
    }

    /**
     * Adds DATA (TURN Send indication).
     *
     * @param data the application data, copied
     * @return this builder
     */
    public Builder data(byte[] data) {
      return data(data, 0, data.length);
    }

    /**
     * Adds DATA from a slice of an array.
     *
     * @param data the array
     * @param off offset of the first byte
     * @param len number of bytes
     * @return this builder
     */
    public Builder data(byte[] data, int off, int len) {
      Objects.checkFromIndexSize(off, len, data.length);
      return add(StunAttributeType.DATA, Arrays.copyOfRange(data, off, off + len));
    }

    /**
     * Adds CHANNEL-NUMBER (TURN ChannelBind), the number then two reserved zero bytes.
     *
     * @param channelNumber 0x4000 to 0x4FFF
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder channelNumber(int channelNumber) {
      if (!ChannelData.isValidChannelNumber(channelNumber)) {
        throw new IllegalArgumentException(
            "TURN channel numbers are 0x4000..0x4FFF, got 0x" + Integer.toHexString(channelNumber));
      }
      byte[] value = new byte[4];
      Bytes.put16(value, 0, channelNumber);
      return add(StunAttributeType.CHANNEL_NUMBER, value);
    }

    /**
     * Adds PRIORITY (ICE).
     *
     * @param priority the candidate priority, 0 to 2^32-1
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder priority(long priority) {
      return add(StunAttributeType.PRIORITY, u32("PRIORITY", priority));
    }

    /**
     * Adds USE-CANDIDATE (ICE nomination).
     *
     * @return this builder
     */
    public Builder useCandidate() {
      return add(StunAttributeType.USE_CANDIDATE, new byte[0]);
    }

    /**
     * Adds ICE-CONTROLLED with a tie-breaker.
     *
     * @param tieBreaker the agent's 64-bit tie-breaker
     * @return this builder
     */
    public Builder iceControlled(long tieBreaker) {
      return add(StunAttributeType.ICE_CONTROLLED, u64(tieBreaker));
    }

    /**
     * Adds ICE-CONTROLLING with a tie-breaker.
     *
     * @param tieBreaker the agent's 64-bit tie-breaker
     * @return this builder
     */
    public Builder iceControlling(long tieBreaker) {
      return add(StunAttributeType.ICE_CONTROLLING, u64(tieBreaker));
    }

    /**
     * Adds any attribute as raw bytes, for types without a typed method. Values of understood types
     * are checked as a receiver would check them.
     *
     * @param type the 16-bit type
     * @param value the value without padding, copied
     * @return this builder
     * @throws IllegalArgumentException if the type is MESSAGE-INTEGRITY(-SHA256) or FINGERPRINT
     *     (use the methods that compute them), does not fit 16 bits, or the value is malformed
     */
    public Builder attribute(int type, byte[] value) {
      if (type == StunAttributeType.MESSAGE_INTEGRITY
          || type == StunAttributeType.MESSAGE_INTEGRITY_SHA256
          || type == StunAttributeType.FINGERPRINT) {
        throw new IllegalArgumentException(
            StunAttributeType.name(type)
                + " is computed; call messageIntegrity(key), messageIntegritySha256(key) or"
                + " fingerprint() instead");
      }
      StunAttribute checked = new StunAttribute(type, value);
      String invalid = AttributeCodec.invalidReason(type, value, 0, value.length);
      if (invalid != null) {
        throw new IllegalArgumentException(invalid);
      }
      return add(type, checked.value());
    }

    /**
     * Asks for MESSAGE-INTEGRITY (HMAC-SHA1) computed with a key when encoding.
     *
     * @param key from {@link StunCredentials}, not empty; copied
     * @return this builder
     * @throws IllegalArgumentException if the key is empty
     */
    public Builder messageIntegrity(byte[] key) {
      integrityKey = checkKey(key);
      return this;
    }

    /**
     * Asks for MESSAGE-INTEGRITY-SHA256 (HMAC-SHA256, 32 bytes) computed with a key.
     *
     * @param key from {@link StunCredentials}, not empty; copied
     * @return this builder
     * @throws IllegalArgumentException if the key is empty
     */
    public Builder messageIntegritySha256(byte[] key) {
      integritySha256Key = checkKey(key);
      return this;
    }

    /**
     * Asks for FINGERPRINT as the last attribute.
     *
     * @return this builder
     */
    public Builder fingerprint() {
      fingerprint = true;
      return this;
    }

    /**
     * Sets the byte used to pad attribute values to a multiple of 4. Receivers ignore padding; the
     * default is zero, and another value exists to reproduce test vectors byte for byte.
     *
     * @param value the padding byte, 0 to 255
     * @return this builder
     */
    public Builder paddingByte(int value) {
      if (value < 0 || value > 255) {
        throw new IllegalArgumentException("a padding byte is 0..255, got " + value);
      }
      paddingByte = (byte) value;
      return this;
    }

    /**
     * Returns the length the encoded message will have.
     *
     * @return bytes, header included
     */
    public int encodedLength() {
      long total = HEADER_LENGTH;
      for (byte[] v : values) {
        total += 4 + Bytes.pad4(v.length);
      }
      total += (integrityKey != null ? 24 : 0) + (integritySha256Key != null ? 36 : 0);
      total += fingerprint ? 8 : 0;
      if (total > MAX_LENGTH) {
        throw new IllegalArgumentException(
            "the message would be " + total + " bytes; STUN allows at most " + MAX_LENGTH);
      }
      return (int) total;
    }

    /**
     * Encodes into a new array.
     *
     * @return the message bytes
     */
    public byte[] encode() {
      byte[] out = new byte[encodedLength()];
      encodeInto(out, 0);
      return out;
    }

    /**
     * Encodes into a caller's array.
     *
     * @param dst the destination
     * @param off where the first byte goes
     * @return the number of bytes written
     * @throws IllegalArgumentException if {@code dst} is too small from {@code off}
     */
    public int encodeInto(byte[] dst, int off) {
      int total = encodedLength();
      if (off < 0 || off > dst.length || dst.length - off < total) {
        throw new IllegalArgumentException(
            "destination needs "
                + total
                + " bytes from offset "
                + off
                + ", has "
                + (dst.length - off));
      }
      Bytes.put16(dst, off, messageType);
      Bytes.put32(dst, off + 4, MAGIC_COOKIE);
      transactionId.writeTo(dst, off + 8);
      int p = off + HEADER_LENGTH;
      for (int i = 0; i < values.size(); i++) {
        p = writeAttribute(dst, p, types[i], values.get(i), paddingByte);
      }
      if (integrityKey != null) {
        p =
            writeMac(
                dst,
                off,
                p,
                StunAttributeType.MESSAGE_INTEGRITY,
                Integrity.HMAC_SHA1,
                integrityKey);
      }
      if (integritySha256Key != null) {
        p =
            writeMac(
                dst,
                off,
                p,
                StunAttributeType.MESSAGE_INTEGRITY_SHA256,
                Integrity.HMAC_SHA256,
                integritySha256Key);
      }
      if (fingerprint) {
        // The length field must already count FINGERPRINT when the CRC is taken.
        Bytes.put16(dst, off + 2, p + 8 - off - HEADER_LENGTH);
        int crc = Integrity.fingerprint(dst, off, p - off);
        Bytes.put16(dst, p, StunAttributeType.FINGERPRINT);
        Bytes.put16(dst, p + 2, 4);
        Bytes.put32(dst, p + 4, crc);
        p += 8;
      }
      Bytes.put16(dst, off + 2, p - off - HEADER_LENGTH);
      return p - off;
    }

    /**
     * Encodes at a buffer's position and advances the position past the message (this method
     * consumes space in the buffer).
     *
     * @param dst the destination
     * @return the number of bytes written
     * @throws IllegalArgumentException if fewer bytes remain than the message needs
     */
    public int encodeInto(ByteBuffer dst) {
      int total = encodedLength();
      if (dst.remaining() < total) {
        throw new IllegalArgumentException(
            "buffer needs " + total + " bytes, has " + dst.remaining() + " remaining");
      }
      if (dst.hasArray() && !dst.isReadOnly()) {
        encodeInto(dst.array(), dst.arrayOffset() + dst.position());
        dst.position(dst.position() + total);
      } else {
        dst.put(encode());
      }
      return total;
    }

    /**
     * Encodes and returns the message as a decoded {@link StunMessage}.
     *
     * @return the message
     */
    public StunMessage build() {
      return ofEncoded(encode());
    }

    private int writeMac(byte[] dst, int off, int p, int type, String algorithm, byte[] key) {
      int macLength = type == StunAttributeType.MESSAGE_INTEGRITY ? 20 : 32;
      int lengthField = p + 4 + macLength - off - HEADER_LENGTH;
      byte[] mac = Integrity.hmac(algorithm, key, dst, off, p - off, lengthField);
      return writeAttribute(dst, p, type, mac, (byte) 0);
    }

    private static int writeAttribute(byte[] dst, int p, int type, byte[] value, byte pad) {
      Bytes.put16(dst, p, type);
      Bytes.put16(dst, p + 2, value.length);
      System.arraycopy(value, 0, dst, p + 4, value.length);
      int end = p + 4 + Bytes.pad4(value.length);
      Arrays.fill(dst, p + 4 + value.length, end, pad);
      return end;
    }

    private static byte[] checkKey(byte[] key) {
      if (key.length == 0) {
        throw new IllegalArgumentException(
            "an empty MESSAGE-INTEGRITY key cannot be used; derive one with StunCredentials");
      }
      return key.clone();
    }

    private static byte[] text(String what, String s, int maxBytes) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      if (b.length > maxBytes) {
        throw new IllegalArgumentException(
            what + " must be at most " + maxBytes + " UTF-8 bytes, got " + b.length);
      }
      return b;
    }

    private static byte[] u32(String what, long v) {
      if (v < 0 || v > 0xFFFF_FFFFL) {
        throw new IllegalArgumentException(what + " is an unsigned 32-bit value, got " + v);
      }
      byte[] b = new byte[4];
      Bytes.put32(b, 0, (int) v);
      return b;
    }

    private static byte[] u64(long v) {
      byte[] b = new byte[8];
      Bytes.put64(b, 0, v);
      return b;
    }
  }
}
