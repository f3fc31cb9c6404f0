package io.github.jpeer.sctp;

/**
 * The DCEP channel types (RFC 8832 section 5.1): reliability and ordering of a data channel. The
 * high bit (0x80) means unordered.
 */
public enum ChannelType {
  /** Reliable, ordered. */
  RELIABLE(0x00),
  /** Partially reliable by number of retransmissions, ordered. */
  PARTIAL_RELIABLE_REXMIT(0x01),
  /** Partially reliable by lifetime in milliseconds, ordered. */
  PARTIAL_RELIABLE_TIMED(0x02),
  /** Reliable, unordered. */
  RELIABLE_UNORDERED(0x80),
  /** Partially reliable by retransmissions, unordered. */
  PARTIAL_RELIABLE_REXMIT_UNORDERED(0x81),
  /** Partially reliable by lifetime, unordered. */
  PARTIAL_RELIABLE_TIMED_UNORDERED(0x82);

  private final int code;

  ChannelType(int code) {
    this.code = code;
  }

  /** The wire value. */
  public int code() {
    return code;
  }

  /** True for the 0x80 family. */
  public boolean unordered() {
    return (code & 0x80) != 0;
  }

  /** True if messages may be abandoned after the reliability parameter's retransmissions. */
  public boolean byRetransmits() {
    return (code & 0x7F) == 0x01;
  }

  /** True if messages may be abandoned after the reliability parameter's milliseconds. */
  public boolean byLifetime() {
    return (code & 0x7F) == 0x02;
  }

  /** The type for a wire value, or null if unknown. */
  public static ChannelType fromCode(int code) {
    for (ChannelType t : values()) {
      if (t.code == code) {
        return t;
      }
    }
    return null;
  }

  /** The type for these delivery options. */
  public static ChannelType of(boolean ordered, boolean byRetransmits, boolean byLifetime) {
    int c = (ordered ? 0 : 0x80) | (byRetransmits ? 0x01 : byLifetime ? 0x02 : 0);
    return fromCode(c);
  }
}
