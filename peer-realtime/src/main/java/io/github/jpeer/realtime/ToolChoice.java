package io.github.jpeer.realtime;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Whether and which tools the model may call ({@code tool_choice} of the session).
 *
 * @param mode {@code auto}, {@code none} or {@code required}, or {@code function} for one named
 *     function
 * @param functionName the function the model must call when {@code mode} is {@code function}, else
 *     null
 */
public record ToolChoice(String mode, String functionName) {
  /** The model decides (the server's default). */
  public static final ToolChoice AUTO = new ToolChoice("auto", null);

  /** The model calls no tool. */
  public static final ToolChoice NONE = new ToolChoice("none", null);

  /** The model calls one or more tools. */
  public static final ToolChoice REQUIRED = new ToolChoice("required", null);

  /**
   * Checks the components.
   *
   * @throws NullPointerException if {@code mode} is null, or {@code functionName} is null with mode
   *     {@code function}
   * @throws IllegalArgumentException if {@code functionName} is given with another mode
   */
  public ToolChoice {
    Objects.requireNonNull(mode, "mode: auto, none, required or function");
    if (mode.equals("function")) {
      Objects.requireNonNull(functionName, "functionName: the function the model must call");
    } else if (functionName != null) {
      throw new IllegalArgumentException(
          "a function name goes with mode function: use ToolChoice.function(name)");
    }
  }

  /** The model must call the function named {@code name}. */
  public static ToolChoice function(String name) {
    return new ToolChoice("function", name);
  }

  /** As written in the session: a string for the modes, an object for one function. */
  Object toJsonValue() {
    if (functionName == null) {
      return mode;
    }
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("type", "function");
    o.put("name", functionName);
    return o;
  }

  /** The choice a session states, or null if absent or of a shape this version does not know. */
  static ToolChoice of(Object value) {
    if (value instanceof String s) {
      return s.equals("function") ? null : new ToolChoice(s, null);
    }
    if (value instanceof Map<?, ?> m
        && "function".equals(m.get("type"))
        && m.get("name") instanceof String name) {
      return function(name);
    }
    return null;
  }
}
