package io.github.jpeer.examples.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The command line: defaults, the key from the environment, and what is refused. */
class OptionsTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  private String printed() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void defaultsMatchTheContract() {
    Options o = Options.parse(new String[0], Map.of());
    assertEquals("https://api.openai.com/v1/realtime/calls", o.url());
    assertEquals("gpt-realtime", o.model());
    assertEquals("marin", o.voice());
    assertEquals(32_000, o.bitrateBps());
    assertEquals(0, o.seconds());
    assertEquals(Duration.ofSeconds(15), o.timeout());
    assertNull(o.apiKey());
    assertNull(o.input());
    assertNull(o.output());
    assertFalse(o.local());
  }

  @Test
  void everyOptionIsRead() {
    Options o =
        Options.parse(
            new String[] {
              "--url",
              "http://127.0.0.1:1/v1/realtime/calls",
              "--api-key",
              "sk-given",
              "--model",
              "m",
              "--voice",
              "cedar",
              "--instructions",
              "be brief",
              "--input",
              "in.wav",
              "--output",
              "out.wav",
              "--seconds",
              "2.5",
              "--summary",
              "s.json",
              "--local",
              "--bitrate",
              "24000",
              "--timeout",
              "0.5"
            },
            Map.of("OPENAI_API_KEY", "sk-env"));
    assertEquals("http://127.0.0.1:1/v1/realtime/calls", o.url());
    assertEquals("sk-given", o.apiKey(), "--api-key wins over the environment");
    assertEquals("m", o.model());
    assertEquals("cedar", o.voice());
    assertEquals("be brief", o.instructions());
    assertEquals(Path.of("in.wav"), o.input());
    assertEquals(Path.of("out.wav"), o.output());
    assertEquals(2.5, o.seconds());
    assertEquals(Path.of("s.json"), o.summary());
    assertTrue(o.local());
    assertFalse(o.localTcpOnly());
    assertEquals(24_000, o.bitrateBps());
    assertEquals(Duration.ofMillis(500), o.timeout());
  }

  @Test
  void localTcpOnlyImpliesLocal() {
    Options o = Options.parse(new String[] {"--local-tcp-only"}, Map.of());
    assertTrue(o.local());
    assertTrue(o.localTcpOnly());
  }

  @Test
  void keyComesFromTheEnvironmentAndNeverFromToString() {
    Options o = Options.parse(new String[0], Map.of("OPENAI_API_KEY", " sk-secret-123 "));
    assertEquals("sk-secret-123", o.apiKey());
    assertFalse(o.toString().contains("sk-secret-123"), o.toString());
  }

  @Test
  void refusesWhatItDoesNotKnow() {
    assertThrows(
        Options.UsageException.class, () -> Options.parse(new String[] {"--speed", "2"}, Map.of()));
    assertThrows(
        Options.UsageException.class, () -> Options.parse(new String[] {"--seconds"}, Map.of()));
    assertThrows(
        Options.UsageException.class,
        () -> Options.parse(new String[] {"--seconds", "soon"}, Map.of()));
    assertThrows(
        Options.UsageException.class,
        () -> Options.parse(new String[] {"--bitrate", "1000"}, Map.of()));
    assertThrows(
        Options.UsageException.class,
        () -> Options.parse(new String[] {"--url", "--local"}, Map.of()));
  }

  @Test
  void unknownOptionPrintsUsageAndFails() {
    DemoCall.Result r = OpenAiRealtimeExample.run(new String[] {"--bogus"}, Map.of(), out);
    assertEquals(OpenAiRealtimeExample.USAGE_EXIT, r.exitCode());
    assertTrue(printed().contains("unknown option --bogus"), printed());
    assertTrue(printed().contains("usage:"), printed());
  }

  @Test
  void helpPrintsUsageAndSucceeds() {
    DemoCall.Result r = OpenAiRealtimeExample.run(new String[] {"--help"}, Map.of(), out);
    assertEquals(0, r.exitCode());
    for (String option :
        new String[] {
          "--url",
          "--api-key",
          "--model",
          "--voice",
          "--instructions",
          "--input",
          "--output",
          "--seconds",
          "--summary",
          "--local",
          "--bitrate",
          "--help"
        }) {
      assertTrue(printed().contains(option), option + " missing from usage");
    }
  }

  @Test
  void noKeyWithoutLocalFailsWithTheAdvice() {
    DemoCall.Result r = OpenAiRealtimeExample.run(new String[0], Map.of(), out);
    assertEquals(1, r.exitCode());
    assertEquals(
        "no API key: pass --api-key or set OPENAI_API_KEY, or run with --local", r.reason());
    assertEquals("failed", r.summary().get("result"));
    assertEquals("NEW", r.summary().get("stateReached"));
  }
}
