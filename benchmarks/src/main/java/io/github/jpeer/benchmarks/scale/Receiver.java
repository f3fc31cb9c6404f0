package io.github.jpeer.benchmarks.scale;

import io.github.jpeer.AudioPacketListener;
import java.nio.ByteBuffer;

/**
 * The audio-packet callback of every connection on one loop: it runs on that loop's thread only, so
 * its counters and histogram need no synchronisation and cost no allocation per packet. Read them
 * through the loop's {@code submit}, which orders the read after the callbacks.
 */
final class Receiver implements AudioPacketListener {
  private final Window window;
  final LatencyHistogram histogram = new LatencyHistogram();

  /** Packets sent inside the window that arrived. */
  long received;

  /** Packets that did not carry the benchmark's header (should stay 0). */
  long malformed;

  Receiver(Window window) {
    this.window = window;
  }

  @Override
  public void onAudioPacket(ByteBuffer payload, long rtpTimestamp, int sequence, long arrival) {
    long now = System.nanoTime(); // send-to-callback, so after jpeer's queueing and ordering
    int p = payload.position();
    if (payload.remaining() < Pacer.HEADER_BYTES || payload.get(p) != Pacer.OPUS_TOC) {
      malformed++;
      return;
    }
    long sentNanos = payload.getLong(p + 1);
    if (window.contains(sentNanos)) {
      received++;
      histogram.record(now - sentNanos);
    }
  }
}
