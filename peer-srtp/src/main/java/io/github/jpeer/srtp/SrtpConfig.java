package io.github.jpeer.srtp;

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
 */
public record SrtpConfig(
    int replayWindowPackets, int rtcpReplayWindowPackets, int maxSsrcs, boolean replayProtection) {

  /** 128-packet windows (libsrtp's default), up to 64 SSRCs, replay protection on. */
  public static final SrtpConfig DEFAULT = new SrtpConfig(128, 128, 64, true);

  /** Validates the values; see the record components. */
  public SrtpConfig {
    checkWindow("replayWindowPackets", replayWindowPackets);
    checkWindow("rtcpReplayWindowPackets", rtcpReplayWindowPackets);
    if (maxSsrcs < 1 || maxSsrcs > 65536) {
      throw new IllegalArgumentException("maxSsrcs must be 1 to 65536, got " + maxSsrcs);
    }
  }

  /** A copy with another SRTP replay window, e.g. {@code 1024} for video. */
  public SrtpConfig withReplayWindowPackets(int packets) {
    return new SrtpConfig(packets, rtcpReplayWindowPackets, maxSsrcs, replayProtection);
  }

  /** A copy with another SRTCP replay window. */
  public SrtpConfig withRtcpReplayWindowPackets(int packets) {
    return new SrtpConfig(replayWindowPackets, packets, maxSsrcs, replayProtection);
  }

  /** A copy with replay protection switched on or off; see the record component. */
  public SrtpConfig withReplayProtection(boolean enabled) {
    return new SrtpConfig(replayWindowPackets, rtcpReplayWindowPackets, maxSsrcs, enabled);
  }

  /** A copy with another SSRC bound. */
  public SrtpConfig withMaxSsrcs(int count) {
    return new SrtpConfig(replayWindowPackets, rtcpReplayWindowPackets, count, replayProtection);
  }

  private static void checkWindow(String name, int packets) {
    if (packets < 64 || packets > 32768 || Integer.bitCount(packets) != 1) {
      throw new IllegalArgumentException(
          name + " must be a power of two from 64 to 32768, got " + packets);
    }
  }
}
