package io.github.jpeer.sctp;

/** What an {@link SctpAssociation} tells its owner, in order, through {@code pollEvent()}. */
public sealed interface SctpEvent {
  /** The association is established (COOKIE ECHO / COOKIE ACK done). */
  record Connected() implements SctpEvent {}

  /**
   * A channel is open: opened locally (after the association is up and DATA_CHANNEL_OPEN is queued,
   * or at once for a negotiated channel) or by the remote's DATA_CHANNEL_OPEN.
   *
   * @param info the channel
   * @param remote true if the remote opened it
   */
  record ChannelOpen(ChannelInfo info, boolean remote) implements SctpEvent {}

  /**
   * A complete user message.
   *
   * @param streamId the channel
   * @param data the message (empty for PPIDs 56 and 57); owned by the receiver
   * @param binary true for binary (PPID 53/57), false for UTF-8 text (51/56)
   */
  record Message(int streamId, byte[] data, boolean binary) implements SctpEvent {}

  /**
   * A channel is closed in both directions (its streams were reset).
   *
   * @param streamId the channel, whose id may now be reused
   */
  record ChannelClosed(int streamId) implements SctpEvent {}

  /**
   * A channel's buffered amount fell to or below its low threshold.
   *
   * @param streamId the channel
   * @param bufferedAmount the amount now buffered
   */
  record BufferedAmountLow(int streamId, long bufferedAmount) implements SctpEvent {}

  /**
   * The association ended by graceful SHUTDOWN (either side).
   *
   * @param reason why
   */
  record Closed(String reason) implements SctpEvent {}

  /**
   * The association ended by ABORT (sent or received) or failure (too many retransmissions,
   * handshake timeout).
   *
   * @param reason why
   * @param byRemote true if the remote sent ABORT
   */
  record Aborted(String reason, boolean byRemote) implements SctpEvent {}
}
