package io.github.jpeer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A remote description whose {@code a=ice-pwd} is not the remote's (munged or mixed up by the
 * signaling), over real sockets on 127.0.0.1. The remote drops our checks, which fail its integrity
 * check, without a word; its own checks reach us and we answer them. The connection says so in
 * {@link PeerStats#credentialHint()} while it is still checking, and in its failure reason once ICE
 * gives up, instead of a bare "no candidate pair succeeded" that sends the user looking at
 * firewalls.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WrongIcePasswordTest {
  private static final String WRONG_PWD = "0123456789abcdefghijklmn";

  private PeerLoop loop;

  @BeforeEach
  void startLoop() {
    loop = PeerLoop.start("wrong-ice-pwd-test");
  }

  @AfterEach
  void stop() {
    loop.close();
  }

  @Test
  void aWrongPasswordInTheAnswerIsNamedWhileCheckingAndInTheFailure() throws Exception {
    TestPeer offerer = TestPeer.loopback("offerer", c -> c.audioCodec(MediaCodec.OPUS));
    TestPeer answerer = TestPeer.loopback("answerer", c -> c.audioCodec(MediaCodec.OPUS));
    TestPeer.addBoth(loop, offerer, answerer);
    TestPeer.negotiate(
        loop,
        offerer,
        answerer,
        false,
        UnaryOperator.identity(),
        answer -> answer.replaceAll("a=ice-pwd:[^\r\n]+", "a=ice-pwd:" + WRONG_PWD));

    // While checking: the answerer's checks are answered, ours are not.
    TestPeer.await(
        () -> !stats(offerer).credentialHint().isEmpty(),
        10_000,
        "the offerer to see the answerer's checks answered and its own unanswered");
    PeerStats checking = stats(offerer);
    String hint = checking.credentialHint();
    assertTrue(hint.contains("a=ice-pwd"), hint);
    assertTrue(hint.contains("none of our"), hint);
    assertTrue(checking.iceChecks().received() > 0, checking::toString);
    assertEquals(0, checking.iceChecks().responses(), checking::toString);
    assertTrue(checking.iceChecks().retransmitted() > 0, checking::toString);
    assertFalse(hint.contains(WRONG_PWD), hint);
    // The answerer has the offerer's password right; it sees checks signed with another than its
    // own, which it drops: its description did not reach the offerer unchanged.
    String answererHint = stats(answerer).credentialHint();
    assertTrue(
        answererHint.contains("failed the integrity check with our a=ice-pwd"), answererHint);
    assertTrue(
        stats(answerer).iceChecks().badIntegrityChecks() > 0, () -> stats(answerer).toString());

    // Once ICE gives up: the failure reason carries the same hint.
    TestPeer.await(
        () -> offerer.states.contains(PeerConnectionState.FAILED),
        30_000,
        "the offerer's ICE to fail");
    String reason = loop.submit(offerer.pc::failureReason).get(5, TimeUnit.SECONDS);
    assertTrue(reason.startsWith("ICE failed: no candidate pair succeeded; "), reason);
    assertTrue(reason.contains("a=ice-pwd in the remote description is likely not"), reason);
    assertFalse(reason.contains(WRONG_PWD), reason);
    assertEquals("ice-failed", stats(offerer).failure());
  }

  private PeerStats stats(TestPeer p) {
    try {
      return loop.submit(p.pc::getStats).get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("getStats on the loop: " + e, e);
    }
  }
}
