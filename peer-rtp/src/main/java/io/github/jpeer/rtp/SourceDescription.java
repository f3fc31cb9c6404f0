package io.github.jpeer.rtp;

import java.util.List;

/**
 * RTCP source description (RFC 3550 section 6.5).
 *
 * <pre>
 * |V=2|P|    SC   |  PT=SDES=202  |             length            |
 * |                          SSRC/CSRC_1                          |   chunk 1
 * |                           SDES items ... (null-terminated,    |
 * |                           padded to 32 bits)                  |
 * |                          SSRC/CSRC_2 ...                      |   chunk 2
 * </pre>
 *
 * @param chunks at most 31 chunks
 */
public record SourceDescription(List<SdesChunk> chunks) implements RtcpPacket {

  /** Validates and copies the list. */
  public SourceDescription {
    chunks = List.copyOf(chunks);
    if (chunks.size() > 31) {
      throw new IllegalArgumentException("at most 31 SDES chunks per packet, got " + chunks.size());
    }
  }

  @Override
  public int packetType() {
    return TYPE_SDES;
  }
}
