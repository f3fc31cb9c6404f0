package io.github.jpeer.signaling;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * A WHIP client (RFC 9725): publishes a WebRTC session by posting the offer to an endpoint.
 *
 * <pre>{@code
 * WhipClient whip = new WhipClient(URI.create("https://example.org/whip/room"), token);
 * WhipClient.Session s = whip.publish(pc.createOffer());
 * pc.setRemoteDescription(s.answerSdp(), SdpType.ANSWER);
 * ...
 * s.close(); // DELETE: ends the session on the server
 * }</pre>
 *
 * <p>Thread-safe; each call blocks for at most the timeout. The token never appears in a message: a
 * server that quotes it in an error body has it scrubbed (see {@link SignalingException}).
 */
public final class WhipClient {
  private final URI endpoint;
  private final String bearerToken;
  private final Duration timeout;
  private final HttpClient http;

  /** A client of {@code endpoint}, with an optional bearer token (null: none). */
  public WhipClient(URI endpoint, String bearerToken) {
    this(endpoint, bearerToken, Duration.ofSeconds(10));
  }

  /** As {@link #WhipClient(URI, String)}, with a timeout per HTTP exchange. */
  public WhipClient(URI endpoint, String bearerToken, Duration timeout) {
    this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
    this.bearerToken = bearerToken;
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.http = HttpSupport.newClient(timeout);
  }

  /**
   * Posts the offer; the server answers 201 Created with the SDP answer and the session's URL.
   *
   * @throws SignalingException on an error status, a missing Location, a body that is not SDP, or a
   *     timeout
   */
  public Session publish(String offerSdp) throws SignalingException, InterruptedException {
    HttpRequest request =
        authorised(HttpRequest.newBuilder(endpoint))
            .header("Content-Type", "application/sdp")
            .POST(HttpRequest.BodyPublishers.ofString(offerSdp, StandardCharsets.UTF_8))
            .build();
    HttpResponse<String> response = HttpSupport.send(http, request, timeout);
    HttpSupport.requireSuccess(request, response);
    String answer = HttpSupport.requireSdp(request, response);
    URI location = HttpSupport.resolveLocation(endpoint, response);
    if (location == null) {
      throw HttpSupport.failure(
          request,
          "HTTP " + response.statusCode() + " without a Location header (RFC 9725 requires one)",
          response.statusCode(),
          null);
    }
    return new Session(answer, location, response.headers().firstValue("ETag").orElse(null));
  }

  /** The endpoint, and whether a token is set (never the token). */
  @Override
  public String toString() {
    return "WhipClient[endpoint="
        + endpoint
        + ", bearerToken="
        + (bearerToken == null || bearerToken.isEmpty() ? "none" : Redactor.MARKER)
        + "]";
  }

  private HttpRequest.Builder authorised(HttpRequest.Builder b) {
    b.timeout(timeout);
    if (bearerToken != null && !bearerToken.isEmpty()) {
      b.header("Authorization", "Bearer " + bearerToken);
    }
    return b;
  }

  /** One published session: its answer and its URL on the server. */
  public final class Session implements AutoCloseable {
    private final String answerSdp;
    private final URI location;
    private final String etag;
    private boolean closed;

    private Session(String answerSdp, URI location, String etag) {
      this.answerSdp = answerSdp;
      this.location = location;
      this.etag = etag;
    }

    /** The server's SDP answer. */
    public String answerSdp() {
      return answerSdp;
    }

    /** The session's URL (the WHIP resource). */
    public URI location() {
      return location;
    }

    /** The entity tag the server sent with the answer, or null. */
    public String etag() {
      return etag;
    }

    /**
     * Sends trickled candidates (or an ICE restart) as an {@code application/trickle-ice-sdpfrag}
     * PATCH (RFC 8840 fragment: {@code a=ice-ufrag}, {@code a=ice-pwd}, {@code a=mid}, {@code
     * a=candidate} lines).
     */
    public void patch(String sdpFragment) throws SignalingException, InterruptedException {
      HttpRequest.Builder b =
          authorised(HttpRequest.newBuilder(location))
              .header("Content-Type", "application/trickle-ice-sdpfrag")
              .method(
                  "PATCH",
                  HttpRequest.BodyPublishers.ofString(sdpFragment, StandardCharsets.UTF_8));
      if (etag != null) {
        b.header("If-Match", etag);
      }
      HttpRequest request = b.build();
      HttpSupport.requireSuccess(request, HttpSupport.send(http, request, timeout));
    }

    /** Ends the session on the server (DELETE); idempotent. */
    @Override
    public void close() throws SignalingException, InterruptedException {
      if (closed) {
        return;
      }
      closed = true;
      HttpRequest request = authorised(HttpRequest.newBuilder(location)).DELETE().build();
      HttpSupport.requireSuccess(request, HttpSupport.send(http, request, timeout));
    }
  }
}
