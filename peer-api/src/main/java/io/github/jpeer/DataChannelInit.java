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
    if (protocol == null) {
      protocol = "";
    }
    if (negotiatedId < -1 || negotiatedId > 65534) {
      throw new IllegalArgumentException(
          "negotiatedId must be -1 or 0..65534, got " + negotiatedId);
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

  /** A stream id both sides agreed on; no DCEP open is sent. */
  public DataChannelInit withNegotiatedId(int id) {
    return new DataChannelInit(ordered, maxRetransmits, maxLifetimeMillis, protocol, priority, id);
  }
}
