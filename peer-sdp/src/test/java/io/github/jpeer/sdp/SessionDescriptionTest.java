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

class SessionDescriptionTest {

  private static final String MINIMAL = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n";

  // RFC 8866 section 5 example, every session field in RFC order.
  private static final String RFC8866_EXAMPLE =
      String.join(
          "\r\n",
          "v=0",
          "o=jdoe 3724394400 3724394405 IN IP4 198.51.100.1",
          "s=Call to John Smith",
          "i=SDP Offer #1",
          "u=http://www.jdoe.example.com/home.html",
          "e=Jane Doe <jane@jdoe.example.com>",
          "p=+1 617 555-6011",
          "c=IN IP4 198.51.100.1",
          "t=0 0",
          "m=audio 49170 RTP/AVP 0",
          "m=audio 49180 RTP/AVP 0",
          "m=video 51372 RTP/AVP 99",
          "c=IN IP6 2001:db8::2",
          "a=rtpmap:99 h263-1998/90000",
          "");

  @Test
  void rfc8866ExampleRoundTrips() {
    SessionDescription sd = SessionDescription.parse(RFC8866_EXAMPLE);
    assertEquals("jdoe", sd.origin().username());
    assertEquals(3724394405L, sd.origin().sessionVersion());
    assertEquals("Call to John Smith", sd.sessionName());
    assertEquals(new Connection("IN", "IP4", "198.51.100.1"), sd.connection());
    assertEquals(
        List.of(
            new SdpLine('i', "SDP Offer #1"),
            new SdpLine('u', "http://www.jdoe.example.com/home.html"),
            new SdpLine('e', "Jane Doe <jane@jdoe.example.com>"),
            new SdpLine('p', "+1 617 555-6011")),
        sd.lines());
    assertEquals(3, sd.media().size());
    assertEquals(new Connection("IN", "IP6", "2001:db8::2"), sd.media().get(2).connection());
    assertNull(sd.media().get(0).connection());
    assertEquals(OptionalInt.of(99), sd.media().get(2).payloadType("H263-1998"));
    assertEquals(RFC8866_EXAMPLE, sd.write());
  }

  @Test
  void otherLinesKeepTheirPlaceAroundConnectionAndTiming() {
    String text =
        String.join(
            "\r\n",
            "v=0",
            "o=- 1 1 IN IP4 127.0.0.1",
            "s=-",
            "i=info",
            "c=IN IP4 0.0.0.0",
            "b=AS:64",
            "t=0 0",
            "r=7d 1h 0 25h",
            "z=2882844526 -1h",
            "k=prompt",
            "x=unknown line type",
            "a=tool:test",
            "m=audio 9/2 RTP/AVP 0",
            "i=audio",
            "c=IN IP4 0.0.0.0",
            "c=IN IP4 0.0.0.1",
            "b=TIAS:64000",
            "k=clear:x",
            "a=sendonly",
            "");
    SessionDescription sd = SessionDescription.parse(text);
    assertEquals(text, sd.write());
    MediaDescription m = sd.media().get(0);
    assertEquals(2, m.portCount());
    assertEquals(new Connection("IN", "IP4", "0.0.0.0"), m.connection());
    assertEquals(
        List.of(
            new SdpLine('i', "audio"),
            new SdpLine('c', "IN IP4 0.0.0.1"),
            new SdpLine('b', "TIAS:64000"),
            new SdpLine('k', "clear:x")),
        m.lines());
    assertEquals(Direction.SENDONLY, sd.direction(m));
  }

  @Test
  void writerEndsEveryLineWithCrlf() {
    SessionDescription sd = Fixtures.parse("openai-answer.sdp");
    String written = sd.write();
    assertTrue(written.endsWith("\r\n"));
    assertFalse(written.replace("\r\n", "").contains("\n"), "no bare LF");
    assertFalse(written.replace("\r\n", "").contains("\r"), "no bare CR");
    assertEquals(written, sd.toString());
    assertTrue(
        sd.media()
            .get(1)
            .toString()
            .startsWith("m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n"));
    assertTrue(sd.media().get(1).toString().endsWith("\r\n"));
  }

  @Test
  void parserAcceptsLfCrlfMixedAndTrailingBlankLines() {
    SessionDescription crlf = SessionDescription.parse(MINIMAL);
    assertEquals(crlf, SessionDescription.parse(MINIMAL.replace("\r\n", "\n")));
    assertEquals(crlf, SessionDescription.parse("v=0\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\nt=0 0"));
    assertEquals(crlf, SessionDescription.parse(MINIMAL + "\r\n  \r\n\t\n\n"));
    assertEquals(
        crlf, SessionDescription.parse("v=0  \r\no=- 1 1 IN IP4 127.0.0.1\t\r\ns=-\r\nt=0 0 \r\n"));
    assertEquals(MINIMAL, crlf.write());
  }

  @Test
  void unknownAttributesAreKeptInOrder() {
    SessionDescription sd =
        SessionDescription.parse(
            MINIMAL
                + "a=x-one:1\r\na=x-flag\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=x-google-flag:conference\r\na=mid:0\r\n");
    assertEquals(List.of(new Attribute("x-one", "1"), Attribute.flag("x-flag")), sd.attributes());
    assertEquals(Optional.of("conference"), sd.media().get(0).attributeValue("x-google-flag"));
    assertEquals(
        List.of(new Attribute("x-google-flag", "conference"), new Attribute("mid", "0")),
        sd.media().get(0).attributes());
  }

  @Test
  void iceCredentialsFallBackToSessionLevel() {
    SessionDescription sd =
        SessionDescription.parse(
            MINIMAL
                + "a=ice-ufrag:sess\r\na=ice-pwd:sessionpassword12345678\r\na=setup:passive\r\na=inactive\r\n"
                + "m=audio 9 UDP/TLS/RTP/SAVPF 0\r\na=ice-ufrag:media\r\n"
                + "m=audio 9 UDP/TLS/RTP/SAVPF 0\r\n");
    MediaDescription first = sd.media().get(0);
    MediaDescription second = sd.media().get(1);
    assertEquals(Optional.of("media"), sd.iceUfrag(first));
    assertEquals(Optional.of("sessionpassword12345678"), sd.icePwd(first));
    assertEquals(Optional.of("sess"), sd.iceUfrag(second));
    assertEquals(Optional.of(Setup.PASSIVE), sd.setup(second));
    assertEquals(Direction.INACTIVE, sd.direction(second));
    assertEquals(Optional.empty(), second.direction());
    assertEquals(
        Direction.SENDRECV,
        SessionDescription.parse(MINIMAL + "m=audio 9 RTP/AVP 0\r\n")
            .direction(
                SessionDescription.parse(MINIMAL + "m=audio 9 RTP/AVP 0\r\n").media().get(0)));
  }

  @Test
  void builderMakesAnAnswerThatParsesBack() {
    Fingerprint fp = Fingerprint.of("sha-256", new byte[] {1, 2, 3});
    MediaDescription audio =
        MediaDescription.builder("audio", 9, MediaDescription.PROTO_RTP_SAVPF)
            .connection(Connection.JSEP_DEFAULT)
            .mid("0")
            .iceCredentials("ab/c", "0123456789abcdefghijklmn")
            .fingerprint(fp)
            .setup(Setup.ACTIVE)
            .direction(Direction.SENDRECV)
            .flag("rtcp-mux")
            .codec(
                new RtpMap(111, "opus", 48000, 2),
                Fmtp.parse("111 minptime=10;useinbandfec=1"),
                List.of(new RtcpFeedback(111, "transport-cc", "")))
            .codec(new RtpMap(0, "PCMU", 8000, 0), null, List.of())
            .candidate(Candidate.parse("candidate:1 1 udp 2130706431 192.0.2.1 3478 typ host"))
            .build();
    MediaDescription data =
        MediaDescription.builder("application", 9, MediaDescription.PROTO_SCTP)
            .format(MediaDescription.FORMAT_DATACHANNEL)
            .connection(Connection.JSEP_DEFAULT)
            .mid("1")
            .attribute("sctp-port", "5000")
            .attribute("max-message-size", "262144")
            .build();
    SessionDescription sd =
        SessionDescription.builder()
            .origin(new Origin("-", "123456789", 1, "IN", "IP4", "127.0.0.1"))
            .bundle(List.of("0", "1"))
            .flag("ice-lite")
            .media(audio)
            .media(data)
            .build();
    String text = sd.write();
    assertTrue(
        text.startsWith(
            "v=0\r\no=- 123456789 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0 1\r\n"));
    assertTrue(
        text.contains("m=audio 9 UDP/TLS/RTP/SAVPF 111 0\r\nc=IN IP4 0.0.0.0\r\na=mid:0\r\n"));
    SessionDescription back = SessionDescription.parse(text);
    assertEquals(sd, back);
    assertEquals(OptionalInt.of(111), back.media().get(0).payloadType("Opus"));
    assertEquals(List.of(fp), back.fingerprints(back.media().get(0)));
    assertTrue(back.iceLite());
    assertEquals(5000, back.media("1").orElseThrow().sctpPort().getAsInt());
    assertEquals(sd, sd.toBuilder().build());
    assertEquals(audio, audio.toBuilder().build());
  }

  @Test
  void withMethodsCopy() {
    SessionDescription sd = Fixtures.parse("chrome-offer.sdp");
    MediaDescription audio = sd.media().get(0);
    Candidate trickled = Candidate.parse("candidate:9 1 udp 1 192.0.2.9 9 typ host");
    MediaDescription more =
        audio
            .withAttribute(trickled.toAttribute())
            .withAttribute(Attribute.flag("end-of-candidates"));
    assertEquals(5, more.candidates().size());
    assertTrue(more.endOfCandidates());
    assertFalse(audio.endOfCandidates(), "original unchanged");
    assertTrue(audio.withoutAttributes("CANDIDATE").candidates().isEmpty());
    assertEquals(Optional.of(Setup.PASSIVE), audio.withAttributeValue("setup", "passive").setup());
    assertEquals(0, audio.withPort(0).port());
    assertTrue(audio.withPort(0).isRejected());
    assertEquals(List.of("111"), audio.withFormats(List.of("111")).formats());
    assertNull(audio.withConnection(null).connection());

    SessionDescription changed =
        sd.withMedia(0, more).withOrigin(sd.origin().withSessionVersion(3));
    assertEquals(3, changed.origin().sessionVersion());
    assertEquals(5, changed.media().get(0).candidates().size());
    assertEquals(changed, SessionDescription.parse(changed.write()));
    assertTrue(sd.withAttribute(Attribute.flag("ice-lite")).iceLite());
    assertFalse(sd.withoutAttributes("group").bundleGroup().isPresent());
    assertEquals(
        List.of("0"),
        sd.withAttributeValue("group", "BUNDLE 0").bundleGroup().orElseThrow().mids());
    assertThrows(IllegalStateException.class, () -> SessionDescription.builder().build());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        // line | text after MINIMAL's 4 lines | expected message
        "m=audio 9 UDP/TLS/RTP/SAVPF 111\\na=mid:0\\na=rtpmap:abc opus/48000/2|line 7 (a=rtpmap:abc opus/48000/2): expected a payload type number",
        "m=audio 9 UDP/TLS/RTP/SAVPF 111\\na=rtpmap:111 opus|line 6 (a=rtpmap:111 opus): expected <encoding name>/<clock rate>[/<channels>]",
        "m=audio 9 UDP/TLS/RTP/SAVPF 111\\na=fmtp:x a=b|line 6 (a=fmtp:x a=b): expected a payload type number",
        "m=audio x UDP/TLS/RTP/SAVPF 111|line 5 (m=audio x UDP/TLS/RTP/SAVPF 111): expected a port number",
        "m=audio 9|line 5 (m=audio 9): expected <media> <port> <proto> <fmt> ...",
        "m=audio 9/0 RTP/AVP 0|line 5 (m=audio 9/0 RTP/AVP 0): expected a number of ports above 0",
        "a=candidate:1 1 udp 1 1.2.3.4 99999 typ host|line 5 (a=candidate:1 1 udp 1 1.2.3.4 99999 typ host): expected a port number",
        "a=candidate|line 5 (a=candidate): expected a value: a candidate",
        "a=fingerprint:sha-256 AB|line 5 (a=fingerprint:sha-256 AB): expected 32 bytes for sha-256",
        "a=setup:sideways|line 5 (a=setup:sideways): expected actpass, active, passive or holdconn",
        "a=group|line 5 (a=group): expected a value: <semantics> *(<mid>)",
        "a=sctp-port:five|line 5 (a=sctp-port:five): expected an SCTP port number",
        "a=max-message-size:-1|line 5 (a=max-message-size:-1): expected a message size in bytes",
        "a=ice-ufrag:|line 5 (a=ice-ufrag:): expected an ICE username fragment",
        "a=mid|line 5 (a=mid): expected a media id",
        "a=extmap:1/x urn:a|line 5 (a=extmap:1/x urn:a): expected sendrecv, sendonly, recvonly or inactive after /",
        "a=ssrc:1|line 5 (a=ssrc:1): expected a source attribute after the SSRC",
        "a=ssrc-group:FID x|line 5 (a=ssrc-group:FID x): expected an SSRC number",
        "a=msid:a b c|line 5 (a=msid:a b c): expected <stream id> [<track id>]",
        "a=sctpmap:5000|line 5 (a=sctpmap:5000): expected <port> <protocol> [<streams>]",
        "a=:x|line 5 (a=:x): expected an attribute name",
        "c=IN IP4|line 5 (c=IN IP4): expected <nettype> <addrtype> <connection-address>",
        "no equals sign|line 5 (no equals sign): expected <type>=<value> with a one-letter type",
        "1=digit type|line 5 (1=digit type): expected <type>=<value> with a one-letter type",
        "ab=two letters|line 5 (ab=two letters): expected <type>=<value> with a one-letter type",
      })
  void malformedLinesNameLineNumberLineAndExpectation(String tail, String message) {
    String text = MINIMAL + tail.replace("\\n", "\r\n") + "\r\n";
    SdpParseException e =
        assertThrows(SdpParseException.class, () -> SessionDescription.parse(text));
    assertEquals(message, e.getMessage());
    assertTrue(e.lineNumber() >= 5);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "''|line 1 (): expected v=0 as the first line",
        "o=- 1 1 IN IP4 0.0.0.0|line 1 (o=- 1 1 IN IP4 0.0.0.0): expected v=0 as the first line",
        "v=zero|line 1 (v=zero): expected a version number",
        "v=0\\no=- 1 1 IN IP4|line 2 (o=- 1 1 IN IP4): expected <username> <sess-id> <sess-version> <nettype> <addrtype> <unicast-address>",
        "v=0\\no=- 1 x IN IP4 0.0.0.0|line 2 (o=- 1 x IN IP4 0.0.0.0): expected a session version number",
        "v=0\\no=- 1 99999999999999999999 IN IP4 0.0.0.0|line 2 (o=- 1 99999999999999999999 IN IP4 0.0.0.0): expected a session version number",
        "v=0\\no=- 1 1 IN IP4 0.0.0.0\\ns=-|line 1 (v=0): expected the session-level t= line",
        "v=0\\ns=-\\nt=0 0|line 1 (v=0): expected the session-level o= line",
        "v=0\\no=- 1 1 IN IP4 0.0.0.0\\ns=-\\nt=0|line 4 (t=0): expected <start-time> <stop-time>",
        "v=0\\no=- 1 1 IN IP4 0.0.0.0\\ns=-\\nt=0 0\\na=x\\ry|line 5 (a=x\\ry): expected no CR or NUL inside a line",
      })
  void malformedSessionFields(String text, String message) {
    String sdp = text.replace("\\n", "\n").replace("\\r", "\r");
    SdpParseException e =
        assertThrows(SdpParseException.class, () -> SessionDescription.parse(sdp));
    assertEquals(message.replace("\\r", "\r"), e.getMessage());
  }

  @Test
  void icePasswordIsRedactedInErrors() {
    // A password is never malformed on its own, so provoke the error through a standalone parse.
    SdpParseException e =
        new SdpParseException(9, "a=ice-pwd:s3cr3t-password", "expected something");
    assertEquals("line 9 (a=ice-pwd:<redacted>): expected something", e.getMessage());
    assertFalse(e.line().contains("s3cr3t"));
    SdpParseException empty =
        assertThrows(
            SdpParseException.class, () -> SessionDescription.parse(MINIMAL + "a=ice-pwd: \r\n"));
    assertEquals("line 5 (a=ice-pwd:<redacted>): expected an ICE password", empty.getMessage());
  }

  @Test
  void hugeLinesAreShortenedInMessages() {
    String longLine = "a=rtpmap:x " + "y".repeat(10_000);
    SdpParseException e =
        assertThrows(
            SdpParseException.class,
            () ->
                SessionDescription.parse(MINIMAL + "m=audio 9 RTP/AVP 0\r\n" + longLine + "\r\n"));
    assertTrue(e.getMessage().length() < 400, e.getMessage().length() + " chars");
    assertEquals(6, e.lineNumber());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "v=0\u0000",
        "v=-1",
        "v=99999999999",
        "v=0\nm=",
        "v=0\no=\ns=\nt=",
        "\n\n\n",
        "v=0\nt=0 0\nm=a 1 b\na=fmtp:",
        "v=0\no=- 1 1 IN IP4 0\ns=\nt=0 0\nm=a 1 RTP\na=rtcp-fb:1",
        "v=0\no=- 1 1 IN IP4 0\ns=\nt=0 0\nm=a 1 RTP\na=fmtp:1\u0000",
      })
  void onlySdpParseExceptionEscapes(String text) {
    assertThrows(SdpParseException.class, () -> SessionDescription.parse(text));
  }

  @Test
  void nullTextIsAParseError() {
    assertThrows(SdpParseException.class, () -> SessionDescription.parse(null));
  }

  @Test
  void payloadAttributesAreOnlyCheckedInRtpSections() {
    // An old-draft fmtp on a data channel section is not a payload type; keep it, do not fail.
    SessionDescription sd =
        SessionDescription.parse(
            MINIMAL
                + "m=application 9 DTLS/SCTP 5000\r\na=fmtp:webrtc-datachannel max-message-size=100000\r\n");
    assertEquals(List.of(), sd.media().get(0).fmtps());
    assertEquals(
        Optional.of("webrtc-datachannel max-message-size=100000"),
        sd.media().get(0).attributeValue("fmtp"));
  }

  @Test
  void attributeNamesMatchAsciiCaseInsensitivelyOnly() {
    // Regression: names were matched with equalsIgnoreCase, which folds U+017F (long s) to 's', so
    // "a=\u017Fetup:sideways" escaped parse-time validation yet was read by setup() and threw
    // there.
    SessionDescription sd =
        SessionDescription.parse(MINIMAL + "m=audio 9 RTP/AVP 0\r\na=\u017Fetup:sideways\r\n");
    assertEquals(Optional.empty(), sd.media().get(0).setup());
    SessionDescription upper =
        SessionDescription.parse(MINIMAL + "m=audio 9 RTP/AVP 0\r\na=SETUP:active\r\n");
    assertEquals(Optional.of(Setup.ACTIVE), upper.media().get(0).setup());
    assertThrows(
        SdpParseException.class,
        () -> SessionDescription.parse(MINIMAL + "m=audio 9 RTP/AVP 0\r\na=SETUP:sideways\r\n"));
  }

  @Test
  void wildcardAndSpecificFeedbackStayInAttributeOrder() {
    MediaDescription m =
        SessionDescription.parse(
                MINIMAL
                    + "m=video 9 UDP/TLS/RTP/SAVPF 96 97\r\n"
                    + "a=rtpmap:96 VP8/90000\r\na=rtpmap:97 VP9/90000\r\n"
                    + "a=rtcp-fb:96 nack\r\na=rtcp-fb:* ccm fir\r\na=rtcp-fb:96 nack pli\r\n")
            .media()
            .get(0);
    assertEquals(
        List.of(
            new RtcpFeedback(96, "nack", ""),
            new RtcpFeedback(-1, "ccm", "fir"),
            new RtcpFeedback(96, "nack", "pli")),
        m.codec("vp8").orElseThrow().feedback());
    assertEquals(
        List.of(new RtcpFeedback(-1, "ccm", "fir")), m.codec("VP9").orElseThrow().feedback());
    assertEquals(m.rtcpFeedback(96), m.codec("vp8").orElseThrow().feedback());
  }
}
