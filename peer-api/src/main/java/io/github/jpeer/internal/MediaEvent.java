package io.github.jpeer.internal;

import java.nio.ByteBuffer;

/**
 * What the media session has for the application, from {@link MediaSession#pollEvent}: a received
 * frame, a keyframe request or a loss report. A reused view over one of the session's slots: valid
 * until the next {@code pollEvent}. Frames are copied into the slot, whose array grows to the
 * largest frame it held, so steady-state receiving allocates nothing.
 */
public final class MediaEvent {
  /** What happened; says which accessors mean something. */
  public enum Kind {
    /**
     * An audio frame ({@link MediaEvent#frame}, {@link MediaEvent#rtpTimestamp}, {@link
     * MediaEvent#sequenceNumber}, {@link MediaEvent#arrivalNanos}).
     */
    AUDIO_FRAME,
    /**
     * A reassembled video access unit ({@link MediaEvent#frame}, {@link MediaEvent#rtpTimestamp}).
     */
    VIDEO_FRAME,
    /** The remote asked for a keyframe (PLI or FIR). */
    KEYFRAME_REQUEST,
    /**
     * The remote reported loss of what we send (an RTCP report block: {@link
     * MediaEvent#fractionLost}, {@link MediaEvent#totalLost}).
     */
    PACKET_LOSS
  }

  private Kind kind;
  private byte[] data = new byte[0];
  private int length;
  private long rtpTimestamp;
  private int sequenceNumber;
  private long arrivalNanos;
  private double fractionLost;
  private long totalLost;
  // A read-only view of data, remade only when data is replaced by a larger array.
  private ByteBuffer view = ByteBuffer.wrap(data).asReadOnlyBuffer();
  // Which of the session's slots this is, numbered as they are made: the core keeps one frame
  // event per slot, pointed at that slot's view once (see PeerCore.pollEvent).
  private final int slot;

  MediaEvent(int slot) {
    this.slot = slot;
  }

  /** What happened. */
  public Kind kind() {
    return kind;
  }

  /**
   * The slot's number in its session, from 0 in the order the slots were made; the same for every
   * event this slot carries.
   */
  public int slot() {
    return slot;
  }

  /** A frame's bytes: a read-only view from position 0 to its length, reset on every call. */
  public ByteBuffer frame() {
    view.clear().limit(length);
    return view;
  }

  /** A frame's length in bytes. */
  public int length() {
    return length;
  }

  /** A frame's RTP timestamp, unsigned 32-bit, in the codec's clock rate. */
  public long rtpTimestamp() {
    return rtpTimestamp;
  }

  /**
   * A frame's RTP sequence number (unsigned 16-bit): an audio frame's own packet's, a video access
   * unit's last packet's.
   */
  public int sequenceNumber() {
    return sequenceNumber;
  }

  /**
   * When the datagram that carried the frame (for video: its last packet) was read, on the
   * connection's clock: the {@code nowNanos} it was handed in with, not when a reorder wait
   * released it.
   */
  public long arrivalNanos() {
    return arrivalNanos;
  }

  /** The fraction of our packets the remote lost (0..1). */
  public double fractionLost() {
    return fractionLost;
  }

  /** The remote's cumulative count of our packets lost. */
  public long totalLost() {
    return totalLost;
  }

  /** Becomes a frame of {@code kind}: a copy of {@code src[offset, offset+length)}. */
  void setFrame(Kind kind, byte[] src, int offset, int length, long rtpTimestamp) {
    setFrame(kind, src, offset, length, rtpTimestamp, 0, 0);
  }

  /**
   * Becomes a frame of {@code kind}: a copy of {@code src[offset, offset+length)}, carried by the
   * packet numbered {@code sequenceNumber} that arrived at {@code arrivalNanos}.
   */
  void setFrame(
      Kind kind,
      byte[] src,
      int offset,
      int length,
      long rtpTimestamp,
      int sequenceNumber,
      long arrivalNanos) {
    if (data.length < length) {
      data = new byte[Math.max(length, data.length + data.length / 2)];
      view = ByteBuffer.wrap(data).asReadOnlyBuffer();
    }
    System.arraycopy(src, offset, data, 0, length);
    setKind(kind);
    this.length = length;
    this.rtpTimestamp = rtpTimestamp;
    this.sequenceNumber = sequenceNumber & 0xffff;
    this.arrivalNanos = arrivalNanos;
  }

  /** Becomes a keyframe request. */
  void setKeyframeRequest() {
    setKind(Kind.KEYFRAME_REQUEST);
    this.length = 0;
  }

  /** Becomes a loss report. */
  void setPacketLoss(double fractionLost, long totalLost) {
    setKind(Kind.PACKET_LOSS);
    this.length = 0;
    this.fractionLost = fractionLost;
    this.totalLost = totalLost;
  }

  private void setKind(Kind kind) {
    // Compared first: the slot is long-lived and refilled per packet, and a reference store into an
    // old object dirties a GC card even when the value is the same (G1's refinement then rescans
    // it); a slot mostly carries frames of one kind.
    if (this.kind != kind) {
      this.kind = kind;
    }
  }
}
