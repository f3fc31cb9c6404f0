/**
 * Session descriptions for WebRTC: RFC 8866 (SDP), RFC 8829 (JSEP), RFC 8839 (ICE candidates in
 * SDP), RFC 8122 (fingerprint), RFC 4145 (setup), RFC 8841 (SCTP over DTLS in SDP).
 */
package io.github.jpeer.sdp;
