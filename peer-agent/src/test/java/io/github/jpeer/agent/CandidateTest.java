package io.github.jpeer.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Priorities, foundations, credentials and candidate lines. */
class CandidateTest {

  @Test
  void candidatePriorityFollowsTheFormula() {
    // RFC 8445 section 5.1.2.1: 2^24*type + 2^8*local + (256 - component).
    assertEquals(2130706431L, IceCandidate.priority(126, 65535, 1));
    assertEquals((110L << 24) + (65535L << 8) + 255, IceCandidate.priority(110, 65535, 1));
    assertEquals((100L << 24) + (65535L << 8) + 255, IceCandidate.priority(100, 65535, 1));
    assertEquals(16777215L, IceCandidate.priority(0, 65535, 1));
    assertEquals(255L, IceCandidate.priority(0, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> IceCandidate.priority(127, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> IceCandidate.priority(0, 65536, 1));
    assertThrows(IllegalArgumentException.class, () -> IceCandidate.priority(0, 0, 0));
  }

  @Test
  void typePreferencesAreTheRecommendedOnes() {
    // RFC 8445 section 5.1.2.2.
    assertEquals(126, CandidateType.HOST.typePreference());
    assertEquals(110, CandidateType.PEER_REFLEXIVE.typePreference());
    assertEquals(100, CandidateType.SERVER_REFLEXIVE.typePreference());
    assertEquals(0, CandidateType.RELAYED.typePreference());
  }

  @Test
  void pairPriorityFollowsTheFormulaAndIsSymmetricInRole() {
    // RFC 8445 section 6.1.2.3: 2^32*MIN(G,D) + 2*MAX(G,D) + (G>D?1:0).
    long g = 2130706431L;
    long d = 1694498815L;
    assertEquals((d << 32) + 2 * g + 1, IceCandidate.pairPriority(g, d));
    assertEquals((d << 32) + 2 * g, IceCandidate.pairPriority(d, g));
    assertEquals((g << 32) + 2 * g, IceCandidate.pairPriority(g, g));
    // The largest possible value still fits an unsigned 64-bit compare.
    long max = 0x7FFF_FFFFL;
    assertTrue(
        Long.compareUnsigned(
                IceCandidate.pairPriority(max, max), IceCandidate.pairPriority(max, max - 1))
            > 0);
  }

  @Test
  void generatedCredentialsUseTheIceCharAlphabetAndLengths() {
    var random = SimHarness.seededRandom(7);
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      IceCredentials c = IceCredentials.random(random);
      assertTrue(c.ufrag().matches("[A-Za-z0-9+/]{4,256}"), c.ufrag());
      assertTrue(c.pwd().matches("[A-Za-z0-9+/]{22,256}"));
      assertTrue(seen.add(c.ufrag()));
    }
    assertFalse(
        IceCredentials.random(random)
            .toString()
            .contains(IceCredentials.random(SimHarness.seededRandom(7)).pwd()));
    assertThrows(IllegalArgumentException.class, () -> new IceCredentials("abc", "a".repeat(22)));
    assertThrows(IllegalArgumentException.class, () -> new IceCredentials("abcd", "a".repeat(21)));
    assertThrows(IllegalArgumentException.class, () -> new IceCredentials("ab:d", "a".repeat(22)));
  }

  @Test
  void candidateLinesRoundTrip() {
    String[] lines = {
      "1 1 udp 2130706431 192.0.2.1 5000 typ host",
      "2 1 udp 1694498815 203.0.113.7 40000 typ srflx raddr 10.0.0.2 rport 6000",
      "3 1 udp 16777215 198.51.100.2 50000 typ relay raddr 203.0.113.7 rport 40000",
      "4 1 udp 2130706431 2001:db8::1 5000 typ host",
      "5 1 udp 2130706431 1f4712db-ea17-4bcf-a596-105139dfd8bf.local 5000 typ host",
    };
    for (String line : lines) {
      IceCandidate c = IceCandidate.parse("candidate:" + line);
      assertEquals(line, c.toSdpValue());
      assertEquals(c, IceCandidate.parse(c.toSdpValue()));
    }
    assertTrue(IceCandidate.parse(lines[4]).isMdns());
    // libwebrtc's extension attributes are ignored.
    IceCandidate chrome =
        IceCandidate.parse(
            "a=candidate:842163049 1 udp 1677729535 "
                + "198.51.100.7 61665 typ srflx raddr 0.0.0.0 rport 0 generation 0 ufrag EsAw network-cost 999");
    assertEquals(CandidateType.SERVER_REFLEXIVE, chrome.type());
    assertEquals(new InetSocketAddress("198.51.100.7", 61665), chrome.address());
    assertThrows(
        IllegalArgumentException.class, () -> IceCandidate.parse("1 1 tcp 1 1.2.3.4 5 typ host"));
    assertThrows(
        IllegalArgumentException.class, () -> IceCandidate.parse("1 2 udp 1 1.2.3.4 5 typ host"));
    assertThrows(
        IllegalArgumentException.class, () -> IceCandidate.parse("1 1 udp x 1.2.3.4 5 typ host"));
    assertThrows(IllegalArgumentException.class, () -> IceCandidate.parse("1 1 udp 1 1.2.3.4"));
  }

  @Test
  void tcpCandidateLinesRoundTrip() {
    // RFC 6544 section 4.5: "tcptype" after the mandatory fields; an active candidate signals the
    // discard port 9, as it dials from a port the operating system picks.
    Object[][] lines = {
      {"2 1 tcp 1518280447 192.0.2.1 9 typ host tcptype active", IceCandidate.TcpType.ACTIVE},
      {"3 1 tcp 1518214911 192.0.2.1 51321 typ host tcptype passive", IceCandidate.TcpType.PASSIVE},
      {"4 1 tcp 1518149375 192.0.2.1 40000 typ host tcptype so", IceCandidate.TcpType.SO},
      {"5 1 tcp 1518285567 fd00::2 33707 typ host tcptype passive", IceCandidate.TcpType.PASSIVE},
      {
        "6 1 tcp 1686052607 203.0.113.7 40000 typ srflx raddr 10.0.0.2 rport 7000 tcptype passive",
        IceCandidate.TcpType.PASSIVE
      },
    };
    for (Object[] row : lines) {
      String line = (String) row[0];
      IceCandidate c = IceCandidate.parse("candidate:" + line);
      assertEquals(row[1], c.tcpType(), line);
      assertTrue(c.isTcp());
      assertEquals("tcp", c.protocol());
      assertEquals(line, c.toSdpValue());
      assertEquals(c, IceCandidate.parse(c.toSdpValue()));
    }
    IceCandidate active = IceCandidate.parse((String) lines[0][0]);
    assertEquals(IceCandidate.DISCARD_PORT, active.address().getPort());
    assertEquals(CandidateType.HOST, active.type());
    IceCandidate srflx = IceCandidate.parse((String) lines[4][0]);
    assertEquals(CandidateType.SERVER_REFLEXIVE, srflx.type());
    assertEquals(new InetSocketAddress("10.0.0.2", 7000), srflx.relatedAddress());

    // What OpenAI's Realtime API answers with: a passive candidate on 443.
    IceCandidate openai =
        IceCandidate.parse("candidate:1 1 tcp 1671430143 192.0.2.10 443 typ host tcptype passive");
    assertEquals(IceCandidate.TcpType.PASSIVE, openai.tcpType());
    assertEquals(new InetSocketAddress("192.0.2.10", 443), openai.address());
    assertEquals(1671430143L, openai.priority());
    assertEquals("1", openai.foundation());
    assertEquals("1 1 tcp 1671430143 192.0.2.10 443 typ host tcptype passive", openai.toSdpValue());

    // libwebrtc writes its extension attributes after tcptype; they are read past and dropped.
    IceCandidate chrome =
        IceCandidate.parse(
            "a=candidate:3911219110 1 tcp 1518214911 192.0.2.2 51321 typ host tcptype passive"
                + " generation 0 ufrag x network-id 1");
    assertEquals(IceCandidate.TcpType.PASSIVE, chrome.tcpType());
    assertEquals(new InetSocketAddress("192.0.2.2", 51321), chrome.address());
    assertEquals(
        "3911219110 1 tcp 1518214911 192.0.2.2 51321 typ host tcptype passive",
        chrome.toSdpValue());
    IceCandidate chromeActive =
        IceCandidate.parse(
            "candidate:1052443040 1 tcp 1518280447 192.0.2.2 9 typ host tcptype active"
                + " generation 0 ufrag x network-id 1");
    assertEquals(IceCandidate.TcpType.ACTIVE, chromeActive.tcpType());
    assertEquals(IceCandidate.DISCARD_PORT, chromeActive.address().getPort());

    // A TCP candidate without its tcptype, or with one RFC 6544 does not define, is refused,
    // saying so.
    for (String missing :
        new String[] {
          "1 1 tcp 1518280447 192.0.2.1 9 typ host",
          "1 1 tcp 1518280447 192.0.2.1 9 typ host generation 0",
          "1 1 tcp 1518280447 192.0.2.1 9 typ host tcptype",
        }) {
      var e = assertThrows(IllegalArgumentException.class, () -> IceCandidate.parse(missing));
      assertTrue(e.getMessage().contains("tcptype"), missing + ": " + e.getMessage());
    }
    var unknown =
        assertThrows(
            IllegalArgumentException.class,
            () -> IceCandidate.parse("1 1 tcp 1518280447 192.0.2.1 9 typ host tcptype bogus"));
    assertTrue(unknown.getMessage().contains("bogus"), unknown.getMessage());
    var transport =
        assertThrows(
            IllegalArgumentException.class,
            () -> IceCandidate.parse("1 1 sctp 1518280447 192.0.2.1 9 typ host tcptype active"));
    assertTrue(transport.getMessage().contains("sctp"), transport.getMessage());

    // UDP is as before: no tcptype written, and one on a UDP line means nothing.
    IceCandidate udp = IceCandidate.parse("1 1 udp 2130706431 192.0.2.1 5000 typ host");
    assertFalse(udp.isTcp());
    assertEquals(null, udp.tcpType());
    assertEquals("udp", udp.protocol());
    assertEquals("1 1 udp 2130706431 192.0.2.1 5000 typ host", udp.toSdpValue());
    assertEquals(
        udp, IceCandidate.parse("1 1 udp 2130706431 192.0.2.1 5000 typ host tcptype passive"));
    assertEquals(
        udp,
        new IceCandidate(
            "1", 2130706431L, new InetSocketAddress("192.0.2.1", 5000), CandidateType.HOST, null));
    // The same address over TCP is a different candidate.
    assertNotEquals(
        udp, IceCandidate.parse("1 1 tcp 2130706431 192.0.2.1 5000 typ host tcptype passive"));
  }

  @Test
  void gatheredCandidatesHaveRfcPrioritiesAndFoundations() {
    SimHarness h = new SimHarness(3);
    h.add(new SimStunServer(IceConnectivityTest.STUN));
    SimNat nat =
        new SimNat(
            IceConnectivityTest.ip("203.0.113.7"),
            SimNat.Filtering.ENDPOINT_INDEPENDENT,
            IceConnectivityTest.ip("10.0.0.1"),
            IceConnectivityTest.ip("10.0.0.3"));
    h.net.setMiddlebox(nat::apply);
    IceConfig config = IceConfig.builder().stunServer(IceConnectivityTest.STUN).build();
    var p =
        h.peer(
            "p",
            config,
            true,
            5,
            IceConnectivityTest.addr("10.0.0.1", 1),
            IceConnectivityTest.addr("10.0.0.3", 2));
    p.gather(h);
    assertTrue(h.runUntil(p.agent::isGatheringComplete, SimHarness.seconds(2)));
    var cands = p.agent.localCandidates();
    assertEquals(4, cands.size());
    IceCandidate host1 = cands.get(0);
    IceCandidate host2 = cands.get(1);
    assertEquals(CandidateType.HOST, host1.type());
    assertEquals(IceCandidate.priority(126, 65535 - 512, 1), host1.priority());
    assertEquals(IceCandidate.priority(126, 65535 - 513, 1), host2.priority());
    // RFC 8445 5.1.1.3: different base IPs, different foundations; srflx differ from hosts.
    Set<String> foundations = new HashSet<>();
    for (IceCandidate c : cands) {
      foundations.add(c.foundation());
      if (c.type() == CandidateType.SERVER_REFLEXIVE) {
        assertEquals(100, c.priority() >>> 24);
        assertNotEquals(null, c.relatedAddress());
      }
    }
    assertEquals(4, foundations.size());
    assertEquals(1, p.events.stream().filter(e -> e instanceof IceEvent.GatheringComplete).count());
  }

  @Test
  void libwebrtcOfferCandidatesAndCredentialsAreAccepted() throws Exception {
    // A captured libwebrtc offer: its UDP candidates and its TCP ones (RFC 6544, passive) parse.
    String sdp;
    try (var in = CandidateTest.class.getResourceAsStream("libwebrtc-offer.sdp")) {
      sdp = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
    }
    int udp = 0;
    int tcp = 0;
    for (String line : sdp.split("\r?\n")) {
      if (line.startsWith("a=candidate:")) {
        if (line.contains(" udp ")) {
          IceCandidate c = IceCandidate.parse(line);
          assertEquals(CandidateType.HOST, c.type());
          assertFalse(c.isMdns());
          udp++;
        } else {
          IceCandidate c = IceCandidate.parse(line); // RFC 6544: libwebrtc offers TCP ones too
          assertTrue(c.isTcp(), line);
          assertEquals(line.contains("tcptype active"), c.tcpType() == IceCandidate.TcpType.ACTIVE);
          assertEquals(line.contains(" 9 typ"), c.address().getPort() == IceCandidate.DISCARD_PORT);
          tcp++;
        }
      } else if (line.startsWith("a=ice-ufrag:")) {
        String ufrag = line.substring("a=ice-ufrag:".length());
        assertEquals(ufrag, new IceCredentials(ufrag, "dCAQlw7NPwRgegfjCKTrPd3n").ufrag());
      }
    }
    assertTrue(udp >= 2);
    assertTrue(tcp >= 2);
    assertEquals(
        new InetSocketAddress(java.net.InetAddress.getByName("fd00::2"), 56026),
        IceCandidate.parse("candidate:3706479314 1 udp 2122265343 fd00::2 56026 typ host")
            .address());
  }

  @Test
  void ipLiteralsParseWithoutDns() throws Exception {
    String[] good = {
      "192.0.2.1",
      "0.0.0.0",
      "255.255.255.255",
      "::",
      "::1",
      "2001:db8::1",
      "fe80::1%eth0",
      "2001:db8:0:0:1:0:0:1",
      "::ffff:192.0.2.1",
      "1:2:3:4:5:6:7:8",
      "1::"
    };
    for (String g : good) {
      String plain = g.indexOf('%') >= 0 ? g.substring(0, g.indexOf('%')) : g;
      assertEquals(java.net.InetAddress.getByName(plain), IpLiteral.parse(g), g);
    }
    String[] bad = {
      "host.local",
      "1.2.3",
      "1.2.3.256",
      "1.2.3.4.5",
      "1::2::3",
      "12345::",
      "1:2:3:4:5:6:7:8:9",
      "g::1",
      "",
      "1.2.3.a",
      "1:2:3:4:5:6:7"
    };
    for (String b : bad) {
      assertEquals(null, IpLiteral.parse(b), b);
    }
  }

  @Test
  void configurationRejectsNonsense() {
    assertThrows(IllegalArgumentException.class, () -> IceConfig.builder().taNanos(0).build());
    assertThrows(
        IllegalArgumentException.class,
        () -> IceConfig.builder().disconnectedTimeoutNanos(40_000_000_000L).build());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            IceConfig.builder()
                .stunServer(InetSocketAddress.createUnresolved("stun.x", 1))
                .build());
    IceConfig c = IceConfig.builder().aggressiveNomination(true).build();
    assertEquals(c, c.toBuilder().build());
    assertFalse(
        new TurnServer(new InetSocketAddress("127.0.0.1", 3478), "u", "pw-secret")
            .toString()
            .contains("pw-secret"));
  }

  @Test
  void apiMisuseSaysWhatToDo() {
    IceAgent agent = new IceAgent(IceConfig.defaults(), true, SimHarness.seededRandom(1));
    agent.setRemoteCredentials(new IceCredentials("abcd", "a".repeat(22)));
    var e =
        assertThrows(
            IllegalStateException.class,
            () -> agent.setRemoteCredentials(new IceCredentials("efgh", "b".repeat(22))));
    assertTrue(e.getMessage().contains("restartIce"));
    agent.gather(1, java.util.List.of(new InetSocketAddress("127.0.0.1", 9)));
    assertThrows(IllegalStateException.class, () -> agent.gather(1, java.util.List.of()));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new IceAgent(IceConfig.defaults(), true, SimHarness.seededRandom(1))
                .gather(1, java.util.List.of(new InetSocketAddress(9))));
    agent.close(2);
    assertEquals(IceState.CLOSED, agent.state());
    assertThrows(
        IllegalStateException.class,
        () -> agent.addRemoteCandidate(3, IceCandidate.parse("1 1 udp 1 1.2.3.4 5 typ host")));
  }
}
