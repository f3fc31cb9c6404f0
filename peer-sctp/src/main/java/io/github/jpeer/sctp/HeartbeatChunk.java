package io.github.jpeer.sctp;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * HEARTBEAT (RFC 9260 section 3.3.5) and HEARTBEAT ACK (section 3.3.6): one Heartbeat Info
 * parameter that the ack echoes unchanged.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Type = 4/5  | Chunk  Flags  |      Heartbeat Length         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |    Heartbeat Info Type = 1    |      HB Info Length           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * /                  Sender-Specific Heartbeat Info               /
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * @param ack true for HEARTBEAT ACK
 * @param info the sender-specific heartbeat information; copied in and out
 */
public record HeartbeatChunk(boolean ack, byte[] info) implements Chunk {
  /** Copies the info. */
  public HeartbeatChunk {
    if (info.length > 0xFFFF - 8) {
      throw new IllegalArgumentException("heartbeat info too long: " + info.length);
    }
    info = info.clone();
  }

  /** A copy of the info. */
  @Override
  public byte[] info() {
    return info.clone();
  }

  @Override
  public int type() {
    return ack ? HEARTBEAT_ACK : HEARTBEAT;
  }

  @Override
  public int flags() {
    return 0;
  }

  @Override
  public int valueLength() {
    return 4 + info.length;
  }

  @Override
  public void writeValue(byte[] b, int off) {
    Wire.put16(b, off, Parameter.HEARTBEAT_INFO);
    Wire.put16(b, off + 2, 4 + info.length);
    System.arraycopy(info, 0, b, off + 4, info.length);
  }

  static HeartbeatChunk parse(boolean ack, byte[] b, int off, int len) throws SctpParseException {
    if (len < 4) {
      throw new SctpParseException("HEARTBEAT value needs a 4-byte parameter header, has " + len);
    }
    int type = Wire.u16(b, off);
    int infoLen = Wire.u16(b, off + 2);
    if (type != Parameter.HEARTBEAT_INFO || infoLen < 4 || infoLen > len) {
      throw new SctpParseException(
          "HEARTBEAT parameter type " + type + " length " + infoLen + " in " + len + " bytes");
    }
    return new HeartbeatChunk(ack, Arrays.copyOfRange(b, off + 4, off + infoLen));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HeartbeatChunk h && h.ack == ack && Arrays.equals(h.info, info);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(info) + (ack ? 1 : 0);
  }

  @Override
  public String toString() {
    return "HeartbeatChunk[ack=" + ack + ", info=" + HexFormat.of().formatHex(info) + "]";
  }
}
