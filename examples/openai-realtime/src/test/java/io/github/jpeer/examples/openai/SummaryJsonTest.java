package io.github.jpeer.examples.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.jpeer.signaling.internal.Json;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The summary's JSON reads back as what was written, quotes and control characters included. */
class SummaryJsonTest {
  @Test
  void whatIsWrittenReadsBack() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("text", "a \"quoted\"\\ line\nand a tab\t and \u0001");
    m.put("n", 42L);
    m.put("ok", true);
    m.put("none", null);
    m.put("list", Arrays.asList(1L, "two", null, Map.of("k", "v")));
    assertEquals(m, Json.parseObject(SummaryJson.write(m)));
    assertEquals(
        1.5,
        ((Number) Json.parseObject(SummaryJson.write(Map.of("x", 1.5))).get("x")).doubleValue());
    assertEquals("{\"a\":[]}", SummaryJson.write(Map.of("a", List.of())));
    assertEquals("null", SummaryJson.write(Double.NaN));
  }
}
