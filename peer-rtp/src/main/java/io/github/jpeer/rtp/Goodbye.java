package io.github.jpeer.rtp;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * RTCP BYE (RFC 3550 section 6.6). The reason is kept as raw bytes so that it is written back
 * exactly; {@link #reasonText()} decodes it.
 *
 * <pre>
 * |V=2|P|    SC   |   PT=BYE=203  |             length            |
 * |                           SSRC/CSRC                           |
 * :                              ...                              :
 * |     length    |               reason for leaving            ... (opt)
 * </pre>
 *
 * @param ssrcs the sources leaving, at most 31
 * @param reason 0-255 bytes of UTF-8, empty when no reason is given (copied)
 */
public record Goodbye(List<Integer> ssrcs, byte[] reason) implements RtcpPacket {

  /** Validates and copies. */
  public Goodbye {
    ssrcs = List.copyOf(ssrcs);
    reason = reason.clone();
    if (ssrcs.size() > 31) {
      throw new IllegalArgumentException("at most 31 SSRCs per BYE, got " + ssrcs.size());
    }
    if (reason.length > 255) {
      throw new IllegalArgumentException(
          "BYE reason is limited to 255 bytes, got " + reason.length);
    }
  }

  /** Creates a BYE with a UTF-8 reason (empty for none). */
  public static Goodbye of(List<Integer> ssrcs, String reason) {
    return new Goodbye(ssrcs, reason.getBytes(StandardCharsets.UTF_8));
  }

  /** Returns a copy of the reason bytes. */
  @Override
  public byte[] reason() {
    return reason.clone();
  }

  /** Returns the reason decoded as UTF-8 (empty when none was given). */
  public String reasonText() {
    return new String(reason, StandardCharsets.UTF_8);
  }

  int reasonLength() {
    return reason.length;
  }

  void copyReasonTo(byte[] dst, int offset) {
    System.arraycopy(reason, 0, dst, offset, reason.length);
  }

  @Override
  public int packetType() {
    return TYPE_BYE;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Goodbye other
        && ssrcs.equals(other.ssrcs)
        && Arrays.equals(reason, other.reason);
  }

  @Override
  public int hashCode() {
    return 31 * ssrcs.hashCode() + Arrays.hashCode(reason);
  }

  @Override
  public String toString() {
    return "Goodbye[ssrcs=" + ssrcs + ", reason=" + reasonText() + "]";
  }
}
