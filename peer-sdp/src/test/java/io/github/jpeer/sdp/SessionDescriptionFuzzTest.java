package io.github.jpeer.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes the SDP parser: whatever parses must write and parse back to an equal model, every typed
 * accessor must work on it, and nothing but {@link SdpParseException} may escape.
 */
class SessionDescriptionFuzzTest {

  @FuzzTest(maxDuration = "60s")
  void parseWriteParse(byte[] data) {
    String text = new String(data, StandardCharsets.UTF_8);
    SessionDescription first;
    try {
      first = SessionDescription.parse(text);
    } catch (SdpParseException expected) {
      return;
    }
    String written = first.write();
    SessionDescription second = SessionDescription.parse(written);
    assertEquals(first, second);
    assertEquals(written, second.write());
    // The parser validated every attribute these read, so none may throw.
    first.groups();
    first.fingerprints();
    for (MediaDescription m : first.media()) {
      first.iceUfrag(m);
      first.icePwd(m);
      first.fingerprints(m);
      first.setup(m);
      first.direction(m);
      first.iceOptions(m);
      m.candidates();
      m.codecs();
      m.extMaps();
      m.ssrcs();
      m.ssrcGroups();
      m.msids();
      m.sctpPort();
      m.maxMessageSize();
      m.payloadType("opus");
      for (Fmtp f : m.fmtps()) {
        f.parameterMap();
      }
    }
  }
}
