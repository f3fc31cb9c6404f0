/**
 * Signaling: WHIP (RFC 9725), the OpenAI Realtime calls endpoint, and libpeer's MQTT JSON-RPC.
 */
package io.github.jpeer.signaling;
