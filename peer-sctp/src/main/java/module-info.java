/** Data channels: SCTP (RFC 9260) over DTLS (RFC 8261) and DCEP (RFC 8832). */
module io.github.jpeer.sctp {
  exports io.github.jpeer.sctp;
}
