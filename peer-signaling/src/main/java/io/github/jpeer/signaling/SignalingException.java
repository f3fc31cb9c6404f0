package io.github.jpeer.signaling;

import java.io.IOException;
import java.util.List;
import java.util.Objects;

/**
 * A signaling exchange failed: the server answered with an error status, sent something that is not
 * what the protocol promises, or did not answer in time. The message is one line a user can act on,
 * e.g. {@code POST https://api.openai.com/v1/realtime/calls: HTTP 401 invalid_api_key: Incorrect
 * API key provided: [redacted]}.
 *
 * <p>It never contains a key or token: the clients of this module hand every exception the
 * credentials of the request that failed, and the message, the server's fields and the messages of
 * the cause chain are scrubbed of them (whole, or any run of 8 or more of their characters, as a
 * server quoting a key would show it), and of anything shaped like an OpenAI key, before they are
 * stored. {@link #toString()} and stack traces show only the scrubbed text.
 */
public final class SignalingException extends IOException {
  private static final long serialVersionUID = 2L;

  private final int status;
  private final String errorCode;
  private final String errorType;
  private final String serverMessage;

  /**
   * A failure with the HTTP {@code status} (0 if no response) and the server's error code. Text
   * shaped like an OpenAI key is redacted from the message.
   */
  public SignalingException(String message, int status, String errorCode, Throwable cause) {
    this(message, status, errorCode, null, null, cause, List.of());
  }

  /**
   * The form this module's clients use: every text is scrubbed of {@code secrets} (the request's
   * credentials) before it is stored.
   */
  SignalingException(
      String message,
      int status,
      String errorCode,
      String errorType,
      String serverMessage,
      Throwable cause,
      List<String> secrets) {
    super(Redactor.scrub(message, secrets), scrubbed(cause, secrets, 0));
    this.status = status;
    this.errorCode = Redactor.scrub(errorCode, secrets);
    this.errorType = Redactor.scrub(errorType, secrets);
    this.serverMessage = Redactor.scrub(serverMessage, secrets);
  }

  /** The HTTP status the server answered with, or 0 if there was no answer. */
  public int status() {
    return status;
  }

  /** The server's machine-readable error code (e.g. OpenAI's {@code invalid_api_key}), or null. */
  public String errorCode() {
    return errorCode;
  }

  /** The server's error type (e.g. OpenAI's {@code invalid_request_error}), or null. */
  public String errorType() {
    return errorType;
  }

  /**
   * The server's own error message (OpenAI's {@code error.message}, scrubbed of keys), or null if
   * it sent none.
   */
  public String serverMessage() {
    return serverMessage;
  }

  /** {@code cause}, or a stand-in with the same stack trace if its messages quote a secret. */
  private static Throwable scrubbed(Throwable cause, List<String> secrets, int depth) {
    if (cause == null || depth > 16) {
      return null;
    }
    Throwable inner = scrubbed(cause.getCause(), secrets, depth + 1);
    String message = cause.getMessage();
    if (Objects.equals(message, Redactor.scrub(message, secrets)) && inner == cause.getCause()) {
      return cause;
    }
    return new RedactedCause(cause, Redactor.scrub(cause.toString(), secrets), inner);
  }

  /** Stands in for a cause whose message quoted a secret: its text scrubbed, its stack kept. */
  private static final class RedactedCause extends Exception {
    private static final long serialVersionUID = 1L;

    RedactedCause(Throwable original, String text, Throwable cause) {
      super(text, cause);
      setStackTrace(original.getStackTrace());
    }

    @Override
    public String toString() {
      return getMessage();
    }
  }
}
