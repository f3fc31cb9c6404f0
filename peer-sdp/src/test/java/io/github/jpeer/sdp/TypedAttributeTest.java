package io.github.jpeer.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Parse and format of each typed attribute, edge cases included. */
class TypedAttributeTest {

  @Test
  void group() {
    Group g = Group.parse("BUNDLE 0 1");
    assertTrue(g.isBundle());
    assertEquals(List.of("0", "1"), g.mids());
    assertEquals("BUNDLE 0 1", g.toString());
    assertEquals(
        new Attribute("group", "BUNDLE 0 1"), Group.bundle(List.of("0", "1")).toAttribute());
    assertEquals(List.of(), Group.parse("BUNDLE").mids());
    assertEquals("BUNDLE", Group.parse("BUNDLE").toString());
    assertFalse(Group.parse("LS a b").isBundle());
    assertThrows(SdpParseException.class, () -> Group.parse(" "));
  }

  // RFC 8122 section 5: "a=fingerprint:SHA-1
  // 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB"
  @Test
  void fingerprintRfc8122Example() {
    Fingerprint f =
        Fingerprint.parse("SHA-1 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB");
    assertEquals("SHA-1", f.algorithm());
    assertEquals(20, f.value().length);
    assertEquals((byte) 0x4A, f.value()[0]);
    assertEquals("SHA-1 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB", f.toString());
    assertEquals(
        f, Fingerprint.parse("sha-1 4a:ad:b9:b1:3f:82:18:3b:54:02:12:df:3e:5d:49:6b:19:e5:7c:ab"));
  }

  @Test
  void fingerprintAllHashLengthsAndCompute() throws Exception {
    for (String alg : List.of("sha-1", "sha-224", "sha-256", "sha-384", "sha-512")) {
      byte[] der = ("certificate for " + alg).getBytes(StandardCharsets.US_ASCII);
      Fingerprint f = Fingerprint.of(alg, der);
      assertEquals(MessageDigest.getInstance(f.jcaAlgorithm()).getDigestLength(), f.value().length);
      assertEquals(f, Fingerprint.parse(f.toString()));
      assertTrue(f.matches(der));
      assertFalse(f.matches("other".getBytes(StandardCharsets.US_ASCII)));
    }
    byte[] bytes = {1, 2, 3};
    Fingerprint custom = new Fingerprint("x-hash", bytes);
    bytes[0] = 9;
    assertEquals(1, custom.value()[0], "defensive copy in");
    custom.value()[0] = 9;
    assertEquals(1, custom.value()[0], "defensive copy out");
    assertEquals("x-hash 01:02:03", custom.toString());
    assertThrows(IllegalStateException.class, custom::jcaAlgorithm);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "sha-256 AB:CD|expected 32 bytes for sha-256",
        "sha-256|expected <hash-func> <fingerprint>",
        "sha-1 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:ZZ|expected colon-separated pairs of hex digits",
        "sha-1 4A-AD|expected colon-separated pairs of hex digits",
        "x 4A:A|expected colon-separated pairs of hex digits",
        "x :4A:AD|expected colon-separated pairs of hex digits",
      })
  void malformedFingerprints(String value, String reason) {
    assertEquals(
        reason, assertThrows(SdpParseException.class, () -> Fingerprint.parse(value)).reason());
  }

  @Test
  void obsoleteHashFunctionsParseAtAnyLengthForTheCallerToRefuse() {
    // RFC 8122 section 5 forbids md2 and md5; a wrong length there must not fail the whole SDP, the
    // application says the hash is unsupported (PeerConnection lists the supported ones).
    String hex32 = String.join(":", java.util.Collections.nCopies(32, "AB"));
    assertEquals(32, Fingerprint.parse("md2 " + hex32).value().length);
    assertEquals(16, Fingerprint.parse("md5 " + hex32.substring(0, 47)).value().length);
    assertThrows(SdpParseException.class, () -> Fingerprint.parse("sha-384 " + hex32));
  }

  @Test
  void setupAndDirection() {
    assertEquals(Setup.ACTPASS, Setup.parse("actpass"));
    assertEquals(Setup.HOLDCONN, Setup.parse("HOLDCONN"));
    assertEquals("passive", Setup.PASSIVE.toString());
    assertEquals(Setup.ACTIVE, Setup.ACTPASS.answerFor());
    assertEquals(Setup.PASSIVE, Setup.ACTIVE.answerFor());
    assertEquals(new Attribute("setup", "active"), Setup.ACTIVE.toAttribute());
    assertThrows(SdpParseException.class, () -> Setup.parse("both"));
    assertEquals(Direction.RECVONLY, Direction.SENDONLY.reverse());
    assertEquals(Direction.INACTIVE, Direction.INACTIVE.reverse());
    assertEquals(Direction.SENDONLY, Direction.parse("sendonly"));
    assertTrue(Direction.SENDRECV.sends() && Direction.SENDRECV.receives());
    assertFalse(Direction.RECVONLY.sends());
    assertEquals(Attribute.flag("inactive"), Direction.INACTIVE.toAttribute());
    assertThrows(SdpParseException.class, () -> Direction.parse("both"));
  }

  @Test
  void rtpMap() {
    RtpMap opus = RtpMap.parse("111 opus/48000/2");
    assertEquals(new RtpMap(111, "opus", 48000, 2), opus);
    assertTrue(opus.is("OPUS"));
    assertEquals("111 opus/48000/2", opus.toString());
    RtpMap pcmu = RtpMap.parse("0 PCMU/8000");
    assertEquals(0, pcmu.channels());
    assertEquals(1, pcmu.effectiveChannels());
    assertEquals("0 PCMU/8000", pcmu.toString());
    assertEquals(
        new Attribute("rtpmap", "96 H264/90000"), new RtpMap(96, "H264", 90000, 0).toAttribute());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "abc opus/48000/2|expected a payload type number",
        "128 opus/48000/2|expected a payload type number",
        "111|expected <payload type> <encoding name>/<clock rate>",
        "111 opus|expected <encoding name>/<clock rate>[/<channels>]",
        "111 opus/x|expected a clock rate number",
        "111 opus/0|expected a clock rate above 0",
        "111 opus/48000/two|expected a channel count number",
        "111 opus/48000/2/1|expected <encoding name>/<clock rate>[/<channels>]",
        "111 /48000|expected <encoding name>/<clock rate>[/<channels>]",
      })
  void malformedRtpMaps(String value, String reason) {
    assertEquals(reason, assertThrows(SdpParseException.class, () -> RtpMap.parse(value)).reason());
  }

  @Test
  void fmtp() {
    Fmtp f = Fmtp.parse("111 minptime=10;useinbandfec=1");
    assertEquals(111, f.payloadType());
    assertEquals("minptime=10;useinbandfec=1", f.parameters());
    assertEquals(List.of("minptime", "useinbandfec"), List.copyOf(f.parameterMap().keySet()));
    assertEquals(Optional.of("10"), f.parameter("MINPTIME"));
    assertEquals(Optional.empty(), f.parameter("stereo"));
    assertEquals(
        "111 minptime=10;useinbandfec=1;stereo=1", f.withParameter("stereo", "1").toString());
    assertEquals("111 minptime=20;useinbandfec=1", f.withParameter("minptime", "20").toString());
    // Spaces after ';' are read and kept as written.
    Fmtp spaced = Fmtp.parse("102 packetization-mode=1; profile-level-id=42e01f");
    assertEquals(Optional.of("42e01f"), spaced.parameter("profile-level-id"));
    assertEquals("102 packetization-mode=1; profile-level-id=42e01f", spaced.toString());
    assertEquals(Map.of("0-15", ""), Fmtp.parse("101 0-15").parameterMap());
    assertEquals("96", Fmtp.parse("96").toString());
    Map<String, String> params = new LinkedHashMap<>();
    params.put("apt", "96");
    params.put("flag", "");
    assertEquals("97 apt=96;flag", Fmtp.of(97, params).toString());
    assertEquals(
        "expected a payload type number",
        assertThrows(
                SdpParseException.class, () -> Fmtp.parse("webrtc-datachannel max-message-size=1"))
            .reason());
  }

  @Test
  void rtcpFeedback() {
    assertEquals(new RtcpFeedback(96, "nack", "pli"), RtcpFeedback.parse("96 nack pli"));
    assertEquals(
        new RtcpFeedback(111, "transport-cc", ""), RtcpFeedback.parse("111 transport-cc "));
    RtcpFeedback wildcard = RtcpFeedback.parse("* ccm tmmbr smaxpr=120");
    assertEquals(RtcpFeedback.WILDCARD, wildcard.payloadType());
    assertEquals("tmmbr smaxpr=120", wildcard.parameter());
    assertTrue(wildcard.appliesTo(5));
    assertFalse(RtcpFeedback.parse("96 nack").appliesTo(97));
    assertEquals("* ccm tmmbr smaxpr=120", wildcard.toString());
    assertEquals("96 nack", RtcpFeedback.parse("96 nack").toString());
    assertEquals(
        "expected a feedback type after the payload type",
        assertThrows(SdpParseException.class, () -> RtcpFeedback.parse("96")).reason());
    assertEquals(
        "expected a payload type number or *",
        assertThrows(SdpParseException.class, () -> RtcpFeedback.parse("x nack")).reason());
  }

  @Test
  void extMap() {
    ExtMap plain = ExtMap.parse("1 urn:ietf:params:rtp-hdrext:ssrc-audio-level");
    assertEquals(1, plain.id());
    assertNull(plain.direction());
    assertEquals("", plain.attributes());
    ExtMap full = ExtMap.parse("2/sendonly urn:ietf:params:rtp-hdrext:csrc-audio-level vad=on");
    assertEquals(Optional.of(Direction.SENDONLY), full.optionalDirection());
    assertEquals("vad=on", full.attributes());
    assertEquals("2/sendonly urn:ietf:params:rtp-hdrext:csrc-audio-level vad=on", full.toString());
    assertEquals("1 urn:ietf:params:rtp-hdrext:ssrc-audio-level", plain.toString());
    assertEquals(
        "expected sendrecv, sendonly, recvonly or inactive after /",
        assertThrows(SdpParseException.class, () -> ExtMap.parse("2/both urn:x")).reason());
    assertEquals(
        "expected an extension URI after the id",
        assertThrows(SdpParseException.class, () -> ExtMap.parse("2")).reason());
    assertEquals(
        "expected an extmap id number",
        assertThrows(SdpParseException.class, () -> ExtMap.parse("x urn:x")).reason());
  }

  @Test
  void ssrcAndGroupAndMsid() {
    Ssrc cname = Ssrc.parse("4294967295 cname:user@host");
    assertEquals(4294967295L, cname.ssrc());
    assertEquals("cname", cname.attribute());
    assertEquals("user@host", cname.value());
    Ssrc msid = Ssrc.parse("1 msid:stream track");
    assertEquals("stream track", msid.value());
    assertEquals("1 msid:stream track", msid.toString());
    Ssrc flag = Ssrc.parse("2 x-flag");
    assertEquals(Optional.empty(), flag.optionalValue());
    assertEquals("2 x-flag", flag.toString());
    assertEquals(
        "expected an SSRC number",
        assertThrows(SdpParseException.class, () -> Ssrc.parse("4294967296 cname:x")).reason());
    assertEquals(
        "expected a source attribute after the SSRC",
        assertThrows(SdpParseException.class, () -> Ssrc.parse("1")).reason());

    SsrcGroup sim = SsrcGroup.parse("SIM 1 2 3");
    assertEquals(new SsrcGroup("SIM", List.of(1L, 2L, 3L)), sim);
    assertEquals("SIM 1 2 3", sim.toString());
    assertEquals(
        "expected an SSRC number",
        assertThrows(SdpParseException.class, () -> SsrcGroup.parse("FID 1 x")).reason());

    assertEquals(new Msid("-", "track"), Msid.parse("- track"));
    assertEquals(Optional.empty(), Msid.parse("stream").optionalTrackId());
    assertEquals("stream", Msid.parse("stream").toString());
    assertThrows(SdpParseException.class, () -> Msid.parse("a b c"));
  }

  @Test
  void sctpMap() {
    SctpMap m = SctpMap.parse("5000 webrtc-datachannel 1024");
    assertEquals(new SctpMap(5000, "webrtc-datachannel", 1024), m);
    assertEquals("5000 webrtc-datachannel 1024", m.toString());
    assertEquals("5000 webrtc-datachannel", SctpMap.parse("5000 webrtc-datachannel").toString());
    assertEquals(
        "expected an SCTP port number",
        assertThrows(SdpParseException.class, () -> SctpMap.parse("x webrtc-datachannel"))
            .reason());
  }

  @Test
  void attribute() {
    assertEquals(new Attribute("rtcp-mux", null), Attribute.parse("rtcp-mux"));
    assertEquals(new Attribute("msid-semantic", " WMS"), Attribute.parse("msid-semantic: WMS"));
    assertEquals(new Attribute("x", ""), Attribute.parse("x:"));
    assertEquals("x:", Attribute.parse("x:").toString());
    assertEquals(new Attribute("fmtp", "111 a=b:c"), Attribute.parse("fmtp:111 a=b:c"));
    assertNotEquals(Attribute.flag("x"), Attribute.of("x", ""));
    assertThrows(SdpParseException.class, () -> Attribute.parse(":x"));
    assertThrows(IllegalArgumentException.class, () -> Attribute.of("a:b", "c"));
    assertThrows(IllegalArgumentException.class, () -> Attribute.of("a", "c\r\nb=evil"));
  }

  @Test
  void codecJoinsStaticPayloadTypesWithoutRtpmap() {
    MediaDescription m =
        SessionDescription.parse(
                "v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nt=0 0\nm=audio 9 RTP/AVP 0 8 9 97\na=rtcp-fb:* nack\n")
            .media()
            .get(0);
    assertEquals(
        List.of("PCMU", "PCMA", "G722"), m.codecs().stream().map(Codec::encodingName).toList());
    assertEquals(
        List.of(new RtcpFeedback(RtcpFeedback.WILDCARD, "nack", "")), m.codecs().get(0).feedback());
    assertEquals(8000, m.codec("pcma").orElseThrow().clockRate());
    assertEquals(0, m.payloadType("PCMU").getAsInt());
  }
}
