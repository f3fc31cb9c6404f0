package io.github.jpeer.agent;

import static io.github.jpeer.agent.IceConnectivityTest.B_HOST;
import static io.github.jpeer.agent.IceConnectivityTest.TURN;
import static io.github.jpeer.agent.IceConnectivityTest.addr;
import static io.github.jpeer.agent.SimHarness.seconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jpeer.agent.SimHarness.Peer;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** The per-packet paths allocate nothing once warmed up. */
class ZeroAllocationTest {
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private static long allocated() {
    return THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
  }

  @Test
  void receivingAndWrappingApplicationDataAllocatesNothing() {
    SimHarness h = new SimHarness(31);
    IceConnectivityTest.onlyTurnReachableFromB(h);
    SimTurnServer turn = h.add(new SimTurnServer(TURN, "user", "secret", seconds(3600)));
    InetSocketAddress aSocket = addr("192.0.2.10", 5000);
    Peer a = h.peer("a", IceConfig.defaults(), true, 1, aSocket);
    Peer b = h.peer("b", IceConnectivityTest.withTurn("secret"), false, 2, B_HOST);
    IceConnectivityTest.connect(h, a, b);
    assertTrue(h.runUntil(() -> turn.channelBinds >= 1, seconds(2)));
    h.runFor(seconds(1));
    assertTrue(b.agent.selectedPair().isRelayed());

    byte[] payload = new byte[1200];
    payload[0] = 23; // DTLS application data
    byte[] channelData = new byte[4 + payload.length];
    channelData[0] = 0x40; // the first channel
    channelData[2] = (byte) (payload.length >>> 8);
    channelData[3] = (byte) payload.length;
    System.arraycopy(payload, 0, channelData, 4, payload.length);
    byte[] out = new byte[payload.length + 64];
    InetSocketAddress bSocket = B_HOST;

    long sink = 0;
    long lastBytes = -1;
    int rounds = 0;
    for (int round = 0; round < 10 && lastBytes != 0; round++) {
      rounds++;
      long before = allocated();
      for (int i = 0; i < 20_000; i++) {
        // Direct pair on a, ChannelData through the relay on b, wrapping on b.
        Received r =
            a.agent.handleReceive(
                h.now(),
                aSocket,
                b.agent.selectedPair().local().address(),
                payload,
                0,
                payload.length);
        sink += r.length();
        Received rb =
            b.agent.handleReceive(h.now(), bSocket, TURN, channelData, 0, channelData.length);
        sink += rb.length();
        sink += b.agent.wrapForSelectedPair(payload, 0, payload.length, out, 0);
        sink += a.agent.wrapForSelectedPair(payload, 0, payload.length, out, 0);
      }
      // The first rounds warm up the JIT (interpreted code may allocate where compiled code
      // does not, thanks to escape analysis) and may see one-off JVM allocations; a per-packet
      // allocation would show in every round, so one clean round of 80 000 calls is the proof.
      lastBytes = allocated() - before;
    }
    assertEquals(0, lastBytes, "allocated on the data path in every one of 10 rounds");
    // Every call did its job: 4 x 20 000 x 1200 bytes, plus the 4-byte channel headers.
    assertEquals(rounds * 20_000L * (3L * 1200 + 1204), sink);
    assertEquals(
        Received.Kind.APPLICATION_DATA,
        b.agent.handleReceive(h.now(), bSocket, TURN, channelData, 0, channelData.length).kind());
  }
}
