package io.github.jpeer.rtp;

/**
 * Copies of RTP packets in a power-of-two ring of slots, the storage under {@link RtpPacketHistory}
 * and {@link RtpReorderBuffer}. A slot's array is allocated on first use (MTU-sized) and replaced
 * only by a larger packet, so storing allocates nothing in the steady state.
 */
final class PacketSlots {
  /** Slot index of a (possibly extended) sequence number: {@code seq & mask}. */
  final int mask;

  private final byte[][] arrays;
  private final int[] lengths;

  /** A ring of {@code capacity} slots; capacity is a power of two from 16 to 32768. */
  PacketSlots(int capacity) {
    if (capacity < 16 || capacity > 32768 || Integer.bitCount(capacity) != 1) {
      throw new IllegalArgumentException(
          "capacity must be a power of two from 16 to 32768, got " + capacity);
    }
    mask = capacity - 1;
    arrays = new byte[capacity][];
    lengths = new int[capacity];
  }

  /**
   * The sequence number in the header of {@code packet[offset, offset + length)}.
   *
   * @throws IllegalArgumentException if it is too short to be an RTP packet (callers store packets
   *     that they built or that parsed)
   */
  static int sequenceNumber(byte[] packet, int offset, int length) {
    if (length < 12) {
      throw new IllegalArgumentException("not an RTP packet: " + length + " bytes");
    }
    return ((packet[offset + 2] & 0xff) << 8) | (packet[offset + 3] & 0xff);
  }

  /** Copies {@code packet[offset, offset + length)} into {@code slot}. */
  void store(int slot, byte[] packet, int offset, int length) {
    byte[] copy = arrays[slot];
    if (copy == null || copy.length < length) {
      copy = new byte[Math.max(length, 1200)];
      arrays[slot] = copy;
    }
    System.arraycopy(packet, offset, copy, 0, length);
    lengths[slot] = length;
  }

  /** The slot's array (the packet from index 0), or null if nothing was ever stored there. */
  byte[] array(int slot) {
    return arrays[slot];
  }

  /** The length of the packet last stored in the slot. */
  int length(int slot) {
    return lengths[slot];
  }
}
