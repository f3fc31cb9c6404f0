package io.github.jpeer.rtp;

import java.util.Objects;

/**
 * A re-wrappable, allocation-free view over an RTCP compound datagram (RFC 3550 section 6.1) that
 * walks its packets one by one.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P| RC/FMT  |      PT       |   length (32-bit words - 1)   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  body ...   (then the next packet)            |
 * </pre>
 *
 * <p>{@link #wrap} checks every header of the chain: version 2, each length inside the datagram,
 * the lengths adding up exactly, and a sane padding count. It does not insist on SR/RR first
 * (reduced-size RTCP, RFC 5506, sends a lone PLI or NACK). Then:
 *
 * <pre>{@code
 * if (view.wrap(buf, off, len)) {
 *   while (view.next()) {
 *     switch (view.packetType()) { ... view.bodyOffset(), view.bodyLength() ... }
 *   }
 * }
 * }</pre>
 *
 * <p>Bodies are decoded by {@link RtcpParser}. Not thread-safe.
 */
public final class RtcpCompoundPacket {

  /** The length of the common RTCP header. */
  public static final int HEADER_LENGTH = 4;

  private byte[] buffer;
  private int offset;
  private int length;
  private RtcpStatus status = RtcpStatus.NOT_WRAPPED;
  // The current packet; cursor = -1 before the first next().
  private int cursor = -1;
  private int packetLength;

  /** Creates an empty view; call {@link #wrap} first. */
  public RtcpCompoundPacket() {}

  /**
   * Points the view at a datagram and validates the chain of packet headers.
   *
   * @param buffer the datagram (kept by reference until the next wrap)
   * @param offset where the first packet starts
   * @param length the datagram length
   * @return {@code true} when the chain is well-formed; otherwise see {@link #status()}
   * @throws IndexOutOfBoundsException if offset and length do not lie inside {@code buffer}
   */
  public boolean wrap(byte[] buffer, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, buffer.length);
    this.buffer = buffer;
    this.offset = offset;
    this.length = length;
    this.cursor = -1;
    this.packetLength = 0;
    this.status = validate();
    return status == RtcpStatus.OK;
  }

  private RtcpStatus validate() {
    if (length == 0) {
      return RtcpStatus.TRUNCATED;
    }
    int pos = 0;
    while (pos < length) {
      if (length - pos < HEADER_LENGTH) {
        return RtcpStatus.TRUNCATED;
      }
      int b0 = buffer[offset + pos] & 0xFF;
      if ((b0 >>> 6) != 2) {
        return RtcpStatus.BAD_VERSION;
      }
      int packetBytes = 4 * (u16(offset + pos + 2) + 1);
      if (packetBytes > length - pos) {
        return RtcpStatus.TRUNCATED;
      }
      if ((b0 & 0x20) != 0) {
        int padding = buffer[offset + pos + packetBytes - 1] & 0xFF;
        if (padding == 0 || padding > packetBytes - HEADER_LENGTH) {
          return RtcpStatus.BAD_PADDING;
        }
      }
      pos += packetBytes;
    }
    return RtcpStatus.OK;
  }

  /** Returns the result of the last {@link #wrap}. */
  public RtcpStatus status() {
    return status;
  }

  /** Moves back before the first packet. */
  public void rewind() {
    cursor = -1;
    packetLength = 0;
  }

  /**
   * Advances to the next packet.
   *
   * @return {@code false} when there are no more packets or the datagram was not valid
   */
  public boolean next() {
    if (status != RtcpStatus.OK) {
      return false;
    }
    int nextPos = cursor < 0 ? offset : cursor + packetLength;
    if (nextPos >= offset + length) {
      return false;
    }
    cursor = nextPos;
    packetLength = 4 * (u16(cursor + 2) + 1);
    return true;
  }

  /** Returns the wrapped array. */
  public byte[] buffer() {
    return buffer;
  }

  /** Returns the packet type of the current packet (e.g. 200 for SR). */
  public int packetType() {
    return buffer[cursor + 1] & 0xFF;
  }

  /** Returns the 5-bit RC/SC/FMT/subtype field of the current packet. */
  public int countOrFormat() {
    return buffer[cursor] & 0x1F;
  }

  /** Returns whether the current packet has the P bit set. */
  public boolean hasPadding() {
    return (buffer[cursor] & 0x20) != 0;
  }

  /** Returns the absolute offset of the current packet in {@link #buffer()}. */
  public int packetOffset() {
    return cursor;
  }

  /** Returns the current packet's length in bytes including header and padding. */
  public int packetLength() {
    return packetLength;
  }

  /** Returns the absolute offset of the current packet's body (after the 4-byte header). */
  public int bodyOffset() {
    return cursor + HEADER_LENGTH;
  }

  /** Returns the current packet's body length without padding. */
  public int bodyLength() {
    int padding = hasPadding() ? buffer[cursor + packetLength - 1] & 0xFF : 0;
    return packetLength - HEADER_LENGTH - padding;
  }

  /**
   * Returns the first SSRC of the current body (the sender SSRC for SR, RR and feedback), or 0 when
   * the body is shorter than 4 bytes.
   */
  public int firstSsrc() {
    return bodyLength() < 4 ? 0 : RtcpParser.i32(buffer, bodyOffset());
  }

  private int u16(int at) {
    return ((buffer[at] & 0xFF) << 8) | (buffer[at + 1] & 0xFF);
  }
}
