package io.github.jpeer.interop;

import io.github.jpeer.DataChannel;
import io.github.jpeer.DataChannelListener;
import io.github.jpeer.PeerConfiguration;
import io.github.jpeer.PeerConnection;
import io.github.jpeer.PeerConnectionState;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * What the browser tests watch on their jpeer connection, in thread-safe holders that exist before
 * the connection does (it is created when the browser's offer arrives): the states, COMPLETED (or
 * FAILED) as a future, and the text messages of the data channel the remote opens, on which jpeer
 * says {@code greeting}.
 */
public final class ObservedPeer {
  /** Every state the connection reported, in order. */
  public final List<PeerConnectionState> states = new CopyOnWriteArrayList<>();

  /** Completes at COMPLETED; fails at FAILED. */
  public final CompletableFuture<Void> completed = new CompletableFuture<>();

  /** Text messages received on data channels. */
  public final BlockingQueue<String> messages = new LinkedBlockingQueue<>();

  private final String greeting;

  /** Holders for one connection that greets each opened channel with {@code greeting}. */
  public ObservedPeer(String greeting) {
    this.greeting = greeting;
  }

  /**
   * Creates the connection with these observers; {@code localDescription} completes with the whole
   * local description, candidates included, once gathering has ended.
   */
  public PeerConnection create(
      PeerConfiguration config, CompletableFuture<String> localDescription) {
    PeerConnection pc = PeerConnection.create(config);
    pc.onIceCandidate(localDescription::complete);
    pc.onIceConnectionStateChange(
        s -> {
          states.add(s);
          if (s == PeerConnectionState.COMPLETED) {
            completed.complete(null);
          } else if (s == PeerConnectionState.FAILED) {
            completed.completeExceptionally(new AssertionError("jpeer FAILED: " + states));
          }
        });
    pc.onDataChannel(
        new DataChannelListener() {
          @Override
          public void onOpen(DataChannel channel) {
            channel.send(greeting);
          }

          @Override
          public void onMessage(DataChannel channel, ByteBuffer message, boolean binary) {
            messages.add(StandardCharsets.UTF_8.decode(message.duplicate()).toString());
          }
        });
    return pc;
  }
}
