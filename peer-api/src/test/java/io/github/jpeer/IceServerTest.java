package io.github.jpeer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IceServerTest {
  @ParameterizedTest
  @CsvSource({
    "stun:stun.example.org, stun, stun.example.org, 3478",
    "stun:stun.example.org:19302, stun, stun.example.org, 19302",
    "STUN:198.51.100.7:3479, stun, 198.51.100.7, 3479",
    "stun:[2001:db8::1]:3478, stun, 2001:db8::1, 3478",
    "stun:[2001:db8::1], stun, 2001:db8::1, 3478",
  })
  void parsesStunUrls(String url, String scheme, String host, int port) {
    IceServer s = IceServer.parse(url);
    assertEquals(scheme, s.scheme());
    assertEquals(host, s.host());
    assertEquals(port, s.port());
    assertFalse(s.isTurn());
    assertNull(s.username());
  }

  @Test
  void parsesTurnWithCredentialsAndHidesThePassword() {
    IceServer s = IceServer.parse("turn:turn.example.org:3478?transport=udp", "alice", "s3cret");
    assertTrue(s.isTurn());
    assertEquals("alice", s.username());
    assertEquals("s3cret", s.credential());
    assertFalse(s.toString().contains("s3cret"), s.toString());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "stun.example.org|expected stun:host[:port]",
        "http:example.org|the scheme must be stun:, turn: or turns:",
        "stun://example.org|no '//' after the scheme",
        "turns:example.org|needs a username and a credential",
        "stuns:example.org|stuns: (STUN over TLS) is not supported",
        "stun:example.org:abc|the port must be a number",
        "stun:example.org:70000|within 1..65535",
        "stun:2001:db8::1|put an IPv6 literal in brackets",
        "stun:[2001:db8::1|closing ']'",
        "stun:|expected a host name",
        "stun:example.org?transport=udp|stun: URLs take no query",
        "turn:example.org|needs a username and a credential",
      })
  void rejectsBadUrlsWithAHelpfulMessage(String url, String expected) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> IceServer.parse(url));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
    assertTrue(e.getMessage().contains(url), "names the URL: " + e.getMessage());
  }

  @Test
  void turnOverTcpIsParsedAndUdpStaysTheDefault() {
    IceServer tcp = IceServer.parse("turn:example.org:443?transport=tcp", "u", "p");
    assertTrue(tcp.overTcp());
    assertEquals(443, tcp.port());
    assertEquals("turn:example.org:443?transport=tcp (user u)", tcp.toString());
    assertTrue(!IceServer.parse("turn:example.org?transport=udp", "u", "p").overTcp());
    assertTrue(!IceServer.parse("turn:example.org", "u", "p").overTcp());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> IceServer.parse("turn:example.org?transport=sctp", "u", "p"));
    assertTrue(e.getMessage().contains("?transport=tcp"), e.getMessage());
  }

  @Test
  void turnsIsTurnOverTlsOnPort5349ByDefault() {
    IceServer tls = IceServer.parse("turns:turn.example.org", "u", "p");
    assertTrue(tls.isTurn() && tls.isTls() && tls.overTcp());
    assertEquals(5349, tls.port());
    assertEquals("turns:turn.example.org:5349 (user u)", tls.toString());
    assertEquals(443, IceServer.parse("turns:turn.example.org:443?transport=tcp", "u", "p").port());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> IceServer.parse("turns:turn.example.org?transport=udp", "u", "p"));
    assertTrue(e.getMessage().contains("turns: runs over TCP"), e.getMessage());
  }
}
