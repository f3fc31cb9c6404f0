package io.github.jpeer.agent;

import io.github.jpeer.stun.StunClass;
import io.github.jpeer.stun.StunMessage;
import io.github.jpeer.stun.StunMethod;
import io.github.jpeer.testkit.Datagram;
import java.net.InetSocketAddress;

/** A minimal STUN server (RFC 8489 Binding) for simulated networks. */
final class SimStunServer implements SimHarness.Node {
  private final InetSocketAddress address;
  int requests;

  SimStunServer(InetSocketAddress address) {
    this.address = address;
  }

  @Override
  public boolean owns(InetSocketAddress a) {
    return address.equals(a);
  }

  @Override
  public void receive(long nowNanos, Datagram d, SimHarness h) {
    if (!StunMessage.isStun(d.data(), 0, d.data().length)) {
      return;
    }
    StunMessage m = StunMessage.decode(d.data());
    if (m.is(StunClass.REQUEST, StunMethod.BINDING)) {
      requests++;
      byte[] resp = m.successResponseBuilder().xorMappedAddress(d.from()).fingerprint().encode();
      h.send(address, d.from(), resp);
    }
  }
}
