package io.github.jpeer.agent;

/**
 * What an {@link IceAgent} tells its owner, drained with {@link IceAgent#pollEvent()} in the order
 * things happened.
 */
public sealed interface IceEvent {
  /**
   * A local candidate was gathered; signal it to the remote peer (trickle, RFC 8838).
   *
   * @param candidate the new candidate
   */
  record LocalCandidate(IceCandidate candidate) implements IceEvent {}

  /**
   * Every STUN and TURN server answered or timed out: no more local candidates will come (send
   * end-of-candidates, RFC 8838 section 4.4).
   */
  record GatheringComplete() implements IceEvent {}

  /**
   * The connection state changed.
   *
   * @param state the new state
   */
  record StateChanged(IceState state) implements IceEvent {}

  /**
   * The pair that carries application data changed (a better valid pair, a nomination, or none any
   * more: then {@code pair} is {@code null}).
   *
   * @param pair the new selected pair, or {@code null}
   */
  record SelectedPairChanged(CandidatePair pair) implements IceEvent {}

  /**
   * The agent's role changed after a role conflict (RFC 8445 section 7.3.1.1 / 7.2.5.1).
   *
   * @param controlling the new role
   */
  record RoleChanged(boolean controlling) implements IceEvent {}

  /**
   * A remote candidate's address is an mDNS name (RFC 8445 with draft-ietf-mmusic-mdns-ice-
   * candidates): resolve it and answer with {@link IceAgent#resolveMdns} (null if it cannot be
   * resolved). Asked once per name; the candidate waits until then.
   *
   * @param hostname the {@code .local} name
   */
  record MdnsQuery(String hostname) implements IceEvent {}

  /**
   * A TURN server gave no relay: it refused the allocation or never answered. Gathering goes on
   * without it; the reason is here so that a wrong password or a blocked server is not silent.
   *
   * @param server the server's address (no credentials)
   * @param errorCode the STUN error code of the final answer (401 after authenticating: wrong
   *     username or password; 403, 486, ...), or 701 if the server never answered (the code the W3C
   *     API uses for that)
   * @param reason what it means, in words of ours (never the server's own text, which may quote
   *     what it was sent)
   */
  record TurnFailed(java.net.InetSocketAddress server, int errorCode, String reason)
      implements IceEvent {}
}
