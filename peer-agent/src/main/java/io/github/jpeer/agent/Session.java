package io.github.jpeer.agent;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * One ICE session: the credentials and checklist between two restarts (RFC 8445 section 9). Not
 * thread-safe.
 */
final class Session {
  final IceCredentials local;
  IceCredentials remote;
  final List<IceCandidate> remoteCandidates = new ArrayList<>();
  final List<Pair> pairs = new ArrayList<>();
  final ArrayDeque<Pair> triggered = new ArrayDeque<>();
  long nextCheckNanos = Long.MIN_VALUE;
  long firstValidNanos = Long.MAX_VALUE;
  boolean nominating;

  /** A nominated pair is selected: ordinary checks stop (RFC 8445 section 8.1.2). */
  boolean completed;

  Pair nominatingPair;
  boolean remoteEndOfCandidates;

  /**
   * Until when a local passive TCP candidate may still be reached by one of the remote's active
   * ones (Long.MIN_VALUE: no such remote candidate yet): the checklist is not FAILED before then,
   * since the remote's connection, and the pair it makes, may still come.
   */
  long passiveWaitUntilNanos = Long.MIN_VALUE;

  int prflxCount;
  byte[] localKey;
  byte[] remoteKey;

  Session(IceCredentials local) {
    this.local = local;
    this.localKey = io.github.jpeer.stun.StunCredentials.shortTermKey(local.pwd());
  }

  void setRemote(IceCredentials remote) {
    this.remote = remote;
    this.remoteKey = io.github.jpeer.stun.StunCredentials.shortTermKey(remote.pwd());
  }

  boolean hasWork() {
    if (remote == null) {
      return false;
    }
    if (!triggered.isEmpty()) {
      return true;
    }
    if (completed) {
      return false;
    }
    for (Pair p : pairs) {
      if (p.state == Pair.State.WAITING || p.state == Pair.State.FROZEN) {
        return true;
      }
    }
    return false;
  }
}
