package io.github.jpeer.stun;

import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * A 96-bit STUN transaction id (RFC 8489 section 5), held as two numbers so that it is a cheap,
 * immutable map key for matching responses to outstanding requests.
 *
 * @param high the first 4 bytes of the id, big-endian
 * @param low the last 8 bytes of the id, big-endian
 */
public record TransactionId(int high, long low) {

  /** Length of a transaction id on the wire, in bytes. */
  public static final int LENGTH = 12;

  /**
   * Draws a new transaction id. RFC 8489 asks for ids that are uniformly random; pass a {@link
   * java.security.SecureRandom} in production and a seeded generator in tests.
   *
   * @param random the source of randomness
   * @return a new id
   */
  public static TransactionId random(RandomGenerator random) {
    Objects.requireNonNull(random, "random");
    return new TransactionId(random.nextInt(), random.nextLong());
  }

  /**
   * Reads an id from 12 bytes.
   *
   * @param bytes exactly 12 bytes
   * @return the id
   * @throws IllegalArgumentException if {@code bytes} is not 12 bytes long
   */
  public static TransactionId of(byte[] bytes) {
    if (bytes.length != LENGTH) {
      throw new IllegalArgumentException(
          "a transaction id is 12 bytes, got " + bytes.length + "; pass exactly 12 bytes");
    }
    return read(bytes, 0);
  }

  /**
   * Reads an id from a buffer at an offset, without checks beyond the array's own.
   *
   * @param buf the buffer
   * @param off offset of the first of 12 bytes
   * @return the id
   */
  public static TransactionId read(byte[] buf, int off) {
    Objects.checkFromIndexSize(off, LENGTH, buf.length);
    return new TransactionId(Bytes.u32(buf, off), Bytes.u64(buf, off + 4));
  }

  /**
   * Writes the 12 bytes of this id.
   *
   * @param dst the buffer
   * @param off where the first byte goes
   */
  public void writeTo(byte[] dst, int off) {
    Objects.checkFromIndexSize(off, LENGTH, dst.length);
    Bytes.put32(dst, off, high);
    Bytes.put64(dst, off + 4, low);
  }

  /**
   * Returns the 12 bytes of this id.
   *
   * @return a new array
   */
  public byte[] toBytes() {
    byte[] out = new byte[LENGTH];
    writeTo(out, 0);
    return out;
  }

  /**
   * Returns the id as 24 lower-case hex digits.
   *
   * @return the hex form
   */
  @Override
  public String toString() {
    return String.format("%08x%016x", high, low);
  }
}
