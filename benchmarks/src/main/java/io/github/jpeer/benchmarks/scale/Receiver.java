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

  /** Latency by {@link Window#phase} of the send time: only {@link Window#INSIDE} is reported. */
  final LatencyHistogram[] histograms = {
    new LatencyHistogram(), new LatencyHistogram(), new LatencyHistogram()
  };

  /** Packets that arrived, by {@link Window#phase} of their send time. */
  final long[] received = new long[3];

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
    int phase = window.phase(sentNanos); // every packet counted: see Window.phase
    received[phase]++;
    histograms[phase].record(now - sentNanos);
  }
}
