package io.github.jpeer.realtime;

import io.github.jpeer.signaling.internal.Json;
import io.github.jpeer.signaling.internal.JsonException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A function the model may call (an entry of the session's {@code tools}, type {@code function}).
 *
 * @param name the function's name, as the model will call it
 * @param description what the function does and when to call it (the model reads it), or null
 * @param parametersJson the JSON Schema of its arguments, a JSON object as text (for example {@code
 *     {"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}), or null for
 *     none
 */
public record Tool(String name, String description, String parametersJson) {
  /**
   * Checks the components.
   *
   * @throws NullPointerException if {@code name} is null
   * @throws IllegalArgumentException if {@code parametersJson} is not a JSON object
   */
  public Tool {
    Objects.requireNonNull(name, "name: the function's name");
    if (parametersJson != null) {
      try {
        Json.parseObject(parametersJson);
      } catch (JsonException e) {
        throw new IllegalArgumentException(
            "parametersJson of tool " + name + " must be a JSON object: " + e.getMessage(), e);
      }
    }
  }

  Map<String, Object> toJsonValue() {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("type", "function");
    o.put("name", name);
    if (description != null) {
      o.put("description", description);
    }
    if (parametersJson != null) {
      o.put("parameters", Json.parseObject(parametersJson));
    }
    return o;
  }

  /** The tool a session lists, or null for another kind of tool or one without a name. */
  static Tool of(Map<String, Object> o) {
    String name = Fields.string(o, "name");
    if (!"function".equals(Fields.string(o, "type")) || name == null) {
      return null;
    }
    Object parameters = o.get("parameters");
    return new Tool(
        name,
        Fields.string(o, "description"),
        parameters instanceof Map<?, ?> ? Json.write(parameters) : null);
  }
}
