package io.github.jpeer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.github.jpeer.testkit.VirtualClock;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class MdnsClientTest {
  private static final String NAME = "1f4712db-ea17-4bcf-a596-105139dfd8bf.local";

  @Test
  void answerCompletesTheLookup() throws Exception {
    VirtualClock clock = new VirtualClock();
    MdnsClient mdns = new MdnsClient();
    String asked = NAME.toUpperCase(java.util.Locale.ROOT);
    mdns.resolve(clock.nanoTime(), asked);
    assertNotNull(mdns.pollTransmit()); // A
    assertNotNull(mdns.pollTransmit()); // AAAA
    assertNull(mdns.pollTransmit());
    mdns.resolve(clock.nanoTime(), NAME);
    assertNull(mdns.pollTransmit(), "one lookup per name");
    assertNull(mdns.pollResolved());
    byte[] response = DnsMessageTest.chromeStyleResponse();
    mdns.handleReceive(response, response.length);
    assertEquals(
        new MdnsClient.Resolution(asked, InetAddress.getByName("192.0.2.2")), mdns.pollResolved());
    assertNull(mdns.pollResolved());
    assertEquals(0, mdns.pending());
  }

  @Test
  void retriesTwiceThenGivesUpWithNull() {
    VirtualClock clock = new VirtualClock();
    MdnsClient mdns = new MdnsClient();
    mdns.resolve(clock.nanoTime(), NAME);
    int sent = drain(mdns);
    MdnsClient.Resolution r = null;
    for (int i = 0; i < 10 && r == null; i++) {
      clock.advanceTo(mdns.pollTimeoutNanos());
      mdns.handleTimeout(clock.nanoTime());
      sent += drain(mdns);
      r = mdns.pollResolved();
    }
    assertEquals(new MdnsClient.Resolution(NAME, null), r);
    assertEquals(6, sent, "three attempts of A + AAAA");
    assertEquals(Long.MAX_VALUE, mdns.pollTimeoutNanos());
  }

  @Test
  void nonLocalNamesAndGarbageAreHandledQuietly() {
    MdnsClient mdns = new MdnsClient();
    mdns.resolve(0, "example.org");
    assertEquals(new MdnsClient.Resolution("example.org", null), mdns.pollResolved());
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
