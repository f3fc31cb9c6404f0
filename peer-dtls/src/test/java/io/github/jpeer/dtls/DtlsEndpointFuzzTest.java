package io.github.jpeer.dtls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.jpeer.dtls.DtlsEvent.ApplicationData;
import io.github.jpeer.testkit.SimNetwork;
import java.nio.charset.StandardCharsets;

/**
 * Random datagrams into both sides of an established association: nothing escapes {@code
 * handleReceive}, the association stays CONNECTED, and data still flows both ways afterwards. Each
 * input is fed as is and also framed as a record of each content type in epochs 0 and 1, so that
 * the fuzzer reaches BouncyCastle's record processing rather than the framing filter.
 */
class DtlsEndpointFuzzTest {
  private static DtlsPair pair;
  private static int round;

  private static synchronized DtlsPair established() {
    if (pair == null || !pair.bothConnected()) {
      DtlsPair fresh = DtlsPair.create(new SimNetwork(42), 800);
      fresh.start();
      if (!fresh.pumpUntil(fresh::bothConnected)) {
        throw new AssertionError("handshake for the fuzz target did not complete");
      }
      pair = fresh;
    }
    return pair;
  }

  @FuzzTest(maxDuration = "60s")
  void randomDatagramsIntoEstablishedEndpoints(byte[] data) {
    DtlsPair p = established();
    long now = p.clock.nanoTime();
    for (DtlsEndpoint target : new DtlsEndpoint[] {p.client, p.server}) {
      target.handleReceive(now, data, 0, data.length);
      for (int type = 20; type <= 24; type++) {
        for (int epoch = 0; epoch <= 1; epoch++) {
          byte[] framed = frame(type, epoch, data);
          target.handleReceive(now, framed, 0, framed.length);
        }
      }
    }
    p.collect();
    assertEquals(DtlsEndpoint.State.CONNECTED, p.client.state(), () -> "events: " + p.clientEvents);
    assertEquals(DtlsEndpoint.State.CONNECTED, p.server.state(), () -> "events: " + p.serverEvents);
    String text = "ping " + round++;
    byte[] ping = text.getBytes(StandardCharsets.UTF_8);
    p.client.sendApplicationData(ping, 0, ping.length);
    p.server.sendApplicationData(ping, 0, ping.length);
    p.clientEvents.clear();
    p.serverEvents.clear();
    assertTrue(
        p.pumpUntil(() -> received(p.clientEvents, text) && received(p.serverEvents, text)),
        "data no longer flows after the input");
  }

  private static boolean received(java.util.List<DtlsEvent> events, String text) {
    for (ApplicationData d : DtlsPair.ofType(events, ApplicationData.class)) {
      if (new String(d.data(), StandardCharsets.UTF_8).equals(text)) {
        return true;
      }
    }
    return false;
  }

  /** A DTLS 1.2 record header (sequence number from the input's hash) around {@code body}. */
  static byte[] frame(int type, int epoch, byte[] body) {
    int length = Math.min(body.length, 0xFFFF - 13);
    byte[] r = new byte[13 + length];
    r[0] = (byte) type;
    r[1] = (byte) 0xFE;
    r[2] = (byte) 0xFD;
    r[4] = (byte) epoch;
    int seq = java.util.Arrays.hashCode(body) & 0x7FFF;
    r[9] = (byte) (seq >> 8);
    r[10] = (byte) seq;
    r[11] = (byte) (length >> 8);
    r[12] = (byte) length;
    System.arraycopy(body, 0, r, 13, length);
    return r;
  }
}
