package io.github.jpeer.sdp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * One media section: the {@code m=} line and everything up to the next one (RFC 8866 section 5.14).
 *
 * <pre>
 * m=&lt;media&gt; &lt;port&gt;[/&lt;number of ports&gt;] &lt;proto&gt; &lt;fmt&gt; ...
 * i=*  c=*  b=*  k=*  a=*
 * </pre>
 *
 * <p>Immutable. The first {@code c=} line is {@link #connection()}; other non-attribute lines
 * ({@code i=}, {@code b=}, ...) are kept in {@link #lines()} and attributes in {@link
 * #attributes()}, both in their original order. The typed accessors parse attribute values on
 * demand; for a section that came from {@link SessionDescription#parse} they never throw, since the
 * parser already checked every attribute they read. For a section built with invalid attribute text
 * they throw {@link SdpParseException}.
 *
 * @param media the media type: {@code audio}, {@code video}, {@code application}
 * @param port the port (9 in JSEP, 0 for a rejected section)
 * @param portCount the number of ports after {@code /}, or 0 when absent
 * @param proto the transport protocol, e.g. {@link #PROTO_RTP_SAVPF}
 * @param formats the formats: payload type numbers for RTP, {@code webrtc-datachannel} for SCTP
 * @param connection the section's first {@code c=} line, or {@code null}
 * @param lines other non-attribute lines in order
 * @param attributes the {@code a=} lines in order
 */
public record MediaDescription(
    String media,
    int port,
    int portCount,
    String proto,
    List<String> formats,
    Connection connection,
    List<SdpLine> lines,
    List<Attribute> attributes) {

  /** RTP media in WebRTC (RFC 8829 section 5.1.2). */
  public static final String PROTO_RTP_SAVPF = "UDP/TLS/RTP/SAVPF";

  /** Data channels over DTLS over UDP (RFC 8841). */
  public static final String PROTO_SCTP = "UDP/DTLS/SCTP";

  /** Data channels over DTLS over TCP/ICE (RFC 8841). */
  public static final String PROTO_TCP_SCTP = "TCP/DTLS/SCTP";

  /** The pre-RFC 8841 data channel proto, with format {@code 5000} and {@code a=sctpmap}. */
  public static final String PROTO_SCTP_LEGACY = "DTLS/SCTP";

  /** The format token of a data channel section (RFC 8841 section 4.4). */
  public static final String FORMAT_DATACHANNEL = "webrtc-datachannel";

  /** Validates and copies. */
  public MediaDescription {
    Values.requireToken(media, "media type");
    Values.requireRange(port, 0, 65535, "port");
    Values.requireRange(portCount, 0, Integer.MAX_VALUE, "port count");
    Values.requireToken(proto, "proto");
    formats = List.copyOf(formats);
    formats.forEach(f -> Values.requireToken(f, "format"));
    lines = List.copyOf(lines);
    attributes = List.copyOf(attributes);
  }

  /** Returns a builder for a new section, e.g. {@code builder("audio", 9, PROTO_RTP_SAVPF)}. */
  public static Builder builder(String media, int port, String proto) {
    return new Builder(media, port, proto);
  }

  /**
   * Parses the text after {@code m=}.
   *
   * <pre>
   * media-field = %s"m" "=" media SP port ["/" integer] SP proto 1*(SP fmt)
   * </pre>
   *
   * <p>Deviation: a section without formats is accepted, since some stacks write one for a rejected
   * section.
   */
  static Builder parseMediaLine(String value) {
    List<String> t = Values.tokens(value);
    if (t.size() < 3) {
      throw new SdpParseException(value, "expected <media> <port> <proto> <fmt> ...");
    }
    String portText = t.get(1);
    int slash = portText.indexOf('/');
    int port =
        Values.unsignedInt(
            slash < 0 ? portText : portText.substring(0, slash),
            65535,
            value,
            "expected a port number");
    int count = 0;
    if (slash >= 0) {
      count =
          Values.unsignedInt(
              portText.substring(slash + 1),
              Integer.MAX_VALUE,
              value,
              "expected a number of ports after /");
      if (count == 0) {
        throw new SdpParseException(value, "expected a number of ports above 0");
      }
    }
    Builder b = new Builder(t.get(0), port, t.get(2)).portCount(count);
    b.formats(t.subList(3, t.size()));
    return b;
  }

  // ---- generic attribute access ----

  /** Returns the first attribute with this name (case-insensitive), or empty. */
  public Optional<Attribute> attribute(String name) {
    return Attributes.first(attributes, name);
  }

  /** Returns all attributes with this name (case-insensitive), in order. */
  public List<Attribute> attributes(String name) {
    return Attributes.all(attributes, name);
  }

  /** True when an attribute with this name is present. */
  public boolean hasAttribute(String name) {
    return attribute(name).isPresent();
  }

  /** Returns the value of the first attribute with this name that has one, or empty. */
  public Optional<String> attributeValue(String name) {
    return Attributes.value(attributes, name);
  }

  // ---- typed access ----

  /** Returns {@code a=mid} (RFC 9143), or empty. */
  public Optional<String> mid() {
    return attributeValue("mid");
  }

  /** Returns this section's own {@code a=ice-ufrag}; see {@link SessionDescription#iceUfrag}. */
  public Optional<String> iceUfrag() {
    return attributeValue("ice-ufrag");
  }

  /** Returns this section's own {@code a=ice-pwd}; see {@link SessionDescription#icePwd}. */
  public Optional<String> icePwd() {
    return attributeValue("ice-pwd");
  }

  /** Returns the tokens of this section's {@code a=ice-options} lines, e.g. {@code trickle}. */
  public List<String> iceOptions() {
    return Attributes.iceOptions(attributes);
  }

  /** Returns this section's own {@code a=fingerprint} lines. */
  public List<Fingerprint> fingerprints() {
    return typed("fingerprint", Fingerprint::parse);
  }

  /** Returns this section's own {@code a=setup}, or empty. */
  public Optional<Setup> setup() {
    return attributeValue(Setup.NAME).map(Setup::parse);
  }

  /** Returns the {@code a=candidate} lines in order. */
  public List<Candidate> candidates() {
    return typed(Candidate.NAME, Candidate::parse);
  }

  /** True when {@code a=end-of-candidates} is present (RFC 8838). */
  public boolean endOfCandidates() {
    return hasAttribute("end-of-candidates");
  }

  /** True when {@code a=rtcp-mux} is present (RFC 5761). */
  public boolean rtcpMux() {
    return hasAttribute("rtcp-mux");
  }

  /** True when {@code a=rtcp-rsize} is present (RFC 5506). */
  public boolean rtcpRsize() {
    return hasAttribute("rtcp-rsize");
  }

  /** True when {@code a=bundle-only} is present (RFC 9143). */
  public boolean bundleOnly() {
    return hasAttribute("bundle-only");
  }

  /**
   * Returns the first direction attribute of this section, or empty (see {@link
   * SessionDescription#direction}).
   */
  public Optional<Direction> direction() {
    return Attributes.direction(attributes);
  }

  /** Returns the {@code a=rtpmap} lines in order. */
  public List<RtpMap> rtpMaps() {
    return isRtp() ? typed(RtpMap.NAME, RtpMap::parse) : List.of();
  }

  /**
   * Returns the mapping of a payload type: its {@code a=rtpmap}, or for a static payload type
   * without one the RFC 3551 table entry (0 PCMU, 8 PCMA, 9 G722, ...).
   */
  public Optional<RtpMap> rtpMap(int payloadType) {
    for (RtpMap m : rtpMaps()) {
      if (m.payloadType() == payloadType) {
        return Optional.of(m);
      }
    }
    return isRtp() ? StaticPayloadTypes.lookup(payloadType) : Optional.empty();
  }

  /** Returns the {@code a=fmtp} lines in order. */
  public List<Fmtp> fmtps() {
    return isRtp() ? typed(Fmtp.NAME, Fmtp::parse) : List.of();
  }

  /** Returns the first {@code a=fmtp} of a payload type, or empty. */
  public Optional<Fmtp> fmtp(int payloadType) {
    return fmtps().stream().filter(f -> f.payloadType() == payloadType).findFirst();
  }

  /** Returns the {@code a=rtcp-fb} lines in order. */
  public List<RtcpFeedback> rtcpFeedback() {
    return isRtp() ? typed(RtcpFeedback.NAME, RtcpFeedback::parse) : List.of();
  }

  /** Returns the {@code a=rtcp-fb} lines that apply to a payload type, wildcard lines included. */
  public List<RtcpFeedback> rtcpFeedback(int payloadType) {
    return rtcpFeedback().stream().filter(f -> f.appliesTo(payloadType)).toList();
  }

  /** Returns the {@code a=extmap} lines in order. */
  public List<ExtMap> extMaps() {
    return typed(ExtMap.NAME, ExtMap::parse);
  }

  /** Returns the {@code a=ssrc} lines in order. */
  public List<Ssrc> ssrcs() {
    return typed(Ssrc.NAME, Ssrc::parse);
  }

  /** Returns the {@code a=ssrc-group} lines in order. */
  public List<SsrcGroup> ssrcGroups() {
    return typed(SsrcGroup.NAME, SsrcGroup::parse);
  }

  /** Returns the {@code a=msid} lines in order. */
  public List<Msid> msids() {
    return typed(Msid.NAME, Msid::parse);
  }

  /** Returns the legacy {@code a=sctpmap}, or empty. */
  public Optional<SctpMap> sctpMap() {
    return attributeValue(SctpMap.NAME).map(SctpMap::parse);
  }

  /**
   * Returns the SCTP port: {@code a=sctp-port} (RFC 8841), else the legacy {@code a=sctpmap} port,
   * else empty.
   */
  public OptionalInt sctpPort() {
    Optional<String> v = attributeValue("sctp-port");
    if (v.isPresent()) {
      return OptionalInt.of(Attributes.sctpPort(v.get()));
    }
    return sctpMap().map(m -> OptionalInt.of(m.port())).orElse(OptionalInt.empty());
  }

  /** Returns {@code a=max-message-size} (RFC 8841 section 6), 0 meaning unlimited, or empty. */
  public OptionalLong maxMessageSize() {
    return attributeValue("max-message-size")
        .map(v -> OptionalLong.of(Attributes.maxMessageSize(v)))
        .orElse(OptionalLong.empty());
  }

  /** True for an RTP section (proto contains {@code RTP}). */
  public boolean isRtp() {
    return Attributes.isRtpProto(proto);
  }

  /** True for a data channel section (proto ends in {@code SCTP}). */
  public boolean isDataChannel() {
    return Values.asciiLower(proto).endsWith("sctp");
  }

  /** True for a rejected section: port 0 without {@code a=bundle-only} (RFC 8829 section 5.2.2). */
  public boolean isRejected() {
    return port == 0 && !bundleOnly();
  }

  /**
   * Returns the codecs in the preference order of the m-line: each payload type's rtpmap (or static
   * mapping) joined with its fmtp and rtcp-fb lines. Formats without a known mapping are skipped.
   */
  public List<Codec> codecs() {
    if (!isRtp()) {
      return List.of();
    }
    // Index once: a hostile offer can hold thousands of formats and attributes.
    Map<Integer, RtpMap> maps = new HashMap<>();
    rtpMaps().forEach(m -> maps.putIfAbsent(m.payloadType(), m));
    Map<Integer, Fmtp> fmtps = new HashMap<>();
    fmtps().forEach(f -> fmtps.putIfAbsent(f.payloadType(), f));
    List<RtcpFeedback> allFeedback = rtcpFeedback();
    Map<Integer, List<Integer>> feedbackIndexes = new HashMap<>();
    for (int i = 0; i < allFeedback.size(); i++) {
      feedbackIndexes
          .computeIfAbsent(allFeedback.get(i).payloadType(), k -> new ArrayList<>())
          .add(i);
    }
    List<Integer> wildcard = feedbackIndexes.getOrDefault(RtcpFeedback.WILDCARD, List.of());
    List<Codec> out = new ArrayList<>();
    for (String f : formats) {
      int pt = StaticPayloadTypes.payloadType(f);
      RtpMap map = pt < 0 ? null : maps.get(pt);
      if (map == null && pt >= 0) {
        map = StaticPayloadTypes.lookup(pt).orElse(null);
      }
      if (map == null) {
        continue;
      }
      // Merge the wildcard and the specific lines back into attribute order.
      List<Integer> own = feedbackIndexes.getOrDefault(pt, List.of());
      List<RtcpFeedback> fb = new ArrayList<>(own.size() + wildcard.size());
      int w = 0;
      int o = 0;
      while (w < wildcard.size() || o < own.size()) {
        boolean takeOwn = w >= wildcard.size() || o < own.size() && own.get(o) < wildcard.get(w);
        fb.add(allFeedback.get(takeOwn ? own.get(o++) : wildcard.get(w++)));
      }
      out.add(
          new Codec(pt, map.encodingName(), map.clockRate(), map.channels(), fmtps.get(pt), fb));
    }
    return out;
  }

  /** Returns the first codec (m-line order) with this encoding name, ignoring case, or empty. */
  public Optional<Codec> codec(String encodingName) {
    return codecs().stream().filter(c -> c.is(encodingName)).findFirst();
  }

  /**
   * Returns the payload type of the first codec (m-line order) with this encoding name, ignoring
   * case ({@code opus}, {@code OPUS}, {@code H264}, {@code PCMU}), or empty.
   */
  public OptionalInt payloadType(String encodingName) {
    return codec(encodingName)
        .map(c -> OptionalInt.of(c.payloadType()))
        .orElse(OptionalInt.empty());
  }

  private <T> List<T> typed(String name, Function<String, T> parser) {
    return Attributes.typed(attributes, name, parser);
  }

  // ---- copies ----

  /** Returns a builder holding this section's values. */
  public Builder toBuilder() {
    Builder b =
        new Builder(media, port, proto)
            .portCount(portCount)
            .formats(formats)
            .connection(connection);
    lines.forEach(b::line);
    attributes.forEach(b::attribute);
    return b;
  }

  /** Returns a copy with another port (0 rejects the section). */
  public MediaDescription withPort(int newPort) {
    return new MediaDescription(
        media, newPort, portCount, proto, formats, connection, lines, attributes);
  }

  /** Returns a copy with other formats. */
  public MediaDescription withFormats(List<String> newFormats) {
    return new MediaDescription(
        media, port, portCount, proto, newFormats, connection, lines, attributes);
  }

  /** Returns a copy with another connection line ({@code null} removes it). */
  public MediaDescription withConnection(Connection newConnection) {
    return new MediaDescription(
        media, port, portCount, proto, formats, newConnection, lines, attributes);
  }

  /** Returns a copy with these attributes instead. */
  public MediaDescription withAttributes(List<Attribute> newAttributes) {
    return new MediaDescription(
        media, port, portCount, proto, formats, connection, lines, newAttributes);
  }

  /** Returns a copy with one attribute appended, e.g. a trickled candidate. */
  public MediaDescription withAttribute(Attribute attribute) {
    return withAttributes(Attributes.with(attributes, attribute));
  }

  /** Returns a copy without any attribute of this name (case-insensitive). */
  public MediaDescription withoutAttributes(String name) {
    return withAttributes(Attributes.without(attributes, name));
  }

  /**
   * Returns a copy where the first attribute of this name is replaced by {@code name:value} and
   * later ones removed; appended when absent.
   */
  public MediaDescription withAttributeValue(String name, String value) {
    return withAttributes(Attributes.set(attributes, Attribute.of(name, value)));
  }

  /** Returns the section as SDP text, every line ending in CRLF. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(512);
    SdpWriter.writeMedia(sb, this);
    return sb.toString();
  }

  /** Builds a {@link MediaDescription}; not thread-safe. */
  public static final class Builder {
    private final String media;
    private int port;
    private int portCount;
    private final String proto;
    private final List<String> formats = new ArrayList<>();
    private Connection connection;
    private final List<SdpLine> lines = new ArrayList<>();
    private final List<Attribute> attributes = new ArrayList<>();

    private Builder(String media, int port, String proto) {
      this.media = media;
      this.port = port;
      this.proto = proto;
    }

    /** Sets the port. */
    public Builder port(int value) {
      this.port = value;
      return this;
    }

    /** Sets the number of ports after {@code /} (0 to leave it out). */
    public Builder portCount(int value) {
      this.portCount = value;
      return this;
    }

    /** Appends a format, e.g. {@code "111"} or {@code "webrtc-datachannel"}. */
    public Builder format(String value) {
      formats.add(value);
      return this;
    }

    /** Replaces the formats. */
    public Builder formats(List<String> values) {
      formats.clear();
      formats.addAll(values);
      return this;
    }

    /** Sets the {@code c=} line ({@code null} for none). */
    public Builder connection(Connection value) {
      this.connection = value;
      return this;
    }

    /** Appends a non-attribute line such as {@code b=AS:30}. */
    public Builder line(SdpLine value) {
      lines.add(Objects.requireNonNull(value, "line"));
      return this;
    }

    /** Appends an attribute. */
    public Builder attribute(Attribute value) {
      attributes.add(Objects.requireNonNull(value, "attribute"));
      return this;
    }

    /** Appends a value attribute {@code a=name:value}. */
    public Builder attribute(String name, String value) {
      return attribute(Attribute.of(name, value));
    }

    /** Appends a property attribute {@code a=name}. */
    public Builder flag(String name) {
      return attribute(Attribute.flag(name));
    }

    /** Removes every attribute with this name (case-insensitive). */
    public Builder removeAttributes(String name) {
      attributes.removeIf(a -> a.is(name));
      return this;
    }

    /** Appends {@code a=mid}. */
    public Builder mid(String mid) {
      return attribute("mid", mid);
    }

    /** Appends a direction attribute. */
    public Builder direction(Direction direction) {
      return attribute(direction.toAttribute());
    }

    /** Appends {@code a=ice-ufrag} and {@code a=ice-pwd}. */
    public Builder iceCredentials(String ufrag, String pwd) {
      return attribute("ice-ufrag", ufrag).attribute("ice-pwd", pwd);
    }

    /** Appends {@code a=fingerprint}. */
    public Builder fingerprint(Fingerprint fingerprint) {
      return attribute(fingerprint.toAttribute());
    }

    /** Appends {@code a=setup}. */
    public Builder setup(Setup setup) {
      return attribute(setup.toAttribute());
    }

    /** Appends {@code a=candidate}. */
    public Builder candidate(Candidate candidate) {
      return attribute(candidate.toAttribute());
    }

    /**
     * Adds a codec: its payload type to the formats, its rtpmap, fmtp (when non-null) and rtcp-fb
     * lines to the attributes.
     */
    public Builder codec(RtpMap rtpMap, Fmtp fmtp, List<RtcpFeedback> feedback) {
      format(Integer.toString(rtpMap.payloadType()));
      attribute(rtpMap.toAttribute());
      if (fmtp != null) {
        attribute(fmtp.toAttribute());
      }
      feedback.forEach(f -> attribute(f.toAttribute()));
      return this;
    }

    /** Builds the section; throws {@link IllegalArgumentException} for invalid fields. */
    public MediaDescription build() {
      return new MediaDescription(
          media, port, portCount, proto, formats, connection, lines, attributes);
    }
  }
}
