package io.github.jpeer.benchmarks.scale;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * What the JVM says about a run: live threads sampled every 100 ms per phase (and, while calls are
 * set up, how many are DTLS handshake threads), and every GC pause with its start time, from {@code
 * com.sun.management} GC notifications.
 */
final class JvmWatch implements AutoCloseable {
  static final int ARRIVAL = 0;
  static final int WARMUP = 1;
  static final int STEADY = 2;
  static final int DONE = 3;

  private static final String DTLS_THREAD = "jpeer-dtls-handshake-";

  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final ScheduledExecutorService sampler;
  private volatile int phase = DONE;
  private final int[] peakThreads = new int[4]; // sampler thread only; read after close()
  private final int[] peakDtlsThreads = new int[4];

  /** GC pauses as {uptime at start ms, duration ms}; guarded by itself. */
  private final List<long[]> pauses = new ArrayList<>();

  private final List<String> pauseCollectors = new ArrayList<>();
  private boolean notifications;

  JvmWatch() {
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (!isPauseCollector(gc.getName())) {
        continue;
      }
      pauseCollectors.add(gc.getName());
      if (gc instanceof NotificationEmitter emitter) {
        notifications = true;
        emitter.addNotificationListener(
            (n, handback) -> {
              if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(
                  n.getType())) {
                GarbageCollectionNotificationInfo info =
                    GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
                synchronized (pauses) {
                  pauses.add(
                      new long[] {info.getGcInfo().getStartTime(), info.getGcInfo().getDuration()});
                }
              }
            },
            null,
            null);
      }
    }
    ScheduledThreadPoolExecutor s =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "scale-thread-sampler");
              t.setDaemon(true);
              return t;
            });
    this.sampler = s;
    sampler.scheduleAtFixedRate(this::sample, 0, 100, TimeUnit.MILLISECONDS);
  }

  /**
   * Collectors whose collections are pauses: G1's young and old (full) ones, Parallel's, Serial's,
   * ZGC's and Shenandoah's "Pauses" beans; not their "Cycles" or G1's "Concurrent GC", which run
   * beside the application.
   */
  private static boolean isPauseCollector(String name) {
    return !name.contains("Cycles") && !name.contains("Concurrent");
  }

  void phase(int phase) {
    this.phase = phase;
  }

  private void sample() {
    int p = phase;
    if (p == DONE) {
      return;
    }
    peakThreads[p] = Math.max(peakThreads[p], threads.getThreadCount());
    if (p == ARRIVAL) { // names cost an array per sample: only while handshakes come and go
      int dtls = 0;
      for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds(), 0)) {
        if (info != null && info.getThreadName().startsWith(DTLS_THREAD)) {
          dtls++;
        }
      }
      peakDtlsThreads[p] = Math.max(peakDtlsThreads[p], dtls);
    }
  }

  int liveThreads() {
    return threads.getThreadCount();
  }

  /** Collections by the pause collectors so far, and their accumulated time in ms. */
  long[] collections() {
    long count = 0;
    long millis = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (pauseCollectors.contains(gc.getName())) {
        count += Math.max(0, gc.getCollectionCount());
        millis += Math.max(0, gc.getCollectionTime());
      }
    }
    return new long[] {count, millis};
  }

  /**
   * The longest GC pause that started within {@code [fromUptimeMillis, toUptimeMillis)}, in ms, or
   * -1 without notifications.
   */
  long maxPauseMillis(long fromUptimeMillis, long toUptimeMillis) {
    if (!notifications) {
      return -1;
    }
    long max = 0;
    synchronized (pauses) {
      for (long[] p : pauses) {
        if (p[0] >= fromUptimeMillis && p[0] < toUptimeMillis) {
          max = Math.max(max, p[1]);
        }
      }
    }
    return max;
  }

  String collectorNames() {
    return String.join("+", pauseCollectors);
  }

  /** Stops sampling; the peaks can be read after this. */
  @Override
  public void close() throws InterruptedException {
    sampler.shutdown();
    sampler.awaitTermination(5, TimeUnit.SECONDS);
  }

  int peakThreads(int phase) {
    return peakThreads[phase];
  }

  int peakDtlsThreads(int phase) {
    return peakDtlsThreads[phase];
  }
}
