package io.github.jpeer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jpeer.testkit.AllocationMeter;
import io.github.jpeer.testkit.SimNetwork;
import org.junit.jupiter.api.Test;

/**
 * What a connected call allocates inside {@link PeerCore}, with no driver and no sockets ({@link
 * SteadyStateAllocationTest} covers those): each datagram is handed from one core's {@code
 * pollTransmit} straight to the other's {@code handleReceive}, every event is polled, and {@code
 * handleTimeout} runs whenever a core's deadline is due.
 *
 * <p>The media path (sendAudio, packetization, SRTP both ways, the ICE wrap, the demux, delivery)
 * allocates nothing. The control plane (consent checks every 4 to 6 s, RTCP reports, SCTP
 * heartbeats) still builds objects: STUN and RTCP messages are parsed into records and written from
 * lists. That is a few kilobytes per second of call, measured and bounded here so that it cannot
 * grow unnoticed, and printed.
 */
class PeerCoreAllocationTest {
  private static final byte[] FRAME = opusFrame();

  private long framesIn;
  private long stunDatagrams;

  @Test
  void theMediaPathThroughTheCoresAllocatesNothing() {
    SimCall call = connected();
    AllocationMeter.assertAllocatesNothing(
        "an audio frame each way through two PeerCores",
        500,
        n -> {
          for (int i = 0; i < n; i++) {
            // 0.1 ms apart: a round spans 50 ms, so most rounds hold no timer at all
            step(call, 100_000L);
          }
          return framesIn;
        });
    assertTrue(framesIn > 10_000, "audio flowed: " + framesIn);
  }

  @Test
  void theControlPlaneAllocatesAFewKilobytesPerSecondOfCall() {
    SimCall call = connected();
    int steps = 1_500; // 30 s of 20 ms frames: consent, RTCP and SCTP heartbeats all come round
    long bytes =
        AllocationMeter.minAllocatedBytes(
            n -> {
              for (int i = 0; i < n; i++) {
                step(call, 20 * SimCall.MS);
              }
              return framesIn;
            },
            3,
            steps);
    double perSecond = bytes / (steps * 0.020);
    System.out.printf(
        "PeerCore control plane: %d bytes in %d s of a two-way audio call (%.0f B/s, both cores)%n",
        bytes, steps / 50, perSecond);
    assertEquals(PeerConnectionState.COMPLETED, call.offerer.state());
    assertEquals(PeerConnectionState.COMPLETED, call.answerer.state());
    assertTrue(stunDatagrams > 20, "consent checks ran while measuring: " + stunDatagrams);
    // Measured at 6.7 KB/s for both cores together (3.3 KB/s a call side); twice that means
    // something grew.
    assertTrue(perSecond < 13_000, "the control plane allocates " + perSecond + " B/s");
  }

  private static SimCall connected() {
    SimCall call = new SimCall(7, new SimNetwork(7));
    assertTrue(call.connect(5 * SimCall.SECOND), call.toString());
    call.run(SimCall.SECOND); // the handshake's leftovers (its thread, late flights) settle
    return call;
  }

  /** Advances virtual time, sends a frame each way, runs due timers, hands everything over. */
  private void step(SimCall call, long advanceNanos) {
    long now = call.clock.advanceNanos(advanceNanos);
    call.offerer.core.sendAudio(now, FRAME, FRAME.length);
    call.answerer.core.sendAudio(now, FRAME, FRAME.length);
    timers(call.offerer, now);
    timers(call.answerer, now);
    // until both are quiet: an answer (a STUN response, say) goes back at once
    while (hand(call.offerer, call.answerer, now) | hand(call.answerer, call.offerer, now)) {
      // keep handing over
    }
  }

  private static void timers(SimCall.Side s, long now) {
    if (now >= s.core.pollTimeoutNanos()) {
      s.core.handleTimeout(now);
    }
  }

  /** Hands {@code from}'s datagrams to {@code to} and polls {@code from}'s events. */
  private boolean hand(SimCall.Side from, SimCall.Side to, long now) {
    boolean moved = false;
    for (OutgoingDatagram d; (d = from.core.pollTransmit()) != null; ) {
      moved = true;
      if (d.length() > 0 && (d.data()[0] & 0xff) < 4) {
        stunDatagrams++; // RFC 7983: 0..3 is STUN
      }
      to.core.handleReceive(now, to.address, from.address, d.data(), 0, d.length());
    }
    for (PeerEvent e; (e = from.core.pollEvent()) != null; ) {
      moved = true;
      if (e instanceof PeerEvent.MediaFrame) {
        framesIn++;
      }
    }
    return moved;
  }

  private static byte[] opusFrame() {
    byte[] f = new byte[80];
    f[0] = (byte) 0xf8; // Opus TOC: CELT FB 20 ms, mono, one frame
    return f;
  }
}
