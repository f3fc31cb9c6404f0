package io.github.jpeer.internal;

/**
 * What happens when application code called from the loop throws: it is logged (WARNING, with the
 * callback's name) and the loop goes on. A user bug must not stop media for everyone else.
 */
public final class CallbackErrors {
  private CallbackErrors() {}

  /** Logs, to the connection's {@code log}, an exception thrown by the application's callback. */
  public static void report(System.Logger log, String callback, RuntimeException e) {
    log.log(System.Logger.Level.WARNING, "the application's " + callback + " threw; ignored", e);
  }
}
