/**
 * A voice-agent API for the OpenAI Realtime API: typed events from and to the server, a whole
 * WebRTC voice call ({@code RealtimeSession}), and a local stand-in for tests and demos.
 */
module io.github.jpeer.realtime {
  // RealtimeSession's API shows PeerStats and PeerConfiguration, and JitterBuffer.Stats.
  requires transitive io.github.jpeer;
  requires transitive io.github.jpeer.media;
  // OpenAiRealtimeClient and SignalingException appear in RealtimeSession's API; Json is used
  // inside only.
  requires transitive io.github.jpeer.signaling;
  // RealtimeSideband: the call's control connection on java.net.http.WebSocket.
  requires java.net.http;
  // LocalRealtimeServer, the stand-in's HTTP side.
  requires jdk.httpserver;

  exports io.github.jpeer.realtime;
  exports io.github.jpeer.realtime.local;
}
