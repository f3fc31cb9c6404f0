package io.github.jpeer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jpeer.PeerStats.IceChecks;
import org.junit.jupiter.api.Test;

/**
 * {@link PeerStats#credentialHint()}: which counters point at which side's ICE credentials, and
 * which reading wins when several are seen. {@link WrongIcePasswordTest} shows the same on real
 * sockets.
 */
class CredentialHintTest {
  private static String hint(long badIntegrity, long unknownUfrag, IceChecks c) {
    return PeerStats.credentialHint(badIntegrity, unknownUfrag, c);
  }

  @Test
  void nothingPointsAtTheCredentials() {
    assertEquals("", hint(0, 0, new IceChecks(0, 0, 0, 0, 0, 0)));
    // Checks out, nothing back: a blocked path as much as a password; no hint.
    assertEquals("", hint(0, 0, new IceChecks(20, 13, 0, 0, 0, 0)));
    // Both directions work.
    assertEquals("", hint(0, 0, new IceChecks(20, 0, 10, 10, 0, 0)));
  }

  @Test
  void answersFailingOurIntegrityCheckMeanTheRemotePasswordWeHaveIsWrong() {
    String h = hint(3, 0, new IceChecks(20, 0, 0, 0, 0, 0));
    assertTrue(h.startsWith("3 STUN messages from the remote failed"), h);
    assertTrue(h.contains("a=ice-pwd in the remote description"), h);
  }

  @Test
  void checksFailingOurIntegrityCheckMeanTheRemoteHasOurPasswordWrong() {
    // All 4 bad-integrity messages were the remote's checks: our side of the credentials.
    String h = hint(4, 0, new IceChecks(20, 0, 0, 0, 0, 4));
    assertTrue(h.startsWith("4 checks from the remote failed the integrity check with our"), h);
    assertTrue(h.contains("given another password than ours"), h);
    // One more bad message that was not a check: an answer, which says more about ours.
    assertTrue(hint(5, 0, new IceChecks(20, 0, 0, 0, 0, 4)).startsWith("1 STUN messages"));
  }

  @Test
  void unauthorizedAnswersNameTheRefusal() {
    String h = hint(0, 0, new IceChecks(7, 0, 0, 0, 7, 0));
    assertTrue(h.contains("refused 7 of our checks as unauthorized (STUN 401)"), h);
    // Above a remote that has our password wrong, below answers that fail our check.
    assertTrue(hint(2, 0, new IceChecks(7, 0, 0, 0, 7, 2)).contains("STUN 401"));
    assertTrue(hint(3, 0, new IceChecks(7, 0, 0, 0, 7, 2)).startsWith("1 STUN messages"));
  }

  @Test
  void anotherUfragNamesTheOtherDescription() {
    String h = hint(0, 2, new IceChecks(7, 0, 0, 0, 0, 0));
    assertTrue(h.startsWith("2 checks from the remote named another ICE ufrag"), h);
  }

  @Test
  void theirChecksAnsweredAndNoneOfOursIsTheSilentDrop() {
    String h = hint(0, 0, new IceChecks(14, 7, 6, 0, 0, 0));
    assertTrue(h.contains("reach us (6 answered) but none of our 14 checks was answered"), h);
    assertTrue(h.contains("likely not the remote agent's"), h);
    // One answer of ours is enough to rule it out.
    assertEquals("", hint(0, 0, new IceChecks(14, 7, 6, 1, 0, 0)));
    // So is none of ours having waited out its timeout yet: the remote's first checks are often
    // answered before the answer to our first arrives (seen against libwebrtc).
    assertEquals("", hint(0, 0, new IceChecks(3, 0, 3, 0, 0, 0)));
  }
}
