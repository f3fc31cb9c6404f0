package io.github.jpeer.srtp;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * GHASH (NIST SP 800-38D section 6.4) with per-key 8-bit multiplication tables, in one of two
 * sizes.
 *
 * <p>A field element is two longs, big-endian: bit 0 of GCM's reflected order is the most
 * significant bit of {@code hi}. Wide (for SRTP, every media packet): {@code X * H} is the XOR over
 * the 16 bytes {@code b_i} of {@code X} of a table entry {@code T[i][b_i] = b_i x^(8i) * H}, so a
 * block costs 16 independent table lookups and no reduction step; the tables are 64 KiB per key.
 * Compact (for SRTCP, a few packets a second): one table {@code M[b] = b * H} of 4 KiB, and
 * Horner's rule from the last byte, {@code Z = Z x^8 + M[b_i]}, where multiplying by {@code x^8}
 * shifts out a byte that a shared 256-entry table reduces (Shoup's method); about 2.5 times slower
 * per block but 16 times smaller, which matters with thousands of sessions in one JVM.
 *
 * <p>Input arrives in segments ({@link #update}); {@link #padSegment} zero-pads the segment to a
 * block boundary as GCM does between the AAD and the ciphertext, so non-contiguous AAD (SRTCP's
 * header plus trailing index word) can be fed in pieces.
 */
final class Ghash {
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  /** x^8 * r for a byte r shifted out of the low end: only the top 16 bits are ever set. */
  private static final long[] REDUCE_BYTE = reductionTable();

  private final boolean compact;
  private final long[] tableHi;
  private final long[] tableLo;
  private long yHi;
  private long yLo;
  private final byte[] partial = new byte[16];
  private int partialLength;

  /** Wide tables (64 KiB). */
  Ghash(byte[] h) {
    this(h, false);
  }

  /** Wide (64 KiB of tables) or compact (4 KiB) for the hash subkey {@code h}. */
  Ghash(byte[] h, boolean compact) {
    this.compact = compact;
    int entries = compact ? 256 : 16 * 256;
    tableHi = new long[entries];
    tableLo = new long[entries];
    long[] powHi = new long[128];
    long[] powLo = new long[128];
    long vh = (long) LONGS.get(h, 0);
    long vl = (long) LONGS.get(h, 8);
    for (int j = 0; j < 128; j++) {
      powHi[j] = vh;
      powLo[j] = vl;
      // Multiply by x: a right shift in GCM's bit order, reduced by R = 11100001 || 0^120.
      boolean carry = (vl & 1) != 0;
      vl = (vl >>> 1) | (vh << 63);
      vh >>>= 1;
      if (carry) {
        vh ^= 0xE100000000000000L;
      }
    }
    for (int i = 0; i < entries >>> 8; i++) {
      int base = i << 8;
      for (int b = 1; b < 256; b++) {
        int low = Integer.numberOfTrailingZeros(b);
        // Value bit 'low' of byte i is GCM bit 8i + (7 - low).
        int power = (i << 3) + 7 - low;
        tableHi[base + b] = tableHi[base + (b & (b - 1))] ^ powHi[power];
        tableLo[base + b] = tableLo[base + (b & (b - 1))] ^ powLo[power];
      }
    }
  }

  private static long[] reductionTable() {
    long[] table = new long[256];
    for (int r = 0; r < 256; r++) {
      long hi = 0;
      long lo = r;
      for (int k = 0; k < 8; k++) {
        boolean carry = (lo & 1) != 0;
        lo = (lo >>> 1) | (hi << 63);
        hi >>>= 1;
        if (carry) {
          hi ^= 0xE100000000000000L;
        }
      }
      table[r] = hi; // lo is 0 again: eight shifts moved the byte out entirely
    }
    return table;
  }

  void reset() {
    yHi = 0;
    yLo = 0;
    partialLength = 0;
  }

  void update(byte[] data, int offset, int length) {
    int i = 0;
    if (partialLength > 0) {
      int take = Math.min(16 - partialLength, length);
      System.arraycopy(data, offset, partial, partialLength, take);
      partialLength += take;
      i = take;
      if (partialLength < 16) {
        return;
      }
      block((long) LONGS.get(partial, 0), (long) LONGS.get(partial, 8));
      partialLength = 0;
    }
    for (; i + 16 <= length; i += 16) {
      block((long) LONGS.get(data, offset + i), (long) LONGS.get(data, offset + i + 8));
    }
    int rest = length - i;
    if (rest > 0) {
      System.arraycopy(data, offset + i, partial, 0, rest);
      partialLength = rest;
    }
  }

  void updateInt(int value) {
    byte[] four = partial;
    if (partialLength <= 12) {
      four[partialLength] = (byte) (value >>> 24);
      four[partialLength + 1] = (byte) (value >>> 16);
      four[partialLength + 2] = (byte) (value >>> 8);
      four[partialLength + 3] = (byte) value;
      partialLength += 4;
      if (partialLength == 16) {
        block((long) LONGS.get(partial, 0), (long) LONGS.get(partial, 8));
        partialLength = 0;
      }
    } else {
      for (int shift = 24; shift >= 0; shift -= 8) {
        partial[partialLength++] = (byte) (value >>> shift);
        if (partialLength == 16) {
          block((long) LONGS.get(partial, 0), (long) LONGS.get(partial, 8));
          partialLength = 0;
        }
      }
    }
  }

  /** Ends a segment (AAD or ciphertext): a partial block is completed with zero bytes. */
  void padSegment() {
    if (partialLength > 0) {
      java.util.Arrays.fill(partial, partialLength, 16, (byte) 0);
      block((long) LONGS.get(partial, 0), (long) LONGS.get(partial, 8));
      partialLength = 0;
    }
  }

  /** Absorbs the length block and writes GHASH XOR {@code mask[maskOffset..+16)} to out. */
  void finish(long aadBytes, long cipherBytes, byte[] mask, int maskOffset, byte[] out, int off) {
    padSegment();
    block(aadBytes << 3, cipherBytes << 3);
    LONGS.set(out, off, yHi ^ (long) LONGS.get(mask, maskOffset));
    LONGS.set(out, off + 8, yLo ^ (long) LONGS.get(mask, maskOffset + 8));
  }

  private void block(long xh, long xl) {
    if (compact) {
      compactBlock(yHi ^ xh, yLo ^ xl);
      return;
    }
    long h = yHi ^ xh;
    long l = yLo ^ xl;
    long[] th = tableHi;
    long[] tl = tableLo;
    long zh = 0;
    long zl = 0;
    int idx;
    idx = (int) (h >>> 56);
    zh ^= th[idx];
    zl ^= tl[idx];
    idx = 0x100 | (int) ((h >>> 48) & 0xff);
    zh ^= th[idx];
    zl ^= tl[idx];
    idx = 0x200 | (int) ((h >>> 40) & 0xff);
    zh ^= th[idx];
    zl ^= tl[idx];
    idx = 0x300 | (int) ((h >>> 32) & 0xff);
    zh ^= th[idx];
    zl ^= tl[idx];
    idx = 0x400 | (int) ((h >>> 24) & 0xff);
    zh ^= th[idx];
    zl ^= tl[idx];
    idx = 0x500 | (int) ((h >>> 16) & 0xff);
    zh ^= th[idx];
    zl ^= tl[idx];
    idx = 0x600 | (int) ((h >>> 8) & 0xff);
    zh ^= th[idx];
    zl ^= tl[idx];
    idx = 0x700 | (int) (h & 0xff);
    zh ^= th[idx];
    zl ^= tl[idx];
    idx = 0x800 | (int) (l >>> 56);
    zh ^= th[idx];
    zl ^= tl[idx];
    idx = 0x900 | (int) ((l >>> 48) & 0xff);
    zh ^= th[idx];
    zl ^= tl[idx];
    idx = 0xa00 | (int) ((l >>> 40) & 0xff);
    zh ^= th[idx];
    zl ^= tl[idx];
    idx = 0xb00 | (int) ((l >>> 32) & 0xff);
    zh ^= th[idx];
    zl ^= tl[idx];
    idx = 0xc00 | (int) ((l >>> 24) & 0xff);
    zh ^= th[idx];
    zl ^= tl[idx];
    idx = 0xd00 | (int) ((l >>> 16) & 0xff);
    zh ^= th[idx];
    zl ^= tl[idx];
    idx = 0xe00 | (int) ((l >>> 8) & 0xff);
    zh ^= th[idx];
    zl ^= tl[idx];
    idx = 0xf00 | (int) (l & 0xff);
    zh ^= th[idx];
    zl ^= tl[idx];
    yHi = zh;
    yLo = zl;
  }

  /** {@code (h, l) * H} by Horner's rule over the bytes, last byte first (see the class doc). */
  private void compactBlock(long h, long l) {
    long[] th = tableHi;
    long[] tl = tableLo;
    long[] reduce = REDUCE_BYTE;
    int b = (int) (l & 0xff);
    long zh = th[b];
    long zl = tl[b];
    for (int shift = 8; shift < 64; shift += 8) {
      int out = (int) zl & 0xff;
      zl = (zl >>> 8) | (zh << 56);
      zh = (zh >>> 8) ^ reduce[out];
      b = (int) (l >>> shift) & 0xff;
      zh ^= th[b];
      zl ^= tl[b];
    }
    for (int shift = 0; shift < 64; shift += 8) {
      int out = (int) zl & 0xff;
      zl = (zl >>> 8) | (zh << 56);
      zh = (zh >>> 8) ^ reduce[out];
      b = (int) (h >>> shift) & 0xff;
      zh ^= th[b];
      zl ^= tl[b];
    }
    yHi = zh;
    yLo = zl;
  }
}
