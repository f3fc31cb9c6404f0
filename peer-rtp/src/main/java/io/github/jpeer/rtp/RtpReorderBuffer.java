package io.github.jpeer.rtp;

import java.util.Arrays;

/**
 * The receiver's side of NACK repair (RFC 4585 section 6.2.1): holds RTP packets that arrive after
 * a gap until the missing ones come (late, or resent after a NACK) or a wait runs out, and releases
 * them in sequence order, so that a depacketizer sees a gap only for a packet that is really lost.
 *
 * <p>{@link #push} copies a packet in; {@link #poll} releases the next one in order when it is
 * there, or skips a missing one once the first packet held behind it has waited {@code
 * maxWaitNanos}; {@link #missing} lists the sequence numbers to NACK, each at most {@code maxTries}
 * times and not more often than {@code intervalNanos}. Sequence numbers are extended across
 * wrap-around ({@link SequenceUnwrapper}). A packet more than {@code capacity} ahead of the next
 * one due makes the packets it pushes out of the window count as lost at once.
 *
 * <p>Slot arrays are allocated on first use and grow only for a larger packet than before, so the
 * steady state allocates nothing. Not thread-safe; time is passed in.
 */
public final class RtpReorderBuffer {
  /** {@link #push} result: held for release in order. */
  public static final int HELD = 0;

  /** {@link #push} result: this sequence number is already held. */
  public static final int DUPLICATE = 1;

  /** {@link #push} result: its turn has passed (released or given up on); dropped. */
  public static final int LATE = 2;

  private final int mask;
  private final PacketSlots slots;
  private final long[] held; // extended sequence number held in the slot, or -1
  private final long[] arrivalNanos;
  private final long[] nackFor; // extended sequence number the slot's NACK state is about, or -1
  private final long[] lastNackNanos;
  private final int[] nackTries;
  private final SequenceUnwrapper unwrapper = new SequenceUnwrapper();

  private boolean started;
  private long next; // extended sequence number due for release
  private long highest = -1; // highest extended sequence number held or released
  private long floor; // sequence numbers below this are given up on without waiting
  // The slot poll released last, or -1: an index, not its array, since storing a reference into
  // this long-lived object per released packet would dirty a GC card each time.
  private int releasedSlot = -1;
  private int releasedLength;
  private long skipped;
  private long late;

  /**
   * A buffer holding up to {@code capacity} consecutive sequence numbers.
   *
   * @param capacity a power of two from 16 to 32768
   */
  public RtpReorderBuffer(int capacity) {
    slots = new PacketSlots(capacity);
    mask = slots.mask;
    held = new long[capacity];
    arrivalNanos = new long[capacity];
    nackFor = new long[capacity];
    lastNackNanos = new long[capacity];
    nackTries = new int[capacity];
    Arrays.fill(held, -1);
    Arrays.fill(nackFor, -1);
  }

  /**
   * Lets the RTP packet {@code packet[offset, offset + length)} go through without a copy if it is
   * the one due and nothing is held: the caller then uses it at once, as if {@link #poll} had
   * released it. Otherwise nothing changes and the caller {@link #push}es it. In-order arrival, the
   * common case, thus costs no copy.
   *
   * @return whether the packet was the next one due and may be used now
   */
  public boolean passThrough(byte[] packet, int offset, int length) {
    long ext = unwrapper.peek(PacketSlots.sequenceNumber(packet, offset, length));
    if (!started) {
      started = true;
      next = ext;
      floor = ext;
    } else if (ext != next || next <= highest) {
      return false;
    }
    unwrapper.unwrap(PacketSlots.sequenceNumber(packet, offset, length));
    next = ext + 1;
    highest = ext;
    return true;
  }

  /**
   * Takes a copy of the RTP packet {@code packet[offset, offset + length)}.
   *
   * @return {@link #HELD}, {@link #DUPLICATE} or {@link #LATE}
   * @throws IllegalArgumentException if it is too short to carry a sequence number (the caller
   *     passes packets that parsed)
   */
  public int push(byte[] packet, int offset, int length, long nowNanos) {
    long ext = unwrapper.unwrap(PacketSlots.sequenceNumber(packet, offset, length));
    if (!started) {
      started = true;
      next = ext;
      floor = ext;
    }
    if (ext < next) {
      late++;
      return LATE;
    }
    int slot = (int) ext & mask;
    if (held[slot] == ext) {
      return DUPLICATE;
    }
    if (ext > mask + next) {
      // Too far ahead to wait for everything before it: what leaves the window is given up on.
      floor = Math.max(floor, ext - mask);
      while (next < floor && held[(int) next & mask] != next) {
        next++;
        skipped++;
      }
      if (held[slot] >= 0 && held[slot] < floor) {
        // Its turn is past and the slot is needed: counted as skipped, not silently overwritten.
        held[slot] = -1;
        skipped++;
      }
    }
    slots.store(slot, packet, offset, length);
    held[slot] = ext;
    arrivalNanos[slot] = nowNanos;
    highest = Math.max(highest, ext);
    return HELD;
  }

  /**
   * Releases the next packet in order if it is held, or gives up on a missing one (and goes on)
   * once the first packet held after it has waited {@code maxWaitNanos}.
   *
   * @return whether a packet was released: read it with {@link #packet()} and {@link #length()}
   */
  public boolean poll(long nowNanos, long maxWaitNanos) {
    while (started && next <= highest) {
      int slot = (int) next & mask;
      if (held[slot] == next) {
        held[slot] = -1;
        releasedSlot = slot;
        releasedLength = slots.length(slot);
        next++;
        return true;
      }
      long waitingSince = firstHeldArrival();
      if (next >= floor && (waitingSince < 0 || nowNanos - waitingSince < maxWaitNanos)) {
        return false;
      }
      next++;
      skipped++;
    }
    return false;
  }

  /**
   * The array holding the packet {@link #poll} released, from index 0; valid until the next push.
   */
  public byte[] packet() {
    return releasedSlot < 0 ? null : slots.array(releasedSlot);
  }

  /** The released packet's length. */
  public int length() {
    return releasedLength;
  }

  /**
   * When {@link #poll} would give up on the missing packet that blocks release, or {@link
   * Long#MAX_VALUE} if nothing waits.
   */
  public long releaseDeadlineNanos(long maxWaitNanos) {
    if (!started || next > highest || held[(int) next & mask] == next) {
      return Long.MAX_VALUE;
    }
    long waitingSince = firstHeldArrival();
    return waitingSince < 0 ? Long.MAX_VALUE : waitingSince + maxWaitNanos;
  }

  // The arrival time of the first packet held after the missing 'next', or -1.
  private long firstHeldArrival() {
    for (long s = next + 1; s <= highest; s++) {
      int slot = (int) s & mask;
      if (held[slot] == s) {
        return arrivalNanos[slot];
      }
    }
    return -1;
  }

  /**
   * Writes into {@code out} the 16-bit sequence numbers to ask for now: each missing one between
   * the next due and the highest held whose last NACK was at least {@code intervalNanos} ago and
   * that was asked for fewer than {@code maxTries} times; records them as asked at {@code
   * nowNanos}.
   *
   * @return how many were written (at most {@code out.length})
   */
  public int missing(long nowNanos, long intervalNanos, int maxTries, int[] out) {
    int n = 0;
    for (long s = next; s <= highest && n < out.length; s++) {
      int slot = (int) s & mask;
      if (held[slot] == s) {
        continue;
      }
      if (nackFor[slot] != s) {
        nackFor[slot] = s;
        nackTries[slot] = 0;
      } else if (nackTries[slot] >= maxTries || nowNanos - lastNackNanos[slot] < intervalNanos) {
        continue;
      }
      nackTries[slot]++;
      lastNackNanos[slot] = nowNanos;
      out[n++] = (int) s & 0xffff;
    }
    return n;
  }

  /**
   * When {@link #missing} would next have something to ask for again, or {@link Long#MAX_VALUE}.
   */
  public long nextNackNanos(long intervalNanos, int maxTries) {
    long due = Long.MAX_VALUE;
    for (long s = next; s <= highest; s++) {
      int slot = (int) s & mask;
      if (held[slot] == s) {
        continue;
      }
      if (nackFor[slot] != s) {
        return Long.MIN_VALUE; // never asked for yet: due at once
      }
      if (nackTries[slot] < maxTries) {
        due = Math.min(due, lastNackNanos[slot] + intervalNanos);
      }
    }
    return due;
  }

  /** Packets given up on (never arrived in time). */
  public long skipped() {
    return skipped;
  }

  /** Packets that arrived after their turn and were dropped. */
  public long late() {
    return late;
  }
}
