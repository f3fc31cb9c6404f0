/** A voice-agent API for the OpenAI Realtime API: typed events from and to the server. */
module io.github.jpeer.realtime {
  // Json reads and writes the events; none of its types appear in this module's API, so the
  // dependency is not transitive.
  requires io.github.jpeer.signaling;
  // RealtimeSideband: the call's control connection on java.net.http.WebSocket.
  requires java.net.http;

  exports io.github.jpeer.realtime;
}
