package io.github.jpeer.interop;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jpeer.MediaCodec;
import io.github.jpeer.PeerConfiguration;
import io.github.jpeer.PeerConnection;
import io.github.jpeer.PeerLoop;
import io.github.jpeer.PeerStats;
import io.github.jpeer.SdpType;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A wrong {@code a=ice-pwd} against libwebrtc, whose handling of a check that fails its integrity
 * check is its own: jpeer's {@link PeerStats#credentialHint()} must still name the description that
 * was changed, in both roles, rather than leave the user looking at the network.
 */
@Tag("interop")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LibWebRtcWrongPasswordTest {
  private static final String WRONG_PWD = "0123456789abcdefghijklmn";

  private static String withWrongPassword(String sdp) {
    String munged = sdp.replaceAll("a=ice-pwd:[^\r\n]+", "a=ice-pwd:" + WRONG_PWD);
    assertTrue(!munged.equals(sdp), "no a=ice-pwd in:\n" + sdp);
    return munged;
  }

  private static PeerConnection jpeer() {
    return PeerConnection.create(PeerConfiguration.builder().audioCodec(MediaCodec.OPUS).build());
  }

  @Test
  void libWebRtcsAnswerWithAnotherPasswordIsNamed() throws Exception {
    try (PeerLoop loop = PeerLoop.start("interop-wrong-pwd-offer");
        LibWebRtcPeer google = new LibWebRtcPeer(true, null)) {
      PeerConnection pc = jpeer();
      CompletableFuture<String> fullOffer = new CompletableFuture<>();
      pc.onIceCandidate(fullOffer::complete);
      pc.createOffer();
      loop.add(pc).get(5, TimeUnit.SECONDS);
      google.setRemoteDescription(fullOffer.get(10, TimeUnit.SECONDS), true);
      String answer = withWrongPassword(google.createAnswer());
      loop.submit(() -> pc.setRemoteDescription(answer, SdpType.ANSWER)).get(5, TimeUnit.SECONDS);
      String hint = awaitHint(loop, pc);
      // Whether libwebrtc refuses with a 401 or drops our checks while its own are answered, the
      // hint points at the answer's password.
      assertTrue(hint.contains("a=ice-pwd"), hint);
      assertTrue(
          hint.contains("STUN 401") || hint.contains("in the remote description is likely not"),
          hint);
      assertFalse(hint.contains(WRONG_PWD), hint);
      loop.submit(pc::close).get(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void ourAnswerReachingLibWebRtcWithAnotherPasswordIsNamed() throws Exception {
    try (PeerLoop loop = PeerLoop.start("interop-wrong-pwd-answer");
        LibWebRtcPeer google = new LibWebRtcPeer(true, null)) {
      PeerConnection pc = jpeer();
      pc.setRemoteDescription(google.createOffer(), SdpType.OFFER);
      CompletableFuture<String> fullAnswer = new CompletableFuture<>();
      pc.onIceCandidate(fullAnswer::complete);
      pc.createAnswer();
      loop.add(pc).get(5, TimeUnit.SECONDS);
      google.setRemoteDescription(withWrongPassword(fullAnswer.get(10, TimeUnit.SECONDS)), false);
      // libwebrtc signs its checks with the password it was given, not ours.
      String hint = awaitHint(loop, pc);
      assertTrue(hint.contains("failed the integrity check with our a=ice-pwd"), hint);
      assertFalse(hint.contains(WRONG_PWD), hint);
      loop.submit(pc::close).get(5, TimeUnit.SECONDS);
    }
  }

  /** The hint once there is one, within 15 s (libwebrtc checks from the first second). */
  private static String awaitHint(PeerLoop loop, PeerConnection pc) throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    PeerStats stats = loop.submit(pc::getStats).get(5, TimeUnit.SECONDS);
    while (stats.credentialHint().isEmpty() && System.nanoTime() < deadline) {
      never.await(20, TimeUnit.MILLISECONDS);
      stats = loop.submit(pc::getStats).get(5, TimeUnit.SECONDS);
    }
    assertFalse(stats.credentialHint().isEmpty(), "no credential hint within 15 s: " + stats);
    return stats.credentialHint();
  }
}
