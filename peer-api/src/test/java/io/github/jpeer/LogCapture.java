package io.github.jpeer;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Records what is logged under one logger name, at every level, through the JDK's default {@code
 * System.Logger} backend (java.util.logging). Close it to restore the logger.
 */
final class LogCapture implements AutoCloseable {
  private final Logger logger; // held: JUL keeps loggers only weakly
  private final Level previousLevel;
  private final Handler handler;
  private final List<String> lines = new ArrayList<>();

  private LogCapture(String loggerName) {
    logger = Logger.getLogger(loggerName);
    previousLevel = logger.getLevel();
    SimpleFormatter formatter = new SimpleFormatter();
    handler =
        new Handler() {
          @Override
          public void publish(LogRecord r) {
            synchronized (lines) {
              lines.add(formatter.formatMessage(r));
            }
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    handler.setLevel(Level.ALL);
    logger.setLevel(Level.ALL);
    logger.addHandler(handler);
  }

  /** Starts recording everything logged under {@code loggerName} and the loggers below it. */
  static LogCapture of(String loggerName) {
    return new LogCapture(loggerName);
  }

  /** The messages logged so far, formatted, in order. */
  List<String> lines() {
    synchronized (lines) {
      return List.copyOf(lines);
    }
  }

  @Override
  public void close() {
    logger.removeHandler(handler);
    logger.setLevel(previousLevel);
  }
}
