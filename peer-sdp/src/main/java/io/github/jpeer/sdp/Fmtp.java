package io.github.jpeer.sdp;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code a=fmtp} (RFC 8866 section 6.15) for an RTP payload type.
 *
 * <pre>
 * a=fmtp:&lt;format&gt; &lt;format specific parameters&gt;
 * parameters = param *(";" param)    ; param = key "=" value, or a bare value such as 0-15
 * </pre>
 *
 * <p>The parameter text is kept as written (so it round-trips whatever the spacing); {@link
 * #parameterMap()} reads it as an ordered map. A bare parameter (telephone-event's {@code 0-15})
 * maps to the empty string.
 *
 * @param payloadType the RTP payload type, 0..127
 * @param parameters the parameter text, e.g. {@code minptime=10;useinbandfec=1}; may be empty
 */
public record Fmtp(int payloadType, String parameters) {
  /** The attribute name, {@code fmtp}. */
  public static final String NAME = "fmtp";

  /** Validates the fields. */
  public Fmtp {
    Values.requireRange(payloadType, 0, 127, "payload type");
    Values.requireLineSafe(parameters, "fmtp parameters");
    if (!Values.strip(parameters).equals(parameters)) {
      throw new IllegalArgumentException("fmtp parameters must not start or end with blanks");
    }
  }

  /** Creates an fmtp from a map, written {@code key=value;key=value} in the map's order. */
  public static Fmtp of(int payloadType, Map<String, String> parameters) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, String> e : parameters.entrySet()) {
      if (sb.length() > 0) {
        sb.append(';');
      }
      sb.append(e.getKey());
      if (!e.getValue().isEmpty()) {
        sb.append('=').append(e.getValue());
      }
    }
    return new Fmtp(payloadType, sb.toString());
  }

  /** Parses the attribute value, e.g. {@code 111 minptime=10;useinbandfec=1}. */
  public static Fmtp parse(String value) {
    Values.nonNull(value, "expected <payload type> <parameters>");
    if (!Values.isLineSafe(value)) {
      throw new SdpParseException(value, "expected fmtp parameters on one line");
    }
    String text = Values.strip(value);
    int space = Values.nextSpace(text, 0);
    int pt =
        Values.unsignedInt(text.substring(0, space), 127, value, "expected a payload type number");
    return new Fmtp(pt, Values.strip(text.substring(space)));
  }

  /**
   * Returns the parameters as an ordered, unmodifiable map; a bare parameter maps to {@code ""}.
   */
  public Map<String, String> parameterMap() {
    Map<String, String> map = new LinkedHashMap<>();
    for (String part : parameters.split(";")) {
      String p = Values.strip(part);
      if (p.isEmpty()) {
        continue;
      }
      int eq = p.indexOf('=');
      if (eq < 0) {
        map.putIfAbsent(p, "");
      } else {
        map.putIfAbsent(Values.strip(p.substring(0, eq)), Values.strip(p.substring(eq + 1)));
      }
    }
    return Collections.unmodifiableMap(map);
  }

  /** Returns one parameter's value, the key compared case-insensitively, or empty. */
  public Optional<String> parameter(String key) {
    for (Map.Entry<String, String> e : parameterMap().entrySet()) {
      if (e.getKey().equalsIgnoreCase(key)) {
        return Optional.of(e.getValue());
      }
    }
    return Optional.empty();
  }

  /**
   * Returns a copy with the parameter set, replacing an existing key (case-insensitive) in place.
   */
  public Fmtp withParameter(String key, String value) {
    Map<String, String> map = new LinkedHashMap<>();
    boolean replaced = false;
    for (Map.Entry<String, String> e : parameterMap().entrySet()) {
      if (!replaced && e.getKey().equalsIgnoreCase(key)) {
        map.put(key, value);
        replaced = true;
      } else {
        map.put(e.getKey(), e.getValue());
      }
    }
    if (!replaced) {
      map.put(key, value);
    }
    return of(payloadType, map);
  }

  /** Returns this as an {@code a=fmtp} attribute. */
  public Attribute toAttribute() {
    return Attribute.of(NAME, toString());
  }

  /** Returns the attribute value, e.g. {@code 111 minptime=10;useinbandfec=1}. */
  @Override
  public String toString() {
    return parameters.isEmpty() ? Integer.toString(payloadType) : payloadType + " " + parameters;
  }
}
