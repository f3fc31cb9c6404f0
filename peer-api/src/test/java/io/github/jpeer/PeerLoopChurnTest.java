package io.github.jpeer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Connections leave and join a loop while another thread keeps signalling them: the loop reuses a
 * removed connection's id only once no signal can name it, so the connections that stay are never
 * lost from the signalled stack, and every call queued on them runs.
 */
class PeerLoopChurnTest {
  private static final int STAYING = 8;
  private static final int CHURNING = 8;
  private static final int ROUNDS = 300;

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void signalsDuringRemovalAndReuseLoseNoConnection() throws Exception {
    List<PeerConnection> staying = new ArrayList<>();
    List<PeerConnection> churning = new ArrayList<>();
    List<PeerConnection> all = new ArrayList<>();
    try (PeerLoop loop = PeerLoop.start("churn")) {
      for (int i = 0; i < STAYING + CHURNING; i++) {
        PeerConnection pc = TestPeer.loopback("c" + i, c -> c).pc;
        (i < STAYING ? staying : churning).add(pc);
        all.add(pc);
        loop.add(pc).get(5, TimeUnit.SECONDS);
      }
      // The signaller: queued calls on every connection, joined or not (those on a removed one
      // wait in its queue; the loop only sees their signal).
      AtomicReference<Throwable> failure = new AtomicReference<>();
      List<CompletableFuture<Integer>> onStaying = new ArrayList<>();
      Thread signaller =
          new Thread(
              () -> {
                SplittableRandom r = new SplittableRandom(5);
                try {
                  for (int n = 0; n < 20 * ROUNDS; n++) {
                    int k = n;
                    PeerConnection pc = all.get(r.nextInt(all.size()));
                    CompletableFuture<Integer> f = pc.submit(p -> k);
                    if (staying.contains(pc)) {
                      synchronized (onStaying) {
                        onStaying.add(f);
                      }
                    }
                  }
                } catch (Throwable t) {
                  failure.set(t);
                }
              },
              "signaller");
      signaller.start();
      SplittableRandom r = new SplittableRandom(7);
      boolean[] joined = new boolean[CHURNING];
      java.util.Arrays.fill(joined, true);
      for (int round = 0; round < ROUNDS; round++) {
        int i = r.nextInt(CHURNING);
        PeerConnection pc = churning.get(i);
        if (joined[i]) {
          loop.remove(pc).get(5, TimeUnit.SECONDS);
        } else {
          loop.add(pc).get(5, TimeUnit.SECONDS); // takes a freed id, perhaps one still signalled
        }
        joined[i] = !joined[i];
      }
      signaller.join(30_000);
      assertNull(failure.get());
      int expectedSize = STAYING;
      for (boolean j : joined) {
        expectedSize += j ? 1 : 0;
      }
      assertEquals(expectedSize, loop.size());
      List<CompletableFuture<Integer>> futures;
      synchronized (onStaying) {
        futures = new ArrayList<>(onStaying);
      }
      for (CompletableFuture<Integer> f : futures) {
        f.get(10, TimeUnit.SECONDS); // a lost signal leaves its call waiting
      }
      // And a call on each staying connection now still runs.
      for (PeerConnection pc : staying) {
        assertEquals(1, pc.submit(p -> 1).get(5, TimeUnit.SECONDS));
      }
    } finally {
      for (PeerConnection pc : all) {
        pc.close();
      }
    }
  }
}
