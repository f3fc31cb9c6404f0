package io.github.jpeer.agent;

import io.github.jpeer.stun.ChannelData;
import io.github.jpeer.stun.ErrorCode;
import io.github.jpeer.stun.StreamFramer;
import io.github.jpeer.stun.StunClass;
import io.github.jpeer.stun.StunMessage;
import io.github.jpeer.stun.StunMethod;
import io.github.jpeer.stun.StunVerification;
import io.github.jpeer.stun.TransactionId;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.SplittableRandom;

/**
 * A sans-IO ICE agent for one component: RFC 8445 (full ICE, controlling or controlled, talking to
 * full or lite peers), RFC 8838 (trickle), RFC 7675 (consent freshness), with server-reflexive
 * candidates from STUN servers, relayed candidates from TURN servers (RFC 8656, see {@link
 * TurnServer}), and ICE-TCP (RFC 6544): active and passive host candidates over TCP, with RFC 4571
 * framing in the driver (see {@link Transmit}).
 *
 * <p>It never opens a socket and never reads a clock. The caller owns one UDP socket per local
 * address passed to {@link #gather}, and drives the agent:
 *
 * <pre>{@code
 * agent.gather(now, List.of(socketAddress));
 * loop:
 *   for each datagram read:  Received r = agent.handleReceive(now, socket, from, buf, 0, n);
 *                            if (r.isApplicationData()) dtls.handle(r.data(), r.offset(), r.length());
 *   agent.handleTimeout(now);
 *   for (Transmit t; (t = agent.pollTransmit()) != null; ) socketFor(t.local()).send(t.data(), t.destination());
 *   for (IceEvent e; (e = agent.pollEvent()) != null; ) dispatch(e);
 *   wait until agent.pollTimeoutNanos() or a datagram;
 * }</pre>
 *
 * <p>Bad network input never throws: it is dropped and counted in {@link #stats()}. API misuse
 * throws {@link IllegalArgumentException} or {@link IllegalStateException}.
 *
 * <p>Deliberate choices where the RFCs leave room: server-reflexive local candidates are not paired
 * (they are always redundant with their host base, RFC 8445 section 6.1.2.4); the frozen algorithm
 * works per foundation within the single checklist; a check retransmits with a doubling RTO capped
 * at {@link IceConfig#checkRtoMaxNanos()}; regular nomination happens when no better pair is
 * pending or {@link IceConfig#nominationDelayNanos()} after the first valid pair, and ordinary
 * checks stop once a nominated pair is selected (triggered checks still run); consent checks (RFC
 * 7675) double as keepalives, so no separate Binding indications are sent; the checklist state
 * FAILED is left again when trickled candidates bring new pairs, but FAILED after consent loss
 * lasts until {@link #restartIce}.
 *
 * <p>Not thread-safe: one thread (the one running the connection's loop) owns it.
 */
public final class IceAgent {
  private final System.Logger log;

  /** RFC 8445 section 6.1.2.5 suggests a limit of 100 pairs. */
  private static final int MAX_PAIRS = 100;

  private final IceConfig config;
  private final SecureRandom random;
  // Consent jitter needs no secrecy, and SecureRandom (NativePRNG) allocates on every draw.
  private final SplittableRandom jitter;
  private final long tieBreaker;
  private boolean controlling;
  private boolean remoteLite;
  private Session session;

  /** The session before an ICE restart, kept while its selected pair carries data. */
  private Session previous;

  private final List<LocalCand> locals = new ArrayList<>();
  private final List<IceCandidate> localPrflx = new ArrayList<>();
  private final List<TurnClient> turns = new ArrayList<>();
  private final Map<String, String> foundations = new HashMap<>();
  private final Map<TransactionId, Txn> transactions = new HashMap<>();
  private final ArrayDeque<Transmit> transmits = new ArrayDeque<>();
  private final ArrayDeque<IceEvent> events = new ArrayDeque<>();
  private final List<PendingMdns> pendingMdns = new ArrayList<>();
  private final ChannelData channelData = new ChannelData(); // reused view, one per agent
  private final Received received = new Received();
  private IceState state = IceState.NEW;
  private Pair selected;
  private CandidatePair selectedSnapshot;
  private boolean gatherCalled;
  private int serversPending;
  private boolean gatheringComplete;
  private boolean checkingStarted;
  private boolean consentLost;
  // A lite agent that no full agent checks within the consent timeout gives up (FAILED): it
  // sends nothing of its own, so nothing else would ever end a call whose peer never came.
  private long liteGiveUpNanos = Long.MAX_VALUE;
  private boolean liteGaveUp;
  private boolean closed;
  private long lastNowNanos = Long.MIN_VALUE;

  private long badIntegrity;
  private long unauthorizedResponses;
  private long badIntegrityChecks;
  private long badIntegrityResponses;
  private long turnFailures;
  private long badFingerprint;
  private long unknownTransaction;
  private long malformed;
  private long unknownUfrag;
  private long unknownSource;
  private long roleConflicts;
  private long unresolvedMdns;
  private long checksSent;
  private long checksRetransmitted;
  private long checksReceived;
  private long responsesReceived;
  private long pairsFailed;

  private record PendingMdns(IceCandidate candidate, String hostname, Session session) {}

  /**
   * Creates an agent with fresh local credentials and a random 64-bit tie-breaker.
   *
   * @param config servers and timers
   * @param controlling the initial role (the offerer of a full-ICE session is controlling); it may
   *     change on a role conflict
   * @param random the source of credentials, tie-breaker, transaction ids and consent jitter
   * @throws IllegalArgumentException if {@code config} is ICE-lite and {@code controlling} is true
   */
  public IceAgent(IceConfig config, boolean controlling, SecureRandom random) {
    this.config = Objects.requireNonNull(config, "config");
    if (config.iceLite() && controlling) {
      throw new IllegalArgumentException(LITE_IS_CONTROLLED);
    }
    this.log = config.logger();
    this.random = Objects.requireNonNull(random, "random");
    this.controlling = controlling;
    this.tieBreaker = random.nextLong();
    this.jitter = new SplittableRandom(random.nextLong());
    this.session = new Session(IceCredentials.random(random));
  }

  // ---------------------------------------------------------------------------------------
  // Control plane

  /** The local ufrag and pwd to put into SDP (new ones after {@link #restartIce}). */
  public IceCredentials localCredentials() {
    return session.local;
  }

  /** The remote ufrag and pwd, or {@code null} if not yet known. */
  public IceCredentials remoteCredentials() {
    return session.remote;
  }

  /**
   * Sets the remote ufrag and pwd from the remote SDP. Checks start once they are known.
   *
   * @throws IllegalStateException if different remote credentials are already set: an ICE restart
   *     needs {@link #restartIce} first
   */
  public void setRemoteCredentials(IceCredentials remote) {
    Objects.requireNonNull(remote, "remote");
    if (session.remote != null && !session.remote.equals(remote)) {
      throw new IllegalStateException(
          "remote ICE credentials changed: call restartIce() before setting new ones");
    }
    session.setRemote(remote);
    for (Pair p : session.pairs) {
      if (p.earlyRemoteUfrag != null && !p.earlyRemoteUfrag.equals(remote.ufrag())) {
        failPair(p); // made by a check of the remote's old generation (see onRequest)
        session.triggered.remove(p);
      }
      p.earlyRemoteUfrag = null;
    }
  }

  /**
   * Declares the remote agent ICE-lite (SDP {@code a=ice-lite}): this agent then is always
   * controlling (RFC 8445 section 6.1.1) and alone keeps consent, since a lite agent never sends
   * checks.
   */
  public void setRemoteIceLite(boolean lite) {
    if (lite && config.iceLite()) {
      throw new IllegalStateException(
          "the remote agent is ICE-lite and so is this one: two lite agents cannot connect, one"
              + " side must run full ICE");
    }
    remoteLite = lite;
    if (lite && !controlling) {
      switchRole(true);
    }
  }

  /** Whether the remote agent was declared ICE-lite. */
  public boolean isRemoteIceLite() {
    return remoteLite;
  }

  /** Whether this agent is currently controlling. */
  public boolean isControlling() {
    return controlling;
  }

  /** The 64-bit tie-breaker sent in ICE-CONTROLLING / ICE-CONTROLLED. */
  public long tieBreaker() {
    return tieBreaker;
  }

  /**
   * Starts gathering over UDP only: {@link #gather(long, List, List)} without TCP listeners.
   *
   * @throws IllegalStateException if called twice or after {@link #close}
   */
  public void gather(long nowNanos, List<InetSocketAddress> localSockets) {
    gather(nowNanos, localSockets, List.of());
  }

  /**
   * Starts gathering: a host candidate for every local UDP socket address, then server-reflexive
   * candidates from every STUN server and relayed ones from every TURN server of the same address
   * family; and for every TCP listener, a passive TCP candidate on it and an active one on its IP
   * (RFC 6544 section 5.1: port {@link IceCandidate#DISCARD_PORT}). Candidates come out as {@link
   * IceEvent.LocalCandidate} events, then one {@link IceEvent.GatheringComplete}.
   *
   * <p>The driver accepts connections on each listener, and connects out from its IP when a {@link
   * Transmit} from an active candidate asks for it; packets of both come back through {@link
   * #handleStreamReceive} with the candidate's address as {@code local}.
   *
   * @param nowNanos the current time
   * @param localSockets bound, concrete (not wildcard) UDP socket addresses the caller reads and
   *     writes; the caller decides whether loopback or link-local ones belong here
   * @param tcpListeners bound, concrete TCP listening addresses (may be empty)
   * @throws IllegalStateException if called twice or after {@link #close}
   */
  public void gather(
      long nowNanos, List<InetSocketAddress> localSockets, List<InetSocketAddress> tcpListeners) {
    checkOpen();
    if (gatherCalled) {
      throw new IllegalStateException("gather() was already called; candidates are kept");
    }
    gatherCalled = true;
    lastNowNanos = nowNanos;
    if (config.iceLite()) {
      liteGiveUpNanos = nowNanos + config.consentTimeoutNanos();
    }
    int index = 0;
    for (InetSocketAddress socket : localSockets) {
      checkConcrete(socket);
      if (hostFor(socket) != null) {
        continue;
      }
      int localPref = addressPreference(socket, index++, 65535, 512);
      addHost(nowNanos, socket, CandidateType.HOST.typePreference(), localPref, null);
      for (InetSocketAddress stun : config.stunServers()) {
        if (config.udp() && sameFamily(stun.getAddress(), socket.getAddress())) {
          serversPending++;
          TransactionId id = newTransactionId();
          byte[] bytes =
              StunMessage.builder(StunClass.REQUEST, StunMethod.BINDING, id).fingerprint().encode();
          Txn t = new Txn(id, Txn.Kind.GATHER, bytes, stun);
          t.socket = socket;
          startServerTransaction(nowNanos, t, true);
        }
      }
      int serverIndex = 0;
      for (TurnServer server : config.turnServers()) {
        if ((config.udp() || server.overTcp())
            && sameFamily(server.address().getAddress(), socket.getAddress())) {
          serversPending++;
          TurnClient tc = new TurnClient(this, server, socket, serverIndex);
          turns.add(tc);
          tc.start(nowNanos);
        }
        serverIndex++;
      }
    }
    int tcpIndex = 0;
    for (InetSocketAddress listener : tcpListeners) {
      checkConcrete(listener);
      if (tcpFor(listener) != null) {
        continue;
      }
      // RFC 6544 section 4.2: the local preference of a TCP candidate is 2^13 * direction-pref
      // + other-pref, active (6) above passive (4) for host candidates; the type preference is
      // below UDP's host and server-reflexive ones, so that UDP wins where both work.
      int otherPref = addressPreference(listener, tcpIndex++, 8191, 256);
      InetSocketAddress active =
          new InetSocketAddress(listener.getAddress(), IceCandidate.DISCARD_PORT);
      addHost(
          nowNanos,
          listener,
          TCP_HOST_TYPE_PREFERENCE,
          (4 << 13) + otherPref,
          IceCandidate.TcpType.PASSIVE);
      if (!config.iceLite()) { // an active candidate dials out: a lite agent only answers
        addHost(
            nowNanos,
            active,
            TCP_HOST_TYPE_PREFERENCE,
            (6 << 13) + otherPref,
            IceCandidate.TcpType.ACTIVE);
      }
    }
    maybeGatheringComplete();
  }

  /** RFC 8421: IPv6 first, then the caller's order, counting down from {@code top}. */
  private static int addressPreference(InetSocketAddress a, int index, int top, int v4Below) {
    boolean v6 = !(a.getAddress() instanceof Inet4Address);
    return Math.max(0, (v6 ? top : top - v4Below) - index);
  }

  /** A host candidate on {@code socket}, over UDP ({@code tcpType} null) or TCP. */
  private void addHost(
      long nowNanos,
      InetSocketAddress socket,
      int typePreference,
      int localPref,
      IceCandidate.TcpType tcpType) {
    IceCandidate c =
        new IceCandidate(
            foundation(CandidateType.HOST, socket.getAddress(), null, tcpType != null),
            IceCandidate.priority(typePreference, localPref, 1),
            socket,
            CandidateType.HOST,
            null,
            tcpType);
    addLocal(nowNanos, new LocalCand(c, socket, null, localPref));
  }

  private static void checkConcrete(InetSocketAddress socket) {
    if (socket.isUnresolved() || socket.getAddress().isAnyLocalAddress()) {
      throw new IllegalArgumentException(
          "local socket " + socket + " must be a concrete address, not a name or wildcard");
    }
  }

  /** The type preference of host TCP candidates: below UDP host (126) and srflx (100). */
  static final int TCP_HOST_TYPE_PREFERENCE = 90;

  /** The type preference of peer-reflexive TCP candidates, sent in checks over TCP. */
  static final int TCP_PRFLX_TYPE_PREFERENCE = 80;

  /**
   * Adds a remote candidate (from SDP or trickled), at any time, also after checks started. A
   * candidate with an unresolved {@code .local} address waits for its name: the agent emits an
   * {@link IceEvent.MdnsQuery} (once per name) and goes on when the driver answers with {@link
   * #resolveMdns}. Other unresolved names are ignored and counted like unresolvable mDNS names.
   */
  public void addRemoteCandidate(long nowNanos, IceCandidate candidate) {
    checkOpen();
    Objects.requireNonNull(candidate, "candidate");
    lastNowNanos = nowNanos;
    if (candidate.isMdns()) {
      String name = candidate.address().getHostString();
      if (!name.endsWith(".local")) {
        unresolvedMdns++;
        return;
      }
      String key = name.toLowerCase(java.util.Locale.ROOT);
      boolean asked = false;
      for (PendingMdns m : pendingMdns) {
        asked |= m.hostname().equals(key);
      }
      pendingMdns.add(new PendingMdns(candidate, key, session));
      if (!asked) {
        events.add(new IceEvent.MdnsQuery(name));
      }
      return;
    }
    addResolvedRemote(nowNanos, session, candidate);
  }

  /**
   * The remote signalled end-of-candidates (RFC 8838 section 4.4). Recorded only: the state is
   * FAILED as soon as every pair failed (and gathering is complete) either way, and a later
   * trickled candidate still revives the checklist.
   */
  public void endOfRemoteCandidates() {
    session.remoteEndOfCandidates = true;
  }

  /**
   * ICE restart (RFC 8445 section 9): new local credentials, an empty checklist waiting for the new
   * remote credentials and candidates. The currently selected pair keeps carrying data, and its
   * consent keeps being checked with the old credentials, until a pair of the new session is
   * selected. Local candidates and TURN allocations are kept.
   *
   * @param controlling the role from here on: the agent whose offer restarts ICE is controlling and
   *     the other controlled, whatever they were (as libwebrtc re-determines them); a role that
   *     changes is reported as {@link IceEvent.RoleChanged}
   */
  public void restartIce(long nowNanos, boolean controlling) {
    checkOpen();
    if (controlling && config.iceLite()) {
      throw new IllegalArgumentException(LITE_IS_CONTROLLED);
    }
    lastNowNanos = nowNanos;
    if (controlling != this.controlling) {
      switchRole(controlling);
    }
    Session old = session;
    previous = selected != null ? selected.session : null;
    session = new Session(IceCredentials.random(random));
    for (Iterator<Txn> it = transactions.values().iterator(); it.hasNext(); ) {
      Txn t = it.next();
      if (t.kind == Txn.Kind.CHECK && t.pair.session == old) {
        it.remove(); // checks of the old session are moot
      }
    }
    if (consentLost) {
      consentLost = false;
    }
    if (config.iceLite() && selected == null) {
      liteGaveUp = false;
      liteGiveUpNanos = nowNanos + config.consentTimeoutNanos();
    }
    checkingStarted = selected != null;
    updateState(nowNanos);
  }

  /**
   * Closes the agent: TURN allocations are released (Refresh with LIFETIME 0, sent once), the state
   * becomes CLOSED, and every later call is a no-op except polling.
   */
  public void close(long nowNanos) {
    if (closed) {
      return;
    }
    lastNowNanos = nowNanos;
    for (TurnClient tc : turns) {
      tc.close(nowNanos);
    }
    closed = true;
    transactions.clear();
    if (selected != null) {
      selected = null;
      selectedSnapshot = null;
      events.add(new IceEvent.SelectedPairChanged(null));
    }
    updateState(nowNanos);
  }

  // ---------------------------------------------------------------------------------------
  // Sans-IO verbs

  /**
   * Handles one received datagram and says what it was (RFC 7983 demultiplexing): a STUN or TURN
   * message for the agent (consumed), application data with the pair it came on (also when it came
   * wrapped in ChannelData or a Data indication from a TURN relay), or dropped.
   *
   * @param nowNanos the current time
   * @param local the local socket address it arrived on
   * @param from the sender
   * @param data the buffer (not kept after the call; application data is a view into it, or into a
   *     copy for Data indications)
   * @param off offset of the datagram
   * @param len length of the datagram
   * @return the decision; a flyweight valid until the next call into the agent
   */
  public Received handleReceive(
      long nowNanos,
      InetSocketAddress local,
      InetSocketAddress from,
      byte[] data,
      int off,
      int len) {
    return safelyReceive(nowNanos, local, from, data, off, len, false);
  }

  private Received safelyReceive(
      long nowNanos,
      InetSocketAddress local,
      InetSocketAddress from,
      byte[] data,
      int off,
      int len,
      boolean stream) {
    Objects.checkFromIndexSize(off, len, data.length);
    lastNowNanos = nowNanos;
    if (closed) {
      return received.set(Received.Kind.DROPPED, null, null, 0, 0);
    }
    try {
      return receive(nowNanos, local, from, data, off, len, stream);
    } catch (RuntimeException e) {
      // Defence in depth: network bytes must never throw out of the agent.
      malformed++;
      log.log(System.Logger.Level.DEBUG, "dropped a packet from {0}: {1}", from, e.toString());
      return received.set(Received.Kind.DROPPED, null, null, 0, 0);
    }
  }

  /**
   * Takes one packet that came over a TCP connection, already cut out of the stream by the driver
   * (peer-stun's {@code StreamFramer}): from a TURN server reached over TCP ({@link
   * TurnServer#overTcp()}, TURN framing), or from a remote ICE-TCP candidate (RFC 4571 framing) on
   * a connection one of our TCP candidates opened or accepted. {@code local} is the socket the
   * agent named in that connection's {@link Transmit#local()}, or the listener that accepted it.
   * Otherwise as {@link #handleReceive}.
   */
  public Received handleStreamReceive(
      long nowNanos,
      InetSocketAddress local,
      InetSocketAddress from,
      byte[] data,
      int off,
      int len) {
    return safelyReceive(nowNanos, local, from, data, off, len, true);
  }

  /**
   * A TCP connection failed or closed (the driver could not connect, or the far end hung up). To a
   * TURN server: its allocation is gone, reported as {@link IceEvent.TurnFailed} (701) while
   * allocating; a relayed pair on it stops getting answers and consent decides. An ICE-TCP
   * connection: its pair fails; if it was the selected, nominated pair, consent is lost with it,
   * and a pair selected before any nomination gives way to the next best.
   */
  public void streamClosed(long nowNanos, InetSocketAddress local, InetSocketAddress server) {
    lastNowNanos = nowNanos;
    TurnClient tc = turnFor(local, server, true);
    if (tc != null) {
      tc.streamClosed(nowNanos);
      return;
    }
    LocalCand lc = tcpFor(local);
    if (lc == null || closed) {
      return;
    }
    for (Session s : sessions()) {
      for (Pair p : s.pairs) {
        if (p.matches(lc, server)) {
          p.streamOpen = false; // nothing left for the driver to close
          failPair(p);
          if (p.inFlight != null) {
            transactions.remove(p.inFlight.id);
            p.inFlight = null;
          }
          if (p == selected) {
            boolean wasNominated = p.nominated;
            selected = null;
            selectedSnapshot = null;
            events.add(new IceEvent.SelectedPairChanged(null));
            if (wasNominated) {
              // the call's path is gone: consent is lost with it, FAILED at once (not through
              // DISCONNECTED); an ICE restart recovers
              consentLost = true;
              log.log(System.Logger.Level.DEBUG, "ICE-TCP connection of {0} closed", p);
            } else {
              // selected before any nomination (the controlled side's best so far): choose again
              updateSelection(nowNanos);
            }
          }
        }
      }
    }
    updateState(nowNanos);
  }

  /** Runs every timer that is due: checks, retransmissions, consent, TURN refreshes, mDNS. */
  public void handleTimeout(long nowNanos) {
    lastNowNanos = nowNanos;
    if (closed) {
      return;
    }
    runTransactions(nowNanos);
    maybeNominate(nowNanos);
    runPacer(nowNanos);
    runConsent(nowNanos);
    if (selected == null && !liteGaveUp && nowNanos >= liteGiveUpNanos) {
      liteGaveUp = true;
      log.log(
          System.Logger.Level.DEBUG,
          "ICE-lite: no verified check within {0} ms; giving up",
          config.consentTimeoutNanos() / 1_000_000);
    }
    for (int i = 0; i < turns.size(); i++) {
      turns.get(i).handleTimeout(nowNanos);
    }
    updateState(nowNanos);
  }

  /** The next datagram to send, or {@code null}. */
  public Transmit pollTransmit() {
    return transmits.poll();
  }

  /** The next event, or {@code null}. */
  public IceEvent pollEvent() {
    return events.poll();
  }

  /**
   * When {@link #handleTimeout} should be called next; {@link Long#MAX_VALUE} if no timer runs. May
   * be in the past, meaning now.
   */
  public long pollTimeoutNanos() {
    if (closed) {
      return Long.MAX_VALUE;
    }
    long next = Long.MAX_VALUE;
    // Skipped when empty (the steady state between consent checks): iterating a HashMap
    // allocates an iterator, and this runs on every loop().
    if (!transactions.isEmpty()) {
      for (Txn t : transactions.values()) {
        next = Math.min(next, Math.min(t.nextSendNanos, t.deadlineNanos));
      }
    }
    if (session.hasWork() && !config.iceLite()) {
      next = Math.min(next, session.nextCheckNanos);
    }
    next = Math.min(next, nominationDueNanos(session));
    if (state == IceState.CHECKING && session.passiveWaitUntilNanos > lastNowNanos) {
      next = Math.min(next, session.passiveWaitUntilNanos); // FAILED may be due then
    }
    if (selected == null && !liteGaveUp) {
      next = Math.min(next, liteGiveUpNanos);
    }
    Pair p = selected;
    if (p != null && !consentLost) {
      if (!config.iceLite()) {
        next = Math.min(next, p.nextConsentNanos);
      }
      if (state != IceState.DISCONNECTED) {
        next = Math.min(next, p.lastConsentNanos + config.disconnectedTimeoutNanos());
      }
      next = Math.min(next, p.lastConsentNanos + config.consentTimeoutNanos());
    }
    for (int i = 0; i < turns.size(); i++) {
      next = Math.min(next, turns.get(i).nextTimeoutNanos());
    }
    // "Now" rather than a far past, so callers can subtract safely.
    return Math.max(next, lastNowNanos);
  }

  /**
   * Wraps application data (DTLS, SRTP) for the selected pair without allocating: writes what must
   * be sent to {@link #selectedDestination()} from {@link #selectedSocket()} into {@code out} (the
   * data itself, or its ChannelData / Send-indication wrapping for a relayed pair).
   *
   * @return the number of bytes written, or -1 if no pair is selected or {@code out} is too small
   *     (it needs {@code len + 51} bytes to be safe)
   */
  public int wrapForSelectedPair(byte[] data, int off, int len, byte[] out, int outOff) {
    Objects.checkFromIndexSize(off, len, data.length);
    Pair p = selected;
    if (p == null || closed) {
      return -1;
    }
    if (p.local.relay == null) {
      if (out.length - outOff < len) {
        return -1;
      }
      System.arraycopy(data, off, out, outOff, len);
      return len;
    }
    return p.local.relay.wrap(p.remote.address(), data, off, len, out, outOff);
  }

  /** The local socket the selected pair sends from, or {@code null}. */
  public InetSocketAddress selectedSocket() {
    Pair p = selected;
    return p == null ? null : p.local.socket;
  }

  /**
   * How the selected pair's packets are framed on the TCP connection to {@link
   * #selectedDestination()}: {@link StreamFramer.Framing#TURN} for a pair relayed by a TURN server
   * reached over TCP, {@link StreamFramer.Framing#RFC_4571} for an ICE-TCP pair; {@code null} for
   * UDP datagrams (or no pair).
   */
  public StreamFramer.Framing selectedFraming() {
    Pair p = selected;
    return p == null ? null : framingOf(p.local);
  }

  private static StreamFramer.Framing framingOf(LocalCand lc) {
    if (lc.candidate.isTcp()) {
      return StreamFramer.Framing.RFC_4571;
    }
    return lc.relay != null && lc.relay.server.overTcp() ? StreamFramer.Framing.TURN : null;
  }

  /** Where the selected pair's datagrams go (the TURN server for a relayed pair), or null. */
  public InetSocketAddress selectedDestination() {
    Pair p = selected;
    if (p == null) {
      return null;
    }
    return p.local.relay == null ? p.remote.address() : p.local.relay.server.address();
  }

  /** The selected pair, or {@code null}. */
  public CandidatePair selectedPair() {
    return selected == null ? null : selected.snapshot();
  }

  /**
   * The smoothed round-trip time of the selected pair's connectivity checks and consent requests
   * (responses to requests that were sent once), or -1 if there is no selected pair or no sample
   * yet. Until a request sent once is answered, it is seeded from the answers to retransmitted
   * ones, timed from their last transmission, so that it exists under loss too. It includes how
   * late the driver read the response, so a coarse loop measures high.
   */
  public long selectedRoundTripNanos() {
    return selected == null ? -1 : selected.rttNanos;
  }

  /** The connection state. */
  public IceState state() {
    return state;
  }

  /** Every local candidate gathered or learned (host, srflx, relay, prflx). */
  public List<IceCandidate> localCandidates() {
    List<IceCandidate> out = new ArrayList<>();
    for (LocalCand lc : locals) {
      if (usable(lc)) {
        out.add(lc.candidate);
      }
    }
    out.addAll(localPrflx);
    return out;
  }

  /** The remote candidates of the current session, signalled or peer-reflexive. */
  public List<IceCandidate> remoteCandidates() {
    return List.copyOf(session.remoteCandidates);
  }

  /** The checklist of the current session, best first. */
  public List<CandidatePair> pairs() {
    List<Pair> sorted = new ArrayList<>(session.pairs);
    sorted.sort((a, b) -> Long.compareUnsigned(b.priority, a.priority));
    List<CandidatePair> out = new ArrayList<>();
    for (Pair p : sorted) {
      out.add(p.snapshot());
    }
    return out;
  }

  /** Whether gathering is complete. */
  public boolean isGatheringComplete() {
    return gatheringComplete;
  }

  /** A snapshot of the counters. */
  public IceStats stats() {
    return new IceStats(
        badIntegrity,
        badFingerprint,
        unknownTransaction,
        malformed,
        unknownUfrag,
        unknownSource,
        roleConflicts,
        unresolvedMdns,
        checksSent,
        checksRetransmitted,
        checksReceived,
        responsesReceived,
        pairsFailed,
        unauthorizedResponses,
        badIntegrityChecks,
        badIntegrityResponses,
        turnFailures);
  }

  // ---------------------------------------------------------------------------------------
  // Receive path

  private Received receive(
      long nowNanos,
      InetSocketAddress local,
      InetSocketAddress from,
      byte[] data,
      int off,
      int len,
      boolean stream) {
    if (len == 0) {
      malformed++;
      return dropped();
    }
    TurnClient tc = turnFor(local, from, stream);
    if (tc != null) {
      return receiveFromTurnServer(nowNanos, tc, from, data, off, len);
    }
    LocalCand lc = stream ? tcpFor(local) : hostFor(local);
    if (lc == null) {
      unknownSource++;
      return dropped();
    }
    return receiveFromPeer(nowNanos, lc, from, data, off, len);
  }

  private Received receiveFromTurnServer(
      long nowNanos, TurnClient tc, InetSocketAddress from, byte[] data, int off, int len) {
    int first = len > 0 ? data[off] & 0xFF : -1;
    if (first >= 0x40 && first <= 0x4F) {
      // ChannelData (RFC 8656 section 12.4), read through peer-stun's allocation-free view.
      if (!channelData.wrap(data, off, len)) {
        malformed++;
        return dropped();
      }
      InetSocketAddress peer = tc.peerForChannel(channelData.channelNumber());
      if (peer == null || tc.candidate == null) {
        unknownSource++;
        return dropped();
      }
      return receiveFromPeer(
          nowNanos, tc.candidate, peer, data, channelData.dataOffset(), channelData.dataLength());
    }
    if (first > 3 || !StunMessage.isStun(data, off, len)) {
      malformed++;
      return dropped();
    }
    StunMessage msg = decode(data, off, len);
    if (msg == null) {
      return dropped();
    }
    if (msg.messageClass() == StunClass.INDICATION && msg.methodCode() == StunMethod.DATA.code()) {
      InetSocketAddress peer = msg.xorPeerAddress();
      byte[] inner = msg.data();
      if (peer == null || inner == null || tc.candidate == null) {
        malformed++;
        return dropped();
      }
      return receiveFromPeer(nowNanos, tc.candidate, peer, inner, 0, inner.length);
    }
    if (msg.messageClass() == StunClass.SUCCESS_RESPONSE
        || msg.messageClass() == StunClass.ERROR_RESPONSE) {
      return onResponse(nowNanos, null, from, msg);
    }
    malformed++;
    return dropped();
  }

  private Received receiveFromPeer(
      long nowNanos, LocalCand lc, InetSocketAddress from, byte[] data, int off, int len) {
    if (len > 0 && (data[off] & 0xFF) <= 3) {
      // RFC 7983: first byte 0..3 is STUN.
      if (!StunMessage.isStun(data, off, len)) {
        malformed++;
        return dropped();
      }
      StunMessage msg = decode(data, off, len);
      if (msg == null) {
        return dropped();
      }
      switch (msg.messageClass()) {
        case REQUEST:
          return onRequest(nowNanos, lc, from, msg);
        case INDICATION:
          // Binding indications are keepalives (RFC 8445 section 11); nothing to do.
          return received.set(Received.Kind.CONSUMED, null, null, 0, 0);
        default:
          return onResponse(nowNanos, lc, from, msg);
      }
    }
    Pair p = pairFor(lc, from);
    if (p == null) {
      unknownSource++;
      return dropped();
    }
    return received.set(Received.Kind.APPLICATION_DATA, p.snapshot(), data, off, len);
  }

  private StunMessage decode(byte[] data, int off, int len) {
    try {
      return StunMessage.decode(data, off, len);
    } catch (RuntimeException e) {
      malformed++;
      return null;
    }
  }

  private Received dropped() {
    return received.set(Received.Kind.DROPPED, null, null, 0, 0);
  }

  private Received consumed() {
    return received.set(Received.Kind.CONSUMED, null, null, 0, 0);
  }

  /** An incoming connectivity check (RFC 8445 section 7.3). */
  private Received onRequest(long nowNanos, LocalCand lc, InetSocketAddress from, StunMessage msg) {
    if (msg.methodCode() != StunMethod.BINDING.code()) {
      malformed++;
      return dropped();
    }
    if (!usable(lc)) {
      unknownSource++; // relay-only: a check that did not come through our relay
      return dropped();
    }
    String username = msg.username();
    if (username == null) {
      malformed++;
      return dropped();
    }
    int colon = username.indexOf(':');
    String ours = colon < 0 ? username : username.substring(0, colon);
    Session s = null;
    if (ours.equals(session.local.ufrag())) {
      s = session;
    } else if (previous != null && ours.equals(previous.local.ufrag())) {
      s = previous;
    }
    if (s == null) {
      unknownUfrag++;
      return dropped();
    }
    StunVerification v = msg.verify(s.localKey, true);
    if (v != StunVerification.OK) {
      countVerification(v);
      if (v == StunVerification.BAD_INTEGRITY) {
        badIntegrityChecks++; // signed with another password than ours
      }
      return dropped();
    }
    checksReceived++;
    OptionalLong theirControlling = msg.iceControlling();
    OptionalLong theirControlled = msg.iceControlled();
    // Role conflict, RFC 8445 section 7.3.1.1: the larger tie-breaker stays controlling.
    if (controlling && theirControlling.isPresent()) {
      roleConflicts++;
      if (Long.compareUnsigned(tieBreaker, theirControlling.getAsLong()) >= 0) {
        sendRoleConflict(lc, from, msg, s);
        return consumed();
      }
      switchRole(false);
    } else if (!controlling && theirControlled.isPresent()) {
      roleConflicts++;
      if (config.iceLite()) {
        // A lite agent is controlled whatever the tie-breakers say: the full one must switch.
        sendRoleConflict(lc, from, msg, s);
        return consumed();
      }
      if (Long.compareUnsigned(tieBreaker, theirControlled.getAsLong()) >= 0) {
        switchRole(true);
      } else {
        sendRoleConflict(lc, from, msg, s);
        return consumed();
      }
    }
    byte[] response =
        msg.successResponseBuilder()
            .xorMappedAddress(from)
            .messageIntegrity(s.localKey)
            .fingerprint()
            .encode();
    sendVia(lc, from, response);
    markChecking();
    String theirs = colon < 0 ? "" : username.substring(colon + 1);
    if (s.remote != null && !theirs.equals(s.remote.ufrag())) {
      // Signed with our credentials but sent with a remote ufrag this session does not have:
      // after an ICE restart, a connection of the remote's old generation that learned our new
      // ufrag (libwebrtc's do). Answered, but it makes no pair: a check back would carry the new
      // remote ufrag, which that old connection rejects (401).
      return consumed();
    }

    boolean tcp = lc.candidate.isTcp();
    IceCandidate remote = findRemote(s, from, tcp);
    if (remote == null) {
      // A peer-reflexive remote candidate (RFC 8445 section 7.3.1.3); over TCP, the other end of
      // the connection (RFC 6544 section 7.2: active if it connected to our passive candidate).
      long priority = msg.priority().orElse(0);
      if (priority < 1 || priority > 0x7FFF_FFFFL) {
        malformed++;
        return consumed();
      }
      IceCandidate.TcpType theirType =
          !tcp
              ? null
              : lc.candidate.tcpType() == IceCandidate.TcpType.PASSIVE
                  ? IceCandidate.TcpType.ACTIVE
                  : IceCandidate.TcpType.PASSIVE;
      remote =
          new IceCandidate(
              "prflx" + (++s.prflxCount),
              priority,
              from,
              CandidateType.PEER_REFLEXIVE,
              null,
              theirType);
      s.remoteCandidates.add(remote);
      if (!tcp) {
        permitOnRelays(nowNanos, remote);
      }
    }
    Pair p = findPair(s, lc, from);
    if (p == null) {
      p = addPair(nowNanos, s, lc, remote, true);
      if (p == null) {
        return consumed();
      }
      if (s.remote == null) {
        p.earlyRemoteUfrag = theirs;
      }
    }
    p.lastHeardNanos = nowNanos;
    p.streamOpen |= tcp;
    if (msg.useCandidate() && !controlling) {
      p.remoteNominated = true;
      p.remoteNominatedNanos = nowNanos;
    }
    if (config.iceLite()) {
      return onLiteCheck(nowNanos, p);
    }
    switch (p.state) {
      case SUCCEEDED -> {
        if (p.remoteNominated && !controlling && (!p.nominated || p != selected)) {
          p.setNominated();
          updateSelection(nowNanos);
        }
      }
      case IN_PROGRESS -> {
        // The check in flight will answer the same question.
      }
      default -> {
        // A triggered check (RFC 8445 section 7.3.1.4).
        p.state = Pair.State.WAITING;
        if (!s.triggered.contains(p)) {
          s.triggered.add(p);
        }
      }
    }
    updateState(nowNanos);
    return consumed();
  }

  /**
   * A lite agent's part of a verified check (RFC 8445 sections 7.3.1.4 and 8.2.2): the pair is
   * valid at once (no check of our own confirms it), a nomination selects it, and the check counts
   * as the remote's consent on that pair (it is the full agent that keeps consent, RFC 7675).
   */
  private Received onLiteCheck(long nowNanos, Pair p) {
    Session s = p.session;
    updateState(nowNanos); // CHECKING first, as a full agent passes through it
    p.lastConsentNanos = nowNanos;
    if (p.state != Pair.State.SUCCEEDED) {
      p.state = Pair.State.SUCCEEDED;
      if (s.firstValidNanos == Long.MAX_VALUE) {
        s.firstValidNanos = nowNanos;
      }
    }
    if (p.remoteNominated && !p.nominated) {
      p.setNominated();
    }
    updateSelection(nowNanos);
    updateState(nowNanos);
    return consumed();
  }

  private static final String LITE_IS_CONTROLLED =
      "an ICE-lite agent is always the controlled one (RFC 8445 section 6.1.1), whichever side"
          + " offers: make it with controlling = false, and let the full agent control";

  private void sendRoleConflict(LocalCand lc, InetSocketAddress from, StunMessage msg, Session s) {
    byte[] response =
        msg.errorResponseBuilder(ErrorCode.ROLE_CONFLICT, "Role Conflict")
            .messageIntegrity(s.localKey)
            .fingerprint()
            .encode();
    sendVia(lc, from, response);
  }

  /** A response from a peer (lc non-null) or a server (lc null, TURN path). */
  private Received onResponse(
      long nowNanos, LocalCand lc, InetSocketAddress from, StunMessage msg) {
    Txn t = transactions.get(msg.transactionId());
    if (t == null) {
      unknownTransaction++;
      return dropped();
    }
    switch (t.kind) {
      case GATHER -> {
        if (!from.equals(t.destination)) {
          unknownTransaction++;
          return dropped();
        }
        transactions.remove(t.id);
        if (msg.messageClass() == StunClass.SUCCESS_RESPONSE) {
          InetSocketAddress mapped = msg.xorMappedAddress();
          if (mapped == null) {
            mapped = msg.mappedAddress();
          }
          if (mapped != null) {
            addServerReflexive(nowNanos, t.socket, mapped, t.destination.getAddress());
          } else {
            malformed++;
          }
        }
        onServerDone(nowNanos);
      }
      case TURN -> {
        if (!from.equals(t.destination)) {
          unknownTransaction++;
          return dropped();
        }
        transactions.remove(t.id);
        if (!t.turn.onResponse(nowNanos, t, msg)) {
          transactions.put(t.id, t); // a forged or corrupted answer: keep waiting
          return dropped();
        }
      }
      default -> {
        return onCheckResponse(nowNanos, lc, from, msg, t);
      }
    }
    return consumed();
  }

  private Received onCheckResponse(
      long nowNanos, LocalCand lc, InetSocketAddress from, StunMessage msg, Txn t) {
    Pair p = t.pair;
    if (lc != t.route || !from.equals(t.destination)) {
      // Not symmetric (RFC 8445 section 7.2.5.2.1): not an answer to this check.
      unknownTransaction++;
      return dropped();
    }
    if (p.pruned) {
      transactions.remove(t.id);
      p.inFlight = null;
      return consumed(); // the answer to a check on a pair pruned meanwhile
    }
    StunVerification v = msg.verify(p.session.remoteKey, true);
    if (v == StunVerification.NO_INTEGRITY && unauthorized(msg) && t.kind == Txn.Kind.CHECK) {
      // 401 cannot carry integrity (the remote did not know our credentials: RFC 8489 section
      // 9.1.3); it answers our transaction id, which only the path to the remote saw. The check
      // fails instead of retransmitting for seconds, as to a remote that went away.
      transactions.remove(t.id);
      if (p.inFlight == t) {
        p.inFlight = null;
        failPair(p);
      }
      unauthorizedResponses++;
      updateState(nowNanos);
      return consumed();
    }
    if (v != StunVerification.OK) {
      countVerification(v);
      if (v == StunVerification.BAD_INTEGRITY) {
        badIntegrityResponses++; // signed with another password than the one we have for it
      }
      return dropped();
    }
    transactions.remove(t.id);
    if (p.inFlight == t) {
      p.inFlight = null;
    }
    responsesReceived++;
    if (msg.messageClass() == StunClass.ERROR_RESPONSE) {
      ErrorCode error = msg.errorCode();
      if (error != null && error.code() == ErrorCode.ROLE_CONFLICT && t.kind == Txn.Kind.CHECK) {
        // RFC 8445 section 7.2.5.1: switch role (unless already done) and check again.
        roleConflicts++;
        if (t.sentControlling == controlling) {
          switchRole(!controlling);
        }
        p.state = Pair.State.WAITING;
        if (!p.session.triggered.contains(p)) {
          p.session.triggered.add(p);
        }
      } else if (t.kind == Txn.Kind.CHECK) {
        failPair(p);
      }
      updateState(nowNanos);
      return consumed();
    }
    p.lastConsentNanos = nowNanos;
    if (t.transmissions == 1) {
      p.addRttSample(nowNanos - t.firstSentNanos);
    } else {
      p.seedRtt(nowNanos - t.lastSentNanos);
    }
    InetSocketAddress mapped = msg.xorMappedAddress();
    if (mapped != null
        && p.mappedLocal == null
        && !p.local.candidate.isTcp() // over TCP it names our connection's ephemeral port
        && !isLocalAddress(p.local.socket, mapped)) {
      // A local peer-reflexive candidate (RFC 8445 section 7.2.5.3.1).
      IceCandidate prflx =
          new IceCandidate(
              foundation(CandidateType.PEER_REFLEXIVE, p.local.socket.getAddress(), null, false),
              t.prioritySent,
              mapped,
              CandidateType.PEER_REFLEXIVE,
              p.local.address());
      if (!localPrflx.contains(prflx)) {
        localPrflx.add(prflx);
      }
      p.setMappedLocal(prflx);
    }
    if (t.kind == Txn.Kind.CHECK) {
      Session s = p.session;
      p.state = Pair.State.SUCCEEDED;
      // Unfreeze the pairs sharing the foundation (RFC 8445 section 7.2.5.3.3).
      String f = p.foundation();
      for (Pair q : s.pairs) {
        if (q.state == Pair.State.FROZEN && q.foundation().equals(f)) {
          q.state = Pair.State.WAITING;
        }
      }
      if (s.firstValidNanos == Long.MAX_VALUE) {
        s.firstValidNanos = nowNanos;
      }
      if ((t.nominate && t.sentControlling && controlling) || (!controlling && p.remoteNominated)) {
        p.setNominated();
      }
      updateSelection(nowNanos);
    }
    updateState(nowNanos);
    return consumed();
  }

  private static boolean unauthorized(StunMessage msg) {
    if (msg.messageClass() != StunClass.ERROR_RESPONSE) {
      return false;
    }
    ErrorCode error = msg.errorCode();
    return error != null && error.code() == 401;
  }

  private void countVerification(StunVerification v) {
    switch (v) {
      case NO_FINGERPRINT, BAD_FINGERPRINT -> badFingerprint++;
      default -> badIntegrity++;
    }
  }

  // ---------------------------------------------------------------------------------------
  // Candidates and pairs

  private void addLocal(long nowNanos, LocalCand lc) {
    locals.add(lc);
    if (!usable(lc)) {
      return; // relay-only policy: kept to recognise the socket, never signalled nor paired
    }
    events.add(new IceEvent.LocalCandidate(lc.candidate));
    if (lc.pairable()) {
      for (Session s : sessions()) {
        for (IceCandidate r : List.copyOf(s.remoteCandidates)) {
          addPair(nowNanos, s, lc, r, false);
        }
      }
    }
  }

  private void addServerReflexive(
      long nowNanos, InetSocketAddress socket, InetSocketAddress mapped, InetAddress server) {
    LocalCand base = hostFor(socket);
    if (base == null || mapped.equals(socket)) {
      return; // no NAT: the srflx candidate would be redundant with the host (RFC 8445 5.1.3)
    }
    for (LocalCand lc : locals) {
      if (lc.candidate.type() == CandidateType.SERVER_REFLEXIVE
          && lc.socket.equals(socket)
          && lc.address().equals(mapped)) {
        return;
      }
    }
    IceCandidate c =
        new IceCandidate(
            foundation(CandidateType.SERVER_REFLEXIVE, socket.getAddress(), server, false),
            IceCandidate.priority(
                CandidateType.SERVER_REFLEXIVE.typePreference(), base.localPreference, 1),
            mapped,
            CandidateType.SERVER_REFLEXIVE,
            socket);
    addLocal(nowNanos, new LocalCand(c, socket, null, base.localPreference));
  }

  void onRelayAllocated(long nowNanos, TurnClient tc) {
    InetAddress serverIp = tc.server.address().getAddress();
    if (tc.mapped != null) {
      addServerReflexive(nowNanos, tc.socket, tc.mapped, serverIp);
    }
    int localPref = Math.max(0, 65535 - tc.serverIndex);
    IceCandidate c =
        new IceCandidate(
            foundation(CandidateType.RELAYED, tc.socket.getAddress(), serverIp, false),
            IceCandidate.priority(CandidateType.RELAYED.typePreference(), localPref, 1),
            tc.relayed,
            CandidateType.RELAYED,
            tc.mapped != null ? tc.mapped : tc.socket);
    LocalCand lc = new LocalCand(c, tc.socket, tc, localPref);
    tc.candidate = lc;
    for (Session s : sessions()) {
      for (IceCandidate r : s.remoteCandidates) {
        if (!r.isTcp()) {
          tc.ensurePermission(nowNanos, r.ip());
        }
      }
    }
    addLocal(nowNanos, lc);
  }

  void onServerDone(long nowNanos) {
    serversPending--;
    maybeGatheringComplete();
  }

  private void maybeGatheringComplete() {
    if (gatherCalled && serversPending <= 0 && !gatheringComplete) {
      gatheringComplete = true;
      events.add(new IceEvent.GatheringComplete());
    }
  }

  private void addResolvedRemote(long nowNanos, Session s, IceCandidate candidate) {
    IceCandidate existing = findRemote(s, candidate.address(), candidate.isTcp());
    if (existing != null) {
      return; // a duplicate, or already learned as peer-reflexive: the pairs exist
    }
    s.remoteCandidates.add(candidate);
    if (!candidate.isTcp()) {
      permitOnRelays(nowNanos, candidate);
    } else if (candidate.tcpType() == IceCandidate.TcpType.ACTIVE
        && s.passiveWaitUntilNanos == Long.MIN_VALUE
        && hasPassive(candidate)) {
      // Its connection to us is as likely to come as our dial is to fail (a refusal comes back in
      // one round trip): give it as long as a check of ours would have.
      s.passiveWaitUntilNanos = nowNanos + reliableCheckTimeoutNanos(config.checkRtoMinNanos());
    }
    for (LocalCand lc : List.copyOf(locals)) {
      if (lc.pairable() && usable(lc)) {
        addPair(nowNanos, s, lc, candidate, false);
      }
    }
  }

  /** Whether a usable passive TCP candidate of ours could take {@code remote}'s connection. */
  private boolean hasPassive(IceCandidate remote) {
    for (LocalCand lc : locals) {
      if (lc.candidate.tcpType() == IceCandidate.TcpType.PASSIVE
          && usable(lc)
          && sameFamily(lc.address().getAddress(), remote.ip())) {
        return true;
      }
    }
    return false;
  }

  private boolean usable(LocalCand lc) {
    if (lc.relay != null) {
      return true;
    }
    return !config.relayOnly() && (config.udp() || lc.candidate.isTcp());
  }

  private void permitOnRelays(long nowNanos, IceCandidate remote) {
    for (int i = 0; i < turns.size(); i++) {
      turns.get(i).ensurePermission(nowNanos, remote.ip());
    }
  }

  /**
   * Pairs {@code lc} with {@code remote} if they can talk: UDP with UDP, and over TCP (RFC 6544
   * section 6.2) our active candidate with a remote passive one; our passive candidate pairs only
   * with the remote end of a connection it accepted ({@code fromCheck}). A remote active candidate
   * (port 9) is never dialled, nor a simultaneous-open one.
   */
  private Pair addPair(
      long nowNanos, Session s, LocalCand lc, IceCandidate remote, boolean fromCheck) {
    if (!sameFamily(lc.address().getAddress(), remote.ip())) {
      return null;
    }
    IceCandidate.TcpType ours = lc.candidate.tcpType();
    IceCandidate.TcpType theirs = remote.tcpType();
    if (ours != null || theirs != null) {
      boolean dial =
          ours == IceCandidate.TcpType.ACTIVE
              && theirs == IceCandidate.TcpType.PASSIVE
              && remote.address().getPort() != IceCandidate.DISCARD_PORT
              && remote.address().getPort() != 0;
      boolean accepted = fromCheck && ours == IceCandidate.TcpType.PASSIVE && theirs != null;
      if (!dial && !accepted) {
        return null;
      }
    }
    if (findPair(s, lc, remote.address()) != null || s.pairs.size() >= MAX_PAIRS) {
      return null;
    }
    Pair p = new Pair(lc, remote, s);
    p.computePriority(controlling);
    String f = p.foundation();
    boolean sameFoundationActive = false;
    boolean sameFoundationSucceeded = false;
    for (Pair q : s.pairs) {
      if (q.foundation().equals(f)) {
        sameFoundationActive |= q.state != Pair.State.FAILED;
        sameFoundationSucceeded |= q.state == Pair.State.SUCCEEDED;
      }
    }
    // RFC 8445 section 6.1.2.6: one pair per foundation waits, the others are frozen.
    p.state =
        sameFoundationActive && !sameFoundationSucceeded ? Pair.State.FROZEN : Pair.State.WAITING;
    s.pairs.add(p);
    return p;
  }

  private IceCandidate findRemote(Session s, InetSocketAddress address, boolean tcp) {
    for (int i = 0; i < s.remoteCandidates.size(); i++) {
      IceCandidate c = s.remoteCandidates.get(i);
      if (c.isTcp() == tcp && c.address().equals(address)) {
        return c;
      }
    }
    return null;
  }

  private static Pair findPair(Session s, LocalCand lc, InetSocketAddress remote) {
    for (int i = 0; i < s.pairs.size(); i++) {
      Pair p = s.pairs.get(i);
      if (p.matches(lc, remote)) {
        return p;
      }
    }
    return null;
  }

  /** The pair application data from {@code from} on {@code lc} belongs to. Allocation-free. */
  private Pair pairFor(LocalCand lc, InetSocketAddress from) {
    Pair p = selected;
    if (p != null && p.matches(lc, from)) {
      return p;
    }
    p = findPair(session, lc, from);
    if (p == null && previous != null) {
      p = findPair(previous, lc, from);
    }
    return p;
  }

  private boolean isLocalAddress(InetSocketAddress socket, InetSocketAddress address) {
    for (LocalCand lc : locals) {
      if (lc.socket.equals(socket) && lc.address().equals(address)) {
        return true;
      }
    }
    return false;
  }

  /** The UDP host candidate on {@code socket}. */
  private LocalCand hostFor(InetSocketAddress socket) {
    for (int i = 0; i < locals.size(); i++) {
      LocalCand lc = locals.get(i);
      if (lc.candidate.type() == CandidateType.HOST
          && !lc.candidate.isTcp()
          && lc.socket.equals(socket)) {
        return lc;
      }
    }
    return null;
  }

  /** The TCP candidate on {@code socket} (a listener, or an active candidate's port-9 address). */
  private LocalCand tcpFor(InetSocketAddress socket) {
    for (int i = 0; i < locals.size(); i++) {
      LocalCand lc = locals.get(i);
      if (lc.candidate.isTcp() && lc.socket.equals(socket)) {
        return lc;
      }
    }
    return null;
  }

  private TurnClient turnFor(InetSocketAddress local, InetSocketAddress from, boolean stream) {
    for (int i = 0; i < turns.size(); i++) {
      TurnClient tc = turns.get(i);
      if (tc.isServer(local, from, stream)) {
        return tc;
      }
    }
    return null;
  }

  private List<Session> sessions() {
    return previous == null ? List.of(session) : List.of(session, previous);
  }

  /** RFC 8445 section 5.1.1.3: same type, base IP, server and transport, same foundation. */
  private String foundation(CandidateType type, InetAddress base, InetAddress server, boolean tcp) {
    String key =
        type
            + "|"
            + base.getHostAddress()
            + "|"
            + (server == null ? "" : server)
            + (tcp ? "|tcp" : "");
    return foundations.computeIfAbsent(key, k -> Integer.toString(foundations.size() + 1));
  }

  private static boolean sameFamily(InetAddress a, InetAddress b) {
    return a != null && b != null && (a instanceof Inet4Address) == (b instanceof Inet4Address);
  }

  /**
   * The answer to an {@link IceEvent.MdnsQuery}: {@code hostname}'s address, or null if it could
   * not be resolved (those candidates are dropped and counted in {@link
   * IceStats#unresolvedMdns()}). Answers for names nobody asked about are ignored.
   */
  public void resolveMdns(long nowNanos, String hostname, InetAddress address) {
    checkOpen();
    lastNowNanos = nowNanos;
    String key = hostname.toLowerCase(java.util.Locale.ROOT);
    for (Iterator<PendingMdns> it = pendingMdns.iterator(); it.hasNext(); ) {
      PendingMdns m = it.next();
      if (!m.hostname().equals(key)) {
        continue;
      }
      it.remove();
      if (address == null || (m.session != session && m.session != previous)) {
        unresolvedMdns++;
        continue;
      }
      InetAddress ip = address;
      IceCandidate c = m.candidate;
      addResolvedRemote(
          nowNanos,
          m.session,
          new IceCandidate(
              c.foundation(),
              c.priority(),
              new InetSocketAddress(ip, c.address().getPort()),
              c.type(),
              c.relatedAddress(),
              c.tcpType()));
    }
  }

  // ---------------------------------------------------------------------------------------
  // Checks, nomination, consent

  private void runPacer(long nowNanos) {
    Session s = session;
    if (s.remote == null || nowNanos < s.nextCheckNanos || config.iceLite()) {
      return;
    }
    Pair p = s.triggered.poll();
    boolean nominate = false;
    if (p != null) {
      nominate = p.nominateQueued;
      p.nominateQueued = false;
    } else if (!s.completed) {
      p = best(s, Pair.State.WAITING);
      if (p == null) {
        p = best(s, Pair.State.FROZEN);
      }
    }
    if (p == null) {
      return;
    }
    nominate |= controlling && config.aggressiveNomination();
    sendCheck(nowNanos, p, nominate, Txn.Kind.CHECK);
    s.nextCheckNanos = nowNanos + config.taNanos();
  }

  private static Pair best(Session s, Pair.State state) {
    Pair best = null;
    for (Pair p : s.pairs) {
      if (p.state == state
          && (best == null || Long.compareUnsigned(p.priority, best.priority) > 0)) {
        best = p;
      }
    }
    return best;
  }

  /** Regular nomination by the controlling agent (RFC 8445 section 8.1.1). */
  private void maybeNominate(long nowNanos) {
    Session s = session;
    if (nowNanos < nominationDueNanos(s)) {
      return;
    }
    Pair best = bestSucceeded(s);
    s.nominating = true;
    s.nominatingPair = best;
    best.nominateQueued = true;
    s.triggered.remove(best);
    s.triggered.addFirst(best);
  }

  /**
   * When the controlling agent should nominate: at once if no better pair is still pending, else
   * {@link IceConfig#nominationDelayNanos()} after the first valid pair; never if there is nothing
   * to nominate or a nomination is done or under way.
   */
  private long nominationDueNanos(Session s) {
    if (!controlling || s.nominating || config.aggressiveNomination() || s.remote == null) {
      return Long.MAX_VALUE;
    }
    for (Pair p : s.pairs) {
      if (p.nominated) {
        return Long.MAX_VALUE;
      }
    }
    Pair best = bestSucceeded(s);
    if (best == null) {
      return Long.MAX_VALUE;
    }
    for (Pair p : s.pairs) {
      if (Long.compareUnsigned(p.priority, best.priority) > 0
          && (p.state == Pair.State.WAITING
              || p.state == Pair.State.FROZEN
              || p.state == Pair.State.IN_PROGRESS)) {
        return s.firstValidNanos + config.nominationDelayNanos();
      }
    }
    return Long.MIN_VALUE;
  }

  private static Pair bestSucceeded(Session s) {
    return best(s, Pair.State.SUCCEEDED);
  }

  private void sendCheck(long nowNanos, Pair p, boolean nominate, Txn.Kind kind) {
    Session s = p.session;
    TransactionId id = newTransactionId();
    boolean tcp = p.local.candidate.isTcp();
    long priority =
        IceCandidate.priority(
            tcp ? TCP_PRFLX_TYPE_PREFERENCE : CandidateType.PEER_REFLEXIVE.typePreference(),
            p.local.localPreference,
            1);
    StunMessage.Builder b =
        StunMessage.builder(StunClass.REQUEST, StunMethod.BINDING, id)
            .username(s.remote.ufrag() + ":" + s.local.ufrag())
            .priority(priority);
    if (controlling) {
      b.iceControlling(tieBreaker);
      if (nominate) {
        b.useCandidate();
      }
    } else {
      b.iceControlled(tieBreaker);
    }
    byte[] bytes = b.messageIntegrity(s.remoteKey).fingerprint().encode();
    Txn t = new Txn(id, kind, bytes, p.remote.address());
    t.route = p.local;
    t.pair = p;
    t.nominate = nominate && controlling;
    t.sentControlling = controlling;
    t.prioritySent = priority;
    if (kind == Txn.Kind.CONSENT) {
      // Retransmitted like a check (RFC 7675 section 5.1 asks for STUN's retransmissions), until
      // the next consent check takes over. Sent once only, six checks in a row lost at 20% loss
      // each way (36% per round trip) came every few hours, and two in a row, DISCONNECTED,
      // every few minutes.
      t.maxTransmissions = tcp ? 1 : config.maxCheckTransmissions();
      t.deadlineNanos = nowNanos + (long) (0.8 * config.consentIntervalNanos());
      t.rtoNanos = tcp ? t.deadlineNanos - nowNanos : config.checkRtoMinNanos();
    } else {
      int active = 0;
      for (Pair q : s.pairs) {
        if (q.state == Pair.State.WAITING || q.state == Pair.State.IN_PROGRESS) {
          active++;
        }
      }
      // RFC 8445 section 14.3.
      t.rtoNanos = Math.max(config.checkRtoMinNanos(), config.taNanos() * active);
      t.maxTransmissions = config.maxCheckTransmissions();
      if (tcp) {
        // RFC 6544 section 7.1: no retransmission over a reliable connection; the check fails
        // when a UDP one would have given up
        t.rtoNanos = reliableCheckTimeoutNanos(t.rtoNanos);
        t.maxTransmissions = 1;
      }
      if (p.inFlight != null) {
        transactions.remove(p.inFlight.id);
      }
      p.inFlight = t;
      p.state = Pair.State.IN_PROGRESS;
    }
    transactions.put(id, t);
    transmitTxn(nowNanos, t);
    p.streamOpen |= tcp;
    markChecking();
  }

  /** How long a check retransmitted from {@code firstRto} would run before it fails. */
  private long reliableCheckTimeoutNanos(long firstRto) {
    long total = 0;
    long rto = firstRto;
    for (int i = 0; i < config.maxCheckTransmissions(); i++) {
      total += rto;
      rto = Math.min(rto * 2, Math.max(config.checkRtoMaxNanos(), rto));
    }
    return total;
  }

  private void transmitTxn(long nowNanos, Txn t) {
    if (t.transmissions++ == 0) {
      t.firstSentNanos = nowNanos;
    }
    t.lastSentNanos = nowNanos;
    if (t.kind == Txn.Kind.CHECK || t.kind == Txn.Kind.CONSENT) {
      checksSent++;
      if (t.transmissions > 1) {
        checksRetransmitted++; // its first RTO passed unanswered
      }
      sendVia(t.route, t.destination, t.bytes);
    } else {
      boolean tcp = t.turn != null && t.turn.server.overTcp();
      transmits.add(
          new Transmit(t.socket, t.destination, t.bytes, tcp ? StreamFramer.Framing.TURN : null));
    }
    t.nextSendNanos = nowNanos + t.rtoNanos;
  }

  void startServerTransaction(long nowNanos, Txn t, boolean gathering) {
    t.rtoNanos = config.checkRtoMinNanos();
    t.maxTransmissions = config.maxCheckTransmissions();
    if (t.turn != null && t.turn.server.overTcp()) {
      // RFC 8489 section 6.2.2: over a reliable transport, no retransmission; the transaction
      // fails after Ti (39.5 s) unless the gathering deadline comes first
      t.rtoNanos = RELIABLE_TRANSACTION_TIMEOUT_NANOS;
      t.maxTransmissions = 1;
    }
    if (gathering) {
      t.deadlineNanos = nowNanos + config.gatherTimeoutNanos();
    }
    transactions.put(t.id, t);
    transmitTxn(nowNanos, t);
  }

  private void runTransactions(long nowNanos) {
    if (transactions.isEmpty()) {
      return;
    }
    for (Txn t : List.copyOf(transactions.values())) {
      if (transactions.get(t.id) != t) {
        continue; // ended by an earlier timeout in this loop
      }
      if (nowNanos >= t.deadlineNanos
          || (nowNanos >= t.nextSendNanos && t.transmissions >= t.maxTransmissions)) {
        transactions.remove(t.id);
        onTransactionTimeout(nowNanos, t);
      } else if (nowNanos >= t.nextSendNanos) {
        // Doubling RTO (RFC 8489 section 6.2.1), capped.
        t.rtoNanos = Math.min(t.rtoNanos * 2, Math.max(config.checkRtoMaxNanos(), t.rtoNanos));
        transmitTxn(nowNanos, t);
      }
    }
  }

  private void onTransactionTimeout(long nowNanos, Txn t) {
    switch (t.kind) {
      case CHECK -> {
        if (t.pair.inFlight == t) {
          t.pair.inFlight = null;
          failPair(t.pair);
        }
      }
      case CONSENT -> {
        // Consent is judged by the time since the last response, in runConsent.
      }
      case GATHER -> onServerDone(nowNanos);
      case TURN -> t.turn.timedOut(nowNanos, t);
    }
  }

  private void failPair(Pair p) {
    closeStream(p);
    if (p.state != Pair.State.FAILED) {
      p.state = Pair.State.FAILED;
      pairsFailed++;
      if (p.session.nominatingPair == p && !p.nominated) {
        p.nominateQueued = false;
        p.session.nominating = false; // nominate the next best pair instead
        p.session.nominatingPair = null;
      }
    }
  }

  private void runConsent(long nowNanos) {
    Pair p = selected;
    if (p == null || consentLost) {
      return;
    }
    if (nowNanos - p.lastConsentNanos >= config.consentTimeoutNanos()) {
      // RFC 7675 section 5.1: consent expired; stop sending on this pair.
      consentLost = true;
      log.log(System.Logger.Level.DEBUG, "ICE consent lost on {0}", p);
      selected = null;
      selectedSnapshot = null;
      events.add(new IceEvent.SelectedPairChanged(null));
      return;
    }
    if (config.iceLite()) {
      return; // the full agent asks; its checks are our consent (onLiteCheck)
    }
    if (nowNanos >= p.nextConsentNanos && p.session.remote != null) {
      // The controlling agent's consent checks repeat the nomination: if its NAT gives it a new
      // address, the controlled agent meets it as a peer-reflexive candidate that is nominated
      // at once, and follows it (RFC 8445 section 7.3.1.5 makes the repeat a no-op otherwise).
      if (p.consentAskedNanos <= p.lastConsentNanos) {
        p.consentAskedNanos = nowNanos; // the first request since the last answer
      }
      sendCheck(nowNanos, p, controlling && p.nominated, Txn.Kind.CONSENT);
      p.nextConsentNanos = nowNanos + consentInterval();
    }
  }

  private long consentInterval() {
    // +/-20% jitter (RFC 7675 section 5.1) so that many flows do not synchronise.
    double factor = 0.8 + 0.4 * jitter.nextDouble();
    return (long) (config.consentIntervalNanos() * factor);
  }

  private void updateSelection(long nowNanos) {
    Session s = session;
    Pair best = null;
    for (Pair p : s.pairs) {
      if (p.state == Pair.State.SUCCEEDED && p.nominated && better(nowNanos, p, best)) {
        best = p;
      }
    }
    if (best == null) {
      if (selected != null && (selected.session != s || selected.nominated)) {
        // After an ICE restart the old session's pair carries data until a pair of the new one
        // is nominated: the remote keeps its selected connection until then, and data moved to
        // a pair it has not selected starves that connection (libwebrtc went DISCONNECTED).
        best = selected;
      } else {
        for (Pair p : s.pairs) {
          if (p.state == Pair.State.SUCCEEDED
              && (best == null || Long.compareUnsigned(p.priority, best.priority) > 0)) {
            best = p;
          }
        }
      }
    }
    if (best == null || consentLost) {
      return;
    }
    if (best != selected) {
      if (selected != null && selected.session != best.session) {
        pruneStreams(selected.session, null);
      }
      selected = best;
      previous = null; // the new session carries data now
      if (best.nextConsentNanos == Long.MAX_VALUE) {
        best.nextConsentNanos = nowNanos + consentInterval();
      }
      if (nowNanos - best.lastConsentNanos >= config.disconnectedTimeoutNanos()) {
        best.nextConsentNanos = nowNanos; // its last response is old: ask for consent now
      }
      if (best.local.relay != null) {
        best.local.relay.ensureChannel(nowNanos, best.remote.address());
      }
    }
    if (best.nominated && best.session == session) {
      session.completed = true; // Waiting and Frozen pairs are not checked any more
      pruneStreams(session, best);
    }
    CandidatePair snap = best.snapshot();
    if (snap != selectedSnapshot) {
      selectedSnapshot = snap;
      events.add(new IceEvent.SelectedPairChanged(snap));
    }
  }

  /**
   * Whether nominated pair {@code p} should carry data rather than {@code best}: one whose consent
   * is fresh beats one gone quiet (a NAT rebinding leaves the old pair silent and nominates a
   * peer-reflexive one); then, for the controlled agent, the pair the controlling agent nominated
   * last (it repeats USE-CANDIDATE on its selected pair); then the higher priority.
   */
  private boolean better(long nowNanos, Pair p, Pair best) {
    if (best == null) {
      return true;
    }
    boolean fresh = !abandoned(nowNanos, p);
    if (fresh != !abandoned(nowNanos, best)) {
      return fresh;
    }
    if (!controlling && p.remoteNominatedNanos != best.remoteNominatedNanos) {
      return p.remoteNominatedNanos > best.remoteNominatedNanos; // the latest nomination
    }
    return Long.compareUnsigned(p.priority, best.priority) > 0;
  }

  /**
   * Neither a response nor a check from the remote on {@code p} for the disconnected timeout (a
   * pair never heard from counts as quiet).
   */
  private boolean quiet(long nowNanos, Pair p) {
    long heard = Math.max(p.lastConsentNanos, p.lastHeardNanos);
    return nowNanos - heard >= config.disconnectedTimeoutNanos();
  }

  /**
   * Consent requests on {@code p}, retransmitted, have gone unanswered for {@link
   * #BROKEN_AFTER_NANOS} (by then the request went out four times, so loss alone rarely explains
   * it: 1.7% of rounds at 20% loss each way), and since the first of them the remote has not
   * checked us on {@code p} either. Taken with a pair the remote checked us on meanwhile, it means
   * the path broke and the remote moved (its NAT gave it a new port): switch now rather than after
   * the disconnected timeout.
   */
  private boolean broken(long nowNanos, Pair p) {
    return p.consentAskedNanos > p.lastConsentNanos
        && p.lastHeardNanos < p.consentAskedNanos
        && nowNanos - p.consentAskedNanos >= BROKEN_AFTER_NANOS;
  }

  /**
   * Quiet, or broken with a pair of the same session that the remote checked us on after {@code
   * p}'s last sign of life.
   */
  private boolean abandoned(long nowNanos, Pair p) {
    if (quiet(nowNanos, p)) {
      return true;
    }
    if (!broken(nowNanos, p)) {
      return false;
    }
    long lastSign = Math.max(p.lastConsentNanos, p.lastHeardNanos);
    for (Pair q : p.session.pairs) {
      if (q != p && q.state == Pair.State.SUCCEEDED && q.lastHeardNanos > lastSign) {
        return true;
      }
    }
    return false;
  }

  /** RFC 8489 section 6.2.2's Ti: how long a transaction over TCP waits for its answer. */
  static final long RELIABLE_TRANSACTION_TIMEOUT_NANOS = 39_500_000_000L;

  /** How long consent may go unanswered before {@link #broken} says the path broke. */
  static final long BROKEN_AFTER_NANOS = 2_000_000_000L;

  /**
   * The selected pair went quiet while another pair of the session answers: the controlled agent
   * moves to it if the controlling one nominated it, and the controlling agent nominates it (the
   * remote's NAT gave it a new address, and its checks from there made a peer-reflexive pair).
   */
  private void followLivePair(long nowNanos) {
    Pair old = selected;
    if (old == null || old.session != session || !abandoned(nowNanos, old)) {
      return;
    }
    updateSelection(nowNanos);
    if (!controlling || selected != old) {
      return;
    }
    Session s = session;
    Pair live = null;
    for (Pair p : s.pairs) {
      if (p != old
          && p.state == Pair.State.SUCCEEDED
          && !abandoned(nowNanos, p)
          && better(nowNanos, p, live)) {
        live = p;
      }
    }
    if (live != null && !live.nominateQueued) {
      live.nominateQueued = true;
      live.state = Pair.State.WAITING;
      if (!s.triggered.contains(live)) {
        s.triggered.add(live);
      }
    }
  }

  private void switchRole(boolean newControlling) {
    controlling = newControlling;
    for (Session s : sessions()) {
      for (Pair p : s.pairs) {
        p.computePriority(controlling);
      }
    }
    events.add(new IceEvent.RoleChanged(controlling));
  }

  private void markChecking() {
    checkingStarted = true;
  }

  private void updateState(long nowNanos) {
    followLivePair(nowNanos);
    IceState next;
    if (closed) {
      next = IceState.CLOSED;
    } else if (consentLost || (liteGaveUp && selected == null)) {
      next = IceState.FAILED;
    } else if (selected != null) {
      if (nowNanos - selected.lastConsentNanos >= config.disconnectedTimeoutNanos()) {
        next = IceState.DISCONNECTED;
      } else {
        next = selected.nominated ? IceState.COMPLETED : IceState.CONNECTED;
      }
    } else if (checkingStarted) {
      next = allFailed(nowNanos, session) ? IceState.FAILED : IceState.CHECKING;
    } else {
      next = IceState.NEW;
    }
    if (next != state) {
      state = next;
      events.add(new IceEvent.StateChanged(next));
    }
  }

  private boolean allFailed(long nowNanos, Session s) {
    if (s.pairs.isEmpty() || !gatheringComplete || !s.triggered.isEmpty()) {
      return false;
    }
    if (nowNanos < s.passiveWaitUntilNanos) {
      return false; // the remote may still connect to our passive candidate
    }
    for (Pair p : s.pairs) {
      if (p.state != Pair.State.FAILED) {
        return false;
      }
    }
    return true;
  }

  // ---------------------------------------------------------------------------------------
  // Sending

  /**
   * Sends a STUN message from a local candidate: directly (over its TCP connection to {@code
   * destination} for an ICE-TCP candidate), or through its TURN relay.
   */
  private void sendVia(LocalCand lc, InetSocketAddress destination, byte[] bytes) {
    if (lc.relay == null) {
      transmits.add(new Transmit(lc.socket, destination, bytes, framingOf(lc)));
      return;
    }
    byte[] out = new byte[bytes.length + TurnClient.maxOverhead()];
    int n = lc.relay.wrap(destination, bytes, 0, bytes.length, out, 0);
    transmits.add(
        new Transmit(lc.socket, lc.relay.server.address(), Arrays.copyOf(out, n), framingOf(lc)));
  }

  /** Asks the driver to close an ICE-TCP pair's connection, once (RFC 6544 section 7.3). */
  private void closeStream(Pair p) {
    if (!p.streamOpen) {
      return;
    }
    p.streamOpen = false;
    for (Session s : sessions()) {
      for (Pair q : s.pairs) {
        if (q != p && q.streamOpen && q.matches(p.local, p.remote.address())) {
          return; // after an ICE restart, a pair of the new session uses the same connection
        }
      }
    }
    transmits.add(Transmit.close(p.local.socket, p.remote.address()));
  }

  /**
   * Once a pair is nominated and selected, the controlling agent prunes the session's other ICE-TCP
   * pairs and closes their connections; and when a pair of a new session (after an ICE restart)
   * takes over, those of the old one.
   */
  private void pruneStreams(Session s, Pair keep) {
    if (!controlling) {
      // Every connection has the controlling agent at one end, and it alone knows which pair it
      // nominated: it closes them, and this side hears of it (streamClosed). Were the controlled
      // side to prune by its own selection, a moment when the two selections differ (one picked
      // its best pair before the nomination arrived) would close the call's connection.
      return;
    }
    for (Pair p : s.pairs) {
      if (p == keep || !p.local.candidate.isTcp()) {
        continue;
      }
      closeStream(p);
      if (s == session && p.state != Pair.State.FAILED) {
        // Pruned, not failed (not counted). A check in flight stays known until it times out: its
        // answer may already be on the way, read before the connection closes.
        p.state = Pair.State.FAILED;
        p.pruned = true;
        s.triggered.remove(p);
      }
    }
  }

  TransactionId newTransactionId() {
    return TransactionId.random(random);
  }

  void fillTransactionId(byte[] out, int off) {
    long a = random.nextLong();
    int b = random.nextInt();
    for (int i = 0; i < 8; i++) {
      out[off + i] = (byte) (a >>> (56 - 8 * i));
    }
    for (int i = 0; i < 4; i++) {
      out[off + 8 + i] = (byte) (b >>> (24 - 8 * i));
    }
  }

  /** A TURN server gave no relay: reported as an event, a WARNING and a counter. */
  void onTurnFailed(InetSocketAddress server, int code, String reason) {
    turnFailures++;
    log.log(System.Logger.Level.WARNING, "no relay from TURN server {0}: {1}", server, reason);
    events.add(new IceEvent.TurnFailed(server, code, reason));
  }

  void countMalformed() {
    malformed++;
  }

  void countBadIntegrity() {
    badIntegrity++;
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("the ICE agent is closed; create a new one");
    }
  }
}
