package io.github.jpeer.sctp;

import io.github.jpeer.sctp.DataChannels.Channel;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * One SCTP association over DTLS (RFC 8261, RFC 9260) with the WebRTC data channel layer on top
 * (RFC 8831, DCEP RFC 8832), as a sans-IO state machine: it consumes and produces whole SCTP
 * packets (the payloads of DTLS records) and never sees addresses, sockets or clocks.
 *
 * <p>Drive it like every jpeer core: feed {@link #handleReceive} with each SCTP packet DTLS
 * decrypted, call {@link #handleTimeout} when {@link #pollTimeoutNanos} is reached, and after every
 * call drain {@link #pollTransmit} (hand each packet to DTLS) and {@link #pollEvent}. Packets are
 * built lazily in {@code pollTransmit} using the latest {@code nowNanos} seen by any call.
 *
 * <p>Both sides may {@link #connect}: the INIT collision of RFC 9260 sections 5.2.1 and 5.2.4 is
 * handled (this is what browsers do). A side that never calls {@code connect} answers the remote's
 * INIT. Association restart (section 5.2.4 case A) is not supported: over DTLS a restarted peer
 * means a new DTLS session and so a new association; a cookie that would restart is dropped.
 *
 * <p>Partial reliability (RFC 3758) is used when the peer supports FORWARD-TSN; closing a channel
 * uses stream reset (RFC 6525) when the peer supports RE-CONFIG. Zero checksum (RFC 9653, method 1
 * "SCTP over DTLS") is offered only if {@link SctpConfig#zeroChecksum()}; otherwise a packet with a
 * zero checksum is dropped like any wrong checksum.
 *
 * <p>Loss recovery follows RFC 9260 where it can and TCP's later experience where the RFC's rules
 * stall a data channel on a lossy path (issue #13): loss is detected RACK-style by transmission
 * order (RFC 8985), so a lost retransmission is repaired without a timeout; a tail-loss probe
 * restarts a dead ack clock after two smoothed RTTs instead of RTO.Min; duplicate TSN reports of
 * our retransmissions reveal reordering, after which loss is judged by a learnt reordering window
 * and a spurious window reduction is undone; the T3 backoff ends when the cumulative ack moves.
 * Each deviation is documented at its method.
 *
 * <p>Bad input from the network is counted in {@link #stats()} and dropped; nothing here throws for
 * it. API misuse throws {@link IllegalStateException} or {@link IllegalArgumentException}.
 *
 * <p>Not thread-safe: one thread (the connection's loop) owns it.
 */
public final class SctpAssociation {
  /** The association states of RFC 9260 section 4. */
  public enum State {
    /** No association (before connect, or after it ended). */
    CLOSED,
    /** INIT sent. */
    COOKIE_WAIT,
    /** COOKIE ECHO sent. */
    COOKIE_ECHOED,
    /** Up. */
    ESTABLISHED,
    /** Local shutdown requested, waiting for outstanding data. */
    SHUTDOWN_PENDING,
    /** SHUTDOWN sent. */
    SHUTDOWN_SENT,
    /** SHUTDOWN received, finishing our outstanding data. */
    SHUTDOWN_RECEIVED,
    /** SHUTDOWN ACK sent. */
    SHUTDOWN_ACK_SENT
  }

  /** PPID of DCEP (RFC 8832 section 8.1). */
  public static final int PPID_DCEP = 50;

  /** PPID of a UTF-8 string message. */
  public static final int PPID_STRING = 51;

  /** Deprecated PPID of a partial string; rejected. */
  public static final int PPID_STRING_PARTIAL = 52;

  /** PPID of a binary message. */
  public static final int PPID_BINARY = 53;

  /** Deprecated PPID of a partial binary message; rejected. */
  public static final int PPID_BINARY_PARTIAL = 54;

  /** PPID of an empty string (one zero byte on the wire). */
  public static final int PPID_STRING_EMPTY = 56;

  /** PPID of an empty binary message (one zero byte on the wire). */
  public static final int PPID_BINARY_EMPTY = 57;

  private final System.Logger log;
  private static final long NONE = Long.MAX_VALUE;
  private static final long MILLIS = 1_000_000L;
  private static final int DATA_CHUNK_OVERHEAD = 16;
  private static final int MAX_PROBES = 2;
  private static final int MAX_REO_WND_MULT = 16;

  private final SctpConfig config;
  private final boolean dtlsClient;
  private final RandomGenerator random;
  private final byte[] cookieSecret = new byte[32];
  private final int localTag;
  private final int localInitialTsn;
  private int remoteMaxMessageSize;

  private State state = State.CLOSED;
  private boolean ended;
  private long nowNanos;
  private int peerTag;

  // handshake (T1-init)
  private InitChunk ourInit;
  private byte[] cookieToEcho;
  private long t1Deadline = NONE;
  private long t1RtoNanos;
  private int initRetransmits;
  // when the first COOKIE ECHO was queued: its COOKIE ACK gives the first RTT sample
  private long cookieEchoSentNanos;

  // what the peer offered
  private boolean peerForwardTsn;
  private boolean peerReconfig;
  private boolean peerZeroChecksum;
  private int outboundStreams;
  private int inboundStreams;

  // sending (TSNs unwrapped to long so comparisons never wrap)
  private long nextTsn;
  private long cumAckTsn;
  private long advancedPeerAckPoint;
  private final ChunkRing outstanding = new ChunkRing();
  private final ArrayDeque<OutChunk> unsent = new ArrayDeque<>();
  private int retransmitMarked;
  private long flightBytes;
  private long cwnd;
  private long ssthresh;
  private long partialBytesAcked;
  private long peerRwnd;
  private boolean fastRecovery;
  private long fastRecoveryExit;
  private boolean fastRetransmitPending;
  private boolean forwardTsnNeeded;
  private long lastForwardTsnSent;
  private final RetransmissionTimeout rto;
  private OutChunk rttProbe;
  private long t3Deadline = NONE;
  // consecutive T3 expirations without progress: T3 waits rto << t3Backoff (capped at RTO.Max)
  private int t3Backoff;
  // counts every DATA transmission, so loss detection can tell what was sent after what
  private long transmitSeq;
  // RACK: the latest transmission the peer has acknowledged (-1: none yet)
  private long rackSeq = -1;
  private long reorderDeadline = NONE;
  // tail-loss probe
  private long probeDeadline = NONE;
  private int probesSent;
  private boolean probeNewData;
  // reordering (RFC 8985 6.2): TSNs loss detection retransmitted lately, to recognise the peer's
  // duplicate reports of them; -1 is no TSN
  private final long[] recentLossRetransmits = filled(new long[64], -1);
  private int recentLossRetransmitsNext;
  private boolean reorderingSeen;
  private int reoWndMult = 1;
  private long reoWndRaisedNanos;
  private int recoveriesSinceSpurious;
  // the window before the last reduction, and the chunk whose loss caused it (to undo it)
  private long undoCwnd;
  private long undoSsthresh;
  private long recoveryTriggerTsn = -1;
  private int errorCount;

  // receiving
  private final ReassemblyQueue reassembly;
  private boolean sackNeeded;
  private long sackDeadline = NONE;
  private int packetsSinceSack;

  // heartbeat, shutdown (T2)
  private long heartbeatDeadline = NONE;
  private boolean heartbeatOutstanding;
  private long t2Deadline = NONE;

  // stream reset (RFC 6525)
  private int reconfigRequestSeq;
  private OutgoingSsnResetRequest pendingRequest;
  private long reconfigDeadline = NONE;
  private final List<Integer> streamsToReset = new ArrayList<>();
  private int peerRequestSeqExpected;
  private Parameter lastResponse;
  private OutgoingSsnResetRequest deferredPeerRequest;

  // channels and outputs
  private final ArrayDeque<SctpEvent> events = new ArrayDeque<>();
  private final DataChannels channels;
  private final ArrayDeque<Chunk> control = new ArrayDeque<>();
  private final ArrayDeque<byte[]> rawOut = new ArrayDeque<>();
  // MTU-sized; grows only for a control chunk larger than the MTU (e.g. echoing a big heartbeat).
  private byte[] packetBuffer;

  // counters
  private long packetsReceived;
  private long packetsSent;
  private long bytesReceived;
  private long bytesSent;
  private long badChecksum;
  private long malformed;
  private long badVerificationTag;
  private long badPorts;
  private long unexpectedChunks;
  private long unknownChunks;
  private long dataChunksSent;
  private long retransmissions;
  private long fastRetransmits;
  private long t3Expirations;
  private long tailLossProbes;
  private long spuriousRetransmits;
  private long abandonedMessages;
  private long messagesSent;
  private long heartbeatsSent;
  private long heartbeatAcksReceived;

  /**
   * A new association in state CLOSED.
   *
   * @param config ports, timers, sizes
   * @param dtlsClient true if we are the DTLS client: our data channels then get even stream ids,
   *     odd ones otherwise (RFC 8832 section 6)
   * @param random source of the verification tag, initial TSN and cookie secret; pass a {@code
   *     SecureRandom} in production, a seeded generator in tests
   */
  public SctpAssociation(SctpConfig config, boolean dtlsClient, RandomGenerator random) {
    this.config = config;
    this.log = config.logger();
    this.dtlsClient = dtlsClient;
    this.random = random;
    this.remoteMaxMessageSize = config.remoteMaxMessageSize();
    this.reassembly = new ReassemblyQueue(config, this::deliver);
    this.channels = new DataChannels(config, dtlsClient, events, this::enqueueMessage);
    random.nextBytes(cookieSecret);
    int tag;
    do {
      tag = random.nextInt();
    } while (tag == 0);
    this.localTag = tag;
    this.localInitialTsn = random.nextInt();
    this.nextTsn = Integer.toUnsignedLong(localInitialTsn);
    this.cumAckTsn = nextTsn - 1;
    this.advancedPeerAckPoint = cumAckTsn;
    this.rto = new RetransmissionTimeout(config);
    this.t1RtoNanos = rto.rtoNanos();
    this.packetBuffer = new byte[config.mtu()];
    this.reconfigRequestSeq = localInitialTsn;
  }

  private static long[] filled(long[] a, long v) {
    Arrays.fill(a, v);
    return a;
  }

  // ---------------------------------------------------------------- public API

  /** The current state. */
  public State state() {
    return state;
  }

  /** True once the association ended (SHUTDOWN complete, ABORT or failure); it stays ended. */
  public boolean isEnded() {
    return ended;
  }

  /** Our verification tag (what the peer puts on packets to us). */
  public int localVerificationTag() {
    return localTag;
  }

  /** Sets the remote's SDP max-message-size (0 means no limit), e.g. after the answer arrives. */
  public void setRemoteMaxMessageSize(int bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("max-message-size must be >= 0, got " + bytes);
    }
    remoteMaxMessageSize = bytes;
  }

  /** The remote's max-message-size in force (0 = no limit). */
  public int remoteMaxMessageSize() {
    return remoteMaxMessageSize;
  }

  /**
   * Starts the handshake by sending INIT. Both sides of a WebRTC connection usually call this; the
   * collision is handled. Call once, in state CLOSED.
   */
  public void connect(long nowNanos) {
    this.nowNanos = nowNanos;
    if (ended || state != State.CLOSED) {
      throw new IllegalStateException("connect() only once, on a new association; state " + state);
    }
    List<Parameter> params = new ArrayList<>();
    addOurFeatures(params);
    ourInit =
        new InitChunk(
            false,
            localTag,
            config.receiveWindowBytes(),
            config.streams(),
            config.streams(),
            localInitialTsn,
            params);
    queueRaw(0, ourInit);
    state = State.COOKIE_WAIT;
    t1Deadline = nowNanos + t1RtoNanos;
  }

  /**
   * Opens a data channel. A DCEP channel gets the lowest free stream id of our parity (even as DTLS
   * client, odd as server) and DATA_CHANNEL_OPEN is sent once the association is up; a negotiated
   * channel uses {@code config.id()}. Before the association is up the channel is queued. {@link
   * SctpEvent.ChannelOpen} tells when it is usable.
   *
   * @return the stream id
   * @throws IllegalStateException if the association ended or is shutting down, or all ids of our
   *     parity are taken
   * @throws IllegalArgumentException if a negotiated id is already in use or out of range
   */
  public int openChannel(long nowNanos, DataChannelConfig channelConfig) {
    this.nowNanos = nowNanos;
    if (ended || state.compareTo(State.ESTABLISHED) > 0) {
      throw new IllegalStateException(
          "cannot open a channel: the association is "
              + state
              + (ended ? " (ended)" : "")
              + "; create a new connection");
    }
    Channel ch = channels.open(channelConfig, outboundStreams);
    if (state == State.ESTABLISHED) {
      channels.announce(ch);
    }
    return ch.id;
  }

  /**
   * Sends one message on an open channel. An empty message goes as one zero byte with PPID 56/57
   * and is delivered empty.
   *
   * @throws IllegalArgumentException if the message is larger than the remote's max-message-size
   * @throws IllegalStateException if the channel is not open (wait for ChannelOpen) or closing
   */
  public void send(long nowNanos, int streamId, byte[] message, boolean binary) {
    send(nowNanos, streamId, message, 0, message.length, binary);
  }

  /** Sends {@code message[off, off+len)}; see {@link #send(long, int, byte[], boolean)}. */
  public void send(long nowNanos, int streamId, byte[] message, int off, int len, boolean binary) {
    if (off < 0 || len < 0 || off > message.length - len) {
      throw new IllegalArgumentException("range [" + off + ", +" + len + ") outside the message");
    }
    this.nowNanos = nowNanos;
    Channel ch = channels.get(streamId);
    if (ch == null || !ch.announced) {
      throw new IllegalStateException(
          "channel " + streamId + " is not open; wait for SctpEvent.ChannelOpen");
    }
    if (ch.closing || state != State.ESTABLISHED) {
      throw new IllegalStateException(
          "channel " + streamId + " is closing or the association is " + state);
    }
    if (remoteMaxMessageSize > 0 && len > remoteMaxMessageSize) {
      throw new IllegalArgumentException(
          "message of "
              + len
              + " bytes exceeds the remote's max-message-size of "
              + remoteMaxMessageSize
              + " bytes; split it or send less");
    }
    channels.send(ch, message, off, len, binary);
    messagesSent++;
  }

  /** Sends the remaining bytes of {@code message} without moving its position. */
  public void send(long nowNanos, int streamId, ByteBuffer message, boolean binary) {
    byte[] copy = new byte[message.remaining()];
    message.get(message.position(), copy);
    send(nowNanos, streamId, copy, 0, copy.length, binary);
  }

  /**
   * Closes a channel: resets our outgoing stream (RFC 8831 section 6.7); the remote resets its own
   * in turn and {@link SctpEvent.ChannelClosed} follows. Data already queued is delivered first.
   * Calling it again, or for an unknown id, does nothing.
   */
  public void closeChannel(long nowNanos, int streamId) {
    this.nowNanos = nowNanos;
    markClosing(streamId);
    trySendReconfig();
  }

  /**
   * Closes every open channel at once, as before a graceful {@link #shutdown}: one RE-CONFIG
   * request resets all our outgoing streams (RFC 6525 section 4.1 lists several per request), so
   * that the remote sees each channel close before the association ends.
   */
  public void closeAllChannels(long nowNanos) {
    this.nowNanos = nowNanos;
    for (int streamId : channels.ids()) {
      markClosing(streamId);
    }
    trySendReconfig();
  }

  private void markClosing(int streamId) {
    // nothing to reset on the wire (not up yet, or a peer without RE-CONFIG): close locally
    if (channels.startClosing(streamId, state == State.ESTABLISHED && peerReconfig)) {
      streamsToReset.add(streamId);
    }
  }

  /** True if queued data has not been sent even once (the congestion window held it back). */
  public boolean hasUnsentData() {
    return !unsent.isEmpty();
  }

  /** Bytes queued on a channel and not yet sent the first time (W3C bufferedAmount). */
  public long bufferedAmount(int streamId) {
    return channels.bufferedAmount(streamId);
  }

  /** Sets the threshold at or below which {@link SctpEvent.BufferedAmountLow} fires. */
  public void setBufferedAmountLowThreshold(int streamId, long bytes) {
    channels.setBufferedAmountLowThreshold(streamId, bytes);
  }

  /** The channel on {@code streamId} if it is open (or opening). */
  public Optional<ChannelInfo> channel(int streamId) {
    Channel ch = channels.get(streamId);
    return ch == null ? Optional.empty() : Optional.of(ch.info());
  }

  /**
   * Starts the graceful close (SHUTDOWN): queued data is sent and acknowledged first, then {@link
   * SctpEvent.Closed} follows. Before the association is up it simply ends.
   */
  public void shutdown(long nowNanos) {
    this.nowNanos = nowNanos;
    if (ended) {
      return;
    }
    switch (state) {
      case CLOSED, COOKIE_WAIT, COOKIE_ECHOED ->
          terminate(new SctpEvent.Closed("closed before up"));
      case ESTABLISHED -> {
        state = State.SHUTDOWN_PENDING;
        checkShutdownProgress();
      }
      default -> {
        // already shutting down
      }
    }
  }

  /**
   * Sends SHUTDOWN at once, for a connection that is closing and will not stay to retransmit:
   * unlike {@link #shutdown}, it does not wait until data in flight is acknowledged, a deliberate
   * deviation from RFC 9260 section 9.2 (whose SHUTDOWN-PENDING state assumes the endpoint stays
   * around). Data sent and not yet acknowledged is delivered if it arrives; the remote answers
   * SHUTDOWN ACK and ends the association without an error. Before the association is up it simply
   * ends.
   */
  public void shutdownNow(long nowNanos) {
    this.nowNanos = nowNanos;
    if (ended) {
      return;
    }
    switch (state) {
      case CLOSED, COOKIE_WAIT, COOKIE_ECHOED ->
          terminate(new SctpEvent.Closed("closed before up"));
      case ESTABLISHED, SHUTDOWN_PENDING -> {
        control.add(new ShutdownChunk((int) reassembly.cumulativeTsn()));
        state = State.SHUTDOWN_SENT;
        heartbeatDeadline = NONE;
        t2Deadline = nowNanos + rto.rtoNanos();
      }
      default -> {
        // already shutting down
      }
    }
  }

  /** Ends the association at once with ABORT (user-initiated, RFC 9260 section 9.1). */
  public void abort(long nowNanos, String reason) {
    this.nowNanos = nowNanos;
    if (ended) {
      return;
    }
    if (state.compareTo(State.COOKIE_ECHOED) >= 0) {
      byte[] r = reason.getBytes(StandardCharsets.UTF_8);
      r = Arrays.copyOf(r, Math.min(r.length, 256));
      queueRaw(
          peerTag,
          new AbortChunk(false, List.of(new Parameter(ErrorChunk.USER_INITIATED_ABORT, r))));
    }
    terminate(new SctpEvent.Aborted(reason, false));
  }

  /** The next event, or null. */
  public SctpEvent pollEvent() {
    return events.poll();
  }

  /** When to call {@link #handleTimeout} next, or {@link Long#MAX_VALUE} if nothing is armed. */
  public long pollTimeoutNanos() {
    long t = Math.min(t1Deadline, t3Deadline);
    t = Math.min(t, sackDeadline);
    t = Math.min(t, reorderDeadline);
    t = Math.min(t, probeDeadline);
    t = Math.min(t, heartbeatDeadline);
    t = Math.min(t, t2Deadline);
    return Math.min(t, reconfigDeadline);
  }

  /** Counters and congestion state. */
  public SctpStats stats() {
    return new SctpStats(
        packetsReceived,
        packetsSent,
        bytesReceived,
        bytesSent,
        badChecksum,
        malformed + channels.malformedDcep(),
        badVerificationTag,
        badPorts,
        unexpectedChunks + reassembly.beyondGapRange() + channels.unexpectedDcep(),
        unknownChunks,
        reassembly.dataChunksReceived(),
        reassembly.duplicateDataChunks(),
        dataChunksSent,
        retransmissions,
        fastRetransmits,
        t3Expirations,
        tailLossProbes,
        spuriousRetransmits,
        abandonedMessages,
        messagesSent,
        channels.messagesReceived(),
        reassembly.droppedMessages() + channels.droppedMessages(),
        heartbeatsSent,
        heartbeatAcksReceived,
        t3TimeoutNanos() / MILLIS,
        rto.srttNanos() / MILLIS,
        cwnd,
        peerRwnd);
  }

  // ---------------------------------------------------------------- timers

  /** Runs every timer due at {@code nowNanos}. */
  public void handleTimeout(long nowNanos) {
    this.nowNanos = nowNanos;
    if (ended) {
      return;
    }
    if (t1Deadline <= nowNanos) {
      onT1Expired();
    }
    if (!ended && t3Deadline <= nowNanos) {
      onT3Expired();
    }
    if (!ended && reorderDeadline <= nowNanos) {
      detectLosses(-1);
    }
    if (!ended && probeDeadline <= nowNanos) {
      onProbeDue();
    }
    if (!ended && sackDeadline <= nowNanos) {
      sackDeadline = NONE;
      sackNeeded = true;
    }
    if (!ended && heartbeatDeadline <= nowNanos) {
      onHeartbeatDue();
    }
    if (!ended && t2Deadline <= nowNanos) {
      onT2Expired();
    }
    if (!ended && reconfigDeadline <= nowNanos) {
      reconfigDeadline = NONE;
      if (pendingRequest != null) {
        if (++errorCount > config.maxAssociationRetransmits()) {
          fail("stream reset request unanswered");
          return;
        }
        control.add(new ReconfigChunk(List.of(pendingRequest.toParameter())));
        reconfigDeadline = nowNanos + rto.rtoNanos();
      }
    }
  }

  private void onT1Expired() {
    t1Deadline = NONE;
    if (++initRetransmits > config.maxInitRetransmits()) {
      fail("handshake timed out after " + config.maxInitRetransmits() + " retransmissions");
      return;
    }
    t1RtoNanos = Math.min(t1RtoNanos * 2, config.rtoMaxMillis() * MILLIS);
    if (state == State.COOKIE_WAIT) {
      queueRaw(0, ourInit);
    } else if (state == State.COOKIE_ECHOED) {
      control.add(new CookieEchoChunk(cookieToEcho));
    } else {
      return;
    }
    t1Deadline = nowNanos + t1RtoNanos;
  }

  private void onT3Expired() {
    t3Deadline = NONE;
    if (outstanding.size() == 0) {
      return;
    }
    t3Expirations++;
    if (++errorCount > config.maxAssociationRetransmits()) {
      fail("peer unreachable: " + errorCount + " consecutive retransmission timeouts");
      return;
    }
    // RFC 9260 6.3.3 E2: back off. The base RTO stays as measured; the backoff ends as soon as
    // the peer acknowledges new data (see processAck), not only at the next RTT sample
    if (t3Backoff < 30) {
      t3Backoff++;
    }
    // RFC 9260 7.2.3: after a T3 timeout restart from one MTU
    ssthresh = Math.max(cwnd / 2, 4L * config.mtu());
    cwnd = config.mtu();
    partialBytesAcked = 0;
    fastRecovery = false;
    rttProbe = null;
    reorderDeadline = NONE;
    probeDeadline = NONE;
    probesSent = 0;
    for (int i = 0; i < outstanding.size(); i++) {
      OutChunk c = outstanding.get(i);
      if (c.acked || c.abandoned) {
        continue;
      }
      if (c.inFlight) {
        c.inFlight = false;
        flightBytes -= c.len;
      }
      if (!c.retransmit) {
        c.retransmit = true;
        retransmitMarked++;
      }
      maybeAbandon(c);
    }
    lastForwardTsnSent = cumAckTsn;
    updateAdvancedPeerAckPoint();
    t3Deadline = nowNanos + t3TimeoutNanos();
  }

  /**
   * The T3-rtx duration: the RTO doubled per expiration since the last progress, up to RTO.Max.
   *
   * <p>Deliberate deviation from RFC 9260 6.3.3 E2 (as dcSCTP does): RFC 6298 keeps a backed-off
   * RTO until a new RTT measurement, but Karn's rule forbids measuring on retransmitted chunks, and
   * after a timeout the sender retransmits everything outstanding before it sends new data. Under
   * heavy loss the backed-off RTO then stuck for the whole recovery and kept doubling to RTO.Max
   * (stalls of tens of seconds, issue #13). A SACK that moves the cumulative ack proves the path
   * works again, so it ends the backoff.
   */
  private long t3TimeoutNanos() {
    long maxNanos = rto.maxNanos();
    long rtoNanos = rto.rtoNanos();
    return t3Backoff >= 30 || rtoNanos > (maxNanos >> t3Backoff) ? maxNanos : rtoNanos << t3Backoff;
  }

  private void onT2Expired() {
    t2Deadline = NONE;
    if (++errorCount > config.maxAssociationRetransmits()) {
      fail("shutdown unanswered");
      return;
    }
    rto.backOff();
    if (state == State.SHUTDOWN_SENT) {
      control.add(new ShutdownChunk((int) reassembly.cumulativeTsn()));
    } else if (state == State.SHUTDOWN_ACK_SENT) {
      control.add(new ShutdownAckChunk());
    } else {
      return;
    }
    t2Deadline = nowNanos + rto.rtoNanos();
  }

  private void onHeartbeatDue() {
    heartbeatDeadline = NONE;
    if (state != State.ESTABLISHED || config.heartbeatIntervalMillis() == 0) {
      return;
    }
    if (heartbeatOutstanding && ++errorCount > config.maxAssociationRetransmits()) {
      fail("peer unreachable: heartbeats unanswered");
      return;
    }
    // while data is outstanding T3 already probes the path
    if (outstanding.size() == 0) {
      byte[] info = new byte[16];
      Wire.put32(info, 0, (int) (nowNanos >>> 32));
      Wire.put32(info, 4, (int) nowNanos);
      Wire.put32(info, 8, random.nextInt());
      Wire.put32(info, 12, localTag);
      control.add(new HeartbeatChunk(false, info));
      heartbeatOutstanding = true;
      heartbeatsSent++;
    }
    armHeartbeat();
  }

  private void armHeartbeat() {
    if (config.heartbeatIntervalMillis() > 0 && state == State.ESTABLISHED) {
      heartbeatDeadline = nowNanos + config.heartbeatIntervalMillis() * MILLIS + rto.rtoNanos();
    }
  }

  // ---------------------------------------------------------------- receive

  /**
   * Processes one SCTP packet (one decrypted DTLS record). Bad packets are counted in {@link
   * #stats()} and dropped; this never throws for network input.
   */
  public void handleReceive(long nowNanos, byte[] packet, int off, int len) {
    if (off < 0 || len < 0 || off > packet.length - len) {
      throw new IllegalArgumentException("range [" + off + ", +" + len + ") outside the array");
    }
    this.nowNanos = nowNanos;
    packetsReceived++;
    bytesReceived += len;
    if (ended) {
      answerLateShutdownAck(packet, off, len);
      return;
    }
    if (len < SctpPacket.HEADER_LENGTH + 4) {
      malformed++;
      return;
    }
    boolean zeroAccepted =
        config.zeroChecksum()
            && SctpPacket.storedChecksum(packet, off) == 0
            && !carriesInit(packet, off, len);
    if (!zeroAccepted && !SctpPacket.checksumMatches(packet, off, len)) {
      badChecksum++;
      return;
    }
    SctpPacket p;
    try {
      p = SctpPacket.parse(packet, off, len);
    } catch (SctpParseException e) {
      malformed++;
      log.log(System.Logger.Level.DEBUG, "dropping malformed SCTP packet: {0}", e.getMessage());
      return;
    }
    if (p.destinationPort() != config.localPort() || p.sourcePort() != config.remotePort()) {
      badPorts++;
      return;
    }
    if (!verificationTagAcceptable(p)) {
      badVerificationTag++;
      return;
    }
    boolean dataSeen = false;
    boolean immediateSack = false;
    List<Chunk> chunks = p.chunks();
    for (int i = 0; i < chunks.size() && !ended; i++) {
      Chunk c = chunks.get(i);
      if (c instanceof DataChunk d) {
        if (isUp()) {
          dataSeen = true;
          immediateSack |= onData(d);
        } else {
          unexpectedChunks++;
        }
      } else if (c instanceof InitChunk init) {
        // INIT and INIT ACK must be alone in their packet (RFC 9260 6.10)
        if (chunks.size() != 1) {
          malformed++;
          return;
        }
        if (init.ack()) {
          onInitAck(init);
        } else {
          onInit(init);
        }
      } else if (c instanceof SelectiveAckChunk s) {
        if (isUp()) {
          onSack(s);
        } else {
          unexpectedChunks++;
        }
      } else if (c instanceof HeartbeatChunk h) {
        onHeartbeat(h);
      } else if (c instanceof AbortChunk a) {
        onAbort(a);
      } else if (c instanceof ShutdownChunk s) {
        onShutdown(s);
      } else if (c instanceof ShutdownAckChunk) {
        onShutdownAck();
      } else if (c instanceof ErrorChunk e) {
        onError(e);
      } else if (c instanceof CookieEchoChunk e) {
        if (!onCookieEcho(e, p.verificationTag())) {
          return;
        }
      } else if (c instanceof CookieAckChunk) {
        onCookieAck();
      } else if (c instanceof ShutdownCompleteChunk) {
        onShutdownComplete();
      } else if (c instanceof ForwardTsnChunk f) {
        if (isUp()) {
          onForwardTsn(f);
          immediateSack = true;
          dataSeen = true;
        } else {
          unexpectedChunks++;
        }
      } else if (c instanceof ReconfigChunk r) {
        if (isUp()) {
          onReconfig(r);
        } else {
          unexpectedChunks++;
        }
      } else if (c instanceof UnknownChunk u) {
        unknownChunks++;
        int action = u.type() >>> 6;
        // report it (upper bits x1), unless it is too big to echo inside one packet
        if ((action & 1) != 0 && isUp() && u.paddedLength() <= config.mtu() - 24) {
          control.add(
              new ErrorChunk(
                  List.of(new Parameter(ErrorChunk.UNRECOGNIZED_CHUNK_TYPE, u.encode()))));
        }
        if ((action & 2) == 0) {
          // RFC 9260 3.2: upper bit clear means stop processing this packet
          return;
        }
      }
    }
    if (dataSeen && !ended) {
      scheduleSack(immediateSack);
    }
  }

  /**
   * RFC 9260 8.4 item 5: a SHUTDOWN ACK after we ended means the peer never got our SHUTDOWN
   * COMPLETE. Answer with one (T bit set, since we keep no association), or the peer retransmits
   * until it gives up and reports an abort for a graceful close.
   */
  private void answerLateShutdownAck(byte[] packet, int off, int len) {
    if (len < SctpPacket.HEADER_LENGTH + 4
        || (packet[off + SctpPacket.HEADER_LENGTH] & 0xFF) != Chunk.SHUTDOWN_ACK
        || Wire.i32(packet, off + 4) != localTag) {
      return;
    }
    boolean zeroAccepted = config.zeroChecksum() && SctpPacket.storedChecksum(packet, off) == 0;
    if (zeroAccepted || SctpPacket.checksumMatches(packet, off, len)) {
      queueRaw(localTag, new ShutdownCompleteChunk(true));
    }
  }

  /** RFC 9653 5.2: packets with INIT or COOKIE ECHO always need a real CRC32c. */
  private static boolean carriesInit(byte[] b, int off, int len) {
    int type = b[off + SctpPacket.HEADER_LENGTH] & 0xFF;
    return type == Chunk.INIT || type == Chunk.INIT_ACK || type == Chunk.COOKIE_ECHO;
  }

  private boolean isUp() {
    return state.compareTo(State.ESTABLISHED) >= 0 && !ended;
  }

  /** RFC 9260 section 8.5 and 8.5.1: which verification tag each packet must carry. */
  private boolean verificationTagAcceptable(SctpPacket p) {
    List<Chunk> chunks = p.chunks();
    Chunk first = chunks.get(0);
    int vtag = p.verificationTag();
    if (first instanceof InitChunk init && !init.ack()) {
      return vtag == 0;
    }
    if (first instanceof AbortChunk a && a.tagReflected()
        || first instanceof ShutdownCompleteChunk s && s.tagReflected()) {
      return state.compareTo(State.COOKIE_ECHOED) >= 0 && vtag == peerTag;
    }
    // a COOKIE ECHO carries the tag we put in the cookie, which is our (fixed) tag
    return vtag == localTag;
  }

  private void onInit(InitChunk init) {
    if (state.compareTo(State.COOKIE_ECHOED) > 0 && init.initiateTag() != peerTag) {
      // a restart attempt (RFC 9260 5.2.2); unsupported over DTLS, see the class comment
      unexpectedChunks++;
      return;
    }
    // RFC 9260 5.2.1: in COOKIE-WAIT/ECHOED we answer with the same tag and TSN as our own INIT,
    // and since our tag is fixed per association every INIT ACK we send is consistent
    int features = 0;
    if (supportsForwardTsn(init)) {
      features |= StateCookie.FEATURE_FORWARD_TSN;
    }
    if (supportsReconfig(init)) {
      features |= StateCookie.FEATURE_RECONFIG;
    }
    if (supportsZeroChecksum(init)) {
      features |= StateCookie.FEATURE_ZERO_CHECKSUM;
    }
    StateCookie cookie =
        new StateCookie(
            localTag,
            init.initiateTag(),
            localInitialTsn,
            init.initialTsn(),
            init.aRwnd(),
            init.outboundStreams(),
            init.inboundStreams(),
            features,
            nowNanos);
    List<Parameter> params = new ArrayList<>();
    params.add(new Parameter(Parameter.STATE_COOKIE, cookie.sign(cookieSecret)));
    addOurFeatures(params);
    queueRaw(
        init.initiateTag(),
        new InitChunk(
            true,
            localTag,
            config.receiveWindowBytes(),
            config.streams(),
            config.streams(),
            localInitialTsn,
            params));
  }

  private void onInitAck(InitChunk ack) {
    if (state != State.COOKIE_WAIT) {
      // RFC 9260 5.2.3: an INIT ACK in any other state is discarded
      unexpectedChunks++;
      return;
    }
    Parameter cookie = ack.parameter(Parameter.STATE_COOKIE);
    if (cookie == null) {
      malformed++;
      return;
    }
    peerTag = ack.initiateTag();
    learnPeer(
        ack.initialTsn(),
        ack.aRwnd(),
        ack.outboundStreams(),
        ack.inboundStreams(),
        supportsForwardTsn(ack),
        supportsReconfig(ack),
        supportsZeroChecksum(ack));
    cookieToEcho = cookie.value();
    control.add(new CookieEchoChunk(cookieToEcho));
    state = State.COOKIE_ECHOED;
    initRetransmits = 0;
    cookieEchoSentNanos = nowNanos;
    t1Deadline = nowNanos + t1RtoNanos;
  }

  /** Returns false if the rest of the packet must be dropped. */
  private boolean onCookieEcho(CookieEchoChunk echo, int vtag) {
    StateCookie c = StateCookie.verify(cookieSecret, echo.cookie());
    if (c == null || c.localTag() != localTag || vtag != localTag) {
      malformed++;
      return false;
    }
    long ageNanos = nowNanos - c.timestampNanos();
    if (ageNanos < 0 || ageNanos > config.cookieLifetimeMillis() * MILLIS) {
      // RFC 9260 5.1.5: a stale cookie gets an ERROR with the measure of staleness
      byte[] staleness = new byte[4];
      Wire.put32(staleness, 0, (int) Math.min(Math.max(ageNanos / 1000, 0), 0xFFFF_FFFFL));
      queueRaw(
          c.peerTag(), new ErrorChunk(List.of(new Parameter(ErrorChunk.STALE_COOKIE, staleness))));
      unexpectedChunks++;
      return false;
    }
    switch (state) {
      case CLOSED, COOKIE_WAIT, COOKIE_ECHOED -> {
        // RFC 9260 5.2.4 case B (or a plain passive open): take the peer's values from the cookie
        peerTag = c.peerTag();
        learnPeer(
            c.peerInitialTsn(),
            c.peerRwnd(),
            c.peerOutboundStreams(),
            c.peerInboundStreams(),
            (c.peerFeatures() & StateCookie.FEATURE_FORWARD_TSN) != 0,
            (c.peerFeatures() & StateCookie.FEATURE_RECONFIG) != 0,
            (c.peerFeatures() & StateCookie.FEATURE_ZERO_CHECKSUM) != 0);
        control.add(new CookieAckChunk());
        onEstablished();
      }
      default -> {
        if (c.peerTag() == peerTag) {
          // case D: both tags match, the peer lost our COOKIE ACK
          control.add(new CookieAckChunk());
        } else {
          unexpectedChunks++;
          return false;
        }
      }
    }
    return true;
  }

  private void onCookieAck() {
    if (state == State.COOKIE_ECHOED) {
      if (initRetransmits == 0) {
        // The cookie exchange is a round trip like any other (Karn's rule: only if the COOKIE
        // ECHO went once). Without it the first data waits RTO.Initial for every loss and no
        // tail-loss probe can be armed until the first DATA sample.
        long rtt = nowNanos - cookieEchoSentNanos;
        if (rtt >= 0 && rtt <= config.rtoMaxMillis() * MILLIS) {
          rto.measure(rtt);
        }
      }
      onEstablished();
    }
    // anywhere else it is a duplicate and harmless
  }

  private void learnPeer(
      int initialTsn,
      int aRwnd,
      int peerOs,
      int peerMis,
      boolean forwardTsn,
      boolean reconfig,
      boolean zeroChecksum) {
    reassembly.start(initialTsn);
    peerRwnd = Integer.toUnsignedLong(aRwnd);
    outboundStreams = Math.min(config.streams(), peerMis);
    inboundStreams = Math.min(config.streams(), peerOs);
    peerForwardTsn = forwardTsn;
    peerReconfig = reconfig;
    peerZeroChecksum = zeroChecksum;
    peerRequestSeqExpected = initialTsn;
  }

  private void onEstablished() {
    state = State.ESTABLISHED;
    t1Deadline = NONE;
    ourInit = null;
    cookieToEcho = null;
    int mtu = config.mtu();
    cwnd = Math.min(4L * mtu, Math.max(2L * mtu, 4380));
    ssthresh = peerRwnd;
    events.add(new SctpEvent.Connected());
    armHeartbeat();
    channels.onEstablished(outboundStreams, inboundStreams);
  }

  private static boolean supportsForwardTsn(InitChunk init) {
    return init.parameter(Parameter.FORWARD_TSN_SUPPORTED) != null
        || supportsExtension(init, Chunk.FORWARD_TSN);
  }

  private static boolean supportsZeroChecksum(InitChunk init) {
    Parameter p = init.parameter(Parameter.ZERO_CHECKSUM_ACCEPTABLE);
    return p != null && Arrays.equals(p.value(), new byte[] {0, 0, 0, 1});
  }

  private static boolean supportsReconfig(InitChunk init) {
    return supportsExtension(init, Chunk.RECONFIG);
  }

  private static boolean supportsExtension(InitChunk init, int chunkType) {
    Parameter p = init.parameter(Parameter.SUPPORTED_EXTENSIONS);
    if (p == null) {
      return false;
    }
    for (byte b : p.value()) {
      if ((b & 0xFF) == chunkType) {
        return true;
      }
    }
    return false;
  }

  private void addOurFeatures(List<Parameter> params) {
    if (config.zeroChecksum()) {
      // error detection method 1: SCTP over DTLS (RFC 9653 section 5)
      params.add(new Parameter(Parameter.ZERO_CHECKSUM_ACCEPTABLE, new byte[] {0, 0, 0, 1}));
    }
    params.add(new Parameter(Parameter.FORWARD_TSN_SUPPORTED, new byte[0]));
    params.add(
        new Parameter(
            Parameter.SUPPORTED_EXTENSIONS,
            new byte[] {(byte) Chunk.FORWARD_TSN, (byte) Chunk.RECONFIG}));
  }

  private void onAbort(AbortChunk a) {
    if (state == State.CLOSED) {
      unexpectedChunks++;
      return;
    }
    StringBuilder reason = new StringBuilder("remote ABORT");
    for (Parameter cause : a.causes()) {
      reason.append(" cause ").append(cause.type());
      if (cause.type() == ErrorChunk.USER_INITIATED_ABORT) {
        reason.append(": ").append(new String(cause.value(), StandardCharsets.UTF_8));
      }
    }
    terminate(new SctpEvent.Aborted(reason.toString(), true));
  }

  private void onError(ErrorChunk e) {
    for (Parameter cause : e.causes()) {
      if (cause.type() == ErrorChunk.STALE_COOKIE && state == State.COOKIE_ECHOED) {
        // RFC 9260 5.2.6: start over with a fresh INIT
        state = State.COOKIE_WAIT;
        control.clear();
        queueRaw(0, ourInit);
        t1Deadline = nowNanos + t1RtoNanos;
        return;
      }
      log.log(System.Logger.Level.DEBUG, "peer reported SCTP error cause {0}", cause.type());
    }
    unexpectedChunks++;
  }

  private void onHeartbeat(HeartbeatChunk h) {
    if (h.ack()) {
      if (!isUp()) {
        unexpectedChunks++;
        return;
      }
      byte[] info = h.info();
      if (info.length == 16 && Wire.i32(info, 12) == localTag) {
        long sent = ((long) Wire.i32(info, 0) << 32) | (Wire.i32(info, 4) & 0xFFFF_FFFFL);
        long rtt = nowNanos - sent;
        if (rtt >= 0 && rtt <= config.rtoMaxMillis() * MILLIS) {
          rto.measure(rtt);
        }
        heartbeatOutstanding = false;
        errorCount = 0;
        heartbeatAcksReceived++;
      } else {
        malformed++;
      }
    } else if (state.compareTo(State.COOKIE_ECHOED) >= 0) {
      control.add(new HeartbeatChunk(true, h.info()));
    } else {
      unexpectedChunks++;
    }
  }

  // ---------------------------------------------------------------- DATA in

  /** Returns true if a SACK should go out at once (out of order, duplicate). */
  private boolean onData(DataChunk d) {
    boolean immediate = reassembly.receive(d);
    processDeferredReset();
    return immediate;
  }

  /** A complete message from the reassembly queue; DCEP OPEN only while ESTABLISHED. */
  private void deliver(int streamId, int ppid, byte[] data) {
    channels.deliver(streamId, ppid, data, state == State.ESTABLISHED);
  }

  private void onForwardTsn(ForwardTsnChunk f) {
    if (!peerForwardTsn) {
      // we always offer FORWARD-TSN; tolerate it even if the peer did not say it supports it
      log.log(System.Logger.Level.DEBUG, "FORWARD TSN from a peer that did not negotiate it");
    }
    reassembly.skip(f);
    processDeferredReset();
  }

  private void scheduleSack(boolean immediate) {
    if (immediate || config.delayedAckMillis() == 0 || state != State.ESTABLISHED) {
      sackNeeded = true;
      sackDeadline = NONE;
      return;
    }
    // RFC 9260 6.2: SACK at least every second packet with DATA, or after the delay
    if (++packetsSinceSack >= 2) {
      sackNeeded = true;
      sackDeadline = NONE;
    } else if (sackDeadline == NONE) {
      // never longer than half our RTO (as dcSCTP): a SACK held as long as the peer's RTO makes
      // it time out; our RTO is the best estimate of the peer's we have
      sackDeadline = nowNanos + Math.min(config.delayedAckMillis() * MILLIS, rto.rtoNanos() / 2);
    }
  }

  private SelectiveAckChunk buildSack(int maxBytes) {
    SelectiveAckChunk sack = reassembly.buildSack(maxBytes);
    sackNeeded = false;
    sackDeadline = NONE;
    packetsSinceSack = 0;
    return sack;
  }

  // ---------------------------------------------------------------- SACK in

  private void onSack(SelectiveAckChunk s) {
    long cum = cumAckTsn + (int) (s.cumulativeTsnAck() - (int) cumAckTsn);
    if (cum < cumAckTsn) {
      // RFC 9260 6.2.1: an older SACK, possibly reordered
      return;
    }
    if (cum >= nextTsn) {
      // acks data never sent: a protocol violation; drop the SACK
      unexpectedChunks++;
      return;
    }
    List<Integer> dups = s.duplicateTsns();
    for (int i = 0; i < dups.size(); i++) {
      onDuplicateReported(cumAckTsn + (int) (dups.get(i) - (int) cumAckTsn));
    }
    processAck(cum, Integer.toUnsignedLong(s.aRwnd()), s.gapAckBlocks());
  }

  /**
   * The peer received {@code tsn} twice. If loss detection had retransmitted it, the original was
   * only late: the retransmission was spurious (RFC 8985 6.2 uses DSACK the same way, and SCTP's
   * duplicate TSN reports say what DSACK says). The path reorders, so from now on loss is judged by
   * time alone, with a reordering window that grows per spurious round trip; and if this chunk
   * started the last window reduction, the reduction is undone (as TCP's Eifel, RFC 3522).
   */
  private void onDuplicateReported(long tsn) {
    boolean ours = false;
    for (long t : recentLossRetransmits) {
      if (t == tsn) {
        ours = true;
        break;
      }
    }
    if (!ours) {
      return; // a duplicate the network made, or of a chunk sent twice for another reason
    }
    spuriousRetransmits++;
    reorderingSeen = true;
    recoveriesSinceSpurious = 0;
    if (nowNanos - reoWndRaisedNanos > rto.srttNanos() && reoWndMult < MAX_REO_WND_MULT) {
      reoWndMult++;
      reoWndRaisedNanos = nowNanos;
    }
    if (tsn == recoveryTriggerTsn && undoCwnd > 0) {
      cwnd = Math.max(cwnd, undoCwnd);
      ssthresh = Math.max(ssthresh, undoSsthresh);
      undoCwnd = 0;
      fastRecovery = false;
    }
  }

  private void processAck(long cum, long aRwnd, List<SelectiveAckChunk.GapAckBlock> gaps) {
    long flightBefore = flightBytes;
    long bytesAcked = 0;
    // the latest transmission among the newly acked chunks: what was sent before it and is still
    // missing gets a miss indication
    long latestNewlyAckedSeq = -1;
    boolean cumAdvanced = cum > cumAckTsn;
    while (outstanding.size() > 0 && outstanding.first().tsn <= cum) {
      OutChunk c = outstanding.pollFirst();
      if (c.inFlight) {
        flightBytes -= c.len;
        c.inFlight = false;
      }
      if (c.retransmit) {
        retransmitMarked--;
      }
      if (!c.acked && !c.abandoned) {
        bytesAcked += c.len;
        latestNewlyAckedSeq = Math.max(latestNewlyAckedSeq, ackedTransmission(c));
        sampleRtt(c);
      }
    }
    if (cumAdvanced) {
      cumAckTsn = cum;
      errorCount = 0;
      t3Backoff = 0;
      if (advancedPeerAckPoint < cum) {
        advancedPeerAckPoint = cum;
      }
    }
    long sentUpTo = cumAckTsn + outstanding.size();
    for (SelectiveAckChunk.GapAckBlock g : gaps) {
      long start = cum + g.start();
      long end = Math.min(cum + g.end(), sentUpTo);
      for (long t = Math.max(start, cumAckTsn + 1); t <= end; t++) {
        OutChunk c = outstanding.get((int) (t - cumAckTsn - 1));
        if (c.acked) {
          continue;
        }
        c.acked = true;
        if (c.inFlight) {
          flightBytes -= c.len;
          c.inFlight = false;
        }
        if (c.retransmit) {
          c.retransmit = false;
          retransmitMarked--;
        }
        if (!c.abandoned) {
          bytesAcked += c.len;
          latestNewlyAckedSeq = Math.max(latestNewlyAckedSeq, ackedTransmission(c));
          sampleRtt(c);
        }
      }
    }
    if (fastRecovery && cumAckTsn >= fastRecoveryExit) {
      fastRecovery = false;
    }
    if (latestNewlyAckedSeq > rackSeq) {
      rackSeq = latestNewlyAckedSeq;
    }
    if (bytesAcked > 0) {
      // the peer answered: the tail-loss probes of this episode are over
      probesSent = 0;
      probeNewData = false;
    }
    detectLosses(latestNewlyAckedSeq);
    // RFC 9260 7.2.1 and 7.2.2: grow cwnd only when it was being used
    if (cumAdvanced && !fastRecovery && bytesAcked > 0 && flightBefore + config.mtu() >= cwnd) {
      if (cwnd <= ssthresh) {
        cwnd += Math.min(bytesAcked, config.mtu());
      } else {
        partialBytesAcked += bytesAcked;
        if (partialBytesAcked >= cwnd) {
          partialBytesAcked -= cwnd;
          cwnd += config.mtu();
        }
      }
    }
    peerRwnd = Math.max(0, aRwnd - flightBytes);
    if (outstanding.size() == 0) {
      t3Deadline = NONE;
    } else if (cumAdvanced || t3Deadline == NONE) {
      t3Deadline = nowNanos + t3TimeoutNanos();
    }
    updateAdvancedPeerAckPoint();
    if (peerForwardTsn && advancedPeerAckPoint > cumAckTsn) {
      // RFC 3758 3.5 C3: a SACK behind the advanced point means the peer has not seen it (the
      // FORWARD TSN was lost, or is still on its way): send it again. Waiting for T3 instead
      // stalled partially reliable channels under loss, a backed-off RTO per lost FORWARD TSN.
      forwardTsnNeeded = true;
    }
    armProbe();
    if (cumAdvanced) {
      checkShutdownProgress();
    }
  }

  /**
   * Marks chunks lost, in the manner of RACK (RFC 8985) over SCTP's SACK: a chunk still missing is
   * lost once a chunk transmitted after it was acknowledged and either three SACKs said so (RFC
   * 9260 7.2.4's miss indications, counted only from SACKs that newly ack a later transmission) or
   * one reordering window has passed since it should have arrived (its send time plus the smoothed
   * RTT plus a quarter of it). A chunk not lost yet arms the reorder timer.
   *
   * <p>Deliberate deviations from RFC 9260 7.2.4, for the lossy paths of issue #13. First, 7.2.4
   * fast-retransmits a chunk only once, so a lost fast retransmission waited for T3; at 10% loss
   * one in ten did, and the association spent most of its time in timeouts. Here a retransmission
   * is judged like any transmission: by what was sent after it. Second, with a window of a few
   * packets (all that 20% loss leaves) three SACKs rarely come before the ack clock dies; the time
   * rule needs one.
   *
   * @param latestNewlyAckedSeq the latest transmission this SACK newly acked, or -1 (timer)
   */
  private void detectLosses(long latestNewlyAckedSeq) {
    reorderDeadline = NONE;
    if (rackSeq < 0 || outstanding.size() == 0) {
      return;
    }
    // RFC 8985 6.2: the reordering window starts at a quarter of the minimum RTT and grows with
    // each spurious retransmission, up to one smoothed RTT
    long reoWndNanos =
        Math.max(MILLIS, Math.min(reoWndMult * rto.minRttNanos() / 4, rto.srttNanos()));
    long lossDelayNanos = rto.measured() ? rto.srttNanos() + reoWndNanos : rto.rtoNanos();
    long sentUpTo = cumAckTsn + outstanding.size();
    boolean marked = false;
    long firstMarked = -1;
    for (int i = 0; i < outstanding.size(); i++) {
      OutChunk c = outstanding.get(i);
      if (c.sentSeq >= rackSeq && c.transmits == 1) {
        // sent once and not before the latest acked transmission: neither was any later TSN
        break;
      }
      if (c.acked || c.abandoned || c.retransmit || !c.everSent || c.sentSeq >= rackSeq) {
        continue;
      }
      if (c.sentSeq < latestNewlyAckedSeq) {
        c.missCount++;
      }
      long dueNanos = c.sentNanos + lossDelayNanos;
      // three miss indications count only until the path showed it reorders (then a burst of
      // SACKs for packets that overtook one says nothing about its loss)
      boolean dupThresh = c.missCount >= 3 && !reorderingSeen;
      if (!dupThresh && nowNanos < dueNanos) {
        reorderDeadline = Math.min(reorderDeadline, dueNanos);
        continue;
      }
      c.retransmit = true;
      retransmitMarked++;
      if (c.inFlight) {
        c.inFlight = false;
        flightBytes -= c.len;
      }
      fastRetransmits++;
      if (!maybeAbandon(c)) {
        if (!marked) {
          firstMarked = c.tsn;
        }
        marked = true;
        recentLossRetransmits[recentLossRetransmitsNext] = c.tsn;
        recentLossRetransmitsNext = (recentLossRetransmitsNext + 1) % recentLossRetransmits.length;
      }
    }
    if (marked) {
      fastRetransmitPending = true;
      if (!fastRecovery) {
        // RFC 9260 7.2.3: one reduction per loss episode; kept to undo if it proves spurious
        fastRecovery = true;
        fastRecoveryExit = sentUpTo;
        undoCwnd = cwnd;
        undoSsthresh = ssthresh;
        recoveryTriggerTsn = firstMarked;
        if (++recoveriesSinceSpurious >= 16) {
          // RFC 8985 6.2: the window shrinks back after 16 recoveries without a spurious one
          reoWndMult = 1;
          recoveriesSinceSpurious = 0;
        }
        ssthresh = Math.max(cwnd / 2, 4L * config.mtu());
        cwnd = ssthresh;
        partialBytesAcked = 0;
      }
    }
    // a chunk over its partial-reliability limit was abandoned instead of marked
    updateAdvancedPeerAckPoint();
  }

  /**
   * Arms the tail-loss probe (RFC 8985 section 7, TLP): when the last packets of a flight or all
   * their SACKs are lost, nothing clocks out the next SACK and only T3 (at least RTO.Min) would
   * notice. Two smoothed RTTs of silence (plus the peer's delayed-ack time when a single packet is
   * out, which the peer may hold back) send a probe instead, whose SACK lets {@link #detectLosses}
   * find what is missing. At most {@value #MAX_PROBES} probes per silence; then T3 decides.
   */
  private void armProbe() {
    boolean forwardTsnOut = peerForwardTsn && advancedPeerAckPoint > cumAckTsn;
    if (!rto.measured()
        || (flightBytes == 0 && !forwardTsnOut)
        || probesSent >= MAX_PROBES
        || !isUp()) {
      probeDeadline = NONE;
      return;
    }
    long ptoNanos = Math.max(2 * rto.srttNanos(), 2 * MILLIS) << probesSent;
    if (flightBytes <= config.mtu()) {
      ptoNanos += config.delayedAckMillis() * MILLIS;
    }
    long deadline = nowNanos + ptoNanos;
    probeDeadline = deadline < t3Deadline ? deadline : NONE;
  }

  private void onProbeDue() {
    probeDeadline = NONE;
    if (retransmitMarked > 0) {
      return;
    }
    if (flightBytes == 0) {
      if (peerForwardTsn && advancedPeerAckPoint > cumAckTsn) {
        // only skipped data is unacknowledged: its FORWARD TSN (or the SACK) was lost
        probesSent++;
        tailLossProbes++;
        forwardTsnNeeded = true;
        armProbe();
      }
      return;
    }
    probesSent++;
    tailLossProbes++;
    // new data if the peer can take it (it is useful whatever happened), else the newest chunk
    // in flight again: either way the peer answers with a SACK at once or after its delay
    OutChunk next = unsent.peek();
    if (next != null && next.len <= peerRwnd) {
      probeNewData = true;
    } else {
      for (int i = outstanding.size() - 1; i >= 0; i--) {
        OutChunk c = outstanding.get(i);
        if (c.inFlight && !c.acked && !c.abandoned) {
          c.retransmit = true;
          retransmitMarked++;
          c.inFlight = false;
          flightBytes -= c.len;
          fastRetransmitPending = true;
          break;
        }
      }
    }
    armProbe();
  }

  /**
   * The transmission of newly acked {@code c} that loss detection may trust, or -1. An ack that
   * comes sooner than the path's minimum RTT after a retransmission was for an earlier copy (RFC
   * 8985 6.2 step 2): taken for the retransmission, it would make everything sent in between look
   * overtaken and lost, and the retransmissions of those would do the same again (a storm of
   * spurious retransmissions, seen behind a bottleneck queue on a lossless path).
   */
  private long ackedTransmission(OutChunk c) {
    if (c.transmits > 1 && (!rto.measured() || nowNanos - c.sentNanos < rto.minRttNanos())) {
      return -1;
    }
    return c.sentSeq;
  }

  /** Karn's rule (RFC 9260 6.3.1 C5): only a chunk sent once gives an RTT sample. */
  private void sampleRtt(OutChunk c) {
    if (c == rttProbe) {
      if (c.transmits == 1) {
        rto.measure(nowNanos - c.sentNanos);
      }
      rttProbe = null;
    }
  }

  /** RFC 3758 3.5 A1/A2: gives up a message whose limit is reached. True if abandoned. */
  private boolean maybeAbandon(OutChunk c) {
    OutMessage m = c.msg;
    if (m.abandoned) {
      return true;
    }
    if (!peerForwardTsn) {
      return false;
    }
    boolean expired = m.expiryNanos != NONE && nowNanos >= m.expiryNanos;
    boolean exhausted = m.maxRetransmits >= 0 && c.transmits > m.maxRetransmits;
    if (!expired && !exhausted) {
      return false;
    }
    abandon(m);
    return true;
  }

  private void abandon(OutMessage m) {
    m.abandoned = true;
    abandonedMessages++;
    long from = Math.max(m.firstTsn, cumAckTsn + 1);
    long to = Math.min(m.lastTsn, cumAckTsn + outstanding.size());
    for (long t = from; t <= to; t++) {
      OutChunk c = outstanding.get((int) (t - cumAckTsn - 1));
      c.abandoned = true;
      if (c == rttProbe) {
        rttProbe = null;
      }
      if (c.inFlight) {
        c.inFlight = false;
        flightBytes -= c.len;
      }
      if (c.retransmit) {
        c.retransmit = false;
        retransmitMarked--;
      }
    }
  }

  private void updateAdvancedPeerAckPoint() {
    if (!peerForwardTsn) {
      return;
    }
    if (advancedPeerAckPoint < cumAckTsn) {
      advancedPeerAckPoint = cumAckTsn;
    }
    int idx = (int) (advancedPeerAckPoint - cumAckTsn);
    while (idx < outstanding.size() && outstanding.get(idx).abandoned) {
      advancedPeerAckPoint++;
      idx++;
    }
    if (advancedPeerAckPoint > cumAckTsn) {
      // announce each new point at once; a SACK still behind it repeats it (processAck)
      if (advancedPeerAckPoint > lastForwardTsnSent) {
        forwardTsnNeeded = true;
      }
      if (t3Deadline == NONE) {
        t3Deadline = nowNanos + t3TimeoutNanos();
      }
    }
  }

  private ForwardTsnChunk buildForwardTsn(int maxBytes) {
    Map<Integer, Integer> ssns = new LinkedHashMap<>();
    int maxEntries = Math.max(0, (maxBytes - 8) / 4);
    for (long t = cumAckTsn + 1; t <= advancedPeerAckPoint; t++) {
      OutChunk c = outstanding.get((int) (t - cumAckTsn - 1));
      if (!c.unordered && (ssns.containsKey(c.streamId) || ssns.size() < maxEntries)) {
        ssns.put(c.streamId, c.ssn);
      }
    }
    List<ForwardTsnChunk.StreamSequence> list = new ArrayList<>();
    ssns.forEach((k, v) -> list.add(new ForwardTsnChunk.StreamSequence(k, v)));
    forwardTsnNeeded = false;
    lastForwardTsnSent = advancedPeerAckPoint;
    return new ForwardTsnChunk((int) advancedPeerAckPoint, list);
  }

  // ---------------------------------------------------------------- shutdown

  private void onShutdown(ShutdownChunk s) {
    if (!isUp()) {
      unexpectedChunks++;
      return;
    }
    long cum = cumAckTsn + (int) (s.cumulativeTsnAck() - (int) cumAckTsn);
    if (cum >= cumAckTsn && cum < nextTsn) {
      processAck(cum, peerRwnd + flightBytes, List.of());
    }
    switch (state) {
      case ESTABLISHED, SHUTDOWN_PENDING -> state = State.SHUTDOWN_RECEIVED;
      case SHUTDOWN_SENT -> {
        // RFC 9260 9.2: both sides sent SHUTDOWN; answer at once
        sendShutdownAck();
        return;
      }
      default -> {
        // retransmitted SHUTDOWN in SHUTDOWN_RECEIVED / SHUTDOWN_ACK_SENT
      }
    }
    checkShutdownProgress();
  }

  private void checkShutdownProgress() {
    boolean drained = outstanding.size() == 0 && unsent.isEmpty();
    if (!drained) {
      return;
    }
    if (state == State.SHUTDOWN_PENDING) {
      control.add(new ShutdownChunk((int) reassembly.cumulativeTsn()));
      state = State.SHUTDOWN_SENT;
      heartbeatDeadline = NONE;
      t2Deadline = nowNanos + rto.rtoNanos();
    } else if (state == State.SHUTDOWN_RECEIVED) {
      sendShutdownAck();
    }
  }

  private void sendShutdownAck() {
    control.add(new ShutdownAckChunk());
    state = State.SHUTDOWN_ACK_SENT;
    heartbeatDeadline = NONE;
    t2Deadline = nowNanos + rto.rtoNanos();
  }

  private void onShutdownAck() {
    if (state == State.SHUTDOWN_SENT || state == State.SHUTDOWN_ACK_SENT) {
      queueRaw(peerTag, new ShutdownCompleteChunk(false));
      terminate(new SctpEvent.Closed("shutdown complete"));
    } else {
      unexpectedChunks++;
    }
  }

  private void onShutdownComplete() {
    if (state == State.SHUTDOWN_ACK_SENT) {
      terminate(new SctpEvent.Closed("shutdown complete"));
    } else {
      unexpectedChunks++;
    }
  }

  private void fail(String reason) {
    log.log(System.Logger.Level.DEBUG, "SCTP association failed: {0}", reason);
    if (state.compareTo(State.COOKIE_ECHOED) > 0) {
      queueRaw(peerTag, new AbortChunk(false, List.of()));
    }
    terminate(new SctpEvent.Aborted(reason, false));
  }

  private void terminate(SctpEvent why) {
    channels.closeAll();
    state = State.CLOSED;
    ended = true;
    t1Deadline = NONE;
    t2Deadline = NONE;
    t3Deadline = NONE;
    sackDeadline = NONE;
    heartbeatDeadline = NONE;
    reconfigDeadline = NONE;
    reorderDeadline = NONE;
    probeDeadline = NONE;
    control.clear();
    unsent.clear();
    outstanding.clear();
    reassembly.clear();
    flightBytes = 0;
    sackNeeded = false;
    forwardTsnNeeded = false;
    events.add(why);
  }

  // ---------------------------------------------------------------- stream reset

  private void trySendReconfig() {
    if (pendingRequest != null || streamsToReset.isEmpty() || state != State.ESTABLISHED) {
      return;
    }
    pendingRequest =
        new OutgoingSsnResetRequest(
            reconfigRequestSeq,
            peerRequestSeqExpected - 1,
            (int) (nextTsn - 1),
            List.copyOf(streamsToReset));
    streamsToReset.clear();
    control.add(new ReconfigChunk(List.of(pendingRequest.toParameter())));
    reconfigDeadline = nowNanos + rto.rtoNanos();
  }

  private void onReconfig(ReconfigChunk r) {
    for (Parameter p : r.parameters()) {
      try {
        if (p.type() == Parameter.OUTGOING_SSN_RESET_REQUEST) {
          onResetRequest(OutgoingSsnResetRequest.parse(p));
        } else if (p.type() == Parameter.RECONFIG_RESPONSE) {
          onReconfigResponse(ReconfigResponse.parse(p));
        } else {
          // other re-configurations (incoming reset, add streams) are refused
          control.add(
              new ReconfigChunk(
                  List.of(
                      new ReconfigResponse(reqSeqOf(p), ReconfigResponse.DENIED).toParameter())));
        }
      } catch (SctpParseException e) {
        malformed++;
      }
    }
  }

  private static int reqSeqOf(Parameter p) {
    byte[] v = p.value();
    return v.length >= 4 ? Wire.i32(v, 0) : 0;
  }

  private void onResetRequest(OutgoingSsnResetRequest req) {
    if (req.requestSeq() == peerRequestSeqExpected) {
      if (deferredPeerRequest == null) {
        deferredPeerRequest = req;
      }
      processDeferredReset();
    } else if (req.requestSeq() == peerRequestSeqExpected - 1 && lastResponse != null) {
      control.add(new ReconfigChunk(List.of(lastResponse)));
    } else if (deferredPeerRequest == null
        || req.requestSeq() != deferredPeerRequest.requestSeq()) {
      control.add(
          new ReconfigChunk(
              List.of(
                  new ReconfigResponse(req.requestSeq(), ReconfigResponse.ERROR_BAD_SEQUENCE_NUMBER)
                      .toParameter())));
    }
  }

  /** RFC 6525 5.2.2: reset only once every TSN up to the sender's last assigned one is in. */
  private void processDeferredReset() {
    OutgoingSsnResetRequest req = deferredPeerRequest;
    if (req == null) {
      return;
    }
    if (!reassembly.hasAllUpTo(req.senderLastTsn())) {
      return;
    }
    deferredPeerRequest = null;
    List<Integer> streams = req.streams();
    if (streams.isEmpty()) {
      streams = channels.ids();
      reassembly.resetAllStreams();
    }
    for (int id : streams) {
      reassembly.resetStream(id);
      if (channels.onRemoteReset(id)) {
        // RFC 8831 6.7: answer a reset of the remote's outgoing stream by resetting ours
        streamsToReset.add(id);
      }
    }
    lastResponse =
        new ReconfigResponse(req.requestSeq(), ReconfigResponse.SUCCESS_PERFORMED).toParameter();
    peerRequestSeqExpected++;
    control.add(new ReconfigChunk(List.of(lastResponse)));
    trySendReconfig();
  }

  private void onReconfigResponse(ReconfigResponse resp) {
    OutgoingSsnResetRequest req = pendingRequest;
    if (req == null || resp.responseSeq() != req.requestSeq()) {
      unexpectedChunks++;
      return;
    }
    if (resp.result() == ReconfigResponse.IN_PROGRESS) {
      // the peer still waits for data; ask again after an RTO
      reconfigDeadline = nowNanos + rto.rtoNanos();
      return;
    }
    pendingRequest = null;
    reconfigDeadline = NONE;
    reconfigRequestSeq++;
    errorCount = 0;
    for (int id : req.streams()) {
      // a denied reset still ends the channel for us: we sent nothing more on it
      channels.onLocalReset(id);
    }
    trySendReconfig();
  }

  // ---------------------------------------------------------------- sending

  private void enqueueMessage(
      Channel ch, int ppid, byte[] payload, boolean unordered, int userBytes, boolean counted) {
    OutMessage m = new OutMessage();
    m.channel = counted ? ch : null;
    if (counted && ch.type.byRetransmits()) {
      m.maxRetransmits = ch.config.maxRetransmits();
    }
    if (counted && ch.type.byLifetime()) {
      m.expiryNanos = nowNanos + ch.config.maxLifetimeMillis() * MILLIS;
    }
    int ssn = 0;
    if (!unordered) {
      ssn = ch.nextSsn;
      ch.nextSsn = (ch.nextSsn + 1) & 0xFFFF;
    }
    // A chunk is padded to 4 bytes on the wire (RFC 9260 3.2): a fragment must leave room for
    // its padding, or a full one never fits a packet and the association stalls.
    int maxFragment = (config.mtu() - SctpPacket.HEADER_LENGTH - DATA_CHUNK_OVERHEAD) & ~3;
    m.firstTsn = nextTsn;
    for (int pos = 0; pos < payload.length; pos += maxFragment) {
      OutChunk c = new OutChunk();
      c.tsn = nextTsn++;
      c.streamId = ch.id;
      c.ssn = ssn;
      c.ppid = ppid;
      c.unordered = unordered;
      c.data = payload;
      c.off = pos;
      c.len = Math.min(maxFragment, payload.length - pos);
      c.begin = pos == 0;
      c.end = pos + c.len == payload.length;
      c.bufferedBytes = counted && userBytes > 0 ? c.len : 0;
      c.msg = m;
      unsent.add(c);
    }
    m.lastTsn = nextTsn - 1;
    if (counted) {
      ch.bufferedBytes += userBytes;
    }
  }

  private void releaseBuffered(OutChunk c) {
    if (c.bufferedBytes == 0 || c.msg.channel == null) {
      return;
    }
    channels.release(c.msg.channel, c.bufferedBytes);
    c.bufferedBytes = 0;
  }

  /**
   * The next SCTP packet to hand to DTLS, or null if there is nothing to send now. Call until null
   * after every input.
   */
  public byte[] pollTransmit() {
    byte[] raw = rawOut.poll();
    if (raw != null) {
      countSent(raw.length);
      return raw;
    }
    if (ended || state == State.CLOSED || state == State.COOKIE_WAIT) {
      control.clear();
      return null;
    }
    byte[] b = packetBuffer;
    int limit = config.mtu();
    int p = SctpPacket.HEADER_LENGTH;
    // control chunks first (RFC 9260 6.10); an oversized one still goes alone
    while (!control.isEmpty()) {
      Chunk c = control.peek();
      if (p + c.paddedLength() > limit && p > SctpPacket.HEADER_LENGTH) {
        break;
      }
      control.poll();
      if (p + c.paddedLength() > b.length) {
        b = Arrays.copyOf(b, p + c.paddedLength());
        packetBuffer = b;
      }
      p += c.writeTo(b, p);
    }
    boolean dataAllowed =
        state == State.ESTABLISHED
            || state == State.SHUTDOWN_PENDING
            || state == State.SHUTDOWN_RECEIVED;
    boolean dataWaiting = dataAllowed && (retransmitMarked > 0 || !unsent.isEmpty());
    if (isUp() && (sackNeeded || (sackDeadline != NONE && dataWaiting))) {
      SelectiveAckChunk sack = buildSack(limit - p);
      if (p + sack.paddedLength() <= limit) {
        p += sack.writeTo(b, p);
      } else {
        sackNeeded = true;
      }
    }
    if (forwardTsnNeeded && isUp() && advancedPeerAckPoint > cumAckTsn && limit - p >= 12) {
      p += buildForwardTsn(limit - p).writeTo(b, p);
      armProbe();
    }
    if (dataAllowed) {
      p = writeRetransmissions(b, p, limit);
      p = writeNewData(b, p, limit);
    }
    if (p == SctpPacket.HEADER_LENGTH) {
      return null;
    }
    Wire.put16(b, 0, config.localPort());
    Wire.put16(b, 2, config.remotePort());
    Wire.put32(b, 4, peerTag);
    if (peerZeroChecksum
        && config.zeroChecksum()
        && state.compareTo(State.ESTABLISHED) >= 0
        && b[SctpPacket.HEADER_LENGTH] != Chunk.COOKIE_ECHO) {
      // RFC 9653: DTLS already detects corruption, so skip the CRC for a peer that accepts it
      b[8] = 0;
      b[9] = 0;
      b[10] = 0;
      b[11] = 0;
    } else {
      SctpPacket.writeChecksum(b, 0, p);
    }
    countSent(p);
    return Arrays.copyOf(b, p);
  }

  private int writeRetransmissions(byte[] b, int p, int limit) {
    if (retransmitMarked == 0) {
      return p;
    }
    boolean bypassCwnd = fastRetransmitPending;
    fastRetransmitPending = false;
    for (int i = 0; i < outstanding.size() && retransmitMarked > 0; i++) {
      OutChunk c = outstanding.get(i);
      if (!c.retransmit) {
        continue;
      }
      if (maybeAbandon(c)) {
        updateAdvancedPeerAckPoint();
        continue;
      }
      int size = Wire.pad4(DATA_CHUNK_OVERHEAD + c.len);
      if (p + size > limit) {
        break;
      }
      if (!bypassCwnd && flightBytes > 0 && flightBytes + c.len > cwnd) {
        break;
      }
      p += writeData(b, p, c);
      if (c == rttProbe) {
        rttProbe = null;
      }
      if (i == 0) {
        // RFC 9260 7.2.4 step 4: retransmitting the lowest outstanding TSN restarts T3, or the
        // timer armed long before fires while this retransmission is still on its way
        t3Deadline = nowNanos + t3TimeoutNanos();
      }
      c.retransmit = false;
      retransmitMarked--;
      retransmissions++;
    }
    return p;
  }

  private int writeNewData(byte[] b, int p, int limit) {
    while (!unsent.isEmpty()) {
      OutChunk c = unsent.peek();
      OutMessage m = c.msg;
      if (m.abandoned || (peerForwardTsn && m.expiryNanos != NONE && nowNanos >= m.expiryNanos)) {
        // expired before it was ever sent: abandon it without sending (RFC 3758 3.5 A1)
        if (!m.abandoned) {
          abandon(m);
        }
        unsent.poll();
        c.abandoned = true;
        releaseBuffered(c);
        outstanding.addLast(c);
        updateAdvancedPeerAckPoint();
        continue;
      }
      int size = Wire.pad4(DATA_CHUNK_OVERHEAD + c.len);
      if (p + size > limit) {
        break;
      }
      if (flightBytes > 0 && (flightBytes + c.len > cwnd && !probeNewData || c.len > peerRwnd)) {
        break;
      }
      probeNewData = false;
      unsent.poll();
      outstanding.addLast(c);
      p += writeData(b, p, c);
      peerRwnd = Math.max(0, peerRwnd - c.len);
      dataChunksSent++;
      if (rttProbe == null) {
        rttProbe = c;
      }
      releaseBuffered(c);
    }
    return p;
  }

  private int writeData(byte[] b, int p, OutChunk c) {
    b[p] = Chunk.DATA;
    b[p + 1] = (byte) DataChunk.flags(false, c.unordered, c.begin, c.end);
    Wire.put16(b, p + 2, DATA_CHUNK_OVERHEAD + c.len);
    DataChunk.writeHeaderValue(b, p + 4, (int) c.tsn, c.streamId, c.ssn, c.ppid);
    System.arraycopy(c.data, c.off, b, p + DATA_CHUNK_OVERHEAD, c.len);
    int padded = Wire.pad4(DATA_CHUNK_OVERHEAD + c.len);
    for (int i = p + DATA_CHUNK_OVERHEAD + c.len; i < p + padded; i++) {
      b[i] = 0;
    }
    c.inFlight = true;
    c.everSent = true;
    c.transmits++;
    c.sentNanos = nowNanos;
    c.sentSeq = ++transmitSeq;
    c.missCount = 0;
    flightBytes += c.len;
    if (t3Deadline == NONE) {
      t3Deadline = nowNanos + t3TimeoutNanos();
    }
    armProbe();
    return padded;
  }

  private void queueRaw(int vtag, Chunk chunk) {
    byte[] out =
        new SctpPacket(config.localPort(), config.remotePort(), vtag, List.of(chunk)).encode();
    rawOut.add(out);
  }

  private void countSent(int len) {
    packetsSent++;
    bytesSent += len;
  }

  // ---------------------------------------------------------------- internal types

  /** One user message being sent. */
  private static final class OutMessage {
    Channel channel;
    int maxRetransmits = -1;
    long expiryNanos = NONE;
    boolean abandoned;
    long firstTsn;
    long lastTsn;
  }

  /** One DATA chunk being sent (a view into the message's bytes). */
  private static final class OutChunk {
    long tsn;
    int streamId;
    int ssn;
    int ppid;
    boolean unordered;
    boolean begin;
    boolean end;
    byte[] data;
    int off;
    int len;
    int bufferedBytes;
    OutMessage msg;
    boolean inFlight;
    boolean everSent;
    boolean acked;
    boolean retransmit;
    boolean abandoned;
    int transmits;
    int missCount;
    long sentNanos;
    long sentSeq;
  }

  /**
   * The chunks from the cumulative ack point on, in TSN order and contiguous, so chunk {@code
   * cumAckTsn + 1 + i} is at index {@code i}.
   */
  private static final class ChunkRing {
    private OutChunk[] items = new OutChunk[64];
    private int head;
    private int size;

    int size() {
      return size;
    }

    OutChunk get(int i) {
      return items[(head + i) & (items.length - 1)];
    }

    OutChunk first() {
      return items[head];
    }

    void addLast(OutChunk c) {
      if (size == items.length) {
        OutChunk[] bigger = new OutChunk[items.length * 2];
        for (int i = 0; i < size; i++) {
          bigger[i] = get(i);
        }
        items = bigger;
        head = 0;
      }
      items[(head + size) & (items.length - 1)] = c;
      size++;
    }

    OutChunk pollFirst() {
      OutChunk c = items[head];
      items[head] = null;
      head = (head + 1) & (items.length - 1);
      size--;
      return c;
    }

    void clear() {
      Arrays.fill(items, null);
      head = 0;
      size = 0;
    }
  }
}
