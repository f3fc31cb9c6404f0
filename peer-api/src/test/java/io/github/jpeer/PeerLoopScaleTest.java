package io.github.jpeer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Many calls on one PeerLoop thread: all connect, and every frame of every call arrives. */
class PeerLoopScaleTest {
  private static final int CALLS = 40;
  private static final int FRAMES = 25;

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void fortyCallsOnOneThread() throws Exception {
    List<TestPeer[]> calls = new ArrayList<>();
    try (PeerLoop loop = PeerLoop.start("scale")) {
      for (int i = 0; i < CALLS; i++) {
        TestPeer a = TestPeer.loopback("a" + i, c -> c.audioCodec(MediaCodec.OPUS));
        TestPeer b = TestPeer.loopback("b" + i, c -> c.audioCodec(MediaCodec.OPUS));
        // Signaling before the loop takes them over: any thread may do it then.
        b.pc.setRemoteDescription(a.pc.createOffer(), SdpType.OFFER);
        a.pc.setRemoteDescription(b.pc.createAnswer(), SdpType.ANSWER);
        TestPeer.addBoth(loop, a, b);
        calls.add(new TestPeer[] {a, b});
      }
      assertEquals(2 * CALLS, loop.size());
      for (TestPeer[] call : calls) {
        call[0].completed.get(60, TimeUnit.SECONDS);
        call[1].completed.get(60, TimeUnit.SECONDS);
      }
      for (int f = 0; f < FRAMES; f++) {
        for (int i = 0; i < CALLS; i++) {
          calls.get(i)[0].pc.sendAudio(PeerConnectionMatrixTest.audioFrame(MediaCodec.OPUS, f, i));
        }
        TestPeer.pace(20);
      }
      for (int i = 0; i < CALLS; i++) {
        for (int f = 0; f < FRAMES; f++) {
          assertArrayEquals(
              PeerConnectionMatrixTest.audioFrame(MediaCodec.OPUS, f, i),
              TestPeer.take(calls.get(i)[1].audio, "call " + i + " frame " + f));
        }
      }
      for (TestPeer[] call : calls) {
        loop.submit(call[0].pc::close).get(5, TimeUnit.SECONDS);
      }
    }
  }
}
