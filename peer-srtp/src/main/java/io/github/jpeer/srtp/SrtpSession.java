package io.github.jpeer.srtp;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * One SRTP/SRTCP cryptographic session: the keys derived from one master key and master salt (one
 * direction of a DTLS-SRTP association, RFC 5764 section 4.2), and the per-SSRC contexts created on
 * demand under them.
 *
 * <p>Use one session to protect what this endpoint sends (keyed with its own write key) and another
 * to unprotect what it receives (keyed with the peer's). Both directions are available on either,
 * as in libsrtp, but the SSRC state of one direction must not be mixed with the other.
 *
 * <p>Per-packet methods work in place, or from an input region into a caller buffer, on {@code
 * byte[]} or {@code ByteBuffer}. They return an {@code int}: {@code >= 0} is the new length,
 * negative is a {@link SrtpStatus#code()} ({@link SrtpStatus#of(int)} maps it back). Network bytes
 * never make them throw. Unprotect checks the replay window and then the tag, in constant time,
 * before a byte is decrypted; on failure an in-place packet is left as it was. Only API misuse (an
 * offset or length outside the array) throws {@link IllegalArgumentException}.
 *
 * <p>After warm-up no call allocates (keystream and MAC buffers are reused; a packet larger than
 * any before grows them once), with one exception: in the AEAD (GCM) profiles a payload of 512
 * bytes or more (video-sized) is sealed and opened by JCE's {@code AES/GCM/NoPadding}, which uses
 * the CPU's GHASH instructions but must be re-initialised per packet and so leaves about 900 bytes
 * of garbage each time (SunJCE, JDK 17), less than jitsi-srtp's GCM path. HMAC-SHA1 profiles and
 * smaller GCM payloads (audio, RTCP) allocate nothing, unless {@link SrtpConfig#gcmEngine()} sends
 * every GCM payload through JCE. The GHASH for those payloads uses a 256-byte table per key by
 * default, sized for thousands of sessions in one JVM ({@link SrtpConfig.GcmEngine} has the
 * measurements and the other choices). Not thread-safe: confine a session to one thread.
 *
 * <p>Not supported: MKI, key derivation rate other than 0, NULL cipher, encrypted header extensions
 * (RFC 6904) and cryptex.
 */
public final class SrtpSession {
  private static final VarHandle INTS =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
  private static final int GCM_TAG = 16;
  private static final int SRTCP_INDEX_BYTES = 4;
  private static final long SRTP_KEY_LIMIT = 1L << 48;
  private static final long SRTCP_KEY_LIMIT = 1L << 31;
  private static final long MAX_ROC = 0xFFFFFFFFL;

  /**
   * AEAD payloads of at least this many bytes go through JCE's AES/GCM ({@link JceGcm}), whose
   * GHASH runs on the CPU's carry-less multiply; shorter ones (audio) go through {@link Ghash},
   * which allocates nothing, because JCE's per-packet {@code Cipher.init} leaves garbage and costs
   * more than the tables' extra work on short payloads. In SrtpBenchmark (AES-128-GCM, JDK 17, one
   * session, one run) the wide tables and JCE cross between 360 and 500 bytes of payload and JCE is
   * 1.8x faster at 700; ties go to the allocation-free path. The default nibble table ({@link
   * SrtpConfig.GcmEngine#NIBBLE_TABLE}) does more work per block than the wide tables, so for one
   * session it crosses JCE at a shorter payload; at a thousand sessions and more it is level with
   * JCE on 80-byte payloads (SrtpScaleBenchmark), and the threshold has not been measured there for
   * longer ones.
   */
  static final int JCE_GCM_MIN_PAYLOAD = 512;

  private final SrtpProfile profile;
  private final SrtpConfig config;
  private final boolean aead;
  private final boolean replayProtection;
  private final int rtpTagLength;
  private final int rtcpTagLength;

  private final AesKeystream rtpAes;
  private final AesKeystream rtcpAes;
  private final byte[] rtpSalt;
  private final byte[] rtcpSalt;
  // HMAC-SHA1 profiles only.
  private final HmacSha1 rtpMac;
  private final HmacSha1 rtcpMac;
  // AEAD profiles only.
  private final Ghash rtpGhash;
  private final Ghash rtcpGhash;
  private final JceGcm rtpJce;
  private final JceGcm rtcpJce;
  private final int jceGcmMinPayload;

  private final byte[] iv = new byte[16];
  private final byte[] tag = new byte[16];
  private byte[] directScratch = new byte[0];

  // SSRC contexts: open addressing on the SSRC, no removal, plus a one-entry cache. The cache is
  // the slot's index, not its state: a session lives as long as its call, and a reference stored
  // into it whenever RTP and RTCP of different SSRCs alternate would dirty a GC card each time.
  private final int[] ssrcKeys;
  private final SsrcState[] ssrcStates;
  private final int ssrcMask;
  private int ssrcCount;
  private int lastSlot = -1;

  private final long[] statusCounts = new long[SrtpStatus.values().length];
  private long srtpPackets;
  private long srtcpPackets;

  private SrtpSession(
      SrtpProfile profile,
      SrtpConfig config,
      byte[] rtpKey,
      byte[] rtpSalt,
      byte[] rtpAuthKey,
      byte[] rtcpKey,
      byte[] rtcpSalt,
      byte[] rtcpAuthKey,
      int jceGcmMinPayload) {
    this.profile = profile;
    this.config = config;
    this.aead = profile.isAead();
    this.replayProtection = config.replayProtection();
    this.rtpTagLength = profile.rtpAuthTagLength();
    this.rtcpTagLength = profile.rtcpAuthTagLength();
    this.rtpAes = new AesKeystream(rtpKey);
    this.rtcpAes = new AesKeystream(rtcpKey);
    this.rtpSalt = rtpSalt.clone();
    this.rtcpSalt = rtcpSalt.clone();
    if (aead) {
      this.rtpMac = null;
      this.rtcpMac = null;
      Ghash.Tables tables = ghashTables(config.gcmEngine());
      this.rtpGhash = new Ghash(hashSubkey(rtpAes), tables);
      // SRTCP is a few packets a second: never 64 KiB of tables for it.
      this.rtcpGhash =
          new Ghash(hashSubkey(rtcpAes), tables == Ghash.Tables.WIDE ? Ghash.Tables.BYTE : tables);
      this.rtpJce = new JceGcm(rtpKey);
      this.rtcpJce = new JceGcm(rtcpKey);
    } else {
      this.rtpMac = new HmacSha1(rtpAuthKey);
      this.rtcpMac = new HmacSha1(rtcpAuthKey);
      this.rtpGhash = null;
      this.rtcpGhash = null;
      this.rtpJce = null;
      this.rtcpJce = null;
    }
    this.jceGcmMinPayload = jceGcmMinPayload;
    int capacity = Integer.highestOneBit(Math.max(1, config.maxSsrcs())) << 2;
    this.ssrcKeys = new int[capacity];
    this.ssrcStates = new SsrcState[capacity];
    this.ssrcMask = capacity - 1;
  }

  /** The GHASH tables for an engine; JCE keeps the smallest, for packets it refuses to seal. */
  private static Ghash.Tables ghashTables(SrtpConfig.GcmEngine engine) {
    return switch (engine) {
      case WIDE_TABLES -> Ghash.Tables.WIDE;
      case BYTE_TABLE -> Ghash.Tables.BYTE;
      case NIBBLE_TABLE, JCE -> Ghash.Tables.NIBBLE;
    };
  }

  private static byte[] hashSubkey(AesKeystream aes) {
    byte[] h = new byte[16];
    aes.encryptBlock(new byte[16], h);
    return h;
  }

  /** {@link #create(SrtpProfile, byte[], byte[], SrtpConfig)} with {@link SrtpConfig#DEFAULT}. */
  public static SrtpSession create(SrtpProfile profile, byte[] masterKey, byte[] masterSalt) {
    return create(profile, masterKey, masterSalt, SrtpConfig.DEFAULT);
  }

  /**
   * Derives the session keys (RFC 3711 section 4.3, key derivation rate 0) for SRTP and SRTCP from
   * one direction's master key and master salt, as DTLS-SRTP exports them.
   *
   * @throws IllegalArgumentException if a length does not match the profile
   */
  public static SrtpSession create(
      SrtpProfile profile, byte[] masterKey, byte[] masterSalt, SrtpConfig config) {
    Objects.requireNonNull(profile, "profile");
    Objects.requireNonNull(config, "config");
    if (masterKey == null || masterKey.length != profile.masterKeyLength()) {
      throw new IllegalArgumentException(
          profile
              + " needs a "
              + profile.masterKeyLength()
              + "-byte master key, got "
              + (masterKey == null ? "null" : masterKey.length + " bytes"));
    }
    if (masterSalt == null || masterSalt.length != profile.masterSaltLength()) {
      throw new IllegalArgumentException(
          profile
              + " needs a "
              + profile.masterSaltLength()
              + "-byte master salt, got "
              + (masterSalt == null ? "null" : masterSalt.length + " bytes"));
    }
    int keyLength = profile.masterKeyLength();
    int saltLength = profile.masterSaltLength();
    int authLength = profile.isAead() ? 0 : 20;
    return new SrtpSession(
        profile,
        config,
        derive(masterKey, masterSalt, SrtpKeyDerivation.LABEL_RTP_ENCRYPTION, keyLength),
        derive(masterKey, masterSalt, SrtpKeyDerivation.LABEL_RTP_SALT, saltLength),
        derive(masterKey, masterSalt, SrtpKeyDerivation.LABEL_RTP_AUTH, authLength),
        derive(masterKey, masterSalt, SrtpKeyDerivation.LABEL_RTCP_ENCRYPTION, keyLength),
        derive(masterKey, masterSalt, SrtpKeyDerivation.LABEL_RTCP_SALT, saltLength),
        derive(masterKey, masterSalt, SrtpKeyDerivation.LABEL_RTCP_AUTH, authLength),
        config.gcmEngine() == SrtpConfig.GcmEngine.JCE ? 0 : JCE_GCM_MIN_PAYLOAD);
  }

  private static byte[] derive(byte[] masterKey, byte[] masterSalt, int label, int length) {
    return SrtpKeyDerivation.derive(masterKey, masterSalt, label, length);
  }

  /** The protection profile. */
  public SrtpProfile profile() {
    return profile;
  }

  /** The configuration. */
  public SrtpConfig config() {
    return config;
  }

  /** Bytes {@link #protectRtp} appends: the tag length. */
  public int rtpOverhead() {
    return rtpTagLength;
  }

  /** Bytes {@link #protectRtcp} appends: the SRTCP index word and the tag. */
  public int rtcpOverhead() {
    return rtcpTagLength + SRTCP_INDEX_BYTES;
  }

  /** How many calls ended with {@code status} (OK counts packets processed). */
  public long statusCount(SrtpStatus status) {
    return statusCounts[status.ordinal()];
  }

  /** How many SSRC contexts exist. */
  public int ssrcCount() {
    return ssrcCount;
  }

  // ---------------------------------------------------------------------------------------------
  // byte[] API

  /**
   * Protects the RTP packet in {@code packet[offset, offset + length)} in place; the tag is written
   * after it, so the array needs {@link #rtpOverhead()} bytes of room past the packet.
   *
   * @return the SRTP packet length, or a negative {@link SrtpStatus#code()}
   */
  public int protectRtp(byte[] packet, int offset, int length) {
    checkRange(packet, offset, length);
    return protectRtpInPlace(packet, offset, length, packet.length - offset);
  }

  /**
   * Protects the RTP packet in {@code in[inOffset, inOffset + length)} into {@code out} at {@code
   * outOffset}; {@code in} is not modified unless it is the same region.
   *
   * @return the SRTP packet length, or a negative {@link SrtpStatus#code()}
   */
  public int protectRtp(byte[] in, int inOffset, int length, byte[] out, int outOffset) {
    checkRange(in, inOffset, length);
    checkRange(out, outOffset, 0);
    if (out.length - outOffset < length) {
      return fail(SrtpStatus.INVALID);
    }
    System.arraycopy(in, inOffset, out, outOffset, length);
    return protectRtpInPlace(out, outOffset, length, out.length - outOffset);
  }

  /**
   * Verifies and decrypts the SRTP packet in {@code packet[offset, offset + length)} in place.
   *
   * @return the RTP packet length (tag removed), or a negative {@link SrtpStatus#code()}
   */
  public int unprotectRtp(byte[] packet, int offset, int length) {
    checkRange(packet, offset, length);
    return unprotectRtpInPlace(packet, offset, length);
  }

  /**
   * Verifies and decrypts the SRTP packet in {@code in} into {@code out} at {@code outOffset}
   * (which needs {@code length} bytes of room); {@code in} is left as it was.
   *
   * @return the RTP packet length, or a negative {@link SrtpStatus#code()}
   */
  public int unprotectRtp(byte[] in, int inOffset, int length, byte[] out, int outOffset) {
    checkRange(in, inOffset, length);
    checkRange(out, outOffset, 0);
    if (out.length - outOffset < length) {
      return fail(SrtpStatus.INVALID);
    }
    System.arraycopy(in, inOffset, out, outOffset, length);
    return unprotectRtpInPlace(out, outOffset, length);
  }

  /**
   * Protects the compound RTCP packet in {@code packet[offset, offset + length)} in place
   * (encrypted, E-flag set); {@link #rtcpOverhead()} bytes of room are needed past it.
   *
   * @return the SRTCP packet length, or a negative {@link SrtpStatus#code()}
   */
  public int protectRtcp(byte[] packet, int offset, int length) {
    checkRange(packet, offset, length);
    return protectRtcpInPlace(packet, offset, length, packet.length - offset);
  }

  /** As {@link #protectRtcp(byte[], int, int)}, from {@code in} into {@code out}. */
  public int protectRtcp(byte[] in, int inOffset, int length, byte[] out, int outOffset) {
    checkRange(in, inOffset, length);
    checkRange(out, outOffset, 0);
    if (out.length - outOffset < length) {
      return fail(SrtpStatus.INVALID);
    }
    System.arraycopy(in, inOffset, out, outOffset, length);
    return protectRtcpInPlace(out, outOffset, length, out.length - outOffset);
  }

  /**
   * Verifies and (if its E-flag is set) decrypts the SRTCP packet in place.
   *
   * @return the RTCP packet length (index and tag removed), or a negative {@link SrtpStatus#code()}
   */
  public int unprotectRtcp(byte[] packet, int offset, int length) {
    checkRange(packet, offset, length);
    return unprotectRtcpInPlace(packet, offset, length);
  }

  /** As {@link #unprotectRtcp(byte[], int, int)}, from {@code in} into {@code out}. */
  public int unprotectRtcp(byte[] in, int inOffset, int length, byte[] out, int outOffset) {
    checkRange(in, inOffset, length);
    checkRange(out, outOffset, 0);
    if (out.length - outOffset < length) {
      return fail(SrtpStatus.INVALID);
    }
    System.arraycopy(in, inOffset, out, outOffset, length);
    return unprotectRtcpInPlace(out, outOffset, length);
  }

  // ---------------------------------------------------------------------------------------------
  // ByteBuffer API: absolute indexes; position and limit are never touched.

  /**
   * Protects the RTP packet at absolute index {@code offset} of {@code buffer} in place; the tag is
   * written after it, up to the buffer's capacity. Position and limit are not changed.
   *
   * @return the SRTP packet length, or a negative {@link SrtpStatus#code()}
   */
  public int protectRtp(ByteBuffer buffer, int offset, int length) {
    return onBuffer(buffer, offset, length, OP_PROTECT_RTP);
  }

  /** As {@link #unprotectRtp(byte[], int, int)} on a buffer; position and limit unchanged. */
  public int unprotectRtp(ByteBuffer buffer, int offset, int length) {
    return onBuffer(buffer, offset, length, OP_UNPROTECT_RTP);
  }

  /** As {@link #protectRtcp(byte[], int, int)} on a buffer; position and limit unchanged. */
  public int protectRtcp(ByteBuffer buffer, int offset, int length) {
    return onBuffer(buffer, offset, length, OP_PROTECT_RTCP);
  }

  /** As {@link #unprotectRtcp(byte[], int, int)} on a buffer; position and limit unchanged. */
  public int unprotectRtcp(ByteBuffer buffer, int offset, int length) {
    return onBuffer(buffer, offset, length, OP_UNPROTECT_RTCP);
  }

  private static final int OP_PROTECT_RTP = 0;
  private static final int OP_UNPROTECT_RTP = 1;
  private static final int OP_PROTECT_RTCP = 2;
  private static final int OP_UNPROTECT_RTCP = 3;

  private int onBuffer(ByteBuffer buffer, int offset, int length, int op) {
    Objects.requireNonNull(buffer, "buffer");
    int capacity = buffer.capacity();
    if (offset < 0 || length < 0 || offset > capacity - length) {
      throw new IllegalArgumentException(
          "offset " + offset + " and length " + length + " outside buffer capacity " + capacity);
    }
    if (buffer.isReadOnly()) {
      throw new IllegalArgumentException("SRTP works in place: the buffer must be writable");
    }
    int room = capacity - offset;
    if (buffer.hasArray()) {
      return run(buffer.array(), buffer.arrayOffset() + offset, length, room, op);
    }
    // Direct buffers: JCE wants arrays, so work on a reused scratch copy.
    int window = Math.min(room, length + 32);
    if (directScratch.length < window) {
      directScratch = new byte[Math.max(window, 2048)];
    }
    buffer.get(offset, directScratch, 0, length);
    int result = run(directScratch, 0, length, window, op);
    if (result > 0) {
      buffer.put(offset, directScratch, 0, result);
    }
    return result;
  }

  private int run(byte[] array, int offset, int length, int room, int op) {
    switch (op) {
      case OP_PROTECT_RTP:
        return protectRtpInPlace(array, offset, length, room);
      case OP_UNPROTECT_RTP:
        return unprotectRtpInPlace(array, offset, length);
      case OP_PROTECT_RTCP:
        return protectRtcpInPlace(array, offset, length, room);
      default:
        return unprotectRtcpInPlace(array, offset, length);
    }
  }

  private static void checkRange(byte[] array, int offset, int length) {
    Objects.requireNonNull(array, "array");
    if (offset < 0 || length < 0 || offset > array.length - length) {
      throw new IllegalArgumentException(
          "offset " + offset + " and length " + length + " outside array of " + array.length);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // SRTP (RFC 3711 section 3.1, RFC 7714 section 8)
  //
  //    0                   1                   2                   3
  //    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
  //   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+<+
  //   |V=2|P|X|  CC   |M|     PT      |       sequence number         | |
  //   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+ |
  //   |                           timestamp                           | |
  //   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+ |
  //   |           synchronization source (SSRC) identifier            | |
  //   +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+ |
  //   |            contributing source (CSRC) identifiers             | |
  //   |                               ....                            | |
  //   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+ |
  //   |                   RTP extension (OPTIONAL)                    | |
  // +>+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+ |
  // | |                          payload  ...                         | |
  // | |                               +-------------------------------+ |
  // | |                               | RTP padding   | RTP pad count | |
  // +>+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+<+
  // |                    authentication tag (RECOMMENDED)               |
  // +- Encrypted Portion*                      Authenticated Portion ---+

  /** Header length (fixed part, CSRCs, extension) or -1 if the header does not fit. */
  private static int rtpHeaderLength(byte[] b, int off, int len) {
    if (len < 12) {
      return -1;
    }
    int first = b[off] & 0xff;
    if ((first >>> 6) != 2) {
      return -1;
    }
    int header = 12 + ((first & 0x0f) << 2);
    if ((first & 0x10) != 0) {
      if (header + 4 > len) {
        return -1;
      }
      int words = ((b[off + header + 2] & 0xff) << 8) | (b[off + header + 3] & 0xff);
      header += 4 + (words << 2);
    }
    return header <= len ? header : -1;
  }

  private int protectRtpInPlace(byte[] b, int off, int len, int room) {
    int header = rtpHeaderLength(b, off, len);
    if (header < 0 || room - len < rtpTagLength) {
      return fail(SrtpStatus.INVALID);
    }
    int seq = ((b[off + 2] & 0xff) << 8) | (b[off + 3] & 0xff);
    int ssrc = (int) INTS.get(b, off + 8);
    SsrcState state = lookup(ssrc);
    if (state == null) {
      state = insert(ssrc);
      if (state == null) {
        return fail(SrtpStatus.SSRC_LIMIT);
      }
    }
    long roc = state.estimateRoc(seq);
    if (roc < 0) {
      // The application handed in a sequence number from before this SSRC's first packet.
      return fail(SrtpStatus.INVALID);
    }
    if (roc > MAX_ROC || srtpPackets >= SRTP_KEY_LIMIT) {
      return fail(SrtpStatus.KEY_LIMIT);
    }
    int payload = len - header;
    if (aead) {
      gcmRtpIv(ssrc, (int) roc, seq);
      if (payload < jceGcmMinPayload
          || !rtpJce.seal(iv, b, off, header, false, 0, b, off + header, payload)) {
        sealRtp(b, off, header, payload);
      }
    } else {
      cmIv(rtpSalt, ssrc, (roc << 16) | seq);
      rtpAes.generate(iv, (payload + 15) >>> 4);
      rtpAes.xor(b, off + header, payload, 0);
      rtpMac.compute(b, off, len, (int) roc, true);
      System.arraycopy(rtpMac.mac, 0, b, off + len, rtpTagLength);
    }
    state.advance(roc, seq);
    srtpPackets++;
    statusCounts[0]++;
    return len + rtpTagLength;
  }

  /** GCM with {@link Ghash}: encrypts the payload in place and writes the tag after it. */
  private void sealRtp(byte[] b, int off, int header, int payload) {
    rtpAes.generate(iv, 1 + ((payload + 15) >>> 4));
    rtpAes.xor(b, off + header, payload, 16);
    Ghash g = rtpGhash;
    g.reset();
    g.update(b, off, header);
    g.padSegment();
    g.update(b, off + header, payload);
    g.finish(header, payload, rtpAes.stream, 0, b, off + header + payload);
  }

  /** GCM with {@link Ghash}: checks the tag after the payload, then decrypts; false if forged. */
  private boolean openRtp(byte[] b, int off, int header, int payload) {
    rtpAes.generate(iv, 1 + ((payload + 15) >>> 4));
    Ghash g = rtpGhash;
    g.reset();
    g.update(b, off, header);
    g.padSegment();
    g.update(b, off + header, payload);
    g.finish(header, payload, rtpAes.stream, 0, tag, 0);
    if (!equalTags(tag, b, off + header + payload, GCM_TAG)) {
      return false;
    }
    rtpAes.xor(b, off + header, payload, 16);
    return true;
  }

  private int unprotectRtpInPlace(byte[] b, int off, int len) {
    int bodyLength = len - rtpTagLength;
    int header = rtpHeaderLength(b, off, bodyLength);
    if (header < 0) {
      return fail(SrtpStatus.INVALID);
    }
    int seq = ((b[off + 2] & 0xff) << 8) | (b[off + 3] & 0xff);
    int ssrc = (int) INTS.get(b, off + 8);
    SsrcState state = lookup(ssrc);
    long roc;
    if (state != null) {
      roc = state.estimateRoc(seq);
      if (roc < 0) {
        return fail(SrtpStatus.REPLAY_OLD);
      }
      if (roc > MAX_ROC) {
        return fail(SrtpStatus.INVALID);
      }
      int replay = replayProtection ? state.rtpReplay.check((roc << 16) | seq) : 0;
      if (replay != 0) {
        return fail(replay);
      }
    } else {
      if (ssrcCount >= config.maxSsrcs()) {
        return fail(SrtpStatus.SSRC_LIMIT);
      }
      roc = 0; // RFC 3711 section 3.3.1: a new receiver context starts with ROC 0
    }
    int payload = bodyLength - header;
    int tagOffset = off + bodyLength;
    if (aead) {
      gcmRtpIv(ssrc, (int) roc, seq);
      boolean authentic =
          payload >= jceGcmMinPayload
              ? rtpJce.open(iv, b, off, header, false, 0, b, off + header, payload)
              : openRtp(b, off, header, payload);
      if (!authentic) {
        return fail(SrtpStatus.AUTH_FAIL);
      }
    } else {
      rtpMac.compute(b, off, bodyLength, (int) roc, true);
      if (!equalTags(rtpMac.mac, b, tagOffset, rtpTagLength)) {
        return fail(SrtpStatus.AUTH_FAIL);
      }
      cmIv(rtpSalt, ssrc, (roc << 16) | seq);
      rtpAes.generate(iv, (payload + 15) >>> 4);
      rtpAes.xor(b, off + header, payload, 0);
    }
    if (state == null) {
      // Created only now, so unauthenticated packets cannot fill the SSRC table.
      state = insert(ssrc);
    }
    state.rtpReplay.update((roc << 16) | seq);
    state.advance(roc, seq);
    statusCounts[0]++;
    return bodyLength;
  }

  // ---------------------------------------------------------------------------------------------
  // SRTCP (RFC 3711 section 3.4; RFC 7714 section 9 puts the tag before the index word)
  //
  //    0                   1                   2                   3
  //    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
  //   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+<+
  //   |V=2|P|    RC   |   PT=SR or RR   |             length          | |
  //   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+ |
  //   |                         SSRC of sender                        | |
  // +>+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+ |
  // | ~                          sender info                          ~ |
  // | ~                  report blocks, further RTCP packets          ~ |
  // +>+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+ |
  // | |E|                         SRTCP index                         | |
  // | +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+<+
  // | ~                     authentication tag                        ~
  // | +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
  // +-- Encrypted Portion                    Authenticated Portion -----+

  private int protectRtcpInPlace(byte[] b, int off, int len, int room) {
    if (len < 8 || ((b[off] & 0xff) >>> 6) != 2 || room - len < rtcpOverhead()) {
      return fail(SrtpStatus.INVALID);
    }
    int ssrc = (int) INTS.get(b, off + 4);
    SsrcState state = lookup(ssrc);
    if (state == null) {
      state = insert(ssrc);
      if (state == null) {
        return fail(SrtpStatus.SSRC_LIMIT);
      }
    }
    long index = state.rtcpNextIndex;
    if (index >= SRTCP_KEY_LIMIT || srtcpPackets >= SRTCP_KEY_LIMIT) {
      return fail(SrtpStatus.KEY_LIMIT);
    }
    int word = 0x80000000 | (int) index;
    int payload = len - 8;
    if (aead) {
      gcmRtcpIv(ssrc, (int) index);
      if (payload < jceGcmMinPayload
          || !rtcpJce.seal(iv, b, off, 8, true, word, b, off + 8, payload)) {
        sealRtcp(b, off, word, payload);
      }
      INTS.set(b, off + len + GCM_TAG, word);
    } else {
      cmIv(rtcpSalt, ssrc, index);
      rtcpAes.generate(iv, (payload + 15) >>> 4);
      rtcpAes.xor(b, off + 8, payload, 0);
      INTS.set(b, off + len, word);
      rtcpMac.compute(b, off, len + SRTCP_INDEX_BYTES, 0, false);
      System.arraycopy(rtcpMac.mac, 0, b, off + len + SRTCP_INDEX_BYTES, rtcpTagLength);
    }
    state.rtcpNextIndex = index + 1;
    srtcpPackets++;
    statusCounts[0]++;
    return len + rtcpOverhead();
  }

  /** GCM with {@link Ghash}: AAD is the 8-byte header and the index word; tag after payload. */
  private void sealRtcp(byte[] b, int off, int word, int payload) {
    rtcpAes.generate(iv, 1 + ((payload + 15) >>> 4));
    rtcpAes.xor(b, off + 8, payload, 16);
    Ghash g = rtcpGhash;
    g.reset();
    g.update(b, off, 8);
    g.updateInt(word);
    g.padSegment();
    g.update(b, off + 8, payload);
    g.finish(12, payload, rtcpAes.stream, 0, b, off + 8 + payload);
  }

  private int unprotectRtcpInPlace(byte[] b, int off, int len) {
    int bodyLength = len - rtcpOverhead();
    if (bodyLength < 8 || ((b[off] & 0xff) >>> 6) != 2) {
      return fail(SrtpStatus.INVALID);
    }
    int ssrc = (int) INTS.get(b, off + 4);
    int wordOffset = aead ? off + len - SRTCP_INDEX_BYTES : off + bodyLength;
    int tagOffset = aead ? off + bodyLength : off + bodyLength + SRTCP_INDEX_BYTES;
    int word = (int) INTS.get(b, wordOffset);
    boolean encrypted = word < 0;
    int index = word & 0x7fffffff;
    SsrcState state = lookup(ssrc);
    if (state != null) {
      int replay = replayProtection ? state.rtcpReplay.check(index) : 0;
      if (replay != 0) {
        return fail(replay);
      }
    } else if (ssrcCount >= config.maxSsrcs()) {
      return fail(SrtpStatus.SSRC_LIMIT);
    }
    int payload = bodyLength - 8;
    if (aead && encrypted && payload >= jceGcmMinPayload) {
      gcmRtcpIv(ssrc, index);
      if (!rtcpJce.open(iv, b, off, 8, true, word, b, off + 8, payload)) {
        return fail(SrtpStatus.AUTH_FAIL);
      }
    } else if (aead) {
      gcmRtcpIv(ssrc, index);
      Ghash g = rtcpGhash;
      g.reset();
      if (encrypted) {
        rtcpAes.generate(iv, 1 + ((payload + 15) >>> 4));
        g.update(b, off, 8);
        g.updateInt(word);
        g.padSegment();
        g.update(b, off + 8, payload);
        g.finish(12, payload, rtcpAes.stream, 0, tag, 0);
      } else {
        // RFC 7714 section 9.3: unencrypted, the whole RTCP packet and the index word are AAD.
        rtcpAes.generate(iv, 1);
        g.update(b, off, bodyLength);
        g.updateInt(word);
        g.finish(bodyLength + 4L, 0, rtcpAes.stream, 0, tag, 0);
      }
      if (!equalTags(tag, b, tagOffset, GCM_TAG)) {
        return fail(SrtpStatus.AUTH_FAIL);
      }
      if (encrypted) {
        rtcpAes.xor(b, off + 8, payload, 16);
      }
    } else {
      rtcpMac.compute(b, off, bodyLength + SRTCP_INDEX_BYTES, 0, false);
      if (!equalTags(rtcpMac.mac, b, tagOffset, rtcpTagLength)) {
        return fail(SrtpStatus.AUTH_FAIL);
      }
      if (encrypted) {
        cmIv(rtcpSalt, ssrc, index);
        rtcpAes.generate(iv, (payload + 15) >>> 4);
        rtcpAes.xor(b, off + 8, payload, 0);
      }
    }
    if (state == null) {
      state = insert(ssrc);
    }
    state.rtcpReplay.update(index);
    statusCounts[0]++;
    return bodyLength;
  }

  // ---------------------------------------------------------------------------------------------
  // IVs

  /**
   * AES-CM IV (RFC 3711 section 4.1.1): {@code (salt * 2^16) XOR (SSRC * 2^64) XOR (index * 2^16)};
   * the low 16 bits are the block counter.
   */
  private void cmIv(byte[] salt, int ssrc, long index) {
    byte[] v = iv;
    System.arraycopy(salt, 0, v, 0, 14);
    v[14] = 0;
    v[15] = 0;
    v[4] ^= (byte) (ssrc >>> 24);
    v[5] ^= (byte) (ssrc >>> 16);
    v[6] ^= (byte) (ssrc >>> 8);
    v[7] ^= (byte) ssrc;
    v[8] ^= (byte) (index >>> 40);
    v[9] ^= (byte) (index >>> 32);
    v[10] ^= (byte) (index >>> 24);
    v[11] ^= (byte) (index >>> 16);
    v[12] ^= (byte) (index >>> 8);
    v[13] ^= (byte) index;
  }

  /** GCM J0 for SRTP (RFC 7714 section 8.1): {@code (00 00 || SSRC || ROC || SEQ) XOR salt}. */
  private void gcmRtpIv(int ssrc, int roc, int seq) {
    byte[] v = iv;
    System.arraycopy(rtpSalt, 0, v, 0, 12);
    v[2] ^= (byte) (ssrc >>> 24);
    v[3] ^= (byte) (ssrc >>> 16);
    v[4] ^= (byte) (ssrc >>> 8);
    v[5] ^= (byte) ssrc;
    v[6] ^= (byte) (roc >>> 24);
    v[7] ^= (byte) (roc >>> 16);
    v[8] ^= (byte) (roc >>> 8);
    v[9] ^= (byte) roc;
    v[10] ^= (byte) (seq >>> 8);
    v[11] ^= (byte) seq;
    INTS.set(v, 12, 1);
  }

  /** GCM J0 for SRTCP (RFC 7714 section 9.1): {@code (00 00 || SSRC || 00 00 || 0 || index)}. */
  private void gcmRtcpIv(int ssrc, int index) {
    byte[] v = iv;
    System.arraycopy(rtcpSalt, 0, v, 0, 12);
    v[2] ^= (byte) (ssrc >>> 24);
    v[3] ^= (byte) (ssrc >>> 16);
    v[4] ^= (byte) (ssrc >>> 8);
    v[5] ^= (byte) ssrc;
    v[8] ^= (byte) (index >>> 24);
    v[9] ^= (byte) (index >>> 16);
    v[10] ^= (byte) (index >>> 8);
    v[11] ^= (byte) index;
    INTS.set(v, 12, 1);
  }

  /** Constant-time comparison: the time does not depend on where the tags differ. */
  static boolean equalTags(byte[] computed, byte[] packet, int offset, int length) {
    int diff = 0;
    for (int i = 0; i < length; i++) {
      diff |= computed[i] ^ packet[offset + i];
    }
    return diff == 0;
  }

  // ---------------------------------------------------------------------------------------------
  // SSRC table and counters

  private SsrcState lookup(int ssrc) {
    int last = lastSlot;
    if (last >= 0 && ssrcKeys[last] == ssrc) {
      return ssrcStates[last];
    }
    int mask = ssrcMask;
    for (int i = mix(ssrc) & mask; ; i = (i + 1) & mask) {
      SsrcState s = ssrcStates[i];
      if (s == null) {
        return null;
      }
      if (ssrcKeys[i] == ssrc) {
        lastSlot = i;
        return s;
      }
    }
  }

  private SsrcState insert(int ssrc) {
    if (ssrcCount >= config.maxSsrcs()) {
      return null;
    }
    int mask = ssrcMask;
    int i = mix(ssrc) & mask;
    while (ssrcStates[i] != null) {
      i = (i + 1) & mask;
    }
    SsrcState s = new SsrcState(ssrc, config);
    ssrcKeys[i] = ssrc;
    ssrcStates[i] = s;
    ssrcCount++;
    lastSlot = i;
    return s;
  }

  private static int mix(int ssrc) {
    int h = ssrc * 0x9E3779B9;
    return h ^ (h >>> 16);
  }

  private int fail(SrtpStatus status) {
    statusCounts[status.ordinal()]++;
    return status.code();
  }

  private int fail(int code) {
    statusCounts[-code]++;
    return code;
  }

  @Override
  public String toString() {
    return "SrtpSession[" + profile + ", ssrcs=" + ssrcCount + "]";
  }
}
