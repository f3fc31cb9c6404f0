package io.github.jpeer.examples.openai;

import java.io.PrintStream;
import java.util.Map;

/**
 * Voice in, voice out with the OpenAI Realtime API over WebRTC, in plain Java: jpeer for the
 * connection (ICE, DTLS-SRTP, SCTP), peer-media for Opus and audio devices, peer-signaling for the
 * HTTP exchange. With {@code --local} it talks to an in-process stand-in instead, so it runs
 * anywhere without a key.
 *
 * <pre>
 * java -jar examples/openai-realtime/target/example-openai-realtime.jar --local --seconds 10
 * OPENAI_API_KEY=sk-... java -jar example-openai-realtime.jar --output answer.wav --seconds 20
 * </pre>
 *
 * <p>Exit status: 0 for a clean run, 1 with a one-line reason on failure (HTTP error, ICE or DTLS
 * failure, timeout, no key), 2 for a bad command line.
 */
public final class OpenAiRealtimeExample {
  /** Exit status for a bad command line. */
  static final int USAGE_EXIT = 2;

  private OpenAiRealtimeExample() {}

  /** Runs the example and exits with its status. */
  public static void main(String[] args) {
    Options options;
    try {
      options = Options.parse(args, System.getenv());
    } catch (Options.UsageException e) {
      System.exit(usage(System.err, e.getMessage()));
      return;
    }
    if (options.help()) {
      System.out.print(Options.USAGE);
      System.exit(0);
      return;
    }
    DemoCall session = new DemoCall(options, System.out);
    // Ctrl-C ends the call cleanly: summary printed, files closed.
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  session.requestStop();
                  try {
                    session.awaitFinished(5_000);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                },
                "openai-shutdown"));
    DemoCall.Result result = session.run();
    if (result.reason() != null) {
      System.err.println("error: " + result.reason());
    }
    System.exit(result.exitCode());
  }

  /**
   * The program without {@code System.exit}: parses {@code args} (the key from {@code env} if not
   * given), runs, and returns the result. Tests call this.
   */
  static DemoCall.Result run(String[] args, Map<String, String> env, PrintStream out) {
    Options options;
    try {
      options = Options.parse(args, env);
    } catch (Options.UsageException e) {
      return new DemoCall.Result(usage(out, e.getMessage()), e.getMessage(), Map.of());
    }
    if (options.help()) {
      out.print(Options.USAGE);
      return new DemoCall.Result(0, null, Map.of());
    }
    DemoCall.Result result = new DemoCall(options, out).run();
    if (result.reason() != null) {
      out.println("error: " + result.reason());
    }
    return result;
  }

  private static int usage(PrintStream out, String message) {
    out.println("error: " + message);
    out.print(Options.USAGE);
    return USAGE_EXIT;
  }
}
