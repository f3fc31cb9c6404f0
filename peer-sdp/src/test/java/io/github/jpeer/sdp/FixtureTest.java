package io.github.jpeer.sdp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Offers and answers in the shapes real stacks produce: typed values, and text round trips. */
class FixtureTest {

  static List<String> fixtures() {
    return Fixtures.ALL;
  }

  @ParameterizedTest
  @MethodSource("fixtures")
  void writeReproducesWellFormedInputWithCrlf(String name) {
    String text = Fixtures.load(name);
    // Pion leaves a trailing blank on rtcp-fb lines; that is not well-formed, so compare without.
    String expected = text.replaceAll("[ \t]+\n", "\n").replace("\n", "\r\n");
    assertEquals(expected, SessionDescription.parse(text).write());
  }

  @ParameterizedTest
  @MethodSource("fixtures")
  void parseWriteParseIsStable(String name) {
    SessionDescription first = Fixtures.parse(name);
    assertEquals(first, SessionDescription.parse(first.write()));
    assertEquals(first, SessionDescription.parse(first.write().replace("\r\n", "\n")));
  }

  @ParameterizedTest
  @MethodSource("fixtures")
  void everyTypedAccessorWorksOnEverySection(String name) {
    SessionDescription sd = Fixtures.parse(name);
    for (MediaDescription m : sd.media()) {
      // None of these may throw: the parser already validated what they read.
      m.candidates();
      m.codecs();
      m.extMaps();
      m.ssrcs();
      m.ssrcGroups();
      m.msids();
      m.fingerprints();
      m.setup();
      m.sctpPort();
      m.maxMessageSize();
      assertTrue(sd.iceUfrag(m).isPresent(), name + " mid " + m.mid());
      assertTrue(sd.icePwd(m).isPresent());
      assertFalse(sd.fingerprints(m).isEmpty());
      assertTrue(sd.setup(m).isPresent());
    }
  }

  @Test
  void chromeOffer() {
    SessionDescription sd = Fixtures.parse("chrome-offer.sdp");
    assertEquals("4611731400430051336", sd.origin().sessionId());
    assertEquals(2, sd.origin().sessionVersion());
    assertEquals(new Group("BUNDLE", List.of("0", "1", "2")), sd.bundleGroup().orElseThrow());
    assertTrue(sd.hasAttribute("extmap-allow-mixed"));
    assertEquals(
        " WMS 5b8d0e4c-2f0a-4b7e-9a51-0c3f7e1d2a90",
        sd.attributeValue("msid-semantic").orElseThrow());
    assertFalse(sd.iceLite());
    assertEquals(3, sd.media().size());

    MediaDescription audio = sd.media().get(0);
    assertEquals("audio", audio.media());
    assertEquals(54609, audio.port());
    assertEquals(MediaDescription.PROTO_RTP_SAVPF, audio.proto());
    assertEquals(List.of("111", "63", "9", "0", "8", "13", "110", "126"), audio.formats());
    assertEquals(new Connection("IN", "IP4", "192.168.1.23"), audio.connection());
    assertEquals(Optional.of("0"), audio.mid());
    assertEquals("Wq7c", sd.iceUfrag(audio).orElseThrow());
    assertEquals("gT2Zk0sWm4bZ4yq0xMX+h8cP", sd.icePwd(audio).orElseThrow());
    assertEquals(List.of("trickle"), sd.iceOptions(audio));
    Fingerprint fp = sd.fingerprints(audio).get(0);
    assertEquals("sha-256", fp.algorithm());
    assertEquals("SHA-256", fp.jcaAlgorithm());
    assertArrayEquals(
        HexFormat.of().parseHex("5D9A1C330EB47F21986CAA024EFD617B3CE8D5401972BE0FAD46932BC758E104"),
        fp.value());
    assertEquals(Setup.ACTPASS, sd.setup(audio).orElseThrow());
    assertEquals(Direction.SENDRECV, sd.direction(audio));
    assertTrue(audio.rtcpMux());
    assertTrue(audio.rtcpRsize());
    assertEquals(OptionalInt.of(111), audio.payloadType("opus"));
    assertEquals(OptionalInt.of(111), audio.payloadType("OPUS"));
    assertEquals(OptionalInt.of(0), audio.payloadType("pcmu"));
    assertEquals(OptionalInt.of(8), audio.payloadType("PCMA"));
    Codec opus = audio.codec("opus").orElseThrow();
    assertEquals(48000, opus.clockRate());
    assertEquals(2, opus.channels());
    assertEquals(Map.of("minptime", "10", "useinbandfec", "1"), opus.parameters());
    assertEquals(List.of(new RtcpFeedback(111, "transport-cc", "")), opus.feedback());
    assertEquals(8, audio.codecs().size());
    assertEquals(OptionalInt.of(110), audio.payloadType("telephone-event"));
    assertEquals(4, audio.extMaps().size());
    assertEquals("urn:ietf:params:rtp-hdrext:ssrc-audio-level", audio.extMaps().get(0).uri());
    assertEquals(null, audio.extMaps().get(0).direction());

    List<Candidate> candidates = audio.candidates();
    assertEquals(4, candidates.size());
    Candidate host = candidates.get(0);
    assertEquals("1467250027", host.foundation());
    assertEquals(1, host.component());
    assertTrue(host.isUdp());
    assertEquals(2122260223L, host.priority());
    assertEquals("192.168.1.23", host.address());
    assertEquals(54609, host.port());
    assertEquals(Candidate.Type.HOST, host.type());
    assertEquals(OptionalInt.of(0), host.generation());
    assertEquals(Optional.of("1"), host.extension("network-id"));
    assertEquals(Optional.of("10"), host.extension("network-cost"));
    assertTrue(candidates.get(1).isIpv6());
    assertEquals("fd00:1234:5678::23", candidates.get(1).address());
    assertTrue(candidates.get(2).isTcp());
    assertEquals(Optional.of("active"), candidates.get(2).tcpType());
    assertEquals(9, candidates.get(2).port());
    Candidate srflx = candidates.get(3);
    assertEquals(Candidate.Type.SRFLX, srflx.type());
    assertEquals("192.168.1.23", srflx.relatedAddress());
    assertEquals(54609, srflx.relatedPort());
    assertEquals(
        List.of(
            new Ssrc(2718281828L, "cname", "QmTfZ8x1YlA3c9Pv"),
            new Ssrc(
                2718281828L,
                "msid",
                "5b8d0e4c-2f0a-4b7e-9a51-0c3f7e1d2a90 0f3e4a1b-7c6d-4e2f-8a9b-1c2d3e4f5a6b")),
        audio.ssrcs());

    MediaDescription video = sd.media("1").orElseThrow();
    assertEquals(OptionalInt.of(102), video.payloadType("h264"));
    Codec h264 = video.codec("H264").orElseThrow();
    assertEquals(Optional.of("42e01f"), h264.parameter("profile-level-id"));
    assertEquals(Optional.of("1"), h264.parameter("PACKETIZATION-MODE"));
    assertEquals(5, h264.feedback().size());
    assertEquals(new RtcpFeedback(102, "ccm", "fir"), h264.feedback().get(2));
    assertEquals(
        new SsrcGroup("FID", List.of(1234567890L, 4000000001L)), video.ssrcGroups().get(0));
    assertEquals(
        new Msid("5b8d0e4c-2f0a-4b7e-9a51-0c3f7e1d2a90", "9d8c7b6a-5f4e-4d3c-2b1a-0f9e8d7c6b5a"),
        video.msids().get(0));
    assertEquals(Optional.of("96"), video.fmtp(97).flatMap(f -> f.parameter("apt")));
    assertEquals(6, video.codecs().size());

    MediaDescription data = sd.media().get(2);
    assertTrue(data.isDataChannel());
    assertFalse(data.isRtp());
    assertEquals(MediaDescription.PROTO_SCTP, data.proto());
    assertEquals(List.of(MediaDescription.FORMAT_DATACHANNEL), data.formats());
    assertEquals(OptionalInt.of(5000), data.sctpPort());
    assertEquals(OptionalLong.of(262144), data.maxMessageSize());
    assertEquals(List.of(), data.codecs());
  }

  @Test
  void firefoxOfferUsesSessionLevelFingerprintAndIceOptions() {
    SessionDescription sd = Fixtures.parse("firefox-offer.sdp");
    assertEquals("mozilla...THIS_IS_SDPARTA-128.0", sd.origin().username());
    assertEquals(0, sd.origin().sessionVersion());
    MediaDescription audio = sd.media().get(0);
    assertTrue(audio.fingerprints().isEmpty());
    assertEquals(
        List.of(
            Fingerprint.parse(
                "sha-256 0A:4F:7B:92:C1:DE:33:68:5E:A0:17:BC:84:29:F6:D3:6E:01:9B:C8:52:7A:EE:14:3D:B5:60:9F:2C:87:D1:4B")),
        sd.fingerprints(audio));
    assertTrue(audio.iceOptions().isEmpty());
    assertEquals(List.of("trickle"), sd.iceOptions(audio));
    assertEquals("6c1e9a2b", sd.iceUfrag(audio).orElseThrow());
    assertEquals("4b2f6e9a01c37d5e8f0a2b4c6d8e1f30", sd.icePwd(audio).orElseThrow());
    assertEquals(Setup.ACTPASS, sd.setup(audio).orElseThrow());
    assertTrue(audio.endOfCandidates());

    Candidate mdns = audio.candidates().get(0);
    assertEquals("UDP", mdns.transport());
    assertTrue(mdns.isUdp());
    assertTrue(mdns.isMdns());
    assertEquals("3c1f0a9e-51c4-4d7f-b1a2-6e0d9f3c7a15.local", mdns.address());
    assertEquals(List.of(), mdns.extensions());
    Candidate tcp = audio.candidates().get(1);
    assertTrue(tcp.isTcp());
    assertEquals(Optional.of("active"), tcp.tcpType());
    Candidate srflx = audio.candidates().get(2);
    assertEquals("0.0.0.0", srflx.relatedAddress());
    assertEquals(0, srflx.relatedPort());

    ExtMap csrc = audio.extMaps().get(1);
    assertEquals(2, csrc.id());
    assertEquals(Direction.RECVONLY, csrc.direction());
    assertEquals("urn:ietf:params:rtp-hdrext:csrc-audio-level", csrc.uri());

    assertEquals(OptionalInt.of(109), audio.payloadType("opus"));
    Codec opus = audio.codec("OPUS").orElseThrow();
    assertEquals(Optional.of("1"), opus.parameter("stereo"));
    Codec dtmf = audio.codec("telephone-event").orElseThrow();
    assertEquals(Map.of("0-15", ""), dtmf.parameters());
    assertEquals(1, audio.codec("G722").orElseThrow().channels());
    assertEquals(
        new Msid(
            "{8f3a2c1d-4b5e-4f6a-9b7c-0d1e2f3a4b5c}", "{1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d}"),
        audio.msids().get(0));

    MediaDescription data = sd.media().get(1);
    assertEquals(OptionalInt.of(5000), data.sctpPort());
    assertEquals(OptionalLong.of(1073741823L), data.maxMessageSize());
  }

  @Test
  void safariOffer() {
    SessionDescription sd = Fixtures.parse("safari-offer.sdp");
    assertEquals(" WMS", sd.attributeValue("msid-semantic").orElseThrow());
    MediaDescription audio = sd.media().get(0);
    assertEquals(Direction.RECVONLY, sd.direction(audio));
    assertEquals(OptionalInt.of(111), audio.payloadType("opus"));
    assertEquals(OptionalInt.of(105), audio.payloadType("cn"));
    assertEquals("Rb0x", sd.iceUfrag(audio).orElseThrow());
    assertTrue(audio.candidates().isEmpty());
    MediaDescription video = sd.media().get(1);
    // Two H264 profiles: the first in m-line order wins.
    assertEquals(OptionalInt.of(96), video.payloadType("h264"));
    assertEquals(
        Optional.of("640c1f"), video.codec("h264").orElseThrow().parameter("profile-level-id"));
    assertEquals(OptionalInt.of(100), video.payloadType("H265"));
    assertEquals(List.of(3001234567L, 3007654321L), video.ssrcGroups().get(0).ssrcs());
  }

  @Test
  void aiortcOfferWithLegacyDataChannelAndCandidatesEverywhere() {
    SessionDescription sd = Fixtures.parse("aiortc-offer.sdp");
    MediaDescription audio = sd.media().get(0);
    MediaDescription data = sd.media().get(1);
    assertEquals(audio.candidates(), data.candidates());
    assertEquals(3, data.candidates().size());
    assertEquals("5c2fb9e0a1d34e7f88c6b2a1d0e9f8c7", audio.candidates().get(0).foundation());
    assertEquals("fe80::a00:27ff:fe4e:66a1", audio.candidates().get(1).address());
    assertTrue(audio.endOfCandidates());
    assertEquals(2, audio.fingerprints().size());
    assertEquals("sha-384", audio.fingerprints().get(1).algorithm());
    assertEquals(48, audio.fingerprints().get(1).value().length);
    assertEquals(OptionalInt.of(96), audio.payloadType("opus"));
    assertEquals(Map.of(), audio.codec("opus").orElseThrow().parameters());

    assertEquals(MediaDescription.PROTO_SCTP_LEGACY, data.proto());
    assertEquals(List.of("5000"), data.formats());
    assertTrue(data.isDataChannel());
    assertEquals(new SctpMap(5000, "webrtc-datachannel", 65535), data.sctpMap().orElseThrow());
    assertEquals(OptionalInt.of(5000), data.sctpPort());
    assertEquals(OptionalLong.of(65536), data.maxMessageSize());
    assertEquals(Setup.ACTPASS, sd.setup(data).orElseThrow());
  }

  @Test
  void pionAnswer() {
    SessionDescription sd = Fixtures.parse("pion-answer.sdp");
    MediaDescription audio = sd.media().get(0);
    assertEquals(Setup.ACTIVE, sd.setup(audio).orElseThrow());
    assertEquals("pXqTrWmBvNcLkJhG", sd.iceUfrag(audio).orElseThrow());
    assertEquals(1, sd.fingerprints(audio).size());
    assertEquals(List.of(new RtcpFeedback(111, "transport-cc", "")), audio.rtcpFeedback(111));
    List<Candidate> candidates = audio.candidates();
    assertEquals(4, candidates.size());
    assertEquals(2, candidates.get(1).component());
    assertEquals(OptionalInt.of(0), candidates.get(0).generation());
    assertEquals("0.0.0.0", candidates.get(2).relatedAddress());
    assertEquals(41237, candidates.get(2).relatedPort());
    assertEquals(
        List.of(new Candidate.Extension("generation", "0")), candidates.get(3).extensions());
    assertEquals(Optional.of("pion"), audio.ssrcs().get(0).optionalValue());
    MediaDescription data = sd.media().get(1);
    assertEquals(OptionalInt.of(5000), data.sctpPort());
    assertEquals(OptionalLong.empty(), data.maxMessageSize());
  }

  @Test
  void openAiAnswer() {
    SessionDescription sd = Fixtures.parse("openai-answer.sdp");
    assertTrue(sd.iceLite());
    assertEquals(List.of("0", "1"), sd.bundleGroup().orElseThrow().mids());
    MediaDescription audio = sd.media().get(0);
    assertTrue(audio.fingerprints().isEmpty());
    assertEquals("sha-256", sd.fingerprints(audio).get(0).algorithm());
    assertEquals(Setup.ACTIVE, sd.setup(audio).orElseThrow());
    assertEquals("Jk3/Ry9TmQxW2vLs", sd.iceUfrag(audio).orElseThrow());
    assertEquals("oP7dZ1nVbC4xMh8sQe2RtY6u", sd.icePwd(audio).orElseThrow());
    assertEquals(OptionalInt.of(111), audio.payloadType("opus"));
    Codec opus = audio.codec("opus").orElseThrow();
    assertEquals(Optional.of("10"), opus.parameter("minptime"));
    assertEquals(Optional.of("1"), opus.parameter("useinbandfec"));
    assertEquals(OptionalInt.of(0), audio.payloadType("PCMU"));
    assertEquals(OptionalInt.of(8), audio.payloadType("pcma"));
    assertTrue(audio.rtcpRsize());

    List<Candidate> candidates = audio.candidates();
    assertEquals(4, candidates.size());
    Candidate udp = candidates.get(0);
    assertTrue(udp.isUdp());
    assertEquals(3478, udp.port());
    assertEquals(Optional.of("Jk3/Ry9TmQxW2vLs"), udp.ufrag());
    Candidate tcp = candidates.get(1);
    assertTrue(tcp.isTcp());
    assertEquals(443, tcp.port());
    assertEquals(Optional.of("passive"), tcp.tcpType());
    assertEquals(Optional.of("Jk3/Ry9TmQxW2vLs"), tcp.ufrag());
    assertEquals("2001:db8:40::1", candidates.get(2).address());
    assertTrue(candidates.get(3).isIpv6());

    MediaDescription data = sd.media().get(1);
    assertTrue(data.isDataChannel());
    assertEquals(OptionalInt.of(5000), data.sctpPort());
    assertEquals(OptionalLong.of(1073741823L), data.maxMessageSize());
    assertEquals(Direction.SENDRECV, sd.direction(data));
  }

  /** An offer libwebrtc actually produced (audio + data channel), not one written from docs. */
  @Test
  void capturedLibWebRtcOffer() {
    SessionDescription sd = Fixtures.parse("libwebrtc-captured-offer.sdp");
    assertEquals(List.of("0", "1"), sd.bundleGroup().orElseThrow().mids());
    MediaDescription audio = sd.media().get(0);
    assertEquals(MediaDescription.PROTO_RTP_SAVPF, audio.proto());
    assertEquals(OptionalInt.of(111), audio.payloadType("OPUS"));
    assertEquals("minptime=10;useinbandfec=1", audio.fmtp(111).orElseThrow().parameters());
    assertEquals(OptionalInt.of(0), audio.payloadType("pcmu"));
    assertEquals(OptionalInt.of(8), audio.payloadType("PCMA"));
    assertEquals(Optional.of(Setup.ACTPASS), sd.setup(audio));
    assertEquals(Optional.of("MqHl"), sd.iceUfrag(audio));
    assertEquals("sha-256", sd.fingerprints(audio).get(0).algorithm());
    assertEquals(32, sd.fingerprints(audio).get(0).value().length);
    assertTrue(audio.rtcpMux());
    List<Candidate> candidates = audio.candidates();
    assertEquals(4, candidates.size());
    assertEquals(Candidate.Type.HOST, candidates.get(0).type());
    assertEquals("192.0.2.2", candidates.get(0).address());
    assertTrue(candidates.get(1).isIpv6());
    assertEquals(Optional.of("passive"), candidates.get(2).tcpType());
    assertEquals(2, audio.ssrcs().size());
    MediaDescription data = sd.media().get(1);
    assertTrue(data.isDataChannel());
    assertEquals(OptionalInt.of(5000), data.sctpPort());
    assertEquals(OptionalLong.of(262144), data.maxMessageSize());
  }
}
