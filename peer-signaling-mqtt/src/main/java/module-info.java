/** libpeer's MQTT signaling: JSON-RPC 2.0 over MQTT 3.1.1 on Eclipse Paho. */
// Paho 1.2.5 has neither a module-info nor an Automatic-Module-Name: it is the automatic module
// named after its jar (which is also its OSGi Bundle-SymbolicName and its package).
@SuppressWarnings("requires-automatic")
module io.github.jpeer.signaling.mqtt {
  // MqttSignaling drives PeerConnections on a PeerLoop and throws peer-signaling's
  // SignalingException.
  requires transitive io.github.jpeer;
  requires transitive io.github.jpeer.signaling;
  requires org.eclipse.paho.client.mqttv3;

  exports io.github.jpeer.signaling.mqtt;
}
