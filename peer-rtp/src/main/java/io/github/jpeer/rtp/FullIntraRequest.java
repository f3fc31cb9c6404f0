package io.github.jpeer.rtp;

import java.util.List;

/**
 * Full Intra Request (RFC 5104 section 4.3.1): PSFB, FMT 4.
 *
 * <pre>
 * |V=2|P|  FMT=4  |  PT=PSFB=206  |          length               |
 * |                  SSRC of packet sender                        |
 * |                  SSRC of media source (unused, 0)             |
 * |                  FCI entries, 8 bytes each ...                |
 * </pre>
 *
 * @param senderSsrc SSRC of the packet sender
 * @param mediaSsrc the media source field (RFC 5104 says set it to 0)
 * @param entries one entry per media sender asked for a refresh
 */
public record FullIntraRequest(int senderSsrc, int mediaSsrc, List<FirEntry> entries)
    implements RtcpPacket {

  /** FMT value of FIR. */
  public static final int FORMAT = 4;

  /** Copies the list. */
  public FullIntraRequest {
    entries = List.copyOf(entries);
  }

  @Override
  public int packetType() {
    return TYPE_PSFB;
  }
}
