package io.github.jpeer.signaling;

import java.io.IOException;

/**
 * A signaling exchange failed: the server answered with an error status, sent something that is not
 * what the protocol promises, or did not answer in time. The message is one line a user can act on;
 * it never contains a key or token.
 */
public final class SignalingException extends IOException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String errorCode;

  /** A failure with the HTTP {@code status} (0 if no response) and the server's error code. */
  public SignalingException(String message, int status, String errorCode, Throwable cause) {
    super(message, cause);
    this.status = status;
    this.errorCode = errorCode;
  }

  /** The HTTP status the server answered with, or 0 if there was no answer. */
  public int status() {
    return status;
  }

  /** The server's machine-readable error code (e.g. OpenAI's {@code invalid_api_key}), or null. */
  public String errorCode() {
    return errorCode;
  }
}
