package io.github.jpeer.benchmarks.scale;

import io.github.jpeer.MediaCodec;
import io.github.jpeer.PeerConfiguration;
import io.github.jpeer.PeerConnection;
import io.github.jpeer.PeerConnectionState;
import io.github.jpeer.PeerLoop;
import io.github.jpeer.SdpType;
import io.github.jpeer.SharedUdpPort;
import java.lang.management.ManagementFactory;
import java.lang.management.RuntimeMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

/**
 * One configuration of {@link ManyCalls}, in the child JVM: set the calls up, let them warm up,
 * measure the steady phase, report. Call {@code i}'s server end is on loop {@code i mod L}, its
 * client end on loop {@code (i+1) mod L}: every loop holds as many server as client ends, and (with
 * more than one loop) every packet crosses from one loop thread to another, as it would between two
 * machines.
 */
final class ScaleRun implements AutoCloseable {
  /** How long a call may take from createOffer until both ends are COMPLETED. */
  static final long CONNECT_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);

  /**
   * After the window closes, how long its last packets may take to arrive (the histogram's 1 s).
   */
  static final long GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);

  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  private final int connections;
  private final int callCount;
  private final String mode;
  private final boolean idle;
  private final long arrivalNanos;
  private final long warmupNanos;
  private final long steadyNanos;

  private final PeerLoop[] loops;
  private final Receiver[] receivers;
  private final Pacer[] pacers; // none when idle
  private final List<List<End>> endsByLoop = new ArrayList<>();
  private final Window window = new Window();
  private final Call[] calls;
  private final AtomicInteger connectedCalls = new AtomicInteger();
  private final AtomicInteger failedCalls = new AtomicInteger();
  private volatile boolean tearingDown;
  private IntFunction<String> serverCountersSource = k -> "";

  ScaleRun(
      int connections,
      int loopCount,
      String mode,
      boolean idle,
      double arrivalSeconds,
      double warmupSeconds,
      double steadySeconds) {
    this.connections = connections;
    this.callCount = connections / 2;
    this.mode = mode;
    this.idle = idle;
    this.arrivalNanos = (long) (arrivalSeconds * 1e9);
    this.warmupNanos = (long) (warmupSeconds * 1e9);
    this.steadyNanos = (long) (steadySeconds * 1e9);
    this.loops = new PeerLoop[loopCount];
    this.receivers = new Receiver[loopCount];
    this.pacers = new Pacer[idle ? 0 : loopCount];
    this.calls = new Call[callCount];
    int perLoop = 2 * (callCount / loopCount + 1);
    for (int k = 0; k < loopCount; k++) {
      loops[k] = PeerLoop.start("scale-" + k);
      receivers[k] = new Receiver(window);
      endsByLoop.add(new ArrayList<>(perLoop));
      if (!idle) {
        pacers[k] = new Pacer("scale-pacer-" + k, perLoop, window);
      }
    }
  }

  // ---------------------------------------------------------------- the modes

  /**
   * The server ends' configuration per loop: the one place where the modes differ. {@code socket}:
   * today's default, sockets of each connection's own (and, by default, an ICE-TCP listener beside
   * each, which the clients ignore). {@code shared}: one {@link SharedUdpPort} per loop and
   * ICE-lite. The client ends are the same in both modes (see {@link #clientEnd}).
   */
  private IntFunction<PeerConfiguration.Builder> serverEnds() {
    switch (mode) {
      case "socket":
        return k ->
            PeerConfiguration.builder()
                .audioCodec(MediaCodec.OPUS)
                .bindAddress(LOOPBACK)
                .includeLoopback(true);
      case "shared":
        SharedUdpPort[] ports = new SharedUdpPort[loops.length];
        for (int k = 0; k < loops.length; k++) {
          ports[k] = loops[k].openSharedPort(new InetSocketAddress(LOOPBACK, 0));
        }
        serverCountersSource =
            k ->
                String.format(
                    Locale.ROOT,
                    "port%d:%s,received=%d,unknownSources=%d,unknownUfrags=%d,conflicts=%d,errors=%d",
                    k,
                    ports[k].localAddress(),
                    ports[k].received(),
                    ports[k].unknownSources(),
                    ports[k].unknownUfrags(),
                    ports[k].addressConflicts(),
                    ports[k].socketErrors());
        return k ->
            PeerConfiguration.builder()
                .audioCodec(MediaCodec.OPUS)
                .sharedPort(ports[k])
                .iceLite(true);
      default:
        throw new IllegalArgumentException("unknown mode " + mode + ": use socket or shared");
    }
  }

  /** The client ends: full ICE on sockets of their own, UDP only, in every mode. */
  private static PeerConfiguration.Builder clientEnd() {
    return PeerConfiguration.builder()
        .audioCodec(MediaCodec.OPUS)
        .bindAddress(LOOPBACK)
        .includeLoopback(true)
        .iceTcp(false);
  }

  // ---------------------------------------------------------------- calls

  /** One call's two ends and when it started. */
  private final class Call {
    final int index;
    long startNanos; // written before the ends are added to their loops
    End server;
    End client;
    final AtomicInteger completedEnds = new AtomicInteger();
    final AtomicBoolean failed = new AtomicBoolean();

    Call(int index) {
      this.index = index;
    }

    boolean connected() {
      return completedEnds.get() == 2;
    }

    long connectNanos() {
      return Math.max(server.completedNanos, client.completedNanos) - startNanos;
    }
  }

  /** One connection and what its state callback saw (on its loop's thread). */
  private final class End {
    final Call call;
    final PeerConnection pc;
    volatile long completedNanos; // 0 until COMPLETED
    volatile boolean left; // left COMPLETED before the teardown

    End(Call call, PeerConnection pc) {
      this.call = call;
      this.pc = pc;
    }

    void onState(PeerConnectionState s) {
      if (s == PeerConnectionState.COMPLETED) {
        if (completedNanos == 0) {
          completedNanos = System.nanoTime();
          if (call.completedEnds.incrementAndGet() == 2) {
            connectedCalls.incrementAndGet();
          }
        }
      } else if (completedNanos != 0) {
        if (!tearingDown
            && (s == PeerConnectionState.DISCONNECTED
                || s == PeerConnectionState.FAILED
                || s == PeerConnectionState.CLOSED)) {
          left = true;
        }
      } else if (s == PeerConnectionState.FAILED || s == PeerConnectionState.CLOSED) {
        if (call.failed.compareAndSet(false, true)) {
          failedCalls.incrementAndGet();
        }
      }
    }
  }

  /**
   * Sets call {@code i} up as a server would with an offer from its signaling: the client offers
   * (host candidates only, so the offer is complete), the server answers and joins its loop, then
   * the client takes the answer and joins its own.
   */
  private void setUp(int i, IntFunction<PeerConfiguration.Builder> serverEnds) throws Exception {
    int sk = i % loops.length;
    int ck = (i + 1) % loops.length;
    Call call = new Call(i);
    PeerConnection server =
        PeerConnection.create(serverEnds.apply(sk).name("call-" + i + "-server").build());
    PeerConnection client;
    try {
      client = PeerConnection.create(clientEnd().name("call-" + i + "-client").build());
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    call.server = new End(call, server);
    call.client = new End(call, client);
    server.onIceConnectionStateChange(call.server::onState);
    client.onIceConnectionStateChange(call.client::onState);
    server.onAudioPacket(receivers[sk]);
    client.onAudioPacket(receivers[ck]);
    endsByLoop.get(sk).add(call.server);
    endsByLoop.get(ck).add(call.client);
    calls[i] = call;
    call.startNanos = System.nanoTime();
    String offer = client.createOffer();
    server.setRemoteDescription(offer, SdpType.OFFER);
    String answer = server.createAnswer();
    // Driven before the client's first check: on a shared port that check finds it by its ufrag.
    loops[sk].add(server).get(10, TimeUnit.SECONDS);
    client.setRemoteDescription(answer, SdpType.ANSWER);
    loops[ck].add(client);
    if (!idle) {
      pacers[sk].add(server);
      pacers[ck].add(client);
    }
  }

  // ---------------------------------------------------------------- the run

  /** Runs the phases; returns the figures as key/value pairs (values without spaces). */
  Map<String, String> run() throws Exception {
    Map<String, String> r = new LinkedHashMap<>();
    r.put("mode", mode);
    r.put("n", Integer.toString(connections));
    r.put("loops", Integer.toString(loops.length));
    r.put("idle", idle ? "1" : "0");
    IntFunction<PeerConfiguration.Builder> serverEnds = serverEnds();
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    RuntimeMXBean runtime = ManagementFactory.getRuntimeMXBean();

    try (JvmWatch jvm = new JvmWatch()) {
      r.put("collectors", jvm.collectorNames().replace(' ', '_'));
      long heapBefore = usedHeapAfterGc();
      for (Pacer p : pacers) {
        p.start();
      }

      // Arrival: calls started evenly over the arrival time (late ones start at once).
      progress(
          "%s: %d calls (%d connections) over %.1f s on %d loops%s",
          mode, callCount, connections, arrivalNanos / 1e9, loops.length, idle ? ", idle" : "");
      jvm.phase(JvmWatch.ARRIVAL);
      long arrivalStart = System.nanoTime();
      int setupErrors = 0;
      String firstSetupError = null;
      long lastStart = arrivalStart;
      for (int i = 0; i < callCount; i++) {
        parkUntil(arrivalStart + (long) ((double) arrivalNanos * i / callCount));
        lastStart = System.nanoTime();
        try {
          setUp(i, serverEnds);
        } catch (Exception | Error e) {
          setupErrors++;
          if (firstSetupError == null) {
            firstSetupError = e.toString();
            System.err.println("call " + i + " could not be set up:");
            e.printStackTrace();
          }
          Call c = calls[i];
          if (c == null || c.failed.compareAndSet(false, true)) {
            failedCalls.incrementAndGet();
          }
        }
      }
      long setupLagNanos =
          lastStart - (arrivalStart + (long) ((double) arrivalNanos * (callCount - 1) / callCount));
      long connectDeadline = lastStart + CONNECT_TIMEOUT_NANOS;
      while (connectedCalls.get() + failedCalls.get() < callCount
          && System.nanoTime() < connectDeadline) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
      }
      long[] connectNanos = new long[callCount];
      int connected = 0;
      long lastCompletion = arrivalStart;
      for (Call c : calls) {
        if (c != null && c.connected()) {
          connectNanos[connected++] = c.connectNanos();
          lastCompletion =
              Math.max(lastCompletion, Math.max(c.server.completedNanos, c.client.completedNanos));
        }
      }
      connectNanos = Arrays.copyOf(connectNanos, connected);
      Arrays.sort(connectNanos);
      int failedEnds = 0;
      for (Call c : calls) {
        failedEnds +=
            c == null || c.server == null
                ? 2
                : (c.server.completedNanos == 0 ? 1 : 0) + (c.client.completedNanos == 0 ? 1 : 0);
      }
      // From the first call's planned start (its create() included) to the last completion.
      double handshakesPerSecond =
          connected == 0 ? 0 : connected / ((lastCompletion - arrivalStart) / 1e9);
      r.put("connected", Integer.toString(connected));
      r.put("calls", Integer.toString(callCount));
      r.put("setupErrors", Integer.toString(setupErrors));
      r.put("connP50Ms", ms(quantile(connectNanos, 0.50)));
      r.put("connP99Ms", ms(quantile(connectNanos, 0.99)));
      r.put("connMaxMs", ms(connected == 0 ? -1 : connectNanos[connected - 1]));
      r.put("hsPerSec", String.format(Locale.ROOT, "%.1f", handshakesPerSecond));
      r.put(
          "plannedHsPerSec", String.format(Locale.ROOT, "%.1f", callCount / (arrivalNanos / 1e9)));
      r.put("setupLagMs", ms(Math.max(0, setupLagNanos)));
      progress(
          "%s: %d of %d calls connected (%d failed), connect p50 %s ms p99 %s ms, %s handshakes/s",
          mode,
          connected,
          callCount,
          failedCalls.get(),
          r.get("connP50Ms"),
          r.get("connP99Ms"),
          r.get("hsPerSec"));

      // Warm-up: media flows (it has since each call connected), nothing is counted. First the
      // set-up's leftovers are promoted (see ManyCalls: Phases).
      System.gc();
      jvm.phase(JvmWatch.WARMUP);
      parkUntil(System.nanoTime() + warmupNanos);

      // Steady: the measured window.
      jvm.phase(JvmWatch.STEADY);
      long[] gc0 = jvm.collections();
      long uptime0 = runtime.getUptime();
      long[] loopThreads = loopThreadIds();
      long alloc0 = allocatedBytes(loopThreads);
      long cpu0 = os.getProcessCpuTime();
      long wall0 = window.open(steadyNanos);
      parkUntil(window.endNanos());
      long cpu1 = os.getProcessCpuTime();
      long alloc1 = allocatedBytes(loopThreads);
      long wall1 = System.nanoTime();
      long uptime1 = runtime.getUptime();
      long[] gc1 = jvm.collections();
      int steadyThreads = jvm.liveThreads();
      jvm.phase(JvmWatch.DONE);
      parkUntil(window.endNanos() + GRACE_NANOS);

      long sent = 0;
      long refused = 0;
      long sendErrors = 0;
      for (Pacer p : pacers) {
        long[] c = p.counts();
        sent += c[0];
        refused += c[1];
        sendErrors += c[2];
      }
      LatencyHistogram latency = new LatencyHistogram();
      long[] receivedAndMalformed = new long[2];
      for (int k = 0; k < loops.length; k++) {
        Receiver rc = receivers[k];
        loops[k]
            .submit(
                () -> {
                  latency.add(rc.histograms[Window.INSIDE]);
                  receivedAndMalformed[0] += rc.received[Window.INSIDE];
                  receivedAndMalformed[1] += rc.malformed;
                })
            .get(10, TimeUnit.SECONDS);
      }
      long received = receivedAndMalformed[0];
      long cpuNanos = cpu1 - cpu0;
      double wallNanos = wall1 - wall0;
      int disconnected = 0;
      for (Call c : calls) {
        if (c != null && c.server != null) {
          for (End e : new End[] {c.server, c.client}) {
            if (e.completedNanos != 0
                && (e.left || e.pc.getState() != PeerConnectionState.COMPLETED)) {
              disconnected++;
            }
          }
        }
      }
      r.put("sent", Long.toString(sent));
      r.put("received", Long.toString(received));
      r.put("refused", Long.toString(refused));
      r.put("sendErrors", Long.toString(sendErrors));
      r.put("malformed", Long.toString(receivedAndMalformed[1]));
      r.put(
          "delivered",
          sent == 0 ? "-" : String.format(Locale.ROOT, "%.5f", (double) received / sent));
      r.put("cores", String.format(Locale.ROOT, "%.2f", cpuNanos / wallNanos));
      r.put(
          "cpuUsPerPacket",
          received == 0 ? "-" : String.format(Locale.ROOT, "%.1f", cpuNanos / 1e3 / received));
      r.put(
          "cpuUsPerConnSec",
          String.format(
              Locale.ROOT, "%.1f", cpuNanos / 1e3 / Math.max(1, connections) / (wallNanos / 1e9)));
      r.put(
          "loopAllocPerPacket",
          received == 0
              ? "-"
              : String.format(Locale.ROOT, "%.0f", (alloc1 - alloc0) / (double) received));
      r.put("latP50Ms", ms(latency.quantileNanos(0.50)));
      r.put("latP90Ms", ms(latency.quantileNanos(0.90)));
      r.put("latP99Ms", ms(latency.quantileNanos(0.99)));
      r.put("latP999Ms", ms(latency.quantileNanos(0.999)));
      r.put("latMaxMs", ms(latency.count() == 0 ? -1 : latency.maxNanos()));
      r.put("latOver1s", Long.toString(latency.overflow()));
      r.put("gcCount", Long.toString(gc1[0] - gc0[0]));
      long maxPause = jvm.maxPauseMillis(uptime0, uptime1);
      if (maxPause < 0) { // no notifications: the mean time per collection instead
        long count = gc1[0] - gc0[0];
        r.put("gcMaxPauseMs", count == 0 ? "0" : "~" + (gc1[1] - gc0[1]) / count);
      } else {
        r.put("gcMaxPauseMs", Long.toString(maxPause));
      }
      r.put("gcTimeMs", Long.toString(gc1[1] - gc0[1]));
      long heapAfter = usedHeapAfterGc();
      r.put(
          "heapKiBPerConn",
          String.format(
              Locale.ROOT, "%.1f", (heapAfter - heapBefore) / 1024.0 / Math.max(1, connections)));
      r.put("failed", Integer.toString(failedEnds));
      r.put("disconnected", Integer.toString(disconnected));
      jvm.close(); // the sampler's peaks are safe to read once it stopped
      r.put("peakThreads", Integer.toString(jvm.peakThreads(JvmWatch.ARRIVAL)));
      r.put("peakDtlsThreads", Integer.toString(jvm.peakDtlsThreads(JvmWatch.ARRIVAL)));
      r.put("peakSteadyThreads", Integer.toString(jvm.peakThreads(JvmWatch.STEADY)));
      r.put("steadyThreads", Integer.toString(steadyThreads));
      r.put("dropped", droppedSummary());
      StringBuilder ports = new StringBuilder();
      for (int k = 0; k < loops.length; k++) {
        String s = serverCountersSource.apply(k);
        if (!s.isEmpty()) {
          ports.append(ports.length() == 0 ? "" : ";").append(s);
        }
      }
      r.put("ports", ports.length() == 0 ? "-" : ports.toString().replace(' ', '_'));
      if (firstSetupError != null) {
        r.put("firstSetupError", firstSetupError.replace(' ', '_'));
      }
    }
    return r;
  }

  /** Every connection's dropped counters summed by reason, largest first: what loss came from. */
  private String droppedSummary() throws Exception {
    Map<String, Long> total = new TreeMap<>();
    for (int k = 0; k < loops.length; k++) {
      List<End> ends = endsByLoop.get(k);
      Map<String, Long> sums =
          loops[k]
              .submit(
                  () -> {
                    Map<String, Long> m = new HashMap<>();
                    for (End e : ends) {
                      e.pc
                          .getStats()
                          .dropped()
                          .forEach((reason, n) -> m.merge(reason, n, Long::sum));
                    }
                    return m;
                  })
              .get(30, TimeUnit.SECONDS);
      sums.forEach((reason, n) -> total.merge(reason, n, Long::sum));
    }
    StringBuilder out = new StringBuilder();
    total.entrySet().stream()
        .filter(e -> e.getValue() > 0)
        .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
        .forEach(
            e ->
                out.append(out.length() == 0 ? "" : ",")
                    .append(e.getKey())
                    .append(':')
                    .append(e.getValue()));
    return out.length() == 0 ? "-" : out.toString();
  }

  /** Closes everything: the pacers, then the loops, which close their connections and ports. */
  @Override
  public void close() {
    tearingDown = true;
    for (Pacer p : pacers) {
      if (p != null) {
        p.close();
      }
    }
    for (PeerLoop loop : loops) {
      if (loop != null) {
        loop.close();
      }
    }
  }

  // ---------------------------------------------------------------- helpers

  private static void parkUntil(long deadlineNanos) {
    for (long left; (left = deadlineNanos - System.nanoTime()) > 0; ) {
      LockSupport.parkNanos(left);
    }
  }

  private static long quantile(long[] sorted, double q) {
    if (sorted.length == 0) {
      return -1;
    }
    int rank = (int) Math.max(1, Math.ceil(q * sorted.length));
    return sorted[rank - 1];
  }

  private static String ms(long nanos) {
    return nanos < 0 ? "-" : String.format(Locale.ROOT, "%.2f", nanos / 1e6);
  }

  private static long usedHeapAfterGc() {
    for (int i = 0; i < 4; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static void progress(String format, Object... args) {
    System.out.println(String.format(Locale.ROOT, format, args));
    System.out.flush();
  }

  /** The PeerLoop threads (named {@code jpeer-loop-*}): where every datagram is read and sent. */
  private static long[] loopThreadIds() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("jpeer-loop-"))
        .mapToLong(Thread::getId)
        .toArray();
  }

  /** Bytes the threads allocated so far (HotSpot's per-thread counters). */
  private static long allocatedBytes(long[] threads) {
    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long sum = 0;
    for (long b : mx.getThreadAllocatedBytes(threads)) {
      sum += Math.max(0, b);
    }
    return sum;
  }
}
