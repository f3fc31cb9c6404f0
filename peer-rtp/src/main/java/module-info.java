/** RTP and RTCP (RFC 3550, RFC 4585) and the Opus, G.711 and H264 payload formats. */
module io.github.jpeer.rtp {
  exports io.github.jpeer.rtp;
}
