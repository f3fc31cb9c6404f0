package io.github.jpeer;

/**
 * How a data channel behaves (RFC 8831 6.1, the W3C {@code RTCDataChannelInit}). The default is
 * reliable and ordered.
 *
 * @param ordered deliver messages in the order sent
 * @param maxRetransmits give up on a message after this many retransmissions (-1: unlimited)
 * @param maxLifetimeMillis give up on a message after this long (-1: unlimited); at most one of
 *     this and {@code maxRetransmits} may be set
 * @param protocol the sub-protocol name ({@code ""} for none)
 * @param priority the DCEP priority (256 is normal)
 * @param negotiatedId a stream id agreed out of band (no DCEP open), or -1
 */
public record DataChannelInit(
    boolean ordered,
    int maxRetransmits,
    int maxLifetimeMillis,
    String protocol,
    int priority,
    int negotiatedId) {

  /** Reliable, ordered, no protocol, normal priority. */
  public static final DataChannelInit RELIABLE = new DataChannelInit(true, -1, -1, "", 256, -1);

  /** Checks the combination. */
  public DataChannelInit {
    if (maxRetransmits >= 0 && maxLifetimeMillis >= 0) {
      throw new IllegalArgumentException(
          "set maxRetransmits or maxLifetimeMillis, not both (RFC 8831 6.1)");
    }
    if (maxRetransmits < -1 || maxLifetimeMillis < -1) {
      throw new IllegalArgumentException(
          "maxRetransmits and maxLifetimeMillis must be -1 (no limit) or at least 0, got "
              + maxRetransmits
              + " and "
              + maxLifetimeMillis);
    }
    if (protocol == null) {
      protocol = "";
    }
    requireDcepString("protocol", protocol);
    if (priority < 0 || priority > 0xFFFF) {
      throw new IllegalArgumentException(
          "priority must be 0..65535 (RFC 8831 section 6.4; normal is 256), got " + priority);
    }
    if (negotiatedId < -1 || negotiatedId > 65534) {
      throw new IllegalArgumentException(
          "negotiatedId must be -1 or 0..65534, got " + negotiatedId);
    }
  }

  /** The most UTF-8 bytes a label or protocol may have: DCEP gives each a 16-bit length. */
  public static final int MAX_LABEL_BYTES = 0xFFFF;

  /**
   * Checks a channel label or protocol fits DATA_CHANNEL_OPEN (RFC 8832 section 5.1).
   *
   * @throws IllegalArgumentException if it is longer than {@link #MAX_LABEL_BYTES} in UTF-8
   */
  static void requireDcepString(String what, String value) {
    if (value.length() > MAX_LABEL_BYTES / 3) { // below that many chars it always fits
      int bytes = value.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
      if (bytes > MAX_LABEL_BYTES) {
        throw new IllegalArgumentException(
            "a data channel "
                + what
                + " may have at most 65535 UTF-8 bytes (RFC 8832 section 5.1), this one has "
                + bytes
                + ": use a shorter "
                + what);
      }
    }
  }

  /** Unordered delivery, as e.g. game state or live telemetry want. */
  public DataChannelInit withOrdered(boolean value) {
    return new DataChannelInit(
        value, maxRetransmits, maxLifetimeMillis, protocol, priority, negotiatedId);
  }

  /** Partial reliability by retransmission count. */
  public DataChannelInit withMaxRetransmits(int value) {
    return new DataChannelInit(ordered, value, -1, protocol, priority, negotiatedId);
  }

  /** Partial reliability by lifetime. */
  public DataChannelInit withMaxLifetimeMillis(int value) {
    return new DataChannelInit(ordered, -1, value, protocol, priority, negotiatedId);
  }

  /** A sub-protocol name. */
  public DataChannelInit withProtocol(String value) {
    return new DataChannelInit(
        ordered, maxRetransmits, maxLifetimeMillis, value, priority, negotiatedId);
  }

  /** A priority (RFC 8831 section 6.4): 128 below normal, 256 normal, 512 high, 1024 extra high. */
  public DataChannelInit withPriority(int value) {
    return new DataChannelInit(
        ordered, maxRetransmits, maxLifetimeMillis, protocol, value, negotiatedId);
  }

  /** A stream id both sides agreed on; no DCEP open is sent. */
  public DataChannelInit withNegotiatedId(int id) {
    return new DataChannelInit(ordered, maxRetransmits, maxLifetimeMillis, protocol, priority, id);
  }
}
