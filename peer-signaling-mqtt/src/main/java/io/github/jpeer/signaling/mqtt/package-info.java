/**
 * libpeer's MQTT signaling: JSON-RPC 2.0 over MQTT 3.1.1 (QoS 0) on the topics {@code
 * webrtc/<id>/jsonrpc} and {@code webrtc/<id>/jsonrpc-reply}, on Eclipse Paho.
 *
 * <p>{@link io.github.jpeer.signaling.mqtt.MqttSignaling} is the device side, driving connections
 * on a {@code PeerLoop}; {@link io.github.jpeer.signaling.mqtt.MqttPeerClient} is the controller
 * side; {@link io.github.jpeer.signaling.mqtt.PeerRpcHandler} is the transport-free request
 * handling that both speak.
 *
 * <p>This is a module of its own (peer-signaling-mqtt) so that applications using only WHIP or the
 * OpenAI Realtime calls do not ship Paho.
 */
package io.github.jpeer.signaling.mqtt;
