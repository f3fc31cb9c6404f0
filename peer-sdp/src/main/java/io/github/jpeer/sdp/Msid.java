package io.github.jpeer.sdp;

import java.util.List;
import java.util.Optional;

/**
 * {@code a=msid} (RFC 8830 section 2): the media stream and track of an m-section.
 *
 * <pre>
 * msid-value = msid-id [ SP msid-appdata ]      ; msid-id "-" means no stream
 * </pre>
 *
 * @param streamId the stream id, {@code -} for none
 * @param trackId the track id (appdata), or {@code null}
 */
public record Msid(String streamId, String trackId) {
  /** The attribute name, {@code msid}. */
  public static final String NAME = "msid";

  /** Validates the fields. */
  public Msid {
    Values.requireToken(streamId, "msid stream id");
    if (trackId != null) {
      Values.requireToken(trackId, "msid track id");
    }
  }

  /** Parses the attribute value, e.g. {@code stream0 track0}. */
  public static Msid parse(String value) {
    Values.nonNull(value, "expected <stream id> [<track id>]");
    List<String> t = Values.tokens(value);
    if (t.isEmpty() || t.size() > 2) {
      throw new SdpParseException(value, "expected <stream id> [<track id>]");
    }
    return new Msid(t.get(0), t.size() == 2 ? t.get(1) : null);
  }

  /** Returns the track id, or empty. */
  public Optional<String> optionalTrackId() {
    return Optional.ofNullable(trackId);
  }

  /** Returns this as an {@code a=msid} attribute. */
  public Attribute toAttribute() {
    return Attribute.of(NAME, toString());
  }

  /** Returns the attribute value. */
  @Override
  public String toString() {
    return trackId == null ? streamId : streamId + " " + trackId;
  }
}
