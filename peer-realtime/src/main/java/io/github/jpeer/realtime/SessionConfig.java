package io.github.jpeer.realtime;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The session settings that {@code session.update} sends and {@code session.created} / {@code
 * session.updated} report. Every component is optional: null means "not stated", so an update
 * leaves that setting as it is (the Realtime API changes only the fields an update carries), and a
 * parsed session did not include it or stated it in a shape this version does not model.
 *
 * <p>On the wire (GA), inside {@code session}: {@code type: "realtime"}, {@code instructions},
 * {@code output_modalities}, {@code audio.input.turn_detection}, {@code
 * audio.input.transcription.model}, {@code audio.output.voice}, {@code tools}, {@code tool_choice}.
 * Over WebRTC the audio itself travels as Opus in RTP, so the audio formats are not modelled.
 *
 * @param instructions the system instructions; an empty string clears them
 * @param voice the output voice ({@code alloy}, {@code marin}, ...); the server accepts a change
 *     only before the model has spoken
 * @param outputModalities {@code ["audio"]} or {@code ["text"]}
 * @param turnDetection how the user's turn ends; {@link TurnDetection#NONE} turns detection off
 * @param transcriptionModel the model that transcribes the user's audio ({@code gpt-4o-transcribe},
 *     {@code whisper-1}, ...), which makes the server send {@code
 *     conversation.item.input_audio_transcription.*} events
 * @param tools the functions the model may call; an empty list removes them all
 * @param toolChoice whether and which tools the model may call
 */
public record SessionConfig(
    String instructions,
    String voice,
    List<String> outputModalities,
    TurnDetection turnDetection,
    String transcriptionModel,
    List<Tool> tools,
    ToolChoice toolChoice) {

  /** Copies the lists, which must not hold nulls. */
  public SessionConfig {
    outputModalities = outputModalities == null ? null : List.copyOf(outputModalities);
    tools = tools == null ? null : List.copyOf(tools);
  }

  /** A builder with every setting unstated. */
  public static Builder builder() {
    return new Builder();
  }

  /** The {@code session} object of {@code session.update}. */
  Map<String, Object> toJsonValue() {
    Map<String, Object> session = new LinkedHashMap<>();
    session.put("type", "realtime");
    if (instructions != null) {
      session.put("instructions", instructions);
    }
    if (outputModalities != null) {
      session.put("output_modalities", outputModalities);
    }
    Map<String, Object> input = new LinkedHashMap<>();
    if (transcriptionModel != null) {
      input.put("transcription", Map.of("model", transcriptionModel));
    }
    if (turnDetection != null) {
      // NONE goes out as JSON null, which is how the API turns detection off.
      input.put(
          "turn_detection",
          turnDetection.wireName() == null ? null : Map.of("type", turnDetection.wireName()));
    }
    Map<String, Object> audio = new LinkedHashMap<>();
    if (!input.isEmpty()) {
      audio.put("input", input);
    }
    if (voice != null) {
      audio.put("output", Map.of("voice", voice));
    }
    if (!audio.isEmpty()) {
      session.put("audio", audio);
    }
    if (tools != null) {
      List<Object> list = new ArrayList<>();
      for (Tool t : tools) {
        list.add(t.toJsonValue());
      }
      session.put("tools", list);
    }
    if (toolChoice != null) {
      session.put("tool_choice", toolChoice.toJsonValue());
    }
    return session;
  }

  /** The settings a server's {@code session} object states. */
  static SessionConfig of(Map<String, Object> session) {
    Map<String, Object> audio = Fields.object(session, "audio");
    Map<String, Object> input = Fields.object(audio, "input");
    TurnDetection turnDetection = null;
    if (input.containsKey("turn_detection")) {
      Object td = input.get("turn_detection");
      if (td == null) {
        turnDetection = TurnDetection.NONE;
      } else if (td instanceof Map<?, ?>) {
        turnDetection =
            TurnDetection.ofWireName(Fields.string(Fields.object(input, "turn_detection"), "type"));
      }
    }
    List<Tool> tools = null;
    if (session.get("tools") instanceof List<?>) {
      tools = new ArrayList<>();
      for (Map<String, Object> t : Fields.objects(session, "tools")) {
        Tool tool = Tool.of(t);
        if (tool != null) {
          tools.add(tool);
        }
      }
    }
    return new SessionConfig(
        Fields.string(session, "instructions"),
        Fields.string(Fields.object(audio, "output"), "voice"),
        Fields.strings(session, "output_modalities"),
        turnDetection,
        Fields.string(Fields.object(input, "transcription"), "model"),
        tools,
        ToolChoice.of(session.get("tool_choice")));
  }

  /** Builds a {@link SessionConfig}; every setting starts unstated (null). Not thread-safe. */
  public static final class Builder {
    private String instructions;
    private String voice;
    private List<String> outputModalities;
    private TurnDetection turnDetection;
    private String transcriptionModel;
    private List<Tool> tools;
    private ToolChoice toolChoice;

    private Builder() {}

    /** The system instructions. */
    public Builder instructions(String instructions) {
      this.instructions = instructions;
      return this;
    }

    /** The output voice. */
    public Builder voice(String voice) {
      this.voice = voice;
      return this;
    }

    /** The output modalities, {@code "audio"} or {@code "text"}. */
    public Builder outputModalities(String... modalities) {
      this.outputModalities = List.of(modalities);
      return this;
    }

    /** How the user's turn ends. */
    public Builder turnDetection(TurnDetection turnDetection) {
      this.turnDetection = turnDetection;
      return this;
    }

    /** The model that transcribes the user's audio. */
    public Builder transcriptionModel(String model) {
      this.transcriptionModel = model;
      return this;
    }

    /** The functions the model may call (replacing any set before). */
    public Builder tools(List<Tool> tools) {
      this.tools = List.copyOf(tools);
      return this;
    }

    /** Adds one function the model may call. */
    public Builder tool(String name, String description, String parametersJson) {
      List<Tool> list = tools == null ? new ArrayList<>() : new ArrayList<>(tools);
      list.add(new Tool(name, description, parametersJson));
      this.tools = list;
      return this;
    }

    /** Whether and which tools the model may call. */
    public Builder toolChoice(ToolChoice toolChoice) {
      this.toolChoice = toolChoice;
      return this;
    }

    /** The configuration. */
    public SessionConfig build() {
      return new SessionConfig(
          instructions,
          voice,
          outputModalities,
          turnDetection,
          transcriptionModel,
          tools,
          toolChoice);
    }
  }
}
