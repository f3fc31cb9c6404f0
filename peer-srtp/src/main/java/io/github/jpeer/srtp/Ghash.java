package io.github.jpeer.srtp;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * GHASH (NIST SP 800-38D section 6.4) with per-key multiplication tables, in one of three sizes
 * ({@link Tables}).
 *
 * <p>A field element is two longs, big-endian: bit 0 of GCM's reflected order is the most
 * significant bit of {@code hi}. Wide: {@code X * H} is the XOR over the 16 bytes {@code b_i} of
 * {@code X} of a table entry {@code T[i][b_i] = b_i x^(8i) * H}, so a block costs 16 independent
 * table lookups and no reduction step; the tables are 64 KiB per key. Byte: one table {@code M[b] =
 * b * H} of 4 KiB, and Horner's rule from the last byte, {@code Z = Z x^8 + M[b_i]}, where
 * multiplying by {@code x^8} shifts out a byte that a shared 256-entry table reduces (Shoup's
 * method). Nibble: a 16-entry table {@code M[n] = n * H} of 256 bytes (Shoup's 4-bit table, as in
 * OpenSSL's {@code gcm_gmult_4bit}) and the byte method's Horner steps, each byte's {@code b * H}
 * assembled as {@code M[hi] + x^4 M[lo]} (a shared 16-entry table reduces the nibble shifted out);
 * that extra work does not depend on the running value, so the chain of dependent steps is no
 * longer than the byte table's. One session's lookups cost least with the wide tables, but a server
 * with thousands of keys cannot keep 64 KiB per key in its caches, while 256 bytes per key stay
 * there: SRTP's default is the nibble table ({@link SrtpConfig.GcmEngine} has the figures of {@code
 * SrtpScaleBenchmark}).
 *
 * <p>Input arrives in segments ({@link #update}); {@link #padSegment} zero-pads the segment to a
 * block boundary as GCM does between the AAD and the ciphertext, so non-contiguous AAD (SRTCP's
 * header plus trailing index word) can be fed in pieces.
 */
final class Ghash {
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  /** The table layouts, by size per key. */
  enum Tables {
    /** 16 tables of 256 entries, 64 KiB per key: 16 lookups per block, no reduction. */
    WIDE,
    /** One table of 256 entries, 4 KiB per key: 16 lookups and 16 byte reductions per block. */
    BYTE,
    /** One table of 16 entries, 256 bytes per key: 32 lookups and 16 byte reductions per block. */
    NIBBLE
  }

  /** x^8 * r for a byte r shifted out of the low end: only the top 16 bits are ever set. */
  private static final long[] REDUCE_BYTE = reductionTable(8);

  /** x^4 * r for a nibble r shifted out of the low end: only the top 12 bits are ever set. */
  private static final long[] REDUCE_NIBBLE = reductionTable(4);

  private final Tables tables;
  private final long[] tableHi;
  private final long[] tableLo;
  private long yHi;
  private long yLo;
  private final byte[] partial = new byte[16];
  private int partialLength;

  /** Tables of the given layout for the hash subkey {@code h}. */
  Ghash(byte[] h, Tables tables) {
    this.tables = tables;
    if (tables == Tables.NIBBLE) {
      tableHi = new long[16];
      tableLo = new long[16];
    } else {
      int entries = tables == Tables.BYTE ? 256 : 16 * 256;
      tableHi = new long[entries];
      tableLo = new long[entries];
    }
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
    if (tables == Tables.NIBBLE) {
      // A nibble n stands where a block's first nibble does: value bit 3 is GCM bit 0.
      for (int n = 1; n < 16; n++) {
        int power = 3 - Integer.numberOfTrailingZeros(n);
        tableHi[n] = tableHi[n & (n - 1)] ^ powHi[power];
        tableLo[n] = tableLo[n & (n - 1)] ^ powLo[power];
      }
      return;
    }
    for (int i = 0; i < tableHi.length >>> 8; i++) {
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

  /** {@code x^bits * r} for each {@code r} of {@code bits} bits at the low end of an element. */
  private static long[] reductionTable(int bits) {
    long[] table = new long[1 << bits];
    for (int r = 0; r < table.length; r++) {
      long hi = 0;
      long lo = r;
      for (int k = 0; k < bits; k++) {
        boolean carry = (lo & 1) != 0;
        lo = (lo >>> 1) | (hi << 63);
        hi >>>= 1;
        if (carry) {
          hi ^= 0xE100000000000000L;
        }
      }
      table[r] = hi; // lo is 0 again: the shifts moved r out entirely
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
    if (tables == Tables.NIBBLE) {
      nibbleBlock(yHi ^ xh, yLo ^ xl);
      return;
    }
    if (tables == Tables.BYTE) {
      byteBlock(yHi ^ xh, yLo ^ xl);
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
  private void byteBlock(long h, long l) {
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

  /**
   * {@code (h, l) * H} by Horner's rule over the bytes as in {@link #byteBlock}, with each byte's
   * multiple {@code b * H} assembled from the nibble table: {@code M[hi] + x^4 M[lo]}. That product
   * does not depend on the running value, so it stays off the chain of dependent steps, which is as
   * short as the byte table's (16 reductions per block).
   */
  private void nibbleBlock(long h, long l) {
    long[] th = tableHi;
    long[] tl = tableLo;
    long[] reduce = REDUCE_BYTE;
    long[] reduceNibble = REDUCE_NIBBLE;
    long zh = 0;
    long zl = 0;
    for (int shift = 0; shift < 64; shift += 8) {
      int b = (int) (l >>> shift) & 0xff;
      long ph = th[b & 0xf];
      long pl = tl[b & 0xf];
      long mh = th[b >>> 4] ^ (ph >>> 4) ^ reduceNibble[(int) pl & 0xf];
      long ml = tl[b >>> 4] ^ ((pl >>> 4) | (ph << 60));
      int out = (int) zl & 0xff;
      zl = ((zl >>> 8) | (zh << 56)) ^ ml;
      zh = (zh >>> 8) ^ reduce[out] ^ mh;
    }
    for (int shift = 0; shift < 64; shift += 8) {
      int b = (int) (h >>> shift) & 0xff;
      long ph = th[b & 0xf];
      long pl = tl[b & 0xf];
      long mh = th[b >>> 4] ^ (ph >>> 4) ^ reduceNibble[(int) pl & 0xf];
      long ml = tl[b >>> 4] ^ ((pl >>> 4) | (ph << 60));
      int out = (int) zl & 0xff;
      zl = ((zl >>> 8) | (zh << 56)) ^ ml;
      zh = (zh >>> 8) ^ reduce[out] ^ mh;
    }
    yHi = zh;
    yLo = zl;
  }
}
