package io.github.jpeer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/**
 * One jpeer connection under test and everything its callbacks saw, in thread-safe collections: the
 * tests read them from the JUnit thread while the loop thread fills them.
 */
final class TestPeer {
  /** One data channel message as received (copied out of jpeer's buffer). */
  record Message(DataChannel channel, byte[] data, boolean binary) {
    String text() {
      return new String(data, java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  final PeerConnection pc;
  final String name;
  final List<PeerConnectionState> states = new CopyOnWriteArrayList<>();
  final CompletableFuture<Void> completed = new CompletableFuture<>();
  final CompletableFuture<Void> closed = new CompletableFuture<>();
  final BlockingQueue<byte[]> audio = new LinkedBlockingQueue<>();
  final BlockingQueue<byte[]> video = new LinkedBlockingQueue<>();
  final BlockingQueue<DataChannel> opened = new LinkedBlockingQueue<>();
  final BlockingQueue<Message> messages = new LinkedBlockingQueue<>();
  final BlockingQueue<DataChannel> channelsClosed = new LinkedBlockingQueue<>();
  final BlockingQueue<String> channelErrors = new LinkedBlockingQueue<>();
  final BlockingQueue<String> localCandidates = new LinkedBlockingQueue<>();

  /** onReceiverPacketLoss calls: {fractionLost, totalLost}. */
  final BlockingQueue<double[]> lossReports = new LinkedBlockingQueue<>();

  /** A peer on 127.0.0.1 with {@code customize} applied to its configuration. */
  static TestPeer loopback(String name, UnaryOperator<PeerConfiguration.Builder> customize) {
    return new TestPeer(
        name,
        customize.apply(
            PeerConfiguration.builder()
                .bindAddress(InetAddress.getLoopbackAddress())
                .includeLoopback(true)));
  }

  TestPeer(String name, PeerConfiguration.Builder builder) {
    this.name = name;
    PeerConfiguration config =
        builder
            .loggerName("io.github.jpeer.test." + name)
            .name(name)
            .onAudioTrack((frame, ts) -> audio.add(copy(frame)))
            .onVideoTrack((frame, ts) -> video.add(copy(frame)))
            .build();
    pc = PeerConnection.create(config);
    pc.onIceConnectionStateChange(
        s -> {
          states.add(s);
          if (s == PeerConnectionState.COMPLETED) {
            completed.complete(null);
          } else if (s == PeerConnectionState.CLOSED) {
            closed.complete(null);
          } else if (s == PeerConnectionState.FAILED) {
            completed.completeExceptionally(
                new AssertionError(name + " failed: " + pc.failureReason()));
          }
        });
    pc.onLocalCandidate(localCandidates::add);
    pc.onReceiverPacketLoss((fraction, total) -> lossReports.add(new double[] {fraction, total}));
    pc.onDataChannel(
        new DataChannelListener() {
          @Override
          public void onOpen(DataChannel channel) {
            opened.add(channel);
          }

          @Override
          public void onMessage(DataChannel channel, ByteBuffer message, boolean binary) {
            messages.add(new Message(channel, copy(message), binary));
          }

          @Override
          public void onError(DataChannel channel, String reason) {
            channelErrors.add(channel.label() + ": " + reason);
          }

          @Override
          public void onClose(DataChannel channel) {
            channelsClosed.add(channel);
          }
        });
  }

  static byte[] copy(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.get(b.position(), out);
    return out;
  }

  /** Removes every {@code a=candidate} line (and end-of-candidates) from a description. */
  static String withoutCandidates(String sdp) {
    return filterLines(sdp, l -> l.startsWith("a=candidate") || l.equals("a=end-of-candidates"));
  }

  /** Removes the candidate lines of type host from a description. */
  static String withoutHostCandidates(String sdp) {
    return filterLines(sdp, l -> l.startsWith("a=candidate") && l.contains(" typ host"));
  }

  private static String filterLines(String sdp, java.util.function.Predicate<String> drop) {
    StringBuilder sb = new StringBuilder(sdp.length());
    for (String line : sdp.split("\r\n")) {
      if (!drop.test(line)) {
        sb.append(line).append("\r\n");
      }
    }
    return sb.toString();
  }

  /**
   * Asserts nothing was dropped on a lossless path. One reason is allowed: the answerer (DTLS
   * client) may send its ClientHello before the offerer has applied the answer, a signaling race
   * that DTLS retransmission covers.
   */
  static void assertNothingDropped(PeerStats stats) {
    java.util.Map<String, Long> dropped = new java.util.HashMap<>(stats.dropped());
    dropped.remove("dtls-before-remote-description");
    org.junit.jupiter.api.Assertions.assertEquals(
        java.util.Map.of(), dropped, "nothing dropped on a lossless path: " + stats);
  }

  /** Waits (bounded) for {@code condition}, polling every few milliseconds. */
  static void await(BooleanSupplier condition, long timeoutMillis, String what)
      throws InterruptedException {
    CountDownLatch never = new CountDownLatch(1);
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
      never.await(5, TimeUnit.MILLISECONDS); // a bounded wait over real sockets, not a sleep
    }
    assertTrue(condition.getAsBoolean(), "timed out waiting for " + what);
  }

  /** Waits {@code millis} of real time (pacing media like a 20 ms encoder does). */
  static void pace(long millis) throws InterruptedException {
    new CountDownLatch(1).await(millis, TimeUnit.MILLISECONDS);
  }

  /** Takes the next item or fails after the timeout. */
  static <T> T take(BlockingQueue<T> q, String what) throws InterruptedException {
    T t = q.poll(10, TimeUnit.SECONDS);
    assertTrue(t != null, "timed out waiting for " + what);
    return t;
  }

  /**
   * Negotiates {@code offerer} with {@code answerer} on {@code loop} and waits until both are
   * COMPLETED. Non-trickle: each side's complete description from {@code onIceCandidate}. Trickle:
   * the descriptions without candidates, then each candidate line from {@code onLocalCandidate}
   * through {@code addIceCandidate}.
   */
  static void connect(PeerLoop loop, TestPeer offerer, TestPeer answerer, boolean trickle)
      throws Exception {
    connect(loop, offerer, answerer, trickle, UnaryOperator.identity());
  }

  /** As {@link #connect(PeerLoop, TestPeer, TestPeer, boolean)}, each description filtered. */
  static void connect(
      PeerLoop loop,
      TestPeer offerer,
      TestPeer answerer,
      boolean trickle,
      UnaryOperator<String> filter)
      throws Exception {
    negotiate(loop, offerer, answerer, trickle, filter, filter);
    if (trickle) {
      // Both remote descriptions are set: hand each side's candidates to the other as they come.
      trickleUntilCompleted(loop, offerer, answerer);
    }
    offerer.completed.get(20, TimeUnit.SECONDS);
    answerer.completed.get(20, TimeUnit.SECONDS);
  }

  /**
   * The offer and answer of {@link #connect(PeerLoop, TestPeer, TestPeer, boolean)}, the offer
   * through {@code offerFilter} and the answer through {@code answerFilter} on the way, without
   * waiting for the connection (nor, with {@code trickle}, handing on candidates).
   */
  static void negotiate(
      PeerLoop loop,
      TestPeer offerer,
      TestPeer answerer,
      boolean trickle,
      UnaryOperator<String> offerFilter,
      UnaryOperator<String> answerFilter)
      throws Exception {
    CompletableFuture<String> fullOffer = new CompletableFuture<>();
    CompletableFuture<String> fullAnswer = new CompletableFuture<>();
    offerer.pc.onIceCandidate(fullOffer::complete);
    answerer.pc.onIceCandidate(fullAnswer::complete);
    String offer = loop.submit(offerer.pc::createOffer).get(5, TimeUnit.SECONDS);
    if (!trickle) {
      offer = fullOffer.get(10, TimeUnit.SECONDS);
    }
    String offerSdp = offerFilter.apply(trickle ? withoutCandidates(offer) : offer);
    loop.submit(() -> answerer.pc.setRemoteDescription(offerSdp, SdpType.OFFER))
        .get(5, TimeUnit.SECONDS);
    String answer = loop.submit(answerer.pc::createAnswer).get(5, TimeUnit.SECONDS);
    if (!trickle) {
      answer = fullAnswer.get(10, TimeUnit.SECONDS);
    }
    String answerSdp = answerFilter.apply(trickle ? withoutCandidates(answer) : answer);
    loop.submit(() -> offerer.pc.setRemoteDescription(answerSdp, SdpType.ANSWER))
        .get(5, TimeUnit.SECONDS);
  }

  private static void trickleUntilCompleted(PeerLoop loop, TestPeer a, TestPeer b)
      throws Exception {
    await(
        () -> !a.localCandidates.isEmpty() && !b.localCandidates.isEmpty(),
        3_000,
        "onLocalCandidate to report a candidate on both sides ("
            + a.localCandidates
            + ", "
            + b.localCandidates
            + ")");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!(a.completed.isDone() && b.completed.isDone()) && System.nanoTime() < deadline) {
      forward(loop, a, b);
      forward(loop, b, a);
      pace(5);
    }
    forward(loop, a, b);
    forward(loop, b, a);
  }

  private static void forward(PeerLoop loop, TestPeer from, TestPeer to) throws Exception {
    List<String> lines = new ArrayList<>();
    from.localCandidates.drainTo(lines);
    for (String line : lines) {
      loop.submit(() -> to.pc.addIceCandidate(line)).get(5, TimeUnit.SECONDS);
    }
  }

  /** Ten Opus frames each way, 20 ms apart; each must arrive whole, in order. */
  static void tenFramesEachWay(TestPeer a, TestPeer b) throws Exception {
    for (int i = 0; i < 10; i++) {
      assertTrue(a.pc.sendAudio(PeerConnectionMatrixTest.audioFrame(MediaCodec.OPUS, i, 0)));
      assertTrue(b.pc.sendAudio(PeerConnectionMatrixTest.audioFrame(MediaCodec.OPUS, i, 1)));
      TestPeer.pace(20);
    }
    for (int i = 0; i < 10; i++) {
      org.junit.jupiter.api.Assertions.assertArrayEquals(
          PeerConnectionMatrixTest.audioFrame(MediaCodec.OPUS, i, 0),
          TestPeer.take(b.audio, "frame " + i + " at b"));
      org.junit.jupiter.api.Assertions.assertArrayEquals(
          PeerConnectionMatrixTest.audioFrame(MediaCodec.OPUS, i, 1),
          TestPeer.take(a.audio, "frame " + i + " at a"));
    }
  }

  /** Makes the pair, adds both to the loop; the caller connects them. */
  static void addBoth(PeerLoop loop, TestPeer a, TestPeer b) throws Exception {
    loop.add(a.pc).get(5, TimeUnit.SECONDS);
    loop.add(b.pc).get(5, TimeUnit.SECONDS);
  }

  /** A snapshot of the connection's counters, taken on the loop thread. */
  PeerStats stats(PeerLoop loop) throws Exception {
    return loop.submit(pc::getStats).get(5, TimeUnit.SECONDS);
  }

  @Override
  public String toString() {
    return name;
  }
}
