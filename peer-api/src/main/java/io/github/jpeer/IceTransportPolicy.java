package io.github.jpeer;

/**
 * Which local candidates ICE may use (W3C {@code RTCIceTransportPolicy}).
 *
 * <p>{@link #RELAY} hides the host's addresses from the remote (no host or server-reflexive
 * candidate is signalled or paired; checks that reach a host socket other than through the relay
 * are dropped, as {@code ice-unknown-source}) and forces every packet through a TURN relay: for
 * privacy, or to test a deployment's TURN servers. It needs a TURN server in the configuration, or
 * nothing will connect.
 */
public enum IceTransportPolicy {
  /** Every candidate: host, server-reflexive, relayed (the default). */
  ALL,
  /** Relayed candidates only. */
  RELAY
}
