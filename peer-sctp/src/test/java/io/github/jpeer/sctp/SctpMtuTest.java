package io.github.jpeer.sctp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SctpMtuTest {
  /**
   * Regression: with an MTU whose payload room is not a multiple of 4 (e.g. 1150, which
   * PeerConnection uses to stay under the DTLS record limit), full DATA fragments plus their
   * padding did not fit any packet and a large message never left.
   */
  @ParameterizedTest
  @ValueSource(ints = {1150, 1151, 1152, 1153, 1200, 576})
  void largeMessagesCrossWithAnyMtu(int mtu) {
    SctpConfig cfg = SctpConfig.defaults().toBuilder().mtu(mtu).build();
    SctpPair pair = new SctpPair(41, cfg);
    pair.connectBoth();
    int id = pair.a.openChannel(pair.now(), DataChannelConfig.reliable("d").withNegotiatedId(0));
    pair.b.openChannel(pair.now(), DataChannelConfig.reliable("d").withNegotiatedId(0));
    pair.flush();
    byte[] message = new byte[20_000];
    new SplittableRandom(mtu).nextBytes(message);
    pair.a.send(pair.now(), id, message, true);
    pair.runUntil(() -> !SctpPair.of(pair.eventsB, SctpEvent.Message.class).isEmpty(), 10_000);
    assertArrayEquals(message, SctpPair.of(pair.eventsB, SctpEvent.Message.class).get(0).data());
    assertTrue(pair.a.stats().packetsSent() > 20_000 / mtu, "fragmented to the MTU");
  }
}
