package io.github.jpeer.sctp;

/**
 * An open data channel as both sides agreed on it.
 *
 * @param streamId the SCTP stream id (the W3C {@code id})
 * @param label the label
 * @param protocol the subprotocol
 * @param type reliability and ordering
 * @param reliabilityParameter retransmissions or lifetime in ms, per {@code type}
 * @param priority the DCEP priority
 * @param negotiated true if opened without DCEP
 */
public record ChannelInfo(
    int streamId,
    String label,
    String protocol,
    ChannelType type,
    int reliabilityParameter,
    int priority,
    boolean negotiated) {}
