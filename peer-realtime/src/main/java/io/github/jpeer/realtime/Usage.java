package io.github.jpeer.realtime;

import java.util.Map;

/**
 * The tokens a response used ({@code response.usage} of {@code response.done}). The per-modality
 * details ({@code input_token_details}, {@code output_token_details}) are left in the event's raw
 * JSON.
 *
 * @param inputTokens {@code input_tokens}: text, audio and cached input, 0 if absent
 * @param outputTokens {@code output_tokens}: text and audio output, 0 if absent
 * @param totalTokens {@code total_tokens}, 0 if absent
 */
public record Usage(long inputTokens, long outputTokens, long totalTokens) {
  /** No usage reported (a response without a {@code usage} object, e.g. one that failed). */
  public static final Usage NONE = new Usage(0, 0, 0);

  static Usage of(Map<String, Object> usage) {
    if (usage.isEmpty()) {
      return NONE;
    }
    return new Usage(
        Math.max(0, Fields.integer(usage, "input_tokens", 0)),
        Math.max(0, Fields.integer(usage, "output_tokens", 0)),
        Math.max(0, Fields.integer(usage, "total_tokens", 0)));
  }
}
