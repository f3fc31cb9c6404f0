package io.github.jpeer.signaling;

import io.github.jpeer.signaling.internal.Json;
import io.github.jpeer.signaling.internal.JsonException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Sets up OpenAI Realtime calls over WebRTC (the GA interface): the offer goes to {@code POST
 * /v1/realtime/calls}, the answer comes back in the 201 body.
 *
 * <p>Two ways in, as the API has them:
 *
 * <ul>
 *   <li>{@link #createClientSecret} with the standard key (a server does this), then {@link
 *       #createCall(String, String)} with the returned ephemeral key (a client does this);
 *   <li>{@link #createCall(String, Map)}: the unified form, one multipart request with the offer
 *       and the session configuration, authorised with the standard key.
 * </ul>
 *
 * <pre>{@code
 * OpenAiRealtimeClient openai = OpenAiRealtimeClient.builder().apiKey(key).build();
 * RealtimeCall call = openai.createCall(pc.createOffer(), Map.of(
 *     "type", "realtime", "model", "gpt-realtime"));
 * pc.setRemoteDescription(call.answerSdp(), SdpType.ANSWER);
 * }</pre>
 *
 * <p>Thread-safe; calls block for at most the configured timeout. Keys never appear in messages.
 */
public final class OpenAiRealtimeClient {
  /** The public endpoint for calls. */
  public static final String DEFAULT_CALLS_URL = "https://api.openai.com/v1/realtime/calls";

  /** How OpenAI's ephemeral keys (client secrets) begin. */
  private static final String EPHEMERAL_PREFIX = "ek_";

  private final URI callsUrl;
  private final URI clientSecretsUrl;
  private final String apiKey;
  private final Duration timeout;
  private final HttpClient http;

  private OpenAiRealtimeClient(Builder b) {
    this.callsUrl = b.callsUrl;
    this.clientSecretsUrl = b.clientSecretsUrl;
    this.apiKey = b.apiKey;
    this.timeout = b.timeout;
    this.http = HttpSupport.newClient(b.timeout);
  }

  /** A builder aimed at {@link #DEFAULT_CALLS_URL}. */
  public static Builder builder() {
    return new Builder();
  }

  /** The calls URL this client posts offers to. */
  public URI callsUrl() {
    return callsUrl;
  }

  /**
   * Creates an ephemeral client key ({@code POST .../client_secrets}) with the standard key.
   *
   * @param session the session configuration (e.g. {@code type}, {@code model}, {@code audio},
   *     {@code instructions}), sent as {@code {"session": ...}}
   * @return the ephemeral key ({@code value} of the response)
   * @throws SignalingException on an error status, a response without a key, or a timeout
   */
  public String createClientSecret(Map<String, Object> session)
      throws SignalingException, InterruptedException {
    requireKey();
    String body = Json.write(Map.of("session", session));
    HttpRequest request =
        HttpRequest.newBuilder(clientSecretsUrl)
            .timeout(timeout)
            .header("Authorization", "Bearer " + apiKey)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
            .build();
    HttpResponse<String> response = HttpSupport.send(http, request, timeout);
    HttpSupport.requireSuccess(request, response);
    String value;
    try {
      Map<String, Object> json = Json.parseObject(response.body());
      value = Json.string(json, "value");
      if (value == null) {
        value = Json.string(Json.object(json, "client_secret"), "value");
      }
    } catch (JsonException e) {
      throw HttpSupport.failure(
          request,
          "HTTP " + response.statusCode() + " with something that is not JSON: " + e.getMessage(),
          response.statusCode(),
          e);
    }
    if (value == null || value.isEmpty()) {
      throw HttpSupport.failure(
          request,
          "HTTP " + response.statusCode() + " without a \"value\" (the ephemeral key)",
          response.statusCode(),
          null);
    }
    return value;
  }

  /**
   * Posts {@code offerSdp} ({@code Content-Type: application/sdp}) authorised with {@code
   * bearerKey} (an ephemeral key, or the standard key).
   *
   * @throws SignalingException on an error status (with OpenAI's error message), a body that is not
   *     SDP, or a timeout
   */
  public RealtimeCall createCall(String offerSdp, String bearerKey)
      throws SignalingException, InterruptedException {
    Objects.requireNonNull(offerSdp, "offerSdp");
    if (bearerKey == null || bearerKey.isBlank()) {
      throw new IllegalArgumentException(
          "no key: pass an ephemeral key from createClientSecret, or the standard API key");
    }
    HttpRequest request =
        HttpRequest.newBuilder(callsUrl)
            .timeout(timeout)
            .header("Authorization", "Bearer " + bearerKey)
            .header("Content-Type", "application/sdp")
            .POST(HttpRequest.BodyPublishers.ofString(offerSdp, StandardCharsets.UTF_8))
            .build();
    boolean ephemeral = bearerKey.strip().startsWith(EPHEMERAL_PREFIX);
    return call(request, ephemeral ? OpenAiRealtimeClient::ephemeralKeyAdvice : null);
  }

  /**
   * The unified form: posts the offer and the session configuration as {@code multipart/form-data}
   * (fields {@code sdp} and {@code session}) with the standard key.
   */
  public RealtimeCall createCall(String offerSdp, Map<String, Object> session)
      throws SignalingException, InterruptedException {
    Objects.requireNonNull(offerSdp, "offerSdp");
    requireKey();
    String boundary = "jpeer-" + UUID.randomUUID();
    Map<String, String> parts = new LinkedHashMap<>();
    parts.put("sdp", offerSdp);
    parts.put("session", Json.write(session));
    StringBuilder body = new StringBuilder();
    for (Map.Entry<String, String> p : parts.entrySet()) {
      body.append("--")
          .append(boundary)
          .append("\r\n")
          .append("Content-Disposition: form-data; name=\"")
          .append(p.getKey())
          .append("\"\r\n")
          .append("\r\n")
          .append(p.getValue())
          .append("\r\n");
    }
    body.append("--").append(boundary).append("--\r\n");
    HttpRequest request =
        HttpRequest.newBuilder(callsUrl)
            .timeout(timeout)
            .header("Authorization", "Bearer " + apiKey)
            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8))
            .build();
    return call(request, null);
  }

  /**
   * Ends the call {@code callId} on the server ({@code POST .../calls/{call_id}/hangup}) with the
   * standard key: the server stops the model and closes its side of the connection. An ephemeral
   * key cannot do this; a client that holds only one ends the call by closing its connection.
   *
   * @param callId the id from the {@code Location} of the call's creation ({@link
   *     RealtimeCall#callId()})
   * @throws SignalingException on an error status (404: the call is unknown or already over), or a
   *     timeout
   */
  public void hangup(String callId) throws SignalingException, InterruptedException {
    if (callId == null || callId.isBlank() || callId.contains("/")) {
      throw new IllegalArgumentException(
          "callId must be the id from the call's Location (rtc_...), got " + callId);
    }
    requireKey();
    URI url = callsUrl.resolve(callsUrl.getPath() + "/" + callId + "/hangup");
    HttpRequest request =
        HttpRequest.newBuilder(url)
            .timeout(timeout)
            .header("Authorization", "Bearer " + apiKey)
            .POST(HttpRequest.BodyPublishers.noBody())
            .build();
    HttpResponse<String> response = HttpSupport.send(http, request, timeout);
    HttpSupport.requireSuccess(request, response);
  }

  private RealtimeCall call(HttpRequest request, HttpSupport.Advice advice)
      throws SignalingException, InterruptedException {
    HttpResponse<String> response = HttpSupport.send(http, request, timeout);
    HttpSupport.requireSuccess(request, response, advice);
    String answer = HttpSupport.requireSdp(request, response);
    return new RealtimeCall(answer, HttpSupport.resolveLocation(callsUrl, response));
  }

  /**
   * What to tell the user when OpenAI refuses an ephemeral key: they live a short time (the {@code
   * expires_at} of {@link #createClientSecret}), and a new one is the fix.
   */
  private static String ephemeralKeyAdvice(int status, String code, String type, String message) {
    if (status != 401) {
      return null;
    }
    if (mentionsExpiry(code) || mentionsExpiry(message)) {
      return "the ephemeral key expired: create a new one with createClientSecret";
    }
    return "the ephemeral key was refused (it may have expired): create a new one with "
        + "createClientSecret";
  }

  private static boolean mentionsExpiry(String s) {
    return s != null && s.toLowerCase(Locale.ROOT).contains("expire");
  }

  /** The calls URL, and whether a key is set (never the key). */
  @Override
  public String toString() {
    return "OpenAiRealtimeClient[callsUrl="
        + callsUrl
        + ", apiKey="
        + (apiKey == null || apiKey.isBlank() ? "none" : Redactor.MARKER)
        + ", timeout="
        + timeout
        + "]";
  }

  private void requireKey() {
    if (apiKey == null || apiKey.isBlank()) {
      throw new IllegalStateException(
          "no API key: set it with OpenAiRealtimeClient.builder().apiKey(...) (e.g. from "
              + "OPENAI_API_KEY)");
    }
  }

  /** Builds an {@link OpenAiRealtimeClient}. */
  public static final class Builder {
    private URI callsUrl = URI.create(DEFAULT_CALLS_URL);
    private URI clientSecretsUrl = URI.create("https://api.openai.com/v1/realtime/client_secrets");
    private String apiKey;
    private Duration timeout = Duration.ofSeconds(20);

    private Builder() {}

    /**
     * The calls endpoint, e.g. {@code http://127.0.0.1:8080/v1/realtime/calls}; the client secrets
     * endpoint is its sibling {@code .../client_secrets}. http:// is allowed (local servers).
     */
    public Builder callsUrl(String url) {
      URI uri = URI.create(Objects.requireNonNull(url, "url"));
      if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme())) {
        throw new IllegalArgumentException("calls URL must be http:// or https://, got " + url);
      }
      String path = uri.getPath() == null ? "" : uri.getPath();
      if (!path.endsWith("/calls")) {
        throw new IllegalArgumentException(
            "calls URL must end with /calls (e.g. " + DEFAULT_CALLS_URL + "), got " + url);
      }
      this.callsUrl = uri;
      this.clientSecretsUrl =
          uri.resolve(path.substring(0, path.length() - "calls".length()) + "client_secrets");
      return this;
    }

    /** The base URL, e.g. {@code https://api.openai.com}; paths {@code /v1/realtime/...}. */
    public Builder baseUrl(String base) {
      String b = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
      return callsUrl(b + "/v1/realtime/calls");
    }

    /** The standard API key (needed for client secrets and the unified form). */
    public Builder apiKey(String apiKey) {
      this.apiKey = apiKey;
      return this;
    }

    /** How long to wait for each HTTP exchange (default 20 s). */
    public Builder timeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive, got " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /** The client. */
    public OpenAiRealtimeClient build() {
      return new OpenAiRealtimeClient(this);
    }
  }
}
