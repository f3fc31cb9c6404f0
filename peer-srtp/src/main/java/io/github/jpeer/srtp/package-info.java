/**
 * SRTP and SRTCP: RFC 3711 (AES-CM with HMAC-SHA1), RFC 7714 (AEAD AES-GCM), RFC 5764 profiles.
 *
 * <p>Entry points: {@link io.github.jpeer.srtp.SrtpKeyingMaterial} splits the DTLS exporter output
 * (RFC 5764 section 4.2) into the two directions' master keys and salts; {@link
 * io.github.jpeer.srtp.SrtpSession} derives the session keys (RFC 3711 section 4.3, key derivation
 * rate 0) and protects or unprotects packets in place, returning a length or a {@link
 * io.github.jpeer.srtp.SrtpStatus} code; {@link io.github.jpeer.srtp.SrtpConfig} sets the replay
 * windows and the SSRC bound.
 *
 * <p>Sans-IO and thread-confined: no sockets, threads or clocks; a session belongs to one thread.
 * The per-packet paths allocate nothing after warm-up, except GCM on payloads of 512 bytes or more:
 * AES runs as one JCE "AES/ECB/NoPadding" cipher per key over counter blocks this package writes
 * (JCE's CTR and GCM modes would need a {@code Cipher.init}, which allocates, per packet); GCM's
 * GHASH is implemented here with a 256-byte table per key for audio-sized payloads (small enough
 * for thousands of sessions' keys to stay in the caches; see {@link
 * io.github.jpeer.srtp.SrtpConfig.GcmEngine}), while larger ones go through JCE's
 * "AES/GCM/NoPadding", whose GHASH runs on PCLMULQDQ and outweighs the per-packet init (about 900
 * bytes of garbage, below jitsi-srtp's for the same packet); HMAC-SHA1 uses the JDK's SHA-1 where
 * HotSpot has it as a CPU intrinsic, else a SHA-1 here with the key pads precomputed.
 *
 * <p>Specifications: RFC 3711 (SRTP, sections 3.3.1 ROC estimation, 3.3.2 replay, 4.1.1 AES-CM, 4.2
 * HMAC-SHA1, 4.3 key derivation, 9.2 key usage limits, appendix A and B), RFC 5764 section 4.1.2
 * (profiles; 80-bit SRTCP tag in the _32 profile) and 4.2 (keying material), RFC 7714 (AES-GCM for
 * SRTP and SRTCP, sections 8 to 11, test vectors in 16 and 17), RFC 6188 (AES-256 in the key
 * derivation), NIST SP 800-38D (GCM).
 */
package io.github.jpeer.srtp;
