/**
 * A local stand-in for the OpenAI Realtime API, for tests and demos that must run without a key or
 * the internet: {@link io.github.jpeer.realtime.local.LocalRealtimeServer} speaks its HTTP
 * signaling ({@code client_secrets}, {@code calls} with an SDP offer, {@code calls/{id}/hangup}) on
 * the JDK's HTTP server, and {@link io.github.jpeer.realtime.local.StandInAnswerer} answers each
 * call with a jpeer {@code PeerConnection} that plays the model: it speaks (an Opus tone, RFC 7587)
 * while a response is in progress, echoes the caller's audio otherwise, and answers the GA events
 * of the {@code oai-events} data channel (RFC 8831) as the service does, function calls and
 * barge-in included.
 *
 * <p>Tests script a conversation through the answerer's hooks ({@code userSpeaks}, {@code
 * userStopsSpeaking}, {@code sendEvent}, {@code hangup}) and read what the client did ({@code
 * clientEvents}, {@code functionOutput}, {@code audioFramesSent}). The stand-in is not the service:
 * it understands no speech, its "voice" is a 440 Hz tone, and it models only the events its Javadoc
 * lists; anything else is answered with an {@code error} event, as the service answers an event it
 * does not know.
 */
package io.github.jpeer.realtime.local;
