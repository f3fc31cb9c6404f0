package io.github.jpeer.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes the candidate parser: a parsed candidate formats and parses back equal in all three forms,
 * and nothing but {@link SdpParseException} escapes.
 */
class CandidateFuzzTest {

  @FuzzTest(maxDuration = "60s")
  void parseFormatParse(byte[] data) {
    String text = new String(data, StandardCharsets.UTF_8);
    Candidate first;
    try {
      first = Candidate.parse(text);
    } catch (SdpParseException expected) {
      return;
    }
    assertEquals(first, Candidate.parse(first.toString()));
    assertEquals(first, Candidate.parse(first.toCandidateString()));
    assertEquals(first, Candidate.parse("a=" + first.toAttribute()));
    assertEquals(first, first.toBuilder().build());
  }
}
