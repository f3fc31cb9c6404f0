package io.github.jpeer.rtp;

import java.util.List;

/**
 * One SDES chunk: an SSRC/CSRC and its items (RFC 3550 section 6.5).
 *
 * @param ssrc the source described
 * @param items its items, in wire order
 */
public record SdesChunk(int ssrc, List<SdesItem> items) {

  /** Copies the list. */
  public SdesChunk {
    items = List.copyOf(items);
  }

  /** Creates a chunk with a single CNAME item. */
  public static SdesChunk ofCname(int ssrc, String cname) {
    return new SdesChunk(ssrc, List.of(SdesItem.cname(cname)));
  }

  /** Returns the text of the first CNAME item, or {@code null} when the chunk has none. */
  public String cname() {
    for (SdesItem item : items) {
      if (item.type() == SdesItem.CNAME) {
        return item.text();
      }
    }
    return null;
  }
}
