package io.github.jpeer.internal;

import io.github.jpeer.stun.StreamFramer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;

/**
 * The driver's TCP connections: to TURN servers reached over TCP (RFC 8656 section 3.1), one per
 * server, and ICE-TCP connections (RFC 6544), one per candidate pair, either opened out from an
 * active candidate's IP or accepted on a passive candidate's listener ({@link #listen}). A dialled
 * connection is opened (non-blocking) by the first packet the core sends on it; each packet is
 * framed on the way out and cut back out of the stream on the way in (peer-stun's {@link
 * StreamFramer}: TURN framing to TURN servers, RFC 4571 for ICE-TCP). What the connection cannot
 * take yet waits in its buffer, and the selector is asked for writability only then, so nothing
 * spins; a partial packet read waits in the framer. A connection that fails to open, is closed by
 * the far end, or loses its framing is closed and reported once through {@link Receiver#onClosed},
 * from {@link #drain} (never from inside {@link #send}, which runs while the core's transmits are
 * being drained).
 *
 * <p>Not thread-safe: the connection's loop thread owns it.
 */
public final class TcpLinks implements AutoCloseable {
  /** Where what the connections carry goes. */
  public interface Receiver {
    /**
     * One packet from {@code server}, on the connection the core opened from {@code local}, or that
     * the listener at {@code local} accepted.
     */
    void onPacket(InetSocketAddress local, InetSocketAddress server, byte[] data, int off, int len);

    /** The connection to {@code server} failed or closed; nothing more comes from it. */
    void onClosed(InetSocketAddress local, InetSocketAddress server);
  }

  /** Which servers are reached over TLS ({@code turns:}). */
  @FunctionalInterface
  public interface Tls {
    /**
     * A client-mode engine for {@code server} that checks its certificate against the server's
     * host, or null to speak plain TCP to it.
     */
    SSLEngine engineFor(InetSocketAddress server);
  }

  /** Most bytes waiting to be written on one connection; beyond, packets are dropped. */
  static final int MAX_PENDING_BYTES = 1 << 20;

  /**
   * Most connections a listener holds: a call needs one per remote active candidate, and anything
   * beyond is someone else knocking: the oldest that has not sent a whole packet makes room, or
   * else the newcomer is closed.
   */
  static final int MAX_ACCEPTED_PER_LISTENER = 16;

  private final List<Link> links = new ArrayList<>();
  private final List<Listener> listeners = new ArrayList<>();
  // Tells which listeners have a connection waiting, so that accept() runs only then: on a
  // non-blocking listener with nothing waiting it still allocates, and drain runs every loop().
  private Selector acceptSelector;
  private final List<Link> toReport = new ArrayList<>();
  private final ByteBuffer readBuffer = ByteBuffer.allocate(16 * 1024);
  private System.Logger log;
  private final Tls tls;
  private Selector selector;
  private Object attachment;
  private long droppedPackets;
  private long sentPackets;

  /** Plain TCP connections that log to {@code log}. */
  public TcpLinks(System.Logger log) {
    this(log, server -> null);
  }

  /** Connections that log to {@code log}, over TLS where {@code tls} gives an engine. */
  public TcpLinks(System.Logger log, Tls tls) {
    this.log = log;
    this.tls = tls;
  }

  private record Listener(InetSocketAddress address, ServerSocketChannel channel) {}

  private final class Link {
    final InetSocketAddress local;
    final InetSocketAddress server;
    final SocketChannel channel;
    final StreamFramer framer;
    final boolean accepted;
    long packetsIn;
    ByteBuffer pending = ByteBuffer.allocate(2048); // written from position 0 to position
    boolean connected;
    boolean closed;
    SelectionKey key;
    // TLS (turns:): the engine, and the encrypted bytes both ways (each in write mode)
    SSLEngine engine;
    ByteBuffer netIn;
    ByteBuffer netOut;
    ByteBuffer appIn;

    Link(
        InetSocketAddress local,
        InetSocketAddress server,
        SocketChannel channel,
        boolean iceTcp,
        boolean accepted) {
      this.local = local;
      this.server = server;
      this.channel = channel;
      this.framer =
          new StreamFramer(iceTcp ? StreamFramer.Framing.RFC_4571 : StreamFramer.Framing.TURN);
      this.accepted = accepted;
    }

    boolean iceTcp() {
      return framer.framing() == StreamFramer.Framing.RFC_4571;
    }

    boolean writeWaiting() {
      return engine == null ? pending.position() > 0 : netOut.position() > 0;
    }

    int interest() {
      if (!connected) {
        return SelectionKey.OP_CONNECT;
      }
      return SelectionKey.OP_READ | (writeWaiting() ? SelectionKey.OP_WRITE : 0);
    }

    void register() throws IOException {
      if (selector == null || closed) {
        return;
      }
      if (key == null) {
        key = channel.register(selector, interest(), attachment);
      } else if (key.isValid()) {
        key.interestOps(interest());
      }
    }
  }

  /** Logs to {@code log} from here on (a connection names its logger once its core exists). */
  public void logger(System.Logger log) {
    this.log = log;
  }

  /** Registers the listeners and connections with {@code selector}, now and as they open. */
  public void register(Selector selector, Object attachment) throws IOException {
    this.selector = selector;
    this.attachment = attachment;
    for (Listener l : listeners) {
      l.channel.register(selector, SelectionKey.OP_ACCEPT, attachment);
    }
    for (Link l : links) {
      l.register();
    }
  }

  /**
   * Opens a listener for a passive ICE-TCP candidate on {@code ip}: on {@code port} if it is free,
   * else on one the system picks. Its connections come up in {@link #drain}.
   *
   * @return the listener's address
   * @throws IOException if nothing can be bound on {@code ip}
   */
  public InetSocketAddress listen(java.net.InetAddress ip, int port) throws IOException {
    ServerSocketChannel ch = ServerSocketChannel.open();
    try {
      try {
        ch.bind(new InetSocketAddress(ip, port), MAX_ACCEPTED_PER_LISTENER);
      } catch (IOException taken) {
        ch.bind(new InetSocketAddress(ip, 0), MAX_ACCEPTED_PER_LISTENER);
      }
      ch.configureBlocking(false);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
    InetSocketAddress bound = (InetSocketAddress) ch.getLocalAddress();
    InetSocketAddress address = new InetSocketAddress(ip, bound.getPort());
    Listener listener = new Listener(address, ch);
    try {
      if (acceptSelector == null) {
        acceptSelector = Selector.open();
      }
      ch.register(acceptSelector, SelectionKey.OP_ACCEPT, listener);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
    listeners.add(listener);
    if (selector != null) {
      ch.register(selector, SelectionKey.OP_ACCEPT, attachment);
    }
    return address;
  }

  /**
   * Queues one packet for {@code server}, framed; it is written as the connection allows, in {@link
   * #drain}. A connection from {@code local} is opened on the first packet for a TURN server, and
   * for ICE-TCP when {@code local} is an active candidate's address (its IP is bound, the port left
   * to the system); from a listener's address only a connection it accepted is used. An empty
   * ICE-TCP packet closes the connection (not reported).
   *
   * @param iceTcp RFC 4571 framing (ICE-TCP) rather than TURN framing
   * @return false if it was dropped: the connection failed or does not exist, or too much waits
   */
  public boolean send(
      InetSocketAddress local, InetSocketAddress server, byte[] data, int len, boolean iceTcp) {
    if (iceTcp && len == 0) {
      Link l = find(local, server);
      if (l != null) {
        l.closed = true;
        closeQuietly(l);
        links.remove(l);
      }
      return true;
    }
    Link l = find(local, server);
    if (l == null) {
      if (iceTcp && isListener(local)) {
        droppedPackets++; // the remote has not connected to this passive candidate
        return false;
      }
      l = dial(local, server, iceTcp);
    }
    if (l.closed) {
      droppedPackets++;
      return false;
    }
    int n = l.framer.framedLength(len);
    if (l.pending.remaining() < n) {
      if (l.pending.position() + n > MAX_PENDING_BYTES) {
        droppedPackets++;
        return false;
      }
      ByteBuffer bigger =
          ByteBuffer.allocate(Math.max(2 * l.pending.capacity(), l.pending.position() + n));
      l.pending.flip();
      bigger.put(l.pending);
      l.pending = bigger;
    }
    int at = l.pending.position();
    try {
      l.framer.frame(data, 0, len, l.pending.array(), at);
    } catch (IllegalArgumentException e) {
      droppedPackets++; // not a STUN message or ChannelData: cannot go to a TURN server
      return false;
    }
    l.pending.position(at + n);
    sentPackets++;
    if (l.connected) {
      flush(l);
    }
    return true;
  }

  private Link find(InetSocketAddress local, InetSocketAddress server) {
    for (int i = 0; i < links.size(); i++) {
      Link l = links.get(i);
      if (l.server.equals(server) && l.local.equals(local)) {
        return l;
      }
    }
    return null;
  }

  private boolean isListener(InetSocketAddress local) {
    for (int i = 0; i < listeners.size(); i++) {
      if (listeners.get(i).address.equals(local)) {
        return true;
      }
    }
    return false;
  }

  private Link dial(InetSocketAddress local, InetSocketAddress server, boolean iceTcp) {
    SocketChannel ch = null;
    Link l = null;
    try {
      ch = SocketChannel.open();
      l = new Link(local, server, ch, iceTcp, false);
      links.add(l);
      ch.configureBlocking(false);
      ch.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
      if (iceTcp) {
        ch.bind(new InetSocketAddress(local.getAddress(), 0)); // from the candidate's IP
      }
      SSLEngine engine = iceTcp ? null : tls.engineFor(server);
      if (engine != null) {
        l.engine = engine;
        int net = engine.getSession().getPacketBufferSize();
        l.netIn = ByteBuffer.allocate(net);
        l.netOut = ByteBuffer.allocate(net);
        l.appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
      }
      l.connected = ch.connect(server);
      if (l.connected && l.engine != null) {
        l.engine.beginHandshake();
      }
      l.register();
    } catch (IOException | RuntimeException e) {
      if (l == null) {
        l = new Link(local, server, ch, iceTcp, false);
        links.add(l);
      }
      fail(l, "cannot connect: " + e.getMessage());
    }
    return l;
  }

  /**
   * Accepts connections, finishes connects, reads what arrived into packets for {@code receiver},
   * writes what waits.
   */
  public void drain(Receiver receiver) {
    drain(receiver, true);
  }

  /**
   * As {@link #drain(Receiver)}, looking at the listeners only if {@code acceptReady}: a driver
   * whose selector watches them knows when one has a connection waiting, and asking them every time
   * costs a system call per wake of every connection.
   */
  public void drain(Receiver receiver, boolean acceptReady) {
    report(receiver);
    if (acceptReady) {
      accept();
    }
    for (int i = 0; i < links.size(); i++) {
      Link l = links.get(i);
      if (l.closed) {
        continue;
      }
      try {
        if (!l.connected) {
          if (!l.channel.finishConnect()) {
            continue;
          }
          l.connected = true;
          if (l.engine != null) {
            l.engine.beginHandshake();
          }
          l.register(); // from OP_CONNECT to OP_READ (and OP_WRITE while something waits)
        }
        read(l, receiver);
        if (!l.closed) {
          flush(l);
        }
      } catch (IOException e) {
        fail(l, e.getMessage());
      }
    }
    report(receiver);
  }

  private void report(Receiver receiver) {
    while (!toReport.isEmpty()) {
      Link l = toReport.remove(toReport.size() - 1);
      if (l.iceTcp()) {
        links.remove(l); // its pair is failed; a later pair between the same ends dials anew
      }
      receiver.onClosed(l.local, l.server);
    }
  }

  private void accept() {
    if (acceptSelector == null) {
      return;
    }
    try {
      if (acceptSelector.selectNow() == 0) {
        return;
      }
    } catch (IOException e) {
      log.log(System.Logger.Level.DEBUG, "select on the ICE-TCP listeners: " + e);
      return;
    }
    acceptSelector.selectedKeys().clear();
    for (int i = 0; i < listeners.size(); i++) {
      Listener listener = listeners.get(i);
      for (int round = 0; round < MAX_ACCEPTED_PER_LISTENER; round++) {
        SocketChannel ch;
        try {
          ch = listener.channel.accept();
        } catch (IOException e) {
          log.log(System.Logger.Level.DEBUG, "accept on " + listener.address + ": " + e);
          break;
        }
        if (ch == null) {
          break;
        }
        adopt(listener, ch);
      }
    }
  }

  private void adopt(Listener listener, SocketChannel ch) {
    try {
      InetSocketAddress remote = (InetSocketAddress) ch.getRemoteAddress();
      int held = 0;
      Link idle = null; // the oldest accepted connection that has not sent one whole packet
      for (Link l : links) {
        if (l.accepted && l.local.equals(listener.address)) {
          held++;
          idle = idle == null && l.packetsIn == 0 ? l : idle;
        }
      }
      if (remote == null || find(listener.address, remote) != null) {
        ch.close();
        return;
      }
      if (held >= MAX_ACCEPTED_PER_LISTENER) {
        if (idle == null) {
          ch.close(); // every connection held speaks: this one is surplus
          return;
        }
        // Someone who connects and says nothing must not keep the remote's check out: the core
        // never heard of it, so it goes without a report.
        idle.closed = true;
        closeQuietly(idle);
        links.remove(idle);
      }
      ch.configureBlocking(false);
      ch.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
      Link l = new Link(listener.address, remote, ch, true, true);
      l.connected = true;
      links.add(l);
      l.register();
    } catch (IOException e) {
      try {
        ch.close();
      } catch (IOException ignored) {
        // nothing left to release
      }
    }
  }

  private void read(Link l, Receiver receiver) throws IOException {
    if (l.engine != null) {
      readTls(l, receiver);
      return;
    }
    for (int round = 0; round < 64; round++) {
      readBuffer.clear();
      int n = l.channel.read(readBuffer);
      if (n < 0) {
        fail(l, "closed by the other end");
        return;
      }
      if (n == 0) {
        return;
      }
      deliver(l, receiver, readBuffer.array(), 0, n);
      if (l.closed) {
        return;
      }
    }
  }

  private void readTls(Link l, Receiver receiver) throws IOException {
    for (int round = 0; round < 64; round++) {
      if (l.netIn.remaining() == 0) {
        fail(l, "a TLS record larger than the engine's packet buffer");
        return;
      }
      int n = l.channel.read(l.netIn);
      if (n < 0) {
        fail(l, "closed by the other end");
        return;
      }
      tlsProgress(l, receiver);
      if (n == 0 || l.closed) {
        return;
      }
    }
  }

  /**
   * Moves the TLS engine as far as the bytes at hand allow: the handshake (tasks run here), then
   * received records into packets and waiting packets into records.
   */
  private void tlsProgress(Link l, Receiver receiver) {
    try {
      for (int guard = 0; guard < 256 && !l.closed; guard++) {
        SSLEngineResult.HandshakeStatus hs = l.engine.getHandshakeStatus();
        if (hs == SSLEngineResult.HandshakeStatus.NEED_TASK) {
          for (Runnable task; (task = l.engine.getDelegatedTask()) != null; ) {
            task.run();
          }
        } else if (hs == SSLEngineResult.HandshakeStatus.NEED_WRAP) {
          SSLEngineResult r = l.engine.wrap(EMPTY, l.netOut);
          writeNet(l);
          if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW
              || r.getStatus() == SSLEngineResult.Status.CLOSED) {
            return;
          }
        } else if (hs == SSLEngineResult.HandshakeStatus.NEED_UNWRAP
            || hs == SSLEngineResult.HandshakeStatus.NEED_UNWRAP_AGAIN) {
          if (!unwrap(l, receiver)) {
            return; // more bytes needed
          }
        } else {
          // handshake done: records in, packets out
          boolean moved = l.netIn.position() > 0 && unwrap(l, receiver);
          moved |= wrapPending(l);
          if (!moved) {
            return;
          }
        }
      }
    } catch (SSLException e) {
      fail(l, "TLS: " + e.getMessage());
    }
  }

  private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

  /** Unwraps what netIn holds; true if it consumed something. */
  private boolean unwrap(Link l, Receiver receiver) throws SSLException {
    l.netIn.flip();
    SSLEngineResult r;
    try {
      r = l.engine.unwrap(l.netIn, l.appIn);
    } finally {
      l.netIn.compact();
    }
    if (l.appIn.position() > 0) {
      l.appIn.flip();
      deliver(l, receiver, l.appIn.array(), l.appIn.position(), l.appIn.remaining());
      l.appIn.clear();
    }
    if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
      fail(l, "the TURN server closed TLS");
      return false;
    }
    return r.getStatus() == SSLEngineResult.Status.OK && r.bytesConsumed() > 0;
  }

  /** Wraps the framed packets that wait into records and writes them; true if it did. */
  private boolean wrapPending(Link l) throws SSLException {
    if (l.pending.position() == 0) {
      return false;
    }
    l.pending.flip();
    SSLEngineResult r;
    try {
      r = l.engine.wrap(l.pending, l.netOut);
    } finally {
      l.pending.compact();
    }
    writeNet(l);
    return r.getStatus() == SSLEngineResult.Status.OK && r.bytesConsumed() > 0;
  }

  private void writeNet(Link l) {
    if (l.netOut.position() == 0) {
      return;
    }
    try {
      l.netOut.flip();
      l.channel.write(l.netOut);
      l.netOut.compact();
      l.register();
    } catch (IOException e) {
      fail(l, e.getMessage());
    }
  }

  private void deliver(Link l, Receiver receiver, byte[] data, int off, int n) {
    l.framer.receive(data, off, n);
    while (l.framer.next()) {
      l.packetsIn++;
      receiver.onPacket(
          l.local, l.server, l.framer.frameArray(), l.framer.frameOffset(), l.framer.frameLength());
      if (l.closed) {
        return;
      }
    }
    if (l.framer.isBroken()) {
      fail(l, "sent bytes that are neither STUN nor ChannelData");
    }
  }

  private void flush(Link l) {
    if (l.engine != null) {
      writeNet(l);
      if (l.engine.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING) {
        try {
          while (!l.closed && wrapPending(l)) {
            // until the packets are all records, or netOut is full
          }
        } catch (SSLException e) {
          fail(l, "TLS: " + e.getMessage());
        }
      }
      return;
    }
    if (l.pending.position() == 0) {
      return;
    }
    try {
      l.pending.flip();
      l.channel.write(l.pending);
      l.pending.compact();
      l.register();
    } catch (IOException e) {
      fail(l, e.getMessage());
    }
  }

  private void fail(Link l, String why) {
    if (l.closed) {
      return;
    }
    l.closed = true;
    if (l.iceTcp()) {
      // one pair of several; the agent decides what it means
      log.log(System.Logger.Level.DEBUG, "ICE-TCP connection to " + l.server + ": " + why);
    } else {
      log.log(
          System.Logger.Level.WARNING, "TCP connection to TURN server " + l.server + ": " + why);
    }
    closeQuietly(l);
    toReport.add(l);
  }

  private static void closeQuietly(Link l) {
    if (l.channel == null) {
      return;
    }
    try {
      l.channel.close();
    } catch (IOException ignored) {
      // nothing left to release
    }
  }

  /** Packets taken for sending (framed into a connection's buffer). */
  public long sentPackets() {
    return sentPackets;
  }

  /** Packets dropped: the connection failed or was full. */
  public long droppedPackets() {
    return droppedPackets;
  }

  /** Whether any connection is open or opening. */
  public boolean isEmpty() {
    return links.isEmpty();
  }

  /** Closes every listener and connection (without reporting them). */
  @Override
  public void close() {
    for (Link l : links) {
      l.closed = true;
      closeQuietly(l);
    }
    links.clear();
    toReport.clear();
    for (Listener l : listeners) {
      try {
        l.channel.close();
      } catch (IOException ignored) {
        // nothing left to release
      }
    }
    listeners.clear();
    if (acceptSelector != null) {
      try {
        acceptSelector.close();
      } catch (IOException ignored) {
        // nothing left to release
      }
      acceptSelector = null;
    }
  }
}
