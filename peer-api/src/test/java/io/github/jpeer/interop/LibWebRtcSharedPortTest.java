package io.github.jpeer.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import io.github.jpeer.SharedUdpPort;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Google's libwebrtc (webrtc-java) against jpeer as an ICE-lite server: two libwebrtc clients
 * calling two jpeer connections on one {@link SharedUdpPort}, and a lite jpeer offering to
 * libwebrtc. libwebrtc must accept {@code a=ice-lite}, be the controlling side, nominate the port's
 * candidate, and carry audio and data channel messages both ways. The port is bound to this
 * machine's interface address, where libwebrtc gathers.
 */
@Tag("interop")
class LibWebRtcSharedPortTest {
  /** A jpeer side and what its callbacks saw. */
  private static final class Server {
    final PeerConnection pc;
    final CompletableFuture<Void> completed = new CompletableFuture<>();
    final CompletableFuture<DataChannel> opened = new CompletableFuture<>();
    final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    final AtomicLong framesIn = new AtomicLong();

    Server(PeerConfiguration.Builder b) {
      pc =
          PeerConnection.create(
              b.audioCodec(MediaCodec.OPUS)
                  .dataChannel(DataChannelType.STRING)
                  .iceLite(true)
                  .onAudioTrack((frame, ts) -> framesIn.incrementAndGet())
                  .build());
      pc.onIceConnectionStateChange(
          s -> {
            if (s == PeerConnectionState.COMPLETED) {
              completed.complete(null);
            } else if (s == PeerConnectionState.FAILED) {
              completed.completeExceptionally(new AssertionError("failed: " + pc.failureReason()));
            }
          });
      pc.onDataChannel(
          new DataChannelListener() {
            @Override
            public void onOpen(DataChannel channel) {
              opened.complete(channel);
            }

            @Override
            public void onMessage(DataChannel channel, ByteBuffer message, boolean binary) {
              byte[] b = new byte[message.remaining()];
              message.get(b);
              messages.add(new String(b, StandardCharsets.UTF_8));
            }
          });
    }
  }

  /** The first up, non-loopback IPv4 address of this machine: where libwebrtc gathers. */
  private static InetAddress interfaceAddress() throws Exception {
    for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (nif.isUp() && !nif.isLoopback()) {
        for (InetAddress a : Collections.list(nif.getInetAddresses())) {
          if (a instanceof Inet4Address) {
            return a;
          }
        }
      }
    }
    throw new IllegalStateException("this machine has no non-loopback IPv4 address to test on");
  }

  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void twoLibWebRtcClientsCallOnePort() throws Exception {
    LibWebRtcPeer.requireNativeLibraries();
    List<LibWebRtcPeer> clients = new ArrayList<>();
    try (PeerLoop loop = PeerLoop.start("interop-shared")) {
      SharedUdpPort port = loop.openSharedPort(new InetSocketAddress(interfaceAddress(), 0));
      List<Server> servers = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        LibWebRtcPeer google = new LibWebRtcPeer(true, "google-channel-" + i);
        clients.add(google);
        Server s = new Server(PeerConfiguration.builder().sharedPort(port));
        servers.add(s);
        s.pc.setRemoteDescription(google.createOffer(), SdpType.OFFER);
        String answer = s.pc.createAnswer();
        assertTrue(answer.contains("\r\na=ice-lite\r\n"), answer);
        loop.add(s.pc).get(5, TimeUnit.SECONDS);
        google.setRemoteDescription(answer, false);
      }
      for (int i = 0; i < 2; i++) {
        exchange(servers.get(i), loop, clients.get(i), "google-channel-" + i);
      }
      assertEquals(0, port.unknownSources(), port.toString());
      assertEquals(0, port.unknownUfrags(), port.toString());
      assertEquals(2, port.size());
    } finally {
      for (LibWebRtcPeer c : clients) {
        c.close();
      }
    }
  }

  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void aLiteJpeerOffersAndLibWebRtcControls() throws Exception {
    LibWebRtcPeer.requireNativeLibraries();
    try (PeerLoop loop = PeerLoop.start("interop-lite-offer");
        LibWebRtcPeer google = new LibWebRtcPeer(true, null)) {
      Server s = new Server(PeerConfiguration.builder().iceTcp(false));
      s.pc.createDataChannel("oai-events");
      CompletableFuture<String> fullOffer = new CompletableFuture<>();
      s.pc.onIceCandidate(fullOffer::complete);
      s.pc.createOffer();
      loop.add(s.pc).get(5, TimeUnit.SECONDS);
      google.setRemoteDescription(fullOffer.get(10, TimeUnit.SECONDS), true);
      String answer = google.createAnswer();
      loop.submit(() -> s.pc.setRemoteDescription(answer, SdpType.ANSWER)).get(5, TimeUnit.SECONDS);
      exchange(s, loop, google, null);
    }
  }

  /**
   * Audio both ways, then a message each way on the channel ({@code googleLabel}: the channel
   * libwebrtc opened; null: the one jpeer opened).
   */
  private static void exchange(Server s, PeerLoop loop, LibWebRtcPeer google, String googleLabel)
      throws Exception {
    s.completed.get(20, TimeUnit.SECONDS);
    assertTrue(google.awaitConnected(10_000), "libwebrtc states " + google.states());
    CountDownLatch never = new CountDownLatch(1);
    short[] tone = new short[480];
    for (int i = 0; i < tone.length; i++) {
      tone[i] = (short) (6000 * Math.sin(2 * Math.PI * 440 * i / 48_000.0));
    }
    byte[] opus = new byte[60];
    opus[0] = (byte) 0xf8; // 20 ms CELT fullband
    for (int i = 0; i < 100 && (google.inboundAudioPackets() < 20 || s.framesIn.get() < 20); i++) {
      s.pc.sendAudio(opus);
      google.pushAudio(tone);
      google.pushAudio(tone);
      never.await(20, TimeUnit.MILLISECONDS);
    }
    assertTrue(
        google.inboundAudioPackets() >= 20, "libwebrtc received " + google.inboundAudioPackets());
    assertTrue(s.framesIn.get() >= 20, "jpeer received " + s.framesIn.get() + " audio frames");
    DataChannel ours = s.opened.get(10, TimeUnit.SECONDS);
    if (googleLabel != null) {
      assertEquals(googleLabel, ours.label());
      google.send("hello from libwebrtc");
      assertEquals("hello from libwebrtc", s.messages.poll(5, TimeUnit.SECONDS));
    } else {
      for (int i = 0; i < 50 && google.pollRemoteChannel(0) == null; i++) {
        never.await(20, TimeUnit.MILLISECONDS);
      }
    }
    ours.send("hello from jpeer");
    assertEquals("hello from jpeer", google.pollMessage(5_000));
    assertEquals(
        "host",
        loop.submit(s.pc::getStats).get(5, TimeUnit.SECONDS).candidatePair().localType(),
        "a lite agent has host candidates only");
  }
}
