package io.github.jpeer.agent;

/**
 * The connection states an {@link IceAgent} reports, the same set libpeer exposes.
 *
 * <p>Transitions: NEW to CHECKING when the first check is sent or received; CHECKING to CONNECTED
 * when a pair succeeds; CONNECTED to COMPLETED when a pair is nominated; CONNECTED or COMPLETED to
 * DISCONNECTED when the selected pair's consent has not been refreshed for {@link
 * IceConfig#disconnectedTimeoutNanos()}, and back when a consent response arrives; to FAILED when
 * every pair failed or consent expired ({@link IceConfig#consentTimeoutNanos()}); to CLOSED on
 * {@link IceAgent#close}. An ICE restart moves FAILED or DISCONNECTED back to CHECKING.
 */
public enum IceState {
  /** Nothing checked yet. */
  NEW,
  /** Connectivity checks are running, no pair works yet. */
  CHECKING,
  /** At least one pair works and carries data; nomination is not done. */
  CONNECTED,
  /** A pair is nominated and selected. */
  COMPLETED,
  /** No pair works, or consent expired. */
  FAILED,
  /** The selected pair's consent checks have gone unanswered for a while; data still flows. */
  DISCONNECTED,
  /** The agent was closed. */
  CLOSED
}
