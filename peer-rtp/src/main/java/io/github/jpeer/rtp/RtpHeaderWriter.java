package io.github.jpeer.rtp;

import java.util.Arrays;
import java.util.Objects;

/**
 * Writes RTP headers (RFC 3550 section 5.1) into caller buffers, with CSRCs and RFC 8285 header
 * extensions.
 *
 * <p>Two ways to use it: the static {@link #writeFixed} for the common 12-byte header (no state, no
 * allocation), or an instance configured with setters and reused per packet ({@link #reset()}
 * clears it; the internal extension buffer grows once and is then reused). RFC 8285 elements are
 * written in the one-byte form ({@code 0xBEDE}) when every element allows it (identifier 1-14, 1-16
 * data bytes) and in the two-byte form ({@code 0x1000}) otherwise.
 *
 * <p>Not thread-safe.
 */
public final class RtpHeaderWriter {

  private static final int MAX_CSRCS = 15;

  private boolean marker;
  private int payloadType;
  private int sequenceNumber;
  private long timestamp;
  private int ssrc;
  private final int[] csrcs = new int[MAX_CSRCS];
  private int csrcCount;

  // RFC 8285 elements: ids/lengths in parallel arrays, data concatenated in elementData.
  private final int[] elementIds = new int[256];
  private final int[] elementLengths = new int[256];
  private int elementCount;
  private byte[] elementData = new byte[256];
  private int elementDataLength;
  private boolean forceTwoByte;

  // A verbatim extension (any profile); mutually exclusive with elements.
  private int rawProfile = -1;
  private byte[] rawData = new byte[0];
  private int rawLength;

  /** Creates a writer with every field zero and no CSRCs or extension. */
  public RtpHeaderWriter() {}

  /**
   * Writes a 12-byte header without CSRCs, extension or padding. Allocation-free.
   *
   * @param dst destination array
   * @param offset where to write
   * @param marker the M bit
   * @param payloadType 0-127
   * @param sequenceNumber the low 16 bits are written
   * @param timestamp the low 32 bits are written
   * @param ssrc the SSRC bits
   * @return {@link RtpPacket#FIXED_HEADER_LENGTH}
   */
  public static int writeFixed(
      byte[] dst,
      int offset,
      boolean marker,
      int payloadType,
      int sequenceNumber,
      long timestamp,
      int ssrc) {
    checkPayloadType(payloadType);
    Objects.checkFromIndexSize(offset, RtpPacket.FIXED_HEADER_LENGTH, dst.length);
    dst[offset] = (byte) 0x80;
    dst[offset + 1] = (byte) ((marker ? 0x80 : 0) | payloadType);
    put16(dst, offset + 2, sequenceNumber);
    put32(dst, offset + 4, (int) timestamp);
    put32(dst, offset + 8, ssrc);
    return RtpPacket.FIXED_HEADER_LENGTH;
  }

  /**
   * Appends RFC 3550 padding after a packet and sets its P bit.
   *
   * @param packet the array holding the packet
   * @param packetOffset where the packet's header starts
   * @param packetLength the current packet length (header and payload)
   * @param paddingLength 1-255 bytes, including the final count byte
   * @return the new packet length
   */
  public static int appendPadding(
      byte[] packet, int packetOffset, int packetLength, int paddingLength) {
    if (paddingLength < 1 || paddingLength > 255) {
      throw new IllegalArgumentException(
          "paddingLength must be 1-255 (it counts the final byte), got " + paddingLength);
    }
    int end = packetOffset + packetLength;
    Objects.checkFromIndexSize(end, paddingLength, packet.length);
    Arrays.fill(packet, end, end + paddingLength - 1, (byte) 0);
    packet[end + paddingLength - 1] = (byte) paddingLength;
    packet[packetOffset] |= 0x20;
    return packetLength + paddingLength;
  }

  /** Clears every field, the CSRCs and the extension; returns this writer. */
  public RtpHeaderWriter reset() {
    marker = false;
    payloadType = 0;
    sequenceNumber = 0;
    timestamp = 0;
    ssrc = 0;
    csrcCount = 0;
    elementCount = 0;
    elementDataLength = 0;
    forceTwoByte = false;
    rawProfile = -1;
    rawLength = 0;
    return this;
  }

  /** Sets the M bit; returns this writer. */
  public RtpHeaderWriter marker(boolean marker) {
    this.marker = marker;
    return this;
  }

  /** Sets the payload type (0-127); returns this writer. */
  public RtpHeaderWriter payloadType(int payloadType) {
    checkPayloadType(payloadType);
    this.payloadType = payloadType;
    return this;
  }

  /** Sets the sequence number (low 16 bits used); returns this writer. */
  public RtpHeaderWriter sequenceNumber(int sequenceNumber) {
    this.sequenceNumber = sequenceNumber & 0xFFFF;
    return this;
  }

  /** Sets the timestamp (low 32 bits used); returns this writer. */
  public RtpHeaderWriter timestamp(long timestamp) {
    this.timestamp = timestamp & 0xFFFF_FFFFL;
    return this;
  }

  /** Sets the SSRC; returns this writer. */
  public RtpHeaderWriter ssrc(int ssrc) {
    this.ssrc = ssrc;
    return this;
  }

  /** Appends a CSRC identifier (at most 15); returns this writer. */
  public RtpHeaderWriter addCsrc(int csrc) {
    if (csrcCount == MAX_CSRCS) {
      throw new IllegalStateException("an RTP header holds at most 15 CSRCs; call reset() first");
    }
    csrcs[csrcCount++] = csrc;
    return this;
  }

  /**
   * Appends an RFC 8285 extension element.
   *
   * @param id local identifier: 1-14 for the one-byte form, up to 255 forces the two-byte form
   * @param data the element data
   * @param offset where the data starts
   * @param length 0-255 bytes (0 or more than 16 forces the two-byte form)
   * @return this writer
   */
  public RtpHeaderWriter addExtension(int id, byte[] data, int offset, int length) {
    if (id < 1 || id > 255) {
      throw new IllegalArgumentException("extension id must be 1-255, got " + id);
    }
    if (length < 0 || length > 255) {
      throw new IllegalArgumentException("extension data must be 0-255 bytes, got " + length);
    }
    if (rawProfile >= 0) {
      throw new IllegalStateException(
          "a raw extension is set; call reset() before adding elements");
    }
    if (elementCount == elementIds.length) {
      throw new IllegalStateException("too many extension elements (max 256)");
    }
    Objects.checkFromIndexSize(offset, length, data.length);
    if (elementDataLength + length > elementData.length) {
      elementData =
          Arrays.copyOf(elementData, Math.max(elementData.length * 2, elementDataLength + length));
    }
    System.arraycopy(data, offset, elementData, elementDataLength, length);
    elementDataLength += length;
    elementIds[elementCount] = id;
    elementLengths[elementCount] = length;
    elementCount++;
    return this;
  }

  /** Forces the two-byte RFC 8285 form even when the one-byte form would do; returns this. */
  public RtpHeaderWriter twoByteExtensions(boolean force) {
    this.forceTwoByte = force;
    return this;
  }

  /**
   * Sets a verbatim header extension, any profile (used to re-write a received header exactly).
   *
   * @param profile the 16-bit "defined by profile" field
   * @param data the extension data
   * @param offset where it starts
   * @param length a multiple of 4, at most 4 * 65535
   * @return this writer
   */
  public RtpHeaderWriter rawExtension(int profile, byte[] data, int offset, int length) {
    if (profile < 0 || profile > 0xFFFF) {
      throw new IllegalArgumentException("profile must be 16 bits, got " + profile);
    }
    if (length < 0 || length % 4 != 0 || length > 4 * 0xFFFF) {
      throw new IllegalArgumentException("extension length must be a multiple of 4, got " + length);
    }
    if (elementCount > 0) {
      throw new IllegalStateException("extension elements are set; call reset() first");
    }
    Objects.checkFromIndexSize(offset, length, data.length);
    if (rawData.length < length) {
      rawData = new byte[length];
    }
    System.arraycopy(data, offset, rawData, 0, length);
    rawProfile = profile;
    rawLength = length;
    return this;
  }

  /**
   * Copies the header of a valid packet: fields, CSRCs and the extension verbatim. Writing it back
   * gives the same header bytes (the P bit is left to {@link #appendPadding}).
   *
   * @param packet a view on which {@link RtpPacket#wrap} returned true
   * @return this writer
   */
  public RtpHeaderWriter copyFrom(RtpPacket packet) {
    if (!packet.isValid()) {
      throw new IllegalArgumentException("packet is not a valid RTP packet: " + packet.status());
    }
    reset();
    marker(packet.marker());
    payloadType(packet.payloadType());
    sequenceNumber(packet.sequenceNumber());
    timestamp(packet.timestamp());
    ssrc(packet.ssrc());
    for (int i = 0; i < packet.csrcCount(); i++) {
      addCsrc(packet.csrc(i));
    }
    if (packet.hasExtension()) {
      rawExtension(
          packet.extensionProfile(),
          packet.buffer(),
          packet.extensionDataOffset(),
          packet.extensionDataLength());
    }
    return this;
  }

  private boolean useOneByteForm() {
    if (forceTwoByte) {
      return false;
    }
    for (int i = 0; i < elementCount; i++) {
      if (elementIds[i] > 14 || elementLengths[i] < 1 || elementLengths[i] > 16) {
        return false;
      }
    }
    return true;
  }

  private int extensionDataLength() {
    if (rawProfile >= 0) {
      return rawLength;
    }
    if (elementCount == 0) {
      return -1;
    }
    int perElementHeader = useOneByteForm() ? 1 : 2;
    int unpadded = elementDataLength + perElementHeader * elementCount;
    return (unpadded + 3) & ~3;
  }

  /** Returns the header length {@link #write} will produce. */
  public int headerLength() {
    int extension = extensionDataLength();
    return RtpPacket.FIXED_HEADER_LENGTH + 4 * csrcCount + (extension < 0 ? 0 : 4 + extension);
  }

  /**
   * Writes the configured header.
   *
   * @param dst destination array
   * @param offset where to write
   * @return the header length written
   */
  public int write(byte[] dst, int offset) {
    int headerLength = headerLength();
    Objects.checkFromIndexSize(offset, headerLength, dst.length);
    int extension = extensionDataLength();
    writeFixed(dst, offset, marker, payloadType, sequenceNumber, timestamp, ssrc);
    dst[offset] = (byte) (0x80 | (extension >= 0 ? 0x10 : 0) | csrcCount);
    int pos = offset + RtpPacket.FIXED_HEADER_LENGTH;
    for (int i = 0; i < csrcCount; i++, pos += 4) {
      put32(dst, pos, csrcs[i]);
    }
    if (extension < 0) {
      return headerLength;
    }
    put16(dst, pos + 2, extension / 4);
    if (rawProfile >= 0) {
      put16(dst, pos, rawProfile);
      System.arraycopy(rawData, 0, dst, pos + 4, rawLength);
      return headerLength;
    }
    boolean oneByte = useOneByteForm();
    put16(dst, pos, oneByte ? RtpPacket.ONE_BYTE_PROFILE : RtpPacket.TWO_BYTE_PROFILE);
    int end = pos + 4 + extension;
    pos += 4;
    int dataPos = 0;
    for (int i = 0; i < elementCount; i++) {
      int len = elementLengths[i];
      if (oneByte) {
        dst[pos++] = (byte) ((elementIds[i] << 4) | (len - 1));
      } else {
        dst[pos++] = (byte) elementIds[i];
        dst[pos++] = (byte) len;
      }
      System.arraycopy(elementData, dataPos, dst, pos, len);
      pos += len;
      dataPos += len;
    }
    // RFC 8285: zero octets pad the element list to a 32-bit boundary.
    Arrays.fill(dst, pos, end, (byte) 0);
    return headerLength;
  }

  private static void checkPayloadType(int payloadType) {
    if (payloadType < 0 || payloadType > 127) {
      throw new IllegalArgumentException("payload type must be 0-127, got " + payloadType);
    }
  }

  static void put16(byte[] dst, int at, int value) {
    dst[at] = (byte) (value >>> 8);
    dst[at + 1] = (byte) value;
  }

  static void put32(byte[] dst, int at, int value) {
    dst[at] = (byte) (value >>> 24);
    dst[at + 1] = (byte) (value >>> 16);
    dst[at + 2] = (byte) (value >>> 8);
    dst[at + 3] = (byte) value;
  }
}
