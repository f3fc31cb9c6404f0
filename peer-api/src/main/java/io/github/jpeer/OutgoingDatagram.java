package io.github.jpeer;

import io.github.jpeer.stun.StreamFramer;
import java.net.InetSocketAddress;

/**
 * A datagram a {@link PeerCore} wants sent, from {@link PeerCore#pollTransmit()}. The object and
 * its bytes belong to the core and are reused: send it before polling again.
 */
public final class OutgoingDatagram {
  private InetSocketAddress local;
  private InetSocketAddress destination;
  private byte[] data;
  private int length;
  private boolean mdns;
  private StreamFramer.Framing framing;

  OutgoingDatagram() {}

  /**
   * The local socket to send from (one of the addresses the core was made with), or null for an
   * mDNS query ({@link #isMdns()}), which goes from any socket of the driver's choosing.
   */
  public InetSocketAddress local() {
    return local;
  }

  /** Where to send it. */
  public InetSocketAddress destination() {
    return destination;
  }

  /** The bytes: {@code data()[0, length())}; the array is the core's and is reused. */
  public byte[] data() {
    return data;
  }

  /** The datagram's length. */
  public int length() {
    return length;
  }

  /**
   * Whether this is an mDNS query (RFC 6762) for a remote {@code .local} candidate: send it to
   * {@link #destination()} from a socket that also hears the answers, and hand those to {@link
   * PeerCore#handleMdnsReceive}.
   */
  public boolean isMdns() {
    return mdns;
  }

  /**
   * Whether it goes over a TCP connection between {@link #local()} and {@link #destination()}
   * rather than as a UDP datagram, framed with peer-stun's {@code StreamFramer}:
   *
   * <ul>
   *   <li>to a TURN server reached over TCP or TLS (a {@code turn:...?transport=tcp} or {@code
   *       turns:} ICE server), framed for TURN: the driver opens the connection on the first such
   *       packet;
   *   <li>ICE-TCP ({@link #isIceTcp()}), framed by RFC 4571: from an active candidate (local port
   *       9) the driver connects out from {@code local}'s IP on the first packet; from a passive
   *       candidate (a listener the core was made with) it uses the connection the remote opened,
   *       and drops the packet if there is none.
   * </ul>
   *
   * What comes back, cut into packets, goes to {@link PeerCore#handleStreamReceive} with this
   * {@link #local()} (or the listener that accepted the connection); if the connection fails or
   * closes the driver calls {@link PeerCore#streamClosed}.
   */
  public boolean isStream() {
    return framing != null;
  }

  /** Whether it goes over an ICE-TCP connection (RFC 6544), framed by RFC 4571. */
  public boolean isIceTcp() {
    return framing == StreamFramer.Framing.RFC_4571;
  }

  /**
   * Whether this is no packet but the instruction to close the ICE-TCP connection between {@link
   * #local()} and {@link #destination()} (its pair was pruned); nothing is reported back.
   */
  public boolean isClose() {
    return framing != null && length == 0;
  }

  OutgoingDatagram set(
      InetSocketAddress local,
      InetSocketAddress destination,
      byte[] data,
      int length,
      boolean mdns) {
    return set(local, destination, data, length, mdns, null);
  }

  OutgoingDatagram set(
      InetSocketAddress local,
      InetSocketAddress destination,
      byte[] data,
      int length,
      boolean mdns,
      StreamFramer.Framing framing) {
    // Compared first: this holder is long-lived and set per packet, and a reference store into an
    // old object dirties a GC card even when the value is the same (G1's refinement then rescans
    // it); a call's packets mostly go the same way, so most of these stores are skipped.
    if (this.local != local) {
      this.local = local;
    }
    if (this.destination != destination) {
      this.destination = destination;
    }
    if (this.data != data) {
      this.data = data;
    }
    this.length = length;
    this.mdns = mdns;
    if (this.framing != framing) {
      this.framing = framing;
    }
    return this;
  }

  @Override
  public String toString() {
    return "OutgoingDatagram["
        + length
        + " bytes "
        + local
        + " -> "
        + destination
        + (framing == null ? "]" : isIceTcp() ? " over ICE-TCP]" : " over TCP]");
  }
}
