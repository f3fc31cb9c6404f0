package io.github.jpeer;

/**
 * The life of a connection, with libpeer's names and order.
 *
 * <p>A connection normally goes NEW, CHECKING, CONNECTED, COMPLETED, and ends in CLOSED; it may
 * pass through DISCONNECTED (consent not answered for a while) and come back to COMPLETED, or end
 * in FAILED.
 */
public enum PeerConnectionState {
  /** Created; no remote description yet. */
  NEW,
  /** ICE connectivity checks are running. */
  CHECKING,
  /** ICE selected a candidate pair; the DTLS handshake runs. */
  CONNECTED,
  /** DTLS done and SRTP keys installed: media and data can flow. */
  COMPLETED,
  /** ICE or DTLS failed; the connection will not recover. Close it and make a new one. */
  FAILED,
  /** The remote stopped answering consent checks; may return to COMPLETED. */
  DISCONNECTED,
  /** {@code close()} was called or the remote closed; nothing more happens. */
  CLOSED
}
