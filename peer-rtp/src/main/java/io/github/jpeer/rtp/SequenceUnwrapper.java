package io.github.jpeer.rtp;

/**
 * Extends 16-bit RTP sequence numbers to 64 bits across wrap-arounds, tolerating reordering.
 *
 * <p>Each number is placed at the extended value closest to the newest one seen so far (within
 * ±32768), so 65535 followed by 0 gives 65535 then 65536, and a late 65534 after that gives 65534
 * again. The first number maps to itself; a packet from before the first one (reordered across the
 * first wrap) can map to a negative value. Allocation-free. Not thread-safe.
 */
public final class SequenceUnwrapper {

  private boolean started;
  private long highest;

  /** Creates an unwrapper that has seen nothing yet. */
  public SequenceUnwrapper() {}

  /**
   * Returns the extended value of a sequence number and remembers it if it is the newest.
   *
   * @param sequenceNumber 0-65535 (higher bits are ignored)
   */
  public long unwrap(int sequenceNumber) {
    long extended = peek(sequenceNumber);
    if (!started || extended > highest) {
      highest = extended;
      started = true;
    }
    return extended;
  }

  /** Returns the extended value {@link #unwrap} would give, without remembering it. */
  public long peek(int sequenceNumber) {
    int seq = sequenceNumber & 0xFFFF;
    if (!started) {
      return seq;
    }
    // The signed 16-bit distance from the newest value picks the closest cycle.
    int delta = (short) (seq - (int) (highest & 0xFFFF));
    return highest + delta;
  }

  /** Returns the highest extended sequence number seen, or -1 before the first. */
  public long highest() {
    return started ? highest : -1;
  }
}
