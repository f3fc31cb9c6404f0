package io.github.jpeer.sctp;

import java.util.List;

/**
 * INIT (RFC 9260 section 3.3.2) and INIT ACK (section 3.3.3), which share one layout; INIT ACK
 * carries the State Cookie as a parameter.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Type = 1/2   |  Chunk Flags  |      Chunk Length             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         Initiate Tag                          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           Advertised Receiver Window Credit (a_rwnd)          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Number of Outbound Streams   |   Number of Inbound Streams   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                          Initial TSN                          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * \                                                               \
 * /              Optional/Variable-Length Parameters              /
 * \                                                               \
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * @param ack true for INIT ACK
 * @param initiateTag the verification tag the sender wants to see on packets to it (non-zero)
 * @param aRwnd the sender's receiver window in bytes (unsigned 32 bits)
 * @param outboundStreams OS
 * @param inboundStreams MIS
 * @param initialTsn the sender's first TSN
 * @param parameters the optional parameters in wire order
 */
public record InitChunk(
    boolean ack,
    int initiateTag,
    int aRwnd,
    int outboundStreams,
    int inboundStreams,
    int initialTsn,
    List<Parameter> parameters)
    implements Chunk {
  /** Copies the parameter list. */
  public InitChunk {
    parameters = List.copyOf(parameters);
  }

  @Override
  public int type() {
    return ack ? INIT_ACK : INIT;
  }

  @Override
  public int flags() {
    return 0;
  }

  @Override
  public int valueLength() {
    return 16 + Wire.tlvsLength(parameters);
  }

  @Override
  public void writeValue(byte[] b, int off) {
    Wire.put32(b, off, initiateTag);
    Wire.put32(b, off + 4, aRwnd);
    Wire.put16(b, off + 8, outboundStreams);
    Wire.put16(b, off + 10, inboundStreams);
    Wire.put32(b, off + 12, initialTsn);
    Wire.writeTlvs(parameters, b, off + 16);
  }

  /** The first parameter of {@code type}, or null. */
  public Parameter parameter(int type) {
    for (Parameter p : parameters) {
      if (p.type() == type) {
        return p;
      }
    }
    return null;
  }

  static InitChunk parse(boolean ack, byte[] b, int off, int len) throws SctpParseException {
    String name = ack ? "INIT ACK" : "INIT";
    if (len < 16) {
      throw new SctpParseException(name + " value needs 16 bytes, has " + len);
    }
    int tag = Wire.i32(b, off);
    int os = Wire.u16(b, off + 8);
    int mis = Wire.u16(b, off + 10);
    // RFC 9260 3.3.2: a zero tag or zero stream count is invalid
    if (tag == 0 || os == 0 || mis == 0) {
      throw new SctpParseException(name + " with zero initiate tag or stream count");
    }
    return new InitChunk(
        ack,
        tag,
        Wire.i32(b, off + 4),
        os,
        mis,
        Wire.i32(b, off + 12),
        Wire.readTlvs(b, off + 16, len - 16, name + " parameter"));
  }
}
