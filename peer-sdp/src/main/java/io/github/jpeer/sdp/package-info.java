/**
 * Session descriptions for WebRTC: RFC 8866 (SDP), RFC 8829 (JSEP), RFC 8839 (ICE candidates in
 * SDP), RFC 8122 (fingerprint), RFC 4145 (setup), RFC 8841 (SCTP over DTLS in SDP).
 *
 * <p>Also covered: RFC 5888 and RFC 9143 ({@code a=group}, BUNDLE, {@code a=mid}), RFC 8838 ({@code
 * a=end-of-candidates}), RFC 6544 ({@code tcptype}), RFC 5761 ({@code a=rtcp-mux}), RFC 5506
 * ({@code a=rtcp-rsize}), RFC 4585 ({@code a=rtcp-fb}), RFC 8285 ({@code a=extmap}), RFC 5576
 * ({@code a=ssrc}, {@code a=ssrc-group}), RFC 8830 ({@code a=msid}), RFC 3551 (static payload
 * types) and the pre-RFC 8841 {@code a=sctpmap}.
 *
 * <p>Entry points: {@link io.github.jpeer.sdp.SessionDescription#parse(String)} and {@link
 * io.github.jpeer.sdp.SessionDescription#write()}; {@link
 * io.github.jpeer.sdp.Candidate#parse(String)} for trickled candidates. The model is immutable
 * records with builders; unknown lines and attributes are kept and written back. Every parser
 * throws only the unchecked {@link io.github.jpeer.sdp.SdpParseException}, which names the line and
 * what was expected there. All types are immutable and therefore thread-safe; the builders are not.
 */
package io.github.jpeer.sdp;
