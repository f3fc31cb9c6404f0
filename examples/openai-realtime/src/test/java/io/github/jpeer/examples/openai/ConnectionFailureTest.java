package io.github.jpeer.examples.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jpeer.realtime.local.LocalRealtimeServer;
import io.github.jpeer.realtime.local.StandInAnswerer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A call whose HTTP part succeeds but whose DTLS cannot: the answer lies about its certificate. */
class ConnectionFailureTest {
  private static final Pattern FINGERPRINT = Pattern.compile("a=fingerprint:(\\S+) (\\S+)");

  /** The answer with the first byte of each fingerprint flipped. */
  static String forgeFingerprint(String sdp) {
    Matcher m = FINGERPRINT.matcher(sdp);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String hex = m.group(2);
      String first = hex.startsWith("00") ? "FF" : "00";
      m.appendReplacement(sb, "a=fingerprint:" + m.group(1) + " " + first + hex.substring(2));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void wrongFingerprintIsADtlsFailure() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (StandInAnswerer echo = StandInAnswerer.builder().loopbackOnly(false).build();
        LocalRealtimeServer server =
            LocalRealtimeServer.start(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                (id, offer) -> forgeFingerprint(echo.answer(id, offer)))) {
      DemoCall.Result r =
          OpenAiRealtimeExample.run(
              new String[] {
                "--url",
                server.callsUrl().toString(),
                "--api-key",
                "sk-x",
                "--seconds",
                "1",
                "--timeout",
                "10"
              },
              Map.of(),
              new PrintStream(bytes, true, StandardCharsets.UTF_8));
      String printed = bytes.toString(StandardCharsets.UTF_8);
      assertEquals(1, r.exitCode(), printed);
      assertTrue(r.reason().startsWith("DTLS failed: "), r.reason());
      assertTrue(!r.reason().contains("\n"), r.reason());
      assertEquals("CONNECTED", r.summary().get("stateReached"), printed);
      assertEquals(
          0L, ((Number) ((Map<?, ?>) r.summary().get("audio")).get("packetsReceived")).longValue());
    }
  }
}
