package io.github.jpeer.realtime;

import java.util.List;

/**
 * Receives server events from {@link RealtimeEvents#dispatch(RealtimeEvent, RealtimeListener)}.
 * Every method is a no-op by default: override those you need. Calls come on the thread that calls
 * {@code dispatch}, one at a time and in the order of the events; they should return quickly, since
 * the next event waits.
 *
 * <p>Every event goes first to {@link #onEvent(RealtimeEvent)}, then to at most one method of its
 * family. Events with no family method here ({@code input_audio_buffer.committed} and {@code
 * .cleared}, {@code conversation.item.*}, {@code response.created}, {@code
 * response.function_call_arguments.delta}, {@code output_audio_buffer.*}) reach only {@code
 * onEvent}.
 */
public interface RealtimeListener {
  /** Any event, before the method of its family. */
  default void onEvent(RealtimeEvent event) {}

  /**
   * {@code session.created} ({@code created} true) or {@code session.updated}.
   *
   * @param sessionId the session's id, or null if absent
   * @param session the settings the server reports
   */
  default void onSession(String sessionId, SessionConfig session, boolean created) {}

  /**
   * The user began to speak ({@code input_audio_buffer.speech_started}): with turn detection, the
   * moment to stop playing the assistant (barge-in).
   *
   * @param audioStartMillis where in the input audio, -1 if not given
   */
  default void onSpeechStarted(String itemId, long audioStartMillis) {}

  /**
   * The user stopped speaking ({@code input_audio_buffer.speech_stopped}).
   *
   * @param audioEndMillis where in the input audio, -1 if not given
   */
  default void onSpeechStopped(String itemId, long audioEndMillis) {}

  /**
   * The user's transcript: a piece ({@code isFinal} false, from {@code
   * conversation.item.input_audio_transcription.delta}) or the whole text of the item ({@code
   * isFinal} true, from {@code .completed}). Sent only when the session has a transcription model.
   *
   * @param text never null (empty if the server sent none)
   */
  default void onUserTranscript(String itemId, String text, boolean isFinal) {}

  /**
   * The transcript of what the assistant says: a piece ({@code
   * response.output_audio_transcript.delta}) or the whole text of the item ({@code .done}).
   *
   * @param text never null (empty if the server sent none)
   */
  default void onAssistantTranscript(String itemId, String text, boolean isFinal) {}

  /**
   * The assistant's text answer (output modality {@code text}): a piece ({@code
   * response.output_text.delta}) or the whole text of the item ({@code .done}).
   *
   * @param text never null (empty if the server sent none)
   */
  default void onAssistantText(String itemId, String text, boolean isFinal) {}

  /**
   * The model called a function ({@code response.function_call_arguments.done}). A notification
   * only, for now: to answer, send {@link RealtimeClientEvent.FunctionCallOutput} with the same
   * {@code callId}, then {@link RealtimeClientEvent.ResponseCreate}.
   *
   * @param callId the call's {@code call_id}
   * @param name the function's name (may be null from servers before GA: see {@link
   *     RealtimeEvent.FunctionCallArgumentsDone#name()})
   * @param argumentsJson the arguments as the model wrote them, meant to be a JSON object
   * @param itemId the function call item
   */
  default void onFunctionCall(String callId, String name, String argumentsJson, String itemId) {}

  /**
   * A response ended ({@code response.done}).
   *
   * @param status {@code completed}, {@code cancelled}, {@code failed} or {@code incomplete}
   * @param usage the tokens it used, {@link Usage#NONE} if not reported
   */
  default void onResponseDone(String responseId, String status, Usage usage) {}

  /** The rate limits as they stand ({@code rate_limits.updated}). */
  default void onRateLimits(List<RateLimit> rateLimits) {}

  /** The server reported an error ({@code error}). */
  default void onError(RealtimeEvent.ErrorEvent error) {}

  /** An event of a type this version does not model ({@link RealtimeEvent.Unknown}). */
  default void onUnknown(String type, String json) {}

  /** A message that is not an event ({@link RealtimeEvent.Malformed}). */
  default void onMalformed(String json, String reason) {}
}
