/** Signaling: WHIP (RFC 9725) and the OpenAI Realtime calls endpoint. */
module io.github.jpeer.signaling {
  // The WHIP and OpenAI clients.
  requires java.net.http;
  // WhipServer.
  requires jdk.httpserver;

  exports io.github.jpeer.signaling;
  // Json, shared with the modules above this one and with no one else: not API.
  exports io.github.jpeer.signaling.internal to
      io.github.jpeer.signaling.mqtt,
      io.github.jpeer.realtime;
}
