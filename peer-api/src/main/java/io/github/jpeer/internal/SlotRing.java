package io.github.jpeer.internal;

import java.util.function.Supplier;

/**
 * A first-in first-out queue of reusable slots, the storage behind {@link
 * MediaSession#pollTransmit} and {@link MediaSession#pollEvent}: a producer fills the slot {@link
 * #claim} hands out and {@link #commit}s it; the consumer {@link #poll}s. The slot polled last is
 * held (not refilled) until the next {@code poll}, so the view it was returned as stays valid that
 * long. The ring doubles when every slot is in use and never shrinks, and slots are created once,
 * so a drained ring allocates nothing. Not thread-safe.
 */
final class SlotRing<T> {
  private final Supplier<T> factory;
  private Object[] slots;
  // The oldest queued slot, or, while one is held, the held one (then queued ones follow it).
  private int head;
  private int queued;
  private boolean held;

  /** A ring of {@code capacity} slots to begin with, made by {@code factory} on first use. */
  SlotRing(int capacity, Supplier<T> factory) {
    this.slots = new Object[capacity];
    this.factory = factory;
  }

  /**
   * The slot the next {@link #commit} queues, to be filled first; claiming again before committing
   * hands out the same slot (a producer that fails to fill it simply does not commit).
   */
  @SuppressWarnings("unchecked")
  T claim() {
    int used = queued + (held ? 1 : 0);
    if (used == slots.length) {
      grow();
    }
    int i = (head + used) % slots.length;
    if (slots[i] == null) {
      slots[i] = factory.get();
    }
    return (T) slots[i];
  }

  /** Queues the slot {@link #claim} handed out. */
  void commit() {
    queued++;
  }

  /** Releases the slot polled last and returns the oldest queued one, or null if none is queued. */
  @SuppressWarnings("unchecked")
  T poll() {
    if (held) {
      head = (head + 1) % slots.length;
      held = false;
    }
    if (queued == 0) {
      // Empty: start again at slot 0, so that a steady one-in one-out flow keeps using the same
      // two slots and a connection holds the buffers of its bursts, not of the whole ring.
      head = 0;
      return null;
    }
    queued--;
    held = true;
    return (T) slots[head];
  }

  /** How many committed slots wait to be polled. */
  int size() {
    return queued;
  }

  private void grow() {
    // Rotated so that head is 0; the slots (and the arrays in them) are kept, not made again.
    Object[] bigger = new Object[slots.length * 2];
    for (int i = 0; i < slots.length; i++) {
      bigger[i] = slots[(head + i) % slots.length];
    }
    slots = bigger;
    head = 0;
  }
}
