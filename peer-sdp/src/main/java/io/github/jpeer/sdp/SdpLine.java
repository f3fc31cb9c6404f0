package io.github.jpeer.sdp;

/**
 * A line the model has no field for ({@code i=}, {@code u=}, {@code e=}, {@code p=}, {@code b=},
 * {@code r=}, {@code z=}, {@code k=}, unknown types), kept verbatim so it is written back.
 *
 * @param type the one-letter type before {@code =}
 * @param value everything after {@code =}
 */
public record SdpLine(char type, String value) {
  /** Validates the line. */
  public SdpLine {
    if (!(type >= 'a' && type <= 'z' || type >= 'A' && type <= 'Z')) {
      throw new IllegalArgumentException("SDP line type must be a letter, got '" + type + "'");
    }
    Values.requireLineSafe(value, "SDP line value");
  }

  /** Returns the line as written, {@code type=value}, without a line ending. */
  @Override
  public String toString() {
    return type + "=" + value;
  }
}
