/**
 * DTLS-SRTP on BouncyCastle: RFC 6347 (DTLS 1.2), RFC 5764 (use_srtp), RFC 5763 (fingerprints in
 * SDP), RFC 5705 (keying material exporter).
 */
package io.github.jpeer.dtls;
