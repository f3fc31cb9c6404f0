package io.github.jpeer.srtp;

import java.util.Objects;

/**
 * Tuning of an {@link SrtpSession}.
 *
 * @param replayWindowPackets how many SRTP packet indexes behind the newest one are remembered for
 *     replay detection (RFC 3711 section 3.3.2 asks for at least 64); a power of two, 64 to 32768.
 *     Video at high bitrates reorders more, so 1024 is a good choice there.
 * @param rtcpReplayWindowPackets the same for SRTCP indexes; a power of two, 64 to 32768
 * @param maxSsrcs how many SSRCs the session keeps a context for; packets of further SSRCs are
 *     dropped with {@link SrtpStatus#SSRC_LIMIT} and counted
 * @param replayProtection whether unprotect rejects replayed and too-old packets (RFC 3711 section
 *     3.3.2); keep it on. Off only where a layer above already drops duplicates, or to measure
 *     unprotect on one packet repeatedly (jitsi-srtp offers the same switch)
 * @param gcmEngine how the AEAD (AES-GCM) profiles compute their tags; the default, {@link
 *     GcmEngine#NIBBLE_TABLE}, is chosen for a server with thousands of calls, see {@link
 *     GcmEngine}
 */
public record SrtpConfig(
    int replayWindowPackets,
    int rtcpReplayWindowPackets,
    int maxSsrcs,
    boolean replayProtection,
    GcmEngine gcmEngine) {

  /**
   * How the AES-GCM profiles seal and open packets: payloads below 512 bytes (audio, RTCP) through
   * jpeer's own GHASH with per-key tables of the named size, which allocates nothing, and larger
   * ones (video) through JCE's {@code AES/GCM/NoPadding}; or everything through JCE. The table size
   * trades work per block against memory per key, and a server holds two keys per session and two
   * sessions per call: what one call keeps in L1, a server with thousands of calls fetches from
   * DRAM.
   *
   * <p>Measured with {@code SrtpScaleBenchmark} (protect plus unprotect of an 80-byte Opus payload,
   * AEAD_AES_128_GCM, calls visited in a shuffled order; one run, JDK 17, 2-core AMD EPYC with
   * AES-NI, PCLMULQDQ, VAES; ns per protect plus unprotect at 1 / 100 / 1000 / 4000 live calls):
   * wide 569 / 2597 / 7019 / 7831, byte 619 / 784 / 4321 / 5098, nibble 1028 / 1067 / 1537 / 2965,
   * JCE 617 / 769 / 1564 / 2897 (1920 bytes of garbage), AES_CM_128_HMAC_SHA1_80 597 / 794 / 1196 /
   * 3012. The wide tables win only while every key fits in the caches; from about a thousand calls
   * the nibble table is 2.6 to 4.6 times faster than them, level with JCE and with HMAC-SHA1, and
   * allocates nothing, so it is the default. A client with a single call pays about 0.5 us more per
   * packet pair than with the wide tables.
   */
  public enum GcmEngine {
    /**
     * 64 KiB of tables per SRTP key (SRTCP gets {@link #BYTE_TABLE}): fastest for a single call.
     */
    WIDE_TABLES,
    /** 4 KiB of table per key. */
    BYTE_TABLE,
    /**
     * 256 bytes of table per key, twice the operations per block of {@link #BYTE_TABLE}, but they
     * stay in the caches with thousands of keys: the default.
     */
    NIBBLE_TABLE,
    /**
     * JCE's AES/GCM for every payload (the CPU's carry-less multiply where HotSpot has it), at
     * about 960 bytes of garbage per packet from its per-packet {@code Cipher.init} (SunJCE, JDK
     * 17).
     */
    JCE
  }

  /**
   * 128-packet windows (libsrtp's default), up to 64 SSRCs, replay protection on, {@link
   * GcmEngine#NIBBLE_TABLE}.
   */
  public static final SrtpConfig DEFAULT =
      new SrtpConfig(128, 128, 64, true, GcmEngine.NIBBLE_TABLE);

  /** Validates the values; see the record components. */
  public SrtpConfig {
    Objects.requireNonNull(gcmEngine, "gcmEngine");
    checkWindow("replayWindowPackets", replayWindowPackets);
    checkWindow("rtcpReplayWindowPackets", rtcpReplayWindowPackets);
    if (maxSsrcs < 1 || maxSsrcs > 65536) {
      throw new IllegalArgumentException("maxSsrcs must be 1 to 65536, got " + maxSsrcs);
    }
  }

  /** A copy with another SRTP replay window, e.g. {@code 1024} for video. */
  public SrtpConfig withReplayWindowPackets(int packets) {
    return new SrtpConfig(packets, rtcpReplayWindowPackets, maxSsrcs, replayProtection, gcmEngine);
  }

  /** A copy with another SRTCP replay window. */
  public SrtpConfig withRtcpReplayWindowPackets(int packets) {
    return new SrtpConfig(replayWindowPackets, packets, maxSsrcs, replayProtection, gcmEngine);
  }

  /** A copy with replay protection switched on or off; see the record component. */
  public SrtpConfig withReplayProtection(boolean enabled) {
    return new SrtpConfig(
        replayWindowPackets, rtcpReplayWindowPackets, maxSsrcs, enabled, gcmEngine);
  }

  /** A copy with another SSRC bound. */
  public SrtpConfig withMaxSsrcs(int count) {
    return new SrtpConfig(
        replayWindowPackets, rtcpReplayWindowPackets, count, replayProtection, gcmEngine);
  }

  /** A copy with another {@link GcmEngine}. */
  public SrtpConfig withGcmEngine(GcmEngine engine) {
    return new SrtpConfig(
        replayWindowPackets, rtcpReplayWindowPackets, maxSsrcs, replayProtection, engine);
  }

  private static void checkWindow(String name, int packets) {
    if (packets < 64 || packets > 32768 || Integer.bitCount(packets) != 1) {
      throw new IllegalArgumentException(
          name + " must be a power of two from 64 to 32768, got " + packets);
    }
  }
}
