package io.github.jpeer.agent;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A TURN server with long-term credentials (RFC 8489 section 9.2), reached over UDP or TCP (RFC
 * 8656 section 3.1); the relayed leg to the peer is UDP either way.
 *
 * @param address the server's resolved address (the agent never resolves names)
 * @param username the long-term username
 * @param password the long-term password (never logged: {@link #toString()} hides it)
 * @param overTcp whether the agent talks to the server over a TCP connection, which the driver
 *     opens and frames ({@link Transmit#stream()}, {@link IceAgent#handleStreamReceive})
 */
public record TurnServer(
    InetSocketAddress address, String username, String password, boolean overTcp) {
  /** A TURN server reached over UDP. */
  public TurnServer(InetSocketAddress address, String username, String password) {
    this(address, username, password, false);
  }

  /** Checks that nothing is missing and the address is resolved. */
  public TurnServer {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
    if (address.isUnresolved()) {
      throw new IllegalArgumentException(
          "TURN server address " + address + " must be resolved by the caller");
    }
  }

  @Override
  public String toString() {
    return "TurnServer["
        + address
        + (overTcp ? " over TCP" : "")
        + ", username="
        + username
        + ", password=<hidden>]";
  }
}
