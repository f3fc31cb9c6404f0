package io.github.jpeer.agent;

import java.util.Objects;

/**
 * A snapshot of a candidate pair (RFC 8445 section 6.1.2).
 *
 * @param local the local candidate (host, server-reflexive base, peer-reflexive or relayed)
 * @param remote the remote candidate
 * @param priority the pair priority (RFC 8445 section 6.1.2.3) for the agent's role at the time
 * @param nominated whether the pair was nominated
 */
public record CandidatePair(
    IceCandidate local, IceCandidate remote, long priority, boolean nominated) {
  /** Checks that both candidates are present. */
  public CandidatePair {
    Objects.requireNonNull(local, "local");
    Objects.requireNonNull(remote, "remote");
  }

  /** Whether data on this pair goes through a TURN relay. */
  public boolean isRelayed() {
    return local.type() == CandidateType.RELAYED;
  }
}
