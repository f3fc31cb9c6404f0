package io.github.jpeer;

/** The role of a session description in the offer/answer exchange (RFC 3264, RFC 8829). */
public enum SdpType {
  /** A description that proposes a session. */
  OFFER,
  /** The reply to an offer, final. */
  ANSWER
}
