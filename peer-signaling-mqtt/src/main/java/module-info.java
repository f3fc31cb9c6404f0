/** libpeer's MQTT signaling: JSON-RPC 2.0 over MQTT 3.1.1 on Eclipse Paho. */
module io.github.jpeer.signaling.mqtt {
  // MqttSignaling drives PeerConnections on a PeerLoop, and speaks peer-signaling's JSON.
  requires transitive io.github.jpeer;
  requires transitive io.github.jpeer.signaling;
  // Paho 1.2.5 has no module-info and no Automatic-Module-Name: its name comes from its jar's.
  requires org.eclipse.paho.client.mqttv3;

  exports io.github.jpeer.signaling.mqtt;
}
