package io.github.jpeer.sdp;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One payload type of an RTP m-section with its {@code rtpmap}, {@code fmtp} and {@code rtcp-fb}
 * lines joined, as returned by {@link MediaDescription#codecs()}.
 *
 * @param payloadType the RTP payload type
 * @param encodingName the encoding name as written; compare with {@link #is(String)}
 * @param clockRate the clock rate in Hz
 * @param channels the channel count, 0 when not given
 * @param fmtp the format parameters, or {@code null} when there is no {@code a=fmtp} line
 * @param feedback the {@code rtcp-fb} lines for this payload type, wildcard ones included
 */
public record Codec(
    int payloadType,
    String encodingName,
    int clockRate,
    int channels,
    Fmtp fmtp,
    List<RtcpFeedback> feedback) {

  /** Validates and copies. */
  public Codec {
    Values.requireRange(payloadType, 0, 127, "payload type");
    Objects.requireNonNull(encodingName, "encodingName");
    feedback = List.copyOf(feedback);
  }

  /** True when the encoding name equals {@code name}, ignoring case. */
  public boolean is(String name) {
    return encodingName.equalsIgnoreCase(name);
  }

  /** Returns the fmtp line, or empty. */
  public Optional<Fmtp> optionalFmtp() {
    return Optional.ofNullable(fmtp);
  }

  /** Returns the format parameters as an ordered map, empty when there is no fmtp. */
  public Map<String, String> parameters() {
    return fmtp == null ? Map.of() : fmtp.parameterMap();
  }

  /** Returns one format parameter (key case-insensitive), or empty. */
  public Optional<String> parameter(String key) {
    return fmtp == null ? Optional.empty() : fmtp.parameter(key);
  }

  /** Returns the mapping as an {@link RtpMap}. */
  public RtpMap rtpMap() {
    return new RtpMap(payloadType, encodingName, clockRate, channels);
  }
}
