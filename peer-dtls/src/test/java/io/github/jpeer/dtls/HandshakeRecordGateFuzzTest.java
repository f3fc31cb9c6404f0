package io.github.jpeer.dtls;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.jpeer.testkit.SimNetwork;
import java.util.ArrayList;
import java.util.List;

/**
 * The record/fragment layer under a fuzzer. First, any bytes framed as records go through the
 * handshake gate of both roles: nothing escapes, what comes out is well framed and made only of
 * records that went in, and at most {@link HandshakeRecordGate#MAX_HELD_RECORDS} are held. Second,
 * a fragmenting mutator: the fuzzer's input picks where each handshake fragment is cut, how pieces
 * and records are packed and in which order records travel, for a real handshake in both
 * directions, which must always complete.
 */
class HandshakeRecordGateFuzzTest {

  @FuzzTest(maxDuration = "30s")
  void anyRecordsThroughTheGate(FuzzedDataProvider data) {
    for (boolean server : new boolean[] {true, false}) {
      HandshakeRecordGate gate = new HandshakeRecordGate(server);
      List<byte[]> in = new ArrayList<>();
      int out = 0;
      for (int i = 0; i < 8 && data.remainingBytes() > 0; i++) {
        byte[] datagram = records(data, in);
        byte[] passed = gate.filter(datagram);
        if (passed != null) {
          assertTrue(DtlsEndpoint.countRecords(passed, 0, passed.length) > 0, "badly framed");
          for (int pos = 0; pos < passed.length; pos = DtlsRecords.end(passed, pos)) {
            byte[] r = java.util.Arrays.copyOfRange(passed, pos, DtlsRecords.end(passed, pos));
            assertTrue(in.stream().anyMatch(x -> java.util.Arrays.equals(x, r)), "invented");
            out++;
          }
        }
      }
      assertTrue(out <= in.size(), "more records out than in");
      assertTrue(gate.heldNow() <= HandshakeRecordGate.MAX_HELD_RECORDS, "held without bound");
      assertTrue(out + gate.heldNow() <= in.size());
    }
  }

  @FuzzTest(maxDuration = "60s")
  void anyFragmentLayoutStillCompletes(FuzzedDataProvider data) {
    Refragmenter.Choices choices =
        new Refragmenter.Choices() {
          @Override
          public int nextInt(int bound) {
            return data.remainingBytes() == 0 ? 0 : data.consumeInt(0, bound - 1);
          }

          @Override
          public double nextDouble() {
            return data.remainingBytes() == 0 ? 0.5 : data.consumeProbabilityDouble();
          }
        };
    DtlsPair pair = DtlsPair.create(new SimNetwork(5), 1200);
    pair.clientToServerBurst = new Refragmenter(choices, 0.1, 0);
    pair.serverToClientBurst = new Refragmenter(choices, 0.1, 0);
    pair.start();
    boolean connected = pair.pumpUntil(pair::bothConnected);
    pair.closeBoth();
    assertTrue(connected, pair::toString);
  }

  /** One datagram of 1-4 well-framed records (types 20-23, epochs 0-1), noted in {@code in}. */
  private static byte[] records(FuzzedDataProvider data, List<byte[]> in) {
    java.io.ByteArrayOutputStream d = new java.io.ByteArrayOutputStream();
    int n = data.consumeInt(1, 4);
    for (int i = 0; i < n; i++) {
      byte[] body = data.consumeBytes(data.consumeInt(0, 300));
      byte[] r = DtlsEndpointFuzzTest.frame(data.consumeInt(20, 23), data.consumeInt(0, 1), body);
      in.add(r);
      d.writeBytes(r);
    }
    return d.toByteArray();
  }
}
