package io.github.jpeer.interop;

import dev.onvoid.webrtc.CreateSessionDescriptionObserver;
import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.PeerConnectionObserver;
import dev.onvoid.webrtc.RTCAnswerOptions;
import dev.onvoid.webrtc.RTCConfiguration;
import dev.onvoid.webrtc.RTCDataChannel;
import dev.onvoid.webrtc.RTCDataChannelBuffer;
import dev.onvoid.webrtc.RTCDataChannelInit;
import dev.onvoid.webrtc.RTCDataChannelObserver;
import dev.onvoid.webrtc.RTCDataChannelState;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCIceGatheringState;
import dev.onvoid.webrtc.RTCOfferOptions;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCPeerConnectionState;
import dev.onvoid.webrtc.RTCRtpTransceiver;
import dev.onvoid.webrtc.RTCRtpTransceiverDirection;
import dev.onvoid.webrtc.RTCRtpTransceiverInit;
import dev.onvoid.webrtc.RTCSdpType;
import dev.onvoid.webrtc.RTCSessionDescription;
import dev.onvoid.webrtc.RTCStats;
import dev.onvoid.webrtc.RTCStatsReport;
import dev.onvoid.webrtc.RTCStatsType;
import dev.onvoid.webrtc.SetSessionDescriptionObserver;
import dev.onvoid.webrtc.media.MediaStreamTrack;
import dev.onvoid.webrtc.media.audio.AudioTrack;
import dev.onvoid.webrtc.media.audio.CustomAudioSource;
import dev.onvoid.webrtc.media.audio.HeadlessAudioDeviceModule;
import dev.onvoid.webrtc.media.video.CustomVideoSource;
import dev.onvoid.webrtc.media.video.VideoTrack;
import dev.onvoid.webrtc.media.video.VideoTrackSink;
import io.github.jpeer.testkit.ExternalTools;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Google's libwebrtc (through webrtc-java) as the "other stack" of jpeer's interop tests: one peer
 * connection with an optional audio track fed from Java, an optional data channel, and optionally a
 * video receiver that counts the frames libwebrtc decodes.
 *
 * <p>Every wait is bounded. libwebrtc works on its own threads; what it reports lands in
 * thread-safe queues and futures here. Its host candidates use this machine's interface addresses
 * (it ignores loopback), so traffic stays on this machine.
 */
public final class LibWebRtcPeer implements AutoCloseable {
  private static final long TIMEOUT_SECONDS = 10;

  /**
   * The system libraries webrtc-java's Linux build links against (readelf -d of its .so), each with
   * its Debian package. Without one, loading it throws UnsatisfiedLinkError.
   */
  private static final Map<String, String> LINUX_LIBRARIES =
      Map.of(
          "libpulse.so.0", "libpulse0",
          "libudev.so.1", "libudev1",
          "libX11.so.6", "libx11-6",
          "libXfixes.so.3", "libxfixes3",
          "libXrandr.so.2", "libxrandr2",
          "libXcomposite.so.1", "libxcomposite1",
          "libdbus-1.so.3", "libdbus-1-3");

  private final HeadlessAudioDeviceModule audioModule;
  private final PeerConnectionFactory factory;
  private final RTCPeerConnection pc;
  // completed when gathering ends; a new one for each local description (an ICE restart gathers
  // again)
  private volatile CompletableFuture<Void> gathered = new CompletableFuture<>();
  private final List<RTCPeerConnectionState> states = new CopyOnWriteArrayList<>();
  private final BlockingQueue<String> receivedMessages = new LinkedBlockingQueue<>();
  private final BlockingQueue<RTCDataChannel> remoteChannels = new LinkedBlockingQueue<>();
  private final AtomicLong receivedAudioFrames = new AtomicLong();
  private final List<RTCDataChannel> openedChannels = new CopyOnWriteArrayList<>();
  private CustomAudioSource audioSource;
  private AudioTrack audioTrack;
  private dev.onvoid.webrtc.RTCRtpSender audioSender;
  private RTCDataChannel channel;
  private final AtomicLong decodedVideoFrames = new AtomicLong();
  private final List<VideoTrack> remoteVideoTracks = new CopyOnWriteArrayList<>();
  private final VideoTrackSink videoSink =
      frame -> {
        decodedVideoFrames.incrementAndGet();
        frame.release(); // webrtc-java hands the sink a reference it must give back
      };
  private CustomVideoSource videoSource;
  private VideoTrack videoTrack;
  private RTCRtpTransceiver videoTransceiver;

  /**
   * A peer with an audio track (sendrecv, fed by {@link #pushAudio}) if {@code audio}, and a data
   * channel labelled {@code dataChannelLabel} if that is not null.
   */
  public LibWebRtcPeer(boolean audio, String dataChannelLabel) {
    this(audio, dataChannelLabel, false);
  }

  /**
   * As {@link #LibWebRtcPeer(boolean, String)}, and if {@code videoReceive} a recvonly video
   * transceiver (in this peer's offer; as answerer, libwebrtc accepts an offered video section by
   * itself). Decoded remote video frames are counted either way ({@link #decodedVideoFrames}).
   */
  public LibWebRtcPeer(boolean audio, String dataChannelLabel, boolean videoReceive) {
    requireNativeLibraries();
    audioModule = new HeadlessAudioDeviceModule();
    // Audio comes from CustomAudioSource, not the (headless) recorder: stop it, or libwebrtc
    // aborts the JVM with a RaceDetected check when both feed the same track.
    audioModule.stopRecording();
    factory = new PeerConnectionFactory(audioModule);
    pc = factory.createPeerConnection(new RTCConfiguration(), new Observer());
    if (audio) {
      audioSource = new CustomAudioSource();
      audioTrack = factory.createAudioTrack("audio", audioSource);
      audioSender = pc.addTrack(audioTrack, List.of("stream"));
    }
    if (dataChannelLabel != null) {
      channel = pc.createDataChannel(dataChannelLabel, new RTCDataChannelInit());
      watch(channel);
    }
    if (videoReceive) {
      // webrtc-java's addTransceiver wants a track even for recvonly: an idle one never sends.
      videoSource = new CustomVideoSource();
      videoTrack = factory.createVideoTrack("video", videoSource);
      RTCRtpTransceiverInit init = new RTCRtpTransceiverInit();
      init.direction = RTCRtpTransceiverDirection.RECV_ONLY;
      init.streamIds = List.of("stream");
      videoTransceiver = pc.addTransceiver(videoTrack, init);
    }
  }

  /**
   * Fails the calling test, naming the Debian packages to install, where a system library that
   * libwebrtc needs is missing: call it before the first use of a webrtc-java class.
   */
  static void requireNativeLibraries() {
    ExternalTools.requireSharedLibraries("libwebrtc (webrtc-java)", LINUX_LIBRARIES);
  }

  /** Makes an offer, sets it locally, waits for gathering and returns the complete SDP. */
  public String createOffer() {
    return createOffer(false);
  }

  /**
   * Makes an offer ({@code iceRestart}: with new ICE credentials, RTCOfferOptions.iceRestart), sets
   * it locally, waits for gathering and returns the complete SDP.
   */
  public String createOffer(boolean iceRestart) {
    RTCOfferOptions options = new RTCOfferOptions();
    options.iceRestart = iceRestart;
    RTCSessionDescription offer =
        await((CompletableFuture<RTCSessionDescription> f) -> pc.createOffer(options, describe(f)));
    return setLocalAndGather(offer);
  }

  /** Makes an answer to the remote offer, sets it locally, gathers and returns the SDP. */
  public String createAnswer() {
    RTCSessionDescription answer =
        await(
            (CompletableFuture<RTCSessionDescription> f) ->
                pc.createAnswer(new RTCAnswerOptions(), describe(f)));
    return setLocalAndGather(answer);
  }

  /** Applies the remote side's offer or answer. */
  public void setRemoteDescription(String sdp, boolean isOffer) {
    RTCSessionDescription d =
        new RTCSessionDescription(isOffer ? RTCSdpType.OFFER : RTCSdpType.ANSWER, sdp);
    await((CompletableFuture<Void> f) -> pc.setRemoteDescription(d, applied(f)));
  }

  private String setLocalAndGather(RTCSessionDescription d) {
    boolean restart =
        pc.getLocalDescription() != null
            && !ufrag(d.sdp).equals(ufrag(pc.getLocalDescription().sdp));
    if (restart) {
      gathered = new CompletableFuture<>(); // new credentials: gathering starts over
    }
    await((CompletableFuture<Void> f) -> pc.setLocalDescription(d, applied(f)));
    get(gathered);
    return pc.getLocalDescription().sdp;
  }

  /** The a=ice-ufrag of a description (its first), or "" if it has none. */
  public static String ufrag(String sdp) {
    int i = sdp.indexOf("a=ice-ufrag:");
    return i < 0 ? "" : sdp.substring(i + 12, sdp.indexOf('\r', i));
  }

  /** Waits (bounded) until the connection state is CONNECTED; false if it never got there. */
  public boolean awaitConnected(long timeoutMillis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    synchronized (states) {
      while (!states.contains(RTCPeerConnectionState.CONNECTED)) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        states.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
      }
    }
    return true;
  }

  /** The connection states libwebrtc reported, in order. */
  public List<RTCPeerConnectionState> states() {
    return List.copyOf(states);
  }

  /** Feeds 10 ms of 16-bit mono 48 kHz PCM (480 samples) to the outgoing audio track. */
  public void pushAudio(short[] pcm10ms) {
    // libwebrtc starts the (headless) recorder when the send stream starts, at some moment after
    // the connection is up; a recorder feeding the stream while this thread pushes trips its
    // RaceDetected check and aborts the JVM (seen once when the stream started after the first
    // push, which used to be the only one that stopped it). Stopping it before every push leaves
    // a window of microseconds once per stream start instead of the whole call.
    audioModule.stopRecording();
    byte[] bytes = new byte[pcm10ms.length * 2];
    ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).asShortBuffer().put(pcm10ms);
    audioSource.pushAudio(bytes, 16, 48_000, 1, pcm10ms.length);
  }

  /** Frames of decoded audio libwebrtc delivered from the remote track so far. */
  public long receivedAudioFrames() {
    return receivedAudioFrames.get();
  }

  /** libwebrtc's inbound-rtp packetsReceived for audio (0 if none yet). */
  public long inboundAudioPackets() {
    return statSum(RTCStatsType.INBOUND_RTP, "packetsReceived");
  }

  /** libwebrtc's outbound-rtp packetsSent for audio (0 if none yet). */
  public long outboundAudioPackets() {
    return statSum(RTCStatsType.OUTBOUND_RTP, "packetsSent");
  }

  private long statSum(RTCStatsType type, String attribute) {
    long sum = 0;
    for (RTCStats s : stats().getStats().values()) {
      Object v = s.getAttributes().get(attribute);
      if (s.getType() == type && v instanceof Number n) {
        sum += n.longValue();
      }
    }
    return sum;
  }

  private RTCStatsReport stats() {
    CompletableFuture<RTCStatsReport> f = new CompletableFuture<>();
    pc.getStats(f::complete);
    return get(f);
  }

  /** Video frames libwebrtc decoded and delivered to this peer's sink so far. */
  public long decodedVideoFrames() {
    return decodedVideoFrames.get();
  }

  /**
   * The attributes of libwebrtc's inbound-rtp stats for video (W3C webrtc-stats names: {@code
   * framesDecoded}, {@code packetsReceived}, {@code packetsLost}, {@code nackCount}, {@code
   * pliCount}, {@code keyFramesDecoded}, ...), or an empty map before the first video packet.
   */
  public Map<String, Object> inboundVideoStats() {
    for (RTCStats s : stats().getStats().values()) {
      if (s.getType() == RTCStatsType.INBOUND_RTP
          && "video".equals(s.getAttributes().get("kind"))) {
        return Map.copyOf(s.getAttributes());
      }
    }
    return Map.of();
  }

  /** One snapshot of the video receiver's counters, read from {@link #inboundVideoStats}. */
  public VideoReceiveStats videoReceiveStats() {
    Map<String, Object> a = inboundVideoStats();
    return new VideoReceiveStats(
        number(a, "framesDecoded"),
        number(a, "keyFramesDecoded"),
        number(a, "packetsReceived"),
        number(a, "packetsLost"),
        number(a, "nackCount"),
        number(a, "pliCount"));
  }

  private static long number(Map<String, Object> attributes, String name) {
    return attributes.get(name) instanceof Number n ? n.longValue() : 0;
  }

  /**
   * libwebrtc's view of the video it receives (inbound-rtp, W3C webrtc-stats); zero before the
   * first packet.
   *
   * @param framesDecoded frames the decoder produced
   * @param keyFramesDecoded of which key frames
   * @param packetsReceived RTP packets received (retransmissions included)
   * @param packetsLost packets expected minus received (RFC 3550 cumulative loss)
   * @param nackCount RTCP NACK packets libwebrtc sent
   * @param pliCount RTCP PLI packets libwebrtc sent
   */
  public record VideoReceiveStats(
      long framesDecoded,
      long keyFramesDecoded,
      long packetsReceived,
      long packetsLost,
      long nackCount,
      long pliCount) {}

  /** Sends a string on this peer's own data channel (once open). */
  public void send(String message) throws Exception {
    channel.send(
        new RTCDataChannelBuffer(ByteBuffer.wrap(message.getBytes(StandardCharsets.UTF_8)), false));
  }

  /** Whether this peer's own data channel is open. */
  public boolean channelOpen() {
    return channel != null && channel.getState() == RTCDataChannelState.OPEN;
  }

  /** The next data channel message received (on any channel), or null after the timeout. */
  public String pollMessage(long timeoutMillis) throws InterruptedException {
    return receivedMessages.poll(timeoutMillis, TimeUnit.MILLISECONDS);
  }

  /** The next data channel the remote opened, or null after the timeout. */
  public RTCDataChannel pollRemoteChannel(long timeoutMillis) throws InterruptedException {
    return remoteChannels.poll(timeoutMillis, TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    // Channels first (they hold observers), then the connection, then what it used.
    for (RTCDataChannel ch : openedChannels) {
      ch.unregisterObserver();
      ch.close();
      ch.dispose();
    }
    if (audioSender != null) {
      pc.removeTrack(audioSender); // the sender holds the track; dispose fails while it does
    }
    if (videoTransceiver != null) {
      pc.removeTrack(videoTransceiver.getSender());
    }
    for (VideoTrack t : remoteVideoTracks) {
      t.removeSink(videoSink);
    }
    pc.close();
    if (videoTrack != null) {
      videoTrack.dispose();
    }
    if (videoSource != null) {
      videoSource.dispose();
    }
    if (audioTrack != null) {
      audioTrack.dispose();
    }
    if (audioSource != null) {
      audioSource.dispose();
    }
    factory.dispose();
    audioModule.dispose();
  }

  private void watch(RTCDataChannel ch) {
    openedChannels.add(ch);
    ch.registerObserver(
        new RTCDataChannelObserver() {
          @Override
          public void onBufferedAmountChange(long previousAmount) {}

          @Override
          public void onStateChange() {}

          @Override
          public void onMessage(RTCDataChannelBuffer buffer) {
            byte[] b = new byte[buffer.data.remaining()];
            buffer.data.get(b);
            receivedMessages.add(new String(b, StandardCharsets.UTF_8));
          }
        });
  }

  private final class Observer implements PeerConnectionObserver {
    @Override
    public void onIceCandidate(RTCIceCandidate candidate) {}

    @Override
    public void onIceGatheringChange(RTCIceGatheringState state) {
      if (state == RTCIceGatheringState.COMPLETE) {
        gathered.complete(null);
      }
    }

    @Override
    public void onConnectionChange(RTCPeerConnectionState state) {
      synchronized (states) {
        states.add(state);
        states.notifyAll();
      }
    }

    @Override
    public void onDataChannel(RTCDataChannel ch) {
      watch(ch);
      remoteChannels.add(ch);
    }

    @Override
    public void onTrack(RTCRtpTransceiver transceiver) {
      MediaStreamTrack track = transceiver.getReceiver().getTrack();
      if (track instanceof AudioTrack audio) {
        audio.addSink(
            (data, bits, rate, channels, frames) -> receivedAudioFrames.incrementAndGet());
      } else if (track instanceof VideoTrack video) {
        remoteVideoTracks.add(video);
        video.addSink(videoSink);
      }
    }
  }

  /** Completes {@code f} with the description libwebrtc creates (shared by the harnesses). */
  static CreateSessionDescriptionObserver describe(CompletableFuture<RTCSessionDescription> f) {
    return new CreateSessionDescriptionObserver() {
      @Override
      public void onSuccess(RTCSessionDescription d) {
        f.complete(d);
      }

      @Override
      public void onFailure(String error) {
        f.completeExceptionally(new IllegalStateException("libwebrtc: " + error));
      }
    };
  }

  /** Completes {@code f} when libwebrtc has applied a description. */
  static SetSessionDescriptionObserver applied(CompletableFuture<Void> f) {
    return new SetSessionDescriptionObserver() {
      @Override
      public void onSuccess() {
        f.complete(null);
      }

      @Override
      public void onFailure(String error) {
        f.completeExceptionally(new IllegalStateException("libwebrtc: " + error));
      }
    };
  }

  /** Starts a libwebrtc call that completes {@code f}, and waits (bounded) for it. */
  static <T> T await(java.util.function.Consumer<CompletableFuture<T>> start) {
    CompletableFuture<T> f = new CompletableFuture<>();
    start.accept(f);
    return get(f);
  }

  /** Waits (bounded) for a libwebrtc future. */
  static <T> T get(CompletableFuture<T> f) {
    try {
      return f.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(
          "libwebrtc did not answer within " + TIMEOUT_SECONDS + " s", e);
    }
  }
}
