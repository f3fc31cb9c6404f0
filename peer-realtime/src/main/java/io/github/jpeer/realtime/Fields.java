package io.github.jpeer.realtime;

import io.github.jpeer.signaling.internal.Json;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Lenient reads from a parsed JSON object: a member that is absent or of the wrong JSON type reads
 * as absent (null, -1 or empty), never as an exception, since the text comes from the network.
 */
final class Fields {
  private Fields() {}

  static String string(Map<String, Object> o, String key) {
    return Json.string(o, key);
  }

  static Map<String, Object> object(Map<String, Object> o, String key) {
    return Json.object(o, key);
  }

  /** The integer at {@code key}, or -1 if absent, not a number, fractional or out of range. */
  static long integer(Map<String, Object> o, String key, long absent) {
    Object v = o.get(key);
    if (v instanceof Long l) {
      return l;
    }
    if (v instanceof BigDecimal d) {
      try {
        return d.longValueExact();
      } catch (ArithmeticException notAnExactLong) {
        return absent;
      }
    }
    return absent;
  }

  /** The number at {@code key} as a double, or {@code absent}. */
  static double number(Map<String, Object> o, String key, double absent) {
    Object v = o.get(key);
    if (v instanceof Number n) {
      double d = n.doubleValue();
      return Double.isFinite(d) ? d : absent;
    }
    return absent;
  }

  /** The objects of the array at {@code key}, skipping elements that are not objects. */
  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> objects(Map<String, Object> o, String key) {
    List<Map<String, Object>> out = new ArrayList<>();
    if (o.get(key) instanceof List<?> list) {
      for (Object e : list) {
        if (e instanceof Map<?, ?> m) {
          out.add((Map<String, Object>) m);
        }
      }
    }
    return out;
  }

  /** The strings of the array at {@code key}, skipping other elements; null if not an array. */
  static List<String> strings(Map<String, Object> o, String key) {
    if (!(o.get(key) instanceof List<?> list)) {
      return null;
    }
    List<String> out = new ArrayList<>();
    for (Object e : list) {
      if (e instanceof String s) {
        out.add(s);
      }
    }
    return out;
  }
}
