package io.github.jpeer.agent;

/**
 * Counters of an {@link IceAgent}, taken with {@link IceAgent#stats()}. Every dropped datagram is
 * counted under exactly one reason.
 *
 * @param badIntegrity STUN messages whose MESSAGE-INTEGRITY was missing or wrong
 * @param badFingerprint STUN messages whose FINGERPRINT was missing (on checks) or wrong
 * @param unknownTransaction responses that match no transaction in flight
 * @param malformed datagrams that did not parse (STUN, ChannelData) or lacked a needed attribute
 * @param unknownUfrag checks whose USERNAME does not start with our ufrag
 * @param unknownSource non-STUN datagrams from an address that is no pair's remote
 * @param roleConflicts role conflicts detected (both directions)
 * @param unresolvedMdns remote mDNS candidates that could not be resolved and were ignored
 * @param checksSent connectivity and consent checks sent (retransmissions included)
 * @param checksRetransmitted of those, retransmissions: checks whose previous transmission went
 *     unanswered for its retransmission timeout
 * @param checksReceived valid checks received
 * @param responsesReceived valid check responses received
 * @param pairsFailed pairs that failed
 * @param unauthorizedResponses 401 error responses to our checks (which carry no integrity): the
 *     remote did not know the credentials, e.g. a connection of its old generation after an ICE
 *     restart; each failed its check
 * @param badIntegrityChecks checks from the remote whose MESSAGE-INTEGRITY failed with our password
 *     (also counted in {@code badIntegrity}): the remote was given another password than ours
 * @param badIntegrityResponses responses to our checks whose MESSAGE-INTEGRITY failed with the
 *     remote's password as its description gave it (also counted in {@code badIntegrity})
 * @param turnFailures TURN servers that gave no relay (refused, or never answered); each also came
 *     as {@link IceEvent.TurnFailed}
 */
public record IceStats(
    long badIntegrity,
    long badFingerprint,
    long unknownTransaction,
    long malformed,
    long unknownUfrag,
    long unknownSource,
    long roleConflicts,
    long unresolvedMdns,
    long checksSent,
    long checksRetransmitted,
    long checksReceived,
    long responsesReceived,
    long pairsFailed,
    long unauthorizedResponses,
    long badIntegrityChecks,
    long badIntegrityResponses,
    long turnFailures) {

  /** All drops together. */
  public long dropped() {
    return badIntegrity
        + badFingerprint
        + unknownTransaction
        + malformed
        + unknownUfrag
        + unknownSource;
  }
}
