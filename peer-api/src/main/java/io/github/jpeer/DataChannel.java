package io.github.jpeer;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * One data channel of a {@link PeerConnection}: send strings or bytes, close it, read its label and
 * id. Events arrive through the connection's {@link DataChannelListener}.
 *
 * <p>{@code send} and {@code close} may be called from any thread: they are queued and carried out
 * by the next {@code loop()}. Messages sent before the channel is open wait for it.
 */
public final class DataChannel {
  private final PeerConnection connection;
  private final String label;
  private final String protocol;
  private volatile int id;
  private volatile boolean open;
  private volatile boolean closed;
  private volatile long bufferedAmount;

  DataChannel(PeerConnection connection, String label, String protocol, int id) {
    this.connection = connection;
    this.label = label;
    this.protocol = protocol;
    this.id = id;
  }

  /** The label given when the channel was created (e.g. {@code oai-events}). */
  public String label() {
    return label;
  }

  /** The sub-protocol, or {@code ""}. */
  public String protocol() {
    return protocol;
  }

  /** The SCTP stream id, or -1 until the DTLS role is known (after the remote description). */
  public int id() {
    return id;
  }

  /** Whether messages can flow now. */
  public boolean isOpen() {
    return open && !closed;
  }

  /** Bytes queued but not yet acknowledged by the remote, as of the last {@code loop()}. */
  public long bufferedAmount() {
    return bufferedAmount;
  }

  /** Sends a UTF-8 string message. */
  public void send(String message) {
    connection.queueChannelSend(this, message.getBytes(StandardCharsets.UTF_8), false);
  }

  /** Sends a binary message: the buffer's remaining bytes (copied; its position is not moved). */
  public void send(ByteBuffer message) {
    byte[] copy = new byte[message.remaining()];
    message.get(message.position(), copy);
    connection.queueChannelSend(this, copy, true);
  }

  /** Sends a binary message (copied). */
  public void send(byte[] message) {
    connection.queueChannelSend(this, message.clone(), true);
  }

  /** Closes the channel (an RFC 6525 stream reset); {@code onClose} follows. */
  public void close() {
    connection.queueChannelClose(this);
  }

  void assignId(int streamId) {
    this.id = streamId;
  }

  void markOpen() {
    this.open = true;
  }

  void markClosed() {
    this.closed = true;
    this.open = false;
  }

  boolean isClosed() {
    return closed;
  }

  void bufferedAmount(long amount) {
    this.bufferedAmount = amount;
  }

  @Override
  public String toString() {
    return "DataChannel["
        + label
        + ", id "
        + id
        + (isOpen() ? ", open" : closed ? ", closed" : "")
        + "]";
  }
}
