package io.github.jpeer.rtp;

import java.util.List;

/**
 * Transport-layer feedback generic NACK (RFC 4585 section 6.2.1): RTPFB, FMT 1.
 *
 * <pre>
 * |V=2|P|  FMT=1  |  PT=RTPFB=205 |          length               |
 * |                  SSRC of packet sender                        |
 * |                  SSRC of media source                         |
 * |            PID                |             BLP               |  (one or more)
 * </pre>
 *
 * <p>Each PID/BLP pair names the packet PID and, for each bit i set in BLP, packet PID+i+1. The
 * record holds the expanded list: for each pair, PID first, then the BLP packets in increasing
 * order. Duplicates across pairs are kept as sent.
 *
 * @param senderSsrc SSRC of the packet sender
 * @param mediaSsrc SSRC of the media source the losses are in
 * @param lostSequenceNumbers sequence numbers (0-65535) reported lost
 */
public record GenericNack(int senderSsrc, int mediaSsrc, List<Integer> lostSequenceNumbers)
    implements RtcpPacket {

  /** FMT value of a generic NACK. */
  public static final int FORMAT = 1;

  /** Validates and copies. */
  public GenericNack {
    lostSequenceNumbers = List.copyOf(lostSequenceNumbers);
    for (int seq : lostSequenceNumbers) {
      if (seq < 0 || seq > 0xFFFF) {
        throw new IllegalArgumentException("sequence numbers are 0-65535, got " + seq);
      }
    }
  }

  @Override
  public int packetType() {
    return TYPE_RTPFB;
  }
}
