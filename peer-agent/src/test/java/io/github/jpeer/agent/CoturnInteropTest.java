package io.github.jpeer.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jpeer.stun.StreamFramer;
import io.github.jpeer.testkit.Coturn;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Interop with a real TURN server: Debian's coturn, started by the test on 127.0.0.1 with long-term
 * credentials. The test carries the agents' datagrams over real UDP sockets; the agents themselves
 * stay sans-IO. Fails, naming the package, when {@code turnserver} is not installed.
 */
@Tag("interop")
class CoturnInteropTest {
  private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);

  /**
   * One agent and the UDP socket it drives, and the TCP connection to a TURN server reached over
   * TCP, opened on the agent's first stream transmit and framed with peer-stun's StreamFramer.
   */
  private static final class Endpoint {
    final IceAgent agent;
    final DatagramChannel channel;
    final InetSocketAddress local;
    final Selector selector;
    SocketChannel tcp;
    InetSocketAddress tcpServer;
    final StreamFramer framer = new StreamFramer(StreamFramer.Framing.TURN);
    final List<IceEvent> events = new ArrayList<>();
    final List<byte[]> appData = new ArrayList<>();

    Endpoint(IceAgent agent, Selector selector) throws IOException {
      this.agent = agent;
      this.channel = DatagramChannel.open(StandardProtocolFamily.INET);
      channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      channel.configureBlocking(false);
      channel.register(selector, SelectionKey.OP_READ, this);
      this.local = (InetSocketAddress) channel.getLocalAddress();
      this.selector = selector;
    }

    /** Writes one packet on the TCP connection to {@code server} (connecting first), framed. */
    void sendStream(InetSocketAddress server, byte[] data, int len) throws IOException {
      if (tcp == null) {
        tcp = SocketChannel.open(server); // blocking connect: loopback, at once
        tcp.configureBlocking(false);
        tcp.register(selector, SelectionKey.OP_READ, this);
        tcpServer = server;
      }
      assertEquals(tcpServer, server, "one TCP TURN server per endpoint here");
      byte[] framed = new byte[framer.framedLength(len)];
      framer.frame(data, 0, len, framed, 0);
      ByteBuffer out = ByteBuffer.wrap(framed);
      for (int i = 0; i < 1000 && out.hasRemaining(); i++) {
        tcp.write(out);
      }
      assertTrue(!out.hasRemaining(), "the TCP connection took no more bytes");
    }

    private void readStream(long nowNanos) throws IOException {
      if (tcp == null) {
        return;
      }
      ByteBuffer in = ByteBuffer.allocate(8192);
      for (int n; (n = tcp.read(in.clear())) > 0; ) {
        framer.receive(in.array(), 0, n);
        while (framer.next()) {
          Received r =
              agent.handleStreamReceive(
                  nowNanos,
                  local,
                  tcpServer,
                  framer.frameArray(),
                  framer.frameOffset(),
                  framer.frameLength());
          keep(r);
        }
      }
      assertTrue(!framer.isBroken(), "coturn's TCP stream lost its framing");
    }

    private void keep(Received r) {
      if (r.isApplicationData()) {
        byte[] copy = new byte[r.length()];
        System.arraycopy(r.data(), r.offset(), copy, 0, r.length());
        appData.add(copy);
      }
    }

    /** Sends application data on the selected pair, wrapped by the agent as a driver does. */
    boolean sendData(byte[] data) throws IOException {
      byte[] out = new byte[data.length + TurnClient.maxOverhead()];
      int n = agent.wrapForSelectedPair(data, 0, data.length, out, 0);
      if (n < 0) {
        return false;
      }
      assertEquals(local, agent.selectedSocket());
      if (agent.selectedFraming() != null) {
        sendStream(agent.selectedDestination(), out, n);
      } else {
        channel.send(ByteBuffer.wrap(out, 0, n), agent.selectedDestination());
      }
      return true;
    }

    void pump(long nowNanos, Endpoint peer) throws IOException {
      ByteBuffer buf = ByteBuffer.allocate(2048);
      for (InetSocketAddress from;
          (from = (InetSocketAddress) channel.receive(buf.clear())) != null; ) {
        keep(agent.handleReceive(nowNanos, local, from, buf.array(), 0, buf.position()));
      }
      readStream(nowNanos);
      if (agent.pollTimeoutNanos() <= nowNanos) {
        agent.handleTimeout(nowNanos);
      }
      for (Transmit t; (t = agent.pollTransmit()) != null; ) {
        assertEquals(local, t.local());
        if (t.stream()) {
          sendStream(t.destination(), t.data(), t.length());
        } else {
          channel.send(ByteBuffer.wrap(t.data()), t.destination());
        }
      }
      for (IceEvent e; (e = agent.pollEvent()) != null; ) {
        events.add(e);
        if (e instanceof IceEvent.LocalCandidate c && peer != null) {
          peer.agent.addRemoteCandidate(nowNanos, c.candidate());
        }
      }
    }
  }

  /**
   * Both agents relay-only through coturn; with {@code aOverTcp}, a reaches coturn over TCP (RFC
   * 8656 section 3.1: the Allocate, permissions, channels and every relayed packet on one TCP
   * connection, ChannelData padded to four), b over UDP.
   */
  @ParameterizedTest(name = "a over TCP: {0}")
  @ValueSource(booleans = {false, true})
  void gathersFromCoturnAndPassesDataThroughTheRelay(boolean aOverTcp) throws Exception {
    Path binary = Coturn.binary();
    Coturn turn = Coturn.start(binary);
    if (aOverTcp) {
      turn.awaitTcp();
    }
    try (Selector selector = Selector.open()) {
      InetSocketAddress turnAddress = turn.address();
      IceConfig config =
          IceConfig.builder()
              .stunServer(turnAddress)
              .turnServer(new TurnServer(turnAddress, Coturn.USER, Coturn.PASSWORD))
              .relayOnly(true)
              .build();
      IceConfig configA =
          aOverTcp
              ? IceConfig.builder()
                  .turnServer(new TurnServer(turnAddress, Coturn.USER, Coturn.PASSWORD, true))
                  .relayOnly(true)
                  .build()
              : config;
      Endpoint a = new Endpoint(new IceAgent(configA, true, SimHarness.seededRandom(1)), selector);
      Endpoint b = new Endpoint(new IceAgent(config, false, SimHarness.seededRandom(2)), selector);
      a.agent.setRemoteCredentials(b.agent.localCredentials());
      b.agent.setRemoteCredentials(a.agent.localCredentials());
      // coturn may need a moment to open its port: gathering retransmits until it answers.
      long start = System.nanoTime();
      a.agent.gather(start, List.of(a.local));
      b.agent.gather(start, List.of(b.local));
      BooleanSupplier done =
          () -> a.agent.state() == IceState.COMPLETED && b.agent.state() == IceState.COMPLETED;
      run(selector, a, b, done);
      assertTrue(
          done.getAsBoolean(),
          "not connected: "
              + a.agent.state()
              + "/"
              + b.agent.state()
              + " "
              + a.events
              + " log "
              + turn.log());
      assertTrue(a.agent.isGatheringComplete() && b.agent.isGatheringComplete());
      assertTrue(
          a.agent.localCandidates().stream().anyMatch(c -> c.type() == CandidateType.RELAYED));
      assertTrue(a.agent.selectedPair().isRelayed());
      assertTrue(b.agent.selectedPair().isRelayed());
      assertEquals(CandidateType.RELAYED, a.agent.selectedPair().remote().type());
      assertEquals(aOverTcp, a.agent.selectedFraming() != null);
      assertEquals(aOverTcp, a.tcp != null, "a's relay ran over TCP");

      byte[] ping = "ping through coturn".getBytes(StandardCharsets.UTF_8);
      byte[] pong = "pong through coturn".getBytes(StandardCharsets.UTF_8);
      for (int i = 0; i < 3; i++) {
        // Send indications first, then ChannelData once the channels are bound.
        int before = b.appData.size();
        int beforeA = a.appData.size();
        assertTrue(a.sendData(ping));
        assertTrue(b.sendData(pong));
        run(selector, a, b, () -> b.appData.size() > before && a.appData.size() > beforeA);
        assertArrayEquals(ping, b.appData.get(b.appData.size() - 1));
        assertArrayEquals(pong, a.appData.get(a.appData.size() - 1));
      }
      assertEquals(0, a.agent.stats().badIntegrity() + b.agent.stats().badIntegrity());
      a.agent.close(System.nanoTime());
      b.agent.close(System.nanoTime());
      run(selector, a, b, () -> false, TimeUnit.MILLISECONDS.toNanos(200));
      a.channel.close();
      b.channel.close();
      if (a.tcp != null) {
        a.tcp.close();
      }
    } finally {
      turn.close();
    }
  }

  private static void run(Selector selector, Endpoint a, Endpoint b, BooleanSupplier done)
      throws IOException {
    run(selector, a, b, done, WAIT_NANOS);
  }

  /** Pumps both endpoints until {@code done} or the bounded wait is over. */
  private static void run(
      Selector selector, Endpoint a, Endpoint b, BooleanSupplier done, long maxNanos)
      throws IOException {
    long deadline = System.nanoTime() + maxNanos;
    while (!done.getAsBoolean() && System.nanoTime() < deadline) {
      long now = System.nanoTime();
      a.pump(now, b);
      b.pump(now, a);
      long next = Math.min(a.agent.pollTimeoutNanos(), b.agent.pollTimeoutNanos());
      long waitMillis = Math.max(1, Math.min(20, (next - System.nanoTime()) / 1_000_000));
      selector.select(waitMillis);
      selector.selectedKeys().clear();
    }
  }

  /**
   * Server-reflexive gathering against the real server. coturn on loopback sees the agent's own
   * address, so its mapped address equals the host candidate and the agent rightly drops it as
   * redundant (RFC 8445 5.1.3). A port-mapping forwarder between them stands in for a NAT: it
   * relays the Binding request from a socket of its own, so coturn's XOR-MAPPED-ADDRESS is the
   * forwarder's outside port, and the agent must report it as a srflx candidate whose base is its
   * host candidate.
   */
  @Test
  void gathersServerReflexiveFromCoturnBehindAPortMapping() throws Exception {
    Path binary = Coturn.binary();
    Coturn turn = Coturn.start(binary);
    try (Selector selector = Selector.open();
        DatagramChannel inside = DatagramChannel.open(StandardProtocolFamily.INET);
        DatagramChannel outside = DatagramChannel.open(StandardProtocolFamily.INET)) {
      InetAddress lo = InetAddress.getLoopbackAddress();
      inside.bind(new InetSocketAddress(lo, 0)).configureBlocking(false);
      outside.bind(new InetSocketAddress(lo, 0)).configureBlocking(false);
      InetSocketAddress coturn = turn.address();
      InetSocketAddress mapped = (InetSocketAddress) outside.getLocalAddress();
      IceConfig config =
          IceConfig.builder().stunServer((InetSocketAddress) inside.getLocalAddress()).build();
      Endpoint a = new Endpoint(new IceAgent(config, true, SimHarness.seededRandom(3)), selector);
      a.agent.gather(System.nanoTime(), List.of(a.local));
      ByteBuffer buf = ByteBuffer.allocate(2048);
      long deadline = System.nanoTime() + WAIT_NANOS;
      while (!a.agent.isGatheringComplete() && System.nanoTime() < deadline) {
        a.pump(System.nanoTime(), null);
        // agent -> coturn, re-sent from the forwarder's outside port; and the answers back
        for (SocketAddress from; (from = inside.receive(buf.clear())) != null; ) {
          assertEquals(a.local, from);
          outside.send(buf.flip(), coturn);
        }
        for (SocketAddress from; (from = outside.receive(buf.clear())) != null; ) {
          inside.send(buf.flip(), a.local);
        }
        selector.select(5);
        selector.selectedKeys().clear();
      }
      IceCandidate srflx =
          a.agent.localCandidates().stream()
              .filter(c -> c.type() == CandidateType.SERVER_REFLEXIVE)
              .findFirst()
              .orElseThrow(() -> new AssertionError("no srflx candidate; log " + turn.log()));
      assertEquals(mapped, srflx.address(), "coturn's XOR-MAPPED-ADDRESS");
      assertEquals(a.local, srflx.relatedAddress(), "the srflx candidate's base");
      a.channel.close();
    } finally {
      turn.close();
    }
  }
}
