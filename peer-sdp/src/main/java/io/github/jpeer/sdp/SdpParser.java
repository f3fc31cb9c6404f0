package io.github.jpeer.sdp;

/**
 * Reads SDP text into the model (RFC 8866 section 9 grammar, JSEP's use of it).
 *
 * <pre>
 * session-description = version-field origin-field session-name-field
 *                       [information-field] [uri-field] *email-field *phone-field
 *                       [connection-field] *bandwidth-field 1*time-description
 *                       [key-field] *attribute-field *media-description
 * media-description   = media-field [information-field] *connection-field
 *                       *bandwidth-field [key-field] *attribute-field
 * each line           = type "=" value CRLF      ; type is one letter
 * </pre>
 *
 * <p>Tolerated: bare LF line endings, trailing blanks on a line, blank lines (also at the end),
 * fields out of the RFC's order, repeated fields and unknown line types (kept verbatim), sections
 * without formats. Required: {@code v=} first, then one {@code o=}, {@code s=} and {@code t=} at
 * session level. Attributes this package has a type for are checked here so that the error can name
 * the line.
 */
final class SdpParser {
  private SdpParser() {}

  static SessionDescription parse(String text) {
    if (text == null) {
      throw new SdpParseException(1, "null", "expected v=0 as the first line");
    }
    SessionDescription.Builder session = SessionDescription.builder();
    MediaDescription.Builder media = null;
    String mediaProto = null;
    boolean sawVersion = false;
    boolean sawOrigin = false;
    boolean sawName = false;
    boolean sawConnection = false;
    boolean sawTiming = false;
    boolean sawMediaConnection = false;
    int lineNumber = 0;
    String firstLine = "";
    int firstLineNumber = 1;
    int start = 0;
    int length = text.length();
    while (start <= length) {
      int end = text.indexOf('\n', start);
      if (end < 0) {
        end = length;
      }
      lineNumber++;
      String raw = text.substring(start, end);
      start = end + 1;
      if (raw.endsWith("\r")) {
        raw = raw.substring(0, raw.length() - 1);
      }
      String line = trimTrailing(raw);
      if (line.indexOf('\r') >= 0 || line.indexOf('\0') >= 0) {
        throw new SdpParseException(lineNumber, line, "expected no CR or NUL inside a line");
      }
      if (line.isEmpty()) {
        continue;
      }
      if (line.length() < 2 || line.charAt(1) != '=' || !isLetter(line.charAt(0))) {
        throw new SdpParseException(
            lineNumber, line, "expected <type>=<value> with a one-letter type");
      }
      char type = line.charAt(0);
      String value = line.substring(2);
      try {
        if (!sawVersion) {
          if (type != 'v') {
            throw new SdpParseException(line, "expected v=0 as the first line");
          }
          session.version(
              Values.unsignedInt(value, 999_999_999, value, "expected a version number"));
          sawVersion = true;
          firstLine = line;
          firstLineNumber = lineNumber;
        } else if (type == 'm') {
          if (media != null) {
            session.media(media.build());
          }
          media = MediaDescription.parseMediaLine(value);
          mediaProto = Values.tokens(value).get(2);
          sawMediaConnection = false;
        } else if (media == null) {
          if (type == 'o' && !sawOrigin) {
            session.origin(Origin.parse(value));
            sawOrigin = true;
          } else if (type == 's' && !sawName) {
            session.sessionName(value);
            sawName = true;
          } else if (type == 'c' && !sawConnection) {
            session.connection(Connection.parse(value));
            sawConnection = true;
          } else if (type == 't' && !sawTiming) {
            session.timing(Timing.parse(value));
            sawTiming = true;
          } else if (type == 'a') {
            Attribute a = Attribute.parse(value);
            Attributes.validate(a, null);
            session.attribute(a);
          } else {
            session.line(new SdpLine(type, value));
          }
        } else {
          if (type == 'c' && !sawMediaConnection) {
            media.connection(Connection.parse(value));
            sawMediaConnection = true;
          } else if (type == 'a') {
            Attribute a = Attribute.parse(value);
            Attributes.validate(a, mediaProto);
            media.attribute(a);
          } else {
            media.line(new SdpLine(type, value));
          }
        }
      } catch (SdpParseException e) {
        throw e.atLine(lineNumber, line);
      }
    }
    if (!sawVersion) {
      throw new SdpParseException(1, "", "expected v=0 as the first line");
    }
    if (media != null) {
      session.media(media.build());
    }
    requirePresent(sawOrigin, firstLineNumber, firstLine, "o=");
    requirePresent(sawName, firstLineNumber, firstLine, "s=");
    requirePresent(sawTiming, firstLineNumber, firstLine, "t=");
    return session.build();
  }

  private static void requirePresent(boolean seen, int lineNumber, String firstLine, String field) {
    if (!seen) {
      throw new SdpParseException(
          lineNumber, firstLine, "expected the session-level " + field + " line");
    }
  }

  private static boolean isLetter(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
  }

  private static String trimTrailing(String s) {
    int end = s.length();
    while (end > 0 && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\t')) {
      end--;
    }
    return s.substring(0, end);
  }
}
