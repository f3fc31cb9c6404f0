package io.github.jpeer.examples.openai;

import io.github.jpeer.media.OpusDecoder;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Turns received Opus frames into PCM: conceals short gaps (packet loss concealment), drops
 * duplicates and late frames, and hands each decoded or concealed 48 kHz mono block on. Runs on the
 * connection's loop thread; the counters may be read from any thread.
 */
final class AudioReceiver {
  /** Samples per channel in 2.5 ms, the granularity Opus can conceal. */
  private static final int CONCEAL_STEP = 120;

  /** A gap up to this long (100 ms) is loss and gets concealed; a longer one is a pause. */
  static final int MAX_CONCEALED_SAMPLES = 4_800;

  private final OpusDecoder decoder;
  private final Consumer<short[]> sink;
  private final byte[] packet = new byte[1500];
  private final short[] pcm;
  private boolean haveLast;
  private long lastRtpTimestamp;
  private int lastSamples;

  final AtomicLong framesDecoded = new AtomicLong();
  final AtomicLong framesConcealed = new AtomicLong();
  final AtomicLong framesRejected = new AtomicLong();
  final AtomicLong framesLate = new AtomicLong();

  /** Decodes with {@code decoder} and passes each block (a fresh array) to {@code sink}. */
  AudioReceiver(OpusDecoder decoder, Consumer<short[]> sink) {
    this.decoder = decoder;
    this.sink = sink;
    this.pcm = new short[decoder.maxSamplesPerPacket() * decoder.format().channels()];
  }

  /** One received frame, as {@code MediaFrameListener} delivers it. */
  void onFrame(ByteBuffer frame, long rtpTimestamp) {
    int length = Math.min(frame.remaining(), packet.length);
    frame.get(frame.position(), packet, 0, length);
    if (haveLast) {
      int step = (int) (rtpTimestamp - lastRtpTimestamp); // 32-bit wrap-around safe
      if (step <= 0) {
        framesLate.incrementAndGet(); // a duplicate or reordered frame: its time has passed
        return;
      }
      int missing = step - lastSamples;
      if (missing > 0 && missing <= MAX_CONCEALED_SAMPLES) {
        for (int left = missing - missing % CONCEAL_STEP; left > 0; ) {
          int n = Math.min(left, lastSamples);
          deliver(decoder.decodeLost(pcm, 0, n));
          framesConcealed.incrementAndGet();
          left -= n;
        }
      }
    }
    int samples = decoder.decode(packet, 0, length, pcm, 0, decoder.maxSamplesPerPacket());
    if (samples <= 0) {
      framesRejected.incrementAndGet();
      return;
    }
    haveLast = true;
    lastRtpTimestamp = rtpTimestamp;
    lastSamples = samples;
    framesDecoded.incrementAndGet();
    deliver(samples);
  }

  private void deliver(int samples) {
    sink.accept(Arrays.copyOf(pcm, samples * decoder.format().channels()));
  }
}
