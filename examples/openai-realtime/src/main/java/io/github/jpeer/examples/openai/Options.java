package io.github.jpeer.examples.openai;

import io.github.jpeer.signaling.OpenAiRealtimeClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * The example's command line, parsed. The option names are a contract (scripts and CI drive the
 * program with them), so they only ever grow.
 *
 * @param url the calls endpoint ({@code --url})
 * @param apiKey the standard API key, or null ({@code --api-key}, else {@code OPENAI_API_KEY})
 * @param model the model ({@code --model})
 * @param voice the output voice ({@code --voice})
 * @param instructions the session instructions ({@code --instructions})
 * @param input a WAV file to send, or null for the microphone ({@code --input})
 * @param output a WAV file to write, or null for the speaker ({@code --output})
 * @param seconds how long to run, or 0 for until Ctrl-C or the peer closes ({@code --seconds})
 * @param summary where to write the JSON summary, or null ({@code --summary})
 * @param local whether to run against the in-process stand-in server ({@code --local})
 * @param localTcpOnly whether the stand-in answers with one passive TCP candidate and nothing else,
 *     as a network that blocks UDP leaves api.openai.com's answer ({@code --local-tcp-only},
 *     implies {@code --local})
 * @param bitrateBps the Opus bitrate ({@code --bitrate})
 * @param timeout the limit for each HTTP exchange and for reaching COMPLETED ({@code --timeout})
 * @param help whether {@code --help} was given
 */
public record Options(
    String url,
    String apiKey,
    String model,
    String voice,
    String instructions,
    Path input,
    Path output,
    double seconds,
    Path summary,
    boolean local,
    boolean localTcpOnly,
    int bitrateBps,
    Duration timeout,
    boolean help) {

  /** The default output voice. */
  public static final String DEFAULT_VOICE = "marin";

  /** The default model. */
  public static final String DEFAULT_MODEL = "gpt-realtime";

  /** The default instructions: short answers keep a demo quick. */
  public static final String DEFAULT_INSTRUCTIONS =
      "You are a friendly voice assistant. Greet the user in one short sentence.";

  /** The usage text printed by {@code --help} and after a bad option. */
  public static final String USAGE =
      """
      usage: java -jar example-openai-realtime.jar [options]
        --local               run against an in-process stand-in server (no key, no internet)
        --local-tcp-only      --local, the stand-in answering with a TCP candidate only (as
                              api.openai.com's port-443 TCP candidate on a network that blocks UDP)
        --url URL             calls endpoint (default %s)
        --api-key KEY         standard API key (default: $OPENAI_API_KEY)
        --model NAME          model (default %s)
        --voice NAME          output voice (default %s)
        --instructions TEXT   session instructions
        --input FILE.wav      audio to send (default: the microphone; with --local a generated
                              speech-like signal)
        --output FILE.wav     write what is received (default: the speaker)
        --seconds N           stop N seconds after connecting (default: until Ctrl-C or the
                              peer closes)
        --summary FILE        write a JSON summary
        --bitrate BPS         Opus bitrate (default 32000)
        --timeout SECONDS     limit for each HTTP exchange and for connecting (default 15)
        --help                this text
      """
          .formatted(OpenAiRealtimeClient.DEFAULT_CALLS_URL, DEFAULT_MODEL, DEFAULT_VOICE);

  /** A bad command line: the message says which option and why. */
  public static final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  /**
   * Parses {@code args}; {@code env} supplies {@code OPENAI_API_KEY} when {@code --api-key} is
   * absent.
   *
   * @throws UsageException for an unknown option, a missing value or a value out of range
   */
  public static Options parse(String[] args, Map<String, String> env) {
    String url = OpenAiRealtimeClient.DEFAULT_CALLS_URL;
    String apiKey = null;
    String model = DEFAULT_MODEL;
    String voice = DEFAULT_VOICE;
    String instructions = DEFAULT_INSTRUCTIONS;
    Path input = null;
    Path output = null;
    double seconds = 0;
    Path summary = null;
    boolean local = false;
    boolean localTcpOnly = false;
    int bitrateBps = 32_000;
    Duration timeout = Duration.ofSeconds(15);
    boolean help = false;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--local" -> local = true;
        case "--local-tcp-only" -> {
          local = true;
          localTcpOnly = true;
        }
        case "--help", "-h" -> help = true;
        case "--url" -> url = value(args, ++i, a);
        case "--api-key" -> apiKey = value(args, ++i, a);
        case "--model" -> model = value(args, ++i, a);
        case "--voice" -> voice = value(args, ++i, a);
        case "--instructions" -> instructions = value(args, ++i, a);
        case "--input" -> input = Path.of(value(args, ++i, a));
        case "--output" -> output = Path.of(value(args, ++i, a));
        case "--summary" -> summary = Path.of(value(args, ++i, a));
        case "--seconds" -> seconds = number(args, ++i, a, 0, 86_400);
        case "--bitrate" -> bitrateBps = (int) number(args, ++i, a, 6_000, 510_000);
        case "--timeout" ->
            timeout = Duration.ofMillis((long) (number(args, ++i, a, 0.05, 600) * 1000));
        default -> throw new UsageException("unknown option " + a);
      }
    }
    if (apiKey == null && env != null) {
      String fromEnv = env.get("OPENAI_API_KEY");
      apiKey = fromEnv == null || fromEnv.isBlank() ? null : fromEnv.strip();
    }
    return new Options(
        url,
        apiKey,
        model,
        voice,
        instructions,
        input,
        output,
        seconds,
        summary,
        local,
        localTcpOnly,
        bitrateBps,
        timeout,
        help);
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length || args[i].startsWith("--")) {
      throw new UsageException(option + " needs a value");
    }
    return args[i];
  }

  private static double number(String[] args, int i, String option, double min, double max) {
    String v = value(args, i, option);
    double d;
    try {
      d = Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new UsageException(option + " needs a number, got " + v);
    }
    if (!(d >= min && d <= max)) {
      throw new UsageException(
          String.format(
              Locale.ROOT,
              "%s must be between %s and %s, got %s",
              option,
              trim(min),
              trim(max),
              v));
    }
    return d;
  }

  private static String trim(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }

  /** Never shows the key: records print their fields, and this one is a secret. */
  @Override
  public String toString() {
    return "Options[url="
        + url
        + ", apiKey="
        + (apiKey == null ? "none" : "(set)")
        + ", model="
        + model
        + ", voice="
        + voice
        + ", input="
        + input
        + ", output="
        + output
        + ", seconds="
        + seconds
        + ", local="
        + local
        + ", bitrateBps="
        + bitrateBps
        + ", timeout="
        + timeout
        + "]";
  }
}
