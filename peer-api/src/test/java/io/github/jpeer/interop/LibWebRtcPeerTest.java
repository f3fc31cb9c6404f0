package io.github.jpeer.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The harness itself, checked against libwebrtc on both ends, so that a failing jpeer interop test
 * points at jpeer and not at the harness.
 */
@Tag("interop")
class LibWebRtcPeerTest {
  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void twoLibWebRtcPeersExchangeAudioAndMessages() throws Exception {
    try (LibWebRtcPeer offerer = new LibWebRtcPeer(true, "oai-events");
        LibWebRtcPeer answerer = new LibWebRtcPeer(true, null)) {
      String offer = offerer.createOffer();
      assertTrue(offer.contains("a=setup:actpass"), offer);
      answerer.setRemoteDescription(offer, true);
      offerer.setRemoteDescription(answerer.createAnswer(), false);
      assertTrue(offerer.awaitConnected(10_000), "offerer states " + offerer.states());
      assertTrue(answerer.awaitConnected(10_000), "answerer states " + answerer.states());

      short[] tone = new short[480];
      for (int i = 0; i < tone.length; i++) {
        tone[i] = (short) (8000 * Math.sin(2 * Math.PI * 440 * i / 48_000.0));
      }
      // 100 pushes of 10 ms, then poll stats: bounded in count and time.
      for (int i = 0; i < 100; i++) {
        offerer.pushAudio(tone);
      }
      long packets = 0;
      for (int i = 0; i < 50 && packets == 0; i++) {
        packets = answerer.inboundAudioPackets();
        if (packets == 0) {
          offerer.pushAudio(tone);
          answerer.pollMessage(100); // a bounded 100 ms wait that also drains nothing
        }
      }
      assertTrue(packets > 0, "answerer received no audio packets");

      for (int i = 0; i < 50 && !offerer.channelOpen(); i++) {
        answerer.pollMessage(100);
      }
      assertTrue(offerer.channelOpen(), "data channel never opened");
      offerer.send("{\"type\":\"session.update\"}");
      assertEquals("{\"type\":\"session.update\"}", answerer.pollMessage(5_000));
    }
  }
}
