package io.github.jpeer.realtime;

import io.github.jpeer.signaling.internal.Json;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * The conversation logic of a voice agent over one Realtime event channel (the call's {@code
 * oai-events} data channel, or the sideband): server events in ({@link #onMessage}), client events
 * out through a sender, with function calls answered, barge-in acted on, and the assistant's
 * speaking tracked. It owns no connection, thread or clock, so it works the same over a data
 * channel, a WebSocket or a test's list.
 *
 * <pre>{@code
 * RealtimeConversation conversation = RealtimeConversation.builder(events::send) // DataChannel
 *     .listener(myListener)                                  // transcripts, errors, ...
 *     .tools((name, arguments, callId) -> weather.lookup(arguments))  // CompletionStage<String>
 *     .onBargeIn(player::flush)                              // the local playout stops at once
 *     .build();
 * // in the data channel's onMessage:
 * conversation.onMessage(text);
 * }</pre>
 *
 * <p><b>Function calls.</b> When a call's arguments are complete ({@code
 * response.function_call_arguments.done}), the tools are asked; their result goes back as a {@code
 * function_call_output} item followed by {@code response.create}, so the model goes on with it. A
 * tool that fails (throws, or completes exceptionally) is answered with {@code {"error": "..."}} as
 * its output: the model hears of the failure, and nothing is thrown into the caller's loop.
 *
 * <p><b>Barge-in.</b> When the user starts speaking ({@code input_audio_buffer.speech_started}) or
 * the server clears its output ({@code output_audio_buffer.cleared}), {@code onBargeIn} runs at
 * once (flush the jitter buffer and the speaker: the assistant's queued audio must not play on).
 * {@link #interrupt()} does the same for push-to-talk: {@code response.cancel}, then {@code
 * output_audio_buffer.clear}. {@link #assistantSpeaking()} is true from {@code
 * output_audio_buffer.started} to its {@code stopped} or {@code cleared}: a half-duplex client (no
 * echo cancellation) mutes its microphone meanwhile.
 *
 * <p><b>Threads.</b> {@link #onMessage} and the listener run on the caller's thread (the loop
 * thread for a data channel); tool results complete on whatever thread the tool chooses, and are
 * sent from there, so the sender must be thread-safe ({@code DataChannel.send} is).
 */
public final class RealtimeConversation {
  /** Answers the model's function calls. */
  @FunctionalInterface
  public interface Tools {
    /**
     * Runs {@code name} with {@code argumentsJson} (a JSON object as the model wrote it: check it)
     * and completes with the result, a string the model reads (JSON by convention). Must not block
     * the calling thread: run slow work elsewhere and complete the stage from there.
     */
    CompletionStage<String> call(String name, String argumentsJson, String callId);
  }

  private final Consumer<String> sender;
  private final RealtimeListener listener;
  private final Tools tools;
  private final Runnable onBargeIn;
  private volatile boolean assistantSpeaking;
  private volatile String currentResponseId;

  private RealtimeConversation(Builder b) {
    this.sender = b.sender;
    this.listener = b.listener;
    this.tools = b.tools;
    this.onBargeIn = b.onBargeIn;
  }

  /** A builder whose client events go to {@code sender} as JSON text. */
  public static Builder builder(Consumer<String> sender) {
    return new Builder(sender);
  }

  /** Builder of {@link RealtimeConversation}; not thread-safe. */
  public static final class Builder {
    private final Consumer<String> sender;
    private RealtimeListener listener = new RealtimeListener() {};
    private Tools tools;
    private Runnable onBargeIn = () -> {};

    private Builder(Consumer<String> sender) {
      this.sender = Objects.requireNonNull(sender, "sender");
    }

    /** Gets every event, after the conversation has acted on it. */
    public Builder listener(RealtimeListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /** Answers function calls; without tools a call is answered with an error output. */
    public Builder tools(Tools tools) {
      this.tools = Objects.requireNonNull(tools, "tools");
      return this;
    }

    /** Runs when the assistant must stop talking at once: flush the local playout here. */
    public Builder onBargeIn(Runnable onBargeIn) {
      this.onBargeIn = Objects.requireNonNull(onBargeIn, "onBargeIn");
      return this;
    }

    /** The conversation. */
    public RealtimeConversation build() {
      return new RealtimeConversation(this);
    }
  }

  /**
   * One message from the event channel. Never throws for its content; an exception from the
   * listener or from {@code onBargeIn} propagates to the caller.
   *
   * @return the parsed event
   */
  public RealtimeEvent onMessage(String json) {
    return onEvent(RealtimeEvents.parse(json));
  }

  /**
   * One event already parsed (by a transport that parses, such as {@link RealtimeSideband}): acted
   * on, then dispatched to the listener, as {@link #onMessage} does.
   *
   * @return {@code event}
   */
  public RealtimeEvent onEvent(RealtimeEvent event) {
    Objects.requireNonNull(event, "event");
    if (event instanceof RealtimeEvent.SpeechStarted
        || event instanceof RealtimeEvent.OutputAudioBufferCleared) {
      assistantSpeaking = false;
      onBargeIn.run();
    } else if (event instanceof RealtimeEvent.OutputAudioBufferStarted s) {
      assistantSpeaking = true;
      currentResponseId = s.responseId();
    } else if (event instanceof RealtimeEvent.OutputAudioBufferStopped) {
      assistantSpeaking = false;
    } else if (event instanceof RealtimeEvent.ResponseCreated r) {
      currentResponseId = r.responseId();
    } else if (event instanceof RealtimeEvent.FunctionCallArgumentsDone call) {
      answer(call);
    }
    RealtimeEvents.dispatch(event, listener);
    return event;
  }

  /**
   * This conversation as a listener, for a transport that delivers parsed events: each event goes
   * to {@link #onEvent}. With the sideband, a server holds the tools of a call whose media a client
   * holds:
   *
   * <pre>{@code
   * CompletableFuture<RealtimeSideband> link = new CompletableFuture<>();
   * RealtimeConversation tools = RealtimeConversation.builder(json -> link.join().sendText(json))
   *     .tools(myTools)
   *     .build();
   * link.complete(RealtimeSideband.connect(RealtimeSideband.DEFAULT_URL, callId, apiKey,
   *     tools.asListener(), (code, reason) -> {}).join());
   * }</pre>
   */
  public RealtimeListener asListener() {
    return new RealtimeListener() {
      @Override
      public void onEvent(RealtimeEvent event) {
        RealtimeConversation.this.onEvent(event);
      }
    };
  }

  /** Sends one client event. */
  public void send(RealtimeClientEvent event) {
    sender.accept(event.toJson());
  }

  /**
   * Stops the assistant now (push-to-talk, a stop button): {@code response.cancel}, {@code
   * output_audio_buffer.clear} (WebRTC: the server drops the audio it has not sent), and {@code
   * onBargeIn} for what is already here.
   */
  public void interrupt() {
    send(new RealtimeClientEvent.ResponseCancel());
    send(new RealtimeClientEvent.OutputAudioBufferClear());
    assistantSpeaking = false;
    onBargeIn.run();
  }

  /** Whether the server is playing the assistant's audio (half-duplex clients mute meanwhile). */
  public boolean assistantSpeaking() {
    return assistantSpeaking;
  }

  /** The response last created or playing, or null. */
  public String currentResponseId() {
    return currentResponseId;
  }

  private void answer(RealtimeEvent.FunctionCallArgumentsDone call) {
    String callId = call.callId();
    if (callId == null) {
      return; // nothing to answer to
    }
    CompletionStage<String> result;
    try {
      if (tools == null) {
        throw new IllegalStateException("no tools are set up on this client");
      }
      result = Objects.requireNonNull(tools.call(call.name(), call.arguments(), callId), "stage");
    } catch (RuntimeException e) {
      reply(callId, null, e);
      return;
    }
    result.whenComplete((output, failure) -> reply(callId, output, failure));
  }

  private void reply(String callId, String output, Throwable failure) {
    String text = output;
    if (failure != null || output == null) {
      Throwable cause =
          failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
              ? failure.getCause()
              : failure;
      String why =
          cause == null
              ? "the tool returned nothing"
              : cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
      text = Json.write(Map.of("error", why));
    }
    send(new RealtimeClientEvent.FunctionCallOutput(callId, text));
    send(new RealtimeClientEvent.ResponseCreate());
  }
}
