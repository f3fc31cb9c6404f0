package io.github.jpeer.agent;

import io.github.jpeer.stun.ChannelData;
import io.github.jpeer.stun.ErrorCode;
import io.github.jpeer.stun.StunClass;
import io.github.jpeer.stun.StunCredentials;
import io.github.jpeer.stun.StunMessage;
import io.github.jpeer.stun.StunMethod;
import io.github.jpeer.stun.StunVerification;
import io.github.jpeer.stun.TransactionId;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The client side of one TURN allocation over UDP (RFC 8656): Allocate with the long-term
 * credential nonce dance (401, then 438 stale nonce), Refresh before expiry, CreatePermission per
 * peer IP (refreshed every 4 minutes, permissions last 5), ChannelBind (refreshed every 9 minutes,
 * channels last 10), Send indications and ChannelData out, Data indications and ChannelData in, and
 * deallocation (Refresh with LIFETIME 0) on close.
 *
 * <p>Not thread-safe; owned by an {@link IceAgent}, which runs its transactions.
 */
final class TurnClient {
  enum State {
    ALLOCATING,
    ALLOCATED,
    FAILED,
    CLOSED
  }

  private static final long SECOND = 1_000_000_000L;

  /** Permissions last 300 s (RFC 8656 section 9); refresh a minute early. */
  static final long PERMISSION_REFRESH_NANOS = 240 * SECOND;

  /** Channels last 600 s (RFC 8656 section 12); refresh a minute early. */
  static final long CHANNEL_REFRESH_NANOS = 540 * SECOND;

  private static final int FIRST_CHANNEL = 0x4000;
  private static final int LAST_CHANNEL = 0x4FFF;
  private static final int UDP = 17;

  final IceAgent agent;
  final TurnServer server;

  /** The local socket the allocation was made from. */
  final InetSocketAddress socket;

  final int serverIndex;
  State state = State.ALLOCATING;
  private String realm;
  private String nonce;
  private byte[] key;
  private int authAttempts;
  InetSocketAddress relayed;
  InetSocketAddress mapped;
  LocalCand candidate;
  private long refreshAtNanos = Long.MAX_VALUE;
  private long lifetimeSeconds;
  private boolean refreshing;
  private final Map<InetAddress, Permission> permissions = new HashMap<>();
  private final List<Channel> channels = new ArrayList<>();
  private int nextChannel = FIRST_CHANNEL;

  /** A permission for one peer IP. */
  static final class Permission {
    final InetAddress ip;
    boolean installed;
    boolean pending;
    long refreshAtNanos = Long.MAX_VALUE;

    Permission(InetAddress ip) {
      this.ip = ip;
    }
  }

  /** A channel bound (or being bound) to one peer transport address. */
  static final class Channel {
    final int number;
    final InetSocketAddress peer;
    boolean bound;
    boolean pending;
    long refreshAtNanos = Long.MAX_VALUE;

    Channel(int number, InetSocketAddress peer) {
      this.number = number;
      this.peer = peer;
    }
  }

  TurnClient(IceAgent agent, TurnServer server, InetSocketAddress socket, int serverIndex) {
    this.agent = agent;
    this.server = server;
    this.socket = socket;
    this.serverIndex = serverIndex;
  }

  /** Sends the first, unauthenticated Allocate; the server answers 401 with realm and nonce. */
  void start(long nowNanos) {
    request(nowNanos, StunMethod.ALLOCATE, null, -1, true);
  }

  boolean isServer(InetSocketAddress local, InetSocketAddress from, boolean stream) {
    return socket.equals(local) && server.address().equals(from) && server.overTcp() == stream;
  }

  /**
   * Builds and sends a request of {@code method}; authenticated once the server's realm and nonce
   * are known. {@code gathering} gives the transaction the gathering deadline.
   */
  private void request(
      long nowNanos, StunMethod method, Object subject, long lifetime, boolean gathering) {
    TransactionId id = agent.newTransactionId();
    StunMessage.Builder b = StunMessage.builder(StunClass.REQUEST, method, id);
    switch (method) {
      case ALLOCATE -> b.requestedTransport(UDP);
      case REFRESH -> {
        if (lifetime >= 0) {
          b.lifetimeSeconds(lifetime);
        }
      }
      case CREATE_PERMISSION ->
          b.xorPeerAddress(new InetSocketAddress(((Permission) subject).ip, 0));
      case CHANNEL_BIND -> {
        Channel c = (Channel) subject;
        b.channelNumber(c.number).xorPeerAddress(c.peer);
      }
      default -> throw new IllegalStateException("not a TURN request: " + method);
    }
    if (key != null) {
      b.username(server.username()).realm(realm).nonce(nonce).messageIntegrity(key);
    }
    b.fingerprint();
    Txn t = new Txn(id, Txn.Kind.TURN, b.encode(), server.address());
    t.socket = socket;
    t.turn = this;
    t.turnMethod = method.code();
    t.turnSubject = subject;
    t.requestedLifetimeSeconds = lifetime;
    agent.startServerTransaction(nowNanos, t, gathering);
  }

  /**
   * A response to one of this client's transactions arrived (already matched by id). Returns false
   * if it was not acceptable (bad integrity), so the transaction keeps waiting.
   */
  boolean onResponse(long nowNanos, Txn txn, StunMessage msg) {
    StunMethod method = StunMethod.fromCode(txn.turnMethod);
    if (msg.messageClass() == StunClass.ERROR_RESPONSE) {
      ErrorCode error = msg.errorCode();
      int code = error == null ? 0 : error.code();
      if ((code == ErrorCode.UNAUTHENTICATED || code == ErrorCode.STALE_NONCE)
          && msg.nonce() != null
          && authAttempts < 3) {
        // RFC 8489 section 9.2.3: learn realm and nonce, retry; 438 only refreshes the nonce.
        authAttempts++;
        if (code == ErrorCode.UNAUTHENTICATED || key == null) {
          if (msg.realm() == null) {
            agent.countMalformed();
            fail(nowNanos, txn);
            return true;
          }
          realm = msg.realm();
          key = StunCredentials.longTermKey(server.username(), realm, server.password());
        }
        nonce = msg.nonce();
        request(
            nowNanos,
            method,
            txn.turnSubject,
            txn.requestedLifetimeSeconds,
            state == State.ALLOCATING);
        return true;
      }
      if (method == StunMethod.ALLOCATE && state == State.ALLOCATING) {
        allocationFailed(nowNanos, code == 0 ? ErrorCode.BAD_REQUEST : code);
      }
      fail(nowNanos, txn);
      return true;
    }
    // A success response must be authenticated once we authenticate (RFC 8489 section 9.2.4).
    if (key != null && msg.verifyIntegrity(key) != StunVerification.OK) {
      agent.countBadIntegrity();
      return false;
    }
    authAttempts = 0;
    switch (method) {
      case ALLOCATE -> onAllocated(nowNanos, msg);
      case REFRESH -> {
        refreshing = false;
        if (txn.requestedLifetimeSeconds == 0) {
          state = State.CLOSED;
        } else {
          scheduleRefresh(nowNanos, msg.lifetimeSeconds().orElse(lifetimeSeconds));
        }
      }
      case CREATE_PERMISSION -> {
        Permission p = (Permission) txn.turnSubject;
        p.pending = false;
        p.installed = true;
        p.refreshAtNanos = nowNanos + PERMISSION_REFRESH_NANOS;
      }
      case CHANNEL_BIND -> {
        Channel c = (Channel) txn.turnSubject;
        c.pending = false;
        c.bound = true;
        c.refreshAtNanos = nowNanos + CHANNEL_REFRESH_NANOS;
        // A channel binding also installs or refreshes the permission (RFC 8656 section 12).
        Permission p = permissions.computeIfAbsent(c.peer.getAddress(), Permission::new);
        p.installed = true;
        p.refreshAtNanos = nowNanos + PERMISSION_REFRESH_NANOS;
      }
      default -> agent.countMalformed();
    }
    return true;
  }

  private void onAllocated(long nowNanos, StunMessage msg) {
    if (state != State.ALLOCATING) {
      return; // a duplicate response
    }
    InetSocketAddress relay = msg.xorRelayedAddress();
    if (relay == null) {
      agent.countMalformed();
      state = State.FAILED;
      agent.onServerDone(nowNanos);
      return;
    }
    relayed = relay;
    mapped = msg.xorMappedAddress();
    state = State.ALLOCATED;
    scheduleRefresh(nowNanos, msg.lifetimeSeconds().orElse(600));
    agent.onRelayAllocated(nowNanos, this);
    agent.onServerDone(nowNanos);
  }

  private void scheduleRefresh(long nowNanos, long lifetime) {
    lifetimeSeconds = Math.max(lifetime, 1);
    // Refresh a minute before expiry, or half way for short lifetimes.
    long lead = lifetimeSeconds > 120 ? 60 : lifetimeSeconds / 2;
    refreshAtNanos = nowNanos + (lifetimeSeconds - lead) * SECOND;
  }

  /** An Allocate transaction timed out: the server never answered. */
  void timedOut(long nowNanos, Txn txn) {
    if (StunMethod.fromCode(txn.turnMethod) == StunMethod.ALLOCATE && state == State.ALLOCATING) {
      allocationFailed(nowNanos, NO_ANSWER);
    }
    fail(nowNanos, txn);
  }

  /** The W3C API's error code for a server that never answered (RTCPeerConnectionIceErrorEvent). */
  static final int NO_ANSWER = 701;

  private void allocationFailed(long nowNanos, int code) {
    agent.onTurnFailed(server.address(), code, reason(code));
  }

  /**
   * The driver's TCP connection to the server failed or closed: while allocating, the allocation
   * failed (701); once allocated, the relay is gone with the connection (RFC 8656 section 3.1) and
   * its candidate's pairs stop getting answers.
   */
  void streamClosed(long nowNanos) {
    if (state == State.ALLOCATING) {
      agent.onTurnFailed(
          server.address(), NO_ANSWER, "the TCP connection to the TURN server failed or closed");
      state = State.FAILED;
      agent.onServerDone(nowNanos);
    } else if (state == State.ALLOCATED) {
      state = State.FAILED;
    }
  }

  /** What a final Allocate error means, in our words: the server's reason text is not repeated. */
  static String reason(int code) {
    return switch (code) {
      case NO_ANSWER -> "no answer from the TURN server (blocked, down, or the wrong address)";
      case ErrorCode.UNAUTHENTICATED ->
          "the TURN server refused the credentials (401 after authenticating): check the username"
              + " and password, or whether ephemeral ones expired";
      case ErrorCode.STALE_NONCE -> "the TURN server kept calling the nonce stale (438)";
      case ErrorCode.WRONG_CREDENTIALS -> "the TURN server says the credentials are wrong (441)";
      case ErrorCode.FORBIDDEN -> "the TURN server forbids this client an allocation (403)";
      case ErrorCode.ALLOCATION_QUOTA_REACHED ->
          "the TURN server's allocation quota for this user is reached (486)";
      case ErrorCode.INSUFFICIENT_CAPACITY -> "the TURN server is out of capacity (508)";
      case ErrorCode.UNSUPPORTED_TRANSPORT_PROTOCOL -> "the TURN server does not relay UDP (442)";
      default -> "the TURN server refused the allocation with error " + code;
    };
  }

  /** A transaction timed out or got a final error. */
  void fail(long nowNanos, Txn txn) {
    StunMethod method = StunMethod.fromCode(txn.turnMethod);
    switch (method) {
      case ALLOCATE -> {
        if (state == State.ALLOCATING) {
          state = State.FAILED;
          agent.onServerDone(nowNanos);
        }
      }
      case REFRESH -> refreshing = false; // retried at the next timer; expiry ends it anyway
      case CREATE_PERMISSION -> {
        Permission p = (Permission) txn.turnSubject;
        p.pending = false;
        p.refreshAtNanos = nowNanos + 5 * SECOND;
      }
      case CHANNEL_BIND -> {
        Channel c = (Channel) txn.turnSubject;
        c.pending = false;
        c.refreshAtNanos = nowNanos + 5 * SECOND;
      }
      default -> {}
    }
  }

  /** Asks for a permission for {@code ip} unless one exists or is under way. */
  void ensurePermission(long nowNanos, InetAddress ip) {
    if (state != State.ALLOCATED || !sameFamily(ip)) {
      return;
    }
    Permission p = permissions.get(ip);
    if (p == null) {
      p = new Permission(ip);
      permissions.put(ip, p);
    }
    if (!p.installed && !p.pending) {
      p.pending = true;
      request(nowNanos, StunMethod.CREATE_PERMISSION, p, -1, false);
    }
  }

  /** Binds a channel to {@code peer} unless one is bound or under way. */
  void ensureChannel(long nowNanos, InetSocketAddress peer) {
    if (state != State.ALLOCATED || !sameFamily(peer.getAddress())) {
      return;
    }
    Channel c = channelFor(peer);
    if (c == null) {
      if (nextChannel > LAST_CHANNEL) {
        return; // out of channels: Send indications keep working
      }
      c = new Channel(nextChannel++, peer);
      channels.add(c);
    }
    if (!c.bound && !c.pending) {
      c.pending = true;
      request(nowNanos, StunMethod.CHANNEL_BIND, c, -1, false);
    }
  }

  private boolean sameFamily(InetAddress ip) {
    return relayed != null && ip != null && relayed.getAddress().getClass() == ip.getClass();
  }

  Channel channelFor(InetSocketAddress peer) {
    for (int i = 0; i < channels.size(); i++) {
      Channel c = channels.get(i);
      if (c.peer.equals(peer)) {
        return c;
      }
    }
    return null;
  }

  /** The peer bound to a channel number, or {@code null}. */
  InetSocketAddress peerForChannel(int number) {
    for (int i = 0; i < channels.size(); i++) {
      Channel c = channels.get(i);
      if (c.number == number && c.bound) {
        return c.peer;
      }
    }
    return null;
  }

  /** Runs the refresh timers. */
  void handleTimeout(long nowNanos) {
    if (state != State.ALLOCATED) {
      return;
    }
    if (nowNanos >= refreshAtNanos && !refreshing) {
      refreshing = true;
      refreshAtNanos = nowNanos + 30 * SECOND; // retry if the refresh gets lost entirely
      request(nowNanos, StunMethod.REFRESH, null, lifetimeSeconds, false);
    }
    for (Permission p : permissions.values()) {
      if (!p.pending && nowNanos >= p.refreshAtNanos) {
        p.pending = true;
        request(nowNanos, StunMethod.CREATE_PERMISSION, p, -1, false);
      }
    }
    for (Channel c : channels) {
      if (!c.pending && nowNanos >= c.refreshAtNanos) {
        c.pending = true;
        request(nowNanos, StunMethod.CHANNEL_BIND, c, -1, false);
      }
    }
  }

  long nextTimeoutNanos() {
    if (state != State.ALLOCATED) {
      return Long.MAX_VALUE;
    }
    long next = refreshing ? Long.MAX_VALUE : refreshAtNanos;
    for (Permission p : permissions.values()) {
      if (!p.pending) {
        next = Math.min(next, p.refreshAtNanos);
      }
    }
    for (Channel c : channels) {
      if (!c.pending) {
        next = Math.min(next, c.refreshAtNanos);
      }
    }
    return next;
  }

  /** Deallocates: a Refresh with LIFETIME 0 (RFC 8656 section 7.2). */
  void close(long nowNanos) {
    if (state == State.ALLOCATED) {
      request(nowNanos, StunMethod.REFRESH, null, 0, false);
    }
    state = State.CLOSED;
  }

  /**
   * Wraps {@code data} for {@code peer}: ChannelData when a channel is bound, otherwise a Send
   * indication. Writes into {@code out} at {@code outOff} and returns the length, or -1 if {@code
   * out} is too small. Allocates nothing.
   *
   * <pre>
   *  0                   1                   2                   3
   *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
   * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   * |         Channel Number        |            Length             |
   * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   * /                       Application Data                        /
   * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   * </pre>
   */
  int wrap(InetSocketAddress peer, byte[] data, int off, int len, byte[] out, int outOff) {
    Channel c = channelFor(peer);
    if (c != null && c.bound) {
      // Over UDP the ChannelData need not be padded (RFC 8656 section 12.5).
      if (out.length - outOff < ChannelData.encodedLength(len, false)) {
        return -1;
      }
      return ChannelData.encode(c.number, data, off, len, out, outOff, false);
    }
    return writeSendIndication(peer, data, off, len, out, outOff);
  }

  /** Hand-encoded so the data path allocates nothing (no builder, no copies). */
  private int writeSendIndication(
      InetSocketAddress peer, byte[] data, int off, int len, byte[] out, int o) {
    byte[] ip = peer.getAddress().getAddress();
    int addrLen = 4 + ip.length;
    int padded = (len + 3) & ~3;
    int bodyLen = 4 + addrLen + 4 + padded;
    if (out.length - o < 20 + bodyLen) {
      return -1;
    }
    putU16(out, o, 0x0016); // Send indication: method 0x006, class indication
    putU16(out, o + 2, bodyLen);
    putU32(out, o + 4, StunMessage.MAGIC_COOKIE);
    agent.fillTransactionId(out, o + 8);
    int p = o + 20;
    putU16(out, p, io.github.jpeer.stun.StunAttributeType.XOR_PEER_ADDRESS);
    putU16(out, p + 2, addrLen);
    out[p + 4] = 0;
    out[p + 5] = (byte) (ip.length == 4 ? 1 : 2);
    putU16(out, p + 6, peer.getPort() ^ (StunMessage.MAGIC_COOKIE >>> 16));
    // XOR with the cookie, then (IPv6) with the transaction id (RFC 8489 section 14.2).
    for (int i = 0; i < ip.length; i++) {
      out[p + 8 + i] = (byte) (ip[i] ^ out[o + 4 + i]);
    }
    p += 4 + addrLen;
    putU16(out, p, io.github.jpeer.stun.StunAttributeType.DATA);
    putU16(out, p + 2, len);
    System.arraycopy(data, off, out, p + 4, len);
    for (int i = len; i < padded; i++) {
      out[p + 4 + i] = 0;
    }
    return 20 + bodyLen;
  }

  /** The worst-case overhead {@link #wrap} adds to a payload. */
  static int maxOverhead() {
    return 20 + 4 + 20 + 4 + 3;
  }

  private static void putU16(byte[] b, int o, int v) {
    b[o] = (byte) (v >>> 8);
    b[o + 1] = (byte) v;
  }

  private static void putU32(byte[] b, int o, int v) {
    b[o] = (byte) (v >>> 24);
    b[o + 1] = (byte) (v >>> 16);
    b[o + 2] = (byte) (v >>> 8);
    b[o + 3] = (byte) v;
  }
}
