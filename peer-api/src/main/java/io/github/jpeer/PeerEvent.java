package io.github.jpeer;

import java.nio.ByteBuffer;

/**
 * What a {@link PeerCore} tells its driver, from {@link PeerCore#pollEvent()}. {@link
 * PeerConnection} turns each into the matching callback; a program that drives a core itself
 * switches over them.
 */
public sealed interface PeerEvent {
  /** The connection state changed (libpeer's order: see {@link PeerConnectionState}). */
  record StateChanged(PeerConnectionState state) implements PeerEvent {}

  /** A local candidate was gathered: a {@code candidate:...} line for trickle ICE. */
  record LocalCandidate(String candidate) implements PeerEvent {}

  /**
   * Gathering finished: the complete local description (every candidate, {@code
   * a=end-of-candidates}), which is what HTTP signaling (WHIP, OpenAI Realtime) posts.
   */
  record LocalDescriptionComplete(String sdp) implements PeerEvent {}

  /** A data channel opened, ours or the remote's. */
  record ChannelOpen(DataChannel channel) implements PeerEvent {}

  /** A data channel message arrived; the buffer is read-only and the event's to keep. */
  record ChannelMessage(DataChannel channel, ByteBuffer message, boolean binary)
      implements PeerEvent {}

  /** A data channel closed. */
  record ChannelClosed(DataChannel channel) implements PeerEvent {}

  /** A data channel ended with an error (the association was aborted); a close follows. */
  record ChannelError(DataChannel channel, String reason) implements PeerEvent {}

  /** A channel's buffered amount fell to its low-water mark. */
  record BufferedAmountLow(DataChannel channel) implements PeerEvent {}

  /** The remote asked for a video keyframe (RTCP PLI or FIR). */
  record KeyframeRequest() implements PeerEvent {}

  /**
   * The remote reported loss of what we send (an RTCP report block).
   *
   * @param fractionLost the loss since its previous report, 0 to 1
   * @param totalLost its cumulative count of our packets lost
   */
  record PacketLoss(double fractionLost, long totalLost) implements PeerEvent {}

  /** A STUN or TURN server gave no candidate; see {@link IceCandidateError}. */
  record IceServerError(IceCandidateError error) implements PeerEvent {}

  /**
   * An encoded frame of a remote track: one Opus/G.711 frame, or one reassembled H.264 access unit
   * in Annex-B form. The object and its buffer belong to the core and are reused: they are valid
   * until the next {@link PeerCore#pollEvent()}, so read or copy the frame before polling again.
   *
   * <p>Frames come in sequence order (a packet that overtook an earlier one waits a little for it),
   * each with its RTP sequence number and the time its datagram arrived, which is what a jitter
   * buffer needs to measure the network's jitter and to tell a lost packet from a pause.
   */
  final class MediaFrame implements PeerEvent {
    private boolean video;
    private ByteBuffer frame;
    private long rtpTimestamp;
    private int sequenceNumber;
    private long arrivalNanos;

    MediaFrame() {}

    /** Whether this is a video access unit (else an audio frame). */
    public boolean isVideo() {
      return video;
    }

    /** The frame between position and limit, read-only; valid until the next poll. */
    public ByteBuffer frame() {
      return frame;
    }

    /** The frame's RTP timestamp, unsigned 32-bit, in the codec's clock rate. */
    public long rtpTimestamp() {
      return rtpTimestamp;
    }

    /**
     * The RTP sequence number (unsigned 16-bit) of the packet that carried the frame; for a video
     * access unit, of its last packet.
     */
    public int sequenceNumber() {
      return sequenceNumber;
    }

    /**
     * When the datagram that carried the frame (for video: its last packet) was read, in the
     * nanoseconds of the clock the core is driven with ({@link PeerConfiguration#clock()} under a
     * {@link PeerConnection}): the {@code nowNanos} of its {@code handleReceive}, not the time a
     * reorder wait released it.
     */
    public long arrivalNanos() {
      return arrivalNanos;
    }

    MediaFrame point(
        boolean video, ByteBuffer frame, long rtpTimestamp, int sequenceNumber, long arrivalNanos) {
      this.video = video;
      // Compared first: this event is long-lived and its slot's buffer mostly the same one, so the
      // store and its GC card are skipped (see OutgoingDatagram.set).
      if (this.frame != frame) {
        this.frame = frame;
      }
      this.rtpTimestamp = rtpTimestamp;
      this.sequenceNumber = sequenceNumber;
      this.arrivalNanos = arrivalNanos;
      return this;
    }

    @Override
    public String toString() {
      return (video ? "VideoFrame[" : "AudioFrame[") + frame.remaining() + " bytes]";
    }
  }
}
