package io.github.jpeer.sdp;

import java.util.List;

/**
 * The {@code t=} line (RFC 8866 section 5.9); WebRTC always uses {@code t=0 0}.
 *
 * <pre>
 * t=&lt;start-time&gt; &lt;stop-time&gt;
 * </pre>
 *
 * @param startTime NTP seconds, 0 for unbounded
 * @param stopTime NTP seconds, 0 for unbounded
 */
public record Timing(long startTime, long stopTime) {
  /** {@code t=0 0}, a permanent session. */
  public static final Timing PERMANENT = new Timing(0, 0);

  /** Validates the fields. */
  public Timing {
    Values.requireRange(startTime, 0, Long.MAX_VALUE, "start time");
    Values.requireRange(stopTime, 0, Long.MAX_VALUE, "stop time");
  }

  /** Parses the text after {@code t=}. */
  public static Timing parse(String text) {
    Values.nonNull(text, "expected a timing");
    List<String> t = Values.tokens(text);
    if (t.size() != 2) {
      throw new SdpParseException(text, "expected <start-time> <stop-time>");
    }
    return new Timing(
        Values.unsigned(t.get(0), Long.MAX_VALUE, text, "expected a start time number"),
        Values.unsigned(t.get(1), Long.MAX_VALUE, text, "expected a stop time number"));
  }

  /** Returns the text after {@code t=}. */
  @Override
  public String toString() {
    return startTime + " " + stopTime;
  }
}
