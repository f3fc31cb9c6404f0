package io.github.jpeer.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CandidateTest {

  // RFC 8839 section 5.1 example
  @Test
  void rfc8839Example() {
    Candidate c = Candidate.parse("a=candidate:1 1 UDP 2130706431 10.0.1.1 8998 typ host");
    assertEquals("1", c.foundation());
    assertEquals(1, c.component());
    assertEquals("UDP", c.transport());
    assertEquals(2130706431L, c.priority());
    assertEquals("10.0.1.1", c.address());
    assertEquals(8998, c.port());
    assertEquals(Candidate.Type.HOST, c.type());
    assertNull(c.relatedAddress());
    assertEquals(-1, c.relatedPort());
    assertEquals(OptionalInt.empty(), c.optionalRelatedPort());
    assertEquals("1 1 UDP 2130706431 10.0.1.1 8998 typ host", c.toString());
  }

  // RFC 8839 section 5.1 example (server reflexive)
  @Test
  void rfc8839SrflxExample() {
    Candidate c =
        Candidate.parse(
            "candidate:2 1 UDP 1694498815 192.0.2.3 45664 typ srflx raddr 10.0.1.1 rport 8998");
    assertEquals(Candidate.Type.SRFLX, c.type());
    assertEquals(Optional.of("10.0.1.1"), c.optionalRelatedAddress());
    assertEquals(OptionalInt.of(8998), c.optionalRelatedPort());
    assertEquals(
        "candidate:2 1 UDP 1694498815 192.0.2.3 45664 typ srflx raddr 10.0.1.1 rport 8998",
        c.toCandidateString());
  }

  @Test
  void threeFormsParseTheSame() {
    String value =
        "842163049 1 udp 1677729535 203.0.113.77 54609 typ srflx raddr 192.168.1.23 rport 54609 generation 0";
    Candidate bare = Candidate.parse(value);
    assertEquals(bare, Candidate.parse("candidate:" + value));
    assertEquals(bare, Candidate.parse("a=candidate:" + value));
    assertEquals(bare, Candidate.parse("  candidate:" + value + "\r\n"));
    assertEquals(value, bare.toString());
    assertEquals(new Attribute("candidate", value), bare.toAttribute());
  }

  @Test
  void ipv6AndLinkLocal() {
    Candidate c = Candidate.parse("candidate:3 1 udp 2122194687 2001:db8::1 50000 typ host");
    assertTrue(c.isIpv6());
    assertFalse(c.isMdns());
    Candidate zoned = Candidate.parse("candidate:4 1 udp 2122194687 fe80::1%eth0 50000 typ host");
    assertEquals("fe80::1%eth0", zoned.address());
  }

  @Test
  void mdnsHostnameIsKeptNotResolved() {
    Candidate c =
        Candidate.parse(
            "candidate:1 1 udp 2113937151 9b36eaac-bb2e-49bb-bb78-21c41c499900.local 56022 typ host generation 0");
    assertTrue(c.isMdns());
    assertFalse(c.isIpv6());
    assertEquals("9b36eaac-bb2e-49bb-bb78-21c41c499900.local", c.address());
    assertTrue(Candidate.parse("candidate:1 1 udp 1 X.LOCAL 5 typ host").isMdns());
  }

  @Test
  void tcpTypesAndTransportCase() {
    Candidate active =
        Candidate.parse("candidate:5 1 TCP 1518280447 192.168.1.2 9 typ host tcptype active");
    assertTrue(active.isTcp());
    assertFalse(active.isUdp());
    assertEquals("TCP", active.transport());
    assertEquals(Optional.of("active"), active.tcpType());
    Candidate so =
        Candidate.parse(
            "candidate:6 1 tcp 1518280447 192.0.2.4 443 typ srflx raddr 192.168.1.2 rport 0 tcptype so");
    assertEquals(Optional.of("so"), so.tcpType());
    assertEquals(0, so.relatedPort());
    assertEquals(
        Optional.empty(), Candidate.parse("candidate:1 1 udp 1 1.2.3.4 5 typ host").tcpType());
  }

  @Test
  void relayAndPrflxAndKeywordCase() {
    Candidate relay =
        Candidate.parse(
            "candidate:7 2 udp 41885439 198.51.100.1 61000 TYP RELAY RADDR 203.0.113.77 RPORT 54609");
    assertEquals(Candidate.Type.RELAY, relay.type());
    assertEquals(2, relay.component());
    assertEquals("203.0.113.77", relay.relatedAddress());
    assertEquals(54609, relay.relatedPort());
    assertEquals(
        Candidate.Type.PRFLX, Candidate.parse("candidate:8 1 udp 1 1.2.3.4 5 typ prflx").type());
  }

  @Test
  void extensionsKeepOrder() {
    Candidate c =
        Candidate.parse(
            "candidate:1 1 udp 2122260223 192.168.1.23 54609 typ host generation 0 ufrag Wq7c network-id 1 network-cost 10");
    assertEquals(
        List.of(
            new Candidate.Extension("generation", "0"),
            new Candidate.Extension("ufrag", "Wq7c"),
            new Candidate.Extension("network-id", "1"),
            new Candidate.Extension("network-cost", "10")),
        c.extensions());
    assertEquals(Optional.of("Wq7c"), c.ufrag());
    assertEquals(OptionalInt.of(0), c.generation());
    assertEquals(c, Candidate.parse(c.toString()));
  }

  @Test
  void onlyRelatedPortPresent() {
    Candidate c = Candidate.parse("candidate:1 1 udp 1 1.2.3.4 5 typ srflx rport 7 raddr 9.9.9.9");
    assertNull(c.relatedAddress());
    assertEquals(7, c.relatedPort());
    // raddr after rport is not in grammar position: kept as an extension, still round-trips.
    assertEquals(Optional.of("9.9.9.9"), c.extension("raddr"));
    assertEquals(c, Candidate.parse(c.toString()));
  }

  @Test
  void priorityIsUnsigned32Bit() {
    assertEquals(
        4294967295L, Candidate.parse("candidate:1 1 udp 4294967295 1.2.3.4 5 typ host").priority());
    SdpParseException e =
        assertThrows(
            SdpParseException.class,
            () -> Candidate.parse("candidate:1 1 udp 4294967296 1.2.3.4 5 typ host"));
    assertEquals("expected a priority in 0..4294967295", e.reason());
  }

  @Test
  void builderBuildsWhatParseReads() {
    Candidate built =
        Candidate.builder()
            .foundation("2204578162")
            .component(1)
            .transport("tcp")
            .priority(1671430143L)
            .address("198.51.100.40")
            .port(443)
            .type(Candidate.Type.HOST)
            .extension("tcptype", "passive")
            .extension("ufrag", "Jk3/Ry9T")
            .build();
    assertEquals(
        "2204578162 1 tcp 1671430143 198.51.100.40 443 typ host tcptype passive ufrag Jk3/Ry9T",
        built.toString());
    assertEquals(built, Candidate.parse(built.toCandidateString()));
    assertEquals(built, built.toBuilder().build());
    assertEquals(Optional.of("1"), built.withExtension("generation", "1").extension("generation"));
  }

  @Test
  void builderRejectsInvalidFieldsWithIllegalArgument() {
    assertThrows(
        IllegalArgumentException.class,
        () -> Candidate.builder().foundation("a b").address("1.2.3.4").build());
    assertThrows(
        IllegalArgumentException.class,
        () -> Candidate.builder().foundation("1").address("1.2.3.4").port(70000).build());
    assertThrows(
        IllegalArgumentException.class,
        () -> Candidate.builder().foundation("1").address("1.2.3.4").priority(-1).build());
    // An extension called rport in raddr position would read back as the related port.
    assertThrows(
        IllegalArgumentException.class,
        () ->
            Candidate.builder().foundation("1").address("1.2.3.4").extension("rport", "5").build());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "candidate:1 1 udp 1 1.2.3.4 5 typ|expected <foundation> <component> <transport> <priority> <address> <port> typ <type>",
        "''|expected <foundation> <component> <transport> <priority> <address> <port> typ <type>",
        "candidate:1 0 udp 1 1.2.3.4 5 typ host|expected a component id in 1..256",
        "candidate:1 257 udp 1 1.2.3.4 5 typ host|expected a component id in 1..256",
        "candidate:1 x udp 1 1.2.3.4 5 typ host|expected a component id in 1..256",
        "candidate:1 1 udp -1 1.2.3.4 5 typ host|expected a priority in 0..4294967295",
        "candidate:1 1 udp 1 1.2.3.4 65536 typ host|expected a port number",
        "candidate:1 1 udp 1 1.2.3.4 5 type host|expected typ after the port",
        "candidate:1 1 udp 1 1.2.3.4 5 typ bogus|expected typ host, srflx, prflx or relay",
        "candidate:1 1 udp 1 1.2.3.4 5 typ host generation|expected a value after generation",
        "candidate:1 1 udp 1 1.2.3.4 5 typ srflx raddr 1.2.3.4 rport x|expected a related port number after rport",
        "candidate:1 1 udp 1 a,b 5 typ host|expected a connection address (IPv4, IPv6 or host name)",
        "candidate:f=1 1 udp 1 1.2.3.4 5 typ host|expected a foundation of ALPHA / DIGIT / + / /",
      })
  void malformedCandidates(String line, String reason) {
    SdpParseException e = assertThrows(SdpParseException.class, () -> Candidate.parse(line));
    assertEquals(reason, e.reason());
    assertEquals(0, e.lineNumber());
    assertTrue(e.getMessage().contains(reason));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "candidate:\u0000 1 udp 1 1.2.3.4 5 typ host",
        "candidate:1 1 udp 1 1.2.3.4 5 typ host x\u0000 y"
      })
  void nulIsRejectedAsParseError(String line) {
    assertThrows(SdpParseException.class, () -> Candidate.parse(line));
  }

  @Test
  void nullIsAParseErrorNotAnNpe() {
    assertThrows(SdpParseException.class, () -> Candidate.parse(null));
  }
}
