package io.github.jpeer.signaling;

import java.net.URI;

/**
 * The server's side of a new OpenAI Realtime call.
 *
 * @param answerSdp the SDP answer to hand to {@code PeerConnection.setRemoteDescription}
 * @param location the call's URL from the {@code Location} header (its last segment is the call
 *     id), or null if the server sent none
 */
public record RealtimeCall(String answerSdp, URI location) {
  /** The call id: the last path segment of {@link #location()}, or null. */
  public String callId() {
    if (location == null || location.getPath() == null) {
      return null;
    }
    String path = location.getPath();
    return path.substring(path.lastIndexOf('/') + 1);
  }
}
