package io.github.jpeer.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jpeer.DataChannelType;
import io.github.jpeer.MediaCodec;
import io.github.jpeer.PeerConfiguration;
import io.github.jpeer.PeerConnection;
import io.github.jpeer.PeerConnectionState;
import io.github.jpeer.PeerLoop;
import io.github.jpeer.PeerStats;
import io.github.jpeer.SdpType;
import io.github.jpeer.interop.BrowserPage;
import io.github.jpeer.interop.HeadlessChromium;
import io.github.jpeer.interop.ObservedPeer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real browser as the WHIP client (RFC 9725): headless Chromium publishes fake-mic audio and a
 * data channel to a {@link WhipServer} whose handler answers with a jpeer {@link PeerConnection}.
 *
 * <p>The page comes from a second HTTP server on another port, so it is another origin than the
 * endpoint: Chromium preflights the POST (it carries {@code Authorization} and {@code
 * application/sdp}) and the DELETE, and hides any response header the server does not expose. The
 * endpoint allows exactly the page's origin, so the test also proves the server compares origins in
 * the form Chromium sends them. Reading {@code Location} after the 201 proves {@code
 * Access-Control-Expose-Headers}; everything after that proves the answer (jpeer's complete SDP,
 * candidates included, as WHIP without trickle needs) works in a browser.
 *
 * <p>Machines without Chromium skip ({@code -Djpeer.chromium=<path>} points elsewhere). Media runs
 * on wall time, so every wait is bounded.
 */
@Tag("interop")
class WhipBrowserTest {
  private static final String WHIP_PATH = "/whip";
  private static final String TOKEN = "whip-browser-test-token";

  /** Both servers on the IPv4 loopback, where Chromium's candidates are raw addresses. */
  private static final String LOOPBACK = "127.0.0.1";

  private static final long AUDIO_INTERVAL_MICROS = 20_000;

  /**
   * A 20 ms CELT fullband mono Opus frame of silence (TOC 0xf8, RFC 6716 section 3.1, then the
   * range coder's "silence" flag): a valid packet the browser decodes, without an encoder here.
   */
  private static final byte[] OPUS_SILENCE = {(byte) 0xf8, (byte) 0xff, (byte) 0xfe};

  /** Audio packets each side must have received; the page waits for as many before it reports. */
  private static final int MIN_AUDIO_PACKETS = 50;

  @TempDir Path tmp;

  private final ObservedPeer jpeer = new ObservedPeer("hello from jpeer");
  private BrowserPage browserPage;
  private final AtomicReference<PeerConnection> peer = new AtomicReference<>();
  private final CompletableFuture<String> offeredSession = new CompletableFuture<>();
  private final CompletableFuture<String> deletedSession = new CompletableFuture<>();
  private volatile HeadlessChromium chromium;

  @BeforeEach
  void needChromium() {
    Assumptions.assumeTrue(
        HeadlessChromium.isInstalled(),
        HeadlessChromium.EXECUTABLE + " is not installed (Debian package chromium)");
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void chromiumPublishesFromAnotherOriginAndDeletesItsSession() throws Exception {
    ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor();
    try (BrowserPage served = BrowserPage.serve(WhipBrowserTest.class, "whip-page.html");
        PeerLoop loop = PeerLoop.start("whip-browser");
        WhipServer whip =
            WhipServer.start(
                new InetSocketAddress(LOOPBACK, 0),
                WHIP_PATH,
                TOKEN,
                served.origin(),
                answerWithJpeer(loop))) {
      browserPage = served;
      // Same host, another port: another origin, so the browser must use CORS.
      assertNotEquals(served.origin(), "http://" + LOOPBACK + ":" + whip.endpoint().getPort());
      long startNanos = System.nanoTime();
      chromium =
          HeadlessChromium.start(
              served.url(
                  "whip="
                      + URLEncoder.encode(whip.endpoint().toString(), StandardCharsets.UTF_8)
                      + "&token="
                      + TOKEN),
              tmp);

      // A page that fails early (a CORS refusal, a 401) reports at once: no need to wait longer.
      await(
          CompletableFuture.anyOf(jpeer.completed, served.report()),
          20,
          "jpeer COMPLETED or a report",
          Map.of());
      if (!jpeer.completed.isDone()) {
        throw new AssertionError(
            "the page reported before jpeer completed" + diagnostics(served.report().join()));
      }
      PeerConnection pc = peer.get();
      // Silence every 20 ms once DTLS is done, so the page has audio to count.
      sender.scheduleAtFixedRate(
          () -> pc.sendAudio(OPUS_SILENCE), 0, AUDIO_INTERVAL_MICROS, TimeUnit.MICROSECONDS);

      Map<String, String> page = await(served.report(), 20, "the page's report", Map.of());
      assertNull(page.get("error"), "the page failed" + diagnostics(page));
      assertNull(page.get("timedOut"), "the page gave up waiting" + diagnostics(page));

      // The POST went through the preflight, and the 201's Location was readable.
      assertEquals("201", page.get("postStatus"), "the POST" + diagnostics(page));
      String sessionId = await(offeredSession, 1, "the handler's session id", page);
      String location = page.get("location");
      assertTrue(
          location != null && location.startsWith(WHIP_PATH + "/"),
          "Location " + location + diagnostics(page));
      assertEquals(WHIP_PATH + "/" + sessionId, location, "Location" + diagnostics(page));

      // Both ends connected, media and a message each way.
      assertEquals("connected", page.get("connectionState"), "page" + diagnostics(page));
      assertEquals(
          List.of(
              PeerConnectionState.CHECKING,
              PeerConnectionState.CONNECTED,
              PeerConnectionState.COMPLETED),
          jpeer.states,
          "jpeer's states" + diagnostics(page));
      long browserReceived = BrowserPage.number(page, "audioPacketsReceived");
      long browserSent = BrowserPage.number(page, "audioPacketsSent");
      assertTrue(
          browserReceived >= MIN_AUDIO_PACKETS,
          "the browser received " + browserReceived + " audio packets" + diagnostics(page));
      assertTrue(
          browserSent >= MIN_AUDIO_PACKETS,
          "the browser sent " + browserSent + " audio packets" + diagnostics(page));
      assertEquals(
          "hello from jpeer", page.get("messages"), "the page's messages" + diagnostics(page));
      assertEquals(
          "hello from browser",
          jpeer.messages.poll(5, TimeUnit.SECONDS),
          "jpeer's first message" + diagnostics(page));
      PeerStats stats = audioReceived(loop, pc);
      assertTrue(
          stats.audio().packetsReceived() >= MIN_AUDIO_PACKETS,
          "jpeer " + stats + diagnostics(page));
      assertTrue(
          stats.audio().packetsSent() >= MIN_AUDIO_PACKETS, "jpeer " + stats + diagnostics(page));

      // The DELETE (preflighted too) ended exactly the session the POST created.
      assertEquals("200", page.get("deleteStatus"), "the DELETE" + diagnostics(page));
      assertEquals(sessionId, await(deletedSession, 5, "onDelete", page));
      assertEquals(0, whip.sessionCount());

      sender.shutdownNow();
      System.out.println(
          "Chromium published over WHIP in "
              + (System.nanoTime() - startNanos) / 1_000_000
              + " ms from launch to report: browser audio packets received "
              + browserReceived
              + ", sent "
              + browserSent
              + "; jpeer "
              + stats);
      loop.submit(pc::close).get(5, TimeUnit.SECONDS);
    } finally {
      sender.shutdownNow();
      if (chromium != null) {
        chromium.close();
      }
    }
  }

  /**
   * The WHIP handler: a jpeer peer answers each offer with its gathered answer (WHIP without
   * trickle needs the candidates in the answer). Anything that stops it becomes a 400 whose text
   * the page reports.
   */
  private WhipServer.Handler answerWithJpeer(PeerLoop loop) {
    PeerConfiguration config =
        PeerConfiguration.builder()
            .bindAddress(InetAddress.getLoopbackAddress())
            .includeLoopback(true)
            .audioCodec(MediaCodec.OPUS)
            .dataChannel(DataChannelType.STRING)
            .build();
    return new WhipServer.Handler() {
      @Override
      public String onOffer(String sessionId, String offerSdp) {
        offeredSession.complete(sessionId);
        CompletableFuture<String> answer = new CompletableFuture<>();
        try {
          PeerConnection pc = jpeer.create(config, answer);
          pc.setRemoteDescription(offerSdp, SdpType.OFFER);
          pc.createAnswer();
          loop.add(pc).get(5, TimeUnit.SECONDS);
          peer.set(pc);
          return answer.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
          throw new IllegalArgumentException("jpeer could not answer: " + e, e);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalArgumentException("interrupted while answering", e);
        }
      }

      @Override
      public void onDelete(String sessionId) {
        deletedSession.complete(sessionId);
      }
    };
  }

  /**
   * jpeer's stats once it has received {@link #MIN_AUDIO_PACKETS} audio packets, or after 5 s: the
   * page stops when the browser has sent that many, and the last may still be in flight.
   */
  private static PeerStats audioReceived(PeerLoop loop, PeerConnection pc) throws Exception {
    PeerStats stats = loop.submit(pc::getStats).get(5, TimeUnit.SECONDS);
    CountDownLatch never = new CountDownLatch(1);
    for (int i = 0; i < 50 && stats.audio().packetsReceived() < MIN_AUDIO_PACKETS; i++) {
      never.await(100, TimeUnit.MILLISECONDS);
      stats = loop.submit(pc::getStats).get(5, TimeUnit.SECONDS);
    }
    return stats;
  }

  /** A bounded wait whose failure says what was awaited and shows what the browser did. */
  private <T> T await(
      CompletableFuture<T> future, long seconds, String what, Map<String, String> page)
      throws InterruptedException {
    try {
      return future.get(seconds, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError(what + " failed: " + e.getCause() + diagnostics(page), e);
    } catch (TimeoutException e) {
      throw new AssertionError("no " + what + " within " + seconds + " s" + diagnostics(page), e);
    }
  }

  private String diagnostics(Map<String, String> page) {
    BrowserPage served = browserPage;
    return served == null ? "" : served.diagnostics(page, jpeer.states, chromium);
  }
}
