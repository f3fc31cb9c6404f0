package io.github.jpeer.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A session description (RFC 8866), as exchanged in a WebRTC offer or answer (RFC 8829).
 *
 * <p>Immutable. {@link #parse(String)} reads SDP text (CRLF or LF line endings) and {@link
 * #write()} (= {@link #toString()}) writes it back with CRLF after every line; {@code
 * parse(write(parse(x)))} equals {@code parse(x)} for every text that parses, and well-formed text
 * comes back unchanged apart from line endings. Lines the model has no field for are kept in {@link
 * #lines()}; attributes are kept in order in {@link #attributes()}, unknown ones included.
 *
 * <p>The per-section lookups ({@link #iceUfrag(MediaDescription)}, {@link
 * #fingerprints(MediaDescription)}, ...) read the media section first and fall back to session
 * level, as RFC 8839 and RFC 8122 allow.
 *
 * @param version the protocol version, 0
 * @param origin the {@code o=} line
 * @param sessionName the {@code s=} value, {@code -} in JSEP
 * @param connection the session-level {@code c=} line, or {@code null}
 * @param timing the first {@code t=} line
 * @param lines other session-level non-attribute lines in order ({@code i=}, {@code b=}, ...)
 * @param attributes the session-level {@code a=} lines in order
 * @param media the media sections in order
 */
public record SessionDescription(
    int version,
    Origin origin,
    String sessionName,
    Connection connection,
    Timing timing,
    List<SdpLine> lines,
    List<Attribute> attributes,
    List<MediaDescription> media) {

  /** Validates and copies. */
  public SessionDescription {
    Values.requireRange(version, 0, 999_999_999, "version");
    Objects.requireNonNull(origin, "origin");
    Values.requireLineSafe(sessionName, "session name");
    Objects.requireNonNull(timing, "timing");
    lines = List.copyOf(lines);
    attributes = List.copyOf(attributes);
    media = List.copyOf(media);
  }

  /**
   * Parses SDP text.
   *
   * @throws SdpParseException naming the line number, the line and what was expected; nothing else
   *     escapes
   */
  public static SessionDescription parse(String sdp) {
    return SdpParser.parse(sdp);
  }

  /**
   * Returns a builder with JSEP defaults: {@code v=0}, {@code s=-}, {@code t=0 0}; set the origin.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns the SDP text, CRLF after every line. */
  public String write() {
    StringBuilder sb = new StringBuilder(2048);
    SdpWriter.writeSession(sb, this);
    return sb.toString();
  }

  /** Same as {@link #write()}. */
  @Override
  public String toString() {
    return write();
  }

  // ---- session-level attributes ----

  /** Returns the first session-level attribute with this name (case-insensitive), or empty. */
  public Optional<Attribute> attribute(String name) {
    return Attributes.first(attributes, name);
  }

  /** Returns all session-level attributes with this name (case-insensitive), in order. */
  public List<Attribute> attributes(String name) {
    return Attributes.all(attributes, name);
  }

  /** True when a session-level attribute with this name is present. */
  public boolean hasAttribute(String name) {
    return attribute(name).isPresent();
  }

  /** Returns the value of the first session-level attribute with this name that has one. */
  public Optional<String> attributeValue(String name) {
    return Attributes.value(attributes, name);
  }

  /** Returns the {@code a=group} lines. */
  public List<Group> groups() {
    return Attributes.typed(attributes, Group.NAME, Group::parse);
  }

  /** Returns the first BUNDLE group, or empty. */
  public Optional<Group> bundleGroup() {
    return groups().stream().filter(Group::isBundle).findFirst();
  }

  /** True when {@code a=ice-lite} is present at session level (RFC 8839 section 5.3). */
  public boolean iceLite() {
    return hasAttribute("ice-lite");
  }

  /** Returns the session-level {@code a=ice-options} tokens. */
  public List<String> iceOptions() {
    return Attributes.iceOptions(attributes);
  }

  /** Returns the session-level {@code a=fingerprint} lines. */
  public List<Fingerprint> fingerprints() {
    return Attributes.typed(attributes, Fingerprint.NAME, Fingerprint::parse);
  }

  // ---- media-level lookups with session fallback ----

  /** Returns the section with this {@code a=mid}, or empty. */
  public Optional<MediaDescription> media(String mid) {
    return media.stream().filter(m -> m.mid().filter(mid::equals).isPresent()).findFirst();
  }

  /** Returns the section's {@code a=ice-ufrag}, else the session's, else empty. */
  public Optional<String> iceUfrag(MediaDescription section) {
    return section.iceUfrag().or(() -> attributeValue("ice-ufrag"));
  }

  /** Returns the section's {@code a=ice-pwd}, else the session's, else empty. */
  public Optional<String> icePwd(MediaDescription section) {
    return section.icePwd().or(() -> attributeValue("ice-pwd"));
  }

  /** Returns the section's {@code a=ice-options} tokens if it has any, else the session's. */
  public List<String> iceOptions(MediaDescription section) {
    List<String> own = section.iceOptions();
    return own.isEmpty() ? iceOptions() : own;
  }

  /** Returns the section's fingerprints if it has any, else the session's. */
  public List<Fingerprint> fingerprints(MediaDescription section) {
    List<Fingerprint> own = section.fingerprints();
    return own.isEmpty() ? fingerprints() : own;
  }

  /** Returns the section's {@code a=setup}, else the session's, else empty. */
  public Optional<Setup> setup(MediaDescription section) {
    return section.setup().or(() -> attributeValue(Setup.NAME).map(Setup::parse));
  }

  /**
   * Returns the section's direction, else the session's, else {@link Direction#SENDRECV} (RFC 8866
   * section 6.7).
   */
  public Direction direction(MediaDescription section) {
    return section
        .direction()
        .or(() -> Attributes.direction(attributes))
        .orElse(Direction.SENDRECV);
  }

  // ---- copies ----

  /** Returns a builder holding this description's values. */
  public Builder toBuilder() {
    Builder b =
        new Builder()
            .version(version)
            .origin(origin)
            .sessionName(sessionName)
            .connection(connection)
            .timing(timing);
    lines.forEach(b::line);
    attributes.forEach(b::attribute);
    media.forEach(b::media);
    return b;
  }

  /** Returns a copy with another origin (e.g. the session version incremented). */
  public SessionDescription withOrigin(Origin newOrigin) {
    return new SessionDescription(
        version, newOrigin, sessionName, connection, timing, lines, attributes, media);
  }

  /** Returns a copy with these media sections. */
  public SessionDescription withMedia(List<MediaDescription> newMedia) {
    return new SessionDescription(
        version, origin, sessionName, connection, timing, lines, attributes, newMedia);
  }

  /** Returns a copy with the section at {@code index} replaced. */
  public SessionDescription withMedia(int index, MediaDescription section) {
    List<MediaDescription> copy = new ArrayList<>(media);
    copy.set(Objects.checkIndex(index, media.size()), Objects.requireNonNull(section, "section"));
    return withMedia(copy);
  }

  /** Returns a copy with these session-level attributes. */
  public SessionDescription withAttributes(List<Attribute> newAttributes) {
    return new SessionDescription(
        version, origin, sessionName, connection, timing, lines, newAttributes, media);
  }

  /** Returns a copy with one session-level attribute appended. */
  public SessionDescription withAttribute(Attribute attribute) {
    return withAttributes(Attributes.with(attributes, attribute));
  }

  /** Returns a copy without any session-level attribute of this name (case-insensitive). */
  public SessionDescription withoutAttributes(String name) {
    return withAttributes(Attributes.without(attributes, name));
  }

  /**
   * Returns a copy where the first session-level attribute of this name becomes {@code name:value}
   * and later ones are removed; appended when absent.
   */
  public SessionDescription withAttributeValue(String name, String value) {
    return withAttributes(Attributes.set(attributes, Attribute.of(name, value)));
  }

  /** Builds a {@link SessionDescription}; not thread-safe. */
  public static final class Builder {
    private int version;
    private Origin origin;
    private String sessionName = "-";
    private Connection connection;
    private Timing timing = Timing.PERMANENT;
    private final List<SdpLine> lines = new ArrayList<>();
    private final List<Attribute> attributes = new ArrayList<>();
    private final List<MediaDescription> media = new ArrayList<>();

    private Builder() {}

    /** Sets {@code v=} (default 0). */
    public Builder version(int value) {
      this.version = value;
      return this;
    }

    /** Sets {@code o=}; required. */
    public Builder origin(Origin value) {
      this.origin = value;
      return this;
    }

    /** Sets {@code s=} (default {@code -}). */
    public Builder sessionName(String value) {
      this.sessionName = value;
      return this;
    }

    /** Sets the session-level {@code c=} ({@code null}, the default, for none). */
    public Builder connection(Connection value) {
      this.connection = value;
      return this;
    }

    /** Sets {@code t=} (default {@code 0 0}). */
    public Builder timing(Timing value) {
      this.timing = value;
      return this;
    }

    /** Appends a session-level non-attribute line such as {@code b=AS:30}. */
    public Builder line(SdpLine value) {
      lines.add(Objects.requireNonNull(value, "line"));
      return this;
    }

    /** Appends a session-level attribute. */
    public Builder attribute(Attribute value) {
      attributes.add(Objects.requireNonNull(value, "attribute"));
      return this;
    }

    /** Appends a session-level value attribute {@code a=name:value}. */
    public Builder attribute(String name, String value) {
      return attribute(Attribute.of(name, value));
    }

    /** Appends a session-level property attribute {@code a=name}. */
    public Builder flag(String name) {
      return attribute(Attribute.flag(name));
    }

    /** Removes every session-level attribute with this name (case-insensitive). */
    public Builder removeAttributes(String name) {
      attributes.removeIf(a -> a.is(name));
      return this;
    }

    /** Appends {@code a=group:BUNDLE ...}. */
    public Builder bundle(List<String> mids) {
      return attribute(Group.bundle(mids).toAttribute());
    }

    /** Appends a media section. */
    public Builder media(MediaDescription section) {
      media.add(Objects.requireNonNull(section, "section"));
      return this;
    }

    /** Removes all media sections. */
    public Builder clearMedia() {
      media.clear();
      return this;
    }

    /**
     * Builds the description.
     *
     * @throws IllegalStateException if no origin was set
     */
    public SessionDescription build() {
      if (origin == null) {
        throw new IllegalStateException(
            "set origin(...) before build(), e.g. new Origin(\"-\", id, 2, \"IN\", \"IP4\", \"127.0.0.1\")");
      }
      return new SessionDescription(
          version, origin, sessionName, connection, timing, lines, attributes, media);
    }
  }
}
