package io.github.jpeer;

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
  private boolean stream;

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
   * Whether it goes over the TCP connection to {@link #destination()} rather than as a UDP
   * datagram: the core reaches that TURN server over TCP (a {@code turn:...?transport=tcp} ICE
   * server). The driver opens the connection on the first such packet, frames each packet for TURN
   * (peer-stun's {@code StreamFramer}), and hands what comes back, cut into packets, to {@link
   * PeerCore#handleStreamReceive} with this {@link #local()}; if the connection fails or closes it
   * calls {@link PeerCore#streamClosed}.
   */
  public boolean isStream() {
    return stream;
  }

  OutgoingDatagram set(
      InetSocketAddress local,
      InetSocketAddress destination,
      byte[] data,
      int length,
      boolean mdns) {
    return set(local, destination, data, length, mdns, false);
  }

  OutgoingDatagram set(
      InetSocketAddress local,
      InetSocketAddress destination,
      byte[] data,
      int length,
      boolean mdns,
      boolean stream) {
    this.local = local;
    this.destination = destination;
    this.data = data;
    this.length = length;
    this.mdns = mdns;
    this.stream = stream;
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
        + (stream ? " over TCP]" : "]");
  }
}
