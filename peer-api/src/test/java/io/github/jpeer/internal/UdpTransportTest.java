package io.github.jpeer.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class UdpTransportTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  @Test
  void datagramsGoBothWaysAndDrainReadsAllOfThem() throws Exception {
    try (UdpTransport a = UdpTransport.open(List.of(LOOPBACK), 0, 0);
        UdpTransport b = UdpTransport.open(List.of(LOOPBACK), 0, 0);
        Selector selector = Selector.open()) {
      InetSocketAddress la = a.localAddresses().get(0);
      InetSocketAddress lb = b.localAddresses().get(0);
      b.register(selector, "b");
      for (int i = 0; i < 10; i++) {
        assertTrue(a.send(la, lb, new byte[] {9, (byte) i, 7}, 1, 1));
      }
      List<byte[]> got = new ArrayList<>();
      // Loopback delivery is quick but not instant: wait on the selector, bounded in count and
      // time.
      for (int round = 0; round < 50 && got.size() < 10; round++) {
        selector.select(100);
        selector.selectedKeys().clear();
        b.drain(
            (local, from, data, length) -> {
              assertEquals(lb, local);
              assertEquals(la, from);
              got.add(java.util.Arrays.copyOf(data, length));
            });
      }
      assertEquals(10, got.size());
      for (int i = 0; i < 10; i++) {
        assertArrayEquals(new byte[] {(byte) i}, got.get(i));
      }
      assertEquals(10, a.sent());
      assertEquals(10, b.received());
    }
  }

  @Test
  void portRangeIsHonouredAndExhaustionNamesTheRange() {
    try (UdpTransport first = UdpTransport.open(List.of(LOOPBACK), 0, 0)) {
      int port = first.localAddresses().get(0).getPort();
      UncheckedIOException e =
          assertThrows(
              UncheckedIOException.class, () -> UdpTransport.open(List.of(LOOPBACK), port, port));
      assertTrue(e.getMessage().contains(port + ".." + port), e.getMessage());
    }
  }

  @Test
  void noAddressIsAMisuseWithAHint() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> UdpTransport.open(List.of(), 0, 0));
    assertTrue(e.getMessage().contains("includeLoopback(true)"));
  }

  @Test
  void interfaceEnumerationHonoursTheLoopbackSwitch() {
    assertFalse(
        UdpTransport.interfaceAddresses(false).stream().anyMatch(InetAddress::isLoopbackAddress));
    assertTrue(
        UdpTransport.interfaceAddresses(true).stream().anyMatch(InetAddress::isLoopbackAddress));
  }

  @Test
  void aWildcardIpv4SocketSendsToIpv4Destinations() throws Exception {
    // Regression: bound to 0.0.0.0 through a dual-stack channel, the socket reported [::] and
    // send() found no IPv4 socket for an IPv4 destination: no mDNS query was ever sent.
    try (UdpTransport any = UdpTransport.open(List.of(InetAddress.getByName("0.0.0.0")), 0, 0);
        UdpTransport b = UdpTransport.open(List.of(LOOPBACK), 0, 0);
        Selector selector = Selector.open()) {
      assertFalse(any.localAddresses().get(0).getAddress() instanceof java.net.Inet6Address);
      InetSocketAddress lb = b.localAddresses().get(0);
      b.register(selector, "b");
      assertTrue(any.send(null, lb, new byte[] {42}, 0, 1));
      int[] got = {0};
      for (int round = 0; round < 50 && got[0] == 0; round++) {
        selector.select(100);
        selector.selectedKeys().clear();
        b.drain((local, from, data, length) -> got[0] = data[0]);
      }
      assertEquals(42, got[0]);
    }
  }
}
