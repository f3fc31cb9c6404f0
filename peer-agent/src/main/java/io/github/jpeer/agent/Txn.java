package io.github.jpeer.agent;

import io.github.jpeer.stun.TransactionId;
import java.net.InetSocketAddress;

/** A STUN client transaction with its retransmission state (RFC 8489 section 6.2.1). */
final class Txn {
  enum Kind {
    CHECK,
    CONSENT,
    GATHER,
    TURN
  }

  final TransactionId id;
  final Kind kind;
  final byte[] bytes;

  /** For checks: the local candidate the check leaves from. */
  LocalCand route;

  /** Where the request goes (remote candidate, STUN or TURN server). */
  final InetSocketAddress destination;

  /** For server transactions: the local socket. */
  InetSocketAddress socket;

  long nextSendNanos;

  /** When the request was first sent: a response to a request sent once gives an RTT sample. */
  long firstSentNanos;

  /** When the request was last sent (for a seed RTT when it was sent more than once). */
  long lastSentNanos;

  long rtoNanos;
  int transmissions;
  int maxTransmissions;
  long deadlineNanos = Long.MAX_VALUE;
  Pair pair;
  boolean nominate;
  boolean sentControlling;
  long prioritySent;
  TurnClient turn;
  int turnMethod;
  Object turnSubject;
  long requestedLifetimeSeconds = -1;

  Txn(TransactionId id, Kind kind, byte[] bytes, InetSocketAddress destination) {
    this.id = id;
    this.kind = kind;
    this.bytes = bytes;
    this.destination = destination;
  }
}
