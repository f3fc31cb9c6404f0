package io.github.jpeer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.ListResourceBundle;
import java.util.ResourceBundle;
import org.junit.jupiter.api.Test;

class ConnectionLoggerTest {
  /** A logger that records what reaches it and is enabled from {@code threshold} up. */
  private static final class Recording implements System.Logger {
    final List<String> messages = new ArrayList<>();
    final List<Throwable> thrown = new ArrayList<>();
    final Level threshold;

    Recording(Level threshold) {
      this.threshold = threshold;
    }

    @Override
    public String getName() {
      return "recording";
    }

    @Override
    public boolean isLoggable(Level level) {
      return level.getSeverity() >= threshold.getSeverity();
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String msg, Throwable t) {
      assertEquals(null, bundle, "the prefixed text is final: no bundle lookup downstream");
      messages.add(level + " " + msg);
      thrown.add(t);
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String format, Object... params) {
      throw new AssertionError("the delegate must get formatted text, got pattern " + format);
    }
  }

  @Test
  void everyMessageStartsWithTheConnectionAndIsFormattedOnce() {
    Recording r = new Recording(Level.DEBUG);
    System.Logger log = ConnectionLogger.of(r, "call-17");
    log.log(Level.DEBUG, "DTLS alert received: {0} from {1}", "fatal bad_certificate", "peer {x}");
    log.log(Level.WARNING, "plain");
    IllegalStateException e = new IllegalStateException("boom");
    log.log(Level.WARNING, "the application's onTrack threw; ignored", e);
    assertEquals(
        List.of(
            "DEBUG call-17: DTLS alert received: fatal bad_certificate from peer {x}",
            "WARNING call-17: plain",
            "WARNING call-17: the application's onTrack threw; ignored"),
        r.messages);
    assertSame(e, r.thrown.get(2));
    assertEquals("recording", log.getName());
  }

  @Test
  void aDisabledLevelFormatsNothing() {
    Recording r = new Recording(Level.INFO);
    System.Logger log = ConnectionLogger.of(r, "c");
    Object expensive =
        new Object() {
          @Override
          public String toString() {
            throw new AssertionError("formatted although DEBUG is off");
          }
        };
    log.log(Level.DEBUG, "value {0}", expensive);
    log.log(Level.DEBUG, () -> "supplied " + expensive);
    assertTrue(r.messages.isEmpty(), r.messages.toString());
    assertTrue(!log.isLoggable(Level.DEBUG) && log.isLoggable(Level.INFO));
  }

  @Test
  void aBundleKeyIsLocalizedBeforeThePrefix() {
    Recording r = new Recording(Level.ALL);
    ResourceBundle bundle =
        new ListResourceBundle() {
          @Override
          protected Object[][] getContents() {
            return new Object[][] {{"lost", "consent lost on {0}"}};
          }
        };
    System.Logger log = ConnectionLogger.of(r, "c");
    log.log(Level.INFO, bundle, "lost", "pair 1");
    log.log(Level.INFO, bundle, "missing key", (Throwable) null);
    assertEquals(List.of("INFO c: consent lost on pair 1", "INFO c: missing key"), r.messages);
  }

  @Test
  void byNameUsesTheNamedLogger() {
    ConnectionLogger log = ConnectionLogger.of("io.github.jpeer.test.named", "pc-3");
    assertEquals("io.github.jpeer.test.named", log.getName());
    assertEquals("pc-3", log.connection());
    assertTrue(log.toString().contains("pc-3"), log.toString());
  }
}
