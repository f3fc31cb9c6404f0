/** Session descriptions for WebRTC (RFC 8866, RFC 8829). */
module io.github.jpeer.sdp {
  exports io.github.jpeer.sdp;
}
