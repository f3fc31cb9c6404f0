package io.github.jpeer.rtp;

import java.util.List;

/**
 * RTCP sender report (RFC 3550 section 6.4.1).
 *
 * <pre>
 * |V=2|P|    RC   |   PT=SR=200   |             length            |
 * |                         SSRC of sender                        |
 * |              NTP timestamp, most significant word             |
 * |             NTP timestamp, least significant word             |
 * |                         RTP timestamp                         |
 * |                     sender's packet count                     |
 * |                      sender's octet count                     |
 * |                 report blocks (RC x 24 bytes) ...             |
 * </pre>
 *
 * @param senderSsrc SSRC of the sender
 * @param ntpTimestamp 64-bit NTP time (seconds since 1900 in the high 32 bits), see {@link NtpTime}
 * @param rtpTimestamp unsigned 32-bit RTP timestamp matching the NTP time
 * @param packetCount unsigned 32-bit count of RTP packets sent
 * @param octetCount unsigned 32-bit count of payload octets sent
 * @param reportBlocks at most 31 blocks
 */
public record SenderReport(
    int senderSsrc,
    long ntpTimestamp,
    long rtpTimestamp,
    long packetCount,
    long octetCount,
    List<ReportBlock> reportBlocks)
    implements RtcpPacket {

  /** Validates the fields and copies the list. */
  public SenderReport {
    ReportBlock.checkU32("rtpTimestamp", rtpTimestamp);
    ReportBlock.checkU32("packetCount", packetCount);
    ReportBlock.checkU32("octetCount", octetCount);
    reportBlocks = List.copyOf(reportBlocks);
    if (reportBlocks.size() > 31) {
      throw new IllegalArgumentException(
          "at most 31 report blocks per SR, got " + reportBlocks.size());
    }
  }

  @Override
  public int packetType() {
    return TYPE_SR;
  }
}
