package io.github.jpeer.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The driver's mDNS sockets over real UDP on 127.0.0.1: a responder socket in the test stands for
 * the group, so nothing multicast leaves the machine and port 5353 is never taken. The core's side
 * (queries out, answers in, resolution) is {@code MdnsCandidateTest}, in virtual time.
 */
class MdnsSocketsTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private static final System.Logger LOG = System.getLogger(MdnsSocketsTest.class.getName());
  private static final byte[] QUERY = {0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 7};
  private static final byte[] ANSWER = {0, 0, (byte) 0x84, 0, 0, 0, 0, 1, 0, 0, 0, 0, 9};

  @Test
  void nothingOpensBeforeTheFirstQueryAndAnAnswerToTheAskingPortIsHeard() throws Exception {
    try (DatagramChannel responder = responder();
        MdnsSockets sockets = new MdnsSockets(address(responder), -1, LOG);
        Selector selector = Selector.open()) {
      sockets.register(selector, "mdns");
      assertNull(sockets.socketAddress(), "no socket before a query");
      sockets.send(QUERY, QUERY.length);
      // RFC 6762 section 6.7: the answer goes back to the port the query came from
      InetSocketAddress from = receiveQuery(responder);
      assertEquals(sockets.socketAddress().getPort(), from.getPort());
      assertNull(sockets.listenerAddress(), "-1: no group listener");
      responder.send(ByteBuffer.wrap(ANSWER), from);
      assertArrayEquals(ANSWER, awaitAnswer(sockets, selector));
    }
  }

  @Test
  void anAnswerSentOnlyToTheGroupPortIsHeardOnTheListener() throws Exception {
    // Chrome's responder answers to the group's port only, never to the asking port; the listener
    // stands on a free port here and the responder sends there, as the group would deliver it.
    try (DatagramChannel responder = responder();
        MdnsSockets sockets = new MdnsSockets(address(responder), 0, LOG);
        Selector selector = Selector.open()) {
      sockets.send(QUERY, QUERY.length);
      sockets.register(selector, "mdns"); // after opening: registers what is open
      receiveQuery(responder);
      InetSocketAddress listener = sockets.listenerAddress();
      assertNotNull(listener, "the listener opens with the first query");
      responder.send(ByteBuffer.wrap(ANSWER), new InetSocketAddress(LOOPBACK, listener.getPort()));
      assertArrayEquals(ANSWER, awaitAnswer(sockets, selector));
    }
  }

  @Test
  void aListenPortOutOfRangeIsRefused() {
    InetSocketAddress target = new InetSocketAddress(LOOPBACK, 5353);
    assertThrows(IllegalArgumentException.class, () -> new MdnsSockets(target, -2, LOG));
    assertThrows(IllegalArgumentException.class, () -> new MdnsSockets(target, 65_536, LOG));
  }

  private static DatagramChannel responder() throws IOException {
    DatagramChannel ch = DatagramChannel.open();
    ch.bind(new InetSocketAddress(LOOPBACK, 0));
    return ch;
  }

  private static InetSocketAddress address(DatagramChannel ch) throws IOException {
    return (InetSocketAddress) ch.getLocalAddress();
  }

  /** Blocks (at most 5 s) for the query; checks its bytes and returns where it came from. */
  private static InetSocketAddress receiveQuery(DatagramChannel responder) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(512);
    responder.configureBlocking(false);
    try (Selector s = Selector.open()) {
      responder.register(s, java.nio.channels.SelectionKey.OP_READ);
      for (int i = 0; i < 50; i++) {
        s.select(100);
        InetSocketAddress from = (InetSocketAddress) responder.receive(buf);
        if (from != null) {
          assertArrayEquals(QUERY, Arrays.copyOf(buf.array(), buf.position()));
          return from;
        }
      }
    }
    throw new AssertionError("the responder heard no query in 5 s");
  }

  /** Drains the sockets (at most 5 s) until one datagram arrived; returns it. */
  private static byte[] awaitAnswer(MdnsSockets sockets, Selector selector) throws IOException {
    List<byte[]> got = new ArrayList<>();
    for (int round = 0; round < 50 && got.isEmpty(); round++) {
      selector.select(100);
      selector.selectedKeys().clear();
      sockets.drain((local, from, data, length) -> got.add(Arrays.copyOf(data, length)));
    }
    assertEquals(1, got.size(), "one answer heard");
    return got.get(0);
  }
}
