package io.github.jpeer.sdp;

import java.util.List;

/**
 * Writes the model back to text. Every line, the last included, ends in CRLF (RFC 8866 section 5).
 * Lines the model keeps verbatim are placed where RFC 8866 orders them, so well-formed input comes
 * back byte for byte (modulo line endings) and any parsed input parses back to an equal model.
 */
final class SdpWriter {
  static final String CRLF = "\r\n";

  private SdpWriter() {}

  /*
   * Session order (RFC 8866 section 5): v o s i u e p c b t r z k a, then media.
   * Kept lines are written in their stored order; c= goes after the leading i/u/e/p ones and
   * t= after the b= ones that follow, so the stored order never changes.
   */
  static void writeSession(StringBuilder sb, SessionDescription sd) {
    line(sb, 'v', Integer.toString(sd.version()));
    line(sb, 'o', sd.origin().toString());
    line(sb, 's', sd.sessionName());
    List<SdpLine> lines = sd.lines();
    int i = writeWhile(sb, lines, 0, "iuep");
    if (sd.connection() != null) {
      line(sb, 'c', sd.connection().toString());
    }
    i = writeWhile(sb, lines, i, "b");
    line(sb, 't', sd.timing().toString());
    writeWhile(sb, lines, i, null);
    for (Attribute a : sd.attributes()) {
      line(sb, 'a', a.toString());
    }
    for (MediaDescription m : sd.media()) {
      writeMedia(sb, m);
    }
  }

  /* Media order (RFC 8866 section 5): m i c b k a; c= goes after the leading i= lines. */
  static void writeMedia(StringBuilder sb, MediaDescription m) {
    sb.append("m=").append(m.media()).append(' ').append(m.port());
    if (m.portCount() > 0) {
      sb.append('/').append(m.portCount());
    }
    sb.append(' ').append(m.proto());
    for (String f : m.formats()) {
      sb.append(' ').append(f);
    }
    sb.append(CRLF);
    int i = writeWhile(sb, m.lines(), 0, "i");
    if (m.connection() != null) {
      line(sb, 'c', m.connection().toString());
    }
    writeWhile(sb, m.lines(), i, null);
    for (Attribute a : m.attributes()) {
      line(sb, 'a', a.toString());
    }
  }

  /** Writes lines from {@code from} while their type is in {@code types} (all when null). */
  private static int writeWhile(StringBuilder sb, List<SdpLine> lines, int from, String types) {
    int i = from;
    while (i < lines.size() && (types == null || types.indexOf(lines.get(i).type()) >= 0)) {
      line(sb, lines.get(i).type(), lines.get(i).value());
      i++;
    }
    return i;
  }

  private static void line(StringBuilder sb, char type, String value) {
    sb.append(type).append('=').append(value).append(CRLF);
  }
}
