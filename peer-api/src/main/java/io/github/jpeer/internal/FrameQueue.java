package io.github.jpeer.internal;

import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * Hands encoded frames from any thread to the loop thread without allocating: a fixed pool of slots
 * circulates between a free queue and a filled queue ({@link ArrayBlockingQueue} stores into its
 * array, no node per element).
 *
 * <p>Producers: {@link #offer} copies the frame into a free slot; if none is free (the loop is not
 * keeping up) the frame is dropped and counted, as a full socket buffer would. The consumer (the
 * loop thread): {@link #poll} a slot, read it, {@link #release} it.
 *
 * <p>A slot's array starts small and grows to the largest frame it has carried (up to the limit),
 * so a video connection holds what its frames need rather than the limit times the slot count; the
 * steady state allocates nothing. The queues hand a slot from one thread to the other, which makes
 * its new array visible.
 */
public final class FrameQueue {
  private static final int INITIAL_SLOT_BYTES = 512;

  /** One queued frame: its bytes. */
  public static final class Slot {
    private byte[] data;
    private int length;

    Slot(int capacity) {
      this.data = new byte[capacity];
    }

    private byte[] room(int bytes, int limit) {
      if (data.length < bytes) {
        data = new byte[Math.min(limit, Math.max(bytes, 2 * data.length))];
      }
      return data;
    }

    /** The frame's bytes, from index 0. */
    public byte[] data() {
      return data;
    }

    /** The frame's length. */
    public int length() {
      return length;
    }
  }

  private final ArrayBlockingQueue<Slot> free;
  private final ArrayBlockingQueue<Slot> filled;
  private final int slotBytes;
  private volatile long dropped;

  /** A queue of {@code slots} frames of up to {@code slotBytes} bytes each. */
  public FrameQueue(int slots, int slotBytes) {
    this.free = new ArrayBlockingQueue<>(slots);
    this.filled = new ArrayBlockingQueue<>(slots);
    this.slotBytes = slotBytes;
    for (int i = 0; i < slots; i++) {
      free.add(new Slot(Math.min(slotBytes, INITIAL_SLOT_BYTES)));
    }
  }

  /** The largest frame a slot holds. */
  public int slotBytes() {
    return slotBytes;
  }

  /**
   * Copies {@code frame}'s remaining bytes into a slot (the buffer's position is not moved).
   *
   * @return false if the frame was dropped because every slot is in use
   * @throws IllegalArgumentException if the frame is larger than a slot
   */
  public boolean offer(ByteBuffer frame) {
    if (frame.hasArray()) {
      return offer(frame.array(), frame.arrayOffset() + frame.position(), frame.remaining());
    }
    int len = frame.remaining();
    Slot s = take(len);
    if (s == null) {
      return false;
    }
    frame.get(frame.position(), s.room(len, slotBytes), 0, len);
    return fill(s, len);
  }

  /**
   * Copies {@code data[offset, offset+length)} into a slot.
   *
   * @return false if the frame was dropped because every slot is in use
   * @throws IllegalArgumentException if the frame is larger than a slot
   */
  public boolean offer(byte[] data, int offset, int length) {
    Slot s = take(length);
    if (s == null) {
      return false;
    }
    System.arraycopy(data, offset, s.room(length, slotBytes), 0, length);
    return fill(s, length);
  }

  /** A free slot for a frame of {@code length} bytes, or null (counted) if none is free. */
  private Slot take(int length) {
    if (length > slotBytes) {
      throw new IllegalArgumentException(
          "frame of " + length + " bytes is larger than the " + slotBytes + " bytes a slot holds");
    }
    Slot s = free.poll();
    if (s == null) {
      synchronized (this) {
        dropped++; // rare: only when the loop falls behind
      }
    }
    return s;
  }

  private boolean fill(Slot s, int length) {
    s.length = length;
    filled.add(s);
    return true;
  }

  /** The oldest filled slot, or null; give it back with {@link #release}. */
  public Slot poll() {
    return filled.poll();
  }

  /** Returns a slot taken with {@link #poll} to the pool. */
  public void release(Slot slot) {
    free.add(slot);
  }

  /** Frames dropped because the queue was full. */
  public long dropped() {
    return dropped;
  }

  /** Frames waiting for the loop. */
  public int size() {
    return filled.size();
  }
}
