package io.github.jpeer.agent;

import java.net.InetSocketAddress;

/** A local candidate and how to send from it. Not thread-safe, owned by an {@link IceAgent}. */
final class LocalCand {
  final IceCandidate candidate;

  /** The local socket address packets from this candidate leave from. */
  final InetSocketAddress socket;

  /** The allocation behind a relayed candidate, otherwise {@code null}. */
  final TurnClient relay;

  final int localPreference;

  LocalCand(IceCandidate candidate, InetSocketAddress socket, TurnClient relay, int localPref) {
    this.candidate = candidate;
    this.socket = socket;
    this.relay = relay;
    this.localPreference = localPref;
  }

  /** The address a remote peer sees as this candidate's (relayed address for relays). */
  InetSocketAddress address() {
    return candidate.address();
  }

  /** Whether this candidate takes part in pairing (srflx are pruned to their base host). */
  boolean pairable() {
    return candidate.type() == CandidateType.HOST || candidate.type() == CandidateType.RELAYED;
  }
}
