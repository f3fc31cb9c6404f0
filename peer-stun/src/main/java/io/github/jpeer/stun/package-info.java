/**
 * STUN and TURN messages: RFC 8489 (STUN), RFC 8656 (TURN), the ICE attributes of RFC 8445, and
 * the RFC 7983 first-byte demultiplexing rule. Pure codecs: no sockets, no clocks.
 */
package io.github.jpeer.stun;
