package io.github.jpeer.agent;

import io.github.jpeer.stun.StreamFramer;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A packet the agent wants sent: from the local socket bound to {@code local}, to {@code
 * destination}, as a UDP datagram or over a TCP connection.
 *
 * <p>Over TCP ({@link #framing()} not null) the connection is the one between {@code local} and
 * {@code destination}, and the driver frames each packet with peer-stun's {@link StreamFramer}:
 *
 * <ul>
 *   <li>{@link StreamFramer.Framing#TURN}: to a TURN server reached over TCP or TLS; {@code local}
 *       is the UDP socket the allocation belongs to, and the driver opens the connection on the
 *       first packet.
 *   <li>{@link StreamFramer.Framing#RFC_4571}: ICE-TCP (RFC 6544) to a remote candidate. If {@code
 *       local} is an active candidate's address (port {@link IceCandidate#DISCARD_PORT}) the driver
 *       connects out from that IP on the first packet; if it is a passive candidate's listening
 *       address the connection is one the remote opened to it, and without one the packet is
 *       dropped. An empty packet ({@link #isClose()}) asks the driver to close the connection: its
 *       pair was pruned.
 * </ul>
 *
 * @param local the local socket address to send from (one the caller passed to {@link
 *     IceAgent#gather})
 * @param destination where to send
 * @param data the payload, owned by this record
 * @param framing {@code null} for a UDP datagram, else how to frame it on the TCP connection
 */
public record Transmit(
    InetSocketAddress local,
    InetSocketAddress destination,
    byte[] data,
    StreamFramer.Framing framing) {
  private static final byte[] NOTHING = new byte[0];

  /** A UDP datagram. */
  public Transmit(InetSocketAddress local, InetSocketAddress destination, byte[] data) {
    this(local, destination, data, null);
  }

  /** Copies {@code data} so the record owns its bytes. */
  public Transmit {
    Objects.requireNonNull(local, "local");
    Objects.requireNonNull(destination, "destination");
    data = data.length == 0 ? NOTHING : data.clone();
  }

  /** The instruction to close the ICE-TCP connection between {@code local} and {@code remote}. */
  static Transmit close(InetSocketAddress local, InetSocketAddress remote) {
    return new Transmit(local, remote, NOTHING, StreamFramer.Framing.RFC_4571);
  }

  /** Whether it goes over a TCP connection rather than as a UDP datagram. */
  public boolean stream() {
    return framing != null;
  }

  /** Whether this asks the driver to close its ICE-TCP connection (an empty stream packet). */
  public boolean isClose() {
    return framing != null && data.length == 0;
  }

  /** A copy of the payload. */
  @Override
  public byte[] data() {
    return data.clone();
  }

  /** The payload length, without copying. */
  public int length() {
    return data.length;
  }

  /** Copies the payload into {@code dst} at {@code offset}; returns the number of bytes copied. */
  public int copyTo(byte[] dst, int offset) {
    System.arraycopy(data, 0, dst, offset, data.length);
    return data.length;
  }
}
