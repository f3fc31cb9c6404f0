package io.github.jpeer;

import io.github.jpeer.internal.UdpTransport;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One UDP socket that every connection of a {@link PeerLoop} can share (beyond libpeer): a server
 * with a thousand calls needs one port in its firewall, and its loop reads one socket instead of
 * watching a thousand. Open it with {@link PeerLoop#openSharedPort}, give it to the server side's
 * configurations with {@link PeerConfiguration.Builder#sharedPort}, and add those connections to
 * the same loop:
 *
 * <pre>{@code
 * PeerLoop loop = PeerLoop.start("calls");
 * SharedUdpPort port = loop.openSharedPort(new InetSocketAddress(serverIp, 3478));
 * PeerConfiguration config = PeerConfiguration.builder().sharedPort(port).iceLite(true).build();
 * // per call:
 * PeerConnection pc = PeerConnection.create(config);
 * pc.setRemoteDescription(offer, SdpType.OFFER);
 * String answer = pc.createAnswer();
 * loop.add(pc);
 * }</pre>
 *
 * <p>The loop hands each datagram to its connection: a STUN binding request by the username
 * fragment in its USERNAME (the first part is ours, RFC 8445 section 7.2.2), which is how a new
 * remote address makes first contact; anything else (STUN responses, DTLS, SRTP, SRTCP) by the
 * remote address, which a connection owns once it has sent to it (its answer to a check, or a check
 * of its own). A datagram that matches no connection is counted ({@link #unknownUfrags()}, {@link
 * #unknownSources()}) and dropped. A connection owns at most {@value #MAX_ADDRESSES_PER_CONNECTION}
 * remote addresses; an address belongs to the first connection that sent to it until that
 * connection closes.
 *
 * <p>The port serves host candidates only: its address is every one of its connections' single
 * candidate, so it must be an address the remote peers can reach (not a wildcard). Connections on
 * it have no ICE-TCP, STUN or TURN; pair it with {@link PeerConfiguration.Builder#iceLite} for a
 * server that only answers.
 *
 * <p>Counters may be read from any thread (a moment's view). {@link #close()} closes the
 * connections still on the port, then the socket; closing the loop closes its ports.
 */
public final class SharedUdpPort implements AutoCloseable {
  /** Datagrams read per wake before the loop drives the connections they are for. */
  static final int MAX_DATAGRAMS_PER_WAKE = 1024;

  /** Remote addresses one connection may own; the oldest one it is not using makes room. */
  public static final int MAX_ADDRESSES_PER_CONNECTION = 16;

  /** Username fragments one connection is found by: its current one and those before a restart. */
  static final int MAX_UFRAGS_PER_CONNECTION = 3;

  private static final int STUN_HEADER = 20;
  private static final int MAGIC_COOKIE = 0x2112A442;
  private static final int BINDING_REQUEST = 0x0001;
  private static final int USERNAME = 0x0006;

  private final PeerLoop loop;
  private final UdpTransport transport;
  private final InetSocketAddress localAddress;
  private final Map<String, Member> byUfrag = new HashMap<>();
  private final Map<InetSocketAddress, Member> byAddress = new HashMap<>();
  private final Set<Member> members = Collections.newSetFromMap(new IdentityHashMap<>());
  private final UdpTransport.Receiver demux = this::demux;
  private volatile boolean closed;

  // Written by the loop thread only; read anywhere.
  private volatile long received;
  private volatile long unknownSources;
  private volatile long unknownUfrags;
  private volatile long addressConflicts;

  SharedUdpPort(PeerLoop loop, InetSocketAddress address) {
    if (address.isUnresolved()) {
      throw new IllegalArgumentException(
          "a shared port needs a resolved address, got " + address.getHostString());
    }
    if (address.getAddress().isAnyLocalAddress()) {
      throw new IllegalArgumentException(
          "a shared port's address is the host candidate of every connection on it, so it must be"
              + " one the peers can reach: bind a concrete address such as the server's interface"
              + " address, not "
              + address.getAddress().getHostAddress());
    }
    this.loop = loop;
    this.transport = UdpTransport.openShared(address);
    this.localAddress = transport.localAddresses().get(0);
  }

  /** The bound address (with the port chosen if 0 was asked for): the connections' candidate. */
  public InetSocketAddress localAddress() {
    return localAddress;
  }

  /** How many connections are on the port. Any thread; a moment's view. */
  public int size() {
    return members.size();
  }

  /** Datagrams read from the socket. */
  public long received() {
    return received;
  }

  /** Datagrams dropped because their source address belongs to no connection on the port. */
  public long unknownSources() {
    return unknownSources;
  }

  /** STUN binding requests dropped because their username fragment is no connection's. */
  public long unknownUfrags() {
    return unknownUfrags;
  }

  /**
   * Times a connection sent to a remote address that another connection on the port already owned
   * (the address stays with the first; the datagram is still sent).
   */
  public long addressConflicts() {
    return addressConflicts;
  }

  /** Send or receive calls that failed on the socket, for every connection on it. */
  public long socketErrors() {
    return transport.receiveErrors() + transport.sendErrors();
  }

  /** The loop that drives this port and every connection on it. */
  public PeerLoop loop() {
    return loop;
  }

  /** Whether {@link #close()} ran. */
  public boolean isClosed() {
    return closed;
  }

  /** Closes the connections still on the port, then its socket; idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    if (loop.isLoopThread() || !loop.isRunning()) {
      closeNow();
    } else {
      loop.submit(this::closeNow).join();
    }
  }

  @Override
  public String toString() {
    return "SharedUdpPort[" + localAddress + ", " + members.size() + " connections]";
  }

  // ---------------------------------------------------------------- for PeerLoop and connections

  /** What each connection of a port sends through: its socket, counted per connection. */
  UdpTransport transportView() {
    if (closed) {
      throw new IllegalStateException(
          "this SharedUdpPort is closed: open another with PeerLoop.openSharedPort");
    }
    return transport.sendingView();
  }

  UdpTransport transport() {
    return transport;
  }

  /** Loop thread: closes what is on the port, then the socket. */
  void closeNow() {
    if (closed) {
      return;
    }
    closed = true;
    for (Member m : new ArrayList<>(members)) {
      m.entry.pc.close();
    }
    transport.close();
  }

  /** Loop thread: a connection joins; it is found by its ufrags and addresses from now on. */
  Member attach(PeerLoop.Entry entry) {
    if (closed) {
      throw new IllegalStateException(
          "this SharedUdpPort is closed: its connections cannot be driven any more");
    }
    Member m = new Member(entry);
    members.add(m);
    entry.pc.portMember = m;
    m.refreshUfrag();
    return m;
  }

  /** Loop thread: reads what waits (bounded) and marks each datagram's connection due. */
  void drain() {
    if (!closed) {
      // Counted once per wake rather than per datagram in demux: a volatile write is a fence.
      received += transport.drain(demux, MAX_DATAGRAMS_PER_WAKE);
    }
  }

  private void demux(InetSocketAddress local, InetSocketAddress from, byte[] data, int len) {
    Member m;
    String ufrag = localUfragOfBindingRequest(data, len);
    if (ufrag != null) {
      m = byUfrag.get(ufrag);
      if (m == null) {
        unknownUfrags++;
        return;
      }
    } else {
      m = byAddress.get(from);
      if (m == null) {
        unknownSources++;
        return;
      }
    }
    m.entry.pc.receiveShared(local, from, data, len);
    loop.markDue(m.entry);
  }

  /**
   * The first part of the USERNAME of a STUN binding request (RFC 8489 section 5, RFC 8445 section
   * 7.2.2: the receiver's ufrag), or null if {@code data} is not a binding request with one. Reads
   * only within {@code [0, len)} and the message's own length; checks nothing else (the connection
   * checks the integrity).
   */
  static String localUfragOfBindingRequest(byte[] data, int len) {
    if (len < STUN_HEADER || (data[0] & 0xC0) != 0 || u16(data, 0) != BINDING_REQUEST) {
      return null;
    }
    if (u32(data, 4) != MAGIC_COOKIE) {
      return null;
    }
    int end = STUN_HEADER + u16(data, 2);
    if (end > len) {
      return null;
    }
    for (int off = STUN_HEADER; off + 4 <= end; ) {
      int type = u16(data, off);
      int length = u16(data, off + 2);
      int value = off + 4;
      if (value + length > end) {
        return null;
      }
      if (type == USERNAME) {
        for (int i = value; i < value + length; i++) {
          if (data[i] == ':') {
            return i == value ? null : new String(data, value, i - value, StandardCharsets.UTF_8);
          }
        }
        return null;
      }
      off = value + ((length + 3) & ~3);
    }
    return null;
  }

  private static int u16(byte[] b, int off) {
    return ((b[off] & 0xFF) << 8) | (b[off + 1] & 0xFF);
  }

  private static int u32(byte[] b, int off) {
    return (u16(b, off) << 16) | u16(b, off + 2);
  }

  /**
   * A connection on the port, with the ufrags and remote addresses it is found by. Loop thread
   * only.
   */
  final class Member {
    final PeerLoop.Entry entry;
    private final ArrayDeque<String> ufrags = new ArrayDeque<>(MAX_UFRAGS_PER_CONNECTION);
    private final ArrayDeque<InetSocketAddress> addresses = new ArrayDeque<>();
    private String lastUfrag;
    private InetSocketAddress lastDestination;
    private boolean detached;

    Member(PeerLoop.Entry entry) {
      this.entry = entry;
    }

    /** After the connection ran: registers a ufrag it has made since (offer, answer, restart). */
    void refreshUfrag() {
      String u = entry.pc.localUfrag();
      if (u == null || u == lastUfrag || detached) {
        return;
      }
      lastUfrag = u;
      if (byUfrag.putIfAbsent(u, this) != null) {
        return; // astronomically unlikely (random ufrags); the first keeps it
      }
      ufrags.addLast(u);
      if (ufrags.size() > MAX_UFRAGS_PER_CONNECTION) {
        byUfrag.remove(ufrags.removeFirst(), this);
      }
    }

    /** The connection sends to {@code to}: from now on datagrams from there are its. */
    void sentTo(InetSocketAddress to) {
      if (to == lastDestination || detached) {
        return; // the steady state: the selected pair's address, the same object each time
      }
      InetSocketAddress previous = lastDestination;
      lastDestination = to;
      Member owner = byAddress.putIfAbsent(to, this);
      if (owner == this) {
        return;
      }
      if (owner != null) {
        addressConflicts++;
        return;
      }
      if (addresses.size() == MAX_ADDRESSES_PER_CONNECTION) {
        evictOne(previous);
      }
      addresses.addLast(to);
    }

    /** Forgets the oldest address other than {@code inUse}. */
    private void evictOne(InetSocketAddress inUse) {
      InetSocketAddress oldest = addresses.removeFirst();
      if (oldest.equals(inUse)) {
        addresses.addLast(oldest);
        oldest = addresses.removeFirst();
      }
      byAddress.remove(oldest, this);
    }

    /** The connection closed or left the loop: nothing reaches it through the port any more. */
    void detach() {
      if (detached) {
        return;
      }
      detached = true;
      for (String u : ufrags) {
        byUfrag.remove(u, this);
      }
      for (InetSocketAddress a : addresses) {
        byAddress.remove(a, this);
      }
      ufrags.clear();
      addresses.clear();
      members.remove(this);
    }
  }
}
