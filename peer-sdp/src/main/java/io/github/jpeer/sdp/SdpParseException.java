package io.github.jpeer.sdp;

/**
 * Thrown when SDP text, an attribute value or a candidate line cannot be parsed.
 *
 * <p>This is the only exception any parser of this package lets escape. The message names the line
 * number (when the text came from a whole session description), the offending line and what was
 * expected there, e.g. {@code line 7 (a=rtpmap:abc opus/48000/2): expected a payload type number}.
 * The value of an {@code a=ice-pwd} line is replaced by {@code <redacted>} so that the message can
 * be logged.
 */
public final class SdpParseException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  // Fuzzers and attackers can send megabyte lines; the message stays readable.
  private static final int MAX_LINE_CHARS = 200;

  private final int lineNumber;
  private final String line;
  private final String reason;

  /**
   * Creates an exception for a value parsed on its own, outside a session description.
   *
   * @param text the text that failed to parse
   * @param reason what was expected, e.g. {@code "expected a port number"}
   */
  public SdpParseException(String text, String reason) {
    this(0, text, reason);
  }

  /**
   * Creates an exception for one line of a session description.
   *
   * @param lineNumber the 1-based line number, or 0 when unknown
   * @param line the offending line, without its line ending
   * @param reason what was expected, e.g. {@code "expected a payload type number"}
   */
  public SdpParseException(int lineNumber, String line, String reason) {
    super(format(lineNumber, sanitize(line), reason));
    this.lineNumber = lineNumber;
    this.line = sanitize(line);
    this.reason = reason;
  }

  /** Returns the 1-based line number, or 0 when the text was not part of a session description. */
  public int lineNumber() {
    return lineNumber;
  }

  /** Returns the offending line (shortened if very long, ICE password redacted). */
  public String line() {
    return line;
  }

  /** Returns what was expected, e.g. {@code "expected a payload type number"}. */
  public String reason() {
    return reason;
  }

  /** Re-throws a value-level failure with the line it came from. */
  SdpParseException atLine(int number, String fullLine) {
    return new SdpParseException(number, fullLine, reason);
  }

  private static String format(int lineNumber, String line, String reason) {
    return lineNumber > 0
        ? "line " + lineNumber + " (" + line + "): " + reason
        : "(" + line + "): " + reason;
  }

  private static String sanitize(String text) {
    if (text == null) {
      return "null";
    }
    String shown = text;
    int pwd = indexOfIgnoreCase(shown, "ice-pwd:");
    if (pwd >= 0 && (pwd == 0 || pwd == 2 && shown.startsWith("a="))) {
      shown = shown.substring(0, pwd + "ice-pwd:".length()) + "<redacted>";
    }
    if (shown.length() > MAX_LINE_CHARS) {
      shown = shown.substring(0, MAX_LINE_CHARS) + "...";
    }
    return shown;
  }

  private static int indexOfIgnoreCase(String text, String needle) {
    for (int i = 0; i + needle.length() <= text.length() && i <= 2; i++) {
      if (text.regionMatches(true, i, needle, 0, needle.length())) {
        return i;
      }
    }
    return -1;
  }
}
