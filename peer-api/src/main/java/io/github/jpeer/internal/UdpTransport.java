package io.github.jpeer.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The only place where jpeer touches the network: one non-blocking UDP {@link DatagramChannel} per
 * local address (BUNDLE and rtcp-mux: everything of a connection shares it).
 *
 * <p>{@link #drain} reads every waiting datagram of every socket into one reused buffer and hands
 * it to a {@link Receiver}; {@link #send} writes one datagram. Neither blocks and neither throws
 * for network trouble: failures are counted ({@link #sendErrors()}).
 *
 * <p>Not thread-safe: owned by the thread that runs the connection's {@code loop()}.
 */
public final class UdpTransport implements AutoCloseable {
  /** Largest UDP payload jpeer reads; bigger datagrams are truncated by the OS and dropped. */
  public static final int MAX_DATAGRAM = 65_535;

  /** Receives one datagram; {@code data[0, length)} is valid only during the call. */
  @FunctionalInterface
  public interface Receiver {
    /** One datagram from {@code from} arrived on the socket bound to {@code local}. */
    void onDatagram(InetSocketAddress local, InetSocketAddress from, byte[] data, int length);
  }

  private final List<DatagramChannel> channels;
  private final List<InetSocketAddress> localAddresses;

  /**
   * The datagram buffers, one set per thread rather than per transport: every transport is used by
   * one thread at a time, and a datagram is handed on and finished with before the next is read, so
   * a server thread driving a thousand connections needs 128 KiB of buffers, not 128 MiB.
   */
  private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

  private static final class Buffers {
    final byte[] receiveArray = new byte[MAX_DATAGRAM];
    // Direct too: given a heap buffer the JDK receives into a temporary direct one from its
    // per-thread cache and copies, and taking and returning that buffer stores references into
    // the cache's array on every datagram (GC card marks, which cost at a thousand calls). The
    // copy into receiveArray is ours instead.
    final ByteBuffer receive = ByteBuffer.allocateDirect(MAX_DATAGRAM);
    // Direct, so the JDK sends from it without staging a copy of its own; reused per datagram.
    final ByteBuffer send = ByteBuffer.allocateDirect(MAX_DATAGRAM);
  }

  private long sendErrors;
  private long receiveErrors;
  private boolean drainedAll = true;
  private long received;
  private long sent;
  private boolean closed;

  /** False for a {@link #sendingView}: the sockets belong to another transport. */
  private final boolean ownsChannels;

  private UdpTransport(List<DatagramChannel> channels, List<InetSocketAddress> localAddresses) {
    this(channels, localAddresses, true);
  }

  private UdpTransport(
      List<DatagramChannel> channels, List<InetSocketAddress> localAddresses, boolean owns) {
    this.channels = channels;
    this.localAddresses = localAddresses;
    this.ownsChannels = owns;
  }

  /**
   * One socket bound to exactly {@code address} (a concrete IP address and a port, 0 for any), for
   * a port that many connections share.
   *
   * @throws UncheckedIOException if it cannot be bound (the message names the address)
   */
  public static UdpTransport openShared(InetSocketAddress address) {
    DatagramChannel ch = null;
    try {
      ch = configure(open(address.getAddress()));
      // A shared port carries every call of a loop: room for bursts of all of them.
      ch.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
      ch.setOption(StandardSocketOptions.SO_SNDBUF, 4 << 20);
      ch.bind(address);
      InetSocketAddress local = (InetSocketAddress) ch.getLocalAddress();
      return new UdpTransport(List.of(ch), List.of(local));
    } catch (IOException e) {
      if (ch != null) {
        closeAll(List.of(ch));
      }
      throw new UncheckedIOException(
          "cannot bind a shared UDP port on "
              + address.getAddress().getHostAddress()
              + ":"
              + address.getPort()
              + ": "
              + e.getMessage(),
          e);
    }
  }

  /**
   * A transport that sends through this one's sockets and counts its own datagrams, but reads
   * nothing ({@link #drain} returns 0: the owner reads and hands datagrams on), registers nothing
   * and closes nothing: what each connection on a shared port holds.
   */
  public UdpTransport sendingView() {
    return new UdpTransport(channels, localAddresses, false);
  }

  /**
   * Binds one socket per address, on a port within {@code [minPort, maxPort]} (both 0: any
   * ephemeral port).
   *
   * @throws UncheckedIOException if an address cannot be bound (the message names it)
   */
  public static UdpTransport open(List<InetAddress> addresses, int minPort, int maxPort) {
    if (addresses.isEmpty()) {
      throw new IllegalArgumentException(
          "no local address to bind: pass bindAddress(...) or includeLoopback(true) on a machine"
              + " without network interfaces");
    }
    List<DatagramChannel> channels = new ArrayList<>();
    List<InetSocketAddress> locals = new ArrayList<>();
    try {
      for (InetAddress address : addresses) {
        DatagramChannel ch = bind(address, minPort, maxPort);
        channels.add(ch);
        locals.add((InetSocketAddress) ch.getLocalAddress());
      }
    } catch (IOException e) {
      closeAll(channels);
      throw new UncheckedIOException("cannot bind a UDP socket: " + e.getMessage(), e);
    }
    return new UdpTransport(channels, Collections.unmodifiableList(locals));
  }

  /**
   * One IPv4 socket on {@code port} of every address (0: any port), shared with other sockets on
   * that port ({@code SO_REUSEADDR}), that has joined {@code group} on every interface that is up
   * and can do multicast; for listening to multicast answers (mDNS responders such as Chrome's
   * answer only to the group, RFC 6762 section 6). An interface that refuses the membership is
   * skipped; the socket still receives unicast.
   *
   * @throws UncheckedIOException if the port cannot be bound
   */
  public static UdpTransport openMulticastListener(InetAddress group, int port) {
    DatagramChannel ch = null;
    try {
      ch = configure(DatagramChannel.open(StandardProtocolFamily.INET));
      ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      ch.bind(new InetSocketAddress(port));
      for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (ni.isUp() && ni.supportsMulticast() && hasIpv4(ni)) {
          try {
            ch.join(group, ni);
          } catch (IOException | UnsupportedOperationException e) {
            // e.g. an interface without an IPv4 multicast route; the others still count
          }
        }
      }
      InetSocketAddress local = (InetSocketAddress) ch.getLocalAddress();
      return new UdpTransport(List.of(ch), List.of(local));
    } catch (IOException e) {
      if (ch != null) {
        closeAll(List.of(ch));
      }
      throw new UncheckedIOException(
          "cannot listen on UDP port " + port + " for " + group.getHostAddress(), e);
    }
  }

  private static boolean hasIpv4(NetworkInterface ni) {
    return ni.inetAddresses().anyMatch(a -> !(a instanceof Inet6Address));
  }

  private static DatagramChannel bind(InetAddress address, int minPort, int maxPort)
      throws IOException {
    if (minPort == 0 && maxPort == 0) {
      return configure(open(address)).bind(new InetSocketAddress(address, 0));
    }
    IOException last = null;
    for (int port = minPort; port <= maxPort; port++) {
      DatagramChannel ch = configure(open(address));
      try {
        return ch.bind(new InetSocketAddress(address, port));
      } catch (BindException e) {
        ch.close();
        last = e;
      }
    }
    throw new BindException(
        "no free UDP port on "
            + address.getHostAddress()
            + " within "
            + minPort
            + ".."
            + maxPort
            + (last != null ? " (" + last.getMessage() + ")" : ""));
  }

  /**
   * A channel of the address's own family: a plain open() is dual-stack, and one bound to 0.0.0.0
   * then reports [::] as its address, which hid it from IPv4 destinations.
   */
  private static DatagramChannel open(InetAddress address) throws IOException {
    return DatagramChannel.open(
        address instanceof Inet6Address
            ? StandardProtocolFamily.INET6
            : StandardProtocolFamily.INET);
  }

  private static DatagramChannel configure(DatagramChannel ch) throws IOException {
    ch.configureBlocking(false);
    // Room for a burst of video packets between two loop() calls.
    ch.setOption(StandardSocketOptions.SO_RCVBUF, 1 << 20);
    ch.setOption(StandardSocketOptions.SO_SNDBUF, 1 << 20);
    return ch;
  }

  /**
   * The addresses worth offering as host candidates: every address of every interface that is up,
   * except link-local IPv6 (not routable without a scope) and, unless asked, loopback.
   */
  public static List<InetAddress> interfaceAddresses(boolean includeLoopback) {
    List<InetAddress> out = new ArrayList<>();
    try {
      for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (!nif.isUp() || (nif.isLoopback() && !includeLoopback)) {
          continue;
        }
        for (InetAddress a : Collections.list(nif.getInetAddresses())) {
          if (a instanceof Inet6Address && (a.isLinkLocalAddress() || a.isLoopbackAddress())) {
            continue; // scoped addresses do not survive SDP; ::1 duplicates 127.0.0.1
          }
          if (a.isLoopbackAddress() && !includeLoopback) {
            continue;
          }
          out.add(a);
        }
      }
    } catch (SocketException e) {
      throw new UncheckedIOException("cannot list network interfaces: " + e.getMessage(), e);
    }
    return out;
  }

  /** False if the last {@link #drain} left datagrams waiting because of its budget. */
  public boolean drainedAll() {
    return drainedAll;
  }

  /** Receive calls that failed (ICMP errors reported on the socket, for example). */
  public long receiveErrors() {
    return receiveErrors;
  }

  /** The bound local addresses, one per socket, in the order given to {@link #open}. */
  public List<InetSocketAddress> localAddresses() {
    return localAddresses;
  }

  /**
   * At most this many datagrams are read from one socket per {@link #drain}, so that a flooded
   * connection cannot keep its loop thread (and every other connection on it) to itself.
   */
  public static final int MAX_DATAGRAMS_PER_DRAIN = 256;

  /**
   * Reads the datagrams waiting on every socket, at most {@link #MAX_DATAGRAMS_PER_DRAIN} per
   * socket, and hands each to {@code receiver}.
   *
   * @return how many datagrams were read; if a socket's budget ran out, {@link #drainedAll()} is
   *     false until a later call reads the rest
   */
  public int drain(Receiver receiver) {
    return drain(receiver, MAX_DATAGRAMS_PER_DRAIN);
  }

  /**
   * Reads at most {@code budget} datagrams from each socket, as {@link #drain(Receiver)} does.
   *
   * @return how many datagrams were read
   */
  public int drain(Receiver receiver, int budget) {
    drainedAll = true;
    if (!ownsChannels) {
      return 0;
    }
    Buffers buffers = BUFFERS.get();
    ByteBuffer receiveBuffer = buffers.receive;
    byte[] receiveArray = buffers.receiveArray;
    int count = 0;
    for (int i = 0; i < channels.size(); i++) {
      DatagramChannel ch = channels.get(i);
      for (int n = 0; ; n++) {
        if (n == budget) {
          drainedAll = false; // more may wait: the driver comes back after the others
          break;
        }
        receiveBuffer.clear();
        InetSocketAddress from;
        try {
          from = (InetSocketAddress) ch.receive(receiveBuffer);
        } catch (IOException e) {
          // ICMP port unreachable and friends surface here on some systems: not fatal.
          receiveErrors++;
          break;
        }
        if (from == null) {
          break;
        }
        count++;
        received++;
        int length = receiveBuffer.position();
        receiveBuffer.get(0, receiveArray, 0, length);
        receiver.onDatagram(localAddresses.get(i), from, receiveArray, length);
      }
    }
    return count;
  }

  /**
   * Sends {@code data[offset, offset+length)} from the socket bound to {@code local} (the first
   * socket of the same address family if {@code local} is not one of ours).
   *
   * @return false if the datagram could not be sent now (counted; UDP may drop it anyway)
   */
  public boolean send(
      InetSocketAddress local, InetSocketAddress to, byte[] data, int offset, int length) {
    DatagramChannel ch = closed ? null : channelFor(local, to);
    if (ch == null) {
      sendErrors++;
      return false;
    }
    try {
      ByteBuffer sendBuffer = BUFFERS.get().send;
      sendBuffer.clear();
      sendBuffer.put(data, offset, length).flip();
      int n = ch.send(sendBuffer, to);
      if (n == 0) {
        sendErrors++; // socket buffer full: UDP semantics, drop
        return false;
      }
      sent++;
      return true;
    } catch (IOException e) {
      sendErrors++;
      return false;
    }
  }

  private DatagramChannel channelFor(InetSocketAddress local, InetSocketAddress to) {
    int i = localAddresses.indexOf(local);
    if (i >= 0) {
      return channels.get(i);
    }
    boolean v6 = to.getAddress() instanceof Inet6Address;
    for (int j = 0; j < channels.size(); j++) {
      if ((localAddresses.get(j).getAddress() instanceof Inet6Address) == v6) {
        return channels.get(j);
      }
    }
    return null;
  }

  /** Registers every socket with {@code selector} for reading, with {@code attachment}. */
  public void register(Selector selector, Object attachment) {
    if (!ownsChannels) {
      return;
    }
    try {
      for (DatagramChannel ch : channels) {
        ch.register(selector, SelectionKey.OP_READ, attachment);
      }
    } catch (ClosedChannelException e) {
      throw new IllegalStateException("the connection's sockets are closed", e);
    }
  }

  /** Datagrams that could not be sent or read because of an I/O error or a full buffer. */
  public long sendErrors() {
    return sendErrors;
  }

  /** Datagrams read. */
  public long received() {
    return received;
  }

  /** Datagrams sent. */
  public long sent() {
    return sent;
  }

  /** Closes every socket; idempotent. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      if (ownsChannels) {
        closeAll(channels);
      }
    }
  }

  private static void closeAll(List<DatagramChannel> channels) {
    for (DatagramChannel ch : channels) {
      try {
        ch.close();
      } catch (IOException ignored) {
        // closing a UDP socket cannot lose data; nothing to report
      }
    }
  }
}
