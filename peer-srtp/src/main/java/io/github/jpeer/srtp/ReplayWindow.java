package io.github.jpeer.srtp;

/**
 * A sliding replay window over 64-bit packet indexes (RFC 3711 section 3.3.2), kept as a circular
 * bitmap so that advancing by one packet costs one bit clear instead of a shift of the whole map.
 * Bit {@code i & mask} records index {@code i} for the {@code size} indexes up to {@link #highest}.
 */
final class ReplayWindow {
  private final long[] words;
  private final int size;
  private long highest = -1;

  ReplayWindow(int size) {
    this.size = size;
    this.words = new long[size >>> 6];
  }

  /** {@link SrtpStatus#OK}'s code, or the replay status code, without changing the window. */
  int check(long index) {
    if (highest < 0 || index > highest) {
      return 0;
    }
    if (highest - index >= size) {
      return SrtpStatus.REPLAY_OLD.code();
    }
    int bit = (int) (index & (size - 1));
    if ((words[bit >>> 6] & (1L << bit)) != 0) {
      return SrtpStatus.REPLAY_DUPLICATE.code();
    }
    return 0;
  }

  /** Records an authenticated index; call only after {@link #check} accepted it. */
  void update(long index) {
    if (index > highest) {
      long advance = highest < 0 ? size : index - highest;
      if (advance >= size) {
        java.util.Arrays.fill(words, 0L);
      } else {
        // Clear the slots of the indexes skipped over: they have not been received.
        for (long i = highest + 1; i < index; i++) {
          int bit = (int) (i & (size - 1));
          words[bit >>> 6] &= ~(1L << bit);
        }
      }
      highest = index;
    }
    int bit = (int) (index & (size - 1));
    words[bit >>> 6] |= 1L << bit;
  }

  long highest() {
    return highest;
  }
}
