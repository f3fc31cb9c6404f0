package io.github.jpeer.agent;

import io.github.jpeer.stun.ErrorCode;
import io.github.jpeer.stun.StunClass;
import io.github.jpeer.stun.StunCredentials;
import io.github.jpeer.stun.StunMessage;
import io.github.jpeer.stun.StunMethod;
import io.github.jpeer.stun.StunVerification;
import io.github.jpeer.stun.TransactionId;
import io.github.jpeer.testkit.Datagram;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * A minimal but strict TURN server over UDP (RFC 8656) for simulated networks: long-term
 * credentials with 401 and a rotating nonce (438 when stale), Allocate, Refresh (LIFETIME 0
 * deallocates), CreatePermission, ChannelBind, Send and Data indications, ChannelData; allocations,
 * permissions and channels expire.
 */
final class SimTurnServer implements SimHarness.Node {
  static final String REALM = "jpeer.test";
  private static final long SECOND = 1_000_000_000L;

  final InetSocketAddress address;
  private final String username;
  private final byte[] key;
  private final long nonceLifetimeNanos;
  private String nonce = "nonce-0";
  private long nonceExpiresNanos = Long.MIN_VALUE;
  private int nonceGeneration;
  private int nextRelayPort = 50000;
  private final Map<InetSocketAddress, Allocation> byClient = new HashMap<>();
  private final Map<InetSocketAddress, Allocation> byRelay = new HashMap<>();

  int allocations;
  int unauthorized;
  int staleNonces;
  int refreshes;
  int deallocations;
  int permissionRequests;
  int channelBinds;
  int relayedToPeer;
  int relayedToClient;
  int channelDataToClient;

  private static final class Allocation {
    final InetSocketAddress client;
    final InetSocketAddress relay;
    long expiresNanos;
    final Map<InetAddress, Long> permissions = new HashMap<>();
    final Map<Integer, InetSocketAddress> channels = new HashMap<>();
    final Map<InetSocketAddress, Integer> channelByPeer = new HashMap<>();
    final Map<Integer, Long> channelExpiry = new HashMap<>();

    Allocation(InetSocketAddress client, InetSocketAddress relay) {
      this.client = client;
      this.relay = relay;
    }

    boolean permitted(long nowNanos, InetAddress ip) {
      Long until = permissions.get(ip);
      return until != null && nowNanos < until;
    }
  }

  SimTurnServer(
      InetSocketAddress address, String username, String password, long nonceLifetimeNanos) {
    this.address = address;
    this.username = username;
    this.key = StunCredentials.longTermKey(username, REALM, password);
    this.nonceLifetimeNanos = nonceLifetimeNanos;
  }

  int liveAllocations() {
    return byClient.size();
  }

  @Override
  public boolean owns(InetSocketAddress a) {
    return address.equals(a) || byRelay.containsKey(a);
  }

  @Override
  public void receive(long nowNanos, Datagram d, SimHarness h) {
    expire(nowNanos);
    byte[] b = d.data();
    if (!d.to().equals(address)) {
      fromPeer(nowNanos, d, h);
      return;
    }
    if (b.length >= 4 && (b[0] & 0xF0) == 0x40) {
      Allocation a = byClient.get(d.from());
      int ch = ((b[0] & 0xFF) << 8) | (b[1] & 0xFF);
      int len = ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
      if (a == null || 4 + len > b.length) {
        return;
      }
      InetSocketAddress peer = a.channels.get(ch);
      if (peer != null && a.permitted(nowNanos, peer.getAddress())) {
        relayedToPeer++;
        byte[] payload = new byte[len];
        System.arraycopy(b, 4, payload, 0, len);
        h.send(a.relay, peer, payload);
      }
      return;
    }
    if (!StunMessage.isStun(b, 0, b.length)) {
      return;
    }
    StunMessage m = StunMessage.decode(b);
    if (m.messageClass() == StunClass.INDICATION && m.methodCode() == StunMethod.SEND.code()) {
      Allocation a = byClient.get(d.from());
      InetSocketAddress peer = m.xorPeerAddress();
      if (a != null
          && peer != null
          && m.data() != null
          && a.permitted(nowNanos, peer.getAddress())) {
        relayedToPeer++;
        h.send(a.relay, peer, m.data());
      }
      return;
    }
    if (m.messageClass() != StunClass.REQUEST) {
      return;
    }
    if (nowNanos >= nonceExpiresNanos) {
      nonce = "nonce-" + (++nonceGeneration);
      nonceExpiresNanos = nowNanos + nonceLifetimeNanos;
    }
    if (!m.hasMessageIntegrity()
        || !username.equals(m.username())
        || m.verifyIntegrity(key) != StunVerification.OK) {
      unauthorized++;
      reply(
          h,
          d.from(),
          m.errorResponseBuilder(ErrorCode.UNAUTHENTICATED, "Unauthorized")
              .realm(REALM)
              .nonce(nonce),
          false);
      return;
    }
    if (!nonce.equals(m.nonce())) {
      staleNonces++;
      reply(
          h,
          d.from(),
          m.errorResponseBuilder(ErrorCode.STALE_NONCE, "Stale Nonce").realm(REALM).nonce(nonce),
          false);
      return;
    }
    Allocation a = byClient.get(d.from());
    switch (m.method()) {
      case ALLOCATE -> {
        if (a == null) {
          allocations++;
          a =
              new Allocation(
                  d.from(), new InetSocketAddress(address.getAddress(), nextRelayPort++));
          byClient.put(d.from(), a);
          byRelay.put(a.relay, a);
        }
        a.expiresNanos = nowNanos + 600 * SECOND;
        reply(
            h,
            d.from(),
            m.successResponseBuilder()
                .xorRelayedAddress(a.relay)
                .xorMappedAddress(d.from())
                .lifetimeSeconds(600),
            true);
      }
      case REFRESH -> {
        if (a == null) {
          reply(
              h, d.from(), m.errorResponseBuilder(ErrorCode.ALLOCATION_MISMATCH, "Mismatch"), true);
          return;
        }
        long lifetime = m.lifetimeSeconds().orElse(600);
        if (lifetime == 0) {
          deallocations++;
          byClient.remove(a.client);
          byRelay.remove(a.relay);
        } else {
          refreshes++;
          a.expiresNanos = nowNanos + Math.min(lifetime, 3600) * SECOND;
        }
        reply(h, d.from(), m.successResponseBuilder().lifetimeSeconds(lifetime), true);
      }
      case CREATE_PERMISSION -> {
        InetSocketAddress peer = m.xorPeerAddress();
        if (a == null || peer == null) {
          reply(h, d.from(), m.errorResponseBuilder(ErrorCode.BAD_REQUEST, "Bad"), true);
          return;
        }
        permissionRequests++;
        a.permissions.put(peer.getAddress(), nowNanos + 300 * SECOND);
        reply(h, d.from(), m.successResponseBuilder(), true);
      }
      case CHANNEL_BIND -> {
        InetSocketAddress peer = m.xorPeerAddress();
        int ch = m.channelNumber().orElse(-1);
        if (a == null || peer == null || ch < 0x4000 || ch > 0x4FFF) {
          reply(h, d.from(), m.errorResponseBuilder(ErrorCode.BAD_REQUEST, "Bad"), true);
          return;
        }
        channelBinds++;
        a.channels.put(ch, peer);
        a.channelByPeer.put(peer, ch);
        a.channelExpiry.put(ch, nowNanos + 600 * SECOND);
        a.permissions.put(peer.getAddress(), nowNanos + 300 * SECOND);
        reply(h, d.from(), m.successResponseBuilder(), true);
      }
      default -> reply(h, d.from(), m.errorResponseBuilder(ErrorCode.BAD_REQUEST, "Bad"), true);
    }
  }

  private void fromPeer(long nowNanos, Datagram d, SimHarness h) {
    Allocation a = byRelay.get(d.to());
    if (a == null || !a.permitted(nowNanos, d.from().getAddress())) {
      return;
    }
    relayedToClient++;
    Integer ch = a.channelByPeer.get(d.from());
    if (ch != null) {
      channelDataToClient++;
      byte[] out = new byte[4 + d.data().length];
      out[0] = (byte) (ch >>> 8);
      out[1] = (byte) (int) ch;
      out[2] = (byte) (d.data().length >>> 8);
      out[3] = (byte) d.data().length;
      System.arraycopy(d.data(), 0, out, 4, d.data().length);
      h.send(address, a.client, out);
      return;
    }
    byte[] ind =
        StunMessage.builder(StunClass.INDICATION, StunMethod.DATA, TransactionId.random(h.random()))
            .xorPeerAddress(d.from())
            .data(d.data())
            .encode();
    h.send(address, a.client, ind);
  }

  private void expire(long nowNanos) {
    byClient
        .values()
        .removeIf(
            a -> {
              if (nowNanos >= a.expiresNanos) {
                byRelay.remove(a.relay);
                return true;
              }
              for (Map.Entry<Integer, Long> e : Map.copyOf(a.channelExpiry).entrySet()) {
                if (nowNanos >= e.getValue()) {
                  InetSocketAddress peer = a.channels.remove(e.getKey());
                  a.channelByPeer.remove(peer);
                  a.channelExpiry.remove(e.getKey());
                }
              }
              return false;
            });
  }

  private void reply(SimHarness h, InetSocketAddress to, StunMessage.Builder b, boolean sign) {
    if (sign) {
      b.messageIntegrity(key);
    }
    h.send(address, to, b.fingerprint().encode());
  }
}
