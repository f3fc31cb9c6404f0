package io.github.jpeer.rtp;

import java.util.Objects;

/**
 * A re-wrappable, allocation-free view of one RTP packet (RFC 3550 section 5.1) with RFC 8285
 * header extensions.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|X|  CC   |M|     PT      |       sequence number         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                           timestamp                           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           synchronization source (SSRC) identifier            |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |            contributing source (CSRC) identifiers             |
 * |                             ....                              |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |      defined by profile       |           length              |  (if X)
 * |                        header extension                       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  payload ...  | padding ... | padding count   |  (padding if P)
 * </pre>
 *
 * <p>Usage: keep one instance per receive path, call {@link #wrap} for every datagram and read the
 * fields only when it returned {@code true}. Malformed input never throws; {@link #status()} says
 * what was wrong. The view keeps a reference to the caller's array until the next {@code wrap};
 * accessors read it directly, so the array must not change meanwhile. SSRC and CSRC values are
 * returned as raw {@code int} bits (compare with {@code ==}, print with {@link
 * Integer#toUnsignedString(int)}); the 32-bit timestamp as a non-negative {@code long}.
 *
 * <p>Not thread-safe.
 */
public final class RtpPacket {

  /** The length of the fixed header without CSRCs or extension. */
  public static final int FIXED_HEADER_LENGTH = 12;

  /** The RFC 8285 one-byte header extension profile ({@code 0xBEDE}). */
  public static final int ONE_BYTE_PROFILE = 0xBEDE;

  /** The RFC 8285 two-byte header extension profile ({@code 0x100} plus 4 appbits). */
  public static final int TWO_BYTE_PROFILE = 0x1000;

  /** The outcome of {@link #wrap}. */
  public enum Status {
    /** The packet is a well-formed RTP packet. */
    VALID,
    /** Shorter than the 12-byte fixed header. */
    TOO_SHORT,
    /** The version field is not 2. */
    BAD_VERSION,
    /** The CSRC list runs past the end of the packet. */
    CSRC_OVERRUN,
    /** The header extension runs past the end of the packet. */
    EXTENSION_OVERRUN,
    /** The padding count is zero or larger than the space after the header. */
    BAD_PADDING,
    /** {@link #wrap} has not been called yet. */
    NOT_WRAPPED
  }

  private byte[] buffer;
  private int offset;
  private int length;
  private int headerLength;
  private int paddingLength;
  // Offset of the extension data (after the 4-byte extension header) and its length in bytes.
  private int extensionDataOffset;
  private int extensionDataLength;
  private Status status = Status.NOT_WRAPPED;

  /** Creates an empty view; call {@link #wrap} before reading. */
  public RtpPacket() {}

  /**
   * Points this view at {@code length} bytes of {@code buffer} from {@code offset} and validates
   * them as an RTP packet.
   *
   * @param buffer the datagram bytes (kept by reference, not copied)
   * @param offset where the RTP header starts
   * @param length the datagram length
   * @return {@code true} when the packet is well-formed; otherwise see {@link #status()}
   * @throws IndexOutOfBoundsException if offset and length do not lie inside {@code buffer}
   */
  public boolean wrap(byte[] buffer, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, buffer.length);
    // Compared first: a view kept per receive path is long-lived and re-wrapped per packet, and a
    // reference store into an old object dirties a GC card even when the value is the same (G1's
    // refinement then rescans it); packets mostly come in the same buffer and are valid.
    if (this.buffer != buffer) {
      this.buffer = buffer;
    }
    this.offset = offset;
    this.length = length;
    Status s = validate();
    if (status != s) {
      status = s;
    }
    return s == Status.VALID;
  }

  private Status validate() {
    headerLength = 0;
    paddingLength = 0;
    extensionDataOffset = 0;
    extensionDataLength = 0;
    if (length < FIXED_HEADER_LENGTH) {
      return Status.TOO_SHORT;
    }
    int b0 = buffer[offset] & 0xFF;
    if ((b0 >>> 6) != 2) {
      return Status.BAD_VERSION;
    }
    int pos = FIXED_HEADER_LENGTH + 4 * (b0 & 0x0F);
    if (pos > length) {
      return Status.CSRC_OVERRUN;
    }
    if ((b0 & 0x10) != 0) {
      if (pos + 4 > length) {
        return Status.EXTENSION_OVERRUN;
      }
      int words = u16(offset + pos + 2);
      int dataLength = 4 * words;
      if (pos + 4 + dataLength > length) {
        return Status.EXTENSION_OVERRUN;
      }
      extensionDataOffset = offset + pos + 4;
      extensionDataLength = dataLength;
      pos += 4 + dataLength;
    }
    if ((b0 & 0x20) != 0) {
      // RFC 3550 5.1: the last octet counts the padding including itself, so 0 is invalid.
      int padding = buffer[offset + length - 1] & 0xFF;
      if (padding == 0 || pos + padding > length) {
        headerLength = 0;
        extensionDataOffset = 0;
        extensionDataLength = 0;
        return Status.BAD_PADDING;
      }
      paddingLength = padding;
    }
    headerLength = pos;
    return Status.VALID;
  }

  /** Returns the result of the last {@link #wrap}. */
  public Status status() {
    return status;
  }

  /** Returns whether the last {@link #wrap} found a well-formed packet. */
  public boolean isValid() {
    return status == Status.VALID;
  }

  /** Returns the wrapped array (not a copy). */
  public byte[] buffer() {
    return buffer;
  }

  /** Returns the offset of the packet in {@link #buffer()}. */
  public int offset() {
    return offset;
  }

  /** Returns the whole packet length including padding. */
  public int length() {
    return length;
  }

  /** Returns the RTP version (2 for valid packets). */
  public int version() {
    return (buffer[offset] & 0xFF) >>> 6;
  }

  /** Returns whether the P bit is set. */
  public boolean hasPadding() {
    return (buffer[offset] & 0x20) != 0;
  }

  /** Returns whether the X bit is set. */
  public boolean hasExtension() {
    return (buffer[offset] & 0x10) != 0;
  }

  /** Returns the number of CSRC identifiers (0-15). */
  public int csrcCount() {
    return buffer[offset] & 0x0F;
  }

  /** Returns the CSRC identifier at {@code index} (0-based). */
  public int csrc(int index) {
    Objects.checkIndex(index, csrcCount());
    return i32(offset + FIXED_HEADER_LENGTH + 4 * index);
  }

  /** Returns the marker bit. */
  public boolean marker() {
    return (buffer[offset + 1] & 0x80) != 0;
  }

  /** Returns the payload type (0-127). */
  public int payloadType() {
    return buffer[offset + 1] & 0x7F;
  }

  /** Returns the 16-bit sequence number (0-65535). */
  public int sequenceNumber() {
    return u16(offset + 2);
  }

  /** Returns the 32-bit timestamp as an unsigned value (0 to 2^32-1). */
  public long timestamp() {
    return Integer.toUnsignedLong(i32(offset + 4));
  }

  /** Returns the SSRC identifier as raw bits. */
  public int ssrc() {
    return i32(offset + 8);
  }

  /** Returns the header length: fixed header, CSRCs and extension. */
  public int headerLength() {
    return headerLength;
  }

  /** Returns the absolute offset of the payload in {@link #buffer()}. */
  public int payloadOffset() {
    return offset + headerLength;
  }

  /** Returns the payload length, excluding padding. */
  public int payloadLength() {
    return length - headerLength - paddingLength;
  }

  /** Returns the number of padding bytes including the count byte (0 when P is not set). */
  public int paddingLength() {
    return paddingLength;
  }

  /** Returns the 16-bit "defined by profile" field of the extension, or -1 without one. */
  public int extensionProfile() {
    return hasExtension() ? u16(extensionDataOffset - 4) : -1;
  }

  /** Returns the absolute offset of the extension data (after its 4-byte header). */
  public int extensionDataOffset() {
    return extensionDataOffset;
  }

  /** Returns the extension data length in bytes (a multiple of 4; 0 without extension). */
  public int extensionDataLength() {
    return extensionDataLength;
  }

  private boolean isOneByteForm() {
    return hasExtension() && u16(extensionDataOffset - 4) == ONE_BYTE_PROFILE;
  }

  private boolean isTwoByteForm() {
    return hasExtension() && (u16(extensionDataOffset - 4) & 0xFFF0) == TWO_BYTE_PROFILE;
  }

  /**
   * Returns a cursor on the first RFC 8285 extension element, or -1 when there is none (no
   * extension, another profile, or only padding). Cursors are absolute offsets into {@link
   * #buffer()}; iterate with {@link #nextExtensionElement(int)}.
   */
  public int firstExtensionElement() {
    if (!isOneByteForm() && !isTwoByteForm()) {
      return -1;
    }
    return settle(extensionDataOffset);
  }

  /** Returns the cursor after {@code cursor}, or -1 at the end or on a malformed element. */
  public int nextExtensionElement(int cursor) {
    return settle(extensionElementDataOffset(cursor) + extensionElementLength(cursor));
  }

  /**
   * Returns the cursor on the first element with local identifier {@code id}, or -1.
   *
   * @param id the RFC 8285 local identifier (1-14 one-byte, 1-255 two-byte)
   */
  public int findExtensionElement(int id) {
    for (int c = firstExtensionElement(); c >= 0; c = nextExtensionElement(c)) {
      if (extensionElementId(c) == id) {
        return c;
      }
    }
    return -1;
  }

  /** Returns the local identifier of the element at {@code cursor}. */
  public int extensionElementId(int cursor) {
    int b = buffer[cursor] & 0xFF;
    return isOneByteForm() ? b >>> 4 : b;
  }

  /** Returns the absolute offset of the data of the element at {@code cursor}. */
  public int extensionElementDataOffset(int cursor) {
    return isOneByteForm() ? cursor + 1 : cursor + 2;
  }

  /** Returns the data length of the element at {@code cursor}. */
  public int extensionElementLength(int cursor) {
    return isOneByteForm() ? (buffer[cursor] & 0x0F) + 1 : buffer[cursor + 1] & 0xFF;
  }

  // Skips padding octets from pos and checks the element there fits; -1 at end or if malformed.
  private int settle(int pos) {
    int end = extensionDataOffset + extensionDataLength;
    boolean oneByte = isOneByteForm();
    // RFC 8285 4.2/4.3: a zero octet between elements is padding.
    while (pos < end && buffer[pos] == 0) {
      pos++;
    }
    if (pos >= end) {
      return -1;
    }
    if (oneByte) {
      // RFC 8285 4.2: identifier 15 means "stop processing"; a non-zero octet with identifier 0
      // is not valid padding either, so nothing after it can be trusted.
      int id = (buffer[pos] & 0xFF) >>> 4;
      if (id == 15 || id == 0) {
        return -1;
      }
      return pos + 1 + (buffer[pos] & 0x0F) + 1 <= end ? pos : -1;
    }
    if (pos + 2 > end) {
      return -1;
    }
    return pos + 2 + (buffer[pos + 1] & 0xFF) <= end ? pos : -1;
  }

  private int u16(int at) {
    return ((buffer[at] & 0xFF) << 8) | (buffer[at + 1] & 0xFF);
  }

  private int i32(int at) {
    return ((buffer[at] & 0xFF) << 24)
        | ((buffer[at + 1] & 0xFF) << 16)
        | ((buffer[at + 2] & 0xFF) << 8)
        | (buffer[at + 3] & 0xFF);
  }
}
