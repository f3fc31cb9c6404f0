package io.github.jpeer.rtp;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One SDES item (RFC 3550 section 6.5): type, length, text. The text is kept as the raw bytes so
 * that a received item is written back exactly even when it is not valid UTF-8.
 *
 * <pre>
 * |    CNAME=1    |     length    | user and domain name        ...
 * </pre>
 *
 * @param type item type 1-255 (1 CNAME, 2 NAME, ... 8 PRIV)
 * @param value 0-255 bytes of UTF-8 text (copied)
 */
public record SdesItem(int type, byte[] value) {

  /** Item type CNAME. */
  public static final int CNAME = 1;

  /** Validates and copies. */
  public SdesItem {
    if (type < 1 || type > 255) {
      throw new IllegalArgumentException(
          "SDES item type must be 1-255 (0 ends a chunk), got " + type);
    }
    value = value.clone();
    if (value.length > 255) {
      throw new IllegalArgumentException(
          "SDES item text is limited to 255 bytes, got " + value.length);
    }
  }

  /** Creates an item from UTF-8 text. */
  public static SdesItem of(int type, String text) {
    return new SdesItem(type, text.getBytes(StandardCharsets.UTF_8));
  }

  /** Creates a CNAME item. */
  public static SdesItem cname(String cname) {
    return of(CNAME, cname);
  }

  /** Returns a copy of the raw text bytes. */
  @Override
  public byte[] value() {
    return value.clone();
  }

  /** Returns the text decoded as UTF-8 (malformed bytes become U+FFFD). */
  public String text() {
    return new String(value, StandardCharsets.UTF_8);
  }

  int length() {
    return value.length;
  }

  void copyTo(byte[] dst, int offset) {
    System.arraycopy(value, 0, dst, offset, value.length);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SdesItem other && type == other.type && Arrays.equals(value, other.value);
  }

  @Override
  public int hashCode() {
    return 31 * type + Arrays.hashCode(value);
  }

  @Override
  public String toString() {
    return "SdesItem[type=" + type + ", text=" + text() + "]";
  }
}
