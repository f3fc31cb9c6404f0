package io.github.jpeer;

import io.github.jpeer.internal.CallbackErrors;
import io.github.jpeer.internal.ConnectionLogger;
import io.github.jpeer.internal.FrameQueue;
import io.github.jpeer.internal.MdnsSockets;
import io.github.jpeer.internal.TcpLinks;
import io.github.jpeer.internal.UdpTransport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
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
 * addIceCandidate}, {@code createDataChannel}, {@code restartIce}, {@code getStats}) run. Called
 * from another thread, a control method is handed to the loop thread and waits for it (at most
 * {@link #CONTROL_CALL_TIMEOUT_SECONDS}), returning its result or throwing its exception; {@link
 * #submit} does the same without waiting. {@link #sendAudio}, {@link #sendVideo}, {@link
 * DataChannel#send} and {@link #close()} never wait: they are queued for the next {@code loop()}.
 * {@link PeerLoop} runs the loop for many connections on one thread.
 *
 * <h2>Inside</h2>
 *
 * The protocols live in a {@link PeerCore}, a sans-IO state machine: this class owns the sockets,
 * the clock and the threads, hands the core each datagram and timeout, sends what it returns and
 * turns its events into the callbacks. A program with its own network stack can drive a core
 * itself.
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

  /** How long a control call from another thread waits for the loop thread to run it. */
  public static final int CONTROL_CALL_TIMEOUT_SECONDS = 10;

  private final PeerConfiguration config;
  private final NanoClock clock;
  private final PeerCore core;
  private final System.Logger log;
  private final UdpTransport transport;
  private final SharedUdpPort sharedPort;
  // Its place on the shared port once a PeerLoop drives it (the loop thread's field).
  SharedUdpPort.Member portMember;
  private final FrameQueue audioQueue;
  private final FrameQueue videoQueue;
  private final ConcurrentLinkedQueue<Runnable> commands = new ConcurrentLinkedQueue<>();
  // Created once: a method reference or lambda evaluated in loop() would allocate every call.
  private final UdpTransport.Receiver onDatagram = this::onDatagram;
  private final UdpTransport.Receiver onMdns = this::onMdns;
  private final DataChannel.Owner queuedOwner =
      new DataChannel.Owner() {
        @Override
        public void send(DataChannel channel, byte[] message, boolean binary) {
          queueChannelSend(channel, message, binary);
        }

        @Override
        public void close(DataChannel channel) {
          command(() -> core.closeChannel(clock.nanoTime(), channel));
        }

        @Override
        public void lowThresholdChanged(DataChannel channel) {
          command(() -> core.applyLowThreshold(channel));
        }
      };

  private volatile Thread owner;
  private volatile Runnable wakeup = () -> {};
  // Set by anything that produced work for the loop from outside it (the DTLS handshake thread,
  // queued sends, commands); PeerLoop drives a connection with this set even if no socket is
  // readable and no timer is due.
  private volatile boolean pendingWork;
  private volatile boolean closed;
  // True while loop() runs on the owner thread: a callback that calls loop() again is refused.
  private boolean inLoop;
  // On a PeerLoop's selector (register() until unregistered()): loop() then reads only the sockets
  // the selector reported ready, as readyOps, which the loop thread ORs in per ready key.
  private boolean selectorDriven;
  int readyOps;
  private static final int READ_ANY = SelectionKey.OP_READ | SelectionKey.OP_ACCEPT;

  private final MdnsSockets mdns;
  private final TcpLinks tcp;
  private javax.net.ssl.SSLContext tlsContext;
  private final TcpLinks.Receiver onTcp =
      new TcpLinks.Receiver() {
        @Override
        public void onPacket(
            InetSocketAddress local, InetSocketAddress server, byte[] data, int off, int len) {
          datagramsIn++;
          core.handleStreamReceive(clock.nanoTime(), local, server, data, off, len);
        }

        @Override
        public void onClosed(InetSocketAddress local, InetSocketAddress server) {
          core.streamClosed(clock.nanoTime(), local, server);
        }
      };

  private Consumer<String> onIceCandidate;
  private Consumer<String> onLocalCandidate;
  private Consumer<IceCandidateError> onIceCandidateError;
  private Consumer<PeerConnectionState> onStateChange;
  private PacketLossListener onPacketLoss;
  private DataChannelListener dataChannelListener;
  private Listener listener = NO_LISTENER;
  private MediaFrameListener onAudioTrack;
  private AudioPacketListener onAudioPacket;
  private MediaFrameListener onVideoTrack;
  private Runnable onRequestKeyframe;
  private static final Listener NO_LISTENER = new Listener() {};

  private long datagramsIn;
  // sendAudio/sendVideo may be called from any thread, so several may count at once
  private final LongAdder notConnectedFrames = new LongAdder();
  private final LongAdder audioNotNegotiated = new LongAdder();
  private long failedCommands; // loop thread
  private final LongAdder videoNotNegotiated = new LongAdder();

  private PeerConnection(PeerConfiguration config) {
    this.config = config;
    this.clock = config.clock();
    List<InetAddress> addresses =
        config.bindAddresses().isEmpty()
            ? UdpTransport.interfaceAddresses(config.includeLoopback())
            : config.bindAddresses();
    this.sharedPort = config.sharedPort();
    this.transport =
        sharedPort != null
            ? sharedPort.transportView()
            : UdpTransport.open(addresses, config.minPort(), config.maxPort());
    this.tcp = new TcpLinks(System.getLogger(config.loggerName()), this::tlsEngineFor);
    PeerCore c;
    try {
      c = new PeerCore(config, transport.localAddresses(), tcpListeners(config), clock.nanoTime());
    } catch (RuntimeException e) {
      transport.close();
      tcp.close();
      throw e;
    }
    this.core = c;
    this.onAudioTrack = config.onAudioTrack();
    this.onAudioPacket = config.onAudioPacket();
    this.onVideoTrack = config.onVideoTrack();
    this.onRequestKeyframe = config.onRequestKeyframe();
    this.log = ConnectionLogger.of(config.loggerName(), core.name());
    this.mdns = MdnsSockets.standard(log);
    tcp.logger(log);
    core.channelOwner(queuedOwner);
    core.wakeup(() -> wakeup.run());
    this.audioQueue = config.audioCodec() != MediaCodec.NONE ? new FrameQueue(32, 1500) : null;
    // 8 access units (about 270 ms at 30 fps) ride out a loop thread stalled by a loaded machine;
    // slots grow to the frames they carry, so the room costs nothing until it is used.
    this.videoQueue = config.videoCodec() != MediaCodec.NONE ? new FrameQueue(8, 1 << 20) : null;
  }

  /**
   * A listener for a passive ICE-TCP candidate beside each UDP socket, on the same port where it is
   * free; none if {@link PeerConfiguration#iceTcp()} is off. An address where no listener can be
   * bound keeps its UDP candidate only.
   */
  private List<InetSocketAddress> tcpListeners(PeerConfiguration config) {
    List<InetSocketAddress> out = new java.util.ArrayList<>();
    if (!config.iceTcp()) {
      return out;
    }
    for (InetSocketAddress udp : transport.localAddresses()) {
      try {
        out.add(tcp.listen(udp.getAddress(), udp.getPort()));
      } catch (java.io.IOException e) {
        System.getLogger(config.loggerName())
            .log(
                System.Logger.Level.WARNING,
                "no ICE-TCP listener on " + udp.getAddress() + ": " + e);
      }
    }
    return out;
  }

  /**
   * Makes a connection: binds its UDP sockets (and, with {@link PeerConfiguration#iceTcp()}, a TCP
   * listener beside each) and generates its DTLS certificate.
   *
   * @throws java.io.UncheckedIOException if no local address can be bound
   */
  public static PeerConnection create(PeerConfiguration config) {
    return new PeerConnection(config);
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
    return onLoopThread(
        "createOffer",
        () -> {
          String offer = core.createOffer(clock.nanoTime());
          afterControlCall();
          return offer;
        });
  }

  /**
   * Creates the answer to the offer given to {@link #setRemoteDescription}.
   *
   * @throws IllegalStateException if no remote offer was applied
   */
  public String createAnswer() {
    return onLoopThread(
        "createAnswer",
        () -> {
          String answer = core.createAnswer(clock.nanoTime());
          afterControlCall();
          return answer;
        });
  }

  /**
   * The current local description (offer or answer) with every candidate gathered so far, or null
   * before {@link #createOffer}/{@link #createAnswer}.
   */
  public String localDescription() {
    return onLoopThread("localDescription", core::localDescription);
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
    onLoopThread(
        "setRemoteDescription",
        () -> {
          core.setRemoteDescription(clock.nanoTime(), sdp, type);
          afterControlCall();
          return null;
        });
  }

  /**
   * Adds a remote candidate trickled by signaling: a {@code candidate:...} line (with or without
   * {@code a=}). An empty line or {@code end-of-candidates} says no more will come. TCP candidates
   * (RFC 6544) are used when {@link PeerConfiguration#iceTcp()} is on.
   *
   * @throws IllegalStateException before the remote description
   * @throws io.github.jpeer.sdp.SdpParseException for a malformed line
   */
  public void addIceCandidate(String candidateLine) {
    onLoopThread(
        "addIceCandidate",
        () -> {
          core.addIceCandidate(clock.nanoTime(), candidateLine);
          afterControlCall();
          return null;
        });
  }

  /**
   * Restarts ICE (RFC 8445 section 9) for a path that failed or a network that changed: new ICE
   * credentials and a new checklist. Then send {@link #createOffer()}'s new offer (or the complete
   * one from {@link #onLocalDescription}) and apply its answer with {@link #setRemoteDescription};
   * the call keeps its pair until a pair of the new session is nominated, and DTLS, data channels
   * and media carry on. Either side may restart: on the side that answered first, the restart offer
   * has the first offer's sections in its order, with {@code a=setup:actpass} (the DTLS roles
   * stay). The side whose offer restarts ICE is ICE-controlling from then on, as in libwebrtc. A
   * remote's restart offer needs no call here: apply it and {@link #createAnswer()}.
   *
   * @throws IllegalStateException before the first negotiation finished, or while a restart offer
   *     of ours waits for its answer
   */
  public void restartIce() {
    onLoopThread(
        "restartIce",
        () -> {
          core.restartIce(clock.nanoTime());
          afterControlCall();
          return null;
        });
  }

  /**
   * What a control call produced goes out at once (the first checks, an SCTP DCEP open); its events
   * wait for the next {@code loop()}, so that no callback runs inside the call.
   */
  private void afterControlCall() {
    sendTransmits();
    wakeup.run();
  }

  // ---------------------------------------------------------------- callbacks

  /**
   * Everything a connection tells its application, in one interface: every method has a no-op
   * default, so implement what you need. Called on the loop thread, after the connection has
   * handled what caused the event (never from inside a receive path); must be quick and must not
   * block; an exception thrown here is logged and does not stop the connection. The single-purpose
   * setters ({@link #onLocalDescription}, {@link #onIceConnectionStateChange}, ...) work beside it:
   * an event goes to its setter's callback first, then to the listener.
   */
  public interface Listener extends DataChannelListener {
    /**
     * Gathering finished: the complete local description (every candidate, {@code
     * a=end-of-candidates}), which is what HTTP signaling (WHIP, OpenAI Realtime) posts.
     */
    default void onLocalDescription(String sdp) {}

    /** A local candidate was gathered: a {@code candidate:...} line for trickle ICE. */
    default void onLocalCandidate(String candidate) {}

    /** The connection state changed, in libpeer's order. */
    default void onStateChange(PeerConnectionState state) {}

    /**
     * An audio frame of the remote track; see {@link MediaFrameListener} for the buffer's rules.
     */
    default void onAudioFrame(ByteBuffer frame, long rtpTimestamp) {}

    /** A video access unit of the remote track; see {@link MediaFrameListener}. */
    default void onVideoFrame(ByteBuffer accessUnit, long rtpTimestamp) {}

    /** The remote asked for a keyframe (RTCP PLI or FIR). */
    default void onKeyframeRequest() {}

    /** The remote reported loss of what we send; see {@link PacketLossListener}. */
    default void onReceiverPacketLoss(double fractionLost, long totalLost) {}

    /** A STUN or TURN server gave no candidate (wrong TURN password, server unreachable). */
    default void onIceCandidateError(IceCandidateError error) {}
  }

  /** Sets the listener for every event (null: none); see {@link Listener}. */
  public void listener(Listener listener) {
    this.listener = listener == null ? NO_LISTENER : listener;
  }

  /**
   * Called once, when gathering has finished, with the complete local description (all candidates,
   * {@code a=end-of-candidates}): what an HTTP signaling app posts.
   */
  public void onLocalDescription(Consumer<String> listener) {
    this.onIceCandidate = listener;
  }

  /**
   * libpeer's {@code onicecandidate}, an alias of {@link #onLocalDescription}: despite the name it
   * delivers the complete local description once gathering has finished, not single candidates
   * (those go to {@link #onLocalCandidate}).
   */
  public void onIceCandidate(Consumer<String> listener) {
    onLocalDescription(listener);
  }

  /**
   * Receives this connection's remote audio frames, replacing the configuration's {@link
   * PeerConfiguration.Builder#onAudioTrack} (so one configuration can serve many calls).
   */
  public void onAudioTrack(MediaFrameListener listener) {
    this.onAudioTrack = listener;
  }

  /**
   * Receives this connection's remote audio packets with their sequence numbers and arrival times,
   * replacing the configuration's {@link PeerConfiguration.Builder#onAudioPacket}; see {@link
   * AudioPacketListener}.
   */
  public void onAudioPacket(AudioPacketListener listener) {
    this.onAudioPacket = listener;
  }

  /** Receives this connection's remote video access units, replacing the configuration's. */
  public void onVideoTrack(MediaFrameListener listener) {
    this.onVideoTrack = listener;
  }

  /** Called when the remote asks for a keyframe, replacing the configuration's callback. */
  public void onRequestKeyframe(Runnable callback) {
    this.onRequestKeyframe = callback;
  }

  /** Trickle ICE: called with each local candidate line ({@code candidate:...}) as gathered. */
  public void onLocalCandidate(Consumer<String> listener) {
    this.onLocalCandidate = listener;
  }

  /**
   * Called when a STUN or TURN server gives no candidate: a TURN server refused the credentials or
   * the allocation, or never answered (W3C's {@code onicecandidateerror}). Also logged at WARNING
   * and counted in {@link PeerStats#iceServerErrors()}.
   */
  public void onIceCandidateError(Consumer<IceCandidateError> listener) {
    this.onIceCandidateError = listener;
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
    return onLoopThread(
        "createDataChannel",
        () -> {
          DataChannel ch = core.createDataChannel(clock.nanoTime(), label, init);
          afterControlCall();
          return ch;
        });
  }

  /** The channel labelled {@code label}, if there is one. */
  public Optional<DataChannel> dataChannel(String label) {
    for (DataChannel ch : core.dataChannels()) {
      if (ch.label().equals(label) && !ch.isClosed()) {
        return Optional.of(ch);
      }
    }
    return Optional.empty();
  }

  /** The channel with stream id {@code id}, if there is one. */
  public Optional<DataChannel> dataChannel(int id) {
    for (DataChannel ch : core.dataChannels()) {
      if (ch.id() == id && !ch.isClosed()) {
        return Optional.of(ch);
      }
    }
    return Optional.empty();
  }

  private Optional<DataChannel> firstOpenChannel() {
    for (DataChannel ch : core.dataChannels()) {
      if (ch.isOpen()) {
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
    Optional<DataChannel> ch = firstOpenChannel();
    ch.ifPresent(
        c -> queueChannelSend(c, message.clone(), config.dataChannel() == DataChannelType.BINARY));
    return ch.isPresent();
  }

  /** Sends a UTF-8 string on the first open channel; false if none is open. */
  public boolean sendDataChannel(String message) {
    Optional<DataChannel> ch = firstOpenChannel();
    ch.ifPresent(c -> c.send(message));
    return ch.isPresent();
  }

  /** libpeer's {@code datachannel_send_sid}: sends on the channel with stream id {@code id}. */
  public boolean sendDataChannel(int id, byte[] message) {
    Optional<DataChannel> ch = dataChannel(id);
    ch.ifPresent(
        c -> queueChannelSend(c, message.clone(), config.dataChannel() == DataChannelType.BINARY));
    return ch.isPresent();
  }

  private void queueChannelSend(DataChannel ch, byte[] message, boolean binary) {
    core.checkMessage(ch, message.length);
    ch.addBufferedAmount(message.length); // W3C: bufferedAmount grows when send() returns
    command(() -> core.sendCounted(clock.nanoTime(), ch, message, binary));
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
   * @return false if the frame was dropped, each counted in {@link PeerStats#dropped()}: not
   *     connected yet ({@code send-before-connected}), the remote's description takes no audio from
   *     us ({@code audio-not-negotiated}: no audio section, {@code m=audio 0}, or it does not
   *     receive), or the queue is full ({@code audio-queue-full})
   * @throws IllegalArgumentException if the frame is empty, or not an Opus packet when the codec is
   *     Opus
   * @throws IllegalStateException if the configuration has no audio
   */
  public boolean sendAudio(ByteBuffer frame) {
    int n = frame.remaining();
    int p = frame.position();
    checkAudioFrame(n > 0 ? frame.get(p) : 0, n > 1 ? frame.get(p + 1) : 0, n);
    return admit(audioQueue, NO_AUDIO) && queued(audioQueue.offer(frame));
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
    java.util.Objects.checkFromIndexSize(offset, length, frame.length);
    checkAudioFrame(length > 0 ? frame[offset] : 0, length > 1 ? frame[offset + 1] : 0, length);
    return admit(audioQueue, NO_AUDIO) && queued(audioQueue.offer(frame, offset, length));
  }

  /**
   * Sends one H.264 access unit in Annex-B form (start codes), fragmented with FU-A/STAP-A. May be
   * called from any thread.
   *
   * @return false if dropped, counted as for {@link #sendAudio(ByteBuffer)} ({@code
   *     video-not-negotiated}, {@code video-queue-full})
   * @throws IllegalArgumentException if the access unit is empty
   * @throws IllegalStateException if the configuration has no video
   */
  public boolean sendVideo(ByteBuffer accessUnit) {
    if (videoQueue != null && !accessUnit.hasRemaining()) {
      throw new IllegalArgumentException(PeerCore.EMPTY_ACCESS_UNIT);
    }
    return admit(videoQueue, NO_VIDEO) && queued(videoQueue.offer(accessUnit));
  }

  /** Sends one H.264 access unit; see {@link #sendVideo(ByteBuffer)}. */
  public boolean sendVideo(byte[] accessUnit) {
    if (videoQueue != null && accessUnit.length == 0) {
      throw new IllegalArgumentException(PeerCore.EMPTY_ACCESS_UNIT);
    }
    return admit(videoQueue, NO_VIDEO)
        && queued(videoQueue.offer(accessUnit, 0, accessUnit.length));
  }

  /** Misuse first: no audio configured, then a frame that is empty or not Opus. */
  private void checkAudioFrame(byte first, byte second, int length) {
    if (audioQueue == null) {
      throw new IllegalStateException(NO_AUDIO);
    }
    PeerCore.checkAudioFrame(config.audioCodec(), first, second, length);
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
    if (core.state() != PeerConnectionState.COMPLETED) {
      notConnectedFrames.increment();
      return false;
    }
    if (queue == audioQueue ? !core.audioNegotiated() : !core.videoNegotiated()) {
      (queue == audioQueue ? audioNotNegotiated : videoNotNegotiated).increment();
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
    if (sharedPort != null && !sharedPort.loop().isLoopThread()) {
      throw new IllegalStateException(
          "loop() called from "
              + me.getName()
              + " but this connection is on a SharedUdpPort, whose datagrams "
              + sharedPort.loop()
              + " reads: add the connection to that loop (loop.add(pc)) instead of calling"
              + " loop()");
    }
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
    if (inLoop) {
      throw new IllegalStateException(
          "loop() called from inside a callback of this connection: return from the callback;"
              + " the running loop() carries on and delivers the next events after it");
    }
    inLoop = true;
    try {
      loopOnce();
    } finally {
      inLoop = false;
    }
  }

  private void loopOnce() {
    if (closed) {
      return;
    }
    pendingWork = false;
    for (Runnable r; (r = commands.poll()) != null; ) {
      runCommand(r); // after a close among them, the rest still run: the closed core refuses them
    }
    if (closed) {
      return;
    }
    // On a PeerLoop the selector said which of the sockets have something; a receive on an empty
    // socket is a system call for nothing, and most wakes are for a frame to send or a timer.
    int ready = selectorDriven ? readyOps : READ_ANY;
    readyOps = 0;
    if ((ready & SelectionKey.OP_READ) != 0 || !transport.drainedAll()) {
      transport.drain(onDatagram);
      if (!transport.drainedAll()) {
        pendingWork = true; // the socket's budget ran out: come back after the other connections
      }
    }
    if ((ready & SelectionKey.OP_READ) != 0) {
      mdns.drain(onMdns);
    }
    tcp.drain(onTcp, (ready & SelectionKey.OP_ACCEPT) != 0);
    long now = clock.nanoTime();
    core.handleTimeout(now);
    sendQueuedMedia(now);
    drainCore();
  }

  /**
   * Runs a send, close or threshold change the application queued: whatever it earlier asked must
   * not come out of {@code loop()} as an exception (the checks at the call should have refused it;
   * if one slips through, it is logged and counted as {@code queued-call-failed}).
   */
  private void runCommand(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      failedCommands++;
      log.log(System.Logger.Level.WARNING, "a queued call failed in loop(): " + e, e);
    }
  }

  private void onDatagram(InetSocketAddress local, InetSocketAddress from, byte[] data, int len) {
    datagramsIn++;
    // Stamped as read: a drain of many datagrams takes time, and the core's timers must see it.
    core.handleReceive(clock.nanoTime(), local, from, data, 0, len);
  }

  /** A datagram its shared port read for it (the loop thread, which owns this connection). */
  void receiveShared(InetSocketAddress local, InetSocketAddress from, byte[] data, int len) {
    if (closed) {
      return;
    }
    datagramsIn++;
    core.handleReceive(clock.nanoTime(), local, from, data, 0, len);
  }

  private void onMdns(InetSocketAddress local, InetSocketAddress from, byte[] data, int len) {
    core.handleMdnsReceive(clock.nanoTime(), data, len);
  }

  private void sendQueuedMedia(long now) {
    if (audioQueue != null) {
      for (FrameQueue.Slot s; (s = audioQueue.poll()) != null; ) {
        core.sendAudio(now, s.data(), s.length());
        audioQueue.release(s);
      }
    }
    if (videoQueue != null) {
      for (FrameQueue.Slot s; (s = videoQueue.poll()) != null; ) {
        core.sendVideo(now, s.data(), s.length());
        videoQueue.release(s);
      }
    }
  }

  /** Sends and dispatches until the core has nothing left (callbacks may make more; bounded). */
  private void drainCore() {
    for (int round = 0; round < MAX_PUMP_ROUNDS; round++) {
      boolean moved = sendTransmits();
      for (PeerEvent e; (e = core.pollEvent()) != null; ) {
        dispatch(e);
        moved = true;
      }
      if (!moved) {
        break;
      }
    }
    if (core.state() == PeerConnectionState.CLOSED) {
      closeSockets();
    }
  }

  private boolean sendTransmits() {
    boolean any = false;
    for (OutgoingDatagram d; (d = core.pollTransmit()) != null; ) {
      any = true;
      if (d.isMdns()) {
        mdns.send(d.data(), d.length());
      } else if (d.isStream()) {
        tcp.send(d.local(), d.destination(), d.data(), d.length(), d.isIceTcp());
      } else {
        if (portMember != null) {
          portMember.sentTo(d.destination()); // datagrams from there are this connection's
        }
        transport.send(d.local(), d.destination(), d.data(), 0, d.length());
      }
    }
    return any;
  }

  /**
   * A TLS client engine for a {@code turns:} server at {@code server}, checking its certificate
   * against the URL's host (HTTPS identification: the DNS name or IP address in its subjectAltName)
   * with the configured trust store or the JDK's; null for plain TCP.
   */
  private javax.net.ssl.SSLEngine tlsEngineFor(InetSocketAddress server) {
    IceServer s = core.streamServerAt(server);
    if (s == null || !s.isTls()) {
      return null;
    }
    javax.net.ssl.SSLEngine engine = tlsContext().createSSLEngine(s.host(), server.getPort());
    engine.setUseClientMode(true);
    javax.net.ssl.SSLParameters p = engine.getSSLParameters();
    p.setEndpointIdentificationAlgorithm("HTTPS");
    engine.setSSLParameters(p);
    return engine;
  }

  private javax.net.ssl.SSLContext tlsContext() {
    if (tlsContext == null) {
      try {
        java.security.KeyStore trust = config.turnTrustStore();
        if (trust == null) {
          tlsContext = javax.net.ssl.SSLContext.getDefault();
        } else {
          javax.net.ssl.TrustManagerFactory tmf =
              javax.net.ssl.TrustManagerFactory.getInstance(
                  javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
          tmf.init(trust);
          javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
          ctx.init(null, tmf.getTrustManagers(), null);
          tlsContext = ctx;
        }
      } catch (java.security.GeneralSecurityException e) {
        throw new IllegalStateException(
            "cannot set up TLS for turns: servers from the trust store: " + e.getMessage(), e);
      }
    }
    return tlsContext;
  }

  private void dispatch(PeerEvent e) {
    Listener all = listener;
    if (e instanceof PeerEvent.MediaFrame f) {
      deliverFrame(f, all);
    } else if (e instanceof PeerEvent.StateChanged s) {
      Consumer<PeerConnectionState> l = onStateChange;
      fire(
          "onIceConnectionStateChange",
          () -> {
            if (l != null) {
              l.accept(s.state());
            }
            all.onStateChange(s.state());
          });
    } else if (e instanceof PeerEvent.IceServerError err) {
      Consumer<IceCandidateError> l = onIceCandidateError;
      fire(
          "onIceCandidateError",
          () -> {
            if (l != null) {
              l.accept(err.error());
            }
            all.onIceCandidateError(err.error());
          });
    } else if (e instanceof PeerEvent.LocalCandidate c) {
      Consumer<String> l = onLocalCandidate;
      fire(
          "onLocalCandidate",
          () -> {
            if (l != null) {
              l.accept(c.candidate());
            }
            all.onLocalCandidate(c.candidate());
          });
    } else if (e instanceof PeerEvent.LocalDescriptionComplete d) {
      Consumer<String> l = onIceCandidate;
      if (!closed) {
        fire(
            "onLocalDescription",
            () -> {
              if (l != null) {
                l.accept(d.sdp());
              }
              all.onLocalDescription(d.sdp());
            });
      }
    } else if (e instanceof PeerEvent.ChannelOpen o) {
      fireChannel("onOpen", l -> l.onOpen(o.channel()));
    } else if (e instanceof PeerEvent.ChannelMessage m) {
      fireChannel("onMessage", l -> l.onMessage(m.channel(), m.message().duplicate(), m.binary()));
    } else if (e instanceof PeerEvent.ChannelClosed c) {
      fireChannel("onClose", l -> l.onClose(c.channel()));
    } else if (e instanceof PeerEvent.ChannelError err) {
      fireChannel("onError", l -> l.onError(err.channel(), err.reason()));
    } else if (e instanceof PeerEvent.BufferedAmountLow low) {
      fireChannel("onBufferedAmountLow", l -> l.onBufferedAmountLow(low.channel()));
    } else if (e instanceof PeerEvent.PacketLoss p) {
      PacketLossListener l = onPacketLoss;
      fire(
          "onReceiverPacketLoss",
          () -> {
            if (l != null) {
              l.onPacketLoss(p.fractionLost(), p.totalLost());
            }
            all.onReceiverPacketLoss(p.fractionLost(), p.totalLost());
          });
    } else if (e instanceof PeerEvent.KeyframeRequest) {
      Runnable l = onRequestKeyframe;
      fire(
          "onRequestKeyframe",
          () -> {
            if (l != null) {
              l.run();
            }
            all.onKeyframeRequest();
          });
    }
  }

  /**
   * Not through {@link #fire}: a capturing lambda would allocate for every frame. Each listener
   * gets the frame from the same position and limit, and one that throws does not keep it from the
   * others.
   */
  private void deliverFrame(PeerEvent.MediaFrame f, Listener all) {
    boolean video = f.isVideo();
    MediaFrameListener l = video ? onVideoTrack : onAudioTrack;
    ByteBuffer frame = f.frame();
    int position = frame.position();
    int limit = frame.limit();
    if (l != null) {
      try {
        l.onFrame(frame, f.rtpTimestamp());
      } catch (RuntimeException ex) {
        CallbackErrors.report(log, video ? "onVideoTrack" : "onAudioTrack", ex);
      }
      frame.limit(limit).position(position); // the listener may have read it
    }
    AudioPacketListener p = onAudioPacket;
    if (p != null && !video) {
      try {
        p.onAudioPacket(frame, f.rtpTimestamp(), f.sequenceNumber(), f.arrivalNanos());
      } catch (RuntimeException ex) {
        CallbackErrors.report(log, "onAudioPacket", ex);
      }
      frame.limit(limit).position(position);
    }
    if (all != NO_LISTENER) {
      try {
        if (video) {
          all.onVideoFrame(frame, f.rtpTimestamp());
        } else {
          all.onAudioFrame(frame, f.rtpTimestamp());
        }
      } catch (RuntimeException ex) {
        CallbackErrors.report(log, video ? "onVideoFrame" : "onAudioFrame", ex);
      }
    }
  }

  private void fireChannel(String name, Consumer<DataChannelListener> call) {
    DataChannelListener l = dataChannelListener;
    if (l != null) {
      fire(name, () -> call.accept(l));
    }
    Listener all = listener;
    if (all != NO_LISTENER) {
      fire(name, () -> call.accept(all));
    }
  }

  private void fire(String callback, Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      CallbackErrors.report(log, callback, e);
    }
  }

  // ---------------------------------------------------------------- state, stats, close

  /** The connection state. Any thread. */
  public PeerConnectionState getState() {
    return core.state();
  }

  /**
   * Why the connection failed, in words (which DTLS alert, whose fingerprint, which timeout, or
   * that ICE failed), or null; {@link PeerStats#failure()} has it as a key to count.
   */
  public String failureReason() {
    return core.failureReason();
  }

  /** A snapshot of the counters. */
  public PeerStats getStats() {
    return onLoopThread("getStats", this::statsNow);
  }

  private PeerStats statsNow() {
    Map<String, Long> dropped = new LinkedHashMap<>();
    dropped.put("send-before-connected", notConnectedFrames.sum());
    dropped.put("audio-not-negotiated", audioNotNegotiated.sum());
    dropped.put("queued-call-failed", failedCommands);
    dropped.put("video-not-negotiated", videoNotNegotiated.sum());
    dropped.put("send-errors", transport.sendErrors());
    dropped.put("receive-errors", transport.receiveErrors());
    dropped.put("tcp-send-dropped", tcp.droppedPackets());
    if (audioQueue != null) {
      dropped.put("audio-queue-full", audioQueue.dropped());
    }
    if (videoQueue != null) {
      dropped.put("video-queue-full", videoQueue.dropped());
    }
    return core.stats(clock.nanoTime(), dropped, transport.sent() + tcp.sentPackets(), datagramsIn);
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
      for (Runnable r; !closed && (r = commands.poll()) != null; ) {
        r.run();
      }
      closeNow();
    } else {
      command(this::closeNow);
    }
  }

  private void closeNow() {
    if (closed) {
      return;
    }
    try {
      core.close(clock.nanoTime());
    } finally {
      drainCore(); // the goodbyes, then every channel's onClose and the CLOSED state
      closeSockets();
    }
  }

  private void closeSockets() {
    if (closed) {
      return;
    }
    closed = true;
    sendTransmits(); // goodbyes queued by a close the remote started
    transport.close();
    mdns.close();
    tcp.close();
  }

  // ---------------------------------------------------------------- for PeerLoop

  /** The shared port this connection sends and receives through, or null for its own sockets. */
  SharedUdpPort sharedPort() {
    return sharedPort;
  }

  /** The local ICE ufrag of the current generation, or null before an offer or answer. */
  String localUfrag() {
    return core.localUfrag();
  }

  void register(Selector selector, Runnable selectorWakeup) {
    this.wakeup =
        () -> {
          pendingWork = true;
          selectorWakeup.run();
        };
    selectorDriven = true;
    transport.register(selector, this);
    mdns.register(selector, this);
    try {
      tcp.register(selector, this);
    } catch (java.io.IOException e) {
      log.log(System.Logger.Level.WARNING, "cannot watch the TCP connections: " + e);
    }
  }

  /** Off its PeerLoop's selector (the loop cancelled the keys): loop() reads every socket again. */
  void unregistered() {
    selectorDriven = false;
    readyOps = 0;
  }

  /** When the loop must run again even if nothing arrives (nanos on the connection's clock). */
  long nextTimeoutNanos() {
    if (pendingWork
        || !commands.isEmpty()
        || (audioQueue != null && audioQueue.size() > 0)
        || (videoQueue != null && videoQueue.size() > 0)) {
      return clock.nanoTime();
    }
    return core.pollTimeoutNanos();
  }

  NanoClock clock() {
    return clock;
  }

  /** Whether something outside the loop produced work since the last loop() (any thread). */
  boolean hasPendingWork() {
    return pendingWork;
  }

  // ---------------------------------------------------------------- checks

  /**
   * Runs a control call on the loop thread: at once when called there (or before any loop ran),
   * else queued for the next {@code loop()} while the caller waits for its result, at most {@link
   * #CONTROL_CALL_TIMEOUT_SECONDS}.
   */
  private <T> T onLoopThread(String method, java.util.function.Supplier<T> call) {
    Thread o = owner;
    // Closed: the loop runs no more commands, and the core only answers (or refuses) now.
    if (closed || o == null || o == Thread.currentThread() || !o.isAlive()) {
      return call.get();
    }
    CompletableFuture<T> result = new CompletableFuture<>();
    command(() -> complete(result, call));
    try {
      return result.get(CONTROL_CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(method + "() failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          method
              + "() was handed to "
              + o.getName()
              + ", the thread that runs this connection's loop(), and it did not run it within "
              + CONTROL_CALL_TIMEOUT_SECONDS
              + " s: keep calling loop() (or use PeerLoop), or call it from that thread");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(method + "() interrupted while waiting for the loop", e);
    }
  }

  private static <T> void complete(
      CompletableFuture<T> result, java.util.function.Supplier<T> call) {
    try {
      result.complete(call.get());
    } catch (RuntimeException e) {
      result.completeExceptionally(e);
    }
  }

  /**
   * Runs {@code call} on the connection's loop thread (at once if this is that thread, or before
   * any {@code loop()} ran) and completes the future with its result or exception. Control calls
   * made from another thread wait for this themselves; use it to batch several without blocking.
   */
  public <T> CompletableFuture<T> submit(java.util.function.Function<PeerConnection, T> call) {
    CompletableFuture<T> result = new CompletableFuture<>();
    Thread o = owner;
    if (closed) {
      result.completeExceptionally(
          new IllegalStateException(
              "submit() on a closed PeerConnection (" + name() + "): create a new one"));
    } else if (o == null || o == Thread.currentThread() || !o.isAlive()) {
      complete(result, () -> call.apply(this));
    } else {
      command(() -> complete(result, () -> call.apply(this)));
    }
    return result;
  }

  /**
   * The connection's name: {@link PeerConfiguration.Builder#name(String)}, or {@code pc-N} (N
   * counting the connections this JVM created). Every log line of the connection starts with it.
   */
  public String name() {
    return core.name();
  }

  @Override
  public String toString() {
    return "PeerConnection["
        + core.name()
        + ", "
        + core.state().name().toLowerCase(Locale.ROOT)
        + ", fingerprint "
        + core.shortFingerprint()
        + "...]";
  }
}
