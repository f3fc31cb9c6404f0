package io.github.jpeer.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jpeer.stun.ChannelData;
import io.github.jpeer.stun.StunClass;
import io.github.jpeer.stun.StunMessage;
import io.github.jpeer.stun.StunMethod;
import io.github.jpeer.stun.TransactionId;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The driver's TCP connections to a TURN server over real sockets on 127.0.0.1: a server socket in
 * the test stands for the TURN server. Packets go out framed for TURN (ChannelData padded), come
 * back cut out of the stream however the server writes them, and a connection that is refused or
 * closed is reported once, from drain.
 */
class TcpLinksTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private static final InetSocketAddress LOCAL = new InetSocketAddress(LOOPBACK, 5000);
  private static final System.Logger LOG = System.getLogger(TcpLinksTest.class.getName());

  private final List<byte[]> packets = new ArrayList<>();
  private final List<InetSocketAddress> closed = new ArrayList<>();
  private final TcpLinks.Receiver receiver =
      new TcpLinks.Receiver() {
        @Override
        public void onPacket(
            InetSocketAddress local, InetSocketAddress server, byte[] data, int off, int len) {
          assertEquals(LOCAL, local);
          packets.add(Arrays.copyOfRange(data, off, off + len));
        }

        @Override
        public void onClosed(InetSocketAddress local, InetSocketAddress server) {
          closed.add(server);
        }
      };

  private static byte[] channelData(int length) {
    byte[] data = new byte[length];
    new SplittableRandom(length).nextBytes(data);
    byte[] out = new byte[ChannelData.encodedLength(length, false)];
    ChannelData.encode(0x4001, data, 0, length, out, 0, false);
    return out;
  }

  private static byte[] stun() {
    return StunMessage.builder(
            StunClass.SUCCESS_RESPONSE,
            StunMethod.BINDING,
            TransactionId.random(new SplittableRandom(3)))
        .software("test turn server")
        .encode();
  }

  /** Drains until {@code done} or 5 s. */
  private void drainUntil(TcpLinks links, java.util.function.BooleanSupplier done)
      throws InterruptedException {
    CountDownLatch never = new CountDownLatch(1);
    for (int i = 0; i < 500 && !done.getAsBoolean(); i++) {
      links.drain(receiver);
      never.await(10, TimeUnit.MILLISECONDS);
    }
  }

  @Test
  void packetsGoOutFramedAndComeBackWholeHoweverTheServerWritesThem() throws Exception {
    try (ServerSocketChannel server = ServerSocketChannel.open();
        TcpLinks links = new TcpLinks(LOG)) {
      server.bind(new InetSocketAddress(LOOPBACK, 0));
      InetSocketAddress address = (InetSocketAddress) server.getLocalAddress();
      byte[] odd = channelData(5); // 9 bytes, padded to 12 on the stream
      byte[] message = stun();
      // queued before the connection is even accepted: they wait in the buffer
      assertTrue(links.send(LOCAL, address, odd, odd.length, false));
      assertTrue(links.send(LOCAL, address, message, message.length, false));
      try (SocketChannel accepted = server.accept()) {
        ByteBuffer in = ByteBuffer.allocate(12 + message.length);
        drainUntil(
            links,
            () -> {
              try {
                accepted.configureBlocking(false);
                accepted.read(in);
              } catch (IOException e) {
                throw new AssertionError(e);
              }
              return !in.hasRemaining();
            });
        assertFalse(in.hasRemaining(), "the server got both packets, framed");
        assertArrayEquals(odd, Arrays.copyOf(in.array(), 9));
        assertArrayEquals(new byte[3], Arrays.copyOfRange(in.array(), 9, 12), "padding");
        assertArrayEquals(message, Arrays.copyOfRange(in.array(), 12, in.capacity()));
        // the server answers the same two, one byte per write
        byte[] back = in.array();
        for (byte b : back) {
          accepted.write(ByteBuffer.wrap(new byte[] {b}));
        }
        drainUntil(links, () -> packets.size() == 2);
        assertEquals(2, packets.size());
        assertArrayEquals(odd, packets.get(0), "ChannelData without its padding");
        assertArrayEquals(message, packets.get(1));
        assertTrue(closed.isEmpty());
      }
      // the server hung up: reported once
      drainUntil(links, () -> !closed.isEmpty());
      assertEquals(List.of(address), closed);
      links.drain(receiver);
      assertEquals(1, closed.size(), "once");
      assertFalse(
          links.send(LOCAL, address, odd, odd.length, false), "a closed connection takes none");
    }
  }

  @Test
  void aRefusedConnectionIsReportedFromDrainNotFromSend() throws Exception {
    InetSocketAddress nobody;
    try (ServerSocketChannel s = ServerSocketChannel.open()) {
      s.bind(new InetSocketAddress(LOOPBACK, 0));
      nobody = (InetSocketAddress) s.getLocalAddress();
    } // closed: connecting there is refused
    try (TcpLinks links = new TcpLinks(LOG)) {
      byte[] message = stun();
      links.send(LOCAL, nobody, message, message.length, false);
      assertTrue(closed.isEmpty(), "not from inside send");
      drainUntil(links, () -> !closed.isEmpty());
      assertEquals(List.of(nobody), closed);
    }
  }

  @Test
  void whatIsNeitherStunNorChannelDataIsNotSent() throws Exception {
    try (ServerSocketChannel server = ServerSocketChannel.open();
        TcpLinks links = new TcpLinks(LOG)) {
      server.bind(new InetSocketAddress(LOOPBACK, 0));
      byte[] rtp = {(byte) 0x80, 0, 0, 1, 0, 0, 0, 0};
      assertFalse(
          links.send(LOCAL, (InetSocketAddress) server.getLocalAddress(), rtp, rtp.length, false));
      assertEquals(1, links.droppedPackets());
    }
  }
}
