package io.github.jpeer.stun;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Sorts received datagrams by protocol using the first-byte ranges of RFC 7983 section 7:
 *
 * <pre>
 *                  +----------------+
 *                  |        [0..3] -+--&gt; forward to STUN
 *                  |                |
 *                  |      [16..19] -+--&gt; forward to ZRTP
 *                  |                |
 *      packet --&gt;  |      [20..63] -+--&gt; forward to DTLS
 *                  |                |
 *                  |      [64..79] -+--&gt; forward to TURN Channel
 *                  |                |
 *                  |    [128..191] -+--&gt; forward to RTP/RTCP
 *                  +----------------+
 * </pre>
 *
 * <p>Runs once per packet: no allocation, no exception for any content. The first byte only picks a
 * candidate; the STUN and ChannelData decoders still check the rest.
 */
public final class PacketDemux {
  private PacketDemux() {}

  /**
   * Classifies a datagram by its first byte.
   *
   * @param buf the buffer
   * @param off offset of the datagram
   * @param len its length; 0 gives {@link PacketKind#UNKNOWN}
   * @return the kind, never null
   * @throws IndexOutOfBoundsException if {@code off} and {@code len} do not fit {@code buf} (API
   *     misuse, not bad input)
   */
  public static PacketKind classify(byte[] buf, int off, int len) {
    Objects.checkFromIndexSize(off, len, buf.length);
    return len == 0 ? PacketKind.UNKNOWN : classify(buf[off] & 0xFF);
  }

  /**
   * Classifies the datagram between a buffer's position and limit, leaving both alone.
   *
   * @param buf the buffer
   * @return the kind, never null
   */
  public static PacketKind classify(ByteBuffer buf) {
    return buf.hasRemaining() ? classify(buf.get(buf.position()) & 0xFF) : PacketKind.UNKNOWN;
  }

  /**
   * Classifies a first byte.
   *
   * @param firstByte the first byte as an unsigned value, 0 to 255
   * @return the kind, never null
   */
  public static PacketKind classify(int firstByte) {
    if (firstByte < 0) {
      return PacketKind.UNKNOWN;
    } else if (firstByte <= 3) {
      return PacketKind.STUN;
    } else if (firstByte < 16) {
      return PacketKind.UNKNOWN;
    } else if (firstByte <= 19) {
      return PacketKind.ZRTP;
    } else if (firstByte <= 63) {
      return PacketKind.DTLS;
    } else if (firstByte <= 79) {
      return PacketKind.TURN_CHANNEL;
    } else if (firstByte < 128) {
      return PacketKind.UNKNOWN;
    } else if (firstByte <= 191) {
      return PacketKind.RTP_RTCP;
    }
    return PacketKind.UNKNOWN;
  }
}
