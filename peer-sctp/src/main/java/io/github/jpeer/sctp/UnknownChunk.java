package io.github.jpeer.sctp;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A chunk of a type this module does not implement (RFC 9260 section 3.2: the upper two bits of the
 * type say whether to skip it and whether to report it); kept whole so it round-trips.
 *
 * @param type the chunk type
 * @param flags the flags byte
 * @param value the value without padding; copied in and out
 */
public record UnknownChunk(int type, int flags, byte[] value) implements Chunk {
  /** Copies the value. */
  public UnknownChunk {
    if (type < 0 || type > 255 || flags < 0 || flags > 255 || value.length > 0xFFFF - 4) {
      throw new IllegalArgumentException("unknown chunk type/flags out of range or value too long");
    }
    value = value.clone();
  }

  /** A copy of the value. */
  @Override
  public byte[] value() {
    return value.clone();
  }

  @Override
  public int valueLength() {
    return value.length;
  }

  @Override
  public void writeValue(byte[] b, int off) {
    System.arraycopy(value, 0, b, off, value.length);
  }

  static UnknownChunk parse(int type, int flags, byte[] b, int off, int len) {
    return new UnknownChunk(type, flags, Arrays.copyOfRange(b, off, off + len));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UnknownChunk u
        && u.type == type
        && u.flags == flags
        && Arrays.equals(u.value, value);
  }

  @Override
  public int hashCode() {
    return type * 31 + Arrays.hashCode(value);
  }

  @Override
  public String toString() {
    return "UnknownChunk[type="
        + type
        + ", flags="
        + flags
        + ", value="
        + HexFormat.of().formatHex(value)
        + "]";
  }
}
