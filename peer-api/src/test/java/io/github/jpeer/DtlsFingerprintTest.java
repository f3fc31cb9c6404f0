package io.github.jpeer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every a=fingerprint of the remote description counts (RFC 8122 section 5), and a DTLS failure
 * says why, in {@link PeerConnection#failureReason()} and as a key in {@link PeerStats#failure()}.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DtlsFingerprintTest {
  private static final String WRONG_SHA1 =
      "sha-1 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33";
  private static final String WRONG_SHA256 =
      "sha-256 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:"
          + "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF";

  private PeerLoop loop;
  private TestPeer offerer;
  private TestPeer answerer;

  @BeforeEach
  void start() throws Exception {
    loop = PeerLoop.start("dtls-fingerprint-test");
    offerer = TestPeer.loopback("offerer", c -> c);
    answerer = TestPeer.loopback("answerer", c -> c);
    TestPeer.addBoth(loop, offerer, answerer);
  }

  @AfterEach
  void stop() {
    loop.close();
  }

  /** Adds {@code extra} as a further a=fingerprint line before each existing one. */
  private static UnaryOperator<String> withFingerprintBefore(String extra) {
    return sdp -> sdp.replace("a=fingerprint:", "a=fingerprint:" + extra + "\r\na=fingerprint:");
  }

  @Test
  void aMatchAmongSeveralFingerprintsConnects() throws Exception {
    // Regression: only the first a=fingerprint reached DTLS, so a wrong first one failed the call.
    TestPeer.connect(loop, offerer, answerer, false, withFingerprintBefore(WRONG_SHA1));
    assertEquals(PeerConnectionState.COMPLETED, offerer.pc.getState());
  }

  @Test
  void noMatchFailsBothSidesWithAReason() throws Exception {
    try (LogCapture offererLog = LogCapture.of("io.github.jpeer.test.offerer");
        LogCapture answererLog = LogCapture.of("io.github.jpeer.test.answerer")) {
      UnaryOperator<String> wrong =
          sdp -> sdp.replaceAll("a=fingerprint:[^\r\n]*", "a=fingerprint:" + WRONG_SHA256);
      String offer = fullOffer();
      loop.submit(() -> answerer.pc.setRemoteDescription(wrong.apply(offer), SdpType.OFFER))
          .get(5, TimeUnit.SECONDS);
      java.util.concurrent.CompletableFuture<String> fullAnswer =
          new java.util.concurrent.CompletableFuture<>();
      answerer.pc.onIceCandidate(fullAnswer::complete);
      loop.submit(answerer.pc::createAnswer).get(5, TimeUnit.SECONDS);
      String answer = fullAnswer.get(10, TimeUnit.SECONDS);
      loop.submit(() -> offerer.pc.setRemoteDescription(answer, SdpType.ANSWER))
          .get(5, TimeUnit.SECONDS);
      TestPeer.await(
          () -> answerer.states.contains(PeerConnectionState.FAILED),
          15_000,
          "the answerer to fail");
      PeerStats stats = answerer.stats(loop);
      assertEquals("dtls-fingerprint-mismatch", stats.failure(), stats.toString());
      String reason = loop.submit(answerer.pc::failureReason).get(5, TimeUnit.SECONDS);
      assertTrue(reason.contains("fingerprint mismatch"), reason);
      // The offerer hears of it from the answerer's alert.
      TestPeer.await(
          () -> offerer.states.contains(PeerConnectionState.FAILED), 15_000, "the offerer to fail");
      assertEquals("dtls-alert-received", offerer.stats(loop).failure());
      // Each side's DTLS lines (from peer-dtls, which knows nothing of connections) name the call.
      assertEveryLineNames("answerer", answererLog.lines(), "DTLS alert sent");
      assertEveryLineNames("offerer", offererLog.lines(), "DTLS alert received");
    }
  }

  private static void assertEveryLineNames(String connection, List<String> lines, String mustHave) {
    assertTrue(
        lines.stream().anyMatch(l -> l.contains(mustHave)),
        connection + " logged no \"" + mustHave + "\" line: " + lines);
    for (String line : lines) {
      assertTrue(line.startsWith(connection + ": "), "line without its connection: " + line);
      assertFalse(line.contains("(null)"), line);
    }
  }

  @Test
  void onlyUnsupportedHashFunctionsAreRefusedAtTheCall() throws Exception {
    String offer = fullOffer();
    String md5Only =
        offer.replaceAll(
            "a=fingerprint:[^\r\n]*",
            "a=fingerprint:md5 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF");
    ExecutionException e =
        assertThrows(
            ExecutionException.class,
            () ->
                loop.submit(() -> answerer.pc.setRemoteDescription(md5Only, SdpType.OFFER))
                    .get(5, TimeUnit.SECONDS));
    assertTrue(e.getCause() instanceof IllegalArgumentException, String.valueOf(e.getCause()));
  }

  private String fullOffer() throws Exception {
    java.util.concurrent.CompletableFuture<String> full =
        new java.util.concurrent.CompletableFuture<>();
    offerer.pc.onIceCandidate(full::complete);
    loop.submit(offerer.pc::createOffer).get(5, TimeUnit.SECONDS);
    return full.get(10, TimeUnit.SECONDS);
  }
}
