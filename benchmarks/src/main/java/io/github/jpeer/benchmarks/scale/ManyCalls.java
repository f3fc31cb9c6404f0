package io.github.jpeer.benchmarks.scale;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A system benchmark (issue 19): N jpeer connections, that is N/2 Opus calls with both ends in this
 * machine on 127.0.0.1, on L {@link io.github.jpeer.PeerLoop}s; each end sends 20 ms frames of 80
 * bytes at 50 packets/s each way. What a server's per-packet costs are with thousands of live
 * sessions, which a microbenchmark of one session (its tables in L1) does not show.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.github.jpeer.benchmarks.scale.ManyCalls \
 *     --n 100,500,1000,2000 --loops 2 --modes socket,shared --arrival 10 --steady 20
 * java -cp benchmarks/target/benchmarks.jar io.github.jpeer.benchmarks.scale.ManyCalls --idle 5000
 * </pre>
 *
 * <p>Each (N, mode) runs in a child JVM of its own (this java binary and class path, {@code -Xmx}
 * from {@code --heap}, more from {@code --jvm}), so that one configuration's garbage, JIT state and
 * threads do not reach the next; this process prints a row per configuration at the end, and a
 * child's stderr when it fails.
 *
 * <p><b>Phases.</b> Arrival: call {@code i} starts at {@code i * arrival / calls} (client offers,
 * server answers; host candidates, no trickle); media flows on a call once it is COMPLETED. Then
 * one {@code System.gc()}, as JMH runs between iterations, so that what the calls' set-up left in
 * the young generation is promoted before the window rather than copied by its first young
 * collection (tens of ms at 2000 connections: a set-up cost, not the steady state's); then a
 * warm-up ({@code --warmup}, 10 s: C2 has compiled the per-packet paths by then), then the measured
 * steady window. A packet counts by the send time it carries: sent inside the window on the sender,
 * received of those on the receiver, waiting 1 s after the window for the last ones.
 *
 * <p><b>Placement.</b> Call {@code i}'s server end is on loop {@code i mod L}, its client end on
 * loop {@code (i+1) mod L}: each loop holds equal shares of server and client ends, and with L &gt;
 * 1 every packet crosses from one loop thread to another, as between two machines. A pacer thread
 * per loop sends with {@code sendAudio} (see {@link Pacer}), spread over the 20 ms period.
 *
 * <p><b>Modes</b> differ in the server ends only ({@link ScaleRun}'s {@code serverEnds}): {@code
 * socket} is today's default, sockets of each connection's own; {@code shared} puts each loop's
 * server ends on one {@link io.github.jpeer.SharedUdpPort} with ICE-lite. The client ends are full
 * ICE on sockets of their own, UDP only ({@code iceTcp(false)}), in both modes.
 *
 * <p><b>Figures.</b> Connect time is createOffer until both ends are COMPLETED; handshakes/s is
 * calls connected over the time from the first call's planned start to the last completion (about
 * the planned rate, calls over arrival, while setup and handshakes keep up; below it when not).
 * Peak threads and DTLS handshake threads ({@code jpeer-dtls-handshake-*}) are sampled every 100 ms
 * while calls arrive. CPU is the process's CPU time over the window's wall time (so both ends, the
 * pacers and the JVM's own threads); per delivered packet, each packet carrying one send and one
 * receive. Latency is send-to-callback (frame stamped just before {@code sendAudio}, read in the
 * {@code onAudioPacket} callback), from 10 us buckets up to 1 s; GC pauses from GC notifications;
 * heap per connection is the used heap after {@code System.gc()} at the end of the window minus
 * before the first call. Failed: connections not COMPLETED within 30 s of their call's start; disc:
 * connections that left COMPLETED afterwards.
 *
 * <p><b>Repeats</b> ({@code --repeat K}): each configuration runs K times, one row per run, then a
 * line per configuration with the median and range of the figures that vary most. On a shared
 * virtual machine a run's tail can be the host's: on the 2-core machine of the README the loop
 * threads fell behind by 30-90 ms in episodes of 0.1-3 s in which {@code perf record -a} took a
 * quarter to a half fewer samples than the two CPUs' share (the vCPUs were not running; the guest's
 * steal counter stayed at 0), with no safepoint, compilation or GC in the JVM's logs; a run without
 * such an episode had a p99 of 4.7 ms at 2000 connections, one with them 20-45 ms.
 *
 * <p><b>Idle</b> ({@code --idle N}): N connections set up the same way and held without media for
 * the steady time, consent checks running: CPU, heap per connection, threads, and whether all
 * stayed connected.
 */
public final class ManyCalls {
  private ManyCalls() {}

  /** Child-process slack beyond its phases (JVM start, GCs, teardown). */
  private static final long CHILD_SLACK_SECONDS = 120;

  private static final String RESULT = "RESULT ";

  /** The parsed command line. */
  record Options(
      List<Integer> connections,
      int loops,
      List<String> modes,
      double arrivalSeconds,
      double steadySeconds,
      double warmupSeconds,
      int idle,
      int repeat,
      String heap,
      List<String> jvmArgs,
      boolean child) {}

  /** Runs the configurations (or, with {@code --child}, one of them); see the class comment. */
  public static void main(String[] args) throws Exception {
    Options o;
    try {
      o = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println(usage());
      System.exit(2);
      return;
    }
    if (o.child()) {
      System.exit(child(o));
    }
    parent(o);
  }

  private static String usage() {
    return String.join(
        "\n",
        "usage: ManyCalls [options]",
        "  --n 100,500,1000,2000   connections per configuration (even: N/2 calls)",
        "  --loops 2               PeerLoops (threads) the connections are spread over",
        "  --modes socket,shared   socket: a UDP socket per connection; shared: server ends on one",
        "                          SharedUdpPort per loop with ICE-lite",
        "  --arrival 10            seconds over which the calls are set up, evenly",
        "  --warmup 10             seconds of media after all connected, not measured",
        "  --steady 20             seconds measured",
        "  --idle 5000             instead: hold this many connections idle (no media) for the",
        "                          steady time",
        "  --repeat 1              runs of each configuration (this machine's runs vary: see the",
        "                          README); rows in order, then each one's spread",
        "  --heap 4g               the child JVMs' -Xmx",
        "  --jvm '-XX:+UseZGC ...' more child JVM options, space-separated");
  }

  static Options parse(String[] args) {
    List<Integer> n = List.of(100, 500, 1000, 2000);
    int loops = 2;
    List<String> modes = List.of("socket", "shared");
    double arrival = 10;
    double steady = 20;
    double warmup = 10;
    int idle = 0;
    int repeat = 1;
    String heap = "4g";
    List<String> jvm = List.of();
    boolean child = false;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--child")) {
        child = true;
        continue;
      }
      if (a.equals("--help") || a.equals("-h")) {
        throw new IllegalArgumentException("ManyCalls: a system benchmark of N calls");
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(a + " needs a value");
      }
      String v = args[++i];
      try {
        switch (a) {
          case "--n" -> {
            n = new ArrayList<>();
            for (String s : v.split(",")) {
              n.add(Integer.parseInt(s.trim()));
            }
          }
          case "--loops" -> loops = Integer.parseInt(v);
          case "--modes" -> modes = List.of(v.split(","));
          case "--arrival" -> arrival = Double.parseDouble(v);
          case "--steady" -> steady = Double.parseDouble(v);
          case "--warmup" -> warmup = Double.parseDouble(v);
          case "--idle" -> idle = Integer.parseInt(v);
          case "--repeat" -> repeat = Integer.parseInt(v);
          case "--heap" -> heap = v;
          case "--jvm" -> jvm = v.isBlank() ? List.of() : List.of(v.trim().split("\\s+"));
          default -> throw new IllegalArgumentException("unknown option " + a);
        }
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(a + " needs a number, got " + v);
      }
    }
    if (idle > 0 && !child) {
      n = List.of(idle);
    }
    for (int c : n) {
      if (c < 2 || c % 2 != 0) {
        throw new IllegalArgumentException("connections must be even and at least 2, got " + c);
      }
    }
    for (String m : modes) {
      if (!m.equals("socket") && !m.equals("shared")) {
        throw new IllegalArgumentException("unknown mode " + m + ": use socket or shared");
      }
    }
    if (loops < 1 || repeat < 1 || arrival <= 0 || steady <= 0 || warmup < 0) {
      throw new IllegalArgumentException(
          "--loops and --repeat must be at least 1, --arrival and --steady above 0, --warmup not"
              + " negative");
    }
    return new Options(n, loops, modes, arrival, steady, warmup, idle, repeat, heap, jvm, child);
  }

  // ---------------------------------------------------------------- the child

  private static int child(Options o) {
    int n = o.connections().get(0);
    ScaleRun run =
        new ScaleRun(
            n,
            o.loops(),
            o.modes().get(0),
            o.idle() > 0,
            o.arrivalSeconds(),
            o.warmupSeconds(),
            o.steadySeconds());
    try {
      Map<String, String> r = run.run();
      StringBuilder line = new StringBuilder(RESULT);
      r.forEach((k, v) -> line.append(k).append('=').append(v).append(' '));
      System.out.println(line.toString().trim());
      System.out.flush();
      return 0;
    } catch (Exception | Error e) {
      System.err.println("ManyCalls child failed: " + e);
      e.printStackTrace();
      return 1;
    } finally {
      run.close();
    }
  }

  // ---------------------------------------------------------------- the parent

  private static void parent(Options o) throws Exception {
    printMachine(o);
    List<Map<String, String>> rows = new ArrayList<>();
    List<String> spreads = new ArrayList<>();
    for (int n : o.connections()) {
      for (String mode : o.modes()) {
        List<Map<String, String>> runs = new ArrayList<>();
        for (int r = 1; r <= o.repeat(); r++) {
          Map<String, String> row = runChild(o, n, mode);
          if (o.repeat() > 1) {
            row.put("mode", mode + "/" + r);
          }
          runs.add(row);
        }
        rows.addAll(runs);
        if (o.repeat() > 1 && o.idle() == 0) {
          spreads.add(spread(mode, n, runs));
        }
      }
    }
    System.out.println();
    System.out.println(o.idle() > 0 ? idleTable(rows) : mediaTable(rows));
    if (!spreads.isEmpty()) {
      System.out.println();
      System.out.println("spread over the " + o.repeat() + " runs of each configuration:");
      spreads.forEach(System.out::println);
    }
  }

  /** The figures that vary most from run to run, as median and range over the runs. */
  static String spread(String mode, int n, List<Map<String, String>> runs) {
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %-6s %5d", mode, n));
    for (String[] f :
        new String[][] {
          {"latency p99", "latP99Ms"},
          {"p99.9", "latP999Ms"},
          {"GC max", "gcMaxPauseMs"},
          {"us/pkt", "cpuUsPerPacket"}
        }) {
      List<Double> v = new ArrayList<>();
      for (Map<String, String> r : runs) {
        try {
          v.add(Double.parseDouble(r.getOrDefault(f[1], "")));
        } catch (NumberFormatException e) {
          // a failed run has no figures: left out
        }
      }
      if (v.isEmpty()) {
        line.append("  ").append(f[0]).append(" -");
        continue;
      }
      v.sort(null);
      boolean whole =
          v.stream().allMatch(d -> d == Math.rint(d)) && median(v) == Math.rint(median(v));
      String format = whole ? "  %s %.0f (%.0f-%.0f)" : "  %s %.2f (%.2f-%.2f)";
      line.append(
          String.format(Locale.ROOT, format, f[0], median(v), v.get(0), v.get(v.size() - 1)));
    }
    int failed = 0;
    for (Map<String, String> r : runs) {
      failed += r.containsKey("error") ? 1 : 0;
    }
    return failed == 0 ? line.toString() : line + "  (" + failed + " run(s) failed)";
  }

  static double median(List<Double> sorted) {
    int k = sorted.size();
    return k % 2 == 1 ? sorted.get(k / 2) : (sorted.get(k / 2 - 1) + sorted.get(k / 2)) / 2;
  }

  private static void printMachine(Options o) {
    String model = "unknown";
    StringBuilder flags = new StringBuilder();
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name") && model.equals("unknown")) {
          model = line.substring(line.indexOf(':') + 1).trim();
        } else if (line.startsWith("flags")) {
          List<String> f = List.of(line.substring(line.indexOf(':') + 1).trim().split(" "));
          for (String want : new String[] {"sha_ni", "vaes", "avx512f"}) {
            flags.append(want).append(f.contains(want) ? "+ " : "- ");
          }
          break;
        }
      }
    } catch (IOException e) {
      // not Linux: the model stays unknown
    }
    System.out.printf(
        Locale.ROOT,
        "ManyCalls: CPU %s (%s), %d cores; java %s; child -Xmx%s %s%n",
        model,
        flags.toString().trim(),
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"),
        o.heap(),
        String.join(" ", o.jvmArgs()));
    System.out.printf(
        Locale.ROOT,
        "%d loops, arrival %.0f s, warm-up %.0f s, steady %.0f s%s%n",
        o.loops(),
        o.arrivalSeconds(),
        o.warmupSeconds(),
        o.steadySeconds(),
        o.idle() > 0 ? ", idle (no media)" : ", 80-byte Opus frames at 50/s each way");
  }

  /** Runs one configuration in a child JVM; returns its figures, or {@code error} and the mode. */
  private static Map<String, String> runChild(Options o, int n, String mode) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx" + o.heap());
    cmd.addAll(o.jvmArgs());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(ManyCalls.class.getName());
    cmd.add("--child");
    for (String[] kv :
        new String[][] {
          {"--n", Integer.toString(n)},
          {"--modes", mode},
          {"--loops", Integer.toString(o.loops())},
          {"--arrival", Double.toString(o.arrivalSeconds())},
          {"--warmup", Double.toString(o.warmupSeconds())},
          {"--steady", Double.toString(o.steadySeconds())},
          {"--idle", Integer.toString(o.idle())}
        }) {
      cmd.add(kv[0]);
      cmd.add(kv[1]);
    }
    System.out.printf(Locale.ROOT, "%n== %s, %d connections ==%n", mode, n);
    Path stderr = Files.createTempFile("manycalls-" + mode + "-" + n + "-", ".stderr");
    Process p =
        new ProcessBuilder(cmd)
            .redirectError(stderr.toFile())
            .redirectInput(ProcessBuilder.Redirect.PIPE)
            .start();
    p.getOutputStream().close();
    Map<String, String> result = new LinkedHashMap<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                  if (line.startsWith(RESULT)) {
                    synchronized (result) {
                      result.putAll(parseResult(line.substring(RESULT.length())));
                    }
                  } else {
                    System.out.println("  | " + line);
                  }
                }
              } catch (IOException e) {
                System.out.println("  | (reading the child's output failed: " + e + ")");
              }
            },
            "manycalls-child-output");
    reader.setDaemon(true);
    reader.start();
    long limitSeconds =
        (long)
                (o.arrivalSeconds()
                    + ScaleRun.CONNECT_TIMEOUT_NANOS / 1e9
                    + o.warmupSeconds()
                    + o.steadySeconds())
            + CHILD_SLACK_SECONDS;
    boolean exited = p.waitFor(limitSeconds, TimeUnit.SECONDS);
    if (!exited) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
    reader.join(TimeUnit.SECONDS.toMillis(5));
    List<String> errLines = Files.readAllLines(stderr, StandardCharsets.UTF_8);
    Map<String, String> row;
    synchronized (result) {
      row = new LinkedHashMap<>(result);
    }
    if (!exited || p.exitValue() != 0 || row.isEmpty()) {
      String why = !exited ? "timed out after " + limitSeconds + " s" : "exit " + p.exitValue();
      System.out.println("  child FAILED (" + why + "); its stderr (" + stderr + "):");
      int from = Math.max(0, errLines.size() - 80);
      if (from > 0) {
        System.out.println("  ! ... " + from + " lines before");
      }
      for (String line : errLines.subList(from, errLines.size())) {
        System.out.println("  ! " + line);
      }
      Map<String, String> failed = new LinkedHashMap<>();
      failed.put("mode", mode);
      failed.put("n", Integer.toString(n));
      failed.put("error", why);
      return failed;
    }
    System.out.println("  | " + detail(row));
    if (errLines.isEmpty()) {
      Files.deleteIfExists(stderr);
    } else {
      System.out.println(
          "  child wrote " + errLines.size() + " lines to stderr (" + stderr + "), first ones:");
      for (String line : errLines.subList(0, Math.min(10, errLines.size()))) {
        System.out.println("  ! " + line);
      }
    }
    return row;
  }

  static Map<String, String> parseResult(String line) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String kv : line.trim().split(" ")) {
      int eq = kv.indexOf('=');
      if (eq > 0) {
        m.put(kv.substring(0, eq), kv.substring(eq + 1));
      }
    }
    return m;
  }

  /** The figures the table leaves out. */
  private static String detail(Map<String, String> r) {
    return String.format(
        Locale.ROOT,
        "sent %s received %s refused %s; connect max %s ms; setup lag %s ms (planned %s"
            + " handshakes/s); steady threads %s; GC %s, %s ms in all; dropped %s; ports %s",
        r.get("sent"),
        r.get("received"),
        r.get("refused"),
        r.get("connMaxMs"),
        r.get("setupLagMs"),
        r.get("plannedHsPerSec"),
        r.get("peakSteadyThreads"),
        r.get("collectors"),
        r.get("gcTimeMs"),
        r.get("dropped"),
        r.get("ports"));
  }

  // ---------------------------------------------------------------- tables

  private static final String[][] MEDIA_COLUMNS = {
    {"mode", "mode"},
    {"N", "n"},
    {"conn p50", "connP50Ms"},
    {"conn p99", "connP99Ms"},
    {"hs/s", "hsPerSec"},
    {"threads", "peakThreads"},
    {"dtls thr", "peakDtlsThreads"},
    {"delivered", "delivered"},
    {"cores", "cores"},
    {"us/pkt", "cpuUsPerPacket"},
    {"B/pkt", "loopAllocPerPacket"},
    {"lat p50", "latP50Ms"},
    {"p90", "latP90Ms"},
    {"p99", "latP99Ms"},
    {"p99.9", "latP999Ms"},
    {"max", "latMaxMs"},
    {"GCs", "gcCount"},
    {"GC max", "gcMaxPauseMs"},
    {"KiB/conn", "heapKiBPerConn"},
    {"failed", "failed"},
    {"disc", "disconnected"},
  };

  private static final String[][] IDLE_COLUMNS = {
    {"mode", "mode"},
    {"N", "n"},
    {"conn p50", "connP50Ms"},
    {"conn p99", "connP99Ms"},
    {"hs/s", "hsPerSec"},
    {"threads", "peakThreads"},
    {"dtls thr", "peakDtlsThreads"},
    {"idle thr", "steadyThreads"},
    {"cores", "cores"},
    {"us/conn/s", "cpuUsPerConnSec"},
    {"GCs", "gcCount"},
    {"GC max", "gcMaxPauseMs"},
    {"KiB/conn", "heapKiBPerConn"},
    {"failed", "failed"},
    {"disc", "disconnected"},
  };

  private static String mediaTable(List<Map<String, String>> rows) {
    return table(
        rows,
        MEDIA_COLUMNS,
        "conn: createOffer to both COMPLETED, ms; threads: peak live while calls arrive; delivered:"
            + " received/sent in the window;\ncores: process CPU / wall; us/pkt: CPU per delivered"
            + " packet; B/pkt: bytes the loop threads allocated per delivered packet;\nlat: send-to-callback, ms; GC max: longest pause, ms;\nKiB/conn: heap after"
            + " System.gc(); failed: connections never COMPLETED; disc: connections that left"
            + " COMPLETED");
  }

  private static String idleTable(List<Map<String, String>> rows) {
    return table(
        rows,
        IDLE_COLUMNS,
        "idle: no media, consent checks only; conn: createOffer to both COMPLETED, ms; threads:"
            + " peak while calls arrive; idle thr: live at the end;\ncores: process CPU / wall;"
            + " us/conn/s: CPU per connection-second; KiB/conn: heap after System.gc(); failed:"
            + " never COMPLETED; disc: left COMPLETED");
  }

  private static String table(List<Map<String, String>> rows, String[][] columns, String legend) {
    int[] width = new int[columns.length];
    for (int c = 0; c < columns.length; c++) {
      width[c] = columns[c][0].length();
      for (Map<String, String> r : rows) {
        if (!r.containsKey("error") || c < 2) {
          width[c] = Math.max(width[c], r.getOrDefault(columns[c][1], "-").length());
        }
      }
    }
    StringBuilder out = new StringBuilder();
    for (int c = 0; c < columns.length; c++) {
      out.append(pad(columns[c][0], width[c], c)).append(c + 1 < columns.length ? "  " : "\n");
    }
    for (Map<String, String> r : rows) {
      for (int c = 0; c < columns.length; c++) {
        if (r.containsKey("error") && c == 2) {
          out.append("FAILED: ").append(r.get("error"));
          break;
        }
        out.append(pad(r.getOrDefault(columns[c][1], "-"), width[c], c))
            .append(c + 1 < columns.length ? "  " : "");
      }
      out.append('\n');
    }
    return out.append(legend).toString();
  }

  /** The mode column left-aligned, numbers right-aligned. */
  private static String pad(String s, int width, int column) {
    return String.format(column == 0 ? "%-" + width + "s" : "%" + width + "s", s);
  }
}
