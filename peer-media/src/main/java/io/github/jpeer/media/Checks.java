package io.github.jpeer.media;

/** Argument checks shared by the per-frame methods; they throw only on misuse. */
final class Checks {
  private Checks() {}

  /**
   * Checks that {@code [offset, offset + count)} lies inside an array of {@code arrayLength}.
   *
   * @throws IllegalArgumentException naming the argument and the sizes involved
   */
  static void range(String what, int offset, int count, int arrayLength) {
    if (offset < 0 || count < 0 || offset > arrayLength - count) {
      throw new IllegalArgumentException(
          what
              + ": offset "
              + offset
              + " + count "
              + count
              + " does not fit an array of length "
              + arrayLength);
    }
  }

  /**
   * Checks that {@code [offset, offset + count)} lies inside {@code pcm} and holds whole frames of
   * {@code format}.
   *
   * @throws IllegalArgumentException if the range does not fit or splits a frame
   */
  static void frames(PcmFormat format, short[] pcm, int offset, int count) {
    range("pcm", offset, count, pcm.length);
    if (count % format.channels() != 0) {
      throw new IllegalArgumentException(
          count + " samples is not a whole number of " + format.channels() + "-channel frames");
    }
  }
}
