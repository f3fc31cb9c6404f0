package io.github.jpeer.dtls;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

/** Waits (bounded, by join) for every jpeer-dtls thread to end and checks none is left. */
final class ThreadLeakCheck {
  private ThreadLeakCheck() {}

  static List<Thread> dtlsThreads() {
    List<Thread> out = new ArrayList<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith("jpeer-dtls-") && t.isAlive()) {
        out.add(t);
      }
    }
    return out;
  }

  static void assertNoDtlsThreadsAfterJoin(long timeoutMillis) throws InterruptedException {
    for (Thread t : dtlsThreads()) {
      t.join(timeoutMillis);
    }
    assertEquals(List.of(), dtlsThreads(), "jpeer-dtls threads still alive");
  }
}
