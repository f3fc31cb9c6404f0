package io.github.jpeer.signaling;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;

/** What the HTTP signaling clients share: sending with a deadline and turning errors into words. */
final class HttpSupport {
  private HttpSupport() {}

  static HttpClient newClient(Duration timeout) {
    return HttpClient.newBuilder()
        .connectTimeout(timeout)
        .followRedirects(HttpClient.Redirect.NORMAL)
        .build();
  }

  /** Sends {@code request}; a timeout or I/O failure becomes a {@link SignalingException}. */
  static HttpResponse<String> send(HttpClient client, HttpRequest request, Duration timeout)
      throws SignalingException, InterruptedException {
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (HttpTimeoutException e) {
      throw new SignalingException(
          request.method()
              + " "
              + request.uri()
              + ": no answer within "
              + timeout.toMillis()
              + " ms",
          0,
          null,
          e);
    } catch (IOException e) {
      throw new SignalingException(
          request.method() + " " + request.uri() + " failed: " + e, 0, null, e);
    }
  }

  /**
   * Throws unless the status is 2xx, with the server's JSON error message ({@code
   * {"error":{"message":...,"code":...}}}, as OpenAI and many WHIP servers send) when there is one,
   * else the start of the body.
   */
  static void requireSuccess(HttpRequest request, HttpResponse<String> response)
      throws SignalingException {
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return;
    }
    String body = response.body() == null ? "" : response.body();
    String message = null;
    String code = null;
    try {
      Map<String, Object> json = Json.parseObject(body);
      Object error = json.get("error");
      if (error instanceof String s) {
        message = s;
      } else {
        Map<String, Object> e = Json.object(json, "error");
        message = Json.string(e, "message");
        code = Json.string(e, "code");
      }
      if (message == null) {
        message = Json.string(json, "message");
      }
    } catch (JsonException notJson) {
      message = null;
    }
    if (message == null) {
      message = body.isBlank() ? "(empty body)" : abbreviate(body.strip());
    }
    throw new SignalingException(
        request.method() + " " + request.uri() + " answered HTTP " + status + ": " + message,
        status,
        code,
        null);
  }

  /** Throws unless {@code body} is an SDP description ({@code v=0} first). */
  static String requireSdp(HttpRequest request, HttpResponse<String> response)
      throws SignalingException {
    String body = response.body() == null ? "" : response.body();
    if (!body.startsWith("v=0")) {
      String type = response.headers().firstValue("Content-Type").orElse("no Content-Type");
      throw new SignalingException(
          request.method()
              + " "
              + request.uri()
              + " answered HTTP "
              + response.statusCode()
              + " with "
              + type
              + " instead of an SDP answer: "
              + abbreviate(body.strip()),
          response.statusCode(),
          null,
          null);
    }
    return body;
  }

  static String abbreviate(String s) {
    String oneLine = s.replace('\r', ' ').replace('\n', ' ');
    return oneLine.length() <= 200 ? oneLine : oneLine.substring(0, 200) + "...";
  }

  static URI resolveLocation(URI base, HttpResponse<?> response) {
    return response.headers().firstValue("Location").map(base::resolve).orElse(null);
  }
}
