package io.github.jpeer.interop;

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
import dev.onvoid.webrtc.RTCSdpType;
import dev.onvoid.webrtc.RTCSessionDescription;
import dev.onvoid.webrtc.media.audio.HeadlessAudioDeviceModule;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A data-channel-only libwebrtc peer (webrtc-java) for {@link LibWebRtcDataChannelTest}: unlike
 * {@link LibWebRtcPeer} it keeps every channel by label, sends binary as well as string messages,
 * closes channels, and reports each channel's state changes. Every wait is bounded; what libwebrtc
 * reports on its threads lands in thread-safe queues here.
 */
final class LibWebRtcDataPeer implements AutoCloseable {
  private static final long TIMEOUT_SECONDS = 10;

  /** One message as libwebrtc delivered it (copied out of its buffer). */
  record Message(String label, byte[] data, boolean binary) {}

  private final HeadlessAudioDeviceModule audioModule;
  private final PeerConnectionFactory factory;
  private final RTCPeerConnection pc;
  private final CompletableFuture<Void> gathered = new CompletableFuture<>();
  private final Map<String, RTCDataChannel> channels = new ConcurrentHashMap<>();
  private final List<RTCDataChannel> all = new CopyOnWriteArrayList<>();
  private final BlockingQueue<String> opened = new LinkedBlockingQueue<>();
  private final BlockingQueue<String> closed = new LinkedBlockingQueue<>();
  private final BlockingQueue<Message> messages = new LinkedBlockingQueue<>();

  LibWebRtcDataPeer() {
    LibWebRtcPeer.requireNativeLibraries();
    audioModule = new HeadlessAudioDeviceModule();
    audioModule.stopRecording(); // no audio here; keep the headless recorder quiet
    factory = new PeerConnectionFactory(audioModule);
    pc =
        factory.createPeerConnection(
            new RTCConfiguration(),
            new PeerConnectionObserver() {
              @Override
              public void onIceCandidate(RTCIceCandidate candidate) {}

              @Override
              public void onIceGatheringChange(RTCIceGatheringState state) {
                if (state == RTCIceGatheringState.COMPLETE) {
                  gathered.complete(null);
                }
              }

              @Override
              public void onDataChannel(RTCDataChannel ch) {
                watch(ch); // a channel jpeer opened
              }
            });
  }

  /** Opens a reliable ordered channel labelled {@code label}. */
  void createChannel(String label) {
    watch(pc.createDataChannel(label, new RTCDataChannelInit()));
  }

  private void watch(RTCDataChannel ch) {
    String label = ch.getLabel();
    channels.put(label, ch);
    all.add(ch);
    ch.registerObserver(
        new RTCDataChannelObserver() {
          @Override
          public void onBufferedAmountChange(long previousAmount) {}

          @Override
          public void onStateChange() {
            RTCDataChannelState s = ch.getState();
            if (s == RTCDataChannelState.OPEN) {
              opened.add(label);
            } else if (s == RTCDataChannelState.CLOSED) {
              closed.add(label);
            }
          }

          @Override
          public void onMessage(RTCDataChannelBuffer buffer) {
            byte[] b = new byte[buffer.data.remaining()];
            buffer.data.get(b);
            messages.add(new Message(label, b, buffer.binary));
          }
        });
    if (ch.getState() == RTCDataChannelState.OPEN) {
      opened.add(label); // opened before the observer was registered
    }
  }

  /** Sends a message on the channel labelled {@code label}. */
  void send(String label, byte[] data, boolean binary) throws Exception {
    // libwebrtc reads the buffer on its own thread: hand it a direct copy it can keep.
    ByteBuffer direct = ByteBuffer.allocateDirect(data.length).put(data).flip();
    channels.get(label).send(new RTCDataChannelBuffer(direct, binary));
  }

  /** Closes the channel labelled {@code label}. */
  void closeChannel(String label) {
    channels.get(label).close();
  }

  /** The label of the next channel that became OPEN, or null after the timeout. */
  String pollOpened() throws InterruptedException {
    return opened.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }

  /** The label of the next channel that became CLOSED, or null after the timeout. */
  String pollClosed() throws InterruptedException {
    return closed.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }

  /** The next message received on any channel, or null after the timeout. */
  Message pollMessage() throws InterruptedException {
    return messages.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }

  /** Makes an offer, sets it locally, waits for gathering and returns the complete SDP. */
  String createOffer() {
    RTCSessionDescription offer =
        LibWebRtcPeer.await(
            (CompletableFuture<RTCSessionDescription> f) ->
                pc.createOffer(new RTCOfferOptions(), LibWebRtcPeer.describe(f)));
    return setLocalAndGather(offer);
  }

  /** Makes the answer to the applied offer, sets it locally, gathers and returns the SDP. */
  String createAnswer() {
    RTCSessionDescription answer =
        LibWebRtcPeer.await(
            (CompletableFuture<RTCSessionDescription> f) ->
                pc.createAnswer(new RTCAnswerOptions(), LibWebRtcPeer.describe(f)));
    return setLocalAndGather(answer);
  }

  /** Applies jpeer's offer or answer. */
  void setRemoteDescription(String sdp, boolean isOffer) {
    RTCSessionDescription d =
        new RTCSessionDescription(isOffer ? RTCSdpType.OFFER : RTCSdpType.ANSWER, sdp);
    LibWebRtcPeer.await(
        (CompletableFuture<Void> f) -> pc.setRemoteDescription(d, LibWebRtcPeer.applied(f)));
  }

  private String setLocalAndGather(RTCSessionDescription d) {
    LibWebRtcPeer.await(
        (CompletableFuture<Void> f) -> pc.setLocalDescription(d, LibWebRtcPeer.applied(f)));
    LibWebRtcPeer.get(gathered);
    return pc.getLocalDescription().sdp;
  }

  @Override
  public void close() {
    for (RTCDataChannel ch : all) {
      ch.unregisterObserver();
      ch.close();
      ch.dispose();
    }
    pc.close();
    factory.dispose();
    audioModule.dispose();
  }
}
