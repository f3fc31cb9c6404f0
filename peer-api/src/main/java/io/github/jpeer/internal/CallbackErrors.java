package io.github.jpeer.internal;

/**
 * What happens when application code called from the loop throws: it is logged (WARNING, with the
 * callback's name) and the loop goes on. A user bug must not stop media for everyone else.
 */
public final class CallbackErrors {
  private static final System.Logger LOG = System.getLogger("io.github.jpeer");

  private CallbackErrors() {}

  /** Logs an exception thrown by the application's {@code callback}. */
  public static void report(String callback, RuntimeException e) {
    LOG.log(System.Logger.Level.WARNING, "the application's " + callback + " threw; ignored", e);
  }
}
