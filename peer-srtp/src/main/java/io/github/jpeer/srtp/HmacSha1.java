package io.github.jpeer.srtp;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * HMAC-SHA1 (RFC 2104, FIPS 180-4) for SRTP's per-packet MAC, without allocation, in one of two
 * ways chosen once per JVM:
 *
 * <ul>
 *   <li>JDK digest: when HotSpot compiles SHA-1 to the CPU's SHA extensions ({@code
 *       UseSHA1Intrinsics}), the JDK's {@code MessageDigest} is about 4x faster per block than any
 *       Java code, so HMAC runs on it: the 64-byte ipad and opad blocks are hashed each time (6
 *       compressions for a 172-byte packet plus ROC) into reused arrays, avoiding the 40 bytes that
 *       {@code Mac.doFinal} allocates.
 *   <li>Own SHA-1: without the intrinsic, the SHA-1 states after the ipad and opad blocks are
 *       computed once per key, so the same MAC costs 4 unrolled Java compressions instead of 6;
 *       message blocks are read straight from the packet array.
 * </ul>
 */
final class HmacSha1 {
  private static final VarHandle INTS =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

  /** True when the JDK's SHA-1 is a CPU intrinsic here; decides which HMAC path runs. */
  static final boolean JDK_SHA1_IS_INTRINSIC = detectSha1Intrinsic();

  private final boolean useJdkDigest;
  private final MessageDigest digest;
  private final byte[] innerPad = new byte[64];

  /** ipad followed by the message; grows once if a packet is larger than any before. */
  private byte[] scratch = new byte[64 + 2048];

  /** opad followed by the inner digest. */
  private final byte[] outerBlock = new byte[84];

  private final int[] innerState = new int[5];
  private final int[] outerState = new int[5];
  private final int[] state = new int[5];
  private final byte[] tail = new byte[128];

  /** The full 20-byte MAC of the last {@link #compute} call. */
  final byte[] mac = new byte[20];

  HmacSha1(byte[] key) {
    this(key, JDK_SHA1_IS_INTRINSIC);
  }

  /** Package-private so tests run both paths whatever this CPU has. */
  HmacSha1(byte[] key, boolean useJdkDigest) {
    this.useJdkDigest = useJdkDigest;
    try {
      this.digest = useJdkDigest ? MessageDigest.getInstance("SHA-1") : null;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-1", e);
    }
    if (key.length > 64) {
      throw new IllegalArgumentException("HMAC key longer than one block: " + key.length);
    }
    byte[] pad = new byte[64];
    for (int i = 0; i < 64; i++) {
      pad[i] = (byte) ((i < key.length ? key[i] : 0) ^ 0x36);
    }
    System.arraycopy(pad, 0, innerPad, 0, 64);
    System.arraycopy(pad, 0, scratch, 0, 64);
    init(innerState);
    compress(innerState, pad, 0);
    for (int i = 0; i < 64; i++) {
      pad[i] = (byte) ((i < key.length ? key[i] : 0) ^ 0x5c);
    }
    System.arraycopy(pad, 0, outerBlock, 0, 64);
    init(outerState);
    compress(outerState, pad, 0);
  }

  private static boolean detectSha1Intrinsic() {
    // HotSpot's diagnostic MXBean, reached by name so that no com.sun.management type is linked
    // (and without starting the platform MBean server). Any failure (not HotSpot, flag renamed,
    // jdk.management absent) falls back to the JDK digest, the right choice on most CPUs today.
    try {
      Class<? extends java.lang.management.PlatformManagedObject> type =
          Class.forName("com.sun.management.HotSpotDiagnosticMXBean")
              .asSubclass(java.lang.management.PlatformManagedObject.class);
      Object bean = java.lang.management.ManagementFactory.getPlatformMXBean(type);
      Object option = type.getMethod("getVMOption", String.class).invoke(bean, "UseSHA1Intrinsics");
      Object value = option.getClass().getMethod("getValue").invoke(option);
      return !"false".equals(value);
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      return true;
    }
  }

  private void computeWithDigest(
      byte[] data, int offset, int length, int suffix, boolean withSuffix) {
    // One update per hash: ipad, message and ROC laid out contiguously so that the JDK hashes all
    // full blocks in one intrinsic call, instead of a call (and a partial-block copy) per piece.
    int total = 64 + length + (withSuffix ? 4 : 0);
    if (scratch.length < total) {
      scratch = new byte[Math.max(total, 2 * scratch.length)];
      System.arraycopy(innerPad, 0, scratch, 0, 64);
    }
    byte[] m = scratch;
    System.arraycopy(data, offset, m, 64, length);
    if (withSuffix) {
      INTS.set(m, 64 + length, suffix);
    }
    MessageDigest md = digest;
    try {
      md.update(m, 0, total);
      md.digest(outerBlock, 64, 20);
      md.update(outerBlock, 0, 84);
      md.digest(mac, 0, 20);
    } catch (DigestException e) {
      throw new IllegalStateException("20-byte SHA-1 output buffer", e);
    }
  }

  private static void init(int[] s) {
    s[0] = 0x67452301;
    s[1] = 0xEFCDAB89;
    s[2] = 0x98BADCFE;
    s[3] = 0x10325476;
    s[4] = 0xC3D2E1F0;
  }

  /**
   * Computes HMAC-SHA1 over {@code data[offset, offset + length)}, followed by the four bytes of
   * {@code suffix} when {@code withSuffix} (SRTP appends the ROC, RFC 3711 section 4.2), into
   * {@link #mac}.
   */
  void compute(byte[] data, int offset, int length, int suffix, boolean withSuffix) {
    if (useJdkDigest) {
      computeWithDigest(data, offset, length, suffix, withSuffix);
      return;
    }
    int[] s = state;
    System.arraycopy(innerState, 0, s, 0, 5);
    int full = length & ~63;
    for (int i = 0; i < full; i += 64) {
      compress(s, data, offset + i);
    }
    int rest = length - full;
    byte[] t = tail;
    System.arraycopy(data, offset + full, t, 0, rest);
    int n = rest;
    if (withSuffix) {
      INTS.set(t, n, suffix);
      n += 4;
    }
    t[n++] = (byte) 0x80;
    int end = n + 8 <= 64 ? 64 : 128;
    java.util.Arrays.fill(t, n, end - 8, (byte) 0);
    long bits = (64L + length + (withSuffix ? 4 : 0)) << 3;
    INTS.set(t, end - 8, (int) (bits >>> 32));
    INTS.set(t, end - 4, (int) bits);
    compress(s, t, 0);
    if (end == 128) {
      compress(s, t, 64);
    }
    // Outer hash: opad state, then one block holding the 20-byte inner digest and padding.
    for (int i = 0; i < 5; i++) {
      INTS.set(t, i << 2, s[i]);
    }
    t[20] = (byte) 0x80;
    java.util.Arrays.fill(t, 21, 60, (byte) 0);
    INTS.set(t, 60, (64 + 20) << 3);
    System.arraycopy(outerState, 0, s, 0, 5);
    compress(s, t, 0);
    for (int i = 0; i < 5; i++) {
      INTS.set(mac, i << 2, s[i]);
    }
  }

  /**
   * One SHA-1 compression (FIPS 180-4 section 6.1.2), fully unrolled: the 16-word message schedule
   * lives in locals and the five working variables rotate by renaming, which C2 turns into straight
   * register code (a loop over a W[80] array ran about 3x slower here).
   */
  private static void compress(int[] s, byte[] block, int offset) {
    int w0 = bigEndianInt(block, offset);
    int w1 = bigEndianInt(block, offset + 4);
    int w2 = bigEndianInt(block, offset + 8);
    int w3 = bigEndianInt(block, offset + 12);
    int w4 = bigEndianInt(block, offset + 16);
    int w5 = bigEndianInt(block, offset + 20);
    int w6 = bigEndianInt(block, offset + 24);
    int w7 = bigEndianInt(block, offset + 28);
    int w8 = bigEndianInt(block, offset + 32);
    int w9 = bigEndianInt(block, offset + 36);
    int w10 = bigEndianInt(block, offset + 40);
    int w11 = bigEndianInt(block, offset + 44);
    int w12 = bigEndianInt(block, offset + 48);
    int w13 = bigEndianInt(block, offset + 52);
    int w14 = bigEndianInt(block, offset + 56);
    int w15 = bigEndianInt(block, offset + 60);
    int a = s[0];
    int b = s[1];
    int c = s[2];
    int d = s[3];
    int e = s[4];
    e += Integer.rotateLeft(a, 5) + ((b & c) | (~b & d)) + 0x5A827999 + w0;
    b = Integer.rotateLeft(b, 30);
    d += Integer.rotateLeft(e, 5) + ((a & b) | (~a & c)) + 0x5A827999 + w1;
    a = Integer.rotateLeft(a, 30);
    c += Integer.rotateLeft(d, 5) + ((e & a) | (~e & b)) + 0x5A827999 + w2;
    e = Integer.rotateLeft(e, 30);
    b += Integer.rotateLeft(c, 5) + ((d & e) | (~d & a)) + 0x5A827999 + w3;
    d = Integer.rotateLeft(d, 30);
    a += Integer.rotateLeft(b, 5) + ((c & d) | (~c & e)) + 0x5A827999 + w4;
    c = Integer.rotateLeft(c, 30);
    e += Integer.rotateLeft(a, 5) + ((b & c) | (~b & d)) + 0x5A827999 + w5;
    b = Integer.rotateLeft(b, 30);
    d += Integer.rotateLeft(e, 5) + ((a & b) | (~a & c)) + 0x5A827999 + w6;
    a = Integer.rotateLeft(a, 30);
    c += Integer.rotateLeft(d, 5) + ((e & a) | (~e & b)) + 0x5A827999 + w7;
    e = Integer.rotateLeft(e, 30);
    b += Integer.rotateLeft(c, 5) + ((d & e) | (~d & a)) + 0x5A827999 + w8;
    d = Integer.rotateLeft(d, 30);
    a += Integer.rotateLeft(b, 5) + ((c & d) | (~c & e)) + 0x5A827999 + w9;
    c = Integer.rotateLeft(c, 30);
    e += Integer.rotateLeft(a, 5) + ((b & c) | (~b & d)) + 0x5A827999 + w10;
    b = Integer.rotateLeft(b, 30);
    d += Integer.rotateLeft(e, 5) + ((a & b) | (~a & c)) + 0x5A827999 + w11;
    a = Integer.rotateLeft(a, 30);
    c += Integer.rotateLeft(d, 5) + ((e & a) | (~e & b)) + 0x5A827999 + w12;
    e = Integer.rotateLeft(e, 30);
    b += Integer.rotateLeft(c, 5) + ((d & e) | (~d & a)) + 0x5A827999 + w13;
    d = Integer.rotateLeft(d, 30);
    a += Integer.rotateLeft(b, 5) + ((c & d) | (~c & e)) + 0x5A827999 + w14;
    c = Integer.rotateLeft(c, 30);
    e += Integer.rotateLeft(a, 5) + ((b & c) | (~b & d)) + 0x5A827999 + w15;
    b = Integer.rotateLeft(b, 30);
    w0 = Integer.rotateLeft(w13 ^ w8 ^ w2 ^ w0, 1);
    d += Integer.rotateLeft(e, 5) + ((a & b) | (~a & c)) + 0x5A827999 + w0;
    a = Integer.rotateLeft(a, 30);
    w1 = Integer.rotateLeft(w14 ^ w9 ^ w3 ^ w1, 1);
    c += Integer.rotateLeft(d, 5) + ((e & a) | (~e & b)) + 0x5A827999 + w1;
    e = Integer.rotateLeft(e, 30);
    w2 = Integer.rotateLeft(w15 ^ w10 ^ w4 ^ w2, 1);
    b += Integer.rotateLeft(c, 5) + ((d & e) | (~d & a)) + 0x5A827999 + w2;
    d = Integer.rotateLeft(d, 30);
    w3 = Integer.rotateLeft(w0 ^ w11 ^ w5 ^ w3, 1);
    a += Integer.rotateLeft(b, 5) + ((c & d) | (~c & e)) + 0x5A827999 + w3;
    c = Integer.rotateLeft(c, 30);
    w4 = Integer.rotateLeft(w1 ^ w12 ^ w6 ^ w4, 1);
    e += Integer.rotateLeft(a, 5) + (b ^ c ^ d) + 0x6ED9EBA1 + w4;
    b = Integer.rotateLeft(b, 30);
    w5 = Integer.rotateLeft(w2 ^ w13 ^ w7 ^ w5, 1);
    d += Integer.rotateLeft(e, 5) + (a ^ b ^ c) + 0x6ED9EBA1 + w5;
    a = Integer.rotateLeft(a, 30);
    w6 = Integer.rotateLeft(w3 ^ w14 ^ w8 ^ w6, 1);
    c += Integer.rotateLeft(d, 5) + (e ^ a ^ b) + 0x6ED9EBA1 + w6;
    e = Integer.rotateLeft(e, 30);
    w7 = Integer.rotateLeft(w4 ^ w15 ^ w9 ^ w7, 1);
    b += Integer.rotateLeft(c, 5) + (d ^ e ^ a) + 0x6ED9EBA1 + w7;
    d = Integer.rotateLeft(d, 30);
    w8 = Integer.rotateLeft(w5 ^ w0 ^ w10 ^ w8, 1);
    a += Integer.rotateLeft(b, 5) + (c ^ d ^ e) + 0x6ED9EBA1 + w8;
    c = Integer.rotateLeft(c, 30);
    w9 = Integer.rotateLeft(w6 ^ w1 ^ w11 ^ w9, 1);
    e += Integer.rotateLeft(a, 5) + (b ^ c ^ d) + 0x6ED9EBA1 + w9;
    b = Integer.rotateLeft(b, 30);
    w10 = Integer.rotateLeft(w7 ^ w2 ^ w12 ^ w10, 1);
    d += Integer.rotateLeft(e, 5) + (a ^ b ^ c) + 0x6ED9EBA1 + w10;
    a = Integer.rotateLeft(a, 30);
    w11 = Integer.rotateLeft(w8 ^ w3 ^ w13 ^ w11, 1);
    c += Integer.rotateLeft(d, 5) + (e ^ a ^ b) + 0x6ED9EBA1 + w11;
    e = Integer.rotateLeft(e, 30);
    w12 = Integer.rotateLeft(w9 ^ w4 ^ w14 ^ w12, 1);
    b += Integer.rotateLeft(c, 5) + (d ^ e ^ a) + 0x6ED9EBA1 + w12;
    d = Integer.rotateLeft(d, 30);
    w13 = Integer.rotateLeft(w10 ^ w5 ^ w15 ^ w13, 1);
    a += Integer.rotateLeft(b, 5) + (c ^ d ^ e) + 0x6ED9EBA1 + w13;
    c = Integer.rotateLeft(c, 30);
    w14 = Integer.rotateLeft(w11 ^ w6 ^ w0 ^ w14, 1);
    e += Integer.rotateLeft(a, 5) + (b ^ c ^ d) + 0x6ED9EBA1 + w14;
    b = Integer.rotateLeft(b, 30);
    w15 = Integer.rotateLeft(w12 ^ w7 ^ w1 ^ w15, 1);
    d += Integer.rotateLeft(e, 5) + (a ^ b ^ c) + 0x6ED9EBA1 + w15;
    a = Integer.rotateLeft(a, 30);
    w0 = Integer.rotateLeft(w13 ^ w8 ^ w2 ^ w0, 1);
    c += Integer.rotateLeft(d, 5) + (e ^ a ^ b) + 0x6ED9EBA1 + w0;
    e = Integer.rotateLeft(e, 30);
    w1 = Integer.rotateLeft(w14 ^ w9 ^ w3 ^ w1, 1);
    b += Integer.rotateLeft(c, 5) + (d ^ e ^ a) + 0x6ED9EBA1 + w1;
    d = Integer.rotateLeft(d, 30);
    w2 = Integer.rotateLeft(w15 ^ w10 ^ w4 ^ w2, 1);
    a += Integer.rotateLeft(b, 5) + (c ^ d ^ e) + 0x6ED9EBA1 + w2;
    c = Integer.rotateLeft(c, 30);
    w3 = Integer.rotateLeft(w0 ^ w11 ^ w5 ^ w3, 1);
    e += Integer.rotateLeft(a, 5) + (b ^ c ^ d) + 0x6ED9EBA1 + w3;
    b = Integer.rotateLeft(b, 30);
    w4 = Integer.rotateLeft(w1 ^ w12 ^ w6 ^ w4, 1);
    d += Integer.rotateLeft(e, 5) + (a ^ b ^ c) + 0x6ED9EBA1 + w4;
    a = Integer.rotateLeft(a, 30);
    w5 = Integer.rotateLeft(w2 ^ w13 ^ w7 ^ w5, 1);
    c += Integer.rotateLeft(d, 5) + (e ^ a ^ b) + 0x6ED9EBA1 + w5;
    e = Integer.rotateLeft(e, 30);
    w6 = Integer.rotateLeft(w3 ^ w14 ^ w8 ^ w6, 1);
    b += Integer.rotateLeft(c, 5) + (d ^ e ^ a) + 0x6ED9EBA1 + w6;
    d = Integer.rotateLeft(d, 30);
    w7 = Integer.rotateLeft(w4 ^ w15 ^ w9 ^ w7, 1);
    a += Integer.rotateLeft(b, 5) + (c ^ d ^ e) + 0x6ED9EBA1 + w7;
    c = Integer.rotateLeft(c, 30);
    w8 = Integer.rotateLeft(w5 ^ w0 ^ w10 ^ w8, 1);
    e += Integer.rotateLeft(a, 5) + ((b & c) | (b & d) | (c & d)) + 0x8F1BBCDC + w8;
    b = Integer.rotateLeft(b, 30);
    w9 = Integer.rotateLeft(w6 ^ w1 ^ w11 ^ w9, 1);
    d += Integer.rotateLeft(e, 5) + ((a & b) | (a & c) | (b & c)) + 0x8F1BBCDC + w9;
    a = Integer.rotateLeft(a, 30);
    w10 = Integer.rotateLeft(w7 ^ w2 ^ w12 ^ w10, 1);
    c += Integer.rotateLeft(d, 5) + ((e & a) | (e & b) | (a & b)) + 0x8F1BBCDC + w10;
    e = Integer.rotateLeft(e, 30);
    w11 = Integer.rotateLeft(w8 ^ w3 ^ w13 ^ w11, 1);
    b += Integer.rotateLeft(c, 5) + ((d & e) | (d & a) | (e & a)) + 0x8F1BBCDC + w11;
    d = Integer.rotateLeft(d, 30);
    w12 = Integer.rotateLeft(w9 ^ w4 ^ w14 ^ w12, 1);
    a += Integer.rotateLeft(b, 5) + ((c & d) | (c & e) | (d & e)) + 0x8F1BBCDC + w12;
    c = Integer.rotateLeft(c, 30);
    w13 = Integer.rotateLeft(w10 ^ w5 ^ w15 ^ w13, 1);
    e += Integer.rotateLeft(a, 5) + ((b & c) | (b & d) | (c & d)) + 0x8F1BBCDC + w13;
    b = Integer.rotateLeft(b, 30);
    w14 = Integer.rotateLeft(w11 ^ w6 ^ w0 ^ w14, 1);
    d += Integer.rotateLeft(e, 5) + ((a & b) | (a & c) | (b & c)) + 0x8F1BBCDC + w14;
    a = Integer.rotateLeft(a, 30);
    w15 = Integer.rotateLeft(w12 ^ w7 ^ w1 ^ w15, 1);
    c += Integer.rotateLeft(d, 5) + ((e & a) | (e & b) | (a & b)) + 0x8F1BBCDC + w15;
    e = Integer.rotateLeft(e, 30);
    w0 = Integer.rotateLeft(w13 ^ w8 ^ w2 ^ w0, 1);
    b += Integer.rotateLeft(c, 5) + ((d & e) | (d & a) | (e & a)) + 0x8F1BBCDC + w0;
    d = Integer.rotateLeft(d, 30);
    w1 = Integer.rotateLeft(w14 ^ w9 ^ w3 ^ w1, 1);
    a += Integer.rotateLeft(b, 5) + ((c & d) | (c & e) | (d & e)) + 0x8F1BBCDC + w1;
    c = Integer.rotateLeft(c, 30);
    w2 = Integer.rotateLeft(w15 ^ w10 ^ w4 ^ w2, 1);
    e += Integer.rotateLeft(a, 5) + ((b & c) | (b & d) | (c & d)) + 0x8F1BBCDC + w2;
    b = Integer.rotateLeft(b, 30);
    w3 = Integer.rotateLeft(w0 ^ w11 ^ w5 ^ w3, 1);
    d += Integer.rotateLeft(e, 5) + ((a & b) | (a & c) | (b & c)) + 0x8F1BBCDC + w3;
    a = Integer.rotateLeft(a, 30);
    w4 = Integer.rotateLeft(w1 ^ w12 ^ w6 ^ w4, 1);
    c += Integer.rotateLeft(d, 5) + ((e & a) | (e & b) | (a & b)) + 0x8F1BBCDC + w4;
    e = Integer.rotateLeft(e, 30);
    w5 = Integer.rotateLeft(w2 ^ w13 ^ w7 ^ w5, 1);
    b += Integer.rotateLeft(c, 5) + ((d & e) | (d & a) | (e & a)) + 0x8F1BBCDC + w5;
    d = Integer.rotateLeft(d, 30);
    w6 = Integer.rotateLeft(w3 ^ w14 ^ w8 ^ w6, 1);
    a += Integer.rotateLeft(b, 5) + ((c & d) | (c & e) | (d & e)) + 0x8F1BBCDC + w6;
    c = Integer.rotateLeft(c, 30);
    w7 = Integer.rotateLeft(w4 ^ w15 ^ w9 ^ w7, 1);
    e += Integer.rotateLeft(a, 5) + ((b & c) | (b & d) | (c & d)) + 0x8F1BBCDC + w7;
    b = Integer.rotateLeft(b, 30);
    w8 = Integer.rotateLeft(w5 ^ w0 ^ w10 ^ w8, 1);
    d += Integer.rotateLeft(e, 5) + ((a & b) | (a & c) | (b & c)) + 0x8F1BBCDC + w8;
    a = Integer.rotateLeft(a, 30);
    w9 = Integer.rotateLeft(w6 ^ w1 ^ w11 ^ w9, 1);
    c += Integer.rotateLeft(d, 5) + ((e & a) | (e & b) | (a & b)) + 0x8F1BBCDC + w9;
    e = Integer.rotateLeft(e, 30);
    w10 = Integer.rotateLeft(w7 ^ w2 ^ w12 ^ w10, 1);
    b += Integer.rotateLeft(c, 5) + ((d & e) | (d & a) | (e & a)) + 0x8F1BBCDC + w10;
    d = Integer.rotateLeft(d, 30);
    w11 = Integer.rotateLeft(w8 ^ w3 ^ w13 ^ w11, 1);
    a += Integer.rotateLeft(b, 5) + ((c & d) | (c & e) | (d & e)) + 0x8F1BBCDC + w11;
    c = Integer.rotateLeft(c, 30);
    w12 = Integer.rotateLeft(w9 ^ w4 ^ w14 ^ w12, 1);
    e += Integer.rotateLeft(a, 5) + (b ^ c ^ d) + 0xCA62C1D6 + w12;
    b = Integer.rotateLeft(b, 30);
    w13 = Integer.rotateLeft(w10 ^ w5 ^ w15 ^ w13, 1);
    d += Integer.rotateLeft(e, 5) + (a ^ b ^ c) + 0xCA62C1D6 + w13;
    a = Integer.rotateLeft(a, 30);
    w14 = Integer.rotateLeft(w11 ^ w6 ^ w0 ^ w14, 1);
    c += Integer.rotateLeft(d, 5) + (e ^ a ^ b) + 0xCA62C1D6 + w14;
    e = Integer.rotateLeft(e, 30);
    w15 = Integer.rotateLeft(w12 ^ w7 ^ w1 ^ w15, 1);
    b += Integer.rotateLeft(c, 5) + (d ^ e ^ a) + 0xCA62C1D6 + w15;
    d = Integer.rotateLeft(d, 30);
    w0 = Integer.rotateLeft(w13 ^ w8 ^ w2 ^ w0, 1);
    a += Integer.rotateLeft(b, 5) + (c ^ d ^ e) + 0xCA62C1D6 + w0;
    c = Integer.rotateLeft(c, 30);
    w1 = Integer.rotateLeft(w14 ^ w9 ^ w3 ^ w1, 1);
    e += Integer.rotateLeft(a, 5) + (b ^ c ^ d) + 0xCA62C1D6 + w1;
    b = Integer.rotateLeft(b, 30);
    w2 = Integer.rotateLeft(w15 ^ w10 ^ w4 ^ w2, 1);
    d += Integer.rotateLeft(e, 5) + (a ^ b ^ c) + 0xCA62C1D6 + w2;
    a = Integer.rotateLeft(a, 30);
    w3 = Integer.rotateLeft(w0 ^ w11 ^ w5 ^ w3, 1);
    c += Integer.rotateLeft(d, 5) + (e ^ a ^ b) + 0xCA62C1D6 + w3;
    e = Integer.rotateLeft(e, 30);
    w4 = Integer.rotateLeft(w1 ^ w12 ^ w6 ^ w4, 1);
    b += Integer.rotateLeft(c, 5) + (d ^ e ^ a) + 0xCA62C1D6 + w4;
    d = Integer.rotateLeft(d, 30);
    w5 = Integer.rotateLeft(w2 ^ w13 ^ w7 ^ w5, 1);
    a += Integer.rotateLeft(b, 5) + (c ^ d ^ e) + 0xCA62C1D6 + w5;
    c = Integer.rotateLeft(c, 30);
    w6 = Integer.rotateLeft(w3 ^ w14 ^ w8 ^ w6, 1);
    e += Integer.rotateLeft(a, 5) + (b ^ c ^ d) + 0xCA62C1D6 + w6;
    b = Integer.rotateLeft(b, 30);
    w7 = Integer.rotateLeft(w4 ^ w15 ^ w9 ^ w7, 1);
    d += Integer.rotateLeft(e, 5) + (a ^ b ^ c) + 0xCA62C1D6 + w7;
    a = Integer.rotateLeft(a, 30);
    w8 = Integer.rotateLeft(w5 ^ w0 ^ w10 ^ w8, 1);
    c += Integer.rotateLeft(d, 5) + (e ^ a ^ b) + 0xCA62C1D6 + w8;
    e = Integer.rotateLeft(e, 30);
    w9 = Integer.rotateLeft(w6 ^ w1 ^ w11 ^ w9, 1);
    b += Integer.rotateLeft(c, 5) + (d ^ e ^ a) + 0xCA62C1D6 + w9;
    d = Integer.rotateLeft(d, 30);
    w10 = Integer.rotateLeft(w7 ^ w2 ^ w12 ^ w10, 1);
    a += Integer.rotateLeft(b, 5) + (c ^ d ^ e) + 0xCA62C1D6 + w10;
    c = Integer.rotateLeft(c, 30);
    w11 = Integer.rotateLeft(w8 ^ w3 ^ w13 ^ w11, 1);
    e += Integer.rotateLeft(a, 5) + (b ^ c ^ d) + 0xCA62C1D6 + w11;
    b = Integer.rotateLeft(b, 30);
    w12 = Integer.rotateLeft(w9 ^ w4 ^ w14 ^ w12, 1);
    d += Integer.rotateLeft(e, 5) + (a ^ b ^ c) + 0xCA62C1D6 + w12;
    a = Integer.rotateLeft(a, 30);
    w13 = Integer.rotateLeft(w10 ^ w5 ^ w15 ^ w13, 1);
    c += Integer.rotateLeft(d, 5) + (e ^ a ^ b) + 0xCA62C1D6 + w13;
    e = Integer.rotateLeft(e, 30);
    w14 = Integer.rotateLeft(w11 ^ w6 ^ w0 ^ w14, 1);
    b += Integer.rotateLeft(c, 5) + (d ^ e ^ a) + 0xCA62C1D6 + w14;
    d = Integer.rotateLeft(d, 30);
    w15 = Integer.rotateLeft(w12 ^ w7 ^ w1 ^ w15, 1);
    a += Integer.rotateLeft(b, 5) + (c ^ d ^ e) + 0xCA62C1D6 + w15;
    c = Integer.rotateLeft(c, 30);
    s[0] += a;
    s[1] += b;
    s[2] += c;
    s[3] += d;
    s[4] += e;
  }

  private static int bigEndianInt(byte[] b, int i) {
    return (b[i] << 24) | ((b[i + 1] & 0xff) << 16) | ((b[i + 2] & 0xff) << 8) | (b[i + 3] & 0xff);
  }
}
