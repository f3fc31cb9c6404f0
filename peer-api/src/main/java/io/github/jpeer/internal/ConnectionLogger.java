package io.github.jpeer.internal;

import java.text.MessageFormat;
import java.util.MissingResourceException;
import java.util.Objects;
import java.util.ResourceBundle;

/**
 * A {@link System.Logger} that puts the connection's name in front of every message, so that a
 * server holding a thousand calls can tell which call a DTLS alert or a consent loss was in. It
 * logs through the logger the application configured (same name, same levels, same backend: JUL,
 * SLF4J or Log4j through their {@code System.LoggerFinder}); only the text gains {@code "name: "}.
 *
 * <p>Every core (ICE agent, DTLS endpoint, SCTP association, media session) takes one of these in
 * its configuration; a core used on its own gets a plain class-named logger instead. The message is
 * formatted here, and only when the level is enabled, so a disabled DEBUG line costs one {@link
 * #isLoggable} call.
 */
public final class ConnectionLogger implements System.Logger {
  private final System.Logger delegate;
  private final String prefix;

  private ConnectionLogger(System.Logger delegate, String connection) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.prefix = Objects.requireNonNull(connection, "connection") + ": ";
  }

  /** Logs to {@code delegate}, each message prefixed with {@code connection}. */
  public static ConnectionLogger of(System.Logger delegate, String connection) {
    return new ConnectionLogger(delegate, connection);
  }

  /** Logs to the logger named {@code loggerName}, each message prefixed with {@code connection}. */
  public static ConnectionLogger of(String loggerName, String connection) {
    return new ConnectionLogger(System.getLogger(loggerName), connection);
  }

  /** The connection name this logger prefixes. */
  public String connection() {
    return prefix.substring(0, prefix.length() - 2);
  }

  @Override
  public String getName() {
    return delegate.getName();
  }

  @Override
  public boolean isLoggable(Level level) {
    return delegate.isLoggable(level);
  }

  @Override
  public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
    if (delegate.isLoggable(level)) {
      delegate.log(level, null, prefix + localize(bundle, msg), thrown);
    }
  }

  @Override
  public void log(Level level, ResourceBundle bundle, String format, Object... params) {
    if (!delegate.isLoggable(level)) {
      return;
    }
    String text = localize(bundle, format);
    if (params != null && params.length > 0) {
      text = new MessageFormat(text).format(params);
    }
    // The formatted text goes out as a plain message: a '{' in a parameter is not a pattern.
    delegate.log(level, null, prefix + text, (Throwable) null);
  }

  private static String localize(ResourceBundle bundle, String key) {
    if (bundle == null || key == null) {
      return String.valueOf(key);
    }
    try {
      return bundle.getString(key);
    } catch (MissingResourceException e) {
      return key;
    }
  }

  @Override
  public String toString() {
    return "ConnectionLogger[" + getName() + ", " + connection() + "]";
  }
}
