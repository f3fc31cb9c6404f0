package io.github.jpeer.realtime;

import java.util.Map;

/**
 * One entry of {@code rate_limits.updated}.
 *
 * @param name {@code requests} or {@code tokens}
 * @param limit the maximum allowed, -1 if absent
 * @param remaining what is left before the limit, -1 if absent
 * @param resetSeconds {@code reset_seconds}: seconds until the limit resets (may be fractional), -1
 *     if absent
 */
public record RateLimit(String name, long limit, long remaining, double resetSeconds) {
  static RateLimit of(Map<String, Object> o) {
    return new RateLimit(
        Fields.string(o, "name"),
        Fields.integer(o, "limit", -1),
        Fields.integer(o, "remaining", -1),
        Fields.number(o, "reset_seconds", -1));
  }
}
