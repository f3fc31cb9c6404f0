package io.github.jpeer.signaling.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonTest {
  // RFC 8259 section 13, first example.
  private static final String RFC_8259_OBJECT =
      """
      {
        "Image": {
            "Width":  800,
            "Height": 600,
            "Title":  "View from 15th Floor",
            "Thumbnail": {
                "Url":    "http://www.example.com/image/481989943",
                "Height": 125,
                "Width":  100
            },
            "Animated" : false,
            "IDs": [116, 943, 234, 38793]
          }
      }
      """;

  // RFC 8259 section 13, second example.
  private static final String RFC_8259_ARRAY =
      """
      [
        {
           "precision": "zip",
           "Latitude":  37.7668,
           "Longitude": -122.3959,
           "Address":   "",
           "City":      "SAN FRANCISCO",
           "State":     "CA",
           "Zip":       "94107",
           "Country":   "US"
        },
        {
           "precision": "zip",
           "Latitude":  37.371991,
           "Longitude": -122.026020,
           "Address":   "",
           "City":      "SUNNYVALE",
           "State":     "CA",
           "Zip":       "94085",
           "Country":   "US"
        }
      ]
      """;

  @Test
  void parsesTheRfc8259Examples() {
    Map<String, Object> image = Json.object(Json.parseObject(RFC_8259_OBJECT), "Image");
    assertEquals(800L, image.get("Width"));
    assertEquals("View from 15th Floor", image.get("Title"));
    assertEquals(Boolean.FALSE, image.get("Animated"));
    assertEquals(List.of(116L, 943L, 234L, 38793L), image.get("IDs"));
    assertEquals(125L, Json.object(image, "Thumbnail").get("Height"));

    List<?> places = (List<?>) Json.parse(RFC_8259_ARRAY);
    assertEquals(2, places.size());
    Map<?, ?> second = (Map<?, ?>) places.get(1);
    assertEquals(new BigDecimal("-122.026020"), second.get("Longitude"));
    assertEquals("SUNNYVALE", second.get("City"));
  }

  @Test
  void roundTripsAndKeepsMemberOrder() {
    for (String text : List.of(RFC_8259_OBJECT, RFC_8259_ARRAY)) {
      Object once = Json.parse(text);
      assertEquals(once, Json.parse(Json.write(once)));
    }
    String compact =
        "{\"type\":\"session.update\",\"session\":{\"voice\":\"alloy\"},\"n\":[1,2.5,null,true]}";
    assertEquals(compact, Json.write(Json.parse(compact)));
  }

  @Test
  void stringsAreEscapedAndUnescaped() {
    String nasty =
        "quote \" backslash \\ newline \n tab \t bell \u0007 snowman \u2603 emoji \uD83D\uDE00";
    String written = Json.write(nasty);
    assertTrue(written.contains("\\u0007"), written);
    assertEquals(nasty, Json.parse(written));
    assertEquals("\uD83D\uDE00", Json.parse("\"\\ud83d\\ude00\""));
    assertEquals("a/b", Json.parse("\"a\\/b\""));
  }

  @Test
  void numbers() {
    assertEquals(0L, Json.parse("0"));
    assertEquals(-12L, Json.parse("-12"));
    assertEquals(Long.MAX_VALUE, Json.parse("9223372036854775807"));
    assertEquals(new BigDecimal("9223372036854775808"), Json.parse("9223372036854775808"));
    assertEquals(1500L, Json.parse("1.5e3"));
    assertEquals("3", Json.write(3.0));
    assertEquals("0.25", Json.write(0.25));
    assertThrows(IllegalArgumentException.class, () -> Json.write(Double.NaN));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "|expected a value",
        "{|expected a member name",
        "{\"a\" 1}|expected ':'",
        "{\"a\":1,}|expected a member name",
        "[1 2]|expected ',' or ']'",
        "01|unexpected text after the JSON value",
        "1.|expected a digit after '.'",
        "-|expected a digit",
        "\"abc|expected a closing",
        "\"\\x\"|unknown escape",
        "\"\\u12G4\"|expected 4 hex digits",
        "tru|expected 'true'",
        "nul|expected 'null'",
        "@|unexpected character '@'",
      })
  void badJsonSaysWhereAndWhat(String text, String expected) {
    JsonException e = assertThrows(JsonException.class, () -> Json.parse(text == null ? "" : text));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
    assertTrue(e.getMessage().contains("at offset"), e.getMessage());
  }

  @Test
  void deepNestingIsRefusedNotAStackOverflow() {
    String deep = "[".repeat(100_000);
    JsonException e = assertThrows(JsonException.class, () -> Json.parse(deep));
    assertTrue(e.getMessage().contains("nested deeper than"), e.getMessage());
  }

  @Test
  void hugeExponentIsAJsonException() {
    // Regression (found by JsonFuzzTest): an exponent too big for BigDecimal escaped as
    // NumberFormatException instead of JsonException.
    JsonException e = assertThrows(JsonException.class, () -> Json.parse("1e99999999999"));
    assertTrue(e.getMessage().contains("number out of range"), e.getMessage());
  }

  @Test
  void integerValuedNumbersAreLongsWhateverTheirSpelling() {
    // Regression (found by JsonFuzzTest): "2e0" parsed as BigDecimal 2, was written as "2" and
    // parsed back as Long 2, so a round trip changed the value's type.
    assertEquals(2L, Json.parse("2e0"));
    assertEquals(2L, Json.parse("2.0"));
    assertEquals(0L, Json.parse("-0.0e5"));
    assertEquals(new BigDecimal("1E+400"), Json.parse("1e400"));
    assertEquals(new BigDecimal("1.50"), Json.parse("1.50"));
    assertTrue(Json.parse("1e-99999999") instanceof BigDecimal);
  }

  @Test
  void controlCharactersInStringsAreRejected() {
    assertThrows(JsonException.class, () -> Json.parse("\"a\nb\""));
  }

  @Test
  void helpersToleratMissingAndWrongTypes() {
    Map<String, Object> o = Json.parseObject("{\"a\":\"x\",\"b\":1}");
    assertEquals("x", Json.string(o, "a"));
    assertNull(Json.string(o, "b"));
    assertEquals(Map.of(), Json.object(o, "missing"));
    assertThrows(JsonException.class, () -> Json.parseObject("[1]"));
  }

  @Test
  void writerRejectsWhatJsonCannotHold() {
    Map<Object, Object> badKey = new LinkedHashMap<>();
    badKey.put(1, "x");
    assertThrows(IllegalArgumentException.class, () -> Json.write(badKey));
    assertThrows(IllegalArgumentException.class, () -> Json.write(new Object()));
  }
}
