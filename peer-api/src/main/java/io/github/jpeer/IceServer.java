package io.github.jpeer;

import java.util.Locale;
import java.util.Objects;

/**
 * A STUN or TURN server, parsed from its URL (RFC 7064 {@code stun:}/{@code stuns:}, RFC 7065
 * {@code turn:}/{@code turns:}).
 *
 * <p>Accepted forms: {@code stun:host}, {@code stun:host:port}, {@code turn:host:port}, {@code
 * turn:host:port?transport=udp}, {@code turn:host:port?transport=tcp} (TURN over TCP, RFC 8656
 * section 3.1: for networks that block UDP; the relayed leg stays UDP); hosts may be names, IPv4
 * literals or bracketed IPv6 literals ({@code stun:[2001:db8::1]:3478}). Default ports are 3478
 * ({@code stun:}, {@code turn:}) and 5349 ({@code stuns:}, {@code turns:}).
 *
 * <p>jpeer's ICE agent talks to STUN servers over UDP and to TURN servers over UDP or TCP. URLs
 * that need TLS ({@code stuns:}, {@code turns:}) are rejected when parsed, with a message saying
 * so, rather than silently ignored.
 *
 * <p>{@link #toString()} never shows the credential.
 *
 * @param scheme {@code stun}, {@code turn} or {@code turns}
 * @param host the host name or address literal, without brackets
 * @param port the UDP port
 * @param username the TURN username, or {@code null} for STUN
 * @param credential the TURN password, or {@code null} for STUN
 * @param overTcp whether a TURN server is reached over TCP ({@code ?transport=tcp}, and always for
 *     {@code turns:})
 */
public record IceServer(
    String scheme, String host, int port, String username, String credential, boolean overTcp) {

  /** A server reached over UDP. */
  public IceServer(String scheme, String host, int port, String username, String credential) {
    this(scheme, host, port, username, credential, false);
  }

  /** Validates the components; use {@link #parse} to build one from a URL. */
  public IceServer {
    Objects.requireNonNull(scheme, "scheme");
    Objects.requireNonNull(host, "host");
    if (!scheme.equals("stun") && !scheme.equals("turn") && !scheme.equals("turns")) {
      throw new IllegalArgumentException("scheme must be stun, turn or turns, got " + scheme);
    }
    if (scheme.equals("turns")) {
      overTcp = true; // TLS runs over TCP
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be within 1..65535, got " + port);
    }
    if (overTcp && scheme.equals("stun")) {
      throw new IllegalArgumentException("only a TURN server is reached over TCP here");
    }
    if (!scheme.equals("stun") && (username == null || credential == null)) {
      throw new IllegalArgumentException(
          scheme
              + ":"
              + host
              + ":"
              + port
              + " needs a username and a credential: use "
              + "iceServer(url, username, credential)");
    }
  }

  /** True for a TURN server (relayed candidates), false for STUN (server-reflexive only). */
  public boolean isTurn() {
    return !scheme.equals("stun");
  }

  /** True for {@code turns:}: TURN over TLS over TCP, the certificate checked against the host. */
  public boolean isTls() {
    return scheme.equals("turns");
  }

  /** Parses a {@code stun:} URL. */
  public static IceServer parse(String url) {
    return parse(url, null, null);
  }

  /**
   * Parses a {@code stun:} or {@code turn:} URL; TURN servers need the username and credential.
   *
   * @throws IllegalArgumentException if the URL is not a usable STUN/TURN URL; the message says
   *     what was expected
   */
  public static IceServer parse(String url, String username, String credential) {
    Objects.requireNonNull(url, "url");
    int colon = url.indexOf(':');
    if (colon < 0) {
      throw bad(url, "expected stun:host[:port] or turn:host[:port][?transport=udp|tcp]");
    }
    String scheme = url.substring(0, colon).toLowerCase(Locale.ROOT);
    String rest = url.substring(colon + 1);
    if (rest.startsWith("//")) {
      throw bad(url, "no '//' after the scheme: write " + scheme + ":" + rest.substring(2));
    }
    switch (scheme) {
      case "stun", "turn", "turns" -> {}
      case "stuns" -> throw bad(url, "stuns: (STUN over TLS) is not supported; use stun: (UDP)");
      default -> throw bad(url, "the scheme must be stun:, turn: or turns:");
    }
    String query = null;
    boolean overTcp = false;
    int q = rest.indexOf('?');
    if (q >= 0) {
      query = rest.substring(q + 1);
      rest = rest.substring(0, q);
    }
    if (query != null) {
      if (scheme.equals("stun")) {
        throw bad(url, "stun: URLs take no query");
      }
      if (scheme.equals("turns") && !query.equalsIgnoreCase("transport=tcp")) {
        throw bad(url, "turns: runs over TCP; the only query it takes is ?transport=tcp");
      }
      String transport = query.toLowerCase(Locale.ROOT);
      overTcp = transport.equals("transport=tcp");
      if (!overTcp && !transport.equals("transport=udp")) {
        throw bad(url, "the only queries allowed are ?transport=udp and ?transport=tcp");
      }
    }
    String host;
    String portText = null;
    if (rest.startsWith("[")) {
      int close = rest.indexOf(']');
      if (close < 0) {
        throw bad(url, "an IPv6 literal needs its closing ']'");
      }
      host = rest.substring(1, close);
      String after = rest.substring(close + 1);
      if (!after.isEmpty()) {
        if (!after.startsWith(":")) {
          throw bad(url, "expected ':port' after the IPv6 literal");
        }
        portText = after.substring(1);
      }
    } else {
      int c = rest.lastIndexOf(':');
      if (c >= 0 && rest.indexOf(':') != c) {
        throw bad(url, "put an IPv6 literal in brackets: " + scheme + ":[" + rest + "]");
      }
      host = c >= 0 ? rest.substring(0, c) : rest;
      portText = c >= 0 ? rest.substring(c + 1) : null;
    }
    if (host.isEmpty() || host.chars().anyMatch(ch -> ch <= ' ' || ch == '/' || ch == '@')) {
      throw bad(url, "expected a host name or address after '" + scheme + ":'");
    }
    int port = scheme.equals("turns") ? 5349 : 3478;
    if (portText != null) {
      try {
        port = Integer.parseInt(portText);
      } catch (NumberFormatException e) {
        throw bad(url, "the port must be a number, got '" + portText + "'");
      }
      if (port < 1 || port > 65535) {
        throw bad(url, "the port must be within 1..65535, got " + port);
      }
    }
    boolean turn = !scheme.equals("stun");
    if (turn && (username == null || credential == null)) {
      throw bad(
          url,
          "a "
              + scheme
              + ": server needs a username and a credential: use "
              + "iceServer(url, username, credential)");
    }
    return new IceServer(
        scheme, host, port, turn ? username : null, turn ? credential : null, overTcp);
  }

  private static IllegalArgumentException bad(String url, String why) {
    return new IllegalArgumentException("ICE server URL '" + url + "': " + why);
  }

  /** The URL form, with the username but never the credential. */
  @Override
  public String toString() {
    String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    return scheme
        + ":"
        + h
        + ":"
        + port
        + (overTcp && !isTls() ? "?transport=tcp" : "")
        + (username != null ? " (user " + username + ")" : "");
  }
}
