/**
 * Signaling: WHIP (RFC 9725), the OpenAI Realtime calls endpoint, and libpeer's MQTT JSON-RPC.
 *
 * <p>{@link io.github.jpeer.signaling.WhipServer} answers CORS preflights before authentication and
 * exposes {@code Location}, so a web page on another origin can publish to it.
 *
 * <p>libpeer's MQTT signaling (JSON-RPC 2.0 over MQTT 3.1.1, QoS 0, topics {@code
 * webrtc/<id>/jsonrpc} and {@code webrtc/<id>/jsonrpc-reply}): {@link
 * io.github.jpeer.signaling.MqttSignaling} is the device side, driving connections on a {@code
 * PeerLoop}; {@link io.github.jpeer.signaling.MqttPeerClient} is the controller side; {@link
 * io.github.jpeer.signaling.PeerRpcHandler} is the transport-free request handling.
 */
package io.github.jpeer.signaling;
