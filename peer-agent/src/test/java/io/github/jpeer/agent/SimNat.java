package io.github.jpeer.agent;

import io.github.jpeer.testkit.Datagram;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A simulated NAT for a {@link io.github.jpeer.testkit.SimNetwork} middlebox: endpoint-independent
 * mapping (RFC 4787) of private sources to ports of one public IP, with endpoint-independent or
 * address-dependent filtering of inbound datagrams. An optional firewall rule drops outbound
 * datagrams to destinations it rejects.
 */
final class SimNat {
  enum Filtering {
    ENDPOINT_INDEPENDENT,
    ADDRESS_DEPENDENT
  }

  private final InetAddress publicIp;
  private final Set<InetAddress> privateIps = new HashSet<>();
  private final Filtering filtering;
  private final Map<InetSocketAddress, InetSocketAddress> outbound = new HashMap<>();
  private final Map<InetSocketAddress, InetSocketAddress> inbound = new HashMap<>();
  private final Map<InetSocketAddress, Set<InetAddress>> contacted = new HashMap<>();
  private Predicate<InetSocketAddress> allowOutbound = a -> true;
  private int nextPort = 40000;
  long filteredInbound;

  SimNat(InetAddress publicIp, Filtering filtering, InetAddress... privateIps) {
    this.publicIp = publicIp;
    this.filtering = filtering;
    this.privateIps.addAll(Set.of(privateIps));
  }

  /** Only lets outbound datagrams through to destinations {@code rule} accepts. */
  SimNat allowOutbound(Predicate<InetSocketAddress> rule) {
    this.allowOutbound = rule;
    return this;
  }

  /** The public mapping a private socket has, or null. */
  InetSocketAddress mappingOf(InetSocketAddress privateSocket) {
    return outbound.get(privateSocket);
  }

  /** The middlebox function; returns null to drop. */
  Datagram apply(Datagram d) {
    boolean fromInside = privateIps.contains(d.from().getAddress());
    boolean toInside = privateIps.contains(d.to().getAddress());
    if (fromInside && toInside) {
      return d; // same LAN
    }
    if (fromInside) {
      if (!allowOutbound.test(d.to())) {
        return null;
      }
      InetSocketAddress mapped =
          outbound.computeIfAbsent(
              d.from(),
              k -> {
                InetSocketAddress m = new InetSocketAddress(publicIp, nextPort++);
                inbound.put(m, k);
                return m;
              });
      contacted.computeIfAbsent(d.from(), k -> new HashSet<>()).add(d.to().getAddress());
      return new Datagram(mapped, d.to(), d.data());
    }
    if (toInside) {
      return null; // private addresses are not routable from outside
    }
    InetSocketAddress inside = inbound.get(d.to());
    if (inside == null) {
      return d; // not for this NAT
    }
    if (filtering == Filtering.ADDRESS_DEPENDENT
        && !contacted.getOrDefault(inside, Set.of()).contains(d.from().getAddress())) {
      filteredInbound++;
      return null;
    }
    if (!allowOutbound.test(d.from())) {
      return null;
    }
    return new Datagram(d.from(), inside, d.data());
  }
}
