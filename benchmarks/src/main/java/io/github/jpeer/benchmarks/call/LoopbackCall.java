package io.github.jpeer.benchmarks.call;

import io.github.jpeer.MediaCodec;
import io.github.jpeer.PeerConfiguration;
import io.github.jpeer.PeerConnection;
import io.github.jpeer.PeerConnectionState;
import io.github.jpeer.SdpType;
import java.net.InetAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** Connects two connections on this thread, the way the call benchmarks need it. */
final class LoopbackCall {
  private LoopbackCall() {}

  /** An Opus call's configuration on 127.0.0.1 only. */
  static PeerConfiguration.Builder config() {
    return PeerConfiguration.builder()
        .audioCodec(MediaCodec.OPUS)
        .bindAddress(InetAddress.getLoopbackAddress())
        .includeLoopback(true);
  }

  /**
   * Offer from {@code offerer}, answer from {@code answerer} (host candidates only, so the first
   * descriptions are complete), then both {@code loop()}ed until COMPLETED, parking {@code
   * parkNanos} between rounds while the DTLS handshake thread works.
   *
   * @throws IllegalStateException if they are not both COMPLETED within 20 s
   */
  static void connect(PeerConnection offerer, PeerConnection answerer, long parkNanos) {
    answerer.setRemoteDescription(offerer.createOffer(), SdpType.OFFER);
    offerer.setRemoteDescription(answerer.createAnswer(), SdpType.ANSWER);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while ((offerer.getState() != PeerConnectionState.COMPLETED
            || answerer.getState() != PeerConnectionState.COMPLETED)
        && System.nanoTime() < deadline) {
      offerer.loop();
      answerer.loop();
      LockSupport.parkNanos(parkNanos);
    }
    if (offerer.getState() != PeerConnectionState.COMPLETED
        || answerer.getState() != PeerConnectionState.COMPLETED) {
      throw new IllegalStateException("no call in 20 s: " + offerer + ", " + answerer);
    }
  }
}
