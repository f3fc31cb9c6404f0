package io.github.jpeer.sctp;

/**
 * How to open a data channel (the W3C {@code RTCDataChannelInit} fields).
 *
 * @param label the label, sent in DATA_CHANNEL_OPEN
 * @param protocol the subprotocol, may be empty
 * @param ordered in-order delivery
 * @param maxRetransmits retransmissions before a message is abandoned, or -1 for no limit
 * @param maxLifetimeMillis milliseconds before an unacknowledged message is abandoned, or -1
 * @param priority the DCEP priority (256 is normal)
 * @param negotiated true if both sides create the channel with the same {@code id} and no DCEP
 * @param id the stream id of a negotiated channel, -1 otherwise
 */
public record DataChannelConfig(
    String label,
    String protocol,
    boolean ordered,
    int maxRetransmits,
    int maxLifetimeMillis,
    int priority,
    boolean negotiated,
    int id) {
  /** Normal priority (RFC 8831 section 6.4). */
  public static final int PRIORITY_NORMAL = 256;

  /** Checks the combination is one of the DCEP channel types. */
  public DataChannelConfig {
    if (label == null || protocol == null) {
      throw new IllegalArgumentException("label and protocol must not be null (use \"\")");
    }
    if (label.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 0xFFFF
        || protocol.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 0xFFFF) {
      // DATA_CHANNEL_OPEN has 16-bit lengths (RFC 8832 section 5.1): refuse here, not on the wire
      throw new IllegalArgumentException("label and protocol must be at most 65535 UTF-8 bytes");
    }
    if (maxRetransmits >= 0 && maxLifetimeMillis >= 0) {
      throw new IllegalArgumentException(
          "set either maxRetransmits or maxLifetimeMillis, not both (W3C RTCDataChannelInit)");
    }
    if (maxRetransmits < -1 || maxLifetimeMillis < -1) {
      throw new IllegalArgumentException("use -1 for 'no limit'");
    }
    if (negotiated && (id < 0 || id > 65534)) {
      throw new IllegalArgumentException("a negotiated channel needs an id in 0..65534, got " + id);
    }
    if (!negotiated && id != -1) {
      throw new IllegalArgumentException("only negotiated channels choose their id; pass -1");
    }
    if (priority < 0 || priority > 0xFFFF) {
      throw new IllegalArgumentException("priority must fit 16 bits");
    }
  }

  /** A reliable ordered channel opened through DCEP. */
  public static DataChannelConfig reliable(String label) {
    return new DataChannelConfig(label, "", true, -1, -1, PRIORITY_NORMAL, false, -1);
  }

  /** This config with another ordering. */
  public DataChannelConfig withOrdered(boolean newOrdered) {
    return new DataChannelConfig(
        label, protocol, newOrdered, maxRetransmits, maxLifetimeMillis, priority, negotiated, id);
  }

  /** This config with a retransmission limit (and no lifetime). */
  public DataChannelConfig withMaxRetransmits(int n) {
    return new DataChannelConfig(label, protocol, ordered, n, -1, priority, negotiated, id);
  }

  /** This config with a lifetime limit (and no retransmission limit). */
  public DataChannelConfig withMaxLifetimeMillis(int millis) {
    return new DataChannelConfig(label, protocol, ordered, -1, millis, priority, negotiated, id);
  }

  /** This config with a subprotocol. */
  public DataChannelConfig withProtocol(String newProtocol) {
    return new DataChannelConfig(
        label, newProtocol, ordered, maxRetransmits, maxLifetimeMillis, priority, negotiated, id);
  }

  /** This config with a DCEP priority. */
  public DataChannelConfig withPriority(int newPriority) {
    return new DataChannelConfig(
        label, protocol, ordered, maxRetransmits, maxLifetimeMillis, newPriority, negotiated, id);
  }

  /** This config as a negotiated channel on stream {@code streamId} (no DCEP). */
  public DataChannelConfig withNegotiatedId(int streamId) {
    return new DataChannelConfig(
        label, protocol, ordered, maxRetransmits, maxLifetimeMillis, priority, true, streamId);
  }

  /** The DCEP channel type of this config. */
  public ChannelType channelType() {
    return ChannelType.of(ordered, maxRetransmits >= 0, maxLifetimeMillis >= 0);
  }

  /** The DCEP reliability parameter of this config. */
  public int reliabilityParameter() {
    return maxRetransmits >= 0 ? maxRetransmits : Math.max(maxLifetimeMillis, 0);
  }
}
