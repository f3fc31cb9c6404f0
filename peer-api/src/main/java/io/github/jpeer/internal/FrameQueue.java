package io.github.jpeer.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Hands encoded frames from any thread to the loop thread without allocating and without storing a
 * reference per frame: a fixed ring of slots, each with a sequence number that says whose turn it
 * is (a bounded multi-producer queue in the manner of Vyukov's, with one consumer).
 *
 * <p>Why not two {@code ArrayBlockingQueue}s of slots, as before: every frame then took two locks
 * and wrote slot references into the queues' arrays, and at a thousand calls those reference stores
 * into long-lived arrays kept G1's card refinement busy (about a sixth of all CPU in a profile of
 * 2000 connections). Here a frame moves by two counters and a sequence number; the slots never
 * move.
 *
 * <p>Producers: {@link #offer} claims the next slot whose turn it is and copies the frame into it;
 * if the ring is full (the loop is not keeping up) the frame is dropped and counted, as a full
 * socket buffer would. The consumer (the loop thread): {@link #poll} a slot, read it, {@link
 * #release} it, in the order polled.
 *
 * <p>A slot's array starts small and grows to the largest frame it has carried (up to the limit),
 * so a video connection holds what its frames need rather than the limit times the slot count; the
 * steady state allocates nothing. The sequence number's release and acquire make a grown array
 * visible to the other thread.
 */
public final class FrameQueue {
  private static final int INITIAL_SLOT_BYTES = 512;

  private static final VarHandle SEQUENCE;

  static {
    try {
      SEQUENCE = MethodHandles.lookup().findVarHandle(Slot.class, "sequence", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** One queued frame: its bytes. */
  public static final class Slot {
    private byte[] data;
    private int length;

    /**
     * Whose turn: {@code p} when free for the producer claiming position {@code p}, {@code p + 1}
     * once filled for the consumer at {@code p}. Read and written through {@link #SEQUENCE}.
     */
    @SuppressWarnings("unused")
    private long sequence;

    Slot(int capacity, long sequence) {
      this.data = new byte[capacity];
      this.sequence = sequence;
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

  private final Slot[] slots;
  private final int slotBytes;

  /** The next position a producer claims. */
  private final AtomicLong tail = new AtomicLong();

  /** The next position the consumer polls; written by it only (released for {@link #size}). */
  private volatile long head;

  private volatile long dropped;

  /** A queue of {@code slots} frames of up to {@code slotBytes} bytes each. */
  public FrameQueue(int slots, int slotBytes) {
    if (slots < 1) {
      throw new IllegalArgumentException("a frame queue needs at least one slot, got " + slots);
    }
    this.slots = new Slot[slots];
    this.slotBytes = slotBytes;
    for (int i = 0; i < slots; i++) {
      this.slots[i] = new Slot(Math.min(slotBytes, INITIAL_SLOT_BYTES), i);
    }
  }

  /** The largest frame a slot holds. */
  public int slotBytes() {
    return slotBytes;
  }

  /**
   * Copies the frame's remaining bytes (its position is not moved).
   *
   * @return false if the queue was full (counted in {@link #dropped})
   * @throws IllegalArgumentException if the frame is larger than {@link #slotBytes}
   */
  public boolean offer(ByteBuffer frame) {
    if (frame.hasArray()) {
      return offer(frame.array(), frame.arrayOffset() + frame.position(), frame.remaining());
    }
    int len = frame.remaining();
    long position = claim(len);
    if (position < 0) {
      return false;
    }
    Slot s = slot(position);
    frame.get(frame.position(), s.room(len, slotBytes), 0, len);
    return fill(s, position, len);
  }

  /** Copies {@code data[offset, offset+length)}; see {@link #offer(ByteBuffer)}. */
  public boolean offer(byte[] data, int offset, int length) {
    long position = claim(length);
    if (position < 0) {
      return false;
    }
    Slot s = slot(position);
    System.arraycopy(data, offset, s.room(length, slotBytes), 0, length);
    return fill(s, position, length);
  }

  /** Claims the next free position for a frame of {@code length} bytes, or -1 (counted) if full. */
  private long claim(int length) {
    if (length > slotBytes) {
      throw new IllegalArgumentException(
          "frame of " + length + " bytes is larger than the " + slotBytes + " bytes a slot holds");
    }
    long position = tail.get();
    while (true) {
      long turn = (long) SEQUENCE.getAcquire(slot(position)) - position;
      if (turn == 0) {
        if (tail.weakCompareAndSetVolatile(position, position + 1)) {
          return position;
        }
        position = tail.get();
      } else if (turn < 0) {
        synchronized (this) {
          dropped++; // rare: only when the loop falls behind
        }
        return -1;
      } else {
        position = tail.get(); // another producer took it meanwhile
      }
    }
  }

  private Slot slot(long position) {
    return slots[(int) (position % slots.length)];
  }

  private static boolean fill(Slot s, long position, int length) {
    s.length = length;
    SEQUENCE.setRelease(s, position + 1);
    return true;
  }

  /** The oldest filled slot, or null; give it back with {@link #release}. The loop thread only. */
  public Slot poll() {
    long h = head;
    Slot s = slot(h);
    if ((long) SEQUENCE.getAcquire(s) != h + 1) {
      return null;
    }
    head = h + 1;
    return s;
  }

  /** Returns a slot taken with {@link #poll} to the ring; slots go back in the order polled. */
  public void release(Slot slot) {
    // Filled at p (sequence p + 1): free for the producer that comes round to p + length next.
    SEQUENCE.setRelease(slot, (long) SEQUENCE.getAcquire(slot) - 1 + slots.length);
  }

  /** Frames dropped because the queue was full. */
  public long dropped() {
    return dropped;
  }

  /** Frames waiting for the loop (a moment's view from any thread). */
  public int size() {
    return (int) Math.max(0, Math.min(slots.length, tail.get() - head));
  }
}
