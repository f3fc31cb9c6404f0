package io.github.jpeer.realtime;

/**
 * A Realtime session could not do what was asked: the server refused (its HTTP status and, where it
 * gave one, its error code), or the connection failed. The message says what to do where it can,
 * and never holds an API key, an ephemeral key or any other secret.
 */
public final class RealtimeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String code;
  private final String callId;

  /**
   * A failure with {@code message} (already free of secrets).
   *
   * @param status the HTTP status, or -1 if no answer came
   * @param code the server's error code, or null
   */
  public RealtimeException(String message, int status, String code) {
    this(message, status, code, null);
  }

  /**
   * A failure of call {@code callId}, which the server had created before it failed (give it to
   * OpenAI's support, or look it up in the logs).
   *
   * @param callId the call's id ({@code rtc_...}), or null
   */
  public RealtimeException(String message, int status, String code, String callId) {
    super(message);
    this.status = status;
    this.code = code;
    this.callId = callId;
  }

  /** The call the failure belongs to, if the server had created it; else null. */
  public String callId() {
    return callId;
  }

  /** The HTTP status of the refusal, or -1 if no answer came. */
  public int status() {
    return status;
  }

  /** The server's error code (e.g. {@code invalid_api_key}), or null. */
  public String code() {
    return code;
  }
}
