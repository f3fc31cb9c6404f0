package io.github.jpeer.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import io.github.jpeer.interop.H264Fixture;
import io.github.jpeer.interop.HeadlessChromium;
import io.github.jpeer.interop.ObservedPeer;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * jpeer against a real browser: headless Chromium (Debian's {@code chromium} package) loads a page
 * from a local HTTP server and talks to jpeer through it, in both offer/answer roles: ICE,
 * DTLS-SRTP, Opus each way, H.264 from jpeer decoded by the browser, and a data channel message
 * each way.
 *
 * <p>Chromium runs with a fake microphone and camera and auto-granted permission; with media
 * permission on a 127.0.0.1 page it puts raw addresses (not mDNS names) in its candidates, so jpeer
 * binds loopback only and nothing needs multicast. The page decides when it has seen enough (or
 * gives up after 20 s) and reports its {@code getStats} counters back by {@code fetch}; the test
 * judges them. Machines without Chromium skip: {@code -Djpeer.chromium=<path>} points elsewhere.
 * Media runs on wall time (the browser's jitter buffer does), so every wait here is bounded.
 */
@Tag("interop")
class ChromiumInteropTest {
  private static final long AUDIO_INTERVAL_MICROS = 20_000;
  private static final long VIDEO_INTERVAL_MICROS = 1_000_000 / 30;

  /**
   * A 20 ms CELT fullband mono Opus frame of silence (TOC 0xf8, RFC 6716 section 3.1, then the
   * range coder's "silence" flag): a valid packet the browser decodes, without an encoder here.
   */
  private static final byte[] OPUS_SILENCE = {(byte) 0xf8, (byte) 0xff, (byte) 0xfe};

  /** What a connected page must have seen before it reports, and what the test then demands. */
  private static final int MIN_AUDIO_PACKETS = 50;

  private static final int MIN_FRAMES_DECODED = 30;

  /** The fake camera runs at about 20 fps: a second's worth. */
  private static final int MIN_FRAMES_FROM_BROWSER = 20;

  @TempDir Path tmp;

  private final ObservedPeer jpeer = new ObservedPeer("hello from jpeer");
  private BrowserPage browserPage;
  private final AtomicInteger nextFrame = new AtomicInteger();
  private final AtomicInteger videoFramesFromBrowser = new AtomicInteger();
  private final AtomicReference<PeerConnection> peer = new AtomicReference<>();
  private volatile HeadlessChromium chromium;

  @BeforeEach
  void needChromium() {
    Assumptions.assumeTrue(
        HeadlessChromium.isInstalled(),
        HeadlessChromium.EXECUTABLE + " is not installed (Debian package chromium)");
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void browserOffersAudioAndDataChannelJpeerAnswers() throws Exception {
    Map<String, String> page = run(false, false);
    assertEquals("offer-browser", page.get("scenario"));
  }

  /**
   * As a server holding many calls runs: jpeer answers as an ICE-lite agent on a {@link
   * io.github.jpeer.SharedUdpPort}; the browser must accept {@code a=ice-lite}, control and
   * nominate the port's candidate.
   */
  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void browserOffersJpeerAnswersAsALiteServerOnASharedPort() throws Exception {
    Map<String, String> page = run(false, true);
    assertEquals("offer-browser", page.get("scenario"));
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void jpeerOffersOpusH264AndDataChannelBrowserAnswers() throws Exception {
    Map<String, String> page = run(true, false);
    assertEquals("offer-jpeer", page.get("scenario"));
    long framesDecoded = BrowserPage.number(page, "framesDecoded");
    assertTrue(
        framesDecoded >= MIN_FRAMES_DECODED,
        "the browser decoded " + framesDecoded + " H.264 frames" + diagnostics(page));
    // And the other way (counted in run() while the call is up): the browser's fake camera,
    // encoded by Chromium's H.264 encoder, reaches onVideoTrack through jpeer's NACK/reorder path.
    assertTrue(
        videoFramesFromBrowser.get() >= MIN_FRAMES_FROM_BROWSER,
        "jpeer got "
            + videoFramesFromBrowser.get()
            + " video frames from the browser"
            + diagnostics(page));
  }

  // ---------------------------------------------------------------- the exchange

  /**
   * Serves the page, starts Chromium on it and runs one call; {@code jpeerOffers} picks the roles
   * (and adds H.264 from jpeer), {@code sharedLite} puts jpeer on a shared port as an ICE-lite
   * agent. Asserts what both roles share and returns the page's report.
   */
  private Map<String, String> run(boolean jpeerOffers, boolean sharedLite) throws Exception {
    PeerConfiguration.Builder config =
        PeerConfiguration.builder()
            .bindAddress(InetAddress.getLoopbackAddress())
            .includeLoopback(true)
            .audioCodec(MediaCodec.OPUS)
            .dataChannel(DataChannelType.STRING);
    if (jpeerOffers) {
      // A lost key frame leaves the browser asking; the fixture restarts at its IDR.
      config
          .videoCodec(MediaCodec.H264)
          .onRequestKeyframe(() -> nextFrame.set(0))
          .onVideoTrack((frame, rtpTimestamp) -> videoFramesFromBrowser.incrementAndGet());
    }
    List<byte[]> accessUnits = jpeerOffers ? H264Fixture.accessUnits() : List.of();
    ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor();
    try (PeerLoop loop = PeerLoop.start("chromium-interop");
        BrowserPage served = BrowserPage.serve(ChromiumInteropTest.class, "page.html")) {
      browserPage = served;
      if (sharedLite) {
        config =
            PeerConfiguration.builder()
                .sharedPort(
                    loop.openSharedPort(
                        new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 0)))
                .iceLite(true)
                .audioCodec(MediaCodec.OPUS)
                .dataChannel(DataChannelType.STRING);
      }
      signaling(served, loop, config.build(), jpeerOffers);
      long startNanos = System.nanoTime();
      chromium =
          HeadlessChromium.start(
              served.url(jpeerOffers ? "s=offer-jpeer&video=1" : "s=offer-browser"), tmp);

      jpeer.completed.get(20, TimeUnit.SECONDS);
      PeerConnection pc = peer.get();
      // Media from jpeer once DTLS is done: silence every 20 ms, the fixture at 30 fps.
      sender.scheduleAtFixedRate(
          () -> pc.sendAudio(OPUS_SILENCE), 0, AUDIO_INTERVAL_MICROS, TimeUnit.MICROSECONDS);
      if (jpeerOffers) {
        sender.scheduleAtFixedRate(
            () -> pc.sendVideo(accessUnits.get(nextFrame.getAndIncrement() % accessUnits.size())),
            0,
            VIDEO_INTERVAL_MICROS,
            TimeUnit.MICROSECONDS);
      }

      Map<String, String> page = served.awaitReport(25);
      assertEquals(
          List.of(
              PeerConnectionState.CHECKING,
              PeerConnectionState.CONNECTED,
              PeerConnectionState.COMPLETED),
          jpeer.states,
          "jpeer's states" + diagnostics(page));
      assertNull(page.get("error"), "the page failed" + diagnostics(page));
      assertEquals("connected", page.get("connectionState"), "page" + diagnostics(page));
      long browserAudio = BrowserPage.number(page, "audioPacketsReceived");
      assertTrue(
          browserAudio >= MIN_AUDIO_PACKETS,
          "the browser received " + browserAudio + " audio packets" + diagnostics(page));
      assertEquals(
          "hello from jpeer", page.get("messages"), "the page's messages" + diagnostics(page));
      assertEquals(
          "hello from browser",
          jpeer.messages.poll(5, TimeUnit.SECONDS),
          "jpeer's first message" + diagnostics(page));

      // The browser's fake microphone has been sending since it connected; wait for 50 of them.
      PeerStats stats = loop.submit(pc::getStats).get(5, TimeUnit.SECONDS);
      CountDownLatch never = new CountDownLatch(1);
      for (int i = 0; i < 50 && stats.audio().packetsReceived() < MIN_AUDIO_PACKETS; i++) {
        never.await(100, TimeUnit.MILLISECONDS);
        stats = loop.submit(pc::getStats).get(5, TimeUnit.SECONDS);
      }
      assertTrue(
          stats.audio().packetsReceived() >= MIN_AUDIO_PACKETS,
          "jpeer " + stats + diagnostics(page));
      assertTrue(stats.srtpProfile() != null, "jpeer " + stats);
      if (jpeerOffers) {
        assertTrue(stats.video().packetsSent() > 0, "jpeer " + stats);
        for (int i = 0; i < 50 && videoFramesFromBrowser.get() < MIN_FRAMES_FROM_BROWSER; i++) {
          never.await(100, TimeUnit.MILLISECONDS);
        }
        stats = loop.submit(pc::getStats).get(5, TimeUnit.SECONDS);
      }
      sender.shutdownNow();
      System.out.println(
          "Chromium "
              + (jpeerOffers ? "answered jpeer's offer" : "offered")
              + " in "
              + (System.nanoTime() - startNanos) / 1_000_000
              + " ms from launch to report: browser audio packets received "
              + browserAudio
              + ", frames decoded "
              + page.get("framesDecoded")
              + "; jpeer "
              + stats);
      // jpeer closes with the channel open: stream reset and SHUTDOWN before close_notify, so the
      // browser closes the channel without an error event (an ABORT would raise one).
      loop.submit(pc::close).get(5, TimeUnit.SECONDS);
      assertTrue(
          served.awaitNote("dc close chat", 5),
          "the browser's channel did not close" + diagnostics(page));
      assertFalse(served.hasNote("dc error"), "the browser saw an error" + diagnostics(page));
      return page;
    } finally {
      sender.shutdownNow();
      if (chromium != null) {
        chromium.close();
      }
    }
  }

  /**
   * The signaling the page uses: POST /offer (browser offers, jpeer answers with its gathered
   * answer) or GET /offer plus POST /answer (jpeer offers).
   */
  private void signaling(
      BrowserPage served, PeerLoop loop, PeerConfiguration config, boolean jpeerOffers)
      throws Exception {
    CompletableFuture<String> localSdp = new CompletableFuture<>();
    if (jpeerOffers) {
      PeerConnection pc = jpeer.create(config, localSdp);
      pc.createDataChannel("chat");
      pc.createOffer();
      loop.add(pc).get(5, TimeUnit.SECONDS);
      peer.set(pc);
    }
    served.route(
        "/offer",
        ex -> {
          if (!jpeerOffers) {
            PeerConnection pc = jpeer.create(config, localSdp);
            pc.setRemoteDescription(BrowserPage.body(ex), SdpType.OFFER);
            pc.createAnswer();
            loop.add(pc).get(5, TimeUnit.SECONDS);
            peer.set(pc);
          }
          BrowserPage.respond(ex, 200, "application/sdp", localSdp.get(10, TimeUnit.SECONDS));
        });
    served.route(
        "/answer",
        ex -> {
          String answer = BrowserPage.body(ex);
          loop.submit(() -> peer.get().setRemoteDescription(answer, SdpType.ANSWER))
              .get(5, TimeUnit.SECONDS);
          BrowserPage.respond(ex, 200, "text/plain", "ok");
        });
  }

  private String diagnostics(Map<String, String> page) {
    BrowserPage served = browserPage;
    return served == null ? "" : served.diagnostics(page, jpeer.states, chromium);
  }
}
