package io.github.jpeer.realtime;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;

/**
 * The sideband control connection to a Realtime call (OpenAI's "server-side controls"): a WebSocket
 * to {@code wss://api.openai.com/v1/realtime?call_id=...}, authorised with the standard API key,
 * over which a server sees the call's events and sends its own (session updates, tool results)
 * while the client holds the media over WebRTC. On the JDK's {@link java.net.http.WebSocket}.
 *
 * <pre>{@code
 * RealtimeSideband control = RealtimeSideband.connect(
 *         RealtimeSideband.DEFAULT_URL, callId, apiKey, listener, (code, reason) -> {})
 *     .join();
 * control.send(new RealtimeClientEvent.FunctionCallOutput(null, callId, "{\"ok\":true}"));
 * control.close();
 * }</pre>
 *
 * <p>Server events are parsed ({@link RealtimeEvents#parse}) and dispatched to the listener on the
 * WebSocket's thread, in order, one at a time: the listener must not block. A message split over
 * several frames is joined first. The API key goes into the {@code Authorization} header only and
 * never into a message or exception of this class.
 */
public final class RealtimeSideband implements AutoCloseable {
  /** The public Realtime WebSocket endpoint. */
  public static final URI DEFAULT_URL = URI.create("wss://api.openai.com/v1/realtime");

  private final WebSocket socket;

  private RealtimeSideband(WebSocket socket) {
    this.socket = socket;
  }

  /**
   * Opens the sideband connection to call {@code callId} (the id from the {@code Location} of the
   * call's creation, e.g. {@code rtc_...}).
   *
   * @param url the Realtime WebSocket endpoint ({@link #DEFAULT_URL}, or a local one in tests)
   * @param callId the call to control
   * @param apiKey the standard API key (not an ephemeral one)
   * @param listener gets every server event
   * @param onClosed gets the close code and reason once the connection ends, by either side or on
   *     failure (code 1006 then, with a reason that never holds the key)
   * @return completes when the connection is open; completes exceptionally with a {@link
   *     RealtimeException} saying why it could not be (HTTP status of a refused upgrade)
   */
  public static CompletableFuture<RealtimeSideband> connect(
      URI url,
      String callId,
      String apiKey,
      RealtimeListener listener,
      BiConsumer<Integer, String> onClosed) {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(listener, "listener");
    Objects.requireNonNull(onClosed, "onClosed");
    if (callId == null || callId.isBlank()) {
      throw new IllegalArgumentException("callId is required: the id of the call to control");
    }
    if (apiKey == null || apiKey.isBlank()) {
      throw new IllegalArgumentException(
          "apiKey is required: the sideband is authorised with the standard API key");
    }
    String separator = url.getRawQuery() == null ? "?" : "&";
    URI target =
        URI.create(
            url + separator + "call_id=" + URLEncoder.encode(callId, StandardCharsets.UTF_8));
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    return http.newWebSocketBuilder()
        .header("Authorization", "Bearer " + apiKey)
        .buildAsync(target, new Events(listener, onClosed))
        .handle(
            (ws, failure) -> {
              if (failure != null) {
                throw new CompletionException(refused(target, failure));
              }
              return new RealtimeSideband(ws);
            });
  }

  private static RealtimeException refused(URI target, Throwable failure) {
    Throwable cause =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    String where = target.getScheme() + "://" + target.getAuthority() + target.getPath();
    if (cause instanceof WebSocketHandshakeException h) {
      int status = h.getResponse().statusCode();
      String hint =
          status == 401 || status == 403
              ? ": check the API key (a standard key, not an" + " ephemeral one)"
              : "";
      return new RealtimeException(
          "sideband " + where + " refused the upgrade: HTTP " + status + hint, status, null);
    }
    return new RealtimeException(
        "sideband " + where + " could not connect: " + cause.getClass().getSimpleName(), -1, null);
  }

  /**
   * Sends one client event.
   *
   * @return completes when it is handed to the connection
   */
  public CompletableFuture<Void> send(RealtimeClientEvent event) {
    Objects.requireNonNull(event, "event");
    return socket.sendText(event.toJson(), true).thenApply(ws -> null);
  }

  /**
   * Sends one client event already written as JSON: what a {@link RealtimeConversation}'s sender is
   * given. The WebSocket takes one message at a time, so this waits until the previous one is
   * handed over (at most 10 s) and is safe from any thread.
   *
   * @throws RealtimeException if the connection is closed or the send failed
   */
  public void sendText(String json) {
    Objects.requireNonNull(json, "json");
    synchronized (socket) {
      try {
        socket.sendText(json, true).get(10, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RealtimeException("interrupted while sending on the sideband", -1, null);
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        throw new RealtimeException(
            "the sideband could not send: " + e.getClass().getSimpleName(), -1, null);
      }
    }
  }

  /** Ends the connection with a normal close (1000); the call itself goes on. */
  @Override
  public void close() {
    if (!socket.isOutputClosed()) {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
    }
  }

  /** Joins a message's frames, parses and dispatches it. */
  private static final class Events implements WebSocket.Listener {
    private final RealtimeListener listener;
    private final BiConsumer<Integer, String> onClosed;
    private final StringBuilder partial = new StringBuilder();
    private boolean ended;

    Events(RealtimeListener listener, BiConsumer<Integer, String> onClosed) {
      this.listener = listener;
      this.onClosed = onClosed;
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String json = partial.toString();
        partial.setLength(0);
        try {
          RealtimeEvents.dispatch(RealtimeEvents.parse(json), listener);
        } catch (RuntimeException e) {
          // the listener's bug: the connection goes on
          System.getLogger(RealtimeSideband.class.getName())
              .log(System.Logger.Level.WARNING, "sideband listener threw", e);
        }
      }
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
      end(statusCode, reason);
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      end(1006, "connection failed: " + error.getClass().getSimpleName());
    }

    private synchronized void end(int code, String reason) {
      if (!ended) {
        ended = true;
        onClosed.accept(code, reason);
      }
    }
  }
}
