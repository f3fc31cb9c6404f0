/**
 * RTP and RTCP: RFC 3550 (RTP/RTCP), RFC 4585 (feedback), RFC 5104 (FIR), RFC 8285 (header
 * extensions), and the payload formats RFC 7587 (Opus), RFC 3551 (G.711) and RFC 6184 (H264).
 */
package io.github.jpeer.rtp;
