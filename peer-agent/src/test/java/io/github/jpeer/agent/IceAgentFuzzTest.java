package io.github.jpeer.agent;

import static io.github.jpeer.agent.IceConnectivityTest.A_HOST;
import static io.github.jpeer.agent.IceConnectivityTest.B_HOST;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.jpeer.agent.SimHarness.Peer;
import io.github.jpeer.stun.StunClass;
import io.github.jpeer.stun.StunCredentials;
import io.github.jpeer.stun.StunMessage;
import io.github.jpeer.stun.StunMethod;
import io.github.jpeer.stun.TransactionId;
import java.net.InetSocketAddress;

/**
 * Random datagrams and mutated valid STUN messages fed to a connected agent: nothing escapes, and
 * the selected pair stays.
 */
class IceAgentFuzzTest {
  private static SimHarness harness;
  private static Peer peer;
  private static CandidatePair selected;
  private static byte[] validCheck;
  private static byte[] validResponse;

  private static synchronized void setUp() {
    if (peer != null) {
      return;
    }
    harness = new SimHarness(77);
    Peer a = harness.peer("a", IceConfig.defaults(), true, 771, A_HOST);
    Peer b = harness.peer("b", IceConfig.defaults(), false, 772, B_HOST);
    IceConnectivityTest.connect(harness, a, b);
    harness.step(harness.now());
    peer = b;
    selected = b.agent.selectedPair();
    IceCredentials local = b.agent.localCredentials();
    IceCredentials remote = b.agent.remoteCredentials();
    TransactionId id = TransactionId.random(harness.random());
    validCheck =
        StunMessage.builder(StunClass.REQUEST, StunMethod.BINDING, id)
            .username(local.ufrag() + ":" + remote.ufrag())
            .priority(1845501695L)
            .iceControlling(42)
            .useCandidate()
            .messageIntegrity(StunCredentials.shortTermKey(local.pwd()))
            .fingerprint()
            .encode();
    validResponse =
        StunMessage.builder(StunClass.SUCCESS_RESPONSE, StunMethod.BINDING, id)
            .xorMappedAddress(B_HOST)
            .messageIntegrity(StunCredentials.shortTermKey(remote.pwd()))
            .fingerprint()
            .encode();
  }

  @FuzzTest(maxDuration = "60s")
  void connectedAgentSurvivesAnyDatagram(FuzzedDataProvider data) {
    setUp();
    IceAgent agent = peer.agent;
    InetSocketAddress[] sources = {A_HOST, B_HOST, new InetSocketAddress(A_HOST.getAddress(), 1)};
    InetSocketAddress from = sources[data.consumeInt(0, sources.length - 1)];
    byte[] datagram;
    switch (data.consumeInt(0, 2)) {
      case 0 -> {
        // A valid check or response with a few bytes changed.
        byte[] base = (data.consumeBoolean() ? validCheck : validResponse).clone();
        int flips = data.consumeInt(1, 4);
        for (int i = 0; i < flips; i++) {
          base[data.consumeInt(0, base.length - 1)] ^= (byte) data.consumeInt(1, 255);
        }
        datagram = base;
      }
      case 1 -> {
        // A STUN header in front of random attributes.
        byte[] body = data.consumeBytes(1200);
        datagram = new byte[20 + body.length];
        System.arraycopy(validCheck, 0, datagram, 0, 20);
        datagram[2] = (byte) (body.length >>> 8);
        datagram[3] = (byte) body.length;
        System.arraycopy(body, 0, datagram, 20, body.length);
      }
      default -> datagram = data.consumeRemainingAsBytes();
    }
    agent.handleReceive(harness.now(), B_HOST, from, datagram, 0, datagram.length);
    agent.handleTimeout(harness.now());
    while (agent.pollTransmit() != null) {
      // answers to the unchanged valid check are fine; nothing else should come out
    }
    while (agent.pollEvent() != null) {
      // drained
    }
    assertNotNull(agent.selectedPair());
    assertEquals(selected.local(), agent.selectedPair().local());
    assertEquals(selected.remote(), agent.selectedPair().remote());
    assertEquals(IceState.COMPLETED, agent.state());
  }
}
