package io.github.jpeer.srtp;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES counter-mode keystream without per-packet allocation.
 *
 * <p>JCE's "AES/CTR/NoPadding" needs a {@code Cipher.init} with a fresh {@code IvParameterSpec} for
 * every packet, which allocates. Instead one "AES/ECB/NoPadding" cipher is initialised per key, and
 * each packet's counter blocks are written into a reused buffer and encrypted in one {@code update}
 * call (AES-NI does the blocks). Serves both AES-CM (RFC 3711 section 4.1.1) and GCM's GCTR
 * (counter in the low 32 bits, NIST SP 800-38D {@code inc32}).
 */
final class AesKeystream {
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle INTS =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

  private final Cipher ecb;
  private byte[] counters;

  /** The keystream of the last {@link #generate} call; block {@code k} at {@code 16 * k}. */
  byte[] stream;

  AesKeystream(byte[] key) {
    try {
      ecb = Cipher.getInstance("AES/ECB/NoPadding");
      ecb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no AES/ECB/NoPadding", e);
    }
    counters = new byte[2048];
    stream = new byte[2048];
  }

  /**
   * Fills {@link #stream} with {@code blocks} keystream blocks for the counters {@code iv}, {@code
   * iv + 1}, ... where the addition is modulo 2^32 in the last four bytes of {@code iv}.
   */
  void generate(byte[] iv, int blocks) {
    int bytes = blocks << 4;
    if (bytes > counters.length) {
      // Only a packet larger than any before grows the buffers; steady state never does.
      counters = new byte[Integer.highestOneBit(bytes) << 1];
      stream = new byte[counters.length];
    }
    long high = (long) LONGS.get(iv, 0);
    int middle = (int) INTS.get(iv, 8);
    int low = (int) INTS.get(iv, 12);
    byte[] c = counters;
    for (int k = 0, off = 0; k < blocks; k++, off += 16) {
      LONGS.set(c, off, high);
      INTS.set(c, off + 8, middle);
      INTS.set(c, off + 12, low + k);
    }
    try {
      ecb.update(c, 0, bytes, stream, 0);
    } catch (ShortBufferException e) {
      throw new IllegalStateException("keystream buffer sized above", e);
    }
  }

  /** One AES block: {@code out = E(in)}; allocation-free, used for GHASH's H. */
  void encryptBlock(byte[] in, byte[] out) {
    try {
      ecb.update(in, 0, 16, out, 0);
    } catch (ShortBufferException e) {
      throw new IllegalStateException("16-byte block", e);
    }
  }

  /** XORs {@code length} bytes of {@link #stream} from {@code streamOffset} into {@code data}. */
  void xor(byte[] data, int offset, int length, int streamOffset) {
    byte[] s = stream;
    int i = 0;
    for (; i + 8 <= length; i += 8) {
      long v = (long) LONGS.get(data, offset + i) ^ (long) LONGS.get(s, streamOffset + i);
      LONGS.set(data, offset + i, v);
    }
    for (; i < length; i++) {
      data[offset + i] ^= s[streamOffset + i];
    }
  }
}
