package io.github.jpeer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 20: a connected call whose answer takes no audio from us (no audio section, or {@code
 * m=audio 0}). {@code sendAudio} returns false and counts why, instead of true with nothing sent.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MediaNotNegotiatedTest {
  private static final byte[] OPUS_FRAME = {(byte) 0xf8, 1, 2, 3};

  private PeerLoop loop;

  @BeforeEach
  void startLoop() {
    loop = PeerLoop.start("media-not-negotiated-test");
  }

  @AfterEach
  void stop() {
    loop.close();
  }

  @Test
  void anAnswerWithoutAudioTakesNone() throws Exception {
    // The answerer has no audio: its answer rejects the offer's audio section with m=audio 0.
    connectedAndRefused(c -> c.audioCodec(MediaCodec.NONE), UnaryOperator.identity());
  }

  @Test
  void anAnswerWithARecvonlyRemoteOfferTakesNone() throws Exception {
    // The answerer receives audio but the answer on the way says it only sends: ours is unwanted.
    connectedAndRefused(
        c -> c.audioCodec(MediaCodec.OPUS),
        sdp -> sdp.contains("a=setup:active") ? sdp.replace("a=sendrecv", "a=sendonly") : sdp);
  }

  private void connectedAndRefused(
      UnaryOperator<PeerConfiguration.Builder> answererAudio, UnaryOperator<String> onTheWay)
      throws Exception {
    TestPeer offerer =
        TestPeer.loopback(
            "offerer", c -> c.audioCodec(MediaCodec.OPUS).dataChannel(DataChannelType.STRING));
    TestPeer answerer =
        TestPeer.loopback(
            "answerer", c -> answererAudio.apply(c.dataChannel(DataChannelType.STRING)));
    TestPeer.addBoth(loop, offerer, answerer);
    TestPeer.connect(loop, offerer, answerer, false, onTheWay);
    for (int i = 0; i < 5; i++) {
      assertFalse(offerer.pc.sendAudio(OPUS_FRAME), "nothing would be sent");
    }
    PeerStats stats = offerer.pc.getStats();
    assertEquals(5L, stats.dropped().get("audio-not-negotiated"), stats::toString);
    assertEquals(0, stats.audio().packetsSent(), stats::toString);
    assertTrue(offerer.pc.getState() == PeerConnectionState.COMPLETED, "the call is fine");
  }
}
