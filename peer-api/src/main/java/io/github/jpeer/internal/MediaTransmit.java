package io.github.jpeer.internal;

/**
 * A protected RTP or RTCP packet that {@link MediaSession#pollTransmit} hands the driver to send on
 * the selected pair: {@code data()[0, length())}. A reused view over one of the session's slots:
 * valid until the next {@code pollTransmit}, so send (or copy) it before polling again.
 */
public final class MediaTransmit {
  /** Room for an SRTCP compound (RtcpWriter's usual 1500-byte buffer); RTP packets are smaller. */
  static final int RTCP_CAPACITY = 1500;

  // Sized by what the slot has carried, not by the largest packet there could be: a slot made in
  // a burst of 100-byte audio packets holds about 100 bytes, which matters because such slots are
  // made after the call's set-up and are copied by the next young collection.
  private byte[] data = new byte[0];
  private int length;

  MediaTransmit() {}

  /** The packet's array; the packet starts at index 0. */
  public byte[] data() {
    return data;
  }

  /** The packet's length in bytes. */
  public int length() {
    return length;
  }

  /**
   * The slot's array, replaced by a larger one if it holds fewer than {@code capacity} bytes (by at
   * least half again, so that a slot carrying frames of varying size settles after a few).
   */
  byte[] buffer(int capacity) {
    if (data.length < capacity) {
      data = new byte[Math.max(capacity, data.length + data.length / 2)];
    }
    return data;
  }

  void setLength(int length) {
    this.length = length;
  }
}
