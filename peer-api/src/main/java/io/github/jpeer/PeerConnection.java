package io.github.jpeer;

import io.github.jpeer.agent.CandidatePair;
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
import io.github.jpeer.internal.CallbackErrors;
import io.github.jpeer.internal.ConnectionLogger;
import io.github.jpeer.internal.FrameQueue;
import io.github.jpeer.internal.MdnsClient;
import io.github.jpeer.internal.MediaEvent;
import io.github.jpeer.internal.MediaSession;
import io.github.jpeer.internal.MediaTransmit;
import io.github.jpeer.internal.Negotiation;
import io.github.jpeer.internal.RemoteDescription;
import io.github.jpeer.internal.UdpTransport;
import io.github.jpeer.sctp.ChannelInfo;
import io.github.jpeer.sctp.DataChannelConfig;
import io.github.jpeer.sctp.SctpAssociation;
import io.github.jpeer.sctp.SctpConfig;
import io.github.jpeer.sctp.SctpEvent;
import io.github.jpeer.sdp.Candidate;
import io.github.jpeer.sdp.Fingerprint;
import io.github.jpeer.sdp.SessionDescription;
import io.github.jpeer.sdp.Setup;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.Selector;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

/**
 * A WebRTC peer connection: libpeer's {@code PeerConnection} in Java. It negotiates with SDP,
 * connects with ICE (STUN/TURN), secures media with DTLS-SRTP, and carries encoded audio, video and
 * data channel messages.
 *
 * <pre>{@code
 * PeerConfiguration config = PeerConfiguration.builder()
 *     .iceServer("stun:stun.example.org:3478")
 *     .audioCodec(MediaCodec.OPUS)
 *     .dataChannel(DataChannelType.STRING)
 *     .onAudioTrack((frame, rtpTimestamp) -> play(frame))
 *     .build();
 * try (PeerConnection pc = PeerConnection.create(config)) {
 *   pc.onIceConnectionStateChange(state -> System.out.println("state " + state));
 *   // The complete offer, once gathering ends. Callbacks must not block: post elsewhere.
 *   pc.onIceCandidate(offer -> answers.add(executor.submit(() -> signaling.post(offer))));
 *   DataChannel events = pc.createDataChannel("oai-events");
 *   pc.createOffer();
 *   while (pc.getState() != PeerConnectionState.CLOSED) {
 *     pc.loop();                       // every ~15 ms: does all the work, fires callbacks
 *     Future<String> answer = answers.peek();
 *     if (answer != null && answer.isDone()) {
 *       pc.setRemoteDescription(answers.poll().get(), SdpType.ANSWER);
 *     }
 *     pc.sendAudio(encoder.nextFrame()); // any thread
 *     Thread.sleep(15);
 *   }
 * }
 * }</pre>
 *
 * <h2>Threads</h2>
 *
 * A connection belongs to the thread that calls {@link #loop()}: that is where callbacks run and
 * where the control methods ({@code createOffer}, {@code setRemoteDescription}, {@code
 * addIceCandidate}, {@code createDataChannel}, {@code getStats}) must be called. {@link
 * #sendAudio}, {@link #sendVideo}, {@link DataChannel#send} and {@link #close()} may be called from
 * any thread; they are queued for the next {@code loop()}. {@link PeerLoop} runs the loop for many
 * connections on one thread and offers {@link PeerLoop#submit} for control calls.
 *
 * <h2>Errors</h2>
 *
 * Bad input from the network is counted (see {@link #getStats()}) and dropped: {@code loop()} never
 * throws for it. Misuse (a call in the wrong state, a malformed description handed in by the
 * application) throws {@link IllegalStateException} or {@link IllegalArgumentException} (an SDP
 * syntax error: {@code io.github.jpeer.sdp.SdpParseException}, naming the line).
 */
public final class PeerConnection implements AutoCloseable {
  private static final int MAX_PUMP_ROUNDS = 256;
  // DTLS datagrams are at most 1200 bytes (DtlsConfig default); an AEAD record costs 13 bytes of
  // header, 8 of explicit nonce and 16 of tag (GCM; ChaCha20 less). SCTP packets must fit in one
  // record, so the association's MTU stays below 1200 - 37 with room to spare.
  private static final int SCTP_MTU = 1150;
  // DTLS records that arrive before our endpoint exists (the remote's ClientHello can overtake
  // the answer on its way to the offerer): kept and replayed, at most this many.
  private static final int MAX_EARLY_DTLS = 16;
  // Room for a TURN header around a datagram; the buffer grows for a larger one than seen before.
  private static final int WRAP_OVERHEAD_BYTES = 64;

  private final PeerConfiguration config;
  private final NanoClock clock;
  private static final java.util.concurrent.atomic.AtomicLong CONNECTIONS =
      new java.util.concurrent.atomic.AtomicLong();

  private final String name;
  private final System.Logger log;
  private final SecureRandom secureRandom = new SecureRandom();
  private final long epochOffsetNanos;
  private final DtlsCertificate certificate;
  private final Fingerprint localFingerprint;
  private final UdpTransport transport;
  private final IceConfig iceConfig;
  private final long sessionId;
  private final long audioSsrc;
  private final long videoSsrc;
  private final String cname;

  private final FrameQueue audioQueue;
  private final FrameQueue videoQueue;
  private final ConcurrentLinkedQueue<Runnable> commands = new ConcurrentLinkedQueue<>();
  private byte[] sendBuffer = new byte[1500 + WRAP_OVERHEAD_BYTES];
  // Created once: a method reference or lambda evaluated in loop() would allocate every call.
  private final UdpTransport.Receiver onDatagram = this::onDatagram;
  private final UdpTransport.Receiver countOnly = (l, f, d, n) -> this.datagramsIn++;
  private final UdpTransport.Receiver onMdns = (l, f, d, n) -> this.mdns.handleReceive(d, n);

  private volatile Thread owner;
  private volatile PeerConnectionState state = PeerConnectionState.NEW;
  private volatile Runnable wakeup = () -> {};
  // Set by anything that produced work for the loop from outside it (the DTLS handshake thread,
  // queued sends, commands); PeerLoop drives a connection with this set even if no socket is
  // readable and no timer is due.
  private volatile boolean pendingWork;

  private IceAgent agent;
  private boolean offerer;
  private boolean localDescriptionMade;
  private long sessionVersion = 1;
  private RemoteDescription remote;
  private DtlsEndpoint dtls;
  private boolean dtlsStarted;
  private boolean dtlsDone;
  private MediaSession media;
  private SctpAssociation sctp;
  private boolean sctpConnected;
  private final List<DataChannel> channels = new ArrayList<>();
  private MdnsClient mdns;
  private UdpTransport mdnsSocket;
  private volatile UdpTransport mdnsListener;
  private int mdnsListenPort = MdnsClient.MDNS_IPV4.getPort();
  private Selector selector;
  // Where mDNS queries go: the standard group; tests point it at a responder on 127.0.0.1.
  private InetSocketAddress mdnsTarget = MdnsClient.MDNS_IPV4;
  private volatile java.util.function.Predicate<ByteBuffer> dropMediaTransmit;
  private String failureReason;
  private String failureKey;

  private Consumer<String> onIceCandidate;
  private Consumer<String> onLocalCandidate;
  private Consumer<PeerConnectionState> onStateChange;
  private PacketLossListener onPacketLoss;
  private DataChannelListener dataChannelListener;

  private long datagramsIn;
  private long noPairDrops;
  private long unknownDatagrams;
  // sendAudio/sendVideo may be called from any thread, so several may count at once
  private final java.util.concurrent.atomic.LongAdder notConnectedFrames =
      new java.util.concurrent.atomic.LongAdder();
  private long dtlsBeforeRemote;
  private long sctpSendFailures;
  private final List<byte[]> earlyDtls = new ArrayList<>();
  private int announcedCandidates;
  private boolean localDescriptionAnnounced;

  private PeerConnection(PeerConfiguration config) {
    this.config = config;
    this.clock = config.clock();
    this.name = config.name() != null ? config.name() : "pc-" + CONNECTIONS.incrementAndGet();
    this.log = ConnectionLogger.of(config.loggerName(), name);
    long now = clock.nanoTime();
    this.epochOffsetNanos = System.currentTimeMillis() * 1_000_000L - now;
    long nowMillis = System.currentTimeMillis();
    // Valid from a day ago (clock skew) for 30 days: WebRTC trusts the fingerprint, not dates.
    this.certificate =
        DtlsCertificate.generate(
            DtlsCertificate.KeyType.ECDSA_P256,
            secureRandom,
            nowMillis - 86_400_000L,
            nowMillis + 30L * 86_400_000L);
    this.localFingerprint = Fingerprint.parse(certificate.fingerprint().format());
    List<InetAddress> addresses =
        config.bindAddresses().isEmpty()
            ? UdpTransport.interfaceAddresses(config.includeLoopback())
            : config.bindAddresses();
    this.transport = UdpTransport.open(addresses, config.minPort(), config.maxPort());
    this.iceConfig = iceConfig(config);
    this.sessionId = 1 + (config.random().nextLong() >>> 2);
    this.audioSsrc = ssrc(config);
    long v = ssrc(config);
    this.videoSsrc = v == audioSsrc ? (v ^ 1) : v;
    this.cname = randomToken(16);
    this.audioQueue = config.audioCodec() != MediaCodec.NONE ? new FrameQueue(32, 1500) : null;
    // 8 access units (about 270 ms at 30 fps) ride out a loop thread stalled by a loaded machine;
    // slots grow to the frames they carry, so the room costs nothing until it is used.
    this.videoQueue = config.videoCodec() != MediaCodec.NONE ? new FrameQueue(8, 1 << 20) : null;
  }

  /**
   * Makes a connection: binds its UDP sockets and generates its DTLS certificate.
   *
   * @throws java.io.UncheckedIOException if no local address can be bound
   */
  public static PeerConnection create(PeerConfiguration config) {
    return new PeerConnection(config);
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
        // Control plane, once per connection: a blocking DNS lookup is acceptable here.
        address = InetAddress.getByName(s.host());
      } catch (UnknownHostException e) {
        log.log(System.Logger.Level.WARNING, "ICE server " + s + ": unknown host; skipped");
        continue;
      }
      InetSocketAddress a = new InetSocketAddress(address, s.port());
      if (s.isTurn()) {
        b.turnServer(new TurnServer(a, s.username(), s.credential()));
      } else {
        b.stunServer(a);
      }
    }
    b.mdnsResolver(this::resolveMdns);
    b.logger(log);
    return b.build();
  }

  private java.util.concurrent.CompletionStage<InetAddress> resolveMdns(String hostname) {
    if (mdns == null) {
      mdns = new MdnsClient(mdnsTarget, log);
      try {
        mdnsSocket = UdpTransport.open(List.of(InetAddress.getByAddress(new byte[4])), 0, 0);
      } catch (UnknownHostException | RuntimeException e) {
        log.log(System.Logger.Level.WARNING, "cannot open the mDNS socket: " + e.getMessage());
        return java.util.concurrent.CompletableFuture.completedFuture(null);
      }
      if (mdnsListenPort >= 0) {
        try {
          mdnsListener =
              UdpTransport.openMulticastListener(MdnsClient.MDNS_IPV4.getAddress(), mdnsListenPort);
        } catch (RuntimeException e) {
          // Unicast answers still arrive on mdnsSocket; only group-only responders are missed.
          log.log(
              System.Logger.Level.DEBUG,
              "not listening for multicast mDNS answers: " + e.getMessage());
        }
      }
      if (selector != null) {
        mdnsSocket.register(selector, this);
        if (mdnsListener != null) {
          mdnsListener.register(selector, this);
        }
      }
    }
    return mdns.resolve(clock.nanoTime(), hostname);
  }

  // ---------------------------------------------------------------- signaling

  /**
   * Creates an offer and starts gathering candidates. The returned description holds the host
   * candidates; the complete one (with server-reflexive and relayed candidates) goes to {@link
   * #onIceCandidate} when gathering ends, which is what an HTTP signaling app (WHIP, OpenAI
   * Realtime) posts.
   *
   * @throws IllegalStateException if a remote description was already applied
   */
  public String createOffer() {
    checkThread("createOffer");
    checkOpen("createOffer");
    if (remote != null) {
      throw new IllegalStateException(
          "createOffer after setRemoteDescription: this connection already negotiated; make a"
              + " new PeerConnection to start over");
    }
    offerer = true;
    startAgent(true);
    wakeup.run(); // gathering timers
    localDescriptionMade = true;
    announceIfGathered();
    return localDescription();
  }

  /**
   * Creates the answer to the offer given to {@link #setRemoteDescription}.
   *
   * @throws IllegalStateException if no remote offer was applied
   */
  public String createAnswer() {
    checkThread("createAnswer");
    checkOpen("createAnswer");
    if (remote == null || offerer) {
      throw new IllegalStateException(
          "createAnswer needs the remote offer first: call setRemoteDescription(offer,"
              + " SdpType.OFFER)");
    }
    localDescriptionMade = true;
    announceIfGathered();
    return localDescription();
  }

  /**
   * Gathering can end before there is a local description (no STUN/TURN servers: host candidates
   * only): then onIceCandidate fires from the next loop(), as libpeer's does.
   */
  private void announceIfGathered() {
    // Candidates gathered before there was a local description (host ones, at once) go to
    // onLocalCandidate from the next loop(), like those gathered later.
    command(this::announceNewCandidates);
    if (agent.isGatheringComplete()) {
      command(this::announceLocalDescription);
    }
  }

  private void announceLocalDescription() {
    Consumer<String> l = onIceCandidate;
    if (l != null
        && localDescriptionMade
        && !localDescriptionAnnounced
        && state != PeerConnectionState.CLOSED) {
      localDescriptionAnnounced = true;
      String sdp = localDescription();
      fire("onIceCandidate", () -> l.accept(sdp));
    }
  }

  /** Hands every local candidate not yet announced to onLocalCandidate, in gathering order. */
  private void announceNewCandidates() {
    if (!localDescriptionMade || agent == null) {
      return;
    }
    List<IceCandidate> all = agent.localCandidates();
    Consumer<String> l = onLocalCandidate;
    while (announcedCandidates < all.size()) {
      String line = "candidate:" + all.get(announcedCandidates++).toSdpValue();
      if (l != null) {
        fire("onLocalCandidate", () -> l.accept(line));
      }
    }
  }

  /**
   * The current local description (offer or answer) with every candidate gathered so far, or null
   * before {@link #createOffer}/{@link #createAnswer}.
   */
  public String localDescription() {
    checkThread("localDescription");
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
            agent.isGatheringComplete());
    SessionDescription sd =
        offerer ? Negotiation.offer(config, local) : Negotiation.answer(config, local, remote);
    return sd.write();
  }

  /**
   * Applies the remote side's offer or answer: ICE credentials and candidates, the DTLS fingerprint
   * and role, codecs and payload types. Checks start at once.
   *
   * @throws io.github.jpeer.sdp.SdpParseException if {@code sdp} is not valid SDP (the message
   *     names the line)
   * @throws IllegalArgumentException if it lacks what WebRTC needs (the message says what)
   * @throws IllegalStateException if it comes at the wrong moment (an answer without our offer, a
   *     second remote description)
   */
  public void setRemoteDescription(String sdp, SdpType type) {
    checkThread("setRemoteDescription");
    checkOpen("setRemoteDescription");
    if (remote != null) {
      throw new IllegalStateException(
          "a remote description is already set; renegotiation is not supported: make a new"
              + " PeerConnection");
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
    long now = clock.nanoTime();
    if (type == SdpType.OFFER) {
      startAgent(false);
    }
    remote = r;
    agent.setRemoteCredentials(new IceCredentials(r.iceUfrag(), r.icePwd()));
    if (r.iceLite()) {
      agent.setRemoteIceLite(true);
    }
    for (Candidate c : r.candidates()) {
      addRemoteCandidate(now, c);
    }
    // Our DTLS role: the one our answer takes, or the opposite of what the remote answered.
    Setup ours = type == SdpType.OFFER ? r.setup().answerFor() : opposite(r.setup());
    DtlsRole role = ours == Setup.ACTIVE ? DtlsRole.CLIENT : DtlsRole.SERVER;
    DtlsConfig.Builder dtlsConfig = DtlsConfig.builder(role, certificate);
    // Every fingerprint counts (RFC 8122 section 5): the certificate must match one of them.
    for (io.github.jpeer.dtls.Fingerprint f : dtlsFingerprints(r)) {
      dtlsConfig.remoteFingerprint(f);
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
            now,
            epochOffsetNanos,
            log);
    for (byte[] early : earlyDtls) {
      dtls.handleReceive(now, early, 0, early.length); // kept until it has somewhere to go
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
        openOnAssociation(now, ch, pendingInits.remove(ch));
      }
    }
    setState(PeerConnectionState.CHECKING);
    pump(now);
    wakeup.run(); // timers armed outside loop(): a PeerLoop must look at this connection again
  }

  /**
   * The remote's fingerprints that DTLS can check; those with a hash function jpeer does not
   * support are left out (another one of the list may still match).
   *
   * @throws IllegalArgumentException if none is usable
   */
  private static List<io.github.jpeer.dtls.Fingerprint> dtlsFingerprints(RemoteDescription r) {
    List<io.github.jpeer.dtls.Fingerprint> out = new ArrayList<>();
    for (var f : r.fingerprints()) {
      if (io.github.jpeer.dtls.Fingerprint.isSupported(f.algorithm())) {
        out.add(io.github.jpeer.dtls.Fingerprint.parse(f.toString()));
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException(
          "none of the remote description's a=fingerprint hash functions is supported: "
              + r.fingerprints()
              + "; jpeer checks sha-1, sha-256, sha-384 and sha-512");
    }
    return out;
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
  public void addIceCandidate(String candidateLine) {
    checkThread("addIceCandidate");
    checkOpen("addIceCandidate");
    if (remote == null) {
      throw new IllegalStateException(
          "addIceCandidate before setRemoteDescription: apply the remote description first");
    }
    String line = candidateLine == null ? "" : candidateLine.strip();
    if (line.startsWith("a=")) {
      line = line.substring(2);
    }
    long now = clock.nanoTime();
    if (line.isEmpty() || line.equals("end-of-candidates")) {
      agent.endOfRemoteCandidates();
    } else {
      addRemoteCandidate(now, Negotiation.parseCandidate(line));
    }
    pump(now);
    wakeup.run(); // new pairs mean new check timers
  }

  private void addRemoteCandidate(long now, Candidate c) {
    if (!c.isUdp() || c.component() != 1) {
      return; // ICE-TCP and RTCP components are not used: one UDP transport with rtcp-mux
    }
    try {
      agent.addRemoteCandidate(now, IceCandidate.parse(c.toString()));
    } catch (IllegalArgumentException e) {
      log.log(System.Logger.Level.DEBUG, "remote candidate ignored: " + e.getMessage());
    }
  }

  private void startAgent(boolean controlling) {
    agent = new IceAgent(iceConfig, controlling, secureRandom);
    agent.gather(clock.nanoTime(), transport.localAddresses());
    drainAgentEvents(); // host candidates are known at once
  }

  // ---------------------------------------------------------------- callbacks

  /**
   * libpeer's {@code onicecandidate}: called once, when gathering has finished, with the complete
   * local description (all candidates, {@code a=end-of-candidates}).
   */
  public void onIceCandidate(Consumer<String> listener) {
    this.onIceCandidate = listener;
  }

  /** Trickle ICE: called with each local candidate line ({@code candidate:...}) as gathered. */
  public void onLocalCandidate(Consumer<String> listener) {
    this.onLocalCandidate = listener;
  }

  /** Called with each state change, in libpeer's order. */
  public void onIceConnectionStateChange(Consumer<PeerConnectionState> listener) {
    this.onStateChange = listener;
  }

  /** Called with the remote's reports of our packet loss. */
  public void onReceiverPacketLoss(PacketLossListener listener) {
    this.onPacketLoss = listener;
  }

  /** Receives the events of every data channel, ours and the remote's. */
  public void onDataChannel(DataChannelListener listener) {
    this.dataChannelListener = listener;
  }

  /**
   * libpeer's {@code ondatachannel(onmessage, onopen, onclose)} with Java types; any may be null.
   */
  public void onDataChannel(
      DataChannelMessageListener onMessage,
      Consumer<DataChannel> onOpen,
      Consumer<DataChannel> onClose) {
    this.dataChannelListener =
        new DataChannelListener() {
          @Override
          public void onOpen(DataChannel channel) {
            if (onOpen != null) {
              onOpen.accept(channel);
            }
          }

          @Override
          public void onMessage(DataChannel channel, ByteBuffer message, boolean binary) {
            if (onMessage != null) {
              onMessage.onMessage(channel, message, binary);
            }
          }

          @Override
          public void onClose(DataChannel channel) {
            if (onClose != null) {
              onClose.accept(channel);
            }
          }
        };
  }

  /**
   * A message handler for {@link #onDataChannel(DataChannelMessageListener, Consumer, Consumer)}.
   */
  @FunctionalInterface
  public interface DataChannelMessageListener {
    /** A message arrived; the buffer is valid only during the call. */
    void onMessage(DataChannel channel, ByteBuffer message, boolean binary);
  }

  // ---------------------------------------------------------------- data channels

  private final Map<DataChannel, DataChannelInit> pendingInits = new LinkedHashMap<>();

  /** Opens a reliable, ordered data channel labelled {@code label}. */
  public DataChannel createDataChannel(String label) {
    return createDataChannel(label, DataChannelInit.RELIABLE);
  }

  /**
   * Opens a data channel. Before the remote description it is created when the association comes
   * up; its {@link DataChannel#id()} is known once the DTLS role is.
   *
   * @throws IllegalStateException if the configuration has no data channel
   */
  public DataChannel createDataChannel(String label, DataChannelInit init) {
    checkThread("createDataChannel");
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
    DataChannel ch = new DataChannel(this, label, init.protocol(), init.negotiatedId());
    channels.add(ch);
    if (sctp != null) {
      openOnAssociation(clock.nanoTime(), ch, init);
      pump(clock.nanoTime());
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

  /** The channel labelled {@code label}, if there is one. */
  public Optional<DataChannel> dataChannel(String label) {
    for (DataChannel ch : channels) {
      if (ch.label().equals(label) && !ch.isClosed()) {
        return Optional.of(ch);
      }
    }
    return Optional.empty();
  }

  /** The channel with stream id {@code id}, if there is one. */
  public Optional<DataChannel> dataChannel(int id) {
    for (DataChannel ch : channels) {
      if (ch.id() == id && !ch.isClosed()) {
        return Optional.of(ch);
      }
    }
    return Optional.empty();
  }

  /**
   * libpeer's {@code datachannel_send}: sends on the first open channel, as a string or binary
   * message as the configuration's {@link DataChannelType} says.
   *
   * @return false if no channel is open
   */
  public boolean sendDataChannel(byte[] message) {
    for (DataChannel ch : channels) {
      if (ch.isOpen()) {
        queueChannelSend(ch, message.clone(), config.dataChannel() == DataChannelType.BINARY);
        return true;
      }
    }
    return false;
  }

  /** Sends a UTF-8 string on the first open channel; false if none is open. */
  public boolean sendDataChannel(String message) {
    for (DataChannel ch : channels) {
      if (ch.isOpen()) {
        ch.send(message);
        return true;
      }
    }
    return false;
  }

  /** libpeer's {@code datachannel_send_sid}: sends on the channel with stream id {@code id}. */
  public boolean sendDataChannel(int id, byte[] message) {
    Optional<DataChannel> ch = dataChannel(id);
    ch.ifPresent(
        c -> queueChannelSend(c, message.clone(), config.dataChannel() == DataChannelType.BINARY));
    return ch.isPresent();
  }

  void queueChannelSend(DataChannel ch, byte[] message, boolean binary) {
    if (ch.isClosed()) {
      throw new IllegalStateException(ch + " is closed: open a new channel");
    }
    long limit = remote != null && remote.data() != null ? remote.data().maxMessageSize() : 0;
    if (limit > 0 && message.length > limit) {
      throw new IllegalArgumentException(
          "message of "
              + message.length
              + " bytes is larger than the remote accepts ("
              + limit
              + " bytes, its max-message-size)");
    }
    ch.addBufferedAmount(message.length); // W3C: bufferedAmount grows when send() returns
    command(() -> sendOnChannel(ch, message, binary));
  }

  void queueChannelClose(DataChannel ch) {
    command(
        () -> {
          if (sctp != null && ch.id() >= 0 && !ch.isClosed()) {
            sctp.closeChannel(clock.nanoTime(), ch.id());
          }
        });
  }

  private final List<Object[]> unsentMessages = new ArrayList<>();

  private void sendOnChannel(DataChannel ch, byte[] message, boolean binary) {
    if (sctp == null || !ch.isOpen()) {
      unsentMessages.add(new Object[] {ch, message, binary}); // sent when the channel opens
      return;
    }
    try {
      sctp.send(clock.nanoTime(), ch.id(), message, binary);
      ch.handedToAssociation(message.length);
    } catch (IllegalStateException | IllegalArgumentException e) {
      ch.addBufferedAmount(-message.length);
      log.log(System.Logger.Level.WARNING, "data channel " + ch.label() + ": " + e.getMessage());
    }
  }

  private void flushUnsent() {
    if (unsentMessages.isEmpty()) {
      return;
    }
    List<Object[]> retry = new ArrayList<>(unsentMessages);
    unsentMessages.clear();
    for (Object[] m : retry) {
      DataChannel ch = (DataChannel) m[0];
      if (ch.isOpen()) {
        sendOnChannel(ch, (byte[]) m[1], (Boolean) m[2]);
      } else if (!ch.isClosed()) {
        unsentMessages.add(m);
      }
    }
  }

  private void command(Runnable r) {
    commands.add(r);
    wakeup.run();
  }

  // ---------------------------------------------------------------- media

  /**
   * Sends one encoded audio frame (an Opus packet, or G.711 bytes). Its duration comes from the
   * Opus TOC byte or the G.711 length, so the RTP timestamp advances correctly for any frame size.
   * May be called from any thread; the frame is copied and sent by the next {@code loop()}.
   *
   * @return false if the frame was dropped (not connected yet, or the queue is full)
   */
  public boolean sendAudio(ByteBuffer frame) {
    return admit(audioQueue, NO_AUDIO) && queued(audioQueue.offer(frame, -1));
  }

  /** Sends one encoded audio frame; see {@link #sendAudio(ByteBuffer)}. */
  public boolean sendAudio(byte[] frame) {
    return sendAudio(frame, 0, frame.length);
  }

  /**
   * Sends {@code frame[offset, offset+length)} as one encoded audio frame, without allocating; see
   * {@link #sendAudio(ByteBuffer)}.
   */
  public boolean sendAudio(byte[] frame, int offset, int length) {
    return admit(audioQueue, NO_AUDIO) && queued(audioQueue.offer(frame, offset, length, -1));
  }

  /**
   * Sends one H.264 access unit in Annex-B form (start codes), fragmented with FU-A/STAP-A. May be
   * called from any thread.
   *
   * @return false if dropped (not connected yet, or the queue is full)
   */
  public boolean sendVideo(ByteBuffer accessUnit) {
    return admit(videoQueue, NO_VIDEO) && queued(videoQueue.offer(accessUnit, -1));
  }

  /** Sends one H.264 access unit; see {@link #sendVideo(ByteBuffer)}. */
  public boolean sendVideo(byte[] accessUnit) {
    return admit(videoQueue, NO_VIDEO)
        && queued(videoQueue.offer(accessUnit, 0, accessUnit.length, -1));
  }

  private static final String NO_AUDIO =
      "this connection has no audio: configure audioCodec(MediaCodec.OPUS/PCMA/PCMU)";
  private static final String NO_VIDEO =
      "this connection has no video: configure videoCodec(MediaCodec.H264)";

  /** Whether a frame may go into {@code queue} now; misuse throws, not-yet-connected counts. */
  private boolean admit(FrameQueue queue, String notConfigured) {
    if (queue == null) {
      throw new IllegalStateException(notConfigured);
    }
    if (state != PeerConnectionState.COMPLETED) {
      notConnectedFrames.increment();
      return false;
    }
    return true;
  }

  /** Wakes the loop for a queued frame; returns whether the queue took it. */
  private boolean queued(boolean taken) {
    wakeup.run();
    return taken;
  }

  // ---------------------------------------------------------------- the loop

  /**
   * Does all the work that is due: reads every waiting datagram, runs the timers, sends what the
   * protocols produce, and fires callbacks, on the calling thread. Returns quickly; never throws
   * for bad network input. Call it every ~15 ms (libpeer's rhythm), or let a {@link PeerLoop} call
   * it as soon as something arrives.
   */
  public void loop() {
    Thread me = Thread.currentThread();
    if (owner == null) {
      owner = me;
    } else if (owner != me) {
      throw new IllegalStateException(
          "loop() called from "
              + me.getName()
              + " but this connection belongs to "
              + owner.getName()
              + ": call loop() from one thread only (or use PeerLoop)");
    }
    if (state == PeerConnectionState.CLOSED) {
      return;
    }
    pendingWork = false;
    long now = clock.nanoTime();
    for (Runnable r; (r = commands.poll()) != null; ) {
      r.run();
      if (state == PeerConnectionState.CLOSED) {
        return;
      }
    }
    // Before an offer or answer nothing can use a datagram: count and drop it.
    transport.drain(agent != null ? onDatagram : countOnly);
    if (!transport.drainedAll()) {
      pendingWork = true; // the socket's budget ran out: come back after the other connections
    }
    if (mdnsSocket != null) {
      mdnsSocket.drain(onMdns);
    }
    if (mdnsListener != null) {
      mdnsListener.drain(onMdns);
    }
    runTimers(now);
    pump(now);
    if (sctp != null) {
      for (int i = 0; i < channels.size(); i++) { // what SCTP sent leaves bufferedAmount
        DataChannel ch = channels.get(i);
        if (ch.id() >= 0 && !ch.isClosed()) { // a closed channel's id may be someone else's now
          ch.associationHolds(sctp.bufferedAmount(ch.id()));
        }
      }
    }
  }

  private void onDatagram(InetSocketAddress local, InetSocketAddress from, byte[] data, int len) {
    datagramsIn++;
    long now = clock.nanoTime();
    Received r = agent.handleReceive(now, local, from, data, 0, len);
    if (!r.isApplicationData()) {
      return;
    }
    byte[] d = r.data();
    int off = r.offset();
    int n = r.length();
    if (n < 1) {
      unknownDatagrams++;
      return;
    }
    int first = d[off] & 0xff;
    if (first >= 20 && first <= 63) {
      if (dtls == null) {
        if (earlyDtls.size() < MAX_EARLY_DTLS) {
          earlyDtls.add(java.util.Arrays.copyOfRange(d, off, off + n));
        } else {
          dtlsBeforeRemote++;
        }
      } else {
        dtls.handleReceive(now, d, off, n);
      }
    } else if (first >= 128 && first <= 191 && media != null) {
      if (MediaSession.isRtcp(d, off, n)) {
        media.onRtcp(now, d, off, n);
      } else {
        media.onRtp(now, d, off, n);
      }
      drainMedia();
    } else {
      unknownDatagrams++; // RFC 7983: nothing else belongs on this socket
    }
  }

  private void runTimers(long now) {
    if (agent != null && now >= agent.pollTimeoutNanos()) {
      agent.handleTimeout(now);
    }
    if (dtls != null && now >= dtls.pollTimeoutNanos()) {
      if (media != null && media.remoteAuthenticated()) {
        dtls.confirmRemoteFinished(); // its SRTP proves it has our handshake's keys
      }
      dtls.handleTimeout(now);
    }
    if (sctp != null && now >= sctp.pollTimeoutNanos()) {
      sctp.handleTimeout(now);
    }
    if (media != null && now >= media.pollTimeoutNanos()) {
      media.handleTimeout(now);
      drainMedia();
    }
    if (mdns != null && now >= mdns.pollTimeoutNanos()) {
      mdns.handleTimeout(now);
    }
  }

  /** Moves everything the cores produced until nothing is left (bounded). */
  private void pump(long now) {
    for (int round = 0; round < MAX_PUMP_ROUNDS; round++) {
      boolean moved = false;
      if (agent != null) {
        for (Transmit t; (t = agent.pollTransmit()) != null; ) {
          transport.send(t.local(), t.destination(), t.data(), 0, t.length());
          moved = true;
        }
        moved |= drainAgentEvents();
      }
      if (dtls != null) {
        for (byte[] record; (record = dtls.pollTransmit()) != null; ) {
          sendOnSelectedPair(record, 0, record.length);
          moved = true;
        }
        for (DtlsEvent e; (e = dtls.pollEvent()) != null; ) {
          onDtlsEvent(now, e);
          moved = true;
        }
      }
      moved |= drainSctp();
      if (media != null && media.started()) {
        moved |= sendQueuedMedia(now);
      }
      if (mdns != null) {
        for (byte[] q; (q = mdns.pollTransmit()) != null; ) {
          mdnsSocket.send(null, mdns.target(), q, 0, q.length);
        }
      }
      if (state == PeerConnectionState.CLOSED || !moved) {
        return;
      }
    }
  }

  /** Sends what SCTP has to send and dispatches its events; true if anything moved. */
  private boolean drainSctp() {
    boolean moved = false;
    if (sctp != null && dtlsDone) {
      for (byte[] packet; (packet = sctp.pollTransmit()) != null; ) {
        sendSctpPacket(packet);
        moved = true;
      }
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
      // packet is lost like any datagram and SCTP retransmits: never an exception out of loop().
      sctpSendFailures++;
      log.log(System.Logger.Level.DEBUG, "SCTP packet not sent: " + e.getMessage());
    }
  }

  private boolean sendQueuedMedia(long now) {
    boolean moved = false;
    if (audioQueue != null) {
      for (FrameQueue.Slot s; (s = audioQueue.poll()) != null; ) {
        media.sendAudio(now, s.data(), s.length());
        audioQueue.release(s);
        drainMedia();
        moved = true;
      }
    }
    if (videoQueue != null) {
      for (FrameQueue.Slot s; (s = videoQueue.poll()) != null; ) {
        media.sendVideo(now, s.data(), s.length());
        videoQueue.release(s);
        drainMedia();
        moved = true;
      }
    }
    return moved;
  }

  /**
   * Sends the packets the media session queued and hands its events to the application (its frame
   * listeners, onReceiverPacketLoss, onRequestKeyframe); called after every media call.
   */
  private void drainMedia() {
    for (MediaTransmit t; (t = media.pollTransmit()) != null; ) {
      java.util.function.Predicate<ByteBuffer> drop = dropMediaTransmit;
      if (drop == null || !drop.test(ByteBuffer.wrap(t.data(), 0, t.length()).asReadOnlyBuffer())) {
        sendOnSelectedPair(t.data(), 0, t.length());
      }
    }
    for (MediaEvent e; (e = media.pollEvent()) != null; ) {
      onMediaEvent(e);
    }
  }

  private void onMediaEvent(MediaEvent e) {
    try {
      switch (e.kind()) {
        case AUDIO_FRAME -> {
          if (config.onAudioTrack() != null) {
            config.onAudioTrack().onFrame(e.frame(), e.rtpTimestamp());
          }
        }
        case VIDEO_FRAME -> {
          if (config.onVideoTrack() != null) {
            config.onVideoTrack().onFrame(e.frame(), e.rtpTimestamp());
          }
        }
        case KEYFRAME_REQUEST -> {
          if (config.onRequestKeyframe() != null) {
            config.onRequestKeyframe().run();
          }
        }
        case PACKET_LOSS -> {
          if (onPacketLoss != null) {
            onPacketLoss.onPacketLoss(e.fractionLost(), e.totalLost());
          }
        }
      }
    } catch (RuntimeException ex) {
      String callback =
          switch (e.kind()) {
            case AUDIO_FRAME, VIDEO_FRAME -> "onAudioTrack/onVideoTrack";
            case KEYFRAME_REQUEST -> "onRequestKeyframe";
            case PACKET_LOSS -> "onReceiverPacketLoss";
          };
      CallbackErrors.report(log, callback, ex);
    }
  }

  private void sendOnSelectedPair(byte[] data, int offset, int length) {
    if (sendBuffer.length < length + WRAP_OVERHEAD_BYTES) {
      sendBuffer = new byte[length + WRAP_OVERHEAD_BYTES];
    }
    int n = agent.wrapForSelectedPair(data, offset, length, sendBuffer, 0);
    if (n < 0) {
      noPairDrops++;
      return;
    }
    transport.send(agent.selectedSocket(), agent.selectedDestination(), sendBuffer, 0, n);
  }

  private boolean drainAgentEvents() {
    boolean any = false;
    for (IceEvent e; (e = agent.pollEvent()) != null; ) {
      any = true;
      if (e instanceof IceEvent.LocalCandidate) {
        announceNewCandidates();
      } else if (e instanceof IceEvent.GatheringComplete) {
        announceLocalDescription();
      } else if (e instanceof IceEvent.StateChanged sc) {
        onIceState(sc.state());
      } else if (e instanceof IceEvent.SelectedPairChanged sp && sp.pair() != null) {
        if (dtls != null && !dtlsStarted) {
          dtlsStarted = true;
          // The first retransmission follows the path's round trip, not a fixed second.
          dtls.start(clock.nanoTime(), agent.selectedRoundTripNanos());
        }
      }
    }
    return any;
  }

  private void onIceState(IceState s) {
    switch (s) {
      case CONNECTED, COMPLETED -> {
        if (state == PeerConnectionState.CHECKING || state == PeerConnectionState.DISCONNECTED) {
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
                  : "ICE failed: no candidate pair succeeded";
        }
        setState(PeerConnectionState.FAILED);
      }
      default -> {}
    }
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
      failureKey = "dtls-" + f.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
      log.log(System.Logger.Level.WARNING, "DTLS failed: " + f.reason());
      setState(PeerConnectionState.FAILED);
    } else if (e instanceof DtlsEvent.Closed c && c.byRemote()) {
      drainSctp(); // what the remote sent before close_notify (stream resets, SHUTDOWN) first
      closeInternal(false);
    }
  }

  private void onSctpEvent(SctpEvent e) {
    if (e instanceof SctpEvent.Connected) {
      sctpConnected = true;
    } else if (e instanceof SctpEvent.ChannelOpen open) {
      ChannelInfo info = open.info();
      DataChannel ch = channelById(info.streamId());
      if (ch == null) {
        ch = new DataChannel(this, info.label(), info.protocol(), info.streamId());
        channels.add(ch);
      }
      ch.markOpen();
      DataChannel opened = ch;
      fireChannel("onOpen", l -> l.onOpen(opened));
      flushUnsent();
    } else if (e instanceof SctpEvent.Message m) {
      DataChannel ch = channelById(m.streamId());
      if (ch != null) {
        ByteBuffer buf = ByteBuffer.wrap(m.data()).asReadOnlyBuffer();
        fireChannel("onMessage", l -> l.onMessage(ch, buf, m.binary()));
      }
    } else if (e instanceof SctpEvent.ChannelClosed c) {
      DataChannel ch = channelById(c.streamId());
      // When the whole association ended, the Closed or Aborted that follows closes the channel,
      // saying whether it was an error.
      if (ch != null && !sctp.isEnded()) {
        ch.markClosed();
        fireChannel("onClose", l -> l.onClose(ch));
      }
    } else if (e instanceof SctpEvent.BufferedAmountLow low) {
      DataChannel ch = channelById(low.streamId());
      if (ch != null) {
        ch.associationHolds(sctp.bufferedAmount(ch.id()));
        fireChannel("onBufferedAmountLow", l -> l.onBufferedAmountLow(ch));
      }
    } else if (e instanceof SctpEvent.Closed || e instanceof SctpEvent.Aborted) {
      String abort = e instanceof SctpEvent.Aborted a ? a.reason() : null;
      for (DataChannel ch : channels) {
        if (!ch.isClosed()) {
          ch.markClosed();
          if (abort != null) {
            fireChannel("onError", l -> l.onError(ch, abort));
          }
          fireChannel("onClose", l -> l.onClose(ch));
        }
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

  private void fireChannel(String name, Consumer<DataChannelListener> call) {
    DataChannelListener l = dataChannelListener;
    if (l != null) {
      fire(name, () -> call.accept(l));
    }
  }

  private void fire(String callback, Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      CallbackErrors.report(log, callback, e);
    }
  }

  private void setState(PeerConnectionState s) {
    if (state == s || state == PeerConnectionState.CLOSED) {
      return;
    }
    state = s;
    log.log(System.Logger.Level.DEBUG, "state " + s);
    Consumer<PeerConnectionState> l = onStateChange;
    if (l != null) {
      fire("onIceConnectionStateChange", () -> l.accept(s));
    }
  }

  // ---------------------------------------------------------------- state, stats, close

  /** The connection state. Any thread. */
  public PeerConnectionState getState() {
    return state;
  }

  /**
   * Why the connection failed, in words (which DTLS alert, whose fingerprint, which timeout, or
   * that ICE failed), or null; {@link PeerStats#failure()} has it as a key to count.
   */
  public String failureReason() {
    return failureReason;
  }

  /** A snapshot of the counters. */
  public PeerStats getStats() {
    checkThread("getStats");
    Map<String, Long> dropped = new LinkedHashMap<>();
    if (agent != null) {
      IceStats s = agent.stats();
      put(dropped, "stun-bad-integrity", s.badIntegrity());
      put(dropped, "stun-bad-fingerprint", s.badFingerprint());
      put(dropped, "stun-unknown-transaction", s.unknownTransaction());
      put(dropped, "stun-malformed", s.malformed());
      put(dropped, "stun-unknown-ufrag", s.unknownUfrag());
      put(dropped, "ice-unknown-source", s.unknownSource());
      put(dropped, "mdns-unresolved", s.unresolvedMdns());
    }
    if (dtls != null) {
      put(dropped, "dtls-malformed", dtls.malformedDatagrams());
      put(dropped, "dtls-forged-record", dtls.forgedRecords());
      put(dropped, "dtls-rejected-record", dtls.rejectedRecords());
      put(dropped, "dtls-late-handshake", dtls.lateHandshakeRecords());
      put(dropped, "dtls-queue-full", dtls.overflowDatagrams());
    }
    put(dropped, "dtls-before-remote-description", dtlsBeforeRemote);
    put(dropped, "sctp-send-failed", sctpSendFailures);
    put(dropped, "not-rfc7983", unknownDatagrams);
    put(dropped, "no-selected-pair", noPairDrops);
    put(dropped, "send-before-connected", notConnectedFrames.sum());
    put(dropped, "send-errors", transport.sendErrors());
    put(dropped, "receive-errors", transport.receiveErrors());
    if (audioQueue != null) {
      put(dropped, "audio-queue-full", audioQueue.dropped());
    }
    if (videoQueue != null) {
      put(dropped, "video-queue-full", videoQueue.dropped());
    }
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
              0);
      video =
          track(
              media.videoSent(),
              media.videoReceived(),
              media.videoStatistics(),
              remote.video() == null ? 1 : remote.video().clockRate(),
              0,
              media.videoNacksReceived(),
              media.videoPacketsRetransmitted());
      rtt = media.roundTripSeconds();
      profile = media.profile() == null ? null : media.profile().rfcName();
    }
    if (sctp != null) {
      io.github.jpeer.sctp.SctpStats s = sctp.stats();
      put(dropped, "sctp-bad-checksum", s.badChecksum());
      put(dropped, "sctp-malformed", s.malformed());
      put(dropped, "sctp-bad-verification-tag", s.badVerificationTag());
      put(dropped, "sctp-bad-ports", s.badPorts());
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
    return new PeerStats(
        state,
        audio,
        video,
        rtt,
        pairText,
        pair != null
            && (pair.isRelayed()
                || pair.remote().type() == io.github.jpeer.agent.CandidateType.RELAYED),
        profile,
        transport.sent(),
        datagramsIn,
        dropped,
        failureKey);
  }

  private static PeerStats.TrackStats track(
      MediaSession.Counters sent,
      MediaSession.Counters received,
      io.github.jpeer.rtp.ReceiverStatistics stats,
      int clockRate,
      double remoteFractionLost,
      long nacksReceived,
      long packetsRetransmitted) {
    return new PeerStats.TrackStats(
        sent.packets(),
        sent.bytes(),
        received.packets(),
        received.bytes(),
        stats == null ? 0 : Math.max(0, stats.cumulativeLost()),
        stats == null ? 0 : stats.jitter() / clockRate,
        remoteFractionLost,
        nacksReceived,
        packetsRetransmitted);
  }

  private static void put(Map<String, Long> m, String key, long value) {
    if (value != 0) {
      m.put(key, value);
    }
  }

  /** The local addresses the connection's sockets are bound to. */
  public List<InetSocketAddress> localAddresses() {
    return transport.localAddresses();
  }

  /**
   * Ends the connection: an RTCP BYE, SCTP shutdown, DTLS close_notify and TURN deallocation are
   * sent, then the sockets are closed and the DTLS thread ends. Idempotent; from any thread (from
   * another thread than the loop's, it is carried out by the next {@code loop()} unless no loop has
   * run yet).
   */
  @Override
  public void close() {
    Thread o = owner;
    if (o == null || o == Thread.currentThread() || !o.isAlive()) {
      // What was asked before close() goes first: a message sent just before must not vanish.
      for (Runnable r; state != PeerConnectionState.CLOSED && (r = commands.poll()) != null; ) {
        r.run();
      }
      closeInternal(true);
    } else {
      command(() -> closeInternal(true));
    }
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

  private void closeInternal(boolean sendGoodbyes) {
    if (state == PeerConnectionState.CLOSED) {
      return;
    }
    long now = clock.nanoTime();
    try {
      if (sendGoodbyes && agent != null && agent.selectedPair() != null) {
        if (media != null) {
          media.sendBye();
          drainMedia();
        }
        if (sctp != null && sctpConnected) {
          closeAssociation(now);
        }
      }
      if (dtls != null) {
        dtls.close();
        for (byte[] record; (record = dtls.pollTransmit()) != null; ) {
          sendOnSelectedPair(record, 0, record.length);
        }
      }
      if (agent != null) {
        agent.close(now);
        for (Transmit t; (t = agent.pollTransmit()) != null; ) {
          transport.send(t.local(), t.destination(), t.data(), 0, t.length());
        }
      }
    } finally {
      for (DataChannel ch : channels) {
        if (!ch.isClosed()) {
          ch.markClosed();
          fireChannel("onClose", l -> l.onClose(ch));
        }
      }
      transport.close();
      if (mdnsSocket != null) {
        mdnsSocket.close();
      }
      if (mdnsListener != null) {
        mdnsListener.close();
      }
      setState(PeerConnectionState.CLOSED);
    }
  }

  // ---------------------------------------------------------------- for PeerLoop

  void register(Selector selector, Runnable selectorWakeup) {
    this.wakeup =
        () -> {
          pendingWork = true;
          selectorWakeup.run();
        };
    this.selector = selector;
    transport.register(selector, this);
  }

  /** When the loop must run again even if nothing arrives (nanos on the connection's clock). */
  long nextTimeoutNanos() {
    long next = Long.MAX_VALUE;
    if (pendingWork
        || !commands.isEmpty()
        || (audioQueue != null && audioQueue.size() > 0)
        || (videoQueue != null && videoQueue.size() > 0)) {
      return clock.nanoTime();
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

  NanoClock clock() {
    return clock;
  }

  /** Sends mDNS queries to {@code target} instead of the multicast group (tests only). */
  void mdnsTarget(InetSocketAddress target) {
    this.mdnsTarget = target;
  }

  /**
   * Listens for group answers on {@code port} instead of 5353 (0: any free port; -1: not at all).
   * Tests only, so that they neither need port 5353 nor depend on multicast.
   */
  void mdnsListenPort(int port) {
    this.mdnsListenPort = port;
  }

  /** The bound address of the group-answer listener, or null before one is open (tests only). */
  InetSocketAddress mdnsListenerAddress() {
    UdpTransport l = mdnsListener;
    return l == null ? null : l.localAddresses().get(0);
  }

  /**
   * Drops each protected RTP or RTCP packet the media session hands over for which {@code packet}
   * (a read-only view of it) is true, as if the network had lost it; the session counts it as sent.
   * Which packets (a first transmission, not its NACK retransmission) is the test's to decide
   * (tests only).
   */
  void dropMediaTransmitForTest(java.util.function.Predicate<ByteBuffer> packet) {
    this.dropMediaTransmit = packet;
  }

  /** Whether something outside the loop produced work since the last loop() (any thread). */
  boolean hasPendingWork() {
    return pendingWork;
  }

  // ---------------------------------------------------------------- checks

  private void checkThread(String method) {
    Thread o = owner;
    if (o != null && o != Thread.currentThread()) {
      throw new IllegalStateException(
          method
              + "() called from "
              + Thread.currentThread().getName()
              + " but this connection belongs to "
              + o.getName()
              + ", the thread that runs its loop(): call it there (with PeerLoop: submit it)");
    }
  }

  private void checkOpen(String method) {
    if (state == PeerConnectionState.CLOSED) {
      throw new IllegalStateException(method + "() on a closed PeerConnection: create a new one");
    }
  }

  /**
   * The connection's name: {@link PeerConfiguration.Builder#name(String)}, or {@code pc-N} (N
   * counting the connections this JVM created). Every log line of the connection starts with it.
   */
  public String name() {
    return name;
  }

  @Override
  public String toString() {
    return "PeerConnection["
        + name
        + ", "
        + state.name().toLowerCase(Locale.ROOT)
        + ", fingerprint "
        + HexFormat.of().formatHex(localFingerprint.value(), 0, 4)
        + "...]";
  }
}
