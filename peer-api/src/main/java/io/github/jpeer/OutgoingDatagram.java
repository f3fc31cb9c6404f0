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

  OutgoingDatagram set(
      InetSocketAddress local,
      InetSocketAddress destination,
      byte[] data,
      int length,
      boolean mdns) {
    this.local = local;
    this.destination = destination;
    this.data = data;
    this.length = length;
    this.mdns = mdns;
    return this;
  }

  @Override
  public String toString() {
    return "OutgoingDatagram[" + length + " bytes " + local + " -> " + destination + "]";
  }
}
