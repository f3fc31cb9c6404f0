package io.github.jpeer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jpeer.DataChannelType;
import io.github.jpeer.MediaCodec;
import io.github.jpeer.PeerConfiguration;
import io.github.jpeer.SdpType;
import io.github.jpeer.sdp.Candidate;
import io.github.jpeer.sdp.Direction;
import io.github.jpeer.sdp.Fingerprint;
import io.github.jpeer.sdp.MediaDescription;
import io.github.jpeer.sdp.SessionDescription;
import io.github.jpeer.sdp.Setup;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class NegotiationTest {
  private static final Fingerprint OUR_FINGERPRINT = new Fingerprint("sha-256", new byte[32]);
  private static final Candidate HOST =
      Candidate.parse("candidate:1 1 udp 2130706431 192.0.2.10 40000 typ host");

  private static Negotiation.Local local(boolean complete) {
    return new Negotiation.Local(
        "abcd",
        "0123456789abcdefghijkl",
        OUR_FINGERPRINT,
        42,
        2,
        1111,
        2222,
        "jpeer-cname",
        List.of(HOST),
        complete,
        false);
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = NegotiationTest.class.getResourceAsStream("/sdp/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static PeerConfiguration config(MediaCodec audio, MediaCodec video, DataChannelType dc) {
    return PeerConfiguration.builder().audioCodec(audio).videoCodec(video).dataChannel(dc).build();
  }

  @Test
  void offerFollowsJsep() {
    PeerConfiguration cfg = config(MediaCodec.OPUS, MediaCodec.H264, DataChannelType.STRING);
    String text = Negotiation.offer(cfg, local(true)).write();
    assertTrue(text.endsWith("\r\n"), "every line ends with CRLF");
    SessionDescription sd = SessionDescription.parse(text);
    assertEquals(List.of("0", "1", "2"), sd.bundleGroup().orElseThrow().mids());
    MediaDescription audio = sd.media().get(0);
    assertEquals("audio", audio.media());
    assertEquals(List.of("111"), audio.formats());
    assertEquals("minptime=10;useinbandfec=1", audio.fmtp(111).orElseThrow().parameters());
    assertEquals(Optional.of(Setup.ACTPASS), audio.setup());
    assertEquals(Optional.of("abcd"), audio.iceUfrag());
    assertTrue(audio.rtcpMux());
    assertTrue(audio.endOfCandidates());
    assertEquals(List.of(HOST), audio.candidates());
    assertEquals(1111, audio.ssrcs().get(0).ssrc());
    assertEquals("jpeer-cname", audio.ssrcs().get(0).value());
    MediaDescription video = sd.media().get(1);
    assertEquals(OptionalInt.of(96), video.payloadType("h264"));
    assertTrue(video.fmtp(96).orElseThrow().parameters().contains("packetization-mode=1"));
    assertEquals(3, video.rtcpFeedback(96).size());
    MediaDescription data = sd.media().get(2);
    assertTrue(data.isDataChannel());
    assertEquals(OptionalInt.of(5000), data.sctpPort());
    assertEquals(Negotiation.MAX_MESSAGE_SIZE, data.maxMessageSize().getAsLong());
    assertEquals(OUR_FINGERPRINT, data.fingerprints().get(0));
  }

  @Test
  void answersACapturedLibWebRtcOffer() throws IOException {
    PeerConfiguration cfg = config(MediaCodec.OPUS, MediaCodec.NONE, DataChannelType.STRING);
    SessionDescription offer = SessionDescription.parse(resource("libwebrtc-captured-offer.sdp"));
    RemoteDescription remote = Negotiation.readRemote(cfg, offer, SdpType.OFFER);
    assertEquals("MqHl", remote.iceUfrag());
    assertEquals(Setup.ACTPASS, remote.setup());
    assertEquals(111, remote.audio().payloadType());
    assertEquals(List.of(3848519480L), remote.audio().ssrcs());
    assertEquals(262144, remote.data().maxMessageSize());
    // libwebrtc gathered per section (other ports for mid 1); the BUNDLE tag's four count.
    assertEquals(4, remote.candidates().size());
    assertTrue(
        remote.candidates().stream().allMatch(c -> offer.media().get(0).candidates().contains(c)));

    SessionDescription answer =
        Negotiation.answer(cfg, local(false), remote, remote.setup().answerFor());
    assertEquals(List.of("0", "1"), answer.bundleGroup().orElseThrow().mids());
    MediaDescription audio = answer.media().get(0);
    assertEquals(Optional.of(Setup.ACTIVE), audio.setup(), "the answerer takes the client role");
    assertEquals(List.of("111"), audio.formats());
    assertEquals(Optional.of(Direction.SENDRECV), audio.direction());
    assertFalse(audio.endOfCandidates());
    assertTrue(answer.media().get(1).isDataChannel());
  }

  @Test
  void readsTheOpenAiAnswerShape() throws IOException {
    PeerConfiguration cfg = config(MediaCodec.OPUS, MediaCodec.NONE, DataChannelType.STRING);
    SessionDescription answer = SessionDescription.parse(resource("openai-answer.sdp"));
    RemoteDescription remote = Negotiation.readRemote(cfg, answer, SdpType.ANSWER);
    assertTrue(remote.iceLite());
    assertEquals(Setup.ACTIVE, remote.setup(), "OpenAI is the DTLS client: jpeer is the server");
    assertEquals("Jk3/Ry9TmQxW2vLs", remote.iceUfrag());
    assertEquals(1, remote.fingerprints().size(), "session-level fingerprint is found");
    assertEquals(4, remote.candidates().size());
    assertEquals(Optional.of("Jk3/Ry9TmQxW2vLs"), remote.candidates().get(0).ufrag());
    assertEquals(111, remote.audio().payloadType());
    assertEquals(1073741823L, remote.data().maxMessageSize());
  }

  @Test
  void g711FollowsTheRemotesPayloadTypes() throws IOException {
    PeerConfiguration cfg = config(MediaCodec.PCMU, MediaCodec.NONE, DataChannelType.NONE);
    SessionDescription offer = SessionDescription.parse(resource("libwebrtc-captured-offer.sdp"));
    RemoteDescription remote = Negotiation.readRemote(cfg, offer, SdpType.OFFER);
    assertEquals(0, remote.audio().payloadType());
    assertNull(remote.data(), "no data channel configured");
    SessionDescription answer =
        Negotiation.answer(cfg, local(true), remote, remote.setup().answerFor());
    assertEquals(List.of("0"), answer.media().get(0).formats());
    assertTrue(answer.media().get(1).isRejected(), "the data section is refused with port 0");
    assertEquals(List.of("0"), answer.bundleGroup().orElseThrow().mids());
  }

  @Test
  void aSendOnlyOfferIsAnsweredRecvOnly() throws IOException {
    PeerConfiguration cfg = config(MediaCodec.OPUS, MediaCodec.NONE, DataChannelType.NONE);
    String text = resource("libwebrtc-captured-offer.sdp").replace("a=sendrecv", "a=sendonly");
    RemoteDescription remote =
        Negotiation.readRemote(cfg, SessionDescription.parse(text), SdpType.OFFER);
    MediaDescription audio =
        Negotiation.answer(cfg, local(true), remote, remote.setup().answerFor()).media().get(0);
    assertEquals(Optional.of(Direction.RECVONLY), audio.direction());
    assertTrue(audio.ssrcs().isEmpty(), "no a=ssrc when we send nothing");
  }

  @Test
  void h264PrefersPacketizationMode1AndConstrainedBaselineOverTheFirstListed() throws IOException {
    PeerConfiguration cfg = config(MediaCodec.OPUS, MediaCodec.H264, DataChannelType.NONE);
    // Safari lists High profile (640c1f) first and Constrained Baseline (42e01f) as 98.
    SessionDescription safari = SessionDescription.parse(resource("safari-offer.sdp"));
    RemoteDescription remote = Negotiation.readRemote(cfg, safari, SdpType.OFFER);
    assertEquals(98, remote.video().payloadType());
    MediaDescription video =
        Negotiation.answer(cfg, local(true), remote, remote.setup().answerFor()).media().get(1);
    assertEquals(List.of("98"), video.formats());
    assertTrue(
        video.fmtp(98).orElseThrow().parameters().contains("profile-level-id=42e01f"),
        video.fmtp(98).orElseThrow().parameters());

    // Mode 0 first (no fragmentation allowed), then mode 1 of another profile: mode 1 wins.
    String modes =
        safari
            .write()
            .replace(
                "a=fmtp:96 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=640c1f",
                "a=fmtp:96 level-asymmetry-allowed=1;profile-level-id=42e01f")
            .replace(
                "a=fmtp:98 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f",
                "a=fmtp:98 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=4d001f");
    remote = Negotiation.readRemote(cfg, SessionDescription.parse(modes), SdpType.OFFER);
    assertEquals(98, remote.video().payloadType());

    // Only mode 0 offered: the first H264 is still taken rather than refusing video.
    String onlyMode0 = modes.replace("packetization-mode=1;", "");
    remote = Negotiation.readRemote(cfg, SessionDescription.parse(onlyMode0), SdpType.OFFER);
    assertEquals(96, remote.video().payloadType());
  }

  @Test
  void whatIsMissingIsNamed() throws IOException {
    PeerConfiguration cfg = config(MediaCodec.OPUS, MediaCodec.NONE, DataChannelType.NONE);
    String offer = resource("libwebrtc-captured-offer.sdp");
    IllegalArgumentException noUfrag =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Negotiation.readRemote(
                    cfg,
                    SessionDescription.parse(offer.replaceAll("a=ice-ufrag:.*\n", "")),
                    SdpType.OFFER));
    assertTrue(
        noUfrag.getMessage().contains("no a=ice-ufrag, neither in m=audio (mid 0)"),
        noUfrag.getMessage());
    IllegalArgumentException noFingerprint =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Negotiation.readRemote(
                    cfg,
                    SessionDescription.parse(offer.replaceAll("a=fingerprint:.*\n", "")),
                    SdpType.OFFER));
    assertTrue(noFingerprint.getMessage().contains("no a=fingerprint"), noFingerprint.getMessage());
    PeerConfiguration videoOnly = config(MediaCodec.NONE, MediaCodec.H264, DataChannelType.NONE);
    IllegalArgumentException nothing =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Negotiation.readRemote(videoOnly, SessionDescription.parse(offer), SdpType.OFFER));
    assertTrue(nothing.getMessage().contains("no section jpeer can use"), nothing.getMessage());
    assertTrue(
        nothing.getMessage().contains("m=audio UDP/TLS/RTP/SAVPF 111"), nothing.getMessage());
    String actpassAnswer =
        resource("openai-answer.sdp").replace("a=setup:active", "a=setup:actpass");
    assertThrows(
        IllegalArgumentException.class,
        () -> Negotiation.readRemote(cfg, SessionDescription.parse(actpassAnswer), SdpType.ANSWER));
  }

  @Test
  void firefoxSessionLevelAttributesAreFound() throws IOException {
    PeerConfiguration cfg = config(MediaCodec.OPUS, MediaCodec.NONE, DataChannelType.STRING);
    RemoteDescription remote =
        Negotiation.readRemote(
            cfg, SessionDescription.parse(resource("firefox-offer.sdp")), SdpType.OFFER);
    assertFalse(remote.fingerprints().isEmpty());
    assertTrue(remote.audio() != null);
    assertEquals(109, remote.audio().payloadType());
  }

  @Test
  void anOfferWithoutBundleIsAnsweredWithoutAGroupButOnOneTransport() throws IOException {
    PeerConfiguration cfg = config(MediaCodec.OPUS, MediaCodec.NONE, DataChannelType.STRING);
    String offer = resource("libwebrtc-captured-offer.sdp").replaceAll("a=group:BUNDLE.*\n", "");
    RemoteDescription remote =
        Negotiation.readRemote(cfg, SessionDescription.parse(offer), SdpType.OFFER);
    SessionDescription answer =
        Negotiation.answer(cfg, local(true), remote, remote.setup().answerFor());
    assertTrue(answer.bundleGroup().isEmpty(), "an answerer may not add BUNDLE (RFC 8843 7.3)");
    MediaDescription audio = answer.media().get(0);
    MediaDescription data = answer.media().get(1);
    assertEquals(audio.iceUfrag(), data.iceUfrag());
    assertEquals(audio.fingerprints(), data.fingerprints());
    assertEquals(audio.candidates(), data.candidates());
  }
}
