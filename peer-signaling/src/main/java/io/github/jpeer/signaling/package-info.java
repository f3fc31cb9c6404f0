/**
 * Signaling: WHIP (RFC 9725), the OpenAI Realtime calls endpoint, and the small JSON reader and
 * writer they share.
 *
 * <p>{@link io.github.jpeer.signaling.WhipServer} answers CORS preflights before authentication and
 * exposes {@code Location}, so a web page on another origin can publish to it.
 *
 * <p>libpeer's MQTT signaling is in the peer-signaling-mqtt module (package {@code
 * io.github.jpeer.signaling.mqtt}), so that this module needs no MQTT client.
 */
package io.github.jpeer.signaling;
