package io.github.jpeer.rtp;

/**
 * Payload-specific feedback Picture Loss Indication (RFC 4585 section 6.3.1): PSFB, FMT 1, no FCI.
 * Sent to ask the media sender for a keyframe.
 *
 * <pre>
 * |V=2|P|  FMT=1  |  PT=PSFB=206  |          length=2             |
 * |                  SSRC of packet sender                        |
 * |                  SSRC of media source                         |
 * </pre>
 *
 * @param senderSsrc SSRC of the packet sender
 * @param mediaSsrc SSRC of the media source that should send a keyframe
 */
public record PictureLossIndication(int senderSsrc, int mediaSsrc) implements RtcpPacket {

  /** FMT value of PLI. */
  public static final int FORMAT = 1;

  @Override
  public int packetType() {
    return TYPE_PSFB;
  }
}
