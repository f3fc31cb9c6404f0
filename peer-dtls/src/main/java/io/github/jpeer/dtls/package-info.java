/**
 * DTLS-SRTP on BouncyCastle: RFC 6347 (DTLS 1.2), RFC 5764 (use_srtp and the {@code
 * EXTRACTOR-dtls_srtp} key export), RFC 5763 and RFC 8122 (certificate fingerprints in SDP), RFC
 * 5705 (keying material exporter), RFC 7627 (extended master secret, required), RFC 7714 (AES-GCM
 * SRTP profiles), RFC 7983 (demultiplexing by first byte), RFC 8827 section 6.5 (the fingerprint is
 * the trust anchor).
 *
 * <p>The entry point is {@link io.github.jpeer.dtls.DtlsEndpoint}, configured by {@link
 * io.github.jpeer.dtls.DtlsConfig} with a {@link io.github.jpeer.dtls.DtlsCertificate} (generate
 * once, share freely), the remote's {@link io.github.jpeer.dtls.Fingerprint}s and a {@link
 * io.github.jpeer.dtls.DtlsRole} taken from the SDP setup attribute. It reports {@link
 * io.github.jpeer.dtls.DtlsEvent}s; the handshake's {@link io.github.jpeer.dtls.SrtpKeyMaterial}
 * goes to peer-srtp.
 *
 * <p>This is the one module that starts a thread: BouncyCastle's DTLS handshake blocks and reads
 * the wall clock, so each endpoint runs it on a daemon thread named {@code jpeer-dtls-handshake-N}
 * that ends with the handshake. Everything after the handshake runs on the caller's thread without
 * blocking.
 */
package io.github.jpeer.dtls;
