package io.github.jpeer;

import java.nio.ByteBuffer;

/**
 * Events of a connection's data channels, called on the loop thread in the order they happen. Every
 * method has a no-op default: implement what you need. Must be quick and must not block; an
 * exception thrown here is logged and does not stop the connection.
 */
public interface DataChannelListener {
  /** {@code channel} opened: by us (the remote acknowledged it) or by the remote. */
  default void onOpen(DataChannel channel) {}

  /**
   * A message arrived on {@code channel}; the buffer is only valid during the call.
   *
   * @param binary true for a binary message, false for a UTF-8 string
   */
  default void onMessage(DataChannel channel, ByteBuffer message, boolean binary) {}

  /** {@code channel} closed (by either side, or because the connection ended). */
  default void onClose(DataChannel channel) {}

  /**
   * The channel ends because its SCTP association was aborted (an ABORT from the remote, or too
   * many retransmissions), not closed in order: W3C's {@code error} event. {@link #onClose}
   * follows. A graceful close (stream reset or SHUTDOWN) never calls it.
   *
   * @param reason what the association reported, e.g. the remote's abort cause
   */
  default void onError(DataChannel channel, String reason) {}

  /** {@code channel}'s buffered amount fell to its low-water mark. */
  default void onBufferedAmountLow(DataChannel channel) {}
}
