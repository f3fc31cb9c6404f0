package io.github.jpeer.sctp;

import io.github.jpeer.sctp.DataChannels.Channel;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
 * Each deviation is documented at its method in {@link RetransmissionQueue}.
 *
 * <p>This class is the association itself (RFC 9260 sections 5, 8 and 9: the handshake,
 * verification tags, heartbeats, SHUTDOWN and ABORT), the chunk dispatch, when to SACK, and the
 * glue of stream reset (RFC 6525) and FORWARD TSN (RFC 3758). The rest is delegated: {@link
 * DataChannels} (the channel table, DCEP, PPIDs, bufferedAmount), {@link ReassemblyQueue} (what
 * arrived, reassembly, delivery order), {@link RetransmissionQueue} with {@link CongestionControl}
 * (what is in flight and what may be sent) and {@link RetransmissionTimeout} (the RTO).
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

  // sending
  private final RetransmissionTimeout rto;
  private final RetransmissionQueue sendQueue;
  // consecutive retransmission timeouts and unanswered probes (RFC 9260 8.1)
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
    this.rto = new RetransmissionTimeout(config);
    this.sendQueue = new RetransmissionQueue(config, localInitialTsn, rto, channels);
    this.t1RtoNanos = rto.rtoNanos();
    this.packetBuffer = new byte[config.mtu()];
    this.reconfigRequestSeq = localInitialTsn;
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
    return sendQueue.hasUnsent();
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
    long t = Math.min(t1Deadline, sendQueue.deadlineNanos());
    t = Math.min(t, sackDeadline);
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
        unexpectedChunks
            + reassembly.beyondGapRange()
            + channels.unexpectedDcep()
            + sendQueue.invalidSacks(),
        unknownChunks,
        reassembly.dataChunksReceived(),
        reassembly.duplicateDataChunks(),
        sendQueue.dataChunksSent(),
        sendQueue.retransmissions(),
        sendQueue.fastRetransmits(),
        sendQueue.t3Expirations(),
        sendQueue.tailLossProbes(),
        sendQueue.spuriousRetransmits(),
        sendQueue.abandonedMessages(),
        messagesSent,
        channels.messagesReceived(),
        reassembly.droppedMessages() + channels.droppedMessages(),
        heartbeatsSent,
        heartbeatAcksReceived,
        sendQueue.t3TimeoutMillis(),
        rto.srttNanos() / MILLIS,
        sendQueue.cwnd(),
        sendQueue.peerRwnd());
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
    if (!ended && sendQueue.t3DeadlineNanos() <= nowNanos) {
      onT3Expired();
    }
    if (!ended) {
      sendQueue.handleLossTimers(nowNanos);
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
    if (!sendQueue.expireT3()) {
      return;
    }
    if (++errorCount > config.maxAssociationRetransmits()) {
      fail("peer unreachable: " + errorCount + " consecutive retransmission timeouts");
      return;
    }
    sendQueue.retransmitAllAfterT3(nowNanos);
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
    if (!sendQueue.hasOutstanding()) {
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
    sendQueue.start(aRwnd, forwardTsn);
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
    sendQueue.onEstablished();
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
    if (sendQueue.onSack(nowNanos, s)) {
      onCumulativeAckMoved();
    }
  }

  /** The peer acknowledged new data: the path works, and a shutdown may go on. */
  private void onCumulativeAckMoved() {
    errorCount = 0;
    checkShutdownProgress();
  }

  // ---------------------------------------------------------------- shutdown

  private void onShutdown(ShutdownChunk s) {
    if (!isUp()) {
      unexpectedChunks++;
      return;
    }
    if (sendQueue.onCumulativeAck(nowNanos, s.cumulativeTsnAck())) {
      onCumulativeAckMoved();
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
    if (!sendQueue.isDrained()) {
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
    sackDeadline = NONE;
    heartbeatDeadline = NONE;
    reconfigDeadline = NONE;
    control.clear();
    sendQueue.clear();
    reassembly.clear();
    sackNeeded = false;
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
            sendQueue.lastAssignedTsn(),
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

  /** The {@link DataChannels.Outbox}: queues a message at the time of the current call. */
  private void enqueueMessage(
      Channel ch, int ppid, byte[] payload, boolean unordered, int userBytes, boolean counted) {
    sendQueue.enqueue(nowNanos, ch, ppid, payload, unordered, userBytes, counted);
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
    boolean dataWaiting = dataAllowed && sendQueue.hasDataWaiting();
    if (isUp() && (sackNeeded || (sackDeadline != NONE && dataWaiting))) {
      SelectiveAckChunk sack = buildSack(limit - p);
      if (p + sack.paddedLength() <= limit) {
        p += sack.writeTo(b, p);
      } else {
        sackNeeded = true;
      }
    }
    if (isUp() && sendQueue.forwardTsnDue() && limit - p >= 12) {
      p += sendQueue.buildForwardTsn(nowNanos, limit - p).writeTo(b, p);
    }
    if (dataAllowed) {
      p = sendQueue.writeData(nowNanos, b, p, limit);
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

  private void queueRaw(int vtag, Chunk chunk) {
    byte[] out =
        new SctpPacket(config.localPort(), config.remotePort(), vtag, List.of(chunk)).encode();
    rawOut.add(out);
  }

  private void countSent(int len) {
    packetsSent++;
    bytesSent += len;
  }
}
