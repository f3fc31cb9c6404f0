package io.github.jpeer.sdp;

import java.util.ArrayList;
import java.util.List;

/**
 * Small lexical helpers shared by the parsers; none of them throws anything but SdpParseException.
 */
final class Values {
  /** Largest unsigned 32-bit value (SSRCs, ICE priorities). */
  static final long UINT32_MAX = 0xFFFF_FFFFL;

  private Values() {}

  static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
  }

  /**
   * Splits on runs of blanks, dropping empty tokens. NUL is refused here so that every token is
   * acceptable to {@link #isToken}.
   */
  static List<String> tokens(String text) {
    if (text.indexOf(0) >= 0) {
      throw new SdpParseException(text, "expected text without NUL characters");
    }
    List<String> out = new ArrayList<>();
    int i = 0;
    int n = text.length();
    while (i < n) {
      while (i < n && isSpace(text.charAt(i))) {
        i++;
      }
      int start = i;
      while (i < n && !isSpace(text.charAt(i))) {
        i++;
      }
      if (i > start) {
        out.add(text.substring(start, i));
      }
    }
    return out;
  }

  /**
   * Lower-cases ASCII letters only. Keyword matching must not use Unicode case folding: {@code
   * equalsIgnoreCase} treats U+017F (long s) as {@code s}, so a name could match in one place and
   * not in another.
   */
  static String asciiLower(String text) {
    StringBuilder sb = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c >= 'A' && c <= 'Z') {
        if (sb == null) {
          sb = new StringBuilder(text);
        }
        sb.setCharAt(i, (char) (c + ('a' - 'A')));
      }
    }
    return sb == null ? text : sb.toString();
  }

  /** Case-insensitive comparison of ASCII letters; other characters must be equal. */
  static boolean equalsAsciiIgnoreCase(String a, String b) {
    if (a.length() != b.length()) {
      return false;
    }
    for (int i = 0; i < a.length(); i++) {
      char x = a.charAt(i);
      char y = b.charAt(i);
      if (x != y && asciiLower(x) != asciiLower(y)) {
        return false;
      }
    }
    return true;
  }

  private static char asciiLower(char c) {
    return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
  }

  /** Removes leading and trailing blanks. */
  static String strip(String text) {
    int start = 0;
    int end = text.length();
    while (start < end && isSpace(text.charAt(start))) {
      start++;
    }
    while (end > start && isSpace(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(start, end);
  }

  /** Index of the first blank at or after {@code from}, or the length. */
  static int nextSpace(String text, int from) {
    int i = from;
    while (i < text.length() && !isSpace(text.charAt(i))) {
      i++;
    }
    return i;
  }

  /** True when the token is non-empty and has no blank or NUL character. */
  static boolean isToken(String text) {
    if (text == null || text.isEmpty()) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (isSpace(c) || c == 0) {
        return false;
      }
    }
    return true;
  }

  /** True when the text can sit inside one SDP line (no CR, LF or NUL). */
  static boolean isLineSafe(String text) {
    if (text == null) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\r' || c == '\n' || c == 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * Parses decimal digits into a value in {@code [0, max]}; leading zeros are accepted, signs are
   * not, and overflow is detected rather than wrapped.
   */
  static long unsigned(String digits, long max, String text, String expected) {
    if (digits == null || digits.isEmpty()) {
      throw new SdpParseException(text, expected);
    }
    long value = 0;
    for (int i = 0; i < digits.length(); i++) {
      char c = digits.charAt(i);
      if (c < '0' || c > '9') {
        throw new SdpParseException(text, expected);
      }
      int d = c - '0';
      if (value > (max - d) / 10) {
        throw new SdpParseException(text, expected);
      }
      value = value * 10 + d;
    }
    return value;
  }

  static int unsignedInt(String digits, int max, String text, String expected) {
    return (int) unsigned(digits, max, text, expected);
  }

  static String requireToken(String value, String what) {
    if (!isToken(value)) {
      throw new IllegalArgumentException(
          what + " must be a non-empty token without blanks, got '" + value + "'");
    }
    return value;
  }

  static String requireLineSafe(String value, String what) {
    if (!isLineSafe(value)) {
      throw new IllegalArgumentException(what + " must be non-null and contain no CR, LF or NUL");
    }
    return value;
  }

  static int requireRange(int value, int min, int max, String what) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          what + " must be in [" + min + ", " + max + "], got " + value);
    }
    return value;
  }

  static long requireRange(long value, long min, long max, String what) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          what + " must be in [" + min + ", " + max + "], got " + value);
    }
    return value;
  }

  /** Null input to a parser is reported like any other malformed text, never as an NPE. */
  static String nonNull(String text, String expected) {
    if (text == null) {
      throw new SdpParseException("null", expected);
    }
    return text;
  }
}
