package io.github.jpeer.internal;

import io.github.jpeer.DataChannelType;
import io.github.jpeer.MediaCodec;
import io.github.jpeer.PeerConfiguration;
import io.github.jpeer.SdpType;
import io.github.jpeer.sdp.Candidate;
import io.github.jpeer.sdp.Codec;
import io.github.jpeer.sdp.Connection;
import io.github.jpeer.sdp.Direction;
import io.github.jpeer.sdp.Fingerprint;
import io.github.jpeer.sdp.Fmtp;
import io.github.jpeer.sdp.MediaDescription;
import io.github.jpeer.sdp.Origin;
import io.github.jpeer.sdp.RtcpFeedback;
import io.github.jpeer.sdp.RtpMap;
import io.github.jpeer.sdp.SessionDescription;
import io.github.jpeer.sdp.Setup;
import io.github.jpeer.sdp.Ssrc;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Offer/answer for jpeer's one-transport session (JSEP, RFC 8829): writes our offers and answers,
 * and reads the remote description, including the looser layouts other stacks send (session-level
 * ICE and fingerprint attributes, candidates only in the first section, no {@code a=ssrc}).
 *
 * <p>Our descriptions always bundle every section on one transport with rtcp-mux; each section
 * repeats ICE credentials, fingerprint, setup and candidates, so a remote that ignores BUNDLE still
 * finds everything where it looks.
 */
public final class Negotiation {
  /** The SCTP port jpeer uses (RFC 8841). */
  public static final int SCTP_PORT = 5000;

  /** The largest data channel message jpeer accepts (advertised as max-message-size). */
  public static final long MAX_MESSAGE_SIZE = 262_144;

  /** RFC 8841 6.1: the limit to assume when the remote does not say. */
  public static final long DEFAULT_REMOTE_MAX_MESSAGE_SIZE = 65_536;

  private static final String H264_FMTP =
      "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f";

  private Negotiation() {}

  /**
   * Our side of the transport, as the descriptions show it.
   *
   * @param iceUfrag our ICE username fragment
   * @param icePwd our ICE password
   * @param fingerprint our certificate's fingerprint
   * @param sessionId the o= session id (random, positive)
   * @param sessionVersion the o= session version
   * @param audioSsrc the SSRC we send audio with
   * @param videoSsrc the SSRC we send video with
   * @param cname our RTCP CNAME
   * @param candidates our candidates gathered so far
   * @param gatheringComplete whether to add {@code a=end-of-candidates}
   * @param iceLite whether we are an ICE-lite agent (session-level {@code a=ice-lite})
   */
  public record Local(
      String iceUfrag,
      String icePwd,
      Fingerprint fingerprint,
      long sessionId,
      long sessionVersion,
      long audioSsrc,
      long videoSsrc,
      String cname,
      List<Candidate> candidates,
      boolean gatheringComplete,
      boolean iceLite) {
    /** Defensive copy. */
    public Local {
      candidates = List.copyOf(candidates);
    }
  }

  /** Appends an offered sendrecv section for {@code codec} (nothing for NONE). */
  private static void offerRtp(
      List<MediaDescription> sections, String media, MediaCodec codec, Local local, long ssrc) {
    if (codec == MediaCodec.NONE) {
      return;
    }
    sections.add(
        rtpSection(
            media,
            String.valueOf(sections.size()),
            codec,
            codec.defaultPayloadType(),
            defaultFmtp(codec),
            Direction.SENDRECV,
            local,
            Setup.ACTPASS,
            ssrc));
  }

  /** Our offer: audio (mid 0), video, data, as configured, with {@code setup:actpass}. */
  public static SessionDescription offer(PeerConfiguration config, Local local) {
    List<MediaDescription> sections = new ArrayList<>();
    offerRtp(sections, "audio", config.audioCodec(), local, local.audioSsrc());
    offerRtp(sections, "video", config.videoCodec(), local, local.videoSsrc());
    if (config.dataChannel() != DataChannelType.NONE) {
      sections.add(dataSection(String.valueOf(sections.size()), local, Setup.ACTPASS));
    }
    return session(local, sections);
  }

  /**
   * Our answer to {@code remote}: one section per offered section in the same order, accepting what
   * we are configured for and rejecting (port 0) the rest, with {@code ourSetup} (the role the
   * first offer left us; {@code actpass} makes the same sections an answerer's ICE restart offer).
   */
  public static SessionDescription answer(
      PeerConfiguration config, Local local, RemoteDescription remote, Setup ourSetup) {
    List<MediaDescription> sections = new ArrayList<>();
    List<MediaDescription> offered = remote.sdp().media();
    for (int i = 0; i < offered.size(); i++) {
      MediaDescription m = offered.get(i);
      String mid = m.mid().orElse(String.valueOf(i));
      RemoteDescription.Track track =
          remote.audio() != null && remote.audio().index() == i
              ? remote.audio()
              : remote.video() != null && remote.video().index() == i ? remote.video() : null;
      if (track != null) {
        Direction ours = track.direction().reverse();
        sections.add(
            rtpSection(
                m.media(),
                mid,
                track.codec(),
                track.payloadType(),
                answerFmtp(track),
                ours,
                local,
                ourSetup,
                track.codec().isAudio() ? local.audioSsrc() : local.videoSsrc()));
      } else if (remote.data() != null && remote.data().index() == i) {
        sections.add(dataSection(mid, local, ourSetup));
      } else {
        sections.add(rejected(m, mid));
      }
    }
    // An answerer may not introduce BUNDLE (RFC 8843 7.3): without it in the offer, the answer
    // still puts every section on our one transport (same credentials, fingerprint, candidates).
    return session(local, sections, remote.sdp().bundleGroup().isPresent());
  }

  private static SessionDescription session(Local local, List<MediaDescription> sections) {
    return session(local, sections, true);
  }

  private static SessionDescription session(
      Local local, List<MediaDescription> sections, boolean bundleGroup) {
    List<String> bundle = new ArrayList<>();
    for (MediaDescription m : sections) {
      if (!m.isRejected()) {
        bundle.add(m.mid().orElseThrow());
      }
    }
    SessionDescription.Builder b =
        SessionDescription.builder()
            .origin(
                new Origin(
                    "-",
                    Long.toString(local.sessionId()),
                    local.sessionVersion(),
                    "IN",
                    "IP4",
                    "127.0.0.1"))
            .sessionName("-");
    if (bundleGroup && !bundle.isEmpty()) {
      b.bundle(bundle);
    }
    if (local.iceLite()) {
      b.flag("ice-lite"); // session level (RFC 8839 section 5.3)
    }
    b.attribute("msid-semantic", " WMS jpeer");
    for (MediaDescription m : sections) {
      b.media(m);
    }
    return b.build();
  }

  private static MediaDescription.Builder transport(
      MediaDescription.Builder b, String mid, Local local, Setup setup) {
    b.connection(Connection.JSEP_DEFAULT);
    for (Candidate c : local.candidates()) {
      b.candidate(c);
    }
    if (local.gatheringComplete()) {
      b.flag("end-of-candidates");
    }
    b.iceCredentials(local.iceUfrag(), local.icePwd());
    b.attribute("ice-options", "trickle");
    b.fingerprint(local.fingerprint());
    b.setup(setup);
    b.mid(mid);
    return b;
  }

  private static MediaDescription rtpSection(
      String media,
      String mid,
      MediaCodec codec,
      int payloadType,
      Fmtp fmtp,
      Direction direction,
      Local local,
      Setup setup,
      long ssrc) {
    MediaDescription.Builder b =
        MediaDescription.builder(media, 9, MediaDescription.PROTO_RTP_SAVPF);
    transport(b, mid, local, setup);
    b.direction(direction);
    if (direction.sends()) {
      b.attribute("msid", "jpeer " + media);
    }
    b.flag("rtcp-mux");
    b.flag("rtcp-rsize");
    List<RtcpFeedback> feedback = new ArrayList<>();
    if (codec.isVideo()) {
      feedback.add(new RtcpFeedback(payloadType, "nack", ""));
      feedback.add(new RtcpFeedback(payloadType, "nack", "pli"));
      feedback.add(new RtcpFeedback(payloadType, "ccm", "fir"));
    }
    b.codec(
        new RtpMap(payloadType, codec.encodingName(), codec.clockRate(), codec.channels()),
        fmtp,
        feedback);
    if (direction.sends()) {
      b.attribute(new Ssrc(ssrc, "cname", local.cname()).toAttribute());
      b.attribute(new Ssrc(ssrc, "msid", "jpeer " + media).toAttribute());
    }
    return b.build();
  }

  private static MediaDescription dataSection(String mid, Local local, Setup setup) {
    MediaDescription.Builder b =
        MediaDescription.builder("application", 9, MediaDescription.PROTO_SCTP)
            .format(MediaDescription.FORMAT_DATACHANNEL);
    transport(b, mid, local, setup);
    b.attribute("sctp-port", Integer.toString(SCTP_PORT));
    b.attribute("max-message-size", Long.toString(MAX_MESSAGE_SIZE));
    return b.build();
  }

  private static MediaDescription rejected(MediaDescription offered, String mid) {
    MediaDescription.Builder b =
        MediaDescription.builder(offered.media(), 0, offered.proto())
            .formats(offered.formats())
            .connection(Connection.JSEP_DEFAULT)
            .mid(mid);
    return b.build();
  }

  private static Fmtp defaultFmtp(MediaCodec codec) {
    return switch (codec) {
      case OPUS -> new Fmtp(codec.defaultPayloadType(), "minptime=10;useinbandfec=1");
      case H264 -> new Fmtp(codec.defaultPayloadType(), H264_FMTP);
      default -> null;
    };
  }

  private static Fmtp answerFmtp(RemoteDescription.Track track) {
    return switch (track.codec()) {
      case OPUS -> new Fmtp(track.payloadType(), "minptime=10;useinbandfec=1");
      // Answer with the remote's profile-level-id: we send what it can decode (RFC 6184 8.2.2).
      case H264 -> {
        String profile =
            track.fmtp() == null
                ? "42e01f"
                : track.fmtp().parameter("profile-level-id").orElse("42e01f");
        yield new Fmtp(
            track.payloadType(),
            "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=" + profile);
      }
      default -> null;
    };
  }

  /**
   * Reads the remote description.
   *
   * @throws IllegalArgumentException if it lacks what a WebRTC session needs (ICE credentials, a
   *     fingerprint, or any section jpeer can use); the message says what is missing and where
   */
  public static RemoteDescription readRemote(
      PeerConfiguration config, SessionDescription sdp, SdpType type) {
    List<MediaDescription> media = sdp.media();
    RemoteDescription.Track audio = null;
    RemoteDescription.Track video = null;
    RemoteDescription.DataSection data = null;
    for (int i = 0; i < media.size(); i++) {
      MediaDescription m = media.get(i);
      if (m.isRejected()) {
        continue;
      }
      String kind = m.media().toLowerCase(Locale.ROOT);
      if (kind.equals("audio") && audio == null && config.audioCodec() != MediaCodec.NONE) {
        audio = track(sdp, m, i, config.audioCodec());
      } else if (kind.equals("video") && video == null && config.videoCodec() != MediaCodec.NONE) {
        video = track(sdp, m, i, config.videoCodec());
      } else if (kind.equals("application")
          && m.isDataChannel()
          && data == null
          && config.dataChannel() != DataChannelType.NONE) {
        data =
            new RemoteDescription.DataSection(
                i,
                m.mid().orElse(String.valueOf(i)),
                m.sctpPort().orElse(SCTP_PORT),
                m.maxMessageSize().orElse(DEFAULT_REMOTE_MAX_MESSAGE_SIZE));
      }
    }
    if (audio == null && video == null && data == null) {
      throw new IllegalArgumentException(
          "the remote "
              + type.name().toLowerCase(Locale.ROOT)
              + " has no section jpeer can use"
              + " with this configuration (audio "
              + config.audioCodec()
              + ", video "
              + config.videoCodec()
              + ", data channel "
              + config.dataChannel()
              + "): "
              + describeSections(media));
    }
    MediaDescription first =
        media.get(audio != null ? audio.index() : video != null ? video.index() : data.index());
    String where = "m=" + first.media() + first.mid().map(mid -> " (mid " + mid + ")").orElse("");
    String ufrag =
        sdp.iceUfrag(first)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "the remote description has no a=ice-ufrag, neither in "
                            + where
                            + " nor at session level"));
    String pwd =
        sdp.icePwd(first)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "the remote description has no a=ice-pwd, neither in "
                            + where
                            + " nor at session level"));
    List<Fingerprint> fingerprints = sdp.fingerprints(first);
    if (fingerprints.isEmpty()) {
      throw new IllegalArgumentException(
          "the remote description has no a=fingerprint, neither in "
              + where
              + " nor at session level: DTLS-SRTP needs it (RFC 8122)");
    }
    Setup setup = sdp.setup(first).orElse(type == SdpType.OFFER ? Setup.ACTPASS : Setup.ACTIVE);
    if (type == SdpType.ANSWER && setup == Setup.ACTPASS) {
      throw new IllegalArgumentException(
          "the remote answer says a=setup:actpass; an answer must pick active or passive (RFC"
              + " 8842 section 5.3), as the opposite of the offer's role");
    }
    if (setup == Setup.HOLDCONN) {
      throw new IllegalArgumentException(
          "the remote "
              + (type == SdpType.OFFER ? "offer" : "answer")
              + " says a=setup:holdconn: WebRTC needs a DTLS connection, so the remote must say"
              + (type == SdpType.OFFER ? " actpass, active or passive" : " active or passive"));
    }
    for (MediaDescription m : sdp.media()) {
      Setup other = m.port() == 0 ? null : sdp.setup(m).orElse(null);
      if (other != null && other != setup) {
        throw new IllegalArgumentException(
            "the remote description's sections disagree on the DTLS role: a=setup:"
                + setup
                + " in "
                + where
                + " but a=setup:"
                + other
                + " in m="
                + m.media()
                + ": one transport has one role, all sections must say the same");
      }
    }
    // One transport: the BUNDLE tag section's (RFC 8843 7.1; before BUNDLE is agreed libwebrtc
    // gathers for every section, on other ports). Without BUNDLE, the first used section's.
    // Some stacks list candidates only once, elsewhere: then every section's are taken.
    MediaDescription transportSection =
        sdp.bundleGroup()
            .flatMap(g -> g.mids().isEmpty() ? Optional.empty() : sdp.media(g.mids().get(0)))
            .orElse(first);
    Set<Candidate> candidates = new LinkedHashSet<>(transportSection.candidates());
    if (candidates.isEmpty()) {
      for (MediaDescription m : media) {
        if (!m.isRejected()) {
          candidates.addAll(m.candidates());
        }
      }
    }
    return new RemoteDescription(
        sdp,
        ufrag,
        pwd,
        sdp.iceLite(),
        new ArrayList<>(candidates),
        fingerprints,
        setup,
        audio,
        video,
        data);
  }

  private static RemoteDescription.Track track(
      SessionDescription sdp, MediaDescription m, int index, MediaCodec codec) {
    Optional<Codec> found = codec == MediaCodec.H264 ? bestH264(m) : m.codec(codec.encodingName());
    if (found.isEmpty()) {
      return null; // the remote does not offer our codec: the section is rejected in our answer
    }
    Codec c = found.get();
    int pt = c.payloadType();
    List<Long> ssrcs = new ArrayList<>();
    for (Ssrc s : m.ssrcs()) {
      if (!ssrcs.contains(s.ssrc())) {
        ssrcs.add(s.ssrc());
      }
    }
    boolean nack = false;
    boolean pli = false;
    boolean fir = false;
    for (RtcpFeedback f : m.rtcpFeedback(pt)) {
      String t = f.type().toLowerCase(Locale.ROOT);
      String p = f.parameter() == null ? "" : f.parameter().toLowerCase(Locale.ROOT);
      nack |= t.equals("nack") && p.isEmpty();
      pli |= t.equals("nack") && p.equals("pli");
      fir |= t.equals("ccm") && p.equals("fir");
    }
    return new RemoteDescription.Track(
        index,
        m.mid().orElse(null),
        codec,
        pt,
        c.clockRate(),
        c.channels(),
        c.fmtp(),
        ssrcs,
        sdp.direction(m),
        nack,
        pli,
        fir);
  }

  /**
   * The remote's H264 format that jpeer's packetizer suits best. jpeer sends FU-A and STAP-A, which
   * need packetization-mode=1 (RFC 6184 section 6.3; absent means 0), and applications mostly
   * encode Constrained Baseline, so among the offered H264 formats the first with mode 1 and
   * profile 42e0 wins, then the first with mode 1, then the first H264 at all (a stack that lists
   * only mode 0 usually still takes fragmented packets).
   */
  private static Optional<Codec> bestH264(MediaDescription m) {
    Codec firstMode1 = null;
    Codec first = null;
    for (Codec c : m.codecs()) {
      if (!c.is(MediaCodec.H264.encodingName())) {
        continue;
      }
      if (first == null) {
        first = c;
      }
      if (!"1".equals(c.parameter("packetization-mode").orElse("0").trim())) {
        continue;
      }
      String profile = c.parameter("profile-level-id").orElse("").trim().toLowerCase(Locale.ROOT);
      if (profile.startsWith("42e0")) {
        return Optional.of(c);
      }
      if (firstMode1 == null) {
        firstMode1 = c;
      }
    }
    return Optional.ofNullable(firstMode1 != null ? firstMode1 : first);
  }

  private static String describeSections(List<MediaDescription> media) {
    if (media.isEmpty()) {
      return "it has no m= sections";
    }
    List<String> parts = new ArrayList<>();
    for (MediaDescription m : media) {
      parts.add(
          "m="
              + m.media()
              + " "
              + m.proto()
              + " "
              + String.join(" ", m.formats())
              + (m.isRejected() ? " (rejected)" : ""));
    }
    return String.join("; ", parts);
  }

  /** Candidate lines trickled by the remote: parse one {@code candidate:...} line. */
  public static Candidate parseCandidate(String line) {
    return Candidate.parse(line.strip());
  }
}
