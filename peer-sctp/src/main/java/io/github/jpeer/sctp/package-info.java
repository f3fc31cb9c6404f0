/**
 * Data channels: SCTP (RFC 9260) over DTLS (RFC 8261), partial reliability (RFC 3758), stream reset
 * (RFC 6525), DCEP (RFC 8832) and the WebRTC data channel rules (RFC 8831).
 *
 * <p>{@link io.github.jpeer.sctp.SctpAssociation} is the sans-IO core: it takes and produces whole
 * SCTP packets (what DTLS carries), is driven by {@code nowNanos}, and reports what happens as
 * {@link io.github.jpeer.sctp.SctpEvent} records. The chunk records ({@link
 * io.github.jpeer.sctp.DataChunk}, {@link io.github.jpeer.sctp.InitChunk}, ...) and {@link
 * io.github.jpeer.sctp.SctpPacket} are the wire codec; their parsers throw only {@link
 * io.github.jpeer.sctp.SctpParseException}.
 *
 * <p>Deliberate deviations and omissions, each documented where it applies: association restart
 * (RFC 9260 5.2.4 case A) is refused, since over DTLS a restarted peer is a new DTLS session; zero
 * checksum (RFC 9653) is off unless configured; I-DATA (RFC 8260) is not offered; unknown INIT
 * parameters are ignored rather than reported; re-configuration requests other than Outgoing SSN
 * Reset are denied; the sender schedules streams first-come first-served (no priority scheduler);
 * the timers are WebRTC's rather than RFC 9260 section 16's (see {@link
 * io.github.jpeer.sctp.SctpConfig}), and loss recovery borrows TCP's RACK-TLP (RFC 8985) and
 * spurious-retransmission undo (RFC 3522) where RFC 9260 7.2.4 would wait for a timeout.
 */
package io.github.jpeer.sctp;
