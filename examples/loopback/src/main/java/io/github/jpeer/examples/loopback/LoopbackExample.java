package io.github.jpeer.examples.loopback;

import io.github.jpeer.MediaCodec;
import io.github.jpeer.PeerConfiguration;
import io.github.jpeer.PeerConnection;
import io.github.jpeer.PeerConnectionState;
import io.github.jpeer.PeerLoop;
import io.github.jpeer.PeerStats;
import io.github.jpeer.SdpType;
import io.github.jpeer.media.LevelMeter;
import io.github.jpeer.media.OpusConfig;
import io.github.jpeer.media.OpusDecoder;
import io.github.jpeer.media.OpusEncoder;
import io.github.jpeer.media.SpeechLikeSignal;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The smallest complete jpeer program: two {@link PeerConnection}s in one JVM, connected over real
 * UDP on 127.0.0.1 (ICE, DTLS-SRTP), each sending five seconds of Opus-encoded speech-like audio to
 * the other, which decodes it. Prints the state changes and both sides' final stats.
 *
 * <pre>
 * java -jar examples/loopback/target/example-loopback.jar [seconds]
 * </pre>
 */
public final class LoopbackExample {
  private LoopbackExample() {}

  /** One end of the call: a connection, its Opus decoder and what it heard. */
  private static final class Side {
    final String name;
    final PeerConnection pc;
    final OpusDecoder decoder;
    final LevelMeter level = new LevelMeter(3.0);
    final short[] decoded;
    final CompletableFuture<Void> completed = new CompletableFuture<>();
    volatile long framesHeard;

    Side(String name, OpusConfig opus) {
      this.name = name;
      this.decoder = new OpusDecoder(opus);
      this.decoded = new short[decoder.maxSamplesPerPacket() * opus.channels()];
      PeerConfiguration config =
          PeerConfiguration.builder()
              .audioCodec(MediaCodec.OPUS)
              .bindAddress(InetAddress.getLoopbackAddress())
              .includeLoopback(true)
              .onAudioTrack(this::onFrame)
              .build();
      this.pc = PeerConnection.create(config);
      pc.onIceConnectionStateChange(
          state -> {
            System.out.println(name + ": " + state);
            if (state == PeerConnectionState.COMPLETED) {
              completed.complete(null);
            }
          });
    }

    private void onFrame(ByteBuffer frame, long rtpTimestamp) {
      byte[] packet = new byte[frame.remaining()];
      frame.get(packet);
      int samples =
          decoder.decode(packet, 0, packet.length, decoded, 0, decoder.maxSamplesPerPacket());
      if (samples > 0) {
        level.measure(decoded, 0, samples);
        framesHeard++;
      }
    }
  }

  /** Runs the call; the optional argument is its length in seconds (default 5). */
  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    OpusConfig opus =
        OpusConfig.builder()
            .sampleRate(48_000)
            .channels(1)
            .frameDurationMillis(20)
            .bitrateBps(32_000)
            .build();
    Side alice = new Side("alice", opus);
    Side bob = new Side("bob", opus);
    try (PeerLoop loop = PeerLoop.start("loopback")) {
      // Signaling is a method call here; over a network it would be HTTP (WHIP) or MQTT.
      String offer = alice.pc.createOffer();
      bob.pc.setRemoteDescription(offer, SdpType.OFFER);
      alice.pc.setRemoteDescription(bob.pc.createAnswer(), SdpType.ANSWER);
      loop.add(alice.pc).get(5, TimeUnit.SECONDS);
      loop.add(bob.pc).get(5, TimeUnit.SECONDS);
      alice.completed.get(30, TimeUnit.SECONDS);
      bob.completed.get(30, TimeUnit.SECONDS);

      OpusEncoder aliceEncoder = new OpusEncoder(opus);
      OpusEncoder bobEncoder = new OpusEncoder(opus);
      SpeechLikeSignal aliceVoice = new SpeechLikeSignal(48_000, new java.util.SplittableRandom(1));
      SpeechLikeSignal bobVoice = new SpeechLikeSignal(48_000, new java.util.SplittableRandom(2));
      short[] pcm = new short[opus.shortsPerFrame()];
      byte[] packet = new byte[1275];
      long frameNanos = 20_000_000L;
      long start = System.nanoTime();
      int frames = seconds * 50;
      for (int i = 0; i < frames; i++) {
        aliceVoice.fill(pcm, 0, pcm.length);
        alice.pc.sendAudio(
            ByteBuffer.wrap(packet, 0, aliceEncoder.encode(pcm, 0, packet, 0, packet.length)));
        bobVoice.fill(pcm, 0, pcm.length);
        bob.pc.sendAudio(
            ByteBuffer.wrap(packet, 0, bobEncoder.encode(pcm, 0, packet, 0, packet.length)));
        if (i % 50 == 49) {
          System.out.printf(
              Locale.ROOT,
              "%2d s  alice hears %5.1f dBFS, bob hears %5.1f dBFS%n",
              (i + 1) / 50,
              alice.level.rmsDbfs(),
              bob.level.rmsDbfs());
        }
        // Paced like a microphone: one 20 ms frame every 20 ms.
        long wait = start + (i + 1) * frameNanos - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
      }
      // Let the last frames arrive.
      TimeUnit.MILLISECONDS.sleep(200);
      PeerStats a = loop.submit(alice.pc::getStats).get(5, TimeUnit.SECONDS);
      PeerStats b = loop.submit(bob.pc::getStats).get(5, TimeUnit.SECONDS);
      print("alice", a, alice.framesHeard);
      print("bob", b, bob.framesHeard);
      loop.submit(alice.pc::close).get(5, TimeUnit.SECONDS);
      loop.submit(bob.pc::close).get(5, TimeUnit.SECONDS);
      boolean ok =
          a.audio().packetsSent() == b.audio().packetsReceived()
              && b.audio().packetsSent() == a.audio().packetsReceived()
              && alice.framesHeard > 0
              && bob.framesHeard > 0;
      System.out.println(ok ? "ok: every packet arrived" : "FAILED: packets missing");
      System.exit(ok ? 0 : 1);
    }
  }

  private static void print(String name, PeerStats s, long framesDecoded) {
    System.out.printf(
        Locale.ROOT,
        "%s: %s via %s, %s%n  audio sent %d packets (%d bytes), received %d packets (%d bytes),"
            + " lost %d, jitter %.2f ms, decoded %d frames, rtt %s%n  dropped %s%n",
        name,
        s.state(),
        s.selectedCandidatePair(),
        s.srtpProfile(),
        s.audio().packetsSent(),
        s.audio().bytesSent(),
        s.audio().packetsReceived(),
        s.audio().bytesReceived(),
        s.audio().packetsLost(),
        s.audio().jitterSeconds() * 1000,
        framesDecoded,
        Double.isNaN(s.roundTripSeconds())
            ? "n/a"
            : String.format(Locale.ROOT, "%.1f ms", s.roundTripSeconds() * 1000),
        s.dropped());
  }
}
