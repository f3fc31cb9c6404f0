/**
 * Data channels: SCTP (RFC 9260) over DTLS (RFC 8261), partial reliability (RFC 3758), stream
 * reset (RFC 6525), DCEP (RFC 8832) and the WebRTC data channel rules (RFC 8831).
 */
package io.github.jpeer.sctp;
