package io.github.jpeer;

import io.github.jpeer.testkit.ImpairingRelay;
import io.github.jpeer.testkit.ImpairingRelay.Side;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/**
 * Two jpeer connections on 127.0.0.1 whose every datagram goes through an {@link ImpairingRelay}:
 * each side's host candidates are rewritten, in the description the other side receives, to the
 * relay's address that stands for it, and every other candidate is removed, so the only path ICE
 * can find runs through the relay. The offerer is side A, the answerer side B.
 *
 * <p>The relay has no thread: while the connections run on a {@link PeerLoop}, the test thread
 * moves the relay's datagrams in {@link #await}; with {@code loop()} called by hand the same thread
 * interleaves those calls with {@link ImpairingRelay#pump}.
 */
final class RelayedPair implements AutoCloseable {
  final ImpairingRelay relay;
  final TestPeer offerer;
  final TestPeer answerer;
  private final PeerLoop loop;

  /** A pair driven by {@code loop}, or by hand if {@code loop} is null. */
  RelayedPair(PeerLoop loop, long seed, DataChannelType type) throws Exception {
    this(loop, seed, c -> c.dataChannel(type).audioCodec(MediaCodec.NONE));
  }

  /** A pair whose two configurations are {@code customize}d, driven as above. */
  RelayedPair(PeerLoop loop, long seed, UnaryOperator<PeerConfiguration.Builder> customize)
      throws Exception {
    this.loop = loop;
    this.relay = ImpairingRelay.open(seed);
    this.offerer = TestPeer.loopback("offerer", customize);
    this.answerer = TestPeer.loopback("answerer", customize);
    if (loop != null) {
      TestPeer.addBoth(loop, offerer, answerer);
    }
  }

  /** Runs {@code call} where the connections belong (the loop thread, or this one). */
  <T> T onLoop(Callable<T> call) throws Exception {
    if (loop == null) {
      return call.call();
    }
    Future<T> f = loop.submit(call);
    await(f::isDone, 5_000, "a call on the loop thread");
    return f.get(0, TimeUnit.SECONDS);
  }

  /**
   * Moves datagrams (and, without a loop, runs both connections every {@code tickMillis}) until
   * {@code done} holds; fails after {@code timeoutMillis}.
   */
  void await(BooleanSupplier done, long timeoutMillis, String what) {
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeoutMillis + " ms waiting for " + what);
      }
      if (loop == null) {
        offerer.pc.loop();
        answerer.pc.loop();
        // libpeer's rhythm: loop() every 15 ms at most, sooner when the relay moved something
        relay.pump(MANUAL_TICK_NANOS);
      } else {
        relay.pump(5_000_000L);
      }
    }
  }

  /** How often the hand-driven variant calls {@code loop()} when nothing arrives. */
  static final long MANUAL_TICK_NANOS = 15_000_000L;

  /** Negotiates through the relay (non-trickle) and waits until both sides are COMPLETED. */
  void connect() throws Exception {
    CompletableFuture<String> fullOffer = new CompletableFuture<>();
    CompletableFuture<String> fullAnswer = new CompletableFuture<>();
    offerer.pc.onIceCandidate(fullOffer::complete);
    answerer.pc.onIceCandidate(fullAnswer::complete);
    onLoop(offerer.pc::createOffer);
    await(fullOffer::isDone, 10_000, "the offerer's candidates");
    String offer = throughRelay(fullOffer.get(), Side.A);
    onLoop(
        () -> {
          answerer.pc.setRemoteDescription(offer, SdpType.OFFER);
          return null;
        });
    onLoop(answerer.pc::createAnswer);
    await(fullAnswer::isDone, 10_000, "the answerer's candidates");
    String answer = throughRelay(fullAnswer.get(), Side.B);
    onLoop(
        () -> {
          offerer.pc.setRemoteDescription(answer, SdpType.ANSWER);
          return null;
        });
    await(
        () -> offerer.completed.isDone() && answerer.completed.isDone(),
        20_000,
        "both connections COMPLETED through the relay");
    offerer.completed.get(0, TimeUnit.SECONDS);
    answerer.completed.get(0, TimeUnit.SECONDS);
  }

  /**
   * The description of {@code side} as the other side must see it: its UDP host candidate on
   * 127.0.0.1 now points at the relay (whose far end learns the real port), every other candidate
   * is gone.
   */
  private String throughRelay(String sdp, Side side) {
    StringBuilder sb = new StringBuilder(sdp.length());
    InetSocketAddress front = relay.frontOf(side);
    boolean found = false;
    for (String line : sdp.split("\r\n")) {
      if (line.startsWith("a=candidate")) {
        // a=candidate:foundation component transport priority address port typ type ...
        String[] f = line.split(" ");
        boolean loopbackUdp =
            f.length > 7
                && f[2].equalsIgnoreCase("udp")
                && f[4].equals("127.0.0.1")
                && f[7].equals("host");
        if (!loopbackUdp || found) {
          continue;
        }
        found = true;
        relay.connect(
            side, new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(f[5])));
        f[5] = Integer.toString(front.getPort());
        sb.append(String.join(" ", f)).append("\r\n");
      } else {
        sb.append(line).append("\r\n");
      }
    }
    if (!found) {
      throw new AssertionError("no UDP host candidate on 127.0.0.1 in\n" + sdp);
    }
    return sb.toString();
  }

  @Override
  public void close() {
    if (loop == null) {
      offerer.pc.close();
      answerer.pc.close();
    } else {
      loop.submit(offerer.pc::close);
      loop.submit(answerer.pc::close);
    }
    relay.close();
  }
}
