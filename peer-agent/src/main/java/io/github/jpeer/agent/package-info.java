/**
 * The ICE agent: RFC 8445 (ICE), RFC 8838 (trickle), RFC 7675 (consent freshness), and a TURN
 * client (RFC 8656). A sans-IO state machine: datagrams and time in, datagrams and events out.
 */
package io.github.jpeer.agent;
