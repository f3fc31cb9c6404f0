package io.github.jpeer.rtp;

/** The outcome of validating or parsing an RTCP compound datagram. Never an exception. */
public enum RtcpStatus {
  /** Well-formed. */
  OK,
  /** Empty, or a packet header or body runs past the end of the datagram. */
  TRUNCATED,
  /** A packet's version field is not 2. */
  BAD_VERSION,
  /** A padding count is zero or larger than the packet body. */
  BAD_PADDING,
  /** The headers are fine but a packet's body contradicts its own counts or lengths. */
  MALFORMED_BODY,
  /** Nothing has been validated yet. */
  NOT_WRAPPED
}
