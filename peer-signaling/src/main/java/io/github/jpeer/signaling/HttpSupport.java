package io.github.jpeer.signaling;

import io.github.jpeer.signaling.internal.Json;
import io.github.jpeer.signaling.internal.JsonException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
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
      throw failure(request, "no answer within " + timeout.toMillis() + " ms", 0, e);
    } catch (IOException e) {
      throw failure(request, "failed: " + e, 0, e);
    }
  }

  /**
   * A failure of {@code request}: {@code "METHOD URI: what"}, scrubbed of the request's credentials
   * like every exception this module throws.
   */
  static SignalingException failure(HttpRequest request, String what, int status, Throwable cause) {
    return new SignalingException(
        where(request) + what, status, null, null, null, cause, Redactor.secretsOf(request));
  }

  /** What a client adds to an error answer: a hint for the user, or null. */
  @FunctionalInterface
  interface Advice {
    /** A hint for an error answer (the server's fields may be null), or null if none applies. */
    String advise(int status, String code, String type, String message);
  }

  /** As {@link #requireSuccess(HttpRequest, HttpResponse, Advice)} without advice. */
  static void requireSuccess(HttpRequest request, HttpResponse<String> response)
      throws SignalingException {
    requireSuccess(request, response, null);
  }

  /**
   * Throws unless the status is 2xx. The message is {@code "METHOD URI: HTTP status code: message"}
   * with the server's JSON error ({@code {"error":{"message":...,"type":...,"code":...}}}, as
   * OpenAI and many WHIP servers send; code falls back to type) when there is one, else the start
   * of the body on one line; then {@code advice}'s hint, if any. Keys are scrubbed out.
   */
  static void requireSuccess(HttpRequest request, HttpResponse<String> response, Advice advice)
      throws SignalingException {
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return;
    }
    List<String> secrets = Redactor.secretsOf(request);
    String body = response.body() == null ? "" : response.body();
    String message = null;
    String code = null;
    String type = null;
    try {
      Map<String, Object> json = Json.parseObject(body);
      Object error = json.get("error");
      if (error instanceof String s) {
        message = s;
      } else {
        Map<String, Object> e = Json.object(json, "error");
        message = Json.string(e, "message");
        code = Json.string(e, "code");
        type = Json.string(e, "type");
      }
      if (message == null) {
        message = Json.string(json, "message");
      }
    } catch (JsonException notJson) {
      message = null;
    }
    // Scrub before cutting: a cut can leave at most a harmless stub of a key, never a piece of it.
    message = message == null ? null : abbreviate(Redactor.scrub(message, secrets));
    code = code == null ? null : abbreviate(code);
    type = type == null ? null : abbreviate(type);
    String shown = message;
    if (shown == null || shown.isBlank()) {
      shown = body.isBlank() ? "(empty body)" : abbreviate(Redactor.scrub(head(body), secrets));
    }
    StringBuilder text = new StringBuilder("HTTP ").append(status);
    String label = code != null ? code : type;
    if (label != null && !label.isBlank()) {
      text.append(' ').append(label);
    }
    text.append(": ").append(shown);
    String hint = advice == null ? null : advice.advise(status, code, type, message);
    if (hint != null) {
      text.append("; ").append(hint);
    }
    throw new SignalingException(where(request) + text, status, code, type, message, null, secrets);
  }

  /** Throws unless {@code body} is an SDP description ({@code v=0} first). */
  static String requireSdp(HttpRequest request, HttpResponse<String> response)
      throws SignalingException {
    String body = response.body() == null ? "" : response.body();
    if (!body.startsWith("v=0")) {
      String type = response.headers().firstValue("Content-Type").orElse("no Content-Type");
      String shown =
          body.isBlank()
              ? "(empty body)"
              : abbreviate(Redactor.scrub(head(body), Redactor.secretsOf(request)));
      throw failure(
          request,
          "HTTP "
              + response.statusCode()
              + " with "
              + abbreviate(type)
              + " instead of an SDP answer: "
              + shown,
          response.statusCode(),
          null);
    }
    return body;
  }

  private static String where(HttpRequest request) {
    return request.method() + " " + request.uri() + ": ";
  }

  /** The first few KB of a body: enough to show, and all that needs scrubbing. */
  private static String head(String body) {
    return body.length() <= 4096 ? body : body.substring(0, 4096);
  }

  /**
   * {@code s} on one line, control characters and runs of white space as one space, cut to about
   * 200 characters (at a space if one is near) with "..." after.
   */
  static String abbreviate(String s) {
    StringBuilder b = new StringBuilder(Math.min(s.length(), 256));
    boolean space = false;
    for (int i = 0; i < s.length() && b.length() <= 200; i++) {
      char c = s.charAt(i);
      if (Character.isWhitespace(c) || Character.isISOControl(c)) {
        space = b.length() > 0;
      } else {
        if (space) {
          b.append(' ');
          space = false;
        }
        b.append(c);
      }
    }
    if (b.length() <= 200) {
      return b.toString();
    }
    int cut = b.lastIndexOf(" ", 200);
    return b.substring(0, cut >= 160 ? cut : 200) + "...";
  }

  static URI resolveLocation(URI base, HttpResponse<?> response) {
    return response.headers().firstValue("Location").map(base::resolve).orElse(null);
  }
}
