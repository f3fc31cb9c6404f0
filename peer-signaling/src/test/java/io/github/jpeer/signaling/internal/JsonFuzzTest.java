package io.github.jpeer.signaling.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/** Any text either parses (and then survives write and parse unchanged) or is a JsonException. */
class JsonFuzzTest {
  @FuzzTest(maxDuration = "60s")
  void parseWriteParse(FuzzedDataProvider data) {
    String text = data.consumeRemainingAsString();
    Object first;
    try {
      first = Json.parse(text);
    } catch (JsonException expected) {
      return;
    }
    assertEquals(first, Json.parse(Json.write(first)));
  }
}
