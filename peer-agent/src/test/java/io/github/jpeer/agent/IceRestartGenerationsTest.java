package io.github.jpeer.agent;

import static io.github.jpeer.agent.IceConnectivityTest.A_HOST;
import static io.github.jpeer.agent.IceConnectivityTest.B_HOST;
import static io.github.jpeer.agent.IceConnectivityTest.addr;
import static io.github.jpeer.agent.IceConnectivityTest.awaitCompleted;
import static io.github.jpeer.agent.IceConnectivityTest.connect;
import static io.github.jpeer.agent.IceConnectivityTest.signalAgain;
import static io.github.jpeer.agent.SimHarness.seconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jpeer.agent.SimHarness.Peer;
import io.github.jpeer.stun.StunClass;
import io.github.jpeer.stun.StunCredentials;
import io.github.jpeer.stun.StunMessage;
import io.github.jpeer.stun.StunMethod;
import io.github.jpeer.stun.TransactionId;
import io.github.jpeer.testkit.Datagram;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/**
 * ICE restarts against a remote that keeps connections of its old generation for a while, as
 * libwebrtc does: those connections learn our new ufrag from the restart description and check us
 * with it, but they know only the remote's old ufrag, so a check back in the new session gets 401
 * Unauthorized (without integrity: RFC 8489 section 9.1.3). Found against libwebrtc, whose restart
 * then cost seconds of failing checks and stun-bad-integrity counts.
 */
class IceRestartGenerationsTest {
  /** Where the remote's old-generation connection lives. */
  static final InetSocketAddress OLD_PORT = addr("10.0.0.2", 7100);

  /**
   * The remote's old-generation connection: checks us with our (new) ufrag and its old one, and
   * answers every check it gets with 401 (with a FINGERPRINT, as libwebrtc sends it), since it does
   * not know the ufrag asked for.
   */
  static final class OldGeneration implements SimHarness.Node {
    int requestsReceived;

    @Override
    public boolean owns(InetSocketAddress a) {
      return OLD_PORT.equals(a);
    }

    @Override
    public void receive(long nowNanos, Datagram d, SimHarness h) {
      StunMessage m = StunMessage.decode(d.data());
      if (m.is(StunClass.REQUEST, StunMethod.BINDING)) {
        requestsReceived++;
        h.send(
            OLD_PORT, d.from(), m.errorResponseBuilder(401, "Unauthorized").fingerprint().encode());
      }
    }

    /** A check to {@code to} as a connection with {@code ours}:{@code theirs} would send it. */
    void check(SimHarness h, IceCredentials to, String oldUfrag, InetSocketAddress at) {
      byte[] check =
          StunMessage.builder(
                  StunClass.REQUEST,
                  StunMethod.BINDING,
                  TransactionId.random(new java.util.SplittableRandom(7)))
              .username(to.ufrag() + ":" + oldUfrag)
              .priority(IceCandidate.priority(110, 65535, 1))
              .iceControlled(42)
              .messageIntegrity(StunCredentials.shortTermKey(to.pwd()))
              .fingerprint()
              .encode();
      h.send(OLD_PORT, at, check);
    }
  }

  @Test
  void anOldGenerationCheckBeforeTheAnswerMakesNoPairOnceTheAnswerIsKnown() {
    SimHarness h = new SimHarness(31);
    Peer a = h.peer("a", IceConfig.defaults(), true, 311, A_HOST);
    Peer b = h.peer("b", IceConfig.defaults(), false, 312, B_HOST);
    OldGeneration old = h.add(new OldGeneration());
    connect(h, a, b);
    String bOld = b.agent.localCredentials().ufrag();
    a.agent.restartIce(h.now(), true);
    // b's old connection read a's restart offer before b answered it
    old.check(h, a.agent.localCredentials(), bOld, A_HOST);
    h.runFor(seconds(0.1));
    b.agent.restartIce(h.now(), false);
    signalAgain(a, b);
    int before = old.requestsReceived;
    awaitCompleted(h, a, b, seconds(10));
    h.runFor(seconds(5));
    assertEquals(before, old.requestsReceived, "no check of the new session went to the old port");
    assertEquals(B_HOST, a.agent.selectedPair().remote().address());
    assertEquals(0, a.agent.stats().badIntegrity() + a.agent.stats().unauthorizedResponses());
  }

  @Test
  void anOldGenerationCheckAfterTheAnswerIsAnsweredButMakesNoPair() {
    SimHarness h = new SimHarness(32);
    Peer a = h.peer("a", IceConfig.defaults(), true, 321, A_HOST);
    Peer b = h.peer("b", IceConfig.defaults(), false, 322, B_HOST);
    OldGeneration old = h.add(new OldGeneration());
    connect(h, a, b);
    String bOld = b.agent.localCredentials().ufrag();
    a.agent.restartIce(h.now(), true);
    b.agent.restartIce(h.now(), false);
    signalAgain(a, b);
    long received = a.agent.stats().checksReceived();
    old.check(h, a.agent.localCredentials(), bOld, A_HOST);
    awaitCompleted(h, a, b, seconds(10));
    h.runFor(seconds(5));
    assertTrue(a.agent.stats().checksReceived() > received, "the check was valid and answered");
    assertEquals(0, old.requestsReceived, "and nothing was checked back");
    assertTrue(
        a.agent.pairs().stream().noneMatch(p -> p.remote().address().equals(OLD_PORT)),
        a.agent.pairs().toString());
  }

  @Test
  void aCheckAnswered401FailsAtOnceAndIsNotCountedAsBadIntegrity() {
    SimHarness h = new SimHarness(33);
    Peer a = h.peer("a", IceConfig.defaults(), true, 331, A_HOST);
    Peer b = h.peer("b", IceConfig.defaults(), false, 332, B_HOST);
    OldGeneration old = h.add(new OldGeneration());
    a.gather(h);
    b.gather(h);
    SimHarness.signal(a, b);
    // a candidate of b's, the best of all, that only b's old generation still answers
    a.agent.addRemoteCandidate(
        h.now(),
        new IceCandidate(
            "old", IceCandidate.priority(126, 65535, 1), OLD_PORT, CandidateType.HOST, null));
    awaitCompleted(h, a, b, seconds(10));
    h.runFor(seconds(1));
    assertEquals(1, old.requestsReceived, "one transmission: the 401 ended the check");
    assertEquals(1, a.agent.stats().unauthorizedResponses());
    assertEquals(0, a.agent.stats().badIntegrity());
    assertEquals(B_HOST, a.agent.selectedPair().remote().address(), "the call took the next pair");
  }

  /**
   * After a restart, data stays on the old session's pair until a pair of the new session is
   * nominated: the remote keeps its selected connection until then.
   */
  @Test
  void dataStaysOnTheOldPairUntilANewOneIsNominated() {
    SimHarness h = new SimHarness(34);
    h.net.setDelayNanos(seconds(0.02));
    Peer a = h.peer("a", IceConfig.defaults(), true, 341, A_HOST);
    Peer b = h.peer("b", IceConfig.defaults(), false, 342, B_HOST);
    connect(h, a, b);
    int before = a.events.size();
    a.agent.restartIce(h.now(), true);
    b.agent.restartIce(h.now(), false);
    signalAgain(a, b);
    awaitCompleted(h, a, b, seconds(10));
    h.runFor(seconds(1));
    boolean changed = false;
    for (Peer p : new Peer[] {a, b}) {
      for (IceEvent e : p.events.subList(p == a ? before : 0, p.events.size())) {
        if (e instanceof IceEvent.SelectedPairChanged s && s.pair() != null && p == a) {
          changed = true;
          assertTrue(s.pair().nominated(), "a moved data to an unnominated pair: " + s.pair());
        }
      }
    }
    assertTrue(changed, "a moved to the new session's pair");
    assertFalse(a.agent.pairs().isEmpty());
  }
}
