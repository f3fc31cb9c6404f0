package io.github.jpeer.rtp;

import java.util.List;

/**
 * RTCP receiver report (RFC 3550 section 6.4.2).
 *
 * <pre>
 * |V=2|P|    RC   |   PT=RR=201   |             length            |
 * |                     SSRC of packet sender                     |
 * |                 report blocks (RC x 24 bytes) ...             |
 * </pre>
 *
 * @param senderSsrc SSRC of the packet sender
 * @param reportBlocks at most 31 blocks
 */
public record ReceiverReport(int senderSsrc, List<ReportBlock> reportBlocks) implements RtcpPacket {

  /** Validates and copies the list. */
  public ReceiverReport {
    reportBlocks = List.copyOf(reportBlocks);
    if (reportBlocks.size() > 31) {
      throw new IllegalArgumentException(
          "at most 31 report blocks per RR, got " + reportBlocks.size());
    }
  }

  @Override
  public int packetType() {
    return TYPE_RR;
  }
}
