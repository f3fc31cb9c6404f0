package io.github.jpeer.internal;

import io.github.jpeer.stun.StreamFramer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * The driver's TCP connections to TURN servers reached over TCP (RFC 8656 section 3.1): one per
 * server, opened (non-blocking) by the first packet the core sends there, each packet framed for
 * TURN on the way out and cut back out of the stream on the way in (peer-stun's {@link
 * StreamFramer}). What the connection cannot take yet waits in its buffer, and the selector is
 * asked for writability only then, so nothing spins; a partial packet read waits in the framer. A
 * connection that fails to open, is closed by the server, or loses its framing is closed and
 * reported once through {@link Receiver#onClosed}, from {@link #drain} (never from inside {@link
 * #send}, which runs while the core's transmits are being drained).
 *
 * <p>Not thread-safe: the connection's loop thread owns it.
 */
public final class TcpLinks implements AutoCloseable {
  /** Where what the connections carry goes. */
  public interface Receiver {
    /** One packet from {@code server}, on the connection the core opened from {@code local}. */
    void onPacket(InetSocketAddress local, InetSocketAddress server, byte[] data, int off, int len);

    /** The connection to {@code server} failed or closed; nothing more comes from it. */
    void onClosed(InetSocketAddress local, InetSocketAddress server);
  }

  /** Most bytes waiting to be written on one connection; beyond, packets are dropped. */
  static final int MAX_PENDING_BYTES = 1 << 20;

  private final List<Link> links = new ArrayList<>();
  private final List<Link> toReport = new ArrayList<>();
  private final ByteBuffer readBuffer = ByteBuffer.allocate(16 * 1024);
  private final System.Logger log;
  private Selector selector;
  private Object attachment;
  private long droppedPackets;

  /** Connections that log to {@code log}. */
  public TcpLinks(System.Logger log) {
    this.log = log;
  }

  private final class Link {
    final InetSocketAddress local;
    final InetSocketAddress server;
    final SocketChannel channel;
    final StreamFramer framer = new StreamFramer(StreamFramer.Framing.TURN);
    ByteBuffer pending = ByteBuffer.allocate(2048); // written from position 0 to position
    boolean connected;
    boolean closed;
    SelectionKey key;

    Link(InetSocketAddress local, InetSocketAddress server, SocketChannel channel) {
      this.local = local;
      this.server = server;
      this.channel = channel;
    }

    int interest() {
      if (!connected) {
        return SelectionKey.OP_CONNECT;
      }
      return SelectionKey.OP_READ | (pending.position() > 0 ? SelectionKey.OP_WRITE : 0);
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

  /** Registers the connections with {@code selector}, now and as they open. */
  public void register(Selector selector, Object attachment) throws IOException {
    this.selector = selector;
    this.attachment = attachment;
    for (Link l : links) {
      l.register();
    }
  }

  /**
   * Queues one packet for {@code server} (opening the connection from the core's {@code local} on
   * the first), framed; it is written as the connection allows, in {@link #drain}.
   *
   * @return false if it was dropped: the connection failed, or too much waits already
   */
  public boolean send(InetSocketAddress local, InetSocketAddress server, byte[] data, int len) {
    Link l = linkTo(local, server);
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
    if (l.connected) {
      flush(l);
    }
    return true;
  }

  private Link linkTo(InetSocketAddress local, InetSocketAddress server) {
    for (Link l : links) {
      if (l.server.equals(server) && l.local.equals(local)) {
        return l;
      }
    }
    SocketChannel ch = null;
    Link l = null;
    try {
      ch = SocketChannel.open();
      l = new Link(local, server, ch);
      links.add(l);
      ch.configureBlocking(false);
      ch.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
      l.connected = ch.connect(server);
      l.register();
    } catch (IOException | RuntimeException e) {
      if (l == null) {
        l = new Link(local, server, ch);
        links.add(l);
      }
      fail(l, "cannot connect: " + e.getMessage());
    }
    return l;
  }

  /** Finishes connects, reads what arrived into packets for {@code receiver}, writes what waits. */
  public void drain(Receiver receiver) {
    report(receiver);
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
      receiver.onClosed(l.local, l.server);
    }
  }

  private void read(Link l, Receiver receiver) throws IOException {
    for (int round = 0; round < 64; round++) {
      readBuffer.clear();
      int n = l.channel.read(readBuffer);
      if (n < 0) {
        fail(l, "closed by the server");
        return;
      }
      if (n == 0) {
        return;
      }
      l.framer.receive(readBuffer.array(), 0, n);
      while (l.framer.next()) {
        receiver.onPacket(
            l.local,
            l.server,
            l.framer.frameArray(),
            l.framer.frameOffset(),
            l.framer.frameLength());
        if (l.closed) {
          return;
        }
      }
      if (l.framer.isBroken()) {
        fail(l, "sent bytes that are neither STUN nor ChannelData");
        return;
      }
    }
  }

  private void flush(Link l) {
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
    log.log(System.Logger.Level.WARNING, "TCP connection to TURN server " + l.server + ": " + why);
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

  /** Packets dropped: the connection failed or was full. */
  public long droppedPackets() {
    return droppedPackets;
  }

  /** Whether any connection is open or opening. */
  public boolean isEmpty() {
    return links.isEmpty();
  }

  /** Closes every connection (without reporting them). */
  @Override
  public void close() {
    for (Link l : links) {
      l.closed = true;
      closeQuietly(l);
    }
    links.clear();
    toReport.clear();
  }
}
