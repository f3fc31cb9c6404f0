package io.github.jpeer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jpeer.testkit.VirtualClock;
import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class MdnsClientTest {
  private static final String NAME = "1f4712db-ea17-4bcf-a596-105139dfd8bf.local";

  @Test
  void answerCompletesTheLookup() throws Exception {
    VirtualClock clock = new VirtualClock();
    MdnsClient mdns = new MdnsClient();
    CompletableFuture<InetAddress> f =
        mdns.resolve(clock.nanoTime(), NAME.toUpperCase(java.util.Locale.ROOT))
            .toCompletableFuture();
    assertNotNull(mdns.pollTransmit()); // A
    assertNotNull(mdns.pollTransmit()); // AAAA
    assertNull(mdns.pollTransmit());
    assertSame(f, mdns.resolve(clock.nanoTime(), NAME), "one lookup per name");
    byte[] response = DnsMessageTest.chromeStyleResponse();
    mdns.handleReceive(response, response.length);
    assertEquals(InetAddress.getByName("192.0.2.2"), f.getNow(null));
    assertEquals(0, mdns.pending());
  }

  @Test
  void retriesTwiceThenGivesUpWithNull() {
    VirtualClock clock = new VirtualClock();
    MdnsClient mdns = new MdnsClient();
    CompletableFuture<InetAddress> f = mdns.resolve(clock.nanoTime(), NAME).toCompletableFuture();
    int sent = drain(mdns);
    for (int i = 0; i < 10 && !f.isDone(); i++) {
      clock.advanceTo(mdns.pollTimeoutNanos());
      mdns.handleTimeout(clock.nanoTime());
      sent += drain(mdns);
    }
    assertTrue(f.isDone());
    assertNull(f.getNow(InetAddress.getLoopbackAddress()));
    assertEquals(6, sent, "three attempts of A + AAAA");
    assertEquals(Long.MAX_VALUE, mdns.pollTimeoutNanos());
  }

  @Test
  void nonLocalNamesAndGarbageAreHandledQuietly() {
    MdnsClient mdns = new MdnsClient();
    assertNull(mdns.resolve(0, "example.org").toCompletableFuture().getNow(null));
    assertNull(mdns.pollTransmit());
    mdns.handleReceive(new byte[] {1, 2, 3}, 3);
    assertEquals(1, mdns.malformed());
    assertFalse(mdns.target().getAddress().isLoopbackAddress());
  }

  private static int drain(MdnsClient mdns) {
    int n = 0;
    while (mdns.pollTransmit() != null) {
      n++;
    }
    return n;
  }
}
