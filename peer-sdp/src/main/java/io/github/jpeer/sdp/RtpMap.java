package io.github.jpeer.sdp;

import java.util.List;

/**
 * {@code a=rtpmap} (RFC 8866 section 6.6): what a dynamic payload type means.
 *
 * <pre>
 * a=rtpmap:&lt;payload type&gt; &lt;encoding name&gt;/&lt;clock rate&gt;[/&lt;encoding parameters&gt;]
 * </pre>
 *
 * @param payloadType the RTP payload type, 0..127
 * @param encodingName the encoding name as written ({@code opus}, {@code H264}); compare it
 *     case-insensitively, see {@link #is(String)}
 * @param clockRate the RTP clock rate in Hz
 * @param channels the audio channel count, or 0 when the line omits it (one channel)
 */
public record RtpMap(int payloadType, String encodingName, int clockRate, int channels) {
  /** The attribute name, {@code rtpmap}. */
  public static final String NAME = "rtpmap";

  /** Validates the fields. */
  public RtpMap {
    Values.requireRange(payloadType, 0, 127, "payload type");
    Values.requireToken(encodingName, "encoding name");
    if (encodingName.indexOf('/') >= 0) {
      throw new IllegalArgumentException("encoding name must not contain '/': " + encodingName);
    }
    Values.requireRange(clockRate, 1, Integer.MAX_VALUE, "clock rate");
    Values.requireRange(channels, 0, 255, "channels");
  }

  /** Parses the attribute value, e.g. {@code 111 opus/48000/2}. */
  public static RtpMap parse(String value) {
    Values.nonNull(value, "expected <payload type> <encoding name>/<clock rate>");
    List<String> t = Values.tokens(value);
    if (t.isEmpty()) {
      throw new SdpParseException(value, "expected a payload type number");
    }
    int pt = Values.unsignedInt(t.get(0), 127, value, "expected a payload type number");
    if (t.size() != 2) {
      throw new SdpParseException(value, "expected <payload type> <encoding name>/<clock rate>");
    }
    String[] parts = t.get(1).split("/", -1);
    if (parts.length < 2 || parts.length > 3 || parts[0].isEmpty()) {
      throw new SdpParseException(value, "expected <encoding name>/<clock rate>[/<channels>]");
    }
    int clockRate =
        Values.unsignedInt(parts[1], Integer.MAX_VALUE, value, "expected a clock rate number");
    if (clockRate == 0) {
      throw new SdpParseException(value, "expected a clock rate above 0");
    }
    int channels =
        parts.length == 3
            ? Values.unsignedInt(parts[2], 255, value, "expected a channel count number")
            : 0;
    return new RtpMap(pt, parts[0], clockRate, channels);
  }

  /**
   * True when the encoding name equals {@code name}, ignoring case ({@code opus} = {@code OPUS}).
   */
  public boolean is(String name) {
    return encodingName.equalsIgnoreCase(name);
  }

  /** Returns the channel count, 1 when the line omits it. */
  public int effectiveChannels() {
    return channels == 0 ? 1 : channels;
  }

  /** Returns this mapping as an {@code a=rtpmap} attribute. */
  public Attribute toAttribute() {
    return Attribute.of(NAME, toString());
  }

  /** Returns the attribute value, e.g. {@code 111 opus/48000/2}. */
  @Override
  public String toString() {
    return payloadType
        + " "
        + encodingName
        + "/"
        + clockRate
        + (channels > 0 ? "/" + channels : "");
  }
}
