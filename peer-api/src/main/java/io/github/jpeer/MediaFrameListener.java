package io.github.jpeer;

import java.nio.ByteBuffer;

/**
 * Receives the encoded frames of a remote track: one Opus/G.711 frame per call for audio, one
 * reassembled Annex-B access unit per call for video. Called on the thread that runs {@code
 * loop()}, in sequence order.
 *
 * <p>The buffer is jpeer's and is reused for the next frame: read it (or copy it) before returning,
 * and do not keep it. The call must be quick and must not block; an exception thrown from it is
 * logged and does not stop the connection.
 */
@FunctionalInterface
public interface MediaFrameListener {
  /**
   * One frame arrived.
   *
   * @param frame the encoded frame, between its position and limit (read-only)
   * @param rtpTimestamp the frame's RTP timestamp, unsigned 32-bit, in the codec's clock rate
   */
  void onFrame(ByteBuffer frame, long rtpTimestamp);
}
