package io.github.jpeer.internal;

/**
 * RTP packets dropped because they did not parse (after decryption: the header, or an H.264
 * payload), counted for the stats and sampled at DEBUG: a malformed packet is untrusted input, so
 * it is never an exception and never floods the log. Not thread-safe.
 */
final class MalformedPackets {
  private final System.Logger log;
  private long count;

  MalformedPackets(System.Logger log) {
    this.log = log;
  }

  /**
   * Counts a dropped packet and says at DEBUG what it looked like (its first 16 bytes), for the
   * first ten and then every thousandth, so that a stack sending something unexpected can be found.
   */
  void drop(String what, byte[] data, int offset, int length) {
    count++;
    if (count > 10 && count % 1000 != 0) {
      return;
    }
    if (log.isLoggable(System.Logger.Level.DEBUG)) {
      int shown = Math.min(16, length);
      log.log(
          System.Logger.Level.DEBUG,
          "dropped malformed {0} ({1} so far): {2} bytes, starting {3}",
          what,
          count,
          length,
          java.util.HexFormat.of().formatHex(data, offset, offset + shown));
    }
  }

  /** Packets dropped so far. */
  long count() {
    return count;
  }
}
