package io.github.jpeer.rtp;

import java.util.Arrays;

/**
 * The sender's copy of recently sent RTP packets, so that a generic NACK (RFC 4585 section 6.2.1)
 * can be answered by sending the same packet again (RFC 4588 section 3 allows retransmission in the
 * original stream when no RTX stream is negotiated; the receiver's SRTP replay window accepts it
 * because the original never arrived).
 *
 * <p>Packets are kept unencrypted, in a ring indexed by sequence number, so the lookup for a NACKed
 * sequence number is one array access. A slot is overwritten by the packet {@code capacity}
 * sequence numbers later; {@link #copy} checks the stored number, so a stale slot is never sent.
 * Each slot's array is allocated the first time the slot is used (or when a packet is larger than
 * any the slot held), so the steady state allocates nothing.
 *
 * <p>{@link #copy} refuses packets older than {@code maxAgeNanos} (a receiver has given up on them
 * long before) and a second retransmission of the same packet within {@code minResendNanos} (a NACK
 * repeated before our first retransmission could have arrived; answering it again would only add
 * load to a lossy path). Not thread-safe.
 */
public final class RtpPacketHistory {
  /** {@link #copy} result: the sequence number was never stored or has been overwritten. */
  public static final int NOT_FOUND = -1;

  /** {@link #copy} result: the packet is older than the history keeps packets for resending. */
  public static final int TOO_OLD = -2;

  /** {@link #copy} result: the packet was resent less than the minimum interval ago. */
  public static final int TOO_SOON = -3;

  private final int mask;
  private final PacketSlots slots;
  private final int[] sequenceNumbers;
  private final long[] storedNanos;
  private final long[] resentNanos;
  private final boolean[] resent;
  private final long maxAgeNanos;

  /**
   * A history of the last {@code capacity} sequence numbers.
   *
   * @param capacity how many consecutive sequence numbers are kept; a power of two from 16 to 32768
   * @param maxAgeNanos packets stored longer ago than this are not resent
   */
  public RtpPacketHistory(int capacity, long maxAgeNanos) {
    if (maxAgeNanos <= 0) {
      throw new IllegalArgumentException("maxAgeNanos must be positive, got " + maxAgeNanos);
    }
    this.slots = new PacketSlots(capacity);
    this.mask = slots.mask;
    this.sequenceNumbers = new int[capacity];
    this.storedNanos = new long[capacity];
    this.resentNanos = new long[capacity];
    this.resent = new boolean[capacity];
    this.maxAgeNanos = maxAgeNanos;
    Arrays.fill(sequenceNumbers, -1);
  }

  /** How many consecutive sequence numbers are kept. */
  public int capacity() {
    return mask + 1;
  }

  /**
   * Keeps a copy of the RTP packet {@code packet[offset, offset + length)}, under the sequence
   * number in its header.
   *
   * @throws IllegalArgumentException if the bytes are too short to be an RTP header (the caller
   *     stores packets it built itself)
   */
  public void store(byte[] packet, int offset, int length, long nowNanos) {
    int seq = PacketSlots.sequenceNumber(packet, offset, length);
    int slot = seq & mask;
    slots.store(slot, packet, offset, length);
    sequenceNumbers[slot] = seq;
    storedNanos[slot] = nowNanos;
    resent[slot] = false;
  }

  /**
   * Copies the stored packet with sequence number {@code sequenceNumber} into {@code dst} at {@code
   * dstOffset} and records the retransmission at {@code nowNanos}.
   *
   * @param minResendNanos the least time between two retransmissions of the same packet
   * @return the packet's length, or {@link #NOT_FOUND}, {@link #TOO_OLD} or {@link #TOO_SOON}
   * @throws IndexOutOfBoundsException if {@code dst} has no room for the packet
   */
  public int copy(
      int sequenceNumber, long nowNanos, long minResendNanos, byte[] dst, int dstOffset) {
    int slot = sequenceNumber & mask;
    if (sequenceNumbers[slot] != sequenceNumber || slots.array(slot) == null) {
      return NOT_FOUND;
    }
    if (nowNanos - storedNanos[slot] > maxAgeNanos) {
      return TOO_OLD;
    }
    if (resent[slot] && nowNanos - resentNanos[slot] < minResendNanos) {
      return TOO_SOON;
    }
    int length = slots.length(slot);
    System.arraycopy(slots.array(slot), 0, dst, dstOffset, length);
    resent[slot] = true;
    resentNanos[slot] = nowNanos;
    return length;
  }
}
