package io.github.jpeer.benchmarks.footprint;

import io.github.jpeer.DataChannelType;
import io.github.jpeer.MediaCodec;
import io.github.jpeer.PeerConfiguration;
import io.github.jpeer.PeerConnection;
import io.github.jpeer.PeerConnectionState;
import io.github.jpeer.PeerLoop;
import io.github.jpeer.SdpType;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Heap held per connected call: {@code calls} pairs of jpeer connections on 127.0.0.1, all on one
 * {@link PeerLoop}, connected and exchanging Opus frames; the used heap after full GCs, before and
 * after, divided by the number of connections. Not a JMH benchmark: JMH measures time and
 * allocation rates, not what stays reachable.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.github.jpeer.benchmarks.footprint.ConnectionFootprint 50
 * </pre>
 */
public final class ConnectionFootprint {
  private ConnectionFootprint() {}

  /** Arguments: the number of calls (default 50), then {@code dc} to add a data channel. */
  public static void main(String[] args) throws Exception {
    int calls = args.length > 0 ? Integer.parseInt(args[0]) : 50;
    boolean dataChannel = args.length > 1 && args[1].equals("dc");
    List<PeerConnection> all = new ArrayList<>();
    try (PeerLoop loop = PeerLoop.start("footprint")) {
      connect(loop, 2, dataChannel, all); // loads and initialises every class first
      long before = usedHeapAfterGc();
      int warmUp = all.size();
      connect(loop, calls, dataChannel, all);
      long after = usedHeapAfterGc();
      int connections = all.size() - warmUp;
      System.out.printf(
          "%d connections (Opus%s, SRTP %s): %.0f KiB of heap per connection%n",
          connections,
          dataChannel ? " + data channel" : "",
          loop.submit(() -> all.get(all.size() - 1).getStats().srtpProfile())
              .get(5, TimeUnit.SECONDS),
          (after - before) / 1024.0 / connections);
      for (PeerConnection pc : all) {
        loop.submit(pc::close).get(5, TimeUnit.SECONDS);
      }
    }
  }

  private static void connect(
      PeerLoop loop, int calls, boolean dataChannel, List<PeerConnection> all) throws Exception {
    List<CompletableFuture<Void>> completed = new ArrayList<>();
    List<PeerConnection> added = new ArrayList<>();
    for (int i = 0; i < calls; i++) {
      PeerConnection offerer = create(dataChannel, completed);
      PeerConnection answerer = create(dataChannel, completed);
      answerer.setRemoteDescription(offerer.createOffer(), SdpType.OFFER);
      offerer.setRemoteDescription(answerer.createAnswer(), SdpType.ANSWER);
      loop.add(offerer).get(5, TimeUnit.SECONDS);
      loop.add(answerer).get(5, TimeUnit.SECONDS);
      added.add(offerer);
      added.add(answerer);
    }
    for (CompletableFuture<Void> c : completed) {
      c.get(60, TimeUnit.SECONDS);
    }
    // Half a second of 20 ms Opus frames each way, so that media state exists everywhere.
    byte[] frame = new byte[80];
    frame[0] = (byte) 0xf8;
    for (int t = 0; t < 25; t++) {
      for (PeerConnection pc : added) {
        pc.sendAudio(frame);
      }
      Thread.sleep(20);
    }
    all.addAll(added);
  }

  private static PeerConnection create(
      boolean dataChannel, List<CompletableFuture<Void>> completed) {
    PeerConfiguration.Builder b =
        PeerConfiguration.builder()
            .bindAddress(InetAddress.getLoopbackAddress())
            .includeLoopback(true)
            .audioCodec(MediaCodec.OPUS);
    if (dataChannel) {
      b.dataChannel(DataChannelType.STRING);
    }
    PeerConnection pc = PeerConnection.create(b.build());
    CompletableFuture<Void> done = new CompletableFuture<>();
    pc.onIceConnectionStateChange(
        s -> {
          if (s == PeerConnectionState.COMPLETED) {
            done.complete(null);
          } else if (s == PeerConnectionState.FAILED) {
            done.completeExceptionally(new IllegalStateException(pc.failureReason()));
          }
        });
    completed.add(done);
    return pc;
  }

  private static long usedHeapAfterGc() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 4; i++) {
      System.gc();
    }
    return memory.getHeapMemoryUsage().getUsed();
  }
}
