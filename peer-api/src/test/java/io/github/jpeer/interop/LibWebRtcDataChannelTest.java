package io.github.jpeer.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jpeer.DataChannel;
import io.github.jpeer.DataChannelListener;
import io.github.jpeer.DataChannelType;
import io.github.jpeer.MediaCodec;
import io.github.jpeer.PeerConfiguration;
import io.github.jpeer.PeerConnection;
import io.github.jpeer.PeerConnectionState;
import io.github.jpeer.PeerLoop;
import io.github.jpeer.SdpType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Data channels between jpeer and Google's libwebrtc (webrtc-java), with either side offering:
 * channels opened from each side, string and binary messages both ways, a 256 KiB message, and
 * closing a channel from each side. jpeer binds this machine's interfaces, as libwebrtc does;
 * traffic stays on the machine.
 */
@Tag("interop")
class LibWebRtcDataChannelTest {
  private final BlockingQueue<DataChannel> opened = new LinkedBlockingQueue<>();
  private final BlockingQueue<DataChannel> closed = new LinkedBlockingQueue<>();
  private final BlockingQueue<Object[]> messages = new LinkedBlockingQueue<>();
  private final CompletableFuture<Void> completed = new CompletableFuture<>();

  private PeerConnection jpeer() {
    PeerConnection pc =
        PeerConnection.create(
            PeerConfiguration.builder()
                .audioCodec(MediaCodec.NONE)
                .dataChannel(DataChannelType.STRING)
                .build());
    pc.onIceConnectionStateChange(
        s -> {
          if (s == PeerConnectionState.COMPLETED) {
            completed.complete(null);
          }
        });
    pc.onDataChannel(
        new DataChannelListener() {
          @Override
          public void onOpen(DataChannel channel) {
            opened.add(channel);
          }

          @Override
          public void onMessage(DataChannel channel, ByteBuffer message, boolean binary) {
            byte[] b = new byte[message.remaining()];
            message.get(b);
            messages.add(new Object[] {channel.label(), b, binary});
          }

          @Override
          public void onClose(DataChannel channel) {
            closed.add(channel);
          }
        });
    return pc;
  }

  private static <T> T take(BlockingQueue<T> q, String what) throws InterruptedException {
    T t = q.poll(10, TimeUnit.SECONDS);
    assertNotNull(t, "timed out waiting for " + what);
    return t;
  }

  /** Connects jpeer and libwebrtc, each having opened one channel first; returns jpeer's. */
  private Map<String, DataChannel> connect(
      PeerLoop loop, PeerConnection pc, LibWebRtcDataPeer google, boolean jpeerOffers)
      throws Exception {
    DataChannel mine = pc.createDataChannel("from-jpeer");
    google.createChannel("from-google");
    CompletableFuture<String> complete = new CompletableFuture<>();
    pc.onIceCandidate(complete::complete);
    if (jpeerOffers) {
      pc.createOffer();
      loop.add(pc).get(5, TimeUnit.SECONDS);
      google.setRemoteDescription(complete.get(10, TimeUnit.SECONDS), true);
      String answer = google.createAnswer();
      loop.submit(() -> pc.setRemoteDescription(answer, SdpType.ANSWER)).get(5, TimeUnit.SECONDS);
    } else {
      pc.setRemoteDescription(google.createOffer(), SdpType.OFFER);
      pc.createAnswer();
      loop.add(pc).get(5, TimeUnit.SECONDS);
      google.setRemoteDescription(complete.get(10, TimeUnit.SECONDS), false);
    }
    completed.get(20, TimeUnit.SECONDS);
    Map<String, DataChannel> byLabel = new HashMap<>();
    for (int i = 0; i < 2; i++) {
      DataChannel ch = take(opened, "a channel open at jpeer");
      byLabel.put(ch.label(), ch);
    }
    assertEquals(mine, byLabel.get("from-jpeer"));
    assertTrue(byLabel.containsKey("from-google"), byLabel.toString());
    java.util.Set<String> googleOpen = new java.util.HashSet<>();
    googleOpen.add(google.pollOpened());
    googleOpen.add(google.pollOpened());
    assertEquals(java.util.Set.of("from-jpeer", "from-google"), googleOpen);
    return byLabel;
  }

  private void expectAtJpeer(String label, byte[] data, boolean binary)
      throws InterruptedException {
    Object[] m = take(messages, "a message at jpeer on " + label);
    assertEquals(label, m[0]);
    assertEquals(binary, m[2], "binary flag");
    assertArrayEquals(data, (byte[]) m[1]);
  }

  private static void expectAtGoogle(
      LibWebRtcDataPeer google, String label, byte[] data, boolean binary) throws Exception {
    LibWebRtcDataPeer.Message m = google.pollMessage();
    assertNotNull(m, "timed out waiting for a message at libwebrtc on " + label);
    assertEquals(label, m.label());
    assertEquals(binary, m.binary(), "binary flag");
    assertArrayEquals(data, m.data());
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @ParameterizedTest(name = "jpeer offers: {0}")
  @ValueSource(booleans = {true, false})
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void channelsFromEachSideMessagesBothWaysAndCloseFromEachSide(boolean jpeerOffers)
      throws Exception {
    try (PeerLoop loop = PeerLoop.start("interop-dc");
        LibWebRtcDataPeer google = new LibWebRtcDataPeer()) {
      PeerConnection pc = jpeer();
      Map<String, DataChannel> ours = connect(loop, pc, google, jpeerOffers);
      byte[] large = new byte[256 * 1024]; // both stacks advertise max-message-size 262144
      new SplittableRandom(11).nextBytes(large);
      for (String label : new String[] {"from-jpeer", "from-google"}) {
        DataChannel ch = ours.get(label);
        ch.send("jpeer says hi on " + label);
        expectAtGoogle(google, label, utf8("jpeer says hi on " + label), false);
        ch.send(new byte[] {1, 2, 3, (byte) 0xff});
        expectAtGoogle(google, label, new byte[] {1, 2, 3, (byte) 0xff}, true);
        google.send(label, utf8("libwebrtc says hi on " + label), false);
        expectAtJpeer(label, utf8("libwebrtc says hi on " + label), false);
        google.send(label, new byte[] {9, 0, 9}, true);
        expectAtJpeer(label, new byte[] {9, 0, 9}, true);
        google.send(label, large, true);
        expectAtJpeer(label, large, true);
      }

      // jpeer closes the channel it opened; libwebrtc closes the one it opened.
      ours.get("from-jpeer").close();
      assertEquals("from-jpeer", take(closed, "onClose at jpeer").label());
      assertEquals("from-jpeer", google.pollClosed());
      google.closeChannel("from-google");
      assertEquals("from-google", google.pollClosed());
      assertEquals("from-google", take(closed, "onClose at jpeer").label());
      assertEquals(PeerConnectionState.COMPLETED, pc.getState(), "closing channels keeps the call");
      loop.submit(pc::close).get(5, TimeUnit.SECONDS);
    }
  }

  // Bug: a 256 KiB message from jpeer is fragmented into 1200-byte SCTP packets (SctpConfig's
  // default MTU), larger than the 1163 bytes one DTLS record over a 1200-byte datagram carries:
  // DtlsEndpoint.sendApplicationData throws out of PeerConnection.pump() and nothing is sent.
  @ParameterizedTest(name = "jpeer offers: {0}")
  @ValueSource(booleans = {true, false})
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void largeMessageFromJpeer(boolean jpeerOffers) throws Exception {
    try (PeerLoop loop = PeerLoop.start("interop-dc-large");
        LibWebRtcDataPeer google = new LibWebRtcDataPeer()) {
      PeerConnection pc = jpeer();
      Map<String, DataChannel> ours = connect(loop, pc, google, jpeerOffers);
      byte[] large = new byte[256 * 1024];
      new SplittableRandom(12).nextBytes(large);
      ours.get("from-google").send(large);
      expectAtGoogle(google, "from-google", large, true);
      loop.submit(pc::close).get(5, TimeUnit.SECONDS);
    }
  }
}
