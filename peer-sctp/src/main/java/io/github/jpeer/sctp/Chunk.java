package io.github.jpeer.sctp;

/**
 * One SCTP chunk (RFC 9260 section 3.2). Every chunk starts with the same header; the value is
 * padded with zeros to a multiple of 4 bytes, and the length does not count the padding.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Chunk Type  | Chunk  Flags  |        Chunk Length           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * \                                                               \
 * /                          Chunk Value                          /
 * \                                                               \
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public sealed interface Chunk
    permits DataChunk,
        InitChunk,
        SelectiveAckChunk,
        HeartbeatChunk,
        AbortChunk,
        ShutdownChunk,
        ShutdownAckChunk,
        ErrorChunk,
        CookieEchoChunk,
        CookieAckChunk,
        ShutdownCompleteChunk,
        ForwardTsnChunk,
        ReconfigChunk,
        UnknownChunk {
  /** DATA. */
  int DATA = 0;

  /** INIT. */
  int INIT = 1;

  /** INIT ACK. */
  int INIT_ACK = 2;

  /** SACK. */
  int SACK = 3;

  /** HEARTBEAT. */
  int HEARTBEAT = 4;

  /** HEARTBEAT ACK. */
  int HEARTBEAT_ACK = 5;

  /** ABORT. */
  int ABORT = 6;

  /** SHUTDOWN. */
  int SHUTDOWN = 7;

  /** SHUTDOWN ACK. */
  int SHUTDOWN_ACK = 8;

  /** ERROR. */
  int ERROR = 9;

  /** COOKIE ECHO. */
  int COOKIE_ECHO = 10;

  /** COOKIE ACK. */
  int COOKIE_ACK = 11;

  /** SHUTDOWN COMPLETE. */
  int SHUTDOWN_COMPLETE = 14;

  /** RE-CONFIG (RFC 6525). */
  int RECONFIG = 130;

  /** FORWARD TSN (RFC 3758). */
  int FORWARD_TSN = 192;

  /** The chunk type byte. */
  int type();

  /** The chunk flags byte as it goes on the wire. */
  int flags();

  /** Length of the value (after the 4-byte header), without padding. */
  int valueLength();

  /** Writes the value (without header or padding) at {@code off}. */
  void writeValue(byte[] buf, int off);

  /** Bytes this chunk takes in a packet, header and padding included. */
  default int paddedLength() {
    return Wire.pad4(4 + valueLength());
  }

  /**
   * Writes header, value and zero padding at {@code off}; returns the bytes written ({@link
   * #paddedLength()}).
   */
  default int writeTo(byte[] buf, int off) {
    int len = 4 + valueLength();
    buf[off] = (byte) type();
    buf[off + 1] = (byte) flags();
    Wire.put16(buf, off + 2, len);
    writeValue(buf, off + 4);
    int padded = Wire.pad4(len);
    for (int i = off + len; i < off + padded; i++) {
      buf[i] = 0;
    }
    return padded;
  }

  /** This chunk alone, header and padding included. */
  default byte[] encode() {
    byte[] out = new byte[paddedLength()];
    writeTo(out, 0);
    return out;
  }

  /**
   * Parses one chunk whose header starts at {@code off}, within {@code len} available bytes.
   *
   * @throws SctpParseException if the header or the value is malformed for its type
   */
  static Chunk decode(byte[] buf, int off, int len) throws SctpParseException {
    if (len < 4) {
      throw new SctpParseException("chunk header needs 4 bytes, have " + len);
    }
    int type = Wire.u8(buf, off);
    int flags = Wire.u8(buf, off + 1);
    int chunkLen = Wire.u16(buf, off + 2);
    if (chunkLen < 4 || chunkLen > len) {
      throw new SctpParseException(
          "chunk type " + type + ": length " + chunkLen + " does not fit " + len + " bytes");
    }
    return decodeValue(type, flags, buf, off + 4, chunkLen - 4);
  }

  /** Parses a chunk value of the given type and flags. */
  static Chunk decodeValue(int type, int flags, byte[] b, int off, int len)
      throws SctpParseException {
    return switch (type) {
      case DATA -> DataChunk.parse(flags, b, off, len);
      case INIT, INIT_ACK -> InitChunk.parse(type == INIT_ACK, b, off, len);
      case SACK -> SelectiveAckChunk.parse(b, off, len);
      case HEARTBEAT, HEARTBEAT_ACK -> HeartbeatChunk.parse(type == HEARTBEAT_ACK, b, off, len);
      case ABORT -> AbortChunk.parse(flags, b, off, len);
      case SHUTDOWN -> ShutdownChunk.parse(b, off, len);
      case SHUTDOWN_ACK -> ShutdownAckChunk.parse(len);
      case ERROR -> ErrorChunk.parse(b, off, len);
      case COOKIE_ECHO -> CookieEchoChunk.parse(b, off, len);
      case COOKIE_ACK -> CookieAckChunk.parse(len);
      case SHUTDOWN_COMPLETE -> ShutdownCompleteChunk.parse(flags, len);
      case FORWARD_TSN -> ForwardTsnChunk.parse(b, off, len);
      case RECONFIG -> ReconfigChunk.parse(b, off, len);
      default -> UnknownChunk.parse(type, flags, b, off, len);
    };
  }
}
