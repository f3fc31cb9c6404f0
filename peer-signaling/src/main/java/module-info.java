/** Signaling: WHIP (RFC 9725) and the OpenAI Realtime calls endpoint. */
module io.github.jpeer.signaling {
  // The WHIP and OpenAI clients.
  requires java.net.http;
  // WhipServer.
  requires jdk.httpserver;

  exports io.github.jpeer.signaling;
}
