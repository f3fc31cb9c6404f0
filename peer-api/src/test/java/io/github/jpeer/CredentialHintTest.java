package io.github.jpeer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jpeer.PeerStats.IceChecks;
import org.junit.jupiter.api.Test;

/**
 * {@link PeerStats#credentialHint()}: which counters point at which side's ICE credentials, and
 * which reading wins when several are seen. {@link WrongIcePasswordTest} and {@code
 * LibWebRtcWrongPasswordTest} show the same over real sockets.
 */
class CredentialHintTest {
  /** Checks: sent, retransmitted, received, answered; 401s; bad integrity on checks, on answers. */
  private static String hint(
      long unknownUfrag,
      long sent,
      long retransmitted,
      long received,
      long responses,
      long unauthorized,
      long badChecks,
      long badResponses) {
    return PeerStats.credentialHint(
        unknownUfrag,
        new IceChecks(
            sent, retransmitted, received, responses, unauthorized, badChecks, badResponses));
  }

  @Test
  void nothingPointsAtTheCredentials() {
    assertEquals("", hint(0, 0, 0, 0, 0, 0, 0, 0));
    // Checks out and retransmitted, nothing back: a blocked path as much as a password; no hint.
    assertEquals("", hint(0, 20, 13, 0, 0, 0, 0, 0));
    // Both directions work.
    assertEquals("", hint(0, 20, 0, 10, 10, 0, 0, 0));
  }

  @Test
  void answersFailingOurIntegrityCheckMeanTheRemotePasswordWeHaveIsWrong() {
    String h = hint(0, 20, 5, 0, 0, 0, 0, 3);
    assertTrue(h.startsWith("3 answers from the remote failed the integrity check"), h);
    assertTrue(h.contains("a=ice-pwd in the remote description"), h);
    // It wins over everything else: our side of the mistake is the one we can name for sure.
    assertTrue(hint(2, 20, 5, 4, 0, 7, 4, 1).startsWith("1 answers from the remote"));
  }

  @Test
  void unauthorizedAnswersNameTheRefusal() {
    String h = hint(0, 7, 0, 0, 0, 7, 0, 0);
    assertTrue(h.contains("refused 7 of our checks as unauthorized (STUN 401)"), h);
    assertTrue(hint(2, 7, 0, 4, 0, 7, 2, 0).contains("STUN 401"));
  }

  @Test
  void checksFailingOurIntegrityCheckMeanTheRemoteHasOurPasswordWrong() {
    String h = hint(0, 20, 0, 0, 0, 0, 4, 0);
    assertTrue(h.startsWith("4 checks from the remote failed the integrity check with our"), h);
    assertTrue(h.contains("given another password than ours"), h);
    // Above another ufrag and above the silent drop.
    assertTrue(hint(2, 20, 9, 3, 0, 0, 4, 0).startsWith("4 checks from the remote failed"));
  }

  @Test
  void anotherUfragNamesTheOtherDescription() {
    String h = hint(2, 7, 0, 0, 0, 0, 0, 0);
    assertTrue(h.startsWith("2 checks from the remote named another ICE ufrag"), h);
  }

  @Test
  void theirChecksAnsweredAndNoneOfOursIsTheSilentDrop() {
    String h = hint(0, 14, 7, 6, 0, 0, 0, 0);
    assertTrue(h.contains("reach us (6 answered) but none of our 14 checks was answered"), h);
    assertTrue(h.contains("likely not the remote agent's"), h);
    // One answer of ours is enough to rule it out.
    assertEquals("", hint(0, 14, 7, 6, 1, 0, 0, 0));
    // So is none of ours having waited out its timeout yet: the remote's first checks are often
    // answered before the answer to our first arrives (seen against libwebrtc).
    assertEquals("", hint(0, 3, 0, 3, 0, 0, 0, 0));
  }
}
