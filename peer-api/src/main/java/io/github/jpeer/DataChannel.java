package io.github.jpeer;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One data channel of a {@link PeerConnection} (or a {@link PeerCore}): send strings or bytes,
 * close it, read its label and id. Events arrive through the connection's {@link
 * DataChannelListener}.
 *
 * <p>{@code send} and {@code close} may be called from any thread: they are queued and carried out
 * by the next {@code loop()}. Messages sent before the channel is open wait for it.
 */
public final class DataChannel {
  /** Where a channel's sends and close go: the connection's queue, or its core directly. */
  interface Owner {
    void send(DataChannel channel, byte[] message, boolean binary);

    void close(DataChannel channel);

    void lowThresholdChanged(DataChannel channel);
  }

  private final Owner owner;
  private final String label;
  private final String protocol;
  private volatile int id;
  private volatile boolean open;
  private volatile boolean closed;
  // Bytes handed to send() and not yet sent the first time. Grows on the sending thread at once;
  // the loop subtracts what SCTP has sent since it last looked (see PeerConnection).
  private final AtomicLong bufferedAmount = new AtomicLong();
  // Loop thread only: what the association held of this channel's bytes when the loop last looked.
  private long inAssociation;
  private volatile long lowThreshold;
  // Loop thread only (read by getStats there)
  private long messagesSent;
  private long bytesSent;
  private long messagesReceived;
  private long bytesReceived;

  DataChannel(Owner owner, String label, String protocol, int id) {
    this.owner = owner;
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

  /**
   * Bytes of messages passed to {@code send} and not yet sent on the network the first time (the
   * W3C {@code bufferedAmount}): it grows as soon as {@code send} returns and counts messages
   * waiting for the next {@code loop()}, for the channel to open and for SCTP's congestion window;
   * it shrinks as {@code loop()} sends them. Any thread.
   */
  public long bufferedAmount() {
    return bufferedAmount.get();
  }

  /**
   * Sets the W3C {@code bufferedAmountLowThreshold}: {@link
   * DataChannelListener#onBufferedAmountLow} fires when what SCTP holds of this channel falls from
   * above it to it or below (default 0: when everything sent has been acknowledged). Any thread;
   * takes effect at the next {@code loop()}.
   *
   * @throws IllegalArgumentException if {@code bytes} is negative
   */
  public void setBufferedAmountLowThreshold(long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("the threshold must be 0 or more bytes, got " + bytes);
    }
    this.lowThreshold = bytes;
    owner.lowThresholdChanged(this);
  }

  /** The threshold set with {@link #setBufferedAmountLowThreshold}. */
  public long bufferedAmountLowThreshold() {
    return lowThreshold;
  }

  /** Sends a UTF-8 string message. */
  public void send(String message) {
    owner.send(this, message.getBytes(StandardCharsets.UTF_8), false);
  }

  /** Sends a binary message: the buffer's remaining bytes (copied; its position is not moved). */
  public void send(ByteBuffer message) {
    byte[] copy = new byte[message.remaining()];
    message.get(message.position(), copy);
    owner.send(this, copy, true);
  }

  /** Sends a binary message (copied). */
  public void send(byte[] message) {
    owner.send(this, message.clone(), true);
  }

  /** Closes the channel (an RFC 6525 stream reset); {@code onClose} follows. */
  public void close() {
    owner.close(this);
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

  /** Counts a message handed to {@code send} (any thread) or, negative, one that was not sent. */
  void addBufferedAmount(long bytes) {
    bufferedAmount.addAndGet(bytes);
  }

  /** Loop thread: a message of {@code bytes} went into the association. */
  void handedToAssociation(long bytes) {
    inAssociation += bytes;
    messagesSent++;
    bytesSent += bytes;
  }

  /** Loop thread: a message of {@code bytes} arrived. */
  void received(long bytes) {
    messagesReceived++;
    bytesReceived += bytes;
  }

  /** Loop thread: the channel's counters now. */
  PeerStats.ChannelStats stats() {
    return new PeerStats.ChannelStats(
        label,
        id,
        isOpen() ? "open" : closed ? "closed" : "connecting",
        messagesSent,
        bytesSent,
        messagesReceived,
        bytesReceived,
        bufferedAmount.get());
  }

  /**
   * Loop thread: the association now holds {@code held} bytes of this channel not yet sent, so the
   * difference to what it held before has gone out.
   */
  void associationHolds(long held) {
    long sent = inAssociation - held;
    if (sent != 0) {
      inAssociation = held;
      bufferedAmount.addAndGet(-sent);
    }
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
