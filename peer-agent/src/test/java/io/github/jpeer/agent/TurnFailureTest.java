package io.github.jpeer.agent;

import static io.github.jpeer.agent.IceConnectivityTest.B_HOST;
import static io.github.jpeer.agent.IceConnectivityTest.TURN;
import static io.github.jpeer.agent.IceConnectivityTest.withTurn;
import static io.github.jpeer.agent.SimHarness.seconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jpeer.agent.SimHarness.Peer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A TURN server that gives no relay is reported, not silent (issue #16): a wrong password (401
 * after the nonce dance) and a server that never answers each end in {@link IceEvent.TurnFailed}
 * with a reason of ours and a counter, and gathering still completes, at once or after the
 * Allocate's retransmissions.
 */
class TurnFailureTest {

  private static List<IceEvent.TurnFailed> failures(Peer p) {
    return p.events.stream()
        .filter(IceEvent.TurnFailed.class::isInstance)
        .map(IceEvent.TurnFailed.class::cast)
        .toList();
  }

  @Test
  void aWrongPasswordIsReportedAs401AndGatheringCompletes() {
    SimHarness h = new SimHarness(41);
    SimTurnServer turn = h.add(new SimTurnServer(TURN, "user", "secret", seconds(3600)));
    Peer b = h.peer("b", withTurn("not-the-secret"), false, 412, B_HOST);
    b.gather(h);
    assertTrue(h.runUntil(() -> b.agent.isGatheringComplete(), seconds(5)), "gathering ended");
    List<IceEvent.TurnFailed> f = failures(b);
    assertEquals(1, f.size(), b.events.toString());
    assertEquals(TURN, f.get(0).server());
    assertEquals(401, f.get(0).errorCode());
    assertTrue(f.get(0).reason().contains("username and password"), f.get(0).reason());
    assertFalse(f.get(0).reason().contains("secret"), "no credential in the reason");
    assertEquals(1, b.agent.stats().turnFailures());
    assertEquals(0, turn.allocations);
    assertTrue(
        b.agent.localCandidates().stream().noneMatch(c -> c.type() == CandidateType.RELAYED));
  }

  @Test
  void aServerThatNeverAnswersIsReportedAs701AndGatheringCompletes() {
    SimHarness h = new SimHarness(42);
    // nothing listens at TURN: every Allocate is lost
    Peer b = h.peer("b", withTurn("secret"), false, 422, B_HOST);
    b.gather(h);
    long start = h.now();
    assertTrue(h.runUntil(() -> b.agent.isGatheringComplete(), seconds(60)), "gathering ended");
    long took = h.now() - start;
    List<IceEvent.TurnFailed> f = failures(b);
    assertEquals(1, f.size(), b.events.toString());
    assertEquals(701, f.get(0).errorCode());
    assertTrue(f.get(0).reason().contains("no answer"), f.get(0).reason());
    assertEquals(1, b.agent.stats().turnFailures());
    // the Allocate's retransmissions (RFC 8489's 39.5 s at most), not a hang
    assertTrue(took <= seconds(40), "gave up after " + took / 1_000_000 + " ms");
    assertTrue(
        b.events.indexOf(f.get(0))
            < b.events.indexOf(
                b.events.stream()
                    .filter(IceEvent.GatheringComplete.class::isInstance)
                    .findFirst()
                    .orElseThrow()),
        "reported before gathering ended");
  }
}
