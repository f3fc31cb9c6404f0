package io.github.jpeer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class MediaEventTest {
  @Test
  void aFrameIsACopyAndItsViewIsReadOnlyAndResetOnEveryCall() {
    MediaEvent e = new MediaEvent(0);
    byte[] src = {9, 1, 2, 3, 9};
    e.setFrame(MediaEvent.Kind.AUDIO_FRAME, src, 1, 3, 4242);
    src[1] = 0;
    ByteBuffer view = e.frame();
    assertTrue(view.isReadOnly());
    assertEquals(3, view.remaining());
    assertEquals(1, view.get());
    assertEquals(3, e.frame().remaining(), "position reset");
    assertEquals(4242, e.rtpTimestamp());
    // A larger frame grows the slot; a smaller one after it uses the same array.
    e.setFrame(MediaEvent.Kind.VIDEO_FRAME, new byte[5000], 0, 5000, 1);
    assertEquals(5000, e.frame().remaining());
    e.setFrame(MediaEvent.Kind.VIDEO_FRAME, src, 0, 2, 2);
    assertEquals(2, e.frame().remaining());
    assertEquals(9, e.frame().get(0));
    e.setPacketLoss(0.25, 7);
    assertEquals(MediaEvent.Kind.PACKET_LOSS, e.kind());
    assertEquals(0.25, e.fractionLost());
    assertEquals(7, e.totalLost());
  }
}
