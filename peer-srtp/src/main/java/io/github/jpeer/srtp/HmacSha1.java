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
 *       UseSHA1Intrinsics}), the JDK's {@code MessageDigest} is about 2.4x faster per block than
 *       the Java compression below, so HMAC runs on it even though the 64-byte ipad and opad blocks
 *       are hashed each time (6 compressions for a 172-byte packet plus ROC, about 260 ns here
 *       against 360 ns for the own path's 4), into reused arrays, avoiding the 40 bytes that {@code
 *       Mac.doFinal} allocates.
 *   <li>Own SHA-1: without the intrinsic, the SHA-1 states after the ipad and opad blocks are
 *       computed once per key, so the same MAC costs 4 unrolled Java compressions instead of 6;
 *       message blocks are read straight from the packet array.
 * </ul>
 */
final class HmacSha1 {
  private static final VarHandle INTS =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

  /** FIPS 180-4 section 4.2.1, one constant per 20 rounds. */
  private static final int[] ROUND_CONSTANTS = {0x5A827999, 0x6ED9EBA1, 0x8F1BBCDC, 0xCA62C1D6};

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
   * rolls through locals, words are read big-endian straight from {@code block}, and the five
   * working variables rotate by renaming, so C2 emits straight register code.
   *
   * <p>Each round is written {@code e = rotl(a, 5) + (e + w + k + f(b, c, d))}: only the newest
   * word {@code a} comes from the previous round, so the serial chain per round is one rotate and
   * one add, and the bracket is computed while the previous round finishes. Written in FIPS order
   * ({@code rotl(a, 5) + f + e + k + w}) the chain is five operations long, and a block took about
   * twice as long (161 vs 76 ns here, with the JDK's plain-Java SHA-1 at 154 ns).
   */
  private static void compress(int[] s, byte[] block, int offset) {
    // Round constants as loads, not literals: C2 hoists a literal addend to the outermost add,
    // which would put it back on the a -> e chain.
    int[] k = ROUND_CONSTANTS;
    int k0 = k[0];
    int k1 = k[1];
    int k2 = k[2];
    int k3 = k[3];
    int w0 = (int) INTS.get(block, offset);
    int w1 = (int) INTS.get(block, offset + 4);
    int w2 = (int) INTS.get(block, offset + 8);
    int w3 = (int) INTS.get(block, offset + 12);
    int w4 = (int) INTS.get(block, offset + 16);
    int w5 = (int) INTS.get(block, offset + 20);
    int w6 = (int) INTS.get(block, offset + 24);
    int w7 = (int) INTS.get(block, offset + 28);
    int w8 = (int) INTS.get(block, offset + 32);
    int w9 = (int) INTS.get(block, offset + 36);
    int w10 = (int) INTS.get(block, offset + 40);
    int w11 = (int) INTS.get(block, offset + 44);
    int w12 = (int) INTS.get(block, offset + 48);
    int w13 = (int) INTS.get(block, offset + 52);
    int w14 = (int) INTS.get(block, offset + 56);
    int w15 = (int) INTS.get(block, offset + 60);
    int a = s[0];
    int b = s[1];
    int c = s[2];
    int d = s[3];
    int e = s[4];
    // Rounds 0-19: Ch(b, c, d) = (b & c) | (~b & d), as d ^ (b & (c ^ d)).
    e = Integer.rotateLeft(a, 5) + (e + w0 + k0 + (d ^ (b & (c ^ d))));
    b = Integer.rotateLeft(b, 30);
    d = Integer.rotateLeft(e, 5) + (d + w1 + k0 + (c ^ (a & (b ^ c))));
    a = Integer.rotateLeft(a, 30);
    c = Integer.rotateLeft(d, 5) + (c + w2 + k0 + (b ^ (e & (a ^ b))));
    e = Integer.rotateLeft(e, 30);
    b = Integer.rotateLeft(c, 5) + (b + w3 + k0 + (a ^ (d & (e ^ a))));
    d = Integer.rotateLeft(d, 30);
    a = Integer.rotateLeft(b, 5) + (a + w4 + k0 + (e ^ (c & (d ^ e))));
    c = Integer.rotateLeft(c, 30);
    e = Integer.rotateLeft(a, 5) + (e + w5 + k0 + (d ^ (b & (c ^ d))));
    b = Integer.rotateLeft(b, 30);
    d = Integer.rotateLeft(e, 5) + (d + w6 + k0 + (c ^ (a & (b ^ c))));
    a = Integer.rotateLeft(a, 30);
    c = Integer.rotateLeft(d, 5) + (c + w7 + k0 + (b ^ (e & (a ^ b))));
    e = Integer.rotateLeft(e, 30);
    b = Integer.rotateLeft(c, 5) + (b + w8 + k0 + (a ^ (d & (e ^ a))));
    d = Integer.rotateLeft(d, 30);
    a = Integer.rotateLeft(b, 5) + (a + w9 + k0 + (e ^ (c & (d ^ e))));
    c = Integer.rotateLeft(c, 30);
    e = Integer.rotateLeft(a, 5) + (e + w10 + k0 + (d ^ (b & (c ^ d))));
    b = Integer.rotateLeft(b, 30);
    d = Integer.rotateLeft(e, 5) + (d + w11 + k0 + (c ^ (a & (b ^ c))));
    a = Integer.rotateLeft(a, 30);
    c = Integer.rotateLeft(d, 5) + (c + w12 + k0 + (b ^ (e & (a ^ b))));
    e = Integer.rotateLeft(e, 30);
    b = Integer.rotateLeft(c, 5) + (b + w13 + k0 + (a ^ (d & (e ^ a))));
    d = Integer.rotateLeft(d, 30);
    a = Integer.rotateLeft(b, 5) + (a + w14 + k0 + (e ^ (c & (d ^ e))));
    c = Integer.rotateLeft(c, 30);
    e = Integer.rotateLeft(a, 5) + (e + w15 + k0 + (d ^ (b & (c ^ d))));
    b = Integer.rotateLeft(b, 30);
    w0 = Integer.rotateLeft(w13 ^ w8 ^ w2 ^ w0, 1);
    d = Integer.rotateLeft(e, 5) + (d + w0 + k0 + (c ^ (a & (b ^ c))));
    a = Integer.rotateLeft(a, 30);
    w1 = Integer.rotateLeft(w14 ^ w9 ^ w3 ^ w1, 1);
    c = Integer.rotateLeft(d, 5) + (c + w1 + k0 + (b ^ (e & (a ^ b))));
    e = Integer.rotateLeft(e, 30);
    w2 = Integer.rotateLeft(w15 ^ w10 ^ w4 ^ w2, 1);
    b = Integer.rotateLeft(c, 5) + (b + w2 + k0 + (a ^ (d & (e ^ a))));
    d = Integer.rotateLeft(d, 30);
    w3 = Integer.rotateLeft(w0 ^ w11 ^ w5 ^ w3, 1);
    a = Integer.rotateLeft(b, 5) + (a + w3 + k0 + (e ^ (c & (d ^ e))));
    c = Integer.rotateLeft(c, 30);
    // Rounds 20-39: Parity.
    w4 = Integer.rotateLeft(w1 ^ w12 ^ w6 ^ w4, 1);
    e = Integer.rotateLeft(a, 5) + (e + w4 + k1 + (b ^ c ^ d));
    b = Integer.rotateLeft(b, 30);
    w5 = Integer.rotateLeft(w2 ^ w13 ^ w7 ^ w5, 1);
    d = Integer.rotateLeft(e, 5) + (d + w5 + k1 + (a ^ b ^ c));
    a = Integer.rotateLeft(a, 30);
    w6 = Integer.rotateLeft(w3 ^ w14 ^ w8 ^ w6, 1);
    c = Integer.rotateLeft(d, 5) + (c + w6 + k1 + (e ^ a ^ b));
    e = Integer.rotateLeft(e, 30);
    w7 = Integer.rotateLeft(w4 ^ w15 ^ w9 ^ w7, 1);
    b = Integer.rotateLeft(c, 5) + (b + w7 + k1 + (d ^ e ^ a));
    d = Integer.rotateLeft(d, 30);
    w8 = Integer.rotateLeft(w5 ^ w0 ^ w10 ^ w8, 1);
    a = Integer.rotateLeft(b, 5) + (a + w8 + k1 + (c ^ d ^ e));
    c = Integer.rotateLeft(c, 30);
    w9 = Integer.rotateLeft(w6 ^ w1 ^ w11 ^ w9, 1);
    e = Integer.rotateLeft(a, 5) + (e + w9 + k1 + (b ^ c ^ d));
    b = Integer.rotateLeft(b, 30);
    w10 = Integer.rotateLeft(w7 ^ w2 ^ w12 ^ w10, 1);
    d = Integer.rotateLeft(e, 5) + (d + w10 + k1 + (a ^ b ^ c));
    a = Integer.rotateLeft(a, 30);
    w11 = Integer.rotateLeft(w8 ^ w3 ^ w13 ^ w11, 1);
    c = Integer.rotateLeft(d, 5) + (c + w11 + k1 + (e ^ a ^ b));
    e = Integer.rotateLeft(e, 30);
    w12 = Integer.rotateLeft(w9 ^ w4 ^ w14 ^ w12, 1);
    b = Integer.rotateLeft(c, 5) + (b + w12 + k1 + (d ^ e ^ a));
    d = Integer.rotateLeft(d, 30);
    w13 = Integer.rotateLeft(w10 ^ w5 ^ w15 ^ w13, 1);
    a = Integer.rotateLeft(b, 5) + (a + w13 + k1 + (c ^ d ^ e));
    c = Integer.rotateLeft(c, 30);
    w14 = Integer.rotateLeft(w11 ^ w6 ^ w0 ^ w14, 1);
    e = Integer.rotateLeft(a, 5) + (e + w14 + k1 + (b ^ c ^ d));
    b = Integer.rotateLeft(b, 30);
    w15 = Integer.rotateLeft(w12 ^ w7 ^ w1 ^ w15, 1);
    d = Integer.rotateLeft(e, 5) + (d + w15 + k1 + (a ^ b ^ c));
    a = Integer.rotateLeft(a, 30);
    w0 = Integer.rotateLeft(w13 ^ w8 ^ w2 ^ w0, 1);
    c = Integer.rotateLeft(d, 5) + (c + w0 + k1 + (e ^ a ^ b));
    e = Integer.rotateLeft(e, 30);
    w1 = Integer.rotateLeft(w14 ^ w9 ^ w3 ^ w1, 1);
    b = Integer.rotateLeft(c, 5) + (b + w1 + k1 + (d ^ e ^ a));
    d = Integer.rotateLeft(d, 30);
    w2 = Integer.rotateLeft(w15 ^ w10 ^ w4 ^ w2, 1);
    a = Integer.rotateLeft(b, 5) + (a + w2 + k1 + (c ^ d ^ e));
    c = Integer.rotateLeft(c, 30);
    w3 = Integer.rotateLeft(w0 ^ w11 ^ w5 ^ w3, 1);
    e = Integer.rotateLeft(a, 5) + (e + w3 + k1 + (b ^ c ^ d));
    b = Integer.rotateLeft(b, 30);
    w4 = Integer.rotateLeft(w1 ^ w12 ^ w6 ^ w4, 1);
    d = Integer.rotateLeft(e, 5) + (d + w4 + k1 + (a ^ b ^ c));
    a = Integer.rotateLeft(a, 30);
    w5 = Integer.rotateLeft(w2 ^ w13 ^ w7 ^ w5, 1);
    c = Integer.rotateLeft(d, 5) + (c + w5 + k1 + (e ^ a ^ b));
    e = Integer.rotateLeft(e, 30);
    w6 = Integer.rotateLeft(w3 ^ w14 ^ w8 ^ w6, 1);
    b = Integer.rotateLeft(c, 5) + (b + w6 + k1 + (d ^ e ^ a));
    d = Integer.rotateLeft(d, 30);
    w7 = Integer.rotateLeft(w4 ^ w15 ^ w9 ^ w7, 1);
    a = Integer.rotateLeft(b, 5) + (a + w7 + k1 + (c ^ d ^ e));
    c = Integer.rotateLeft(c, 30);
    // Rounds 40-59: Maj(b, c, d), as (b & c) + (d & (b ^ c)) (the two terms never share a bit).
    w8 = Integer.rotateLeft(w5 ^ w0 ^ w10 ^ w8, 1);
    e = Integer.rotateLeft(a, 5) + (e + w8 + k2 + ((b & c) + (d & (b ^ c))));
    b = Integer.rotateLeft(b, 30);
    w9 = Integer.rotateLeft(w6 ^ w1 ^ w11 ^ w9, 1);
    d = Integer.rotateLeft(e, 5) + (d + w9 + k2 + ((a & b) + (c & (a ^ b))));
    a = Integer.rotateLeft(a, 30);
    w10 = Integer.rotateLeft(w7 ^ w2 ^ w12 ^ w10, 1);
    c = Integer.rotateLeft(d, 5) + (c + w10 + k2 + ((e & a) + (b & (e ^ a))));
    e = Integer.rotateLeft(e, 30);
    w11 = Integer.rotateLeft(w8 ^ w3 ^ w13 ^ w11, 1);
    b = Integer.rotateLeft(c, 5) + (b + w11 + k2 + ((d & e) + (a & (d ^ e))));
    d = Integer.rotateLeft(d, 30);
    w12 = Integer.rotateLeft(w9 ^ w4 ^ w14 ^ w12, 1);
    a = Integer.rotateLeft(b, 5) + (a + w12 + k2 + ((c & d) + (e & (c ^ d))));
    c = Integer.rotateLeft(c, 30);
    w13 = Integer.rotateLeft(w10 ^ w5 ^ w15 ^ w13, 1);
    e = Integer.rotateLeft(a, 5) + (e + w13 + k2 + ((b & c) + (d & (b ^ c))));
    b = Integer.rotateLeft(b, 30);
    w14 = Integer.rotateLeft(w11 ^ w6 ^ w0 ^ w14, 1);
    d = Integer.rotateLeft(e, 5) + (d + w14 + k2 + ((a & b) + (c & (a ^ b))));
    a = Integer.rotateLeft(a, 30);
    w15 = Integer.rotateLeft(w12 ^ w7 ^ w1 ^ w15, 1);
    c = Integer.rotateLeft(d, 5) + (c + w15 + k2 + ((e & a) + (b & (e ^ a))));
    e = Integer.rotateLeft(e, 30);
    w0 = Integer.rotateLeft(w13 ^ w8 ^ w2 ^ w0, 1);
    b = Integer.rotateLeft(c, 5) + (b + w0 + k2 + ((d & e) + (a & (d ^ e))));
    d = Integer.rotateLeft(d, 30);
    w1 = Integer.rotateLeft(w14 ^ w9 ^ w3 ^ w1, 1);
    a = Integer.rotateLeft(b, 5) + (a + w1 + k2 + ((c & d) + (e & (c ^ d))));
    c = Integer.rotateLeft(c, 30);
    w2 = Integer.rotateLeft(w15 ^ w10 ^ w4 ^ w2, 1);
    e = Integer.rotateLeft(a, 5) + (e + w2 + k2 + ((b & c) + (d & (b ^ c))));
    b = Integer.rotateLeft(b, 30);
    w3 = Integer.rotateLeft(w0 ^ w11 ^ w5 ^ w3, 1);
    d = Integer.rotateLeft(e, 5) + (d + w3 + k2 + ((a & b) + (c & (a ^ b))));
    a = Integer.rotateLeft(a, 30);
    w4 = Integer.rotateLeft(w1 ^ w12 ^ w6 ^ w4, 1);
    c = Integer.rotateLeft(d, 5) + (c + w4 + k2 + ((e & a) + (b & (e ^ a))));
    e = Integer.rotateLeft(e, 30);
    w5 = Integer.rotateLeft(w2 ^ w13 ^ w7 ^ w5, 1);
    b = Integer.rotateLeft(c, 5) + (b + w5 + k2 + ((d & e) + (a & (d ^ e))));
    d = Integer.rotateLeft(d, 30);
    w6 = Integer.rotateLeft(w3 ^ w14 ^ w8 ^ w6, 1);
    a = Integer.rotateLeft(b, 5) + (a + w6 + k2 + ((c & d) + (e & (c ^ d))));
    c = Integer.rotateLeft(c, 30);
    w7 = Integer.rotateLeft(w4 ^ w15 ^ w9 ^ w7, 1);
    e = Integer.rotateLeft(a, 5) + (e + w7 + k2 + ((b & c) + (d & (b ^ c))));
    b = Integer.rotateLeft(b, 30);
    w8 = Integer.rotateLeft(w5 ^ w0 ^ w10 ^ w8, 1);
    d = Integer.rotateLeft(e, 5) + (d + w8 + k2 + ((a & b) + (c & (a ^ b))));
    a = Integer.rotateLeft(a, 30);
    w9 = Integer.rotateLeft(w6 ^ w1 ^ w11 ^ w9, 1);
    c = Integer.rotateLeft(d, 5) + (c + w9 + k2 + ((e & a) + (b & (e ^ a))));
    e = Integer.rotateLeft(e, 30);
    w10 = Integer.rotateLeft(w7 ^ w2 ^ w12 ^ w10, 1);
    b = Integer.rotateLeft(c, 5) + (b + w10 + k2 + ((d & e) + (a & (d ^ e))));
    d = Integer.rotateLeft(d, 30);
    w11 = Integer.rotateLeft(w8 ^ w3 ^ w13 ^ w11, 1);
    a = Integer.rotateLeft(b, 5) + (a + w11 + k2 + ((c & d) + (e & (c ^ d))));
    c = Integer.rotateLeft(c, 30);
    // Rounds 60-79: Parity.
    w12 = Integer.rotateLeft(w9 ^ w4 ^ w14 ^ w12, 1);
    e = Integer.rotateLeft(a, 5) + (e + w12 + k3 + (b ^ c ^ d));
    b = Integer.rotateLeft(b, 30);
    w13 = Integer.rotateLeft(w10 ^ w5 ^ w15 ^ w13, 1);
    d = Integer.rotateLeft(e, 5) + (d + w13 + k3 + (a ^ b ^ c));
    a = Integer.rotateLeft(a, 30);
    w14 = Integer.rotateLeft(w11 ^ w6 ^ w0 ^ w14, 1);
    c = Integer.rotateLeft(d, 5) + (c + w14 + k3 + (e ^ a ^ b));
    e = Integer.rotateLeft(e, 30);
    w15 = Integer.rotateLeft(w12 ^ w7 ^ w1 ^ w15, 1);
    b = Integer.rotateLeft(c, 5) + (b + w15 + k3 + (d ^ e ^ a));
    d = Integer.rotateLeft(d, 30);
    w0 = Integer.rotateLeft(w13 ^ w8 ^ w2 ^ w0, 1);
    a = Integer.rotateLeft(b, 5) + (a + w0 + k3 + (c ^ d ^ e));
    c = Integer.rotateLeft(c, 30);
    w1 = Integer.rotateLeft(w14 ^ w9 ^ w3 ^ w1, 1);
    e = Integer.rotateLeft(a, 5) + (e + w1 + k3 + (b ^ c ^ d));
    b = Integer.rotateLeft(b, 30);
    w2 = Integer.rotateLeft(w15 ^ w10 ^ w4 ^ w2, 1);
    d = Integer.rotateLeft(e, 5) + (d + w2 + k3 + (a ^ b ^ c));
    a = Integer.rotateLeft(a, 30);
    w3 = Integer.rotateLeft(w0 ^ w11 ^ w5 ^ w3, 1);
    c = Integer.rotateLeft(d, 5) + (c + w3 + k3 + (e ^ a ^ b));
    e = Integer.rotateLeft(e, 30);
    w4 = Integer.rotateLeft(w1 ^ w12 ^ w6 ^ w4, 1);
    b = Integer.rotateLeft(c, 5) + (b + w4 + k3 + (d ^ e ^ a));
    d = Integer.rotateLeft(d, 30);
    w5 = Integer.rotateLeft(w2 ^ w13 ^ w7 ^ w5, 1);
    a = Integer.rotateLeft(b, 5) + (a + w5 + k3 + (c ^ d ^ e));
    c = Integer.rotateLeft(c, 30);
    w6 = Integer.rotateLeft(w3 ^ w14 ^ w8 ^ w6, 1);
    e = Integer.rotateLeft(a, 5) + (e + w6 + k3 + (b ^ c ^ d));
    b = Integer.rotateLeft(b, 30);
    w7 = Integer.rotateLeft(w4 ^ w15 ^ w9 ^ w7, 1);
    d = Integer.rotateLeft(e, 5) + (d + w7 + k3 + (a ^ b ^ c));
    a = Integer.rotateLeft(a, 30);
    w8 = Integer.rotateLeft(w5 ^ w0 ^ w10 ^ w8, 1);
    c = Integer.rotateLeft(d, 5) + (c + w8 + k3 + (e ^ a ^ b));
    e = Integer.rotateLeft(e, 30);
    w9 = Integer.rotateLeft(w6 ^ w1 ^ w11 ^ w9, 1);
    b = Integer.rotateLeft(c, 5) + (b + w9 + k3 + (d ^ e ^ a));
    d = Integer.rotateLeft(d, 30);
    w10 = Integer.rotateLeft(w7 ^ w2 ^ w12 ^ w10, 1);
    a = Integer.rotateLeft(b, 5) + (a + w10 + k3 + (c ^ d ^ e));
    c = Integer.rotateLeft(c, 30);
    w11 = Integer.rotateLeft(w8 ^ w3 ^ w13 ^ w11, 1);
    e = Integer.rotateLeft(a, 5) + (e + w11 + k3 + (b ^ c ^ d));
    b = Integer.rotateLeft(b, 30);
    w12 = Integer.rotateLeft(w9 ^ w4 ^ w14 ^ w12, 1);
    d = Integer.rotateLeft(e, 5) + (d + w12 + k3 + (a ^ b ^ c));
    a = Integer.rotateLeft(a, 30);
    w13 = Integer.rotateLeft(w10 ^ w5 ^ w15 ^ w13, 1);
    c = Integer.rotateLeft(d, 5) + (c + w13 + k3 + (e ^ a ^ b));
    e = Integer.rotateLeft(e, 30);
    w14 = Integer.rotateLeft(w11 ^ w6 ^ w0 ^ w14, 1);
    b = Integer.rotateLeft(c, 5) + (b + w14 + k3 + (d ^ e ^ a));
    d = Integer.rotateLeft(d, 30);
    w15 = Integer.rotateLeft(w12 ^ w7 ^ w1 ^ w15, 1);
    a = Integer.rotateLeft(b, 5) + (a + w15 + k3 + (c ^ d ^ e));
    c = Integer.rotateLeft(c, 30);
    s[0] += a;
    s[1] += b;
    s[2] += c;
    s[3] += d;
    s[4] += e;
  }
}
