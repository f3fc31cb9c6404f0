package io.github.jpeer;

/**
 * A STUN or TURN server of the configuration gave no candidate (W3C's {@code
 * RTCPeerConnectionIceErrorEvent}): a TURN server refused the allocation or never answered.
 * Gathering goes on with the other servers; a call that needs the relay will not connect, and this
 * says why.
 *
 * @param url the server as configured, without credentials ({@code turn:host:port})
 * @param errorCode the STUN error code of the server's final answer (401 after authenticating means
 *     a wrong username or password; 403, 486, ...), or 701 if it never answered
 * @param errorText what that means, in jpeer's words (never the server's own reason text, which may
 *     quote what it was sent)
 */
public record IceCandidateError(String url, int errorCode, String errorText) {}
