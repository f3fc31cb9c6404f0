package io.github.jpeer.sctp;

/**
 * A snapshot of an association's counters, for {@code getStats()}.
 *
 * @param packetsReceived SCTP packets handed to {@code handleReceive}
 * @param packetsSent SCTP packets returned by {@code pollTransmit}
 * @param bytesReceived bytes of those packets
 * @param bytesSent bytes of those packets
 * @param badChecksum packets dropped for a wrong CRC32c
 * @param malformed packets or chunks that did not parse (including DCEP messages)
 * @param badVerificationTag packets dropped for a wrong verification tag
 * @param badPorts packets dropped because their ports are not this association's
 * @param unexpectedChunks chunks that made no sense in the current state (dropped)
 * @param unknownChunks chunks of unknown type (handled per their upper two bits)
 * @param dataChunksReceived DATA chunks received, duplicates included
 * @param duplicateDataChunks DATA chunks received more than once
 * @param dataChunksSent DATA chunks sent the first time
 * @param retransmissions DATA chunks sent again
 * @param fastRetransmits DATA chunks marked for fast retransmit
 * @param t3Expirations retransmission timeouts
 * @param tailLossProbes probes sent after two smoothed RTTs without a SACK (RFC 8985 TLP)
 * @param spuriousRetransmits retransmissions the peer reported as duplicates (the path reorders)
 * @param abandonedMessages messages given up by partial reliability
 * @param messagesSent user messages queued by {@code send}
 * @param messagesReceived user messages delivered
 * @param droppedMessages received messages not delivered (unknown PPID or stream, too big)
 * @param heartbeatsSent HEARTBEAT chunks sent
 * @param heartbeatAcksReceived HEARTBEAT ACK chunks received
 * @param rtoMillis the current retransmission timeout (T3-rtx), backoff included
 * @param srttMillis the smoothed round-trip time, 0 until measured
 * @param cwndBytes the congestion window
 * @param peerRwndBytes what we believe the peer can still buffer
 */
public record SctpStats(
    long packetsReceived,
    long packetsSent,
    long bytesReceived,
    long bytesSent,
    long badChecksum,
    long malformed,
    long badVerificationTag,
    long badPorts,
    long unexpectedChunks,
    long unknownChunks,
    long dataChunksReceived,
    long duplicateDataChunks,
    long dataChunksSent,
    long retransmissions,
    long fastRetransmits,
    long t3Expirations,
    long tailLossProbes,
    long spuriousRetransmits,
    long abandonedMessages,
    long messagesSent,
    long messagesReceived,
    long droppedMessages,
    long heartbeatsSent,
    long heartbeatAcksReceived,
    long rtoMillis,
    long srttMillis,
    long cwndBytes,
    long peerRwndBytes) {}
