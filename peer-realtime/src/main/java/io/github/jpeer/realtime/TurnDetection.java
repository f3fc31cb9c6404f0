package io.github.jpeer.realtime;

/**
 * How the server decides that the user's turn is over ({@code audio.input.turn_detection} of the
 * session). Only the type is modelled for now; the server's defaults apply to its parameters
 * (threshold, silence duration, eagerness).
 */
public enum TurnDetection {
  /** Voice activity detection on the audio's loudness ({@code server_vad}). */
  SERVER_VAD("server_vad"),
  /** A model that judges whether the user has finished their thought ({@code semantic_vad}). */
  SEMANTIC_VAD("semantic_vad"),
  /**
   * None ({@code turn_detection: null}): the application commits the input audio buffer and asks
   * for a response itself.
   */
  NONE(null);

  private final String wireName;

  TurnDetection(String wireName) {
    this.wireName = wireName;
  }

  /** The {@code type} on the wire; null for {@link #NONE}, which is sent as JSON null. */
  public String wireName() {
    return wireName;
  }

  /** The constant for a wire type, or null for a type this version does not know. */
  static TurnDetection ofWireName(String type) {
    for (TurnDetection t : values()) {
      if (t.wireName != null && t.wireName.equals(type)) {
        return t;
      }
    }
    return null;
  }
}
