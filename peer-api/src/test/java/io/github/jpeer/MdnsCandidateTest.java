package io.github.jpeer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jpeer.internal.DnsMessage;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A remote that hides its address behind an mDNS name (as browsers do): the offer's host candidate
 * says {@code <uuid>.local}, and jpeer must resolve it (RFC 6762) before it can pair. The responder
 * runs in the test on 127.0.0.1 and the connection is pointed at it, so no multicast leaves the
 * machine; everything else is the real path (the agent's resolver, MdnsClient, its socket, the
 * loop).
 */
class MdnsCandidateTest {
  private static final String NAME = "1f4712db-ea17-4bcf-a596-105139dfd8bf.local";

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void aRemoteDotLocalCandidateIsResolvedAndUsed() throws Exception {
    // A responder that follows RFC 6762 6.7: unicast to the port the query came from.
    resolvesThroughResponder(pc -> pc.mdnsListenPort(-1), (pc, queryFrom) -> queryFrom);
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void anAnswerSentOnlyToTheGroupPortIsHeardToo() throws Exception {
    // Chrome's responder answers only to the group's port 5353, never to the asking port. The
    // listener stands on a free port here (tests neither take 5353 nor rely on multicast), and
    // the responder sends its answer there by unicast, as the group would deliver it.
    resolvesThroughResponder(
        pc -> pc.mdnsListenPort(0),
        (pc, queryFrom) -> {
          InetSocketAddress listener = pc.mdnsListenerAddress();
          assertNotEquals(null, listener, "the listener opens with the first lookup");
          return new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getPort());
        });
  }

  private static void resolvesThroughResponder(
      Consumer<PeerConnection> setUp,
      BiFunction<PeerConnection, SocketAddress, SocketAddress> replyTo)
      throws Exception {
    List<String> asked = new CopyOnWriteArrayList<>();
    AtomicBoolean running = new AtomicBoolean(true);
    try (DatagramChannel responder = DatagramChannel.open()) {
      responder.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      TestPeer a = TestPeer.loopback("a", c -> c.audioCodec(MediaCodec.OPUS));
      TestPeer b = TestPeer.loopback("b", c -> c.audioCodec(MediaCodec.OPUS));
      b.pc.mdnsTarget((InetSocketAddress) responder.getLocalAddress());
      setUp.accept(b.pc);
      Thread answering =
          new Thread(
              () -> answerQueries(responder, asked, running, from -> replyTo.apply(b.pc, from)),
              "test-mdns-responder");
      answering.setDaemon(true);
      answering.start();
      try (PeerLoop loop = PeerLoop.start("mdns")) {
        // a's offer with its host address replaced by an mDNS name, as a browser sends it.
        String offer = a.pc.createOffer().replace(" 127.0.0.1 ", " " + NAME + " ");
        assertTrue(offer.contains(NAME), offer);
        b.pc.setRemoteDescription(offer, SdpType.OFFER);
        // a learns no candidate of b: only b's checks to the resolved name can make a pair.
        a.pc.setRemoteDescription(TestPeer.withoutCandidates(b.pc.createAnswer()), SdpType.ANSWER);
        TestPeer.addBoth(loop, a, b);
        a.completed.get(30, TimeUnit.SECONDS);
        b.completed.get(30, TimeUnit.SECONDS);
        assertTrue(asked.contains(NAME), "the responder was asked for " + NAME + ": " + asked);
        PeerStats stats = b.stats(loop);
        assertFalse(stats.dropped().containsKey("mdns-unresolved"), stats.toString());
        assertTrue(stats.selectedCandidatePair().contains("127.0.0.1"), stats.toString());
      } finally {
        running.set(false);
        a.pc.close();
        b.pc.close();
        answering.join(5_000);
      }
    }
  }

  /** Answers every A query with 127.0.0.1, sent to {@code replyTo} of the query's source. */
  private static void answerQueries(
      DatagramChannel channel,
      List<String> asked,
      AtomicBoolean running,
      UnaryOperator<SocketAddress> replyTo) {
    ByteBuffer buf = ByteBuffer.allocate(1500);
    try {
      channel.configureBlocking(false);
      java.nio.channels.Selector selector = java.nio.channels.Selector.open();
      channel.register(selector, java.nio.channels.SelectionKey.OP_READ);
      while (running.get()) {
        selector.select(100);
        selector.selectedKeys().clear();
        for (SocketAddress from; (from = channel.receive(buf.clear())) != null; ) {
          String name = questionName(buf.array(), buf.position());
          asked.add(name);
          int type =
              ((buf.get(12 + encodedLength(name)) & 0xff) << 8)
                  | (buf.get(13 + encodedLength(name)) & 0xff);
          if (type == DnsMessage.TYPE_A) {
            channel.send(
                ByteBuffer.wrap(answer(name, new byte[] {127, 0, 0, 1})), replyTo.apply(from));
          }
        }
      }
      selector.close();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String questionName(byte[] q, int length) {
    StringBuilder sb = new StringBuilder();
    int p = 12;
    while (p < length && q[p] != 0) {
      int n = q[p] & 0xff;
      if (sb.length() > 0) {
        sb.append('.');
      }
      sb.append(new String(q, p + 1, n, StandardCharsets.US_ASCII));
      p += 1 + n;
    }
    return sb.toString();
  }

  private static int encodedLength(String name) {
    return name.length() + 2;
  }

  /** An mDNS response: one A record with the cache-flush bit, TTL 120 s. */
  private static byte[] answer(String name, byte[] address) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {0, 0, (byte) 0x84, 0, 0, 0, 0, 1, 0, 0, 0, 0});
    for (String label : name.split("\\.")) {
      out.write(label.length());
      out.writeBytes(label.getBytes(StandardCharsets.US_ASCII));
    }
    out.write(0);
    out.writeBytes(new byte[] {0, 1, (byte) 0x80, 1, 0, 0, 0, 120, 0, 4});
    out.writeBytes(address);
    return out.toByteArray();
  }

  @Test
  void theResponseBuilderMatchesWhatDnsMessageReads() throws Exception {
    byte[] response = answer(NAME, new byte[] {127, 0, 0, 1});
    assertEquals(
        List.of(new DnsMessage.Answer(NAME, InetAddress.getLoopbackAddress())),
        DnsMessage.answers(response, response.length));
  }
}
