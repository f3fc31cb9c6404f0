package io.github.jpeer;

import io.github.jpeer.agent.CandidatePair;
import io.github.jpeer.agent.CandidateType;
import io.github.jpeer.agent.IceAgent;
import io.github.jpeer.agent.IceCandidate;
import io.github.jpeer.agent.IceConfig;
import io.github.jpeer.agent.IceCredentials;
import io.github.jpeer.agent.IceEvent;
import io.github.jpeer.agent.IceState;
import io.github.jpeer.agent.IceStats;
import io.github.jpeer.agent.Received;
import io.github.jpeer.agent.Transmit;
import io.github.jpeer.agent.TurnServer;
import io.github.jpeer.dtls.DtlsCertificate;
import io.github.jpeer.dtls.DtlsConfig;
import io.github.jpeer.dtls.DtlsEndpoint;
import io.github.jpeer.dtls.DtlsEvent;
import io.github.jpeer.dtls.DtlsRole;
import io.github.jpeer.internal.ConnectionLogger;
import io.github.jpeer.internal.MdnsClient;
import io.github.jpeer.internal.MediaEvent;
import io.github.jpeer.internal.MediaSession;
import io.github.jpeer.internal.MediaTransmit;
import io.github.jpeer.internal.Negotiation;
import io.github.jpeer.internal.RemoteDescription;
import io.github.jpeer.rtp.OpusToc;
import io.github.jpeer.sctp.ChannelInfo;
import io.github.jpeer.sctp.DataChannelConfig;
import io.github.jpeer.sctp.SctpAssociation;
import io.github.jpeer.sctp.SctpConfig;
import io.github.jpeer.sctp.SctpEvent;
import io.github.jpeer.sctp.SctpStats;
import io.github.jpeer.sdp.Candidate;
import io.github.jpeer.sdp.Fingerprint;
import io.github.jpeer.sdp.SessionDescription;
import io.github.jpeer.sdp.Setup;
import io.github.jpeer.stun.PacketDemux;
import io.github.jpeer.stun.StreamFramer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The whole connection as one sans-IO state machine: negotiation, ICE, DTLS, SCTP and media,
 * without sockets, clocks or callbacks. {@link PeerConnection} is a driver around it (sockets, the
 * clock, threads, callbacks); a program with its own network stack, or a test in virtual time,
 * drives a core directly:
 *
 * <pre>{@code
 * PeerCore core = new PeerCore(config, List.of(socketAddress), clock.nanoTime());
 * String offer = core.createOffer(now);
 * ...
 * core.handleReceive(now, socketAddress, from, bytes, 0, n);   // each datagram that arrives
 * core.handleTimeout(now);                                      // when pollTimeoutNanos() is due
 * for (OutgoingDatagram d; (d = core.pollTransmit()) != null; ) socket.send(d);
 * for (PeerEvent e; (e = core.pollEvent()) != null; ) dispatch(e);
 * }</pre>
 *
 * <p>Every input (a datagram, a timeout, a control call) takes the time; outputs are pulled with
 * {@link #pollTransmit()} and {@link #pollEvent()} until they return null, and {@link
 * #pollTimeoutNanos()} says when to call {@link #handleTimeout} next. A received datagram is
 * demultiplexed once, here, by RFC 7983's first-byte ranges ({@link PacketDemux}): the ICE agent
 * takes STUN and unwraps TURN, DTLS records go to DTLS, RTP and RTCP to media.
 *
 * <p>The one exception to "no threads": BouncyCastle's DTLS handshake runs on a thread of its own
 * (see peer-dtls). When it has output it calls the {@link #wakeup(Runnable) wakeup hook}, from that
 * thread; the driver then calls {@link #handleTimeout} soon, which collects it.
 *
 * <p>Not thread-safe: one thread drives a core. Bad network input is counted ({@link #stats()}) and
 * dropped; no input method throws for it.
 */
public final class PeerCore {
  private static final int MAX_PUMP_ROUNDS = 256;
  // DTLS datagrams are at most 1200 bytes (DtlsConfig default); an AEAD record costs 13 bytes of
  // header, 8 of explicit nonce and 16 of tag (GCM; ChaCha20 less). SCTP packets must fit in one
  // record, so the association's MTU stays below 1200 - 37 with room to spare.
  private static final int SCTP_MTU = 1150;
  // DTLS records that arrive before our endpoint exists (the remote's ClientHello can overtake
  // the answer on its way to the offerer): kept and replayed, at most this many.
  private static final int MAX_EARLY_DTLS = 16;
  // Room for a TURN header around a datagram; a buffer grows for a larger one than seen before.
  private static final int WRAP_OVERHEAD_BYTES = 64;
  private static final AtomicLong CONNECTIONS = new AtomicLong();
  private static final PeerEvent.KeyframeRequest KEYFRAME_REQUEST = new PeerEvent.KeyframeRequest();

  private final PeerConfiguration config;
  private final String name;
  private final System.Logger log;
  private final SecureRandom secureRandom = new SecureRandom();
  private final long epochOffsetNanos;
  private final DtlsCertificate certificate;
  private final Fingerprint localFingerprint;
  private final List<InetSocketAddress> localAddresses;
  private final List<InetSocketAddress> tcpListeners;
  private final IceConfig iceConfig;
  private final long sessionId;
  private final long audioSsrc;
  private final long videoSsrc;
  private final String cname;
  private volatile Runnable wakeup = () -> {};
  private final DataChannel.Owner directOwner =
      new DataChannel.Owner() {
        @Override
        public void send(DataChannel channel, byte[] message, boolean binary) {
          checkMessage(channel, message.length);
          channel.addBufferedAmount(message.length);
          sendCounted(lastNowNanos, channel, message, binary);
        }

        @Override
        public void close(DataChannel channel) {
          closeChannel(lastNowNanos, channel);
        }

        @Override
        public void lowThresholdChanged(DataChannel channel) {
          applyLowThreshold(channel);
        }
      };
  private DataChannel.Owner channelOwner = directOwner;

  // outputs
  private final ArrayDeque<PeerEvent> events = new ArrayDeque<>();
  // The frame events, one per media event slot (by MediaEvent.slot(), made on first use), each
  // pointed at its slot's reused frame: valid until the next pollEvent(). Not one event for all:
  // frames drained together come from different slots, and re-pointing one event at each would
  // store a reference per frame (see OutgoingDatagram.set).
  private PeerEvent.MediaFrame[] frameEvents = new PeerEvent.MediaFrame[4];
  private final OutgoingDatagram out = new OutgoingDatagram();
  // Datagrams already wrapped for the selected pair (media, and everything at close): sent first.
  private final ArrayDeque<Slot> queued = new ArrayDeque<>();
  private final ArrayDeque<Slot> freeSlots = new ArrayDeque<>();
  private Slot lentSlot;
  private byte[] wrapBuffer = new byte[1500 + WRAP_OVERHEAD_BYTES];
  private long lastNowNanos;

  private volatile PeerConnectionState state = PeerConnectionState.NEW;
  private IceAgent agent;
  private boolean offerer;
  private boolean localDescriptionMade;
  private long sessionVersion = 1;
  // restartIce() was called and its offer's answer has not been applied yet
  private boolean restartPending;
  // whether the current local description is an offer (ours, or our restart offer) or an answer
  private boolean localIsOffer;
  // whether the last remote description applied was an offer, so that createAnswer may follow
  private boolean remoteIsOffer;
  // an offer of ours (the first, or a restart offer) waits for its answer
  private boolean awaitingAnswer;
  // ours, fixed by the first offer/answer: an ICE restart in either direction keeps it
  private Setup dtlsSetup;
  private RemoteDescription remote;
  private volatile long remoteMaxMessageSize;
  private DtlsEndpoint dtls;
  private boolean dtlsStarted;
  private boolean dtlsDone;
  private MediaSession media;
  private SctpAssociation sctp;
  private boolean sctpConnected;
  private final List<DataChannel> channels = new ArrayList<>();
  private final Map<DataChannel, DataChannelInit> pendingInits = new LinkedHashMap<>();
  private final ArrayDeque<Unsent> unsentMessages = new ArrayDeque<>();
  private MdnsClient mdns;
  private String failureReason;
  private String failureKey;
  private final List<byte[]> earlyDtls = new ArrayList<>();
  private int announcedCandidates;
  private boolean localDescriptionAnnounced;

  private long datagramsIn;
  private long datagramsOut;
  private long beforeNegotiation;
  private long iceServerErrors;
  // TURN servers reached over TCP or TLS, by the address their packets go to
  private final java.util.Map<InetSocketAddress, IceServer> streamServers =
      new java.util.HashMap<>();
  private long noPairDrops;
  private long unknownDatagrams;
  private long dtlsBeforeRemote;
  private long sctpSendFailures;
  private long messagesTooLarge;
  // Whether the remote's description has a section that receives our audio/video (written once
  // by setRemoteDescription, read by senders on any thread); and frames refused for want of one
  private volatile boolean audioNegotiated;
  private volatile boolean videoNegotiated;
  private long audioNotNegotiated;
  private long videoNotNegotiated;
  private long notConnectedFrames;

  /** A datagram wrapped for its pair, waiting in {@link #queued}. */
  private static final class Slot {
    byte[] data = new byte[1500 + WRAP_OVERHEAD_BYTES];
    int length;
    InetSocketAddress local;
    InetSocketAddress destination;
    StreamFramer.Framing framing;
  }

  private record Unsent(DataChannel channel, byte[] message, boolean binary) {}

  /**
   * Makes a core: generates its DTLS certificate. The ICE agent gathers on {@code localAddresses}
   * when an offer is made or an offer applied; every datagram sent leaves from one of them.
   *
   * @param config the configuration (its clock is not read: time comes with each call; its epoch
   *     clock dates the certificate and RTCP's NTP times)
   * @param localAddresses the bound sockets' addresses, host candidates
   * @param nowNanos the time on the driver's clock
   */
  public PeerCore(PeerConfiguration config, List<InetSocketAddress> localAddresses, long nowNanos) {
    this(config, localAddresses, List.of(), nowNanos);
  }

  /**
   * Makes a core that also gathers ICE-TCP candidates (RFC 6544) when {@link
   * PeerConfiguration#iceTcp()} allows: a passive one on each of {@code tcpListeners}, whose
   * accepted connections the driver hands to {@link #handleStreamReceive}, and an active one on its
   * IP, from which the driver connects out when {@link OutgoingDatagram#isIceTcp()} asks.
   *
   * @param tcpListeners bound TCP listening addresses (may be empty)
   */
  public PeerCore(
      PeerConfiguration config,
      List<InetSocketAddress> localAddresses,
      List<InetSocketAddress> tcpListeners,
      long nowNanos) {
    if (localAddresses.isEmpty()) {
      throw new IllegalArgumentException("a PeerCore needs at least one local socket address");
    }
    this.config = config;
    this.name = config.name() != null ? config.name() : "pc-" + CONNECTIONS.incrementAndGet();
    this.log = ConnectionLogger.of(config.loggerName(), name);
    this.lastNowNanos = nowNanos;
    long nowMillis = config.epochClock().millis();
    this.epochOffsetNanos = nowMillis * 1_000_000L - nowNanos;
    // Valid from a day ago (clock skew) for 30 days: WebRTC trusts the fingerprint, not dates.
    this.certificate =
        DtlsCertificate.generate(
            DtlsCertificate.KeyType.ECDSA_P256,
            secureRandom,
            nowMillis - 86_400_000L,
            nowMillis + 30L * 86_400_000L);
    this.localFingerprint = Fingerprint.parse(certificate.fingerprint().format());
    this.localAddresses = List.copyOf(localAddresses);
    this.tcpListeners = config.iceTcp() ? List.copyOf(tcpListeners) : List.of();
    this.iceConfig = iceConfig(config);
    this.sessionId = 1 + (config.random().nextLong() >>> 2);
    this.audioSsrc = ssrc(config);
    long v = ssrc(config);
    this.videoSsrc = v == audioSsrc ? (v ^ 1) : v;
    this.cname = randomToken(16);
  }

  private static long ssrc(PeerConfiguration config) {
    long s;
    do {
      s = config.random().nextInt() & 0xffffffffL;
    } while (s == 0);
    return s;
  }

  private String randomToken(int length) {
    String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    StringBuilder sb = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      sb.append(alphabet.charAt(config.random().nextInt(alphabet.length())));
    }
    return sb.toString();
  }

  private IceConfig iceConfig(PeerConfiguration config) {
    IceConfig.Builder b = IceConfig.builder();
    for (IceServer s : config.iceServers()) {
      InetAddress address;
      try {
        // Control plane, once per connection; an IP literal (what tests use) needs no lookup.
        address = InetAddress.getByName(s.host());
      } catch (UnknownHostException e) {
        log.log(System.Logger.Level.WARNING, "ICE server " + s + ": unknown host; skipped");
        continue;
      }
      InetSocketAddress a = new InetSocketAddress(address, s.port());
      if (s.overTcp()) {
        streamServers.put(a, s);
      }
      if (s.isTurn()) {
        b.turnServer(new TurnServer(a, s.username(), s.credential(), s.overTcp()));
      } else {
        b.stunServer(a);
      }
    }
    b.relayOnly(config.iceTransportPolicy() == IceTransportPolicy.RELAY);
    b.udp(config.iceUdp());
    b.iceLite(config.iceLite());
    b.logger(log);
    return b.build();
  }

  /** The agent's mDNS question goes to our resolver; its answer comes back through pump. */
  private void resolveMdns(long now, String hostname) {
    if (mdns == null) {
      mdns = new MdnsClient(MdnsClient.MDNS_IPV4, log);
    }
    mdns.resolve(now, hostname);
  }

  /**
   * Sets what the core calls, from BouncyCastle's handshake thread, when DTLS has output waiting:
   * the driver should call {@link #handleTimeout} soon. Also called when a control call armed a
   * timer earlier than {@link #pollTimeoutNanos()} said before.
   */
  public void wakeup(Runnable hook) {
    this.wakeup = hook == null ? () -> {} : hook;
  }

  void channelOwner(DataChannel.Owner owner) {
    this.channelOwner = owner;
  }

  // ---------------------------------------------------------------- signaling

  /**
   * Creates an offer and starts gathering. The returned description holds the host candidates; the
   * complete one comes as {@link PeerEvent.LocalDescriptionComplete} when gathering ends.
   *
   * @throws IllegalStateException if a remote description was already applied
   */
  public String createOffer(long nowNanos) {
    checkOpen("createOffer");
    if (restartPending) {
      lastNowNanos = nowNanos;
      sessionVersion++;
      localIsOffer = true;
      awaitingAnswer = true;
      announceGathered();
      return localDescription();
    }
    if (offerer && remote == null) {
      // Asked again before the answer: the same offer (same ICE credentials and fingerprint, the
      // candidates gathered by now), as libwebrtc does; new credentials would strand a peer that
      // was given the first one.
      lastNowNanos = nowNanos;
      return localDescription();
    }
    if (remote != null) {
      throw new IllegalStateException(
          "createOffer after setRemoteDescription: this connection already negotiated; call"
              + " restartIce() first to restart ICE, or make a new PeerConnection to start over");
    }
    lastNowNanos = nowNanos;
    offerer = true;
    localIsOffer = true;
    awaitingAnswer = true;
    startAgent(nowNanos, true);
    localDescriptionMade = true;
    announceGathered();
    pump(nowNanos);
    wakeup.run(); // gathering timers
    return localDescription();
  }

  /**
   * Creates the answer to the offer given to {@link #setRemoteDescription}.
   *
   * @throws IllegalStateException if no remote offer was applied
   */
  public String createAnswer(long nowNanos) {
    checkOpen("createAnswer");
    if (remote == null || !remoteIsOffer) {
      throw new IllegalStateException(
          "createAnswer needs the remote offer first: call setRemoteDescription(offer,"
              + " SdpType.OFFER)");
    }
    lastNowNanos = nowNanos;
    localIsOffer = false;
    localDescriptionMade = true;
    announceGathered();
    return localDescription();
  }

  /** Candidates and a gathering end that came before there was a description to put them in. */
  private void announceGathered() {
    announceNewCandidates();
    if (agent.isGatheringComplete()) {
      announceLocalDescription();
    }
  }

  private void announceLocalDescription() {
    if (localDescriptionMade && !localDescriptionAnnounced && state != PeerConnectionState.CLOSED) {
      localDescriptionAnnounced = true;
      events.add(new PeerEvent.LocalDescriptionComplete(localDescription()));
    }
  }

  private void announceNewCandidates() {
    if (!localDescriptionMade || agent == null) {
      return;
    }
    List<IceCandidate> all = agent.localCandidates();
    while (announcedCandidates < all.size()) {
      events.add(
          new PeerEvent.LocalCandidate("candidate:" + all.get(announcedCandidates++).toSdpValue()));
    }
  }

  /**
   * The current local description (offer or answer) with every candidate gathered so far, or null
   * before {@link #createOffer}/{@link #createAnswer}.
   */
  public String localDescription() {
    if (!localDescriptionMade || agent == null) {
      return null;
    }
    List<Candidate> candidates = new ArrayList<>();
    for (IceCandidate c : agent.localCandidates()) {
      candidates.add(Candidate.parse(c.toSdpValue()));
    }
    IceCredentials creds = agent.localCredentials();
    Negotiation.Local local =
        new Negotiation.Local(
            creds.ufrag(),
            creds.pwd(),
            localFingerprint,
            sessionId,
            sessionVersion,
            audioSsrc,
            videoSsrc,
            cname,
            candidates,
            agent.isGatheringComplete(),
            config.iceLite());
    SessionDescription sd;
    if (!localIsOffer) {
      sd = Negotiation.answer(config, local, remote, dtlsSetup);
    } else if (offerer) {
      sd = Negotiation.offer(config, local);
    } else {
      // the answerer's restart offer: the sections of the call as negotiated, in the first
      // offer's order and with its mids (JSEP 5.2.2), and actpass (the answer keeps the roles)
      sd = Negotiation.answer(config, local, remote, Setup.ACTPASS);
    }
    return sd.write();
  }

  /**
   * Applies the remote side's offer or answer; checks start at once.
   *
   * @throws io.github.jpeer.sdp.SdpParseException if {@code sdp} is not valid SDP (the message
   *     names the line)
   * @throws IllegalArgumentException if it lacks what WebRTC needs (the message says what)
   * @throws IllegalStateException if it comes at the wrong moment
   */
  public void setRemoteDescription(long nowNanos, String sdp, SdpType type) {
    checkOpen("setRemoteDescription");
    Objects.requireNonNull(sdp, "sdp: the remote's session description text");
    Objects.requireNonNull(type, "type: SdpType.OFFER or SdpType.ANSWER");
    if (remote != null) {
      applyRestart(nowNanos, sdp, type);
      return;
    }
    if (type == SdpType.ANSWER && !offerer) {
      throw new IllegalStateException(
          "an answer needs our offer first: call createOffer() and send it, then apply the"
              + " answer");
    }
    if (type == SdpType.OFFER && offerer) {
      throw new IllegalStateException(
          "we made an offer, so the remote description must be its ANSWER, not an OFFER");
    }
    SessionDescription parsed = SessionDescription.parse(sdp);
    RemoteDescription r = Negotiation.readRemote(config, parsed, type);
    if (r.iceLite() && config.iceLite()) {
      throw new IllegalArgumentException(
          "the remote is ICE-lite (a=ice-lite) and so is this connection (iceLite(true)): two lite"
              + " agents cannot connect, one side must run full ICE; build this side's"
              + " configuration without iceLite(true)");
    }
    lastNowNanos = nowNanos;
    // Our DTLS role: the one our answer takes, or the opposite of what the remote answered.
    Setup ours = type == SdpType.OFFER ? r.setup().answerFor() : opposite(r.setup());
    DtlsRole role = ours == Setup.ACTIVE ? DtlsRole.CLIENT : DtlsRole.SERVER;
    DtlsConfig.Builder dtlsConfig = DtlsConfig.builder(role, certificate);
    // Every fingerprint counts (RFC 8122 section 5): the certificate must match one of them.
    for (io.github.jpeer.dtls.Fingerprint f : dtlsFingerprints(r)) {
      dtlsConfig.remoteFingerprint(f);
    }
    // Nothing above changed this connection, so a refused description leaves it as it was.
    dtlsSetup = ours;
    remoteIsOffer = type == SdpType.OFFER;
    awaitingAnswer = false;
    if (type == SdpType.OFFER) {
      startAgent(nowNanos, false);
    }
    remote = r;
    audioNegotiated = r.audio() != null && r.audio().direction().receives();
    videoNegotiated = r.video() != null && r.video().direction().receives();
    remoteMaxMessageSize = r.data() != null ? r.data().maxMessageSize() : 0;
    agent.setRemoteCredentials(new IceCredentials(r.iceUfrag(), r.icePwd()));
    if (r.iceLite()) {
      agent.setRemoteIceLite(true);
    }
    for (Candidate c : r.candidates()) {
      addRemoteCandidate(nowNanos, c);
    }
    dtls =
        new DtlsEndpoint(
            dtlsConfig.random(secureRandom).wakeup(() -> wakeup.run()).logger(log).build());
    media =
        new MediaSession(
            r.audio(),
            r.video(),
            audioSsrc,
            videoSsrc,
            cname,
            config.random(),
            nowNanos,
            epochOffsetNanos,
            log);
    for (byte[] early : earlyDtls) {
      dtls.handleReceive(nowNanos, early, 0, early.length); // kept until it has somewhere to go
    }
    earlyDtls.clear();
    if (r.data() != null) {
      SctpConfig sc =
          SctpConfig.builder()
              .localPort(Negotiation.SCTP_PORT)
              .mtu(SCTP_MTU)
              .remotePort(r.data().sctpPort())
              .maxMessageSize((int) Negotiation.MAX_MESSAGE_SIZE)
              .remoteMaxMessageSize((int) Math.min(Integer.MAX_VALUE, r.data().maxMessageSize()))
              .logger(log)
              .build();
      sctp = new SctpAssociation(sc, role == DtlsRole.CLIENT, secureRandom);
      for (DataChannel ch : channels) {
        openOnAssociation(nowNanos, ch, pendingInits.remove(ch));
      }
    } else if (!channels.isEmpty()) {
      // Channels created before the remote said it takes none: they will never open, say so.
      pendingInits.clear();
      closeChannels(
          "the remote description has no usable m=application section: the remote takes no data"
              + " channels");
      flushUnsent();
    }
    setState(PeerConnectionState.CHECKING);
    pump(nowNanos);
    wakeup.run(); // timers armed outside the driver's loop: it must look at this core again
  }

  /**
   * ICE restart (RFC 8445 section 9, JSEP section 5.2.1): a second description with new ICE
   * credentials, the answer to our {@link #restartIce} offer or the remote's restart offer. Only
   * ICE changes: the DTLS association, SCTP and media carry on, on the old pair until a new one is
   * selected.
   */
  private void applyRestart(long now, String sdp, SdpType type) {
    boolean ourRestart = restartPending && type == SdpType.ANSWER;
    boolean theirRestart = type == SdpType.OFFER && !restartPending && !awaitingAnswer;
    if (!ourRestart && !theirRestart) {
      throw new IllegalStateException(
          restartPending && type == SdpType.OFFER
              ? "both sides restarted ICE at once: apply the answer to our restart offer first,"
                  + " or let one side restart (jpeer does not roll back its offer)"
              : "a remote description is already set; jpeer renegotiates only to restart ICE"
                  + " (call restartIce(), send the new offer, apply its answer, or apply the"
                  + " remote's restart offer and answer it): make a new PeerConnection for"
                  + " anything else");
    }
    RemoteDescription r = Negotiation.readRemote(config, SessionDescription.parse(sdp), type);
    if (!r.fingerprints().equals(remote.fingerprints())) {
      throw new IllegalArgumentException(
          "the new remote description has another DTLS fingerprint: an ICE restart keeps the"
              + " certificate; a new one needs a new PeerConnection");
    }
    requireSameCall(r);
    requireSameDtlsRole(r.setup(), type);
    IceCredentials creds = new IceCredentials(r.iceUfrag(), r.icePwd());
    lastNowNanos = now;
    if (theirRestart) {
      if (creds.equals(agent.remoteCredentials())) {
        throw new IllegalStateException(
            "the new offer has the same ICE ufrag and pwd: jpeer renegotiates only to restart ICE;"
                + " make a new PeerConnection for anything else");
      }
      // the restart's answerer is controlled (RFC 8445 9), unless the remote is lite
      agent.restartIce(now, agent.isRemoteIceLite());
      sessionVersion++;
      localDescriptionAnnounced = false; // the answer is a new complete description
    }
    restartPending = false;
    awaitingAnswer = false;
    remoteIsOffer = type == SdpType.OFFER;
    remote = r;
    agent.setRemoteCredentials(creds);
    for (Candidate c : r.candidates()) {
      addRemoteCandidate(now, c);
    }
    log.log(System.Logger.Level.DEBUG, "ICE restart: new remote credentials applied");
    pump(now);
    wakeup.run();
  }

  /**
   * Restarts ICE (RFC 8445 section 9): new local credentials and a new checklist, for a path that
   * failed or a network that changed. Then {@link #createOffer} makes the offer to send and {@link
   * #setRemoteDescription} applies its answer; the call keeps its pair until a new one is selected,
   * and DTLS, SCTP and media carry on.
   *
   * @throws IllegalStateException before the first answer, or on the side that answered (jpeer
   *     restarts from the side that made the offer; the remote's restart offer restarts this side
   *     when applied)
   */
  public void restartIce(long nowNanos) {
    checkOpen("restartIce");
    if (remote == null || awaitingAnswer || restartPending) {
      throw new IllegalStateException(
          remote == null
              ? "restartIce before the first negotiation finished: apply the answer first"
              : "restartIce while our restart offer waits for its answer: apply the answer first");
    }
    if (remoteIsOffer && !localDescriptionMade) {
      throw new IllegalStateException(
          "restartIce before answering the remote's offer: call createAnswer() first");
    }
    lastNowNanos = nowNanos;
    // the restart's offerer is controlling (RFC 8445 9); a lite agent never is (6.1.1)
    agent.restartIce(nowNanos, !config.iceLite());
    restartPending = true;
    localDescriptionAnnounced = false; // the restart offer is a new complete description
    pump(nowNanos);
    wakeup.run();
  }

  /**
   * The remote's fingerprints that DTLS can check; those with a hash function jpeer does not
   * support are left out (another one of the list may still match).
   *
   * @throws IllegalArgumentException if none is usable
   */
  private static List<io.github.jpeer.dtls.Fingerprint> dtlsFingerprints(RemoteDescription r) {
    List<io.github.jpeer.dtls.Fingerprint> fingerprints = new ArrayList<>();
    for (var f : r.fingerprints()) {
      if (io.github.jpeer.dtls.Fingerprint.isSupported(f.algorithm())) {
        fingerprints.add(io.github.jpeer.dtls.Fingerprint.parse(f.toString()));
      }
    }
    if (fingerprints.isEmpty()) {
      List<String> hashes = new ArrayList<>();
      for (var f : r.fingerprints()) {
        hashes.add(f.algorithm());
      }
      throw new IllegalArgumentException(
          "unsupported a=fingerprint hash function "
              + String.join(", ", hashes)
              + " in the remote description; supported: sha-256, sha-384, sha-512 and sha-1 (RFC"
              + " 8122 forbids md2 and md5): have the remote send a fingerprint with one of those");
    }
    return fingerprints;
  }

  /**
   * A restart description must describe the call we have: the same sections (mids, in order) and,
   * on each track, the same codec and payload type; only ICE may change.
   */
  private void requireSameCall(RemoteDescription r) {
    List<String> before = mids(remote);
    List<String> now = mids(r);
    if (!before.equals(now)) {
      throw new IllegalArgumentException(
          "the new remote description has the sections "
              + now
              + " where the call has "
              + before
              + ": jpeer renegotiates only to restart ICE; make a new PeerConnection for other"
              + " media");
    }
    requireSameTrack("audio", remote.audio(), r.audio());
    requireSameTrack("video", remote.video(), r.video());
  }

  private static List<String> mids(RemoteDescription r) {
    List<String> mids = new ArrayList<>();
    List<io.github.jpeer.sdp.MediaDescription> media = r.sdp().media();
    for (int i = 0; i < media.size(); i++) {
      mids.add(media.get(i).mid().orElse(String.valueOf(i)));
    }
    return mids;
  }

  private static void requireSameTrack(
      String kind, RemoteDescription.Track before, RemoteDescription.Track now) {
    boolean same =
        before == null
            ? now == null
            : now != null
                && before.codec() == now.codec()
                && before.payloadType() == now.payloadType();
    if (!same) {
      throw new IllegalArgumentException(
          "the new remote description changes the "
              + kind
              + " codec ("
              + describe(before)
              + " to "
              + describe(now)
              + "): jpeer renegotiates only to restart ICE; make a new PeerConnection for"
              + " another codec");
    }
  }

  private static String describe(RemoteDescription.Track t) {
    return t == null ? "none" : t.codec() + "/" + t.payloadType();
  }

  /**
   * An ICE restart keeps the DTLS association, so the roles stay: a restart offer may say actpass
   * or the remote's current role, an answer to ours must say the remote's current role.
   */
  private void requireSameDtlsRole(Setup theirs, SdpType type) {
    Setup expected = dtlsSetup.answerFor(); // the remote's current role
    boolean ok = theirs == expected || (type == SdpType.OFFER && theirs == Setup.ACTPASS);
    if (!ok) {
      throw new IllegalArgumentException(
          "the new remote description says a=setup:"
              + theirs
              + ", but the call's DTLS roles are ours "
              + dtlsSetup
              + " and the remote's "
              + expected
              + ": an ICE restart keeps the DTLS association; make a new PeerConnection for a new"
              + " one");
    }
  }

  private static Setup opposite(Setup remoteAnswer) {
    return remoteAnswer == Setup.ACTIVE ? Setup.PASSIVE : Setup.ACTIVE;
  }

  /**
   * Adds a remote candidate trickled by signaling: a {@code candidate:...} line (with or without
   * {@code a=}). An empty line or {@code end-of-candidates} says no more will come. TCP candidates
   * are ignored (jpeer speaks ICE over UDP).
   *
   * @throws IllegalStateException before the remote description
   * @throws io.github.jpeer.sdp.SdpParseException for a malformed line
   */
  public void addIceCandidate(long nowNanos, String candidateLine) {
    checkOpen("addIceCandidate");
    if (remote == null) {
      throw new IllegalStateException(
          "addIceCandidate before setRemoteDescription: apply the remote description first");
    }
    String line = candidateLine == null ? "" : candidateLine.strip();
    if (line.startsWith("a=")) {
      line = line.substring(2);
    }
    lastNowNanos = nowNanos;
    if (line.isEmpty() || line.equals("end-of-candidates")) {
      agent.endOfRemoteCandidates();
    } else {
      addRemoteCandidate(nowNanos, Negotiation.parseCandidate(line));
    }
    pump(nowNanos);
    wakeup.run(); // new pairs mean new check timers
  }

  private void addRemoteCandidate(long now, Candidate c) {
    if ((!c.isUdp() && !c.isTcp()) || c.component() != 1) {
      return; // RTCP components are not used: one transport with rtcp-mux
    }
    try {
      agent.addRemoteCandidate(now, IceCandidate.parse(c.toString()));
    } catch (IllegalArgumentException e) {
      log.log(System.Logger.Level.DEBUG, "remote candidate ignored: " + e.getMessage());
    }
  }

  private void startAgent(long now, boolean controlling) {
    // A lite agent is controlled whoever offers (RFC 8445 section 6.1.1).
    agent = new IceAgent(iceConfig, controlling && !config.iceLite(), secureRandom);
    agent.gather(now, localAddresses, tcpListeners);
  }

  // ---------------------------------------------------------------- data channels

  /**
   * Opens a data channel. Before the remote description it is created when the association comes
   * up; its {@link DataChannel#id()} is known once the DTLS role is.
   *
   * @throws IllegalStateException if the configuration has no data channel
   */
  public DataChannel createDataChannel(long nowNanos, String label, DataChannelInit init) {
    checkOpen("createDataChannel");
    if (config.dataChannel() == DataChannelType.NONE) {
      throw new IllegalStateException(
          "this connection has no data channel: build its configuration with"
              + " dataChannel(DataChannelType.STRING or BINARY)");
    }
    if (remote != null && sctp == null) {
      throw new IllegalStateException(
          "the remote description has no usable m=application section, so there is no SCTP"
              + " association for data channels");
    }
    if (label == null) {
      throw new NullPointerException("label: use \"\" for a channel without a label");
    }
    DataChannelInit.requireDcepString("label", label);
    if (init == null) {
      throw new NullPointerException("init: use DataChannelInit.RELIABLE for the defaults");
    }
    if (init.negotiatedId() >= 0) {
      for (DataChannel other : channels) {
        if (!other.isClosed() && other.id() == init.negotiatedId()) {
          throw new IllegalArgumentException(
              "negotiated id "
                  + init.negotiatedId()
                  + " is already used by "
                  + other
                  + ": give each negotiated channel its own id");
        }
      }
    }
    lastNowNanos = nowNanos;
    DataChannel ch = new DataChannel(channelOwner, label, init.protocol(), init.negotiatedId());
    channels.add(ch);
    if (sctp != null) {
      openOnAssociation(nowNanos, ch, init);
      pump(nowNanos);
    } else {
      pendingInits.put(ch, init);
    }
    return ch;
  }

  private void openOnAssociation(long now, DataChannel ch, DataChannelInit init) {
    DataChannelConfig c = DataChannelConfig.reliable(ch.label()).withProtocol(init.protocol());
    c = c.withOrdered(init.ordered()).withPriority(init.priority());
    if (init.maxRetransmits() >= 0) {
      c = c.withMaxRetransmits(init.maxRetransmits());
    } else if (init.maxLifetimeMillis() >= 0) {
      c = c.withMaxLifetimeMillis(init.maxLifetimeMillis());
    }
    if (init.negotiatedId() >= 0) {
      c = c.withNegotiatedId(init.negotiatedId());
    }
    ch.assignId(sctp.openChannel(now, c));
  }

  /** The data channels, ours and the remote's, open or not (a copy). */
  public List<DataChannel> dataChannels() {
    return List.copyOf(channels);
  }

  /**
   * Checks a message before it is queued (any thread: reads only what the remote description
   * fixed).
   *
   * @throws IllegalStateException if the channel is closed
   * @throws IllegalArgumentException if the remote does not accept a message this large
   */
  void checkMessage(DataChannel ch, int length) {
    if (ch.isClosed()) {
      throw new IllegalStateException(ch + " is closed: open a new channel");
    }
    long limit = remoteMaxMessageSize;
    if (limit > 0 && length > limit) {
      throw new IllegalArgumentException(
          "message of "
              + length
              + " bytes is larger than the remote accepts ("
              + limit
              + " bytes, its max-message-size): split it into smaller messages");
    }
    if (limit == 0 && length > Negotiation.MAX_MESSAGE_SIZE) {
      // The remote's limit is not known yet: hold no more than jpeer itself would accept.
      throw new IllegalArgumentException(
          "message of "
              + length
              + " bytes is larger than "
              + Negotiation.MAX_MESSAGE_SIZE
              + " bytes, the most a message sent before the remote description may have (the"
              + " remote's max-message-size is not known yet): split it, or send it once the"
              + " channel is open");
    }
  }

  /** Sends a message whose bytes {@link DataChannel#bufferedAmount()} already counts. */
  void sendCounted(long now, DataChannel ch, byte[] message, boolean binary) {
    lastNowNanos = now;
    if (sctp == null || !ch.isOpen()) {
      if (!ch.isClosed()) {
        unsentMessages.add(new Unsent(ch, message, binary)); // sent when the channel opens
      } else {
        ch.addBufferedAmount(-message.length);
      }
      return;
    }
    try {
      sctp.send(now, ch.id(), message, binary);
      ch.handedToAssociation(message.length);
    } catch (IllegalStateException | IllegalArgumentException e) {
      // Queued before the remote's limit was known, or sent as the channel closed: the
      // application hears of it on the channel, and the stats count it.
      ch.addBufferedAmount(-message.length);
      if (remoteMaxMessageSize > 0 && message.length > remoteMaxMessageSize) {
        messagesTooLarge++;
      } else {
        sctpSendFailures++;
      }
      events.add(new PeerEvent.ChannelError(ch, "message not sent: " + e.getMessage()));
    }
    pump(now);
  }

  /** Closes a channel with an RFC 6525 stream reset; {@link PeerEvent.ChannelClosed} follows. */
  void closeChannel(long now, DataChannel ch) {
    lastNowNanos = now;
    if (sctp != null && ch.id() >= 0 && !ch.isClosed()) {
      sctp.closeChannel(now, ch.id());
      pump(now);
    }
  }

  /** Hands a channel's low-water mark to SCTP once the channel is on the association. */
  void applyLowThreshold(DataChannel ch) {
    if (sctp != null && ch.id() >= 0 && !ch.isClosed() && sctp.channel(ch.id()).isPresent()) {
      sctp.setBufferedAmountLowThreshold(ch.id(), ch.bufferedAmountLowThreshold());
    }
  }

  private void flushUnsent() {
    for (int i = unsentMessages.size(); i > 0; i--) {
      Unsent m = unsentMessages.poll();
      if (m.channel().isOpen()) {
        sendCounted(lastNowNanos, m.channel(), m.message(), m.binary());
      } else if (!m.channel().isClosed()) {
        unsentMessages.add(m);
      } else {
        m.channel().addBufferedAmount(-m.message().length);
      }
    }
  }

  // ---------------------------------------------------------------- media

  /**
   * Sends one encoded audio frame ({@code frame[0, length)}): an Opus packet or G.711 bytes.
   *
   * @return false if it was dropped: not connected yet (counted as {@code send-before-connected})
   * @throws IllegalStateException if the configuration has no audio
   */
  public boolean sendAudio(long nowNanos, byte[] frame, int length) {
    checkAudioFrame(
        config.audioCodec(), length > 0 ? frame[0] : 0, length > 1 ? frame[1] : 0, length);
    if (!mediaReady(config.audioCodec(), "audio")) {
      return false;
    }
    if (!audioNegotiated) {
      audioNotNegotiated++;
      return false;
    }
    lastNowNanos = nowNanos;
    return media.sendAudio(nowNanos, frame, length);
  }

  /**
   * Sends one H.264 access unit in Annex-B form ({@code accessUnit[0, length)}).
   *
   * @return false if it was dropped: not connected yet
   * @throws IllegalStateException if the configuration has no video
   */
  public boolean sendVideo(long nowNanos, byte[] accessUnit, int length) {
    if (length < 1) {
      throw new IllegalArgumentException(EMPTY_ACCESS_UNIT);
    }
    if (!mediaReady(config.videoCodec(), "video")) {
      return false;
    }
    if (!videoNegotiated) {
      videoNotNegotiated++;
      return false;
    }
    lastNowNanos = nowNanos;
    return media.sendVideo(nowNanos, accessUnit, length);
  }

  static final String EMPTY_ACCESS_UNIT =
      "empty access unit: pass the encoder's output for one picture, in Annex-B form";

  /**
   * Checks an audio frame before it is queued (any thread), from its length and first two bytes.
   *
   * @throws IllegalArgumentException if it is empty, or not an Opus packet when the codec is Opus
   */
  static void checkAudioFrame(MediaCodec codec, byte first, byte second, int length) {
    if (codec == MediaCodec.NONE) {
      return; // the caller says there is no audio
    }
    if (length < 1) {
      throw new IllegalArgumentException(
          "empty audio frame: pass one encoded packet of at least one byte (Opus DTX frames are"
              + " 1-2 bytes; the encoder never gives 0)");
    }
    if (codec == MediaCodec.OPUS && OpusToc.samplesAt48kHz(first, second, length) < 0) {
      throw new IllegalArgumentException(
          String.format(
              "not an Opus packet (RFC 6716 section 3.1): TOC byte 0x%02x%s; pass the Opus"
                  + " encoder's output, one packet per call",
              first & 0xff,
              (first & 3) == 3 && length < 2
                  ? " says code 3 but the frame count byte is missing"
                  : " gives no frames or more than 120 ms"));
    }
  }

  /** Whether the remote's description takes our audio (any thread). */
  boolean audioNegotiated() {
    return audioNegotiated;
  }

  /** Whether the remote's description takes our video (any thread). */
  boolean videoNegotiated() {
    return videoNegotiated;
  }

  private boolean mediaReady(MediaCodec codec, String kind) {
    if (codec == MediaCodec.NONE) {
      throw new IllegalStateException(
          "this connection has no "
              + kind
              + ": configure "
              + (kind.equals("audio")
                  ? "audioCodec(MediaCodec.OPUS/PCMA/PCMU)"
                  : "videoCodec(MediaCodec.H264)"));
    }
    if (state != PeerConnectionState.COMPLETED || media == null || !media.started()) {
      notConnectedFrames++;
      return false;
    }
    return true;
  }

  // ---------------------------------------------------------------- input

  /**
   * A datagram arrived on the socket bound to {@code local} from {@code from}. Never throws for its
   * content: what no protocol accepts is counted and dropped.
   */
  public void handleReceive(
      long nowNanos,
      InetSocketAddress local,
      InetSocketAddress from,
      byte[] data,
      int offset,
      int length) {
    receive(nowNanos, local, from, data, offset, length, false);
  }

  private void receive(
      long nowNanos,
      InetSocketAddress local,
      InetSocketAddress from,
      byte[] data,
      int offset,
      int length,
      boolean stream) {
    datagramsIn++;
    lastNowNanos = nowNanos;
    if (agent == null || state == PeerConnectionState.CLOSED) {
      beforeNegotiation++; // before an offer or answer nothing can use a datagram
      return;
    }
    Received r =
        stream
            ? agent.handleStreamReceive(nowNanos, local, from, data, offset, length)
            : agent.handleReceive(nowNanos, local, from, data, offset, length);
    if (r.isApplicationData()) {
      demux(nowNanos, r.data(), r.offset(), r.length());
    }
    pump(nowNanos);
  }

  /**
   * One packet that came over the TCP connection to {@code from} (see {@link
   * OutgoingDatagram#isStream()}), cut out of the stream by the driver (peer-stun's {@code
   * StreamFramer} with TURN framing); {@code local} is that connection's {@link
   * OutgoingDatagram#local()}. Otherwise as {@link #handleReceive}.
   */
  public void handleStreamReceive(
      long nowNanos,
      InetSocketAddress local,
      InetSocketAddress from,
      byte[] data,
      int offset,
      int length) {
    receive(nowNanos, local, from, data, offset, length, true);
  }

  /**
   * The TCP connection to {@code server} (see {@link OutgoingDatagram#isStream()}) could not be
   * opened, or closed: the TURN allocation on it is gone. While allocating this is reported as an
   * ICE server error (701).
   */
  public void streamClosed(long nowNanos, InetSocketAddress local, InetSocketAddress server) {
    lastNowNanos = nowNanos;
    if (agent != null && state != PeerConnectionState.CLOSED) {
      agent.streamClosed(nowNanos, local, server);
      pump(nowNanos);
    }
  }

  /**
   * The configured TURN server reached over TCP or TLS at {@code address} (where stream packets go,
   * {@link OutgoingDatagram#isStream()}), or null: the driver asks whether to speak TLS and which
   * host the certificate must name.
   */
  IceServer streamServerAt(InetSocketAddress address) {
    return streamServers.get(address);
  }

  /** RFC 7983, of what the agent hands up: DTLS records, then RTP and RTCP. */
  private void demux(long now, byte[] d, int off, int n) {
    switch (PacketDemux.classify(d, off, n)) {
      case DTLS -> {
        if (dtls != null) {
          dtls.handleReceive(now, d, off, n);
        } else if (earlyDtls.size() < MAX_EARLY_DTLS) {
          earlyDtls.add(Arrays.copyOfRange(d, off, off + n));
        } else {
          dtlsBeforeRemote++;
        }
      }
      case RTP_RTCP -> {
        if (media == null) {
          unknownDatagrams++;
        } else if (MediaSession.isRtcp(d, off, n)) {
          media.onRtcp(now, d, off, n);
        } else {
          media.onRtp(now, d, off, n);
        }
      }
      default -> unknownDatagrams++; // nothing else belongs on this socket
    }
  }

  /** An answer to one of the core's mDNS queries arrived ({@link OutgoingDatagram#isMdns()}). */
  public void handleMdnsReceive(long nowNanos, byte[] data, int length) {
    lastNowNanos = nowNanos;
    if (mdns != null && state != PeerConnectionState.CLOSED) {
      mdns.handleReceive(data, length);
      pump(nowNanos);
    }
  }

  /** Runs the timers that are due; call it when {@link #pollTimeoutNanos()} has come. */
  public void handleTimeout(long nowNanos) {
    lastNowNanos = nowNanos;
    if (state == PeerConnectionState.CLOSED) {
      return;
    }
    if (agent != null && nowNanos >= agent.pollTimeoutNanos()) {
      agent.handleTimeout(nowNanos);
    }
    if (dtls != null && nowNanos >= dtls.pollTimeoutNanos()) {
      if (media != null && media.remoteAuthenticated()) {
        dtls.confirmRemoteFinished(); // its SRTP proves it has our handshake's keys
      }
      dtls.handleTimeout(nowNanos);
    }
    if (sctp != null && nowNanos >= sctp.pollTimeoutNanos()) {
      sctp.handleTimeout(nowNanos);
    }
    if (media != null && nowNanos >= media.pollTimeoutNanos()) {
      media.handleTimeout(nowNanos);
    }
    if (mdns != null && nowNanos >= mdns.pollTimeoutNanos()) {
      mdns.handleTimeout(nowNanos);
    }
    pump(nowNanos);
  }

  /**
   * When {@link #handleTimeout} must run next, on the driver's clock; {@code Long.MAX_VALUE} if no
   * timer is armed. Outputs waiting to be polled do not count: poll them first.
   */
  public long pollTimeoutNanos() {
    long next = Long.MAX_VALUE;
    if (state == PeerConnectionState.CLOSED) {
      return next;
    }
    if (agent != null) {
      next = Math.min(next, agent.pollTimeoutNanos());
    }
    if (dtls != null) {
      next = Math.min(next, dtls.pollTimeoutNanos());
    }
    if (sctp != null) {
      next = Math.min(next, sctp.pollTimeoutNanos());
    }
    if (media != null) {
      next = Math.min(next, media.pollTimeoutNanos());
    }
    if (mdns != null) {
      next = Math.min(next, mdns.pollTimeoutNanos());
    }
    return next;
  }

  // ---------------------------------------------------------------- output

  /**
   * The next datagram to send, or null when there is none. The object and its bytes are the core's
   * and are reused by the next call: send it first.
   */
  public OutgoingDatagram pollTransmit() {
    if (lentSlot != null) {
      freeSlots.add(lentSlot);
      lentSlot = null;
    }
    Slot s = queued.poll();
    if (s != null) {
      lentSlot = s;
      datagramsOut++;
      return out.set(s.local, s.destination, s.data, s.length, false, s.framing);
    }
    for (MediaTransmit t; media != null && (t = media.pollTransmit()) != null; ) {
      if (wrap(t.data(), 0, t.length())) {
        datagramsOut++;
        return out.set(
            agent.selectedSocket(),
            agent.selectedDestination(),
            wrapBuffer,
            wrapped,
            false,
            agent.selectedFraming());
      }
    }
    if (agent != null) {
      Transmit t = agent.pollTransmit();
      if (t != null) {
        ensureWrapBuffer(t.length());
        int n = t.copyTo(wrapBuffer, 0);
        datagramsOut++;
        return out.set(t.local(), t.destination(), wrapBuffer, n, false, t.framing());
      }
    }
    for (int guard = 0; dtls != null && guard < MAX_PUMP_ROUNDS; guard++) {
      byte[] record = dtls.pollTransmit();
      if (record != null) {
        if (wrap(record, 0, record.length)) {
          datagramsOut++;
          return out.set(
              agent.selectedSocket(),
              agent.selectedDestination(),
              wrapBuffer,
              wrapped,
              false,
              agent.selectedFraming());
        }
        continue; // no pair yet: counted
      }
      byte[] packet = sctp != null && dtlsDone ? sctp.pollTransmit() : null;
      if (packet == null) {
        break;
      }
      sendSctpPacket(packet); // a record for DTLS to give us next round
    }
    if (mdns != null) {
      byte[] q = mdns.pollTransmit();
      if (q != null) {
        datagramsOut++;
        return out.set(null, mdns.target(), q, q.length, true);
      }
    }
    return null;
  }

  /**
   * The next event, or null when there is none. A {@link PeerEvent.MediaFrame} is valid until the
   * next call.
   */
  public PeerEvent pollEvent() {
    PeerEvent e = events.poll();
    if (e == null && drainSctpEvents()) {
      // what SCTP said while pollTransmit pulled its packets (the last bytes of a channel's
      // bufferedAmount going out, say): otherwise it would wait for the next input
      e = events.poll();
    }
    if (e != null || media == null) {
      return e;
    }
    MediaEvent m = media.pollEvent();
    if (m == null) {
      return null;
    }
    return switch (m.kind()) {
      case AUDIO_FRAME ->
          frameEvent(m.slot())
              .point(false, m.frame(), m.rtpTimestamp(), m.sequenceNumber(), m.arrivalNanos());
      case VIDEO_FRAME ->
          frameEvent(m.slot())
              .point(true, m.frame(), m.rtpTimestamp(), m.sequenceNumber(), m.arrivalNanos());
      case KEYFRAME_REQUEST -> KEYFRAME_REQUEST;
      case PACKET_LOSS -> new PeerEvent.PacketLoss(m.fractionLost(), m.totalLost());
    };
  }

  /** The frame event of media event slot {@code slot}, made (and the table grown) on first use. */
  private PeerEvent.MediaFrame frameEvent(int slot) {
    if (slot >= frameEvents.length) {
      frameEvents = Arrays.copyOf(frameEvents, Math.max(slot + 1, 2 * frameEvents.length));
    }
    PeerEvent.MediaFrame f = frameEvents[slot];
    if (f == null) {
      f = new PeerEvent.MediaFrame();
      frameEvents[slot] = f;
    }
    return f;
  }

  private int wrapped;

  /** Wraps {@code data} for the selected pair into {@link #wrapBuffer}; false if there is none. */
  private boolean wrap(byte[] data, int offset, int length) {
    ensureWrapBuffer(length);
    int n = agent.wrapForSelectedPair(data, offset, length, wrapBuffer, 0);
    if (n < 0) {
      noPairDrops++;
      return false;
    }
    wrapped = n;
    return true;
  }

  private void ensureWrapBuffer(int length) {
    if (wrapBuffer.length < length + WRAP_OVERHEAD_BYTES) {
      wrapBuffer = new byte[length + WRAP_OVERHEAD_BYTES];
    }
  }

  /** Everything at close: wrapped now (the TURN allocation ends next), sent first. */
  private void queueOnSelectedPair(byte[] data, int offset, int length) {
    Slot s = freeSlot(length);
    int n = agent.wrapForSelectedPair(data, offset, length, s.data, 0);
    if (n < 0) {
      noPairDrops++;
      freeSlots.add(s);
      return;
    }
    s.length = n;
    s.local = agent.selectedSocket();
    s.destination = agent.selectedDestination();
    s.framing = agent.selectedFraming();
    queued.add(s);
  }

  /** A slot from the pool with room for {@code length} bytes and a TURN header. */
  private Slot freeSlot(int length) {
    Slot s = freeSlots.poll();
    if (s == null) {
      s = new Slot();
    }
    if (s.data.length < length + WRAP_OVERHEAD_BYTES) {
      s.data = new byte[length + WRAP_OVERHEAD_BYTES];
    }
    return s;
  }

  private void queueAgentTransmits() {
    for (Transmit t; (t = agent.pollTransmit()) != null; ) {
      Slot s = freeSlot(t.length());
      s.length = t.copyTo(s.data, 0);
      s.local = t.local();
      s.destination = t.destination();
      s.framing = t.framing();
      queued.add(s);
    }
  }

  // ---------------------------------------------------------------- the cores' events

  /** Acts on what the cores said until they say nothing more (bounded). */
  private void pump(long now) {
    for (int round = 0; round < MAX_PUMP_ROUNDS; round++) {
      boolean moved = false;
      if (agent != null) {
        moved |= drainAgentEvents(now);
      }
      if (dtls != null) {
        for (DtlsEvent e; (e = dtls.pollEvent()) != null; ) {
          onDtlsEvent(now, e);
          moved = true;
        }
      }
      moved |= drainSctpEvents();
      for (MdnsClient.Resolution r;
          mdns != null
              && state != PeerConnectionState.CLOSED
              && (r = mdns.pollResolved()) != null; ) {
        agent.resolveMdns(now, r.hostname(), r.address());
        moved = true;
      }
      if (state == PeerConnectionState.CLOSED || !moved) {
        break;
      }
    }
    if (sctp != null) {
      for (int i = 0; i < channels.size(); i++) { // what SCTP sent leaves bufferedAmount
        DataChannel ch = channels.get(i);
        if (ch.id() >= 0 && !ch.isClosed()) { // a closed channel's id may be someone else's now
          ch.associationHolds(sctp.bufferedAmount(ch.id()));
        }
      }
    }
  }

  private boolean drainSctpEvents() {
    boolean moved = false;
    if (sctp != null && dtlsDone) {
      for (SctpEvent e; (e = sctp.pollEvent()) != null; ) {
        onSctpEvent(e);
        moved = true;
      }
    }
    return moved;
  }

  private void sendSctpPacket(byte[] packet) {
    try {
      dtls.sendApplicationData(packet, 0, packet.length);
    } catch (IllegalArgumentException | IllegalStateException e) {
      // Cannot happen with SCTP_MTU under the record limit and DTLS connected; if it does, the
      // packet is lost like any datagram and SCTP retransmits: never an exception out of a core.
      sctpSendFailures++;
      log.log(System.Logger.Level.DEBUG, "SCTP packet not sent: " + e.getMessage());
    }
  }

  private boolean drainAgentEvents(long now) {
    boolean any = false;
    for (IceEvent e; (e = agent.pollEvent()) != null; ) {
      any = true;
      if (e instanceof IceEvent.LocalCandidate) {
        announceNewCandidates();
      } else if (e instanceof IceEvent.GatheringComplete) {
        announceLocalDescription();
      } else if (e instanceof IceEvent.MdnsQuery q) {
        resolveMdns(now, q.hostname());
      } else if (e instanceof IceEvent.TurnFailed f) {
        iceServerErrors++;
        String url = "turn:" + hostPort(f.server());
        events.add(
            new PeerEvent.IceServerError(new IceCandidateError(url, f.errorCode(), f.reason())));
      } else if (e instanceof IceEvent.StateChanged sc) {
        onIceState(sc.state());
      } else if (e instanceof IceEvent.SelectedPairChanged sp && sp.pair() != null) {
        if (dtls != null && !dtlsStarted) {
          dtlsStarted = true;
          // The first retransmission follows the path's round trip, not a fixed second.
          // Over ICE-TCP nothing is lost: a retransmission timer of twice a loopback RTT would only
          // resend flights that a slow handshake thread has not answered yet.
          boolean reliable = agent.selectedFraming() == StreamFramer.Framing.RFC_4571;
          dtls.start(now, reliable ? -1 : agent.selectedRoundTripNanos());
        }
      }
    }
    return any;
  }

  private static String hostPort(java.net.InetSocketAddress a) {
    String host = a.getAddress().getHostAddress();
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
  }

  private void onIceState(IceState s) {
    switch (s) {
      case CONNECTED, COMPLETED -> {
        if (state == PeerConnectionState.FAILED && failureKey.startsWith("ice-")) {
          failureKey = null; // an ICE restart found a path again; DTLS never failed
          failureReason = null;
          setState(dtlsDone ? PeerConnectionState.COMPLETED : PeerConnectionState.CONNECTED);
        } else if (state == PeerConnectionState.CHECKING
            || state == PeerConnectionState.DISCONNECTED) {
          setState(dtlsDone ? PeerConnectionState.COMPLETED : PeerConnectionState.CONNECTED);
        }
      }
      case DISCONNECTED -> {
        if (state != PeerConnectionState.FAILED) {
          setState(PeerConnectionState.DISCONNECTED);
        }
      }
      case FAILED -> {
        if (failureKey == null) {
          boolean wasUp = dtlsStarted;
          failureKey = wasUp ? "ice-consent-lost" : "ice-failed";
          failureReason =
              wasUp
                  ? "ICE consent lost: the remote stopped answering on the selected pair"
                  : "ICE failed: no candidate pair succeeded" + credentialHint();
        }
        setState(PeerConnectionState.FAILED);
      }
      default -> {}
    }
  }

  /**
   * Why checks failed when the counters point at the credentials ({@link
   * PeerStats#credentialHint()}), as a clause to append; empty when they do not.
   */
  String credentialHint() {
    IceStats s = agent == null ? null : agent.stats();
    if (s == null) {
      return "";
    }
    String hint = PeerStats.credentialHint(s.unknownUfrag(), iceChecks(s));
    return hint.isEmpty() ? "" : "; " + hint;
  }

  private static PeerStats.IceChecks iceChecks(IceStats s) {
    return new PeerStats.IceChecks(
        s.checksSent(),
        s.checksRetransmitted(),
        s.checksReceived(),
        s.responsesReceived(),
        s.unauthorizedResponses(),
        s.badIntegrityChecks(),
        s.badIntegrityResponses());
  }

  private void onDtlsEvent(long now, DtlsEvent e) {
    if (e instanceof DtlsEvent.HandshakeComplete hc) {
      dtlsDone = true;
      media.start(
          now,
          hc.profile(),
          hc.keys().localKey(),
          hc.keys().localSalt(),
          hc.keys().remoteKey(),
          hc.keys().remoteSalt());
      if (state == PeerConnectionState.CONNECTED || state == PeerConnectionState.CHECKING) {
        setState(PeerConnectionState.COMPLETED);
      }
      if (sctp != null) {
        sctp.connect(now);
      }
    } else if (e instanceof DtlsEvent.ApplicationData ad) {
      if (sctp != null) {
        byte[] d = ad.data();
        sctp.handleReceive(now, d, 0, d.length);
      }
    } else if (e instanceof DtlsEvent.Failed f) {
      failureReason = f.reason();
      failureKey = "dtls-" + f.kind().name().toLowerCase(Locale.ROOT).replace('_', '-');
      log.log(System.Logger.Level.WARNING, "DTLS failed: " + f.reason());
      setState(PeerConnectionState.FAILED);
    } else if (e instanceof DtlsEvent.Closed c && c.byRemote()) {
      drainSctpEvents(); // what the remote sent before close_notify (stream resets, SHUTDOWN)
      close(now, false);
    }
  }

  private void onSctpEvent(SctpEvent e) {
    if (e instanceof SctpEvent.Connected) {
      sctpConnected = true;
    } else if (e instanceof SctpEvent.ChannelOpen open) {
      ChannelInfo info = open.info();
      DataChannel ch = channelById(info.streamId());
      if (ch == null) {
        ch = new DataChannel(channelOwner, info.label(), info.protocol(), info.streamId());
        channels.add(ch);
      }
      ch.markOpen();
      applyLowThreshold(ch);
      events.add(new PeerEvent.ChannelOpen(ch));
      flushUnsent();
    } else if (e instanceof SctpEvent.Message m) {
      DataChannel ch = channelById(m.streamId());
      if (ch != null) {
        ch.received(m.data().length);
        ByteBuffer buf = ByteBuffer.wrap(m.data()).asReadOnlyBuffer();
        events.add(new PeerEvent.ChannelMessage(ch, buf, m.binary()));
      }
    } else if (e instanceof SctpEvent.ChannelClosed c) {
      DataChannel ch = channelById(c.streamId());
      // When the whole association ended, the Closed or Aborted that follows closes the channel,
      // saying whether it was an error.
      if (ch != null && !sctp.isEnded()) {
        ch.markClosed();
        events.add(new PeerEvent.ChannelClosed(ch));
      }
    } else if (e instanceof SctpEvent.BufferedAmountLow low) {
      DataChannel ch = channelById(low.streamId());
      if (ch != null) {
        ch.associationHolds(sctp.bufferedAmount(ch.id()));
        events.add(new PeerEvent.BufferedAmountLow(ch));
      }
    } else if (e instanceof SctpEvent.Closed || e instanceof SctpEvent.Aborted) {
      String abort = e instanceof SctpEvent.Aborted a ? a.reason() : null;
      closeChannels(abort);
    }
  }

  private void closeChannels(String error) {
    for (DataChannel ch : channels) {
      if (!ch.isClosed()) {
        ch.markClosed();
        if (error != null) {
          events.add(new PeerEvent.ChannelError(ch, error));
        }
        events.add(new PeerEvent.ChannelClosed(ch));
      }
    }
  }

  private DataChannel channelById(int id) {
    for (DataChannel ch : channels) {
      if (ch.id() == id && !ch.isClosed()) {
        return ch;
      }
    }
    return null;
  }

  private void setState(PeerConnectionState s) {
    if (state == s || state == PeerConnectionState.CLOSED) {
      return;
    }
    state = s;
    log.log(System.Logger.Level.DEBUG, "state " + s);
    events.add(new PeerEvent.StateChanged(s));
  }

  // ---------------------------------------------------------------- state, stats, close

  /** Whether the DTLS handshake is under way, so its thread may still produce output. */
  boolean handshaking() {
    return dtlsStarted && !dtlsDone && dtls.state() == DtlsEndpoint.State.HANDSHAKING;
  }

  /** The connection state; any thread may read it. */
  public PeerConnectionState state() {
    return state;
  }

  /** Why the connection failed, in words, or null; {@link PeerStats#failure()} has the key. */
  public String failureReason() {
    return failureReason;
  }

  /** The connection's name (configured, or {@code pc-N}); its log lines start with it. */
  public String name() {
    return name;
  }

  /** The SHA-256 fingerprint of the core's DTLS certificate, as it appears in SDP. */
  public String fingerprint() {
    return localFingerprint.toString();
  }

  /** The fingerprint's first four bytes in hex, to tell connections apart in logs. */
  String shortFingerprint() {
    return java.util.HexFormat.of().formatHex(localFingerprint.value(), 0, 4);
  }

  /** A snapshot of the counters. */
  public PeerStats stats() {
    return stats(lastNowNanos, Map.of(), datagramsOut, datagramsIn);
  }

  /** The snapshot with a driver's own drops (socket errors, full queues) added. */
  PeerStats stats(long nowNanos, Map<String, Long> driverDropped, long sent, long received) {
    Map<String, Long> dropped = new LinkedHashMap<>();
    IceStats ice = agent == null ? null : agent.stats();
    if (ice != null) {
      put(dropped, "stun-bad-integrity", ice.badIntegrity());
      put(dropped, "stun-bad-fingerprint", ice.badFingerprint());
      put(dropped, "stun-unknown-transaction", ice.unknownTransaction());
      put(dropped, "stun-malformed", ice.malformed());
      put(dropped, "stun-unknown-ufrag", ice.unknownUfrag());
      put(dropped, "ice-unknown-source", ice.unknownSource());
      put(dropped, "mdns-unresolved", ice.unresolvedMdns());
    }
    if (dtls != null) {
      put(dropped, "dtls-malformed", dtls.malformedDatagrams());
      put(dropped, "dtls-forged-record", dtls.forgedRecords());
      put(dropped, "dtls-rejected-record", dtls.rejectedRecords());
      put(dropped, "dtls-late-handshake", dtls.lateHandshakeRecords());
      put(dropped, "dtls-queue-full", dtls.overflowDatagrams());
    }
    put(dropped, "before-negotiation", beforeNegotiation);
    put(dropped, "dtls-before-remote-description", dtlsBeforeRemote);
    put(dropped, "sctp-send-failed", sctpSendFailures);
    put(dropped, "data-channel-message-too-large", messagesTooLarge);
    put(dropped, "not-rfc7983", unknownDatagrams);
    put(dropped, "no-selected-pair", noPairDrops);
    put(dropped, "send-before-connected", notConnectedFrames);
    put(dropped, "audio-not-negotiated", audioNotNegotiated);
    put(dropped, "video-not-negotiated", videoNotNegotiated);
    PeerStats.TrackStats audio = PeerStats.TrackStats.EMPTY;
    PeerStats.TrackStats video = PeerStats.TrackStats.EMPTY;
    double rtt = Double.NaN;
    String profile = null;
    if (media != null) {
      put(dropped, "srtp-auth", media.srtpFailures());
      put(dropped, "srtp-protect-failed", media.protectFailures());
      put(dropped, "srtp-replay", media.replays());
      put(dropped, "rtp-duplicate", media.duplicates());
      put(dropped, "rtp-malformed", media.malformedRtp());
      put(dropped, "rtp-unknown-stream", media.unknownStream());
      put(dropped, "rtp-late", media.lateAudio() + media.lateVideo());
      put(dropped, "rtcp-malformed", media.malformedRtcp());
      put(dropped, "nack-unavailable", media.nackedPacketsUnavailable());
      audio =
          track(
              media.audioSent(),
              media.audioReceived(),
              media.audioStatistics(),
              remote.audio() == null ? 1 : remote.audio().clockRate(),
              media.remoteFractionLost(),
              media.audioNacksReceived(),
              0,
              media.audioDiscarded());
      video =
          track(
              media.videoSent(),
              media.videoReceived(),
              media.videoStatistics(),
              remote.video() == null ? 1 : remote.video().clockRate(),
              0,
              media.videoNacksReceived(),
              media.videoPacketsRetransmitted(),
              media.videoDiscarded());
      rtt = media.roundTripSeconds();
      profile = media.profile() == null ? null : media.profile().rfcName();
    }
    if (sctp != null) {
      SctpStats s = sctp.stats();
      put(dropped, "sctp-bad-checksum", s.badChecksum());
      put(dropped, "sctp-malformed", s.malformed());
      put(dropped, "sctp-bad-verification-tag", s.badVerificationTag());
      put(dropped, "sctp-bad-ports", s.badPorts());
    }
    for (Map.Entry<String, Long> e : driverDropped.entrySet()) {
      put(dropped, e.getKey(), e.getValue());
    }
    CandidatePair pair = agent == null ? null : agent.selectedPair();
    String pairText =
        pair == null
            ? null
            : pair.local().type().sdpName()
                + " "
                + pair.local().address()
                + " -> "
                + pair.remote().type().sdpName()
                + " "
                + pair.remote().address();
    boolean relayed =
        pair != null && (pair.isRelayed() || pair.remote().type() == CandidateType.RELAYED);
    PeerStats.CandidatePairStats pairStats = null;
    if (pair != null) {
      long iceRtt = agent.selectedRoundTripNanos();
      pairStats =
          new PeerStats.CandidatePairStats(
              pair.local().type().sdpName(),
              pair.local().address(),
              pair.remote().type().sdpName(),
              pair.remote().address(),
              relayed,
              iceRtt > 0 ? iceRtt / 1e9 : Double.NaN,
              relayProtocol(pair),
              pair.local().protocol(),
              pair.local().isTcp() ? pair.local().tcpType().sdpName() : null);
    }
    List<PeerStats.ChannelStats> channelStats = new ArrayList<>();
    for (DataChannel ch : channels) {
      channelStats.add(ch.stats());
    }
    return new PeerStats(
        state,
        audio,
        video,
        rtt,
        pairText,
        relayed,
        profile,
        sent,
        received,
        dropped,
        failureKey,
        nowNanos,
        pairStats,
        channelStats,
        ice == null ? new PeerStats.IceChecks(0, 0, 0, 0, 0, 0, 0) : iceChecks(ice),
        iceServerErrors);
  }

  private String relayProtocol(CandidatePair pair) {
    if (pair.local().type() != CandidateType.RELAYED) {
      return null;
    }
    if (agent.selectedFraming() == null) {
      return "udp";
    }
    IceServer s = streamServers.get(agent.selectedDestination());
    return s != null && s.isTls() ? "tls" : "tcp";
  }

  private static PeerStats.TrackStats track(
      MediaSession.Counters sent,
      MediaSession.Counters received,
      io.github.jpeer.rtp.ReceiverStatistics stats,
      int clockRate,
      double remoteFractionLost,
      long nacksReceived,
      long packetsRetransmitted,
      long packetsDiscarded) {
    return new PeerStats.TrackStats(
        sent.packets(),
        sent.bytes(),
        received.packets(),
        received.bytes(),
        stats == null ? 0 : Math.max(0, stats.cumulativeLost()),
        stats == null ? 0 : stats.jitter() / clockRate,
        remoteFractionLost,
        nacksReceived,
        packetsRetransmitted,
        packetsDiscarded);
  }

  private static void put(Map<String, Long> m, String key, long value) {
    if (value != 0) {
      m.merge(key, value, Long::sum);
    }
  }

  /**
   * Ends the connection: an RTCP BYE, SCTP stream resets and SHUTDOWN, DTLS close_notify and TURN
   * deallocation are queued for {@link #pollTransmit()}, in that order; every open channel closes
   * and the state becomes CLOSED. Idempotent. Poll the transmits before closing the sockets.
   */
  public void close(long nowNanos) {
    lastNowNanos = nowNanos;
    close(nowNanos, true);
  }

  /**
   * Ends the SCTP association as browsers do on close: one stream reset for every open channel, so
   * that the remote sees each channel close, then SHUTDOWN, all before DTLS close_notify. The close
   * does not wait for answers: SHUTDOWN goes out even with data in flight (see {@link
   * SctpAssociation#shutdownNow}); only data the congestion window never let out ends the
   * association with ABORT, since the remote would otherwise wait for it.
   */
  private void closeAssociation(long now) {
    sctp.closeAllChannels(now);
    for (byte[] p; (p = sctp.pollTransmit()) != null; ) {
      sendSctpPacket(p); // data still queued goes out first, then the stream resets
    }
    if (sctp.hasUnsentData()) {
      sctp.abort(now, "PeerConnection closed with data never sent");
    } else {
      sctp.shutdownNow(now);
    }
    for (byte[] p; (p = sctp.pollTransmit()) != null; ) {
      sendSctpPacket(p);
    }
  }

  private void close(long now, boolean sendGoodbyes) {
    if (state == PeerConnectionState.CLOSED) {
      return;
    }
    try {
      if (agent != null) {
        queueAgentTransmits(); // what the agent had to send goes before the goodbyes
      }
      if (sendGoodbyes && agent != null && agent.selectedPair() != null) {
        if (media != null) {
          media.sendBye();
          for (MediaTransmit t; (t = media.pollTransmit()) != null; ) {
            queueOnSelectedPair(t.data(), 0, t.length()); // what media still had, then the BYE
          }
        }
        if (sctp != null && sctpConnected) {
          closeAssociation(now);
        }
      }
      if (dtls != null) {
        dtls.close();
        // Wrapped now: the TURN allocation they may travel through ends next.
        for (byte[] record; (record = dtls.pollTransmit()) != null; ) {
          queueOnSelectedPair(record, 0, record.length);
        }
      }
      if (agent != null) {
        agent.close(now);
        queueAgentTransmits();
      }
    } finally {
      closeChannels(null);
      setState(PeerConnectionState.CLOSED);
    }
  }

  /** The local ICE ufrag of the current generation, or null before the agent starts. */
  public String localUfrag() {
    return agent == null ? null : agent.localCredentials().ufrag();
  }

  private void checkOpen(String method) {
    if (state == PeerConnectionState.CLOSED) {
      throw new IllegalStateException(method + "() on a closed PeerConnection: create a new one");
    }
  }

  @Override
  public String toString() {
    return "PeerCore[" + name + ", " + state.name().toLowerCase(Locale.ROOT) + "]";
  }
}
