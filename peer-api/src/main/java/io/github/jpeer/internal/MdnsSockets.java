package io.github.jpeer.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.Selector;
import java.util.List;

/**
 * The driver's side of mDNS (RFC 6762): a socket on a free port that sends a core's queries and
 * hears answers sent back to it (section 6.7, what RFC-following responders do), and a listener
 * joined to the group on the mDNS port, for responders that answer only to the group (Chrome's).
 * Both open on the first query, so a connection that never meets a {@code .local} candidate opens
 * nothing. If the socket cannot open the query goes nowhere and the core counts the candidate as
 * {@code mdns-unresolved}; if only the listener cannot (port 5353 taken without SO_REUSEADDR, no
 * multicast), unicast answers still arrive.
 *
 * <p>Not thread-safe: the connection's loop thread owns it.
 */
public final class MdnsSockets implements AutoCloseable {
  private final InetSocketAddress target;
  private final int listenPort;
  private final System.Logger log;
  private UdpTransport socket;
  private UdpTransport listener;
  private boolean unavailable;
  private Selector selector;
  private Object attachment;

  /**
   * Sockets that send to {@code target} and listen on {@code listenPort} (0: a free port; -1: no
   * listener). {@link #standard} is what a connection uses; the rest is for tests that must neither
   * take port 5353 nor depend on multicast.
   */
  public MdnsSockets(InetSocketAddress target, int listenPort, System.Logger log) {
    if (listenPort < -1 || listenPort > 65_535) {
      throw new IllegalArgumentException(
          "listenPort is -1 (none), 0 (any) or a port, got " + listenPort);
    }
    this.target = target;
    this.listenPort = listenPort;
    this.log = log;
  }

  /** The group 224.0.0.251:5353, listened on at port 5353. */
  public static MdnsSockets standard(System.Logger log) {
    return new MdnsSockets(MdnsClient.MDNS_IPV4, MdnsClient.MDNS_IPV4.getPort(), log);
  }

  /** Sends one query (opening the sockets first if this is the first). */
  public void send(byte[] query, int length) {
    if (socket == null && !unavailable) {
      open();
    }
    if (socket != null) {
      socket.send(null, target, query, 0, length);
    }
  }

  /** Registers the sockets with {@code selector}, now if they are open, else when they open. */
  public void register(Selector selector, Object attachment) {
    this.selector = selector;
    this.attachment = attachment;
    if (socket != null) {
      registerOpen();
    }
  }

  /** Hands every waiting answer to {@code receiver}. */
  public void drain(UdpTransport.Receiver receiver) {
    if (socket != null) {
      socket.drain(receiver);
    }
    if (listener != null) {
      listener.drain(receiver);
    }
  }

  /** Where the group listener is bound, or null if none is open. */
  public InetSocketAddress listenerAddress() {
    return listener == null ? null : listener.localAddresses().get(0);
  }

  /** Where queries leave from, or null before the first. */
  public InetSocketAddress socketAddress() {
    return socket == null ? null : socket.localAddresses().get(0);
  }

  private void open() {
    try {
      socket = UdpTransport.open(List.of(InetAddress.getByAddress(new byte[4])), 0, 0);
    } catch (java.net.UnknownHostException | RuntimeException e) {
      unavailable = true;
      log.log(System.Logger.Level.WARNING, "cannot open the mDNS socket: " + e.getMessage());
      return;
    }
    if (listenPort >= 0) {
      try {
        listener =
            UdpTransport.openMulticastListener(MdnsClient.MDNS_IPV4.getAddress(), listenPort);
      } catch (RuntimeException e) {
        log.log(
            System.Logger.Level.DEBUG,
            "not listening for multicast mDNS answers: " + e.getMessage());
      }
    }
    if (selector != null) {
      registerOpen();
    }
  }

  private void registerOpen() {
    socket.register(selector, attachment);
    if (listener != null) {
      listener.register(selector, attachment);
    }
  }

  @Override
  public void close() {
    if (socket != null) {
      socket.close();
    }
    if (listener != null) {
      listener.close();
    }
  }
}
