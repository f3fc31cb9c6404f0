package io.github.jpeer.srtp;

/**
 * Per-SSRC cryptographic state (RFC 3711 section 3.2.1): the rollover counter and highest sequence
 * number for index estimation, the replay windows, and the sender's SRTCP index.
 */
final class SsrcState {
  final int ssrc;
  boolean rtpSeen;

  /** ROC, as an unsigned 32-bit value held in a long. */
  long roc;

  /** s_l: the highest sequence number seen together with {@link #roc}. */
  int highestSeq;

  final ReplayWindow rtpReplay;
  final ReplayWindow rtcpReplay;

  /** The SRTCP index the next protected RTCP packet carries. */
  long rtcpNextIndex;

  SsrcState(int ssrc, SrtpConfig config) {
    this.ssrc = ssrc;
    this.rtpReplay = new ReplayWindow(config.replayWindowPackets());
    this.rtcpReplay = new ReplayWindow(config.rtcpReplayWindowPackets());
  }

  /**
   * The ROC guess v for sequence number {@code seq} (RFC 3711 section 3.3.1 and appendix A); may be
   * -1 (before the first wrap) or 2^32 (beyond the last), which the caller rejects.
   */
  long estimateRoc(int seq) {
    if (!rtpSeen) {
      return 0;
    }
    if (highestSeq < 32768) {
      return seq - highestSeq > 32768 ? roc - 1 : roc;
    }
    return highestSeq - 32768 > seq ? roc + 1 : roc;
  }

  /** Moves s_l and ROC forward when an accepted packet's index is the highest yet. */
  void advance(long v, int seq) {
    if (!rtpSeen || ((v << 16) | seq) > ((roc << 16) | highestSeq)) {
      roc = v;
      highestSeq = seq;
      rtpSeen = true;
    }
  }
}
