package io.github.jpeer;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * How a {@link PeerConnection} is set up: libpeer's {@code PeerConfiguration}, immutable, made with
 * {@link #builder()}.
 *
 * <pre>{@code
 * PeerConfiguration config = PeerConfiguration.builder()
 *     .iceServer("stun:stun.example.org:3478")
 *     .audioCodec(MediaCodec.OPUS)
 *     .dataChannel(DataChannelType.STRING)
 *     .onAudioTrack((frame, rtpTimestamp) -> decoder.decode(frame))
 *     .build();
 * }</pre>
 */
public final class PeerConfiguration {
  private final List<IceServer> iceServers;
  private final MediaCodec audioCodec;
  private final MediaCodec videoCodec;
  private final DataChannelType dataChannel;
  private final MediaFrameListener onAudioTrack;
  private final AudioPacketListener onAudioPacket;
  private final MediaFrameListener onVideoTrack;
  private final Runnable onRequestKeyframe;
  private final List<InetAddress> bindAddresses;
  private final int minPort;
  private final int maxPort;
  private final boolean includeLoopback;
  private final IceTransportPolicy iceTransportPolicy;
  private final boolean iceUdp;
  private final boolean iceTcp;
  private final boolean iceLite;
  private final SharedUdpPort sharedPort;
  private final java.security.KeyStore turnTrustStore;
  private final NanoClock clock;
  private final java.time.InstantSource epochClock;
  private final RandomGenerator random;
  private final String loggerName;
  private final String name;

  private PeerConfiguration(Builder b) {
    this.iceServers = List.copyOf(b.iceServers);
    this.audioCodec = b.audioCodec;
    this.videoCodec = b.videoCodec;
    this.dataChannel = b.dataChannel;
    this.onAudioTrack = b.onAudioTrack;
    this.onAudioPacket = b.onAudioPacket;
    this.onVideoTrack = b.onVideoTrack;
    this.onRequestKeyframe = b.onRequestKeyframe;
    this.bindAddresses = List.copyOf(b.bindAddresses);
    this.minPort = b.minPort;
    this.maxPort = b.maxPort;
    this.includeLoopback = b.includeLoopback;
    this.iceTransportPolicy = b.iceTransportPolicy;
    this.iceUdp = b.iceUdp;
    this.iceTcp = b.iceTcp != null ? b.iceTcp : b.sharedPort == null;
    this.iceLite = b.iceLite;
    this.sharedPort = b.sharedPort;
    this.turnTrustStore = b.turnTrustStore;
    this.clock = b.clock;
    this.epochClock = b.epochClock;
    this.random = b.random;
    this.loggerName = b.loggerName;
    this.name = b.name;
  }

  /** A builder with libpeer's defaults: Opus audio, no video, no data channel, no ICE servers. */
  public static Builder builder() {
    return new Builder();
  }

  /** The STUN/TURN servers, in the order given. */
  public List<IceServer> iceServers() {
    return iceServers;
  }

  /** The audio codec ({@link MediaCodec#NONE} for no audio). */
  public MediaCodec audioCodec() {
    return audioCodec;
  }

  /** The video codec ({@link MediaCodec#NONE} for no video). */
  public MediaCodec videoCodec() {
    return videoCodec;
  }

  /** Whether a data channel is negotiated, and the kind of libpeer-style messages. */
  public DataChannelType dataChannel() {
    return dataChannel;
  }

  /** Receives remote audio frames, or {@code null}. */
  public MediaFrameListener onAudioTrack() {
    return onAudioTrack;
  }

  /**
   * Receives remote audio packets with their sequence numbers and arrival times (for a jitter
   * buffer), or {@code null}.
   */
  public AudioPacketListener onAudioPacket() {
    return onAudioPacket;
  }

  /** Receives remote video access units, or {@code null}. */
  public MediaFrameListener onVideoTrack() {
    return onVideoTrack;
  }

  /** Called when the remote asks for a keyframe (PLI or FIR), or {@code null}. */
  public Runnable onRequestKeyframe() {
    return onRequestKeyframe;
  }

  /** The local addresses to bind; empty means every up interface's addresses. */
  public List<InetAddress> bindAddresses() {
    return bindAddresses;
  }

  /** Lowest local UDP port to bind (0 with {@link #maxPort()} 0: any ephemeral port). */
  public int minPort() {
    return minPort;
  }

  /** Highest local UDP port to bind. */
  public int maxPort() {
    return maxPort;
  }

  /** Whether loopback addresses become host candidates (off by default, as in browsers). */
  public boolean includeLoopback() {
    return includeLoopback;
  }

  /**
   * The certificates a {@code turns:} server's must chain to, or null for the JDK's default trust
   * store.
   */
  public java.security.KeyStore turnTrustStore() {
    return turnTrustStore;
  }

  /** Which local candidates ICE may use; {@link IceTransportPolicy#ALL} unless set. */
  public IceTransportPolicy iceTransportPolicy() {
    return iceTransportPolicy;
  }

  /**
   * Whether ICE may use this machine's UDP sockets directly: host and server-reflexive UDP
   * candidates, STUN and TURN over UDP. True unless set; see {@link Builder#iceUdp}.
   */
  public boolean iceUdp() {
    return iceUdp;
  }

  /**
   * Whether ICE gathers TCP candidates (RFC 6544, active and passive) and uses the remote's. True
   * unless set; see {@link Builder#iceTcp}.
   */
  public boolean iceTcp() {
    return iceTcp;
  }

  /**
   * Whether the connection is an ICE-lite agent (RFC 8445 section 2.5): it answers checks and sends
   * none. False unless set; see {@link Builder#iceLite}.
   */
  public boolean iceLite() {
    return iceLite;
  }

  /**
   * The UDP port the connection shares with the others of its loop, or null for sockets of its own.
   * See {@link Builder#sharedPort}.
   */
  public SharedUdpPort sharedPort() {
    return sharedPort;
  }

  /** The clock every timer of the connection reads. */
  public NanoClock clock() {
    return clock;
  }

  /**
   * The wall clock, read once per connection: it dates the DTLS certificate and maps {@link
   * #clock()} to the NTP times of RTCP sender reports.
   */
  public java.time.InstantSource epochClock() {
    return epochClock;
  }

  /**
   * The source of non-secret randomness (SSRCs, initial sequence numbers, ICE tie-breaker, timer
   * jitter). Keys and ICE passwords always come from a {@code SecureRandom}.
   */
  public RandomGenerator random() {
    return random;
  }

  /** The {@link System.Logger} name the connection logs under. */
  public String loggerName() {
    return loggerName;
  }

  /**
   * The name every log line of the connection starts with, or null for the default ({@code pc-1},
   * {@code pc-2}, ... in creation order). See {@link PeerConnection#name()}.
   */
  public String name() {
    return name;
  }

  /** Builds a {@link PeerConfiguration}. Not thread-safe. */
  public static final class Builder {
    private final List<IceServer> iceServers = new ArrayList<>();
    private MediaCodec audioCodec = MediaCodec.OPUS;
    private MediaCodec videoCodec = MediaCodec.NONE;
    private DataChannelType dataChannel = DataChannelType.NONE;
    private MediaFrameListener onAudioTrack;
    private AudioPacketListener onAudioPacket;
    private MediaFrameListener onVideoTrack;
    private Runnable onRequestKeyframe;
    private final List<InetAddress> bindAddresses = new ArrayList<>();
    private int minPort;
    private int maxPort;
    private boolean includeLoopback;
    private IceTransportPolicy iceTransportPolicy = IceTransportPolicy.ALL;
    private boolean iceUdp = true;
    private Boolean iceTcp; // null: on, unless the connection is on a shared port
    private boolean iceLite;
    private SharedUdpPort sharedPort;
    private java.security.KeyStore turnTrustStore;
    private NanoClock clock = NanoClock.SYSTEM;
    private java.time.InstantSource epochClock = java.time.InstantSource.system();
    private RandomGenerator random;
    private String loggerName = "io.github.jpeer";
    private String name;

    private Builder() {}

    /** Adds a STUN server, e.g. {@code stun:stun.example.org:3478}. */
    public Builder iceServer(String url) {
      iceServers.add(IceServer.parse(url));
      return this;
    }

    /** Adds a TURN (or STUN) server with long-term credentials. */
    public Builder iceServer(String url, String username, String credential) {
      iceServers.add(IceServer.parse(url, username, credential));
      return this;
    }

    /** The audio codec: OPUS (default), PCMA, PCMU or NONE. */
    public Builder audioCodec(MediaCodec codec) {
      Objects.requireNonNull(codec, "codec");
      if (codec != MediaCodec.NONE && !codec.isAudio()) {
        throw new IllegalArgumentException(
            codec + " is not an audio codec: use OPUS, PCMA, PCMU or NONE");
      }
      this.audioCodec = codec;
      return this;
    }

    /** The video codec: H264 or NONE (default). */
    public Builder videoCodec(MediaCodec codec) {
      Objects.requireNonNull(codec, "codec");
      if (codec != MediaCodec.NONE && !codec.isVideo()) {
        throw new IllegalArgumentException(codec + " is not a video codec: use H264 or NONE");
      }
      this.videoCodec = codec;
      return this;
    }

    /** Whether to negotiate a data channel (NONE by default). */
    public Builder dataChannel(DataChannelType type) {
      this.dataChannel = Objects.requireNonNull(type, "type");
      return this;
    }

    /**
     * Receives each remote audio frame of every connection made with this configuration; a
     * connection's own {@code onAudioTrack} (or its {@code Listener}) serves one call instead.
     */
    public Builder onAudioTrack(MediaFrameListener listener) {
      this.onAudioTrack = listener;
      return this;
    }

    /**
     * Receives each remote audio packet with its RTP sequence number and the time its datagram
     * arrived ({@link #clock(NanoClock) this clock}), in sequence order: what a jitter buffer
     * takes. With peer-media's {@code JitterBufferPlayer}: {@code .onAudioPacket(player::push)}. It
     * works beside {@link #onAudioTrack}; a connection's own {@code onAudioPacket} replaces it for
     * that connection. See {@link AudioPacketListener} for the contract.
     */
    public Builder onAudioPacket(AudioPacketListener listener) {
      this.onAudioPacket = listener;
      return this;
    }

    /**
     * Receives each remote video access unit; a connection's {@code onVideoTrack} replaces it for
     * that connection.
     */
    public Builder onVideoTrack(MediaFrameListener listener) {
      this.onVideoTrack = listener;
      return this;
    }

    /**
     * Called when the remote asks for a keyframe; a connection's {@code onRequestKeyframe} replaces
     * it for that connection.
     */
    public Builder onRequestKeyframe(Runnable callback) {
      this.onRequestKeyframe = callback;
      return this;
    }

    /** Binds only these local addresses (default: every address of every up interface). */
    public Builder bindAddress(InetAddress address) {
      bindAddresses.add(Objects.requireNonNull(address, "address"));
      return this;
    }

    /** Binds local UDP ports only within {@code [minPort, maxPort]} (default: ephemeral). */
    public Builder portRange(int minPort, int maxPort) {
      if (minPort < 1 || maxPort > 65535 || minPort > maxPort) {
        throw new IllegalArgumentException(
            "port range must satisfy 1 <= minPort <= maxPort <= 65535, got "
                + minPort
                + ".."
                + maxPort);
      }
      this.minPort = minPort;
      this.maxPort = maxPort;
      return this;
    }

    /**
     * Which local candidates ICE may use (default {@link IceTransportPolicy#ALL}); {@link
     * IceTransportPolicy#RELAY} needs a TURN server ({@link #iceServer(String, String, String)}).
     */
    public Builder iceTransportPolicy(IceTransportPolicy policy) {
      this.iceTransportPolicy = java.util.Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * Whether ICE may use UDP from this machine (default true). False leaves no UDP host or
     * server-reflexive candidate and asks no STUN or TURN server over UDP, as on a network that
     * blocks UDP: the call then goes over ICE-TCP ({@link #iceTcp}), or through a TURN server
     * reached over TCP or TLS, whose relayed candidate still talks UDP to the far side.
     */
    public Builder iceUdp(boolean allow) {
      this.iceUdp = allow;
      return this;
    }

    /**
     * Whether ICE uses TCP candidates (default true, as browsers do): a passive candidate that
     * listens on each local address and an active one that connects out to the remote's passive
     * candidates (RFC 6544), each packet framed by RFC 4571. UDP pairs have the higher priority, so
     * TCP carries the call only where UDP fails. False: no TCP listener and no TCP candidate. Off
     * by default on a {@link #sharedPort}, which serves UDP only.
     */
    public Builder iceTcp(boolean allow) {
      this.iceTcp = allow;
      return this;
    }

    /**
     * Makes the connection an ICE-lite agent (RFC 8445 section 2.5), what a server with a public
     * address runs (default false): it gathers host candidates only, sends no checks of its own,
     * answers the remote's and takes the pair the remote nominates; the remote, which must run full
     * ICE (browsers and libwebrtc do), is always the controlling agent, whichever side offers. The
     * description says {@code a=ice-lite}. Keep-alive comes from the remote's checks: when they
     * stop, the connection becomes DISCONNECTED after 12 s and FAILED after 30 s, and a call whose
     * remote never checks it FAILS 30 s after its description was made. Needs no ICE servers (a
     * lite agent has no server-reflexive or relayed candidates); with a {@link #sharedPort} it
     * needs one port for every call.
     */
    public Builder iceLite(boolean lite) {
      this.iceLite = lite;
      return this;
    }

    /**
     * Puts the connection on {@code port}, which it shares with the other connections of the port's
     * {@link PeerLoop} (default: sockets of its own). Its one host candidate is the port's address;
     * it has no STUN, TURN or ICE-TCP. Add the connection to the port's loop, which drives it:
     * calling {@link PeerConnection#loop()} yourself throws. See {@link SharedUdpPort}.
     */
    public Builder sharedPort(SharedUdpPort port) {
      this.sharedPort = Objects.requireNonNull(port, "port");
      return this;
    }

    /**
     * The trust store for {@code turns:} servers (TURN over TLS): their certificate must chain to
     * one of its certificates and name the URL's host. Default: the JDK's trust store (cacerts),
     * which is what a server with a public certificate needs; a private CA, or a test's self-signed
     * certificate, goes here.
     */
    public Builder turnTrustStore(java.security.KeyStore trustStore) {
      this.turnTrustStore = java.util.Objects.requireNonNull(trustStore, "trustStore");
      return this;
    }

    /** Whether loopback addresses become host candidates (default false). */
    public Builder includeLoopback(boolean includeLoopback) {
      this.includeLoopback = includeLoopback;
      return this;
    }

    /**
     * The clock (default {@link NanoClock#SYSTEM}, {@code System.nanoTime()}); tests pass a virtual
     * one. Every timer reads it, and it stamps each datagram as it is read: the {@code
     * arrivalNanos} of {@link #onAudioPacket}, so a jitter buffer's playout side must read the same
     * clock.
     */
    public Builder clock(NanoClock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The wall clock (default the system's): read once when a connection is made, for the DTLS
     * certificate's dates and RTCP's NTP times; tests pass a fixed one.
     */
    public Builder epochClock(java.time.InstantSource epochClock) {
      this.epochClock = Objects.requireNonNull(epochClock, "epochClock");
      return this;
    }

    /** A seedable source for non-secret randomness (default: a fresh SplittableRandom). */
    public Builder random(RandomGenerator random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /** The logger name (default {@code io.github.jpeer}). */
    public Builder loggerName(String loggerName) {
      this.loggerName = Objects.requireNonNull(loggerName, "loggerName");
      return this;
    }

    /**
     * Names the connection in its log lines, e.g. a call id: a server holding many calls can then
     * tell which call a DTLS alert or a consent loss was in. Every line the connection and its ICE,
     * DTLS, SCTP and media layers log starts with {@code "name: "}. Default {@code pc-N}.
     *
     * @param name 1 to 100 characters, not blank
     * @throws IllegalArgumentException if the name is blank or longer than 100 characters
     */
    public Builder name(String name) {
      Objects.requireNonNull(name, "name");
      if (name.isBlank() || name.length() > 100) {
        throw new IllegalArgumentException(
            "name must be 1 to 100 characters and not blank, got "
                + (name.isBlank() ? "a blank name" : name.length() + " characters"));
      }
      this.name = name;
      return this;
    }

    /** The configuration. */
    public PeerConfiguration build() {
      if (random == null) {
        random = new java.util.SplittableRandom(new java.security.SecureRandom().nextLong());
      }
      if (audioCodec == MediaCodec.NONE
          && videoCodec == MediaCodec.NONE
          && dataChannel == DataChannelType.NONE) {
        throw new IllegalStateException(
            "nothing to negotiate: set audioCodec, videoCodec or dataChannel");
      }
      checkSharedPortAndLite();
      if (iceTransportPolicy == IceTransportPolicy.RELAY
          && iceServers.stream().noneMatch(IceServer::isTurn)) {
        throw new IllegalStateException(
            "iceTransportPolicy RELAY uses TURN relays only, and no TURN server is configured:"
                + " add one with iceServer(\"turn:host:port\", username, credential)");
      }
      boolean tcp = iceTcp != null ? iceTcp : sharedPort == null;
      boolean turnOverTcp = iceServers.stream().anyMatch(s -> s.isTurn() && s.overTcp());
      if (!iceUdp && !tcp && !turnOverTcp) {
        throw new IllegalStateException(
            "iceUdp(false) and iceTcp(false) leave ICE no way to connect: allow one of them, or"
                + " add a TURN server over TCP or TLS (turn:host:port?transport=tcp, turns:host)");
      }
      if (!iceUdp && iceTransportPolicy == IceTransportPolicy.RELAY && !turnOverTcp) {
        throw new IllegalStateException(
            "iceUdp(false) with iceTransportPolicy RELAY needs a TURN server reached over TCP or"
                + " TLS (turn:host:port?transport=tcp, turns:host): UDP ones are not asked");
      }
      return new PeerConfiguration(this);
    }

    private void checkSharedPortAndLite() {
      if (sharedPort != null) {
        String what =
            !iceServers.isEmpty()
                ? "ICE servers (STUN and TURN need sockets of the connection's own)"
                : !bindAddresses.isEmpty() || minPort != 0
                    ? "bindAddress or portRange (the port's own address is the candidate)"
                    : Boolean.TRUE.equals(iceTcp)
                        ? "iceTcp(true) (ICE-TCP needs a listener per connection)"
                        : !iceUdp ? "iceUdp(false) (the port is UDP)" : null;
        if (what != null) {
          throw new IllegalStateException(
              "a connection on a SharedUdpPort has the port's address as its only candidate, so it"
                  + " cannot also have "
                  + what
                  + ": drop that setting, or drop sharedPort(...) to give the connection sockets"
                  + " of its own");
        }
        if (sharedPort.isClosed()) {
          throw new IllegalStateException(
              "the SharedUdpPort is closed: open another with PeerLoop.openSharedPort");
        }
      }
      if (iceLite && (!iceServers.isEmpty() || iceTransportPolicy == IceTransportPolicy.RELAY)) {
        throw new IllegalStateException(
            "an ICE-lite connection (iceLite(true)) has host candidates only, so STUN and TURN"
                + " servers and iceTransportPolicy RELAY have nothing to do: drop them, or drop"
                + " iceLite(true) for full ICE");
      }
    }
  }
}
