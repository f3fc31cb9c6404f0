/**
 * SRTP and SRTCP: RFC 3711 (AES-CM with HMAC-SHA1), RFC 7714 (AEAD AES-GCM), RFC 5764 profiles.
 */
package io.github.jpeer.srtp;
