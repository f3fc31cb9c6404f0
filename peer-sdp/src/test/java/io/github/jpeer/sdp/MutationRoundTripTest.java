package io.github.jpeer.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Deterministic complement to the Jazzer tests: thousands of seeded mutations of the fixtures
 * (characters swapped, lines duplicated or dropped, blanks inserted) must either fail with {@link
 * SdpParseException} or round-trip, and every typed accessor must work on what parsed.
 */
class MutationRoundTripTest {
  private static final String ALPHABET = " \t\r\n:;/=.-*0123456789abcACsSrtpmvoxyz\u017F\u00e9";

  @Test
  void mutatedFixturesRoundTripOrFailCleanly() {
    SplittableRandom random = new SplittableRandom(8866);
    int parsed = 0;
    for (String name : Fixtures.ALL) {
      String original = Fixtures.load(name);
      for (int round = 0; round < 200; round++) {
        String text = mutate(original, random);
        SessionDescription first;
        try {
          first = SessionDescription.parse(text);
        } catch (SdpParseException expected) {
          continue;
        }
        parsed++;
        assertEquals(
            first, SessionDescription.parse(first.write()), () -> "round trip of\n" + text);
        for (MediaDescription m : first.media()) {
          m.candidates();
          m.codecs();
          m.extMaps();
          m.ssrcs();
          m.ssrcGroups();
          m.msids();
          m.sctpPort();
          m.maxMessageSize();
          first.fingerprints(m);
          first.setup(m);
        }
        first.groups();
      }
    }
    // Most single mutations leave a parsable description; make sure the property was exercised.
    assertTrue(parsed > 250, "only " + parsed + " mutants parsed");
  }

  @Test
  void mutatedCandidatesRoundTripOrFailCleanly() {
    SplittableRandom random = new SplittableRandom(8839);
    String base =
        "candidate:842163049 1 udp 1677729535 203.0.113.77 54609 typ srflx raddr 192.168.1.23 "
            + "rport 54609 generation 0 ufrag Wq7c network-id 1";
    for (int round = 0; round < 3000; round++) {
      String text = mutate(base, random);
      Candidate c;
      try {
        c = Candidate.parse(text);
      } catch (SdpParseException expected) {
        continue;
      }
      assertEquals(c, Candidate.parse(c.toCandidateString()), text);
    }
  }

  private static String mutate(String text, SplittableRandom random) {
    StringBuilder sb = new StringBuilder(text);
    int edits = 1 + random.nextInt(3);
    for (int e = 0; e < edits && sb.length() > 0; e++) {
      int at = random.nextInt(sb.length());
      switch (random.nextInt(5)) {
        case 0 -> sb.setCharAt(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        case 1 -> sb.insert(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        case 2 -> sb.deleteCharAt(at);
        case 3 -> {
          int end = sb.indexOf("\n", at);
          int start = sb.lastIndexOf("\n", at);
          if (end > start) {
            sb.insert(end + 1, sb.substring(start + 1, end + 1));
          }
        }
        default -> {
          int end = sb.indexOf("\n", at);
          if (end > at) {
            sb.delete(at, end);
          }
        }
      }
    }
    return sb.toString();
  }
}
