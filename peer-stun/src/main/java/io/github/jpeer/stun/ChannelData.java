package io.github.jpeer.stun;

import java.util.Objects;

/**
 * TURN ChannelData messages (RFC 8656 section 12.4): the 4-byte framing that carries application
 * data between a client and its TURN server once a channel is bound.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |         Channel Number        |            Length             |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                                                               |
 *  /                       Application Data                        /
 *  /                                                               /
 *  |                                                               |
 *  |                               +-------------------------------+
 *  |                               |
 *  +-------------------------------+
 * </pre>
 *
 * <p>Encoding is static and writes into a caller's array. Decoding is a reusable flyweight: {@link
 * #wrap(byte[], int, int)} checks the framing and records where the data is, copying and allocating
 * nothing; the view refers to the caller's array until the next {@code wrap}, so read the data
 * before reusing the array. Malformed input makes {@code wrap} return false; it never throws for
 * any content. Over UDP the data need not be padded to 4 bytes (RFC 8656 section 12.5), so bytes
 * after the data are ignored on receive. A view is not thread-safe.
 */
public final class ChannelData {

  /** Length of the ChannelData header: channel number and length. */
  public static final int HEADER_LENGTH = 4;

  /** Lowest channel number a client may bind. */
  public static final int MIN_CHANNEL_NUMBER = 0x4000;

  /** Highest channel number a client may bind (0x5000 to 0x7FFF are reserved). */
  public static final int MAX_CHANNEL_NUMBER = 0x4FFF;

  private byte[] buffer;
  private int channelNumber;
  private int dataOffset;
  private int dataLength;

  /** Creates an empty view; call {@link #wrap(byte[], int, int)} before reading it. */
  public ChannelData() {}

  /**
   * Tells whether a number is a bindable channel number, 0x4000 to 0x4FFF.
   *
   * @param channelNumber the number
   * @return true if in range
   */
  public static boolean isValidChannelNumber(int channelNumber) {
    return channelNumber >= MIN_CHANNEL_NUMBER && channelNumber <= MAX_CHANNEL_NUMBER;
  }

  /**
   * Returns the encoded length of a ChannelData message.
   *
   * @param dataLength bytes of application data, 0 to 65535
   * @param pad whether to pad to a multiple of 4 (required over TCP and TLS, optional over UDP)
   * @return the length in bytes
   * @throws IllegalArgumentException if {@code dataLength} is out of range
   */
  public static int encodedLength(int dataLength, boolean pad) {
    if (dataLength < 0 || dataLength > 0xFFFF) {
      throw new IllegalArgumentException("ChannelData carries 0..65535 bytes, got " + dataLength);
    }
    return HEADER_LENGTH + (pad ? Bytes.pad4(dataLength) : dataLength);
  }

  /**
   * Writes a ChannelData message into a caller's array. The data may already sit at {@code dstOff +
   * 4} of {@code dst} (then only the header is written), so a relay path can reserve 4 bytes in
   * front of its payload and copy nothing. Allocates nothing.
   *
   * @param channelNumber the bound channel, 0x4000 to 0x4FFF
   * @param data the array holding the application data
   * @param dataOff offset of the data
   * @param dataLen length of the data, 0 to 65535
   * @param dst the destination
   * @param dstOff where the message starts
   * @param pad whether to append zero padding to a multiple of 4
   * @return the number of bytes written, {@link #encodedLength(int, boolean)}
   * @throws IllegalArgumentException if the channel number or length is out of range or {@code dst}
   *     is too small
   */
  public static int encode(
      int channelNumber,
      byte[] data,
      int dataOff,
      int dataLen,
      byte[] dst,
      int dstOff,
      boolean pad) {
    if (!isValidChannelNumber(channelNumber)) {
      throw new IllegalArgumentException(
          "TURN channel numbers are 0x4000..0x4FFF, got 0x" + Integer.toHexString(channelNumber));
    }
    Objects.checkFromIndexSize(dataOff, dataLen, data.length);
    int total = encodedLength(dataLen, pad);
    if (dstOff < 0 || dstOff > dst.length || dst.length - dstOff < total) {
      throw new IllegalArgumentException(
          "destination needs " + total + " bytes from offset " + dstOff);
    }
    // arraycopy copes with overlap, and does nothing when the data is already in place.
    System.arraycopy(data, dataOff, dst, dstOff + HEADER_LENGTH, dataLen);
    Bytes.put16(dst, dstOff, channelNumber);
    Bytes.put16(dst, dstOff + 2, dataLen);
    for (int i = dstOff + HEADER_LENGTH + dataLen; i < dstOff + total; i++) {
      dst[i] = 0;
    }
    return total;
  }

  /**
   * Points this view at a received ChannelData message and checks its framing: at least 4 bytes, a
   * channel number 0x4000 to 0x4FFF, and a length that fits in {@code len}. Allocates nothing.
   *
   * @param buf the received bytes
   * @param off offset of the message
   * @param len number of bytes received
   * @return true if the message is well formed; on false the view is empty
   * @throws IndexOutOfBoundsException if {@code off} and {@code len} do not fit {@code buf} (API
   *     misuse, not bad input)
   */
  public boolean wrap(byte[] buf, int off, int len) {
    Objects.checkFromIndexSize(off, len, buf.length);
    clear();
    if (len < HEADER_LENGTH) {
      return false;
    }
    int channel = Bytes.u16(buf, off);
    int length = Bytes.u16(buf, off + 2);
    if (!isValidChannelNumber(channel) || length > len - HEADER_LENGTH) {
      return false;
    }
    this.buffer = buf;
    this.channelNumber = channel;
    this.dataOffset = off + HEADER_LENGTH;
    this.dataLength = length;
    return true;
  }

  /** Forgets the wrapped buffer. */
  public void clear() {
    buffer = null;
    channelNumber = 0;
    dataOffset = 0;
    dataLength = 0;
  }

  /**
   * Tells whether the last {@link #wrap} succeeded.
   *
   * @return true if the view holds a message
   */
  public boolean isValid() {
    return buffer != null;
  }

  /**
   * Returns the array of the wrapped message, the caller's own.
   *
   * @return the array, or null if the view is empty
   */
  public byte[] buffer() {
    return buffer;
  }

  /**
   * Returns the channel number of the wrapped message.
   *
   * @return 0x4000 to 0x4FFF, or 0 if the view is empty
   */
  public int channelNumber() {
    return channelNumber;
  }

  /**
   * Returns where the application data starts in {@link #buffer()}.
   *
   * @return an absolute offset
   */
  public int dataOffset() {
    return dataOffset;
  }

  /**
   * Returns the length of the application data, without padding.
   *
   * @return bytes
   */
  public int dataLength() {
    return dataLength;
  }

  /** Describes the view without its data. */
  @Override
  public String toString() {
    return isValid()
        ? "ChannelData[channel=0x"
            + Integer.toHexString(channelNumber)
            + " length="
            + dataLength
            + "]"
        : "ChannelData[empty]";
  }
}
