package io.github.jpeer.agent;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A TURN server reached over UDP, with long-term credentials (RFC 8489 section 9.2).
 *
 * @param address the server's resolved address (the agent never resolves names)
 * @param username the long-term username
 * @param password the long-term password (never logged: {@link #toString()} hides it)
 */
public record TurnServer(InetSocketAddress address, String username, String password) {
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
    return "TurnServer[" + address + ", username=" + username + ", password=<hidden>]";
  }
}
