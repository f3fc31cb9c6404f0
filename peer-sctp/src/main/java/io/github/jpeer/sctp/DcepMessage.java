package io.github.jpeer.sctp;

import java.nio.charset.StandardCharsets;

/** A Data Channel Establishment Protocol message (RFC 8832 section 5), carried with PPID 50. */
public sealed interface DcepMessage permits DcepMessage.Open, DcepMessage.Ack {
  /** Message type of DATA_CHANNEL_OPEN. */
  int TYPE_OPEN = 0x03;

  /** Message type of DATA_CHANNEL_ACK. */
  int TYPE_ACK = 0x02;

  /** The message on the wire. */
  byte[] encode();

  /**
   * DATA_CHANNEL_OPEN (RFC 8832 section 5.1).
   *
   * <pre>
   *  0                   1                   2                   3
   *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
   * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   * |  Message Type |  Channel Type |            Priority           |
   * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   * |                    Reliability Parameter                      |
   * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   * |         Label Length          |       Protocol Length         |
   * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   * \                                                               /
   * |                             Label                             |
   * /                                                               \
   * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   * \                                                               /
   * |                            Protocol                           |
   * /                                                               \
   * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   * </pre>
   *
   * @param channelType reliability and ordering
   * @param priority 16-bit priority (RFC 8831 section 6.4: 128 below normal, 256 normal, ...)
   * @param reliabilityParameter retransmissions or lifetime in ms (0 for reliable types)
   * @param label the channel label (UTF-8)
   * @param protocol the subprotocol (UTF-8), may be empty
   */
  record Open(
      ChannelType channelType,
      int priority,
      int reliabilityParameter,
      String label,
      String protocol)
      implements DcepMessage {
    /** Checks ranges and lengths. */
    public Open {
      if (priority < 0 || priority > 0xFFFF) {
        throw new IllegalArgumentException("priority must fit 16 bits, got " + priority);
      }
      if (label.getBytes(StandardCharsets.UTF_8).length > 0xFFFF
          || protocol.getBytes(StandardCharsets.UTF_8).length > 0xFFFF) {
        throw new IllegalArgumentException("label and protocol must be at most 65535 UTF-8 bytes");
      }
    }

    @Override
    public byte[] encode() {
      byte[] l = label.getBytes(StandardCharsets.UTF_8);
      byte[] p = protocol.getBytes(StandardCharsets.UTF_8);
      byte[] out = new byte[12 + l.length + p.length];
      out[0] = TYPE_OPEN;
      out[1] = (byte) channelType.code();
      Wire.put16(out, 2, priority);
      Wire.put32(out, 4, reliabilityParameter);
      Wire.put16(out, 8, l.length);
      Wire.put16(out, 10, p.length);
      System.arraycopy(l, 0, out, 12, l.length);
      System.arraycopy(p, 0, out, 12 + l.length, p.length);
      return out;
    }
  }

  /**
   * DATA_CHANNEL_ACK (RFC 8832 section 5.2): one byte, the message type.
   *
   * <pre>
   *  0 1 2 3 4 5 6 7
   * +-+-+-+-+-+-+-+-+
   * |  Message Type |
   * +-+-+-+-+-+-+-+-+
   * </pre>
   */
  record Ack() implements DcepMessage {
    @Override
    public byte[] encode() {
      return new byte[] {TYPE_ACK};
    }
  }

  /**
   * Parses a DCEP message.
   *
   * @throws SctpParseException on an unknown message or channel type, or lengths that do not match
   *     the message size
   */
  static DcepMessage parse(byte[] b, int off, int len) throws SctpParseException {
    if (len < 1) {
      throw new SctpParseException("empty DCEP message");
    }
    int type = Wire.u8(b, off);
    if (type == TYPE_ACK) {
      // RFC 8832 5.2: the ACK is exactly one byte; tolerate nothing else
      if (len != 1) {
        throw new SctpParseException("DATA_CHANNEL_ACK of " + len + " bytes");
      }
      return new Ack();
    }
    if (type != TYPE_OPEN) {
      throw new SctpParseException("unknown DCEP message type " + type);
    }
    if (len < 12) {
      throw new SctpParseException("DATA_CHANNEL_OPEN of " + len + " bytes, needs 12");
    }
    ChannelType ct = ChannelType.fromCode(Wire.u8(b, off + 1));
    if (ct == null) {
      throw new SctpParseException("unknown DCEP channel type " + Wire.u8(b, off + 1));
    }
    int labelLen = Wire.u16(b, off + 8);
    int protocolLen = Wire.u16(b, off + 10);
    if (12 + labelLen + protocolLen != len) {
      throw new SctpParseException(
          "DATA_CHANNEL_OPEN label "
              + labelLen
              + " + protocol "
              + protocolLen
              + " does not match "
              + len
              + " bytes");
    }
    return new Open(
        ct,
        Wire.u16(b, off + 2),
        Wire.i32(b, off + 4),
        new String(b, off + 12, labelLen, StandardCharsets.UTF_8),
        new String(b, off + 12 + labelLen, protocolLen, StandardCharsets.UTF_8));
  }
}
