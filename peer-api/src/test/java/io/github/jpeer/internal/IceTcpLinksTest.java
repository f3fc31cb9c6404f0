package io.github.jpeer.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * The driver's ICE-TCP connections (RFC 6544) over real sockets on 127.0.0.1, with plain sockets in
 * the test as the remote: a passive candidate's listener accepts and cuts RFC 4571 frames out of
 * whatever the remote writes, answers go back on the accepted connection, an active candidate dials
 * from its IP, an empty packet closes, and idle strangers cannot crowd a listener out.
 */
class IceTcpLinksTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private static final InetSocketAddress ACTIVE = new InetSocketAddress(LOOPBACK, 9);
  private static final System.Logger LOG = System.getLogger(IceTcpLinksTest.class.getName());

  private record Packet(InetSocketAddress local, InetSocketAddress from, byte[] data) {}

  private final List<Packet> packets = new ArrayList<>();
  private final List<InetSocketAddress> closed = new ArrayList<>();
  private final TcpLinks.Receiver receiver =
      new TcpLinks.Receiver() {
        @Override
        public void onPacket(
            InetSocketAddress local, InetSocketAddress from, byte[] data, int off, int len) {
          packets.add(new Packet(local, from, Arrays.copyOfRange(data, off, off + len)));
        }

        @Override
        public void onClosed(InetSocketAddress local, InetSocketAddress remote) {
          closed.add(remote);
        }
      };

  private void drainUntil(TcpLinks links, BooleanSupplier done) throws InterruptedException {
    CountDownLatch never = new CountDownLatch(1);
    for (int i = 0; i < 500 && !done.getAsBoolean(); i++) {
      links.drain(receiver);
      never.await(10, TimeUnit.MILLISECONDS);
    }
  }

  /** Drains for {@code millis}: what the kernel already has is taken by then. */
  private void drainFor(TcpLinks links, long millis) throws InterruptedException {
    long end = System.nanoTime() + millis * 1_000_000L;
    drainUntil(links, () -> System.nanoTime() >= end);
  }

  private static Socket connect(InetSocketAddress to) throws IOException {
    Socket s = new Socket();
    s.connect(to, 5_000);
    return s;
  }

  private static byte[] framed(byte[] packet) {
    byte[] out = new byte[packet.length + 2];
    out[0] = (byte) (packet.length >>> 8);
    out[1] = (byte) packet.length;
    System.arraycopy(packet, 0, out, 2, packet.length);
    return out;
  }

  private static byte[] readFramed(InputStream in) throws IOException {
    int hi = in.read();
    int lo = in.read();
    byte[] packet = in.readNBytes((hi << 8) | lo);
    return packet;
  }

  @Test
  void aPassiveListenerTakesFramesInAnyPiecesAndAnswersOnTheSameConnection() throws Exception {
    try (TcpLinks links = new TcpLinks(LOG)) {
      InetSocketAddress listener = links.listen(LOOPBACK, 0);
      byte[] check = new byte[300];
      Arrays.fill(check, (byte) 1);
      try (Socket remote = new Socket(LOOPBACK, listener.getPort())) {
        remote.setSoTimeout(5_000);
        OutputStream out = remote.getOutputStream();
        byte[] bytes = framed(check);
        for (byte b : bytes) { // one byte per write: every frame arrives in pieces
          out.write(b);
          out.flush();
        }
        drainUntil(links, () -> !packets.isEmpty());
        assertEquals(1, packets.size());
        Packet p = packets.get(0);
        assertEquals(listener, p.local());
        assertEquals(remote.getLocalSocketAddress(), p.from());
        assertArrayEquals(check, p.data());

        byte[] answer = {9, 8, 7};
        assertTrue(links.send(listener, p.from(), answer, answer.length, true));
        assertArrayEquals(answer, readFramed(remote.getInputStream()));

        assertTrue(links.send(listener, p.from(), new byte[0], 0, true), "an empty packet closes");
        assertEquals(-1, remote.getInputStream().read(), "closed by the driver");
        assertTrue(closed.isEmpty(), "a close the core asked for is not reported back");
      }
    }
  }

  @Test
  void aPassiveCandidateNeverDialsAndAnActiveOneDialsFromItsIp() throws Exception {
    try (TcpLinks links = new TcpLinks(LOG);
        ServerSocket remote = new ServerSocket(0, 8, LOOPBACK)) {
      InetSocketAddress listener = links.listen(LOOPBACK, 0);
      InetSocketAddress far = new InetSocketAddress(LOOPBACK, remote.getLocalPort());
      byte[] packet = {1, 2, 3, 4};
      assertFalse(links.send(listener, far, packet, packet.length, true), "no such connection");
      assertEquals(1, links.droppedPackets());

      assertTrue(links.send(ACTIVE, far, packet, packet.length, true));
      remote.setSoTimeout(5_000);
      try (Socket accepted = remote.accept()) {
        accepted.setSoTimeout(5_000);
        drainFor(links, 100); // finishes the connect and writes what waited
        assertEquals(LOOPBACK, accepted.getInetAddress(), "dialled from the candidate's IP");
        assertArrayEquals(packet, readFramed(accepted.getInputStream()));
        accepted.getOutputStream().write(framed(new byte[] {5, 6}));
        drainUntil(links, () -> !packets.isEmpty());
        assertEquals(ACTIVE, packets.get(0).local(), "reported on the active candidate's address");
        assertEquals(far, packets.get(0).from());
        assertArrayEquals(new byte[] {5, 6}, packets.get(0).data());
      }
      drainUntil(links, () -> !closed.isEmpty());
      assertEquals(List.of(far), closed, "the remote's close is reported once");
    }
  }

  @Test
  void aRefusedDialIsReportedAndALaterDialBetweenTheSameEndsStartsAfresh() throws Exception {
    InetSocketAddress nobody;
    try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
      nobody = new InetSocketAddress(LOOPBACK, s.getLocalPort());
    }
    try (TcpLinks links = new TcpLinks(LOG)) {
      byte[] packet = {1};
      links.send(ACTIVE, nobody, packet, 1, true);
      drainUntil(links, () -> !closed.isEmpty());
      assertEquals(List.of(nobody), closed);
      assertTrue(links.isEmpty(), "a failed ICE-TCP connection is forgotten once reported");
    }
  }

  @Test
  void strangersWhoConnectAndSayNothingMakeRoomForTheRemote() throws Exception {
    try (TcpLinks links = new TcpLinks(LOG)) {
      InetSocketAddress listener = links.listen(LOOPBACK, 0);
      List<Socket> idle = new ArrayList<>();
      try {
        for (int i = 0; i < TcpLinks.MAX_ACCEPTED_PER_LISTENER; i++) {
          idle.add(connect(listener));
          drainFor(links, 20); // accepted before the next comes, as strangers trickle in
        }
        try (Socket remote = connect(listener)) {
          remote.getOutputStream().write(framed(new byte[] {42}));
          drainUntil(links, () -> !packets.isEmpty());
          assertEquals(1, packets.size(), "the remote's check got through");
          assertEquals(remote.getLocalSocketAddress(), packets.get(0).from());
          idle.get(0).setSoTimeout(5_000);
          assertEquals(-1, idle.get(0).getInputStream().read(), "the oldest idle one was closed");
        }
      } finally {
        for (Socket s : idle) {
          s.close();
        }
      }
    }
  }
}
