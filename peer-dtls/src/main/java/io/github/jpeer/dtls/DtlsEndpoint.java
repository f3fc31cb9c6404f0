package io.github.jpeer.dtls;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsFatalAlertReceived;

/**
 * One DTLS 1.2 association with use_srtp (RFC 6347, RFC 5764, RFC 5763), on BouncyCastle, with
 * jpeer's sans-IO face: datagrams in with {@link #handleReceive}, datagrams out with {@link
 * #pollTransmit}, results through {@link #pollEvent}, timers through {@link #pollTimeoutNanos} and
 * {@link #handleTimeout}.
 *
 * <h2>Threads and clocks</h2>
 *
 * BouncyCastle's handshake API blocks, so {@link #start} runs it on one daemon thread named {@code
 * jpeer-dtls-handshake-N} that reads the datagrams {@link #handleReceive} queues and writes
 * datagrams into a queue that {@link #pollTransmit} drains; neither call ever blocks the caller.
 * The thread ends when the handshake completes, fails, times out or the endpoint is closed. Because
 * the thread produces output on its own schedule, a driver polls {@link #pollTransmit} on every
 * loop iteration or installs {@link DtlsConfig#wakeup()}.
 *
 * <p><b>BouncyCastle's retransmission timers read wall-clock time</b> ({@code
 * System.currentTimeMillis}), not the {@code nowNanos} given here; only the overall handshake
 * timeout ({@link DtlsConfig#handshakeTimeoutNanos()}) runs on the caller's clock. A lossy
 * handshake therefore takes real time. As a backstop, BouncyCastle's own wall-clock handshake
 * timeout is twice the configured one, so an abandoned endpoint's thread still ends.
 *
 * <p>After the handshake, records are decrypted and encrypted on the caller's thread: {@link
 * #handleReceive} queues the datagram and calls BouncyCastle's {@code DTLSTransport.receive} with a
 * 1 ms wait; the transport answers from the queue, and with nothing left it throws an internal
 * "would block" signal at once, so the call never waits.
 *
 * <h2>Trust</h2>
 *
 * The remote certificate must match one of the fingerprints from the remote SDP; otherwise the
 * handshake fails with a bad_certificate alert and a {@link DtlsEvent.Failed} naming the expected
 * and received fingerprints, and no keys are exported. The fingerprint is the only trust anchor:
 * the certificate's validity window is deliberately ignored, so an expired self-signed certificate
 * is accepted when its fingerprint matches (browsers do the same).
 *
 * <h2>Demultiplexing</h2>
 *
 * Only datagrams whose first byte is 20..63 are DTLS (RFC 7983 section 7); others, and datagrams
 * that are not a sequence of well-formed DTLS record headers, are counted and dropped.
 *
 * <h2>Deviations from plain BouncyCastle</h2>
 *
 * Four behaviours of BouncyCastle 1.84 are corrected here, each pinned by a regression test:
 *
 * <ul>
 *   <li>An encrypted record shorter than its AEAD nonce plus tag made BouncyCastle fail the
 *       association (decode_error); such records are now discarded like any record that fails
 *       authentication (RFC 6347 section 4.1.2.7).
 *   <li>As server, a client ChangeCipherSpec that overtakes any part of the CertificateVerify
 *       (lost, reordered, or just split into small records by a client with a small MTU) switched
 *       BouncyCastle to the new epoch for good and stalled the handshake; an epoch-1 record that
 *       overtakes the ChangeCipherSpec was lost. Such records are held back and handed on once
 *       usable ({@link HandshakeRecordGate}, which tracks the reassembled CertificateVerify).
 *   <li>As server after the handshake, an authenticated retransmitted client Finished is answered
 *       with our final flight at once, instead of only once the client's whole final flight has
 *       arrived again.
 *   <li>After the handshake, each AES-GCM record's tag is checked before BouncyCastle sees it, so a
 *       flood of forged records costs a GHASH each and allocates nothing (BouncyCastle copies,
 *       decrypts and throws an exception per forgery); see {@link #forgedRecords()}.
 * </ul>
 *
 * <p>Two more additions: during the handshake, each flight leaves packed, consecutive records of
 * one epoch sharing a datagram up to {@link DtlsConfig#maxDatagramBytes()} (BouncyCastle writes one
 * record per datagram, so a flight of five messages would otherwise be five chances to lose it; the
 * handshake thread wakes the driver once per flight); and a server whose handshake completed
 * watches for proof that the client finished too (see {@link #confirmRemoteFinished()}), failing
 * with {@link DtlsFailure#REMOTE_NEVER_FINISHED} instead of sending into the void when the client
 * gave up after losing our final flight.
 *
 * <p>Not thread-safe: one thread (the one driving the connection) calls every method.
 */
public final class DtlsEndpoint {
  private final Logger log;
  private static final AtomicInteger THREAD_NUMBER = new AtomicInteger();
  private static final int RECORD_HEADER_BYTES = DtlsRecords.HEADER_BYTES;

  /** The smallest first retransmission timeout derived from a round-trip time (libwebrtc: 50). */
  static final int MIN_RETRANSMIT_MILLIS = 50;

  /** How long a failing handshake thread may take to queue its alert before we stop waiting. */
  private static final long ALERT_JOIN_MILLIS = 50;

  /** Where an endpoint is in its life. */
  public enum State {
    /** Created; {@link #start} not called yet (datagrams received now are kept). */
    NEW,
    /** The handshake thread is running. */
    HANDSHAKING,
    /** Handshake done; application data flows. */
    CONNECTED,
    /** Ended with close_notify (either side) or {@link #close()}. */
    CLOSED,
    /** Ended by an error (see the {@link DtlsEvent.Failed} event). */
    FAILED
  }

  private final DtlsConfig config;
  private final HandshakeSession session;
  private final QueueDatagramTransport transport;
  private final AtomicReference<Outcome> outcome = new AtomicReference<>();
  private final ArrayDeque<DtlsEvent> events = new ArrayDeque<>();
  private final RecordCounter recordCounter = new RecordCounter();
  private final HandshakeRecordGate gate;
  private State state = State.NEW;
  private Thread handshakeThread;
  private DTLSTransport dtls;
  private byte[] receiveBuffer;
  private long deadlineNanos = Long.MAX_VALUE;
  private long malformedDatagrams;
  private long rejectedRecords;
  private long forgedRecords;
  private RecordScreen screen;
  private long lateHandshakeRecords;
  // Length of the peer's encrypted Finished record (epoch 1, type 22) seen during the handshake.
  private int peerFinishedRecordLength = -1;
  private long overflowDatagrams;
  // True once the remote proved it finished the handshake (always for a client, which finishes
  // last): authenticated data from it, or confirmRemoteFinished().
  private boolean remoteFinished;
  private int totalAccepted;
  private DtlsFailure failure;
  private String failureReason;

  /** An endpoint for one connection; call {@link #start} when ICE has a working pair. */
  public DtlsEndpoint(DtlsConfig config) {
    if (config == null) {
      throw new IllegalArgumentException("config must not be null");
    }
    this.config = config;
    this.log = config.logger();
    this.session = new HandshakeSession(config);
    this.transport = new QueueDatagramTransport(config.maxDatagramBytes(), config.wakeup());
    this.gate = new HandshakeRecordGate(config.role() == DtlsRole.SERVER);
  }

  /**
   * Starts the handshake with {@link DtlsConfig#initialRetransmitMillis()} as the first
   * retransmission timeout: a client sends its ClientHello, a server waits for one (datagrams
   * received before {@code start} are processed then).
   *
   * @throws IllegalStateException if already started or closed
   */
  public void start(long nowNanos) {
    start(nowNanos, -1);
  }

  /**
   * Starts the handshake with a first retransmission timeout of twice the path's round-trip time
   * (as ICE measured it), at least {@value #MIN_RETRANSMIT_MILLIS} ms and at most {@link
   * DtlsConfig#initialRetransmitMillis()}; RFC 6347 section 4.2.4.1 lets an implementation use a
   * timer better suited to the path than its 1 s default. Each retransmission doubles it.
   *
   * @param roundTripNanos the measured round-trip time, or a negative value if none is known
   * @throws IllegalStateException if already started or closed
   */
  public void start(long nowNanos, long roundTripNanos) {
    if (state != State.NEW) {
      throw new IllegalStateException("start() may be called once, on a new endpoint; is " + state);
    }
    session.setInitialRetransmitMillis(
        initialRetransmitMillis(roundTripNanos, config.initialRetransmitMillis()));
    long timeout = config.handshakeTimeoutNanos();
    deadlineNanos = nowNanos + timeout < nowNanos ? Long.MAX_VALUE : nowNanos + timeout;
    state = State.HANDSHAKING;
    Thread thread =
        new Thread(this::runHandshake, "jpeer-dtls-handshake-" + THREAD_NUMBER.incrementAndGet());
    thread.setDaemon(true);
    handshakeThread = thread;
    thread.start();
  }

  /** The first retransmission timeout for a round-trip time (negative: unknown). */
  static int initialRetransmitMillis(long roundTripNanos, int configuredMillis) {
    if (roundTripNanos < 0) {
      return configuredMillis;
    }
    long twiceRttMillis = Math.min(Integer.MAX_VALUE, roundTripNanos / 500_000L);
    return (int) Math.min(configuredMillis, Math.max(MIN_RETRANSMIT_MILLIS, twiceRttMillis));
  }

  /**
   * Feeds one received datagram. Never throws for its content and never blocks; bad datagrams are
   * counted ({@link #malformedDatagrams()}, {@link #rejectedRecords()}) and dropped. The bytes are
   * copied.
   *
   * @throws IllegalArgumentException if {@code data}/{@code off}/{@code len} do not describe a
   *     range of the array (API misuse, not network input)
   */
  public void handleReceive(long nowNanos, byte[] data, int off, int len) {
    if (data == null || off < 0 || len < 0 || off > data.length - len) {
      throw new IllegalArgumentException(
          "data[off, off+len) must lie within the array; got off="
              + off
              + " len="
              + len
              + " length="
              + (data == null ? "null" : data.length));
    }
    sync();
    int records = countRecords(data, off, len);
    if (records < 0 || len > QueueDatagramTransport.RECEIVE_LIMIT_BYTES) {
      malformedDatagrams++;
      log.log(Level.DEBUG, "dropped a malformed DTLS datagram of {0} bytes", len);
      return;
    }
    if (state == State.CLOSED || state == State.FAILED) {
      return;
    }
    byte[] copy;
    if (state == State.CONNECTED && screen != null) {
      copy = screened(data, off, len, records);
      if (copy == null) {
        return; // every record forged: counted, dropped, nothing allocated
      }
      if (copy.length != len) {
        records = countRecords(copy, 0, copy.length);
      }
    } else {
      copy = new byte[len];
      System.arraycopy(data, off, copy, 0, len);
    }
    if (state != State.CONNECTED) {
      notePeerFinished(copy);
      copy = gate.filter(copy);
      if (copy == null) {
        return; // every record held back until it can be used
      }
    }
    if (!offerRecords(copy)) {
      overflowDatagrams++;
      return;
    }
    if (state == State.CONNECTED) {
      boolean peerRetransmitting = !remoteFinished && hasEpoch1Handshake(copy);
      int acceptedBefore = totalAccepted;
      drainConnected(records, lateHandshakeRecords(copy));
      if (peerRetransmitting && totalAccepted > acceptedBefore && state == State.CONNECTED) {
        resendFinalFlight();
      }
    }
  }

  /**
   * A copy of the datagram without its forged records (counted in {@link #forgedRecords()}), or
   * null if none was left. A datagram whose every record is forged allocates nothing.
   */
  private byte[] screened(byte[] data, int off, int len, int records) {
    int end = off + len;
    int forged = 0;
    int keptBytes = 0;
    for (int pos = off; DtlsRecords.hasHeader(pos, end); pos = DtlsRecords.end(data, pos)) {
      if (screen.mayBeGenuine(data, pos)) {
        keptBytes += DtlsRecords.end(data, pos) - pos;
      } else {
        forged++;
      }
    }
    forgedRecords += forged;
    if (forged == records) {
      return null;
    }
    byte[] copy = new byte[keptBytes];
    if (forged == 0) {
      System.arraycopy(data, off, copy, 0, len);
      return copy;
    }
    int at = 0;
    for (int pos = off; DtlsRecords.hasHeader(pos, end); pos = DtlsRecords.end(data, pos)) {
      int recordEnd = DtlsRecords.end(data, pos);
      if (screen.mayBeGenuine(data, pos)) {
        System.arraycopy(data, pos, copy, at, recordEnd - pos);
        at += recordEnd - pos;
      }
    }
    return copy;
  }

  /**
   * Queues the datagram's records for BouncyCastle one record per datagram: its record layer drops
   * the rest of a datagram whose first record is of an epoch it no longer reads, so a peer's [last
   * epoch-0 fragment, ChangeCipherSpec, Finished] sent again after we switched epochs would lose
   * the Finished every time. False if the queue was full (the rest is lost).
   */
  private boolean offerRecords(byte[] datagram) {
    int first = DtlsRecords.end(datagram, 0);
    if (first == datagram.length) {
      return transport.offerInbound(datagram);
    }
    for (int pos = 0;
        DtlsRecords.hasHeader(pos, datagram.length);
        pos = DtlsRecords.end(datagram, pos)) {
      if (!transport.offerInbound(
          java.util.Arrays.copyOfRange(datagram, pos, DtlsRecords.end(datagram, pos)))) {
        return false;
      }
    }
    return true;
  }

  /**
   * The client retransmitted its Finished (an authenticated epoch-1 handshake record after our
   * handshake ended), so it never got our ChangeCipherSpec and Finished: send them again.
   *
   * <p>RFC 6347 section 4.2.4 asks the last flight's sender to answer a retransmission of the
   * peer's last flight. BouncyCastle does, but only once it has received that whole flight again
   * (four or five datagrams), which under loss can take several exponentially backed-off rounds;
   * answering the authenticated Finished alone recovers in one round.
   */
  private void resendFinalFlight() {
    for (byte[] datagram : transport.finalFlight()) {
      transport.send(datagram, 0, datagram.length);
    }
  }

  /**
   * Records in a well-framed datagram that look like the peer's handshake flight sent again:
   * epoch-0 handshake (22) or change_cipher_spec (20) records, and epoch-1 handshake records as
   * long as the peer's Finished was (a retransmitted Finished; it cannot be read, so a forgery of
   * that exact length would count here too, dropped all the same).
   */
  private int lateHandshakeRecords(byte[] datagram) {
    int count = 0;
    for (int pos = 0;
        DtlsRecords.hasHeader(pos, datagram.length);
        pos = DtlsRecords.end(datagram, pos)) {
      int type = DtlsRecords.type(datagram, pos);
      int epoch = DtlsRecords.epoch(datagram, pos);
      if ((type == DtlsRecords.HANDSHAKE || type == DtlsRecords.CHANGE_CIPHER_SPEC) && epoch == 0
          || type == DtlsRecords.HANDSHAKE
              && epoch == 1
              && DtlsRecords.length(datagram, pos) == peerFinishedRecordLength) {
        count++;
      }
    }
    return count;
  }

  private void notePeerFinished(byte[] datagram) {
    for (int pos = 0;
        DtlsRecords.hasHeader(pos, datagram.length);
        pos = DtlsRecords.end(datagram, pos)) {
      if (DtlsRecords.type(datagram, pos) == DtlsRecords.HANDSHAKE
          && DtlsRecords.epoch(datagram, pos) == 1) {
        peerFinishedRecordLength = DtlsRecords.length(datagram, pos);
      }
    }
  }

  private static boolean hasEpoch1Handshake(byte[] datagram) {
    for (int pos = 0;
        DtlsRecords.hasHeader(pos, datagram.length);
        pos = DtlsRecords.end(datagram, pos)) {
      if (DtlsRecords.type(datagram, pos) == DtlsRecords.HANDSHAKE
          && DtlsRecords.epoch(datagram, pos) == 1) {
        return true;
      }
    }
    return false;
  }

  /**
   * Runs timers: fails the handshake if it is not done by {@code start + handshakeTimeout}, and a
   * server whose remote never showed it finished by then (see {@link #confirmRemoteFinished()}).
   * Never throws for network reasons.
   *
   * <p>When the handshake times out, the handshake thread is stopped and given up to {@value
   * #ALERT_JOIN_MILLIS} ms to queue the fatal alert that tells the remote we gave up, so that
   * {@link #pollTransmit()} has it at once; this is the one wait on the caller's thread, once per
   * failed handshake.
   */
  public void handleTimeout(long nowNanos) {
    sync();
    if (nowNanos < deadlineNanos) {
      return;
    }
    if (state == State.HANDSHAKING) {
      fail(
          DtlsFailure.HANDSHAKE_TIMEOUT,
          "DTLS handshake timed out after " + config.handshakeTimeoutNanos() / 1_000_000 + " ms");
      joinHandshakeThread();
    } else if (state == State.CONNECTED && !remoteFinished) {
      try {
        dtls.close(); // close_notify: the remote has probably given up, but may not have
      } catch (IOException | RuntimeException e) {
        log.log(Level.DEBUG, "error while sending close_notify: {0}", describe(e));
      }
      fail(
          DtlsFailure.REMOTE_NEVER_FINISHED,
          "DTLS handshake completed here, but the remote never showed it finished within "
              + config.handshakeTimeoutNanos() / 1_000_000
              + " ms (no authenticated record or packet from it): our final flight was lost");
    }
  }

  /**
   * Tells a server endpoint that the remote finished the handshake: a packet from it was
   * authenticated with keys exported from this handshake (SRTP or SRTCP), which it can only have
   * once it received our Finished. Authenticated DTLS records count by themselves. Without such
   * proof by {@code start + handshakeTimeout}, {@link #handleTimeout} fails the endpoint with
   * {@link DtlsFailure#REMOTE_NEVER_FINISHED}. Cheap; call it for every such packet if convenient.
   */
  public void confirmRemoteFinished() {
    remoteFinished = true;
  }

  /**
   * The next datagram to send, or {@code null}. During the handshake, datagrams appear on the
   * handshake thread's schedule (see the class comment), so poll on every loop iteration.
   */
  public byte[] pollTransmit() {
    sync();
    return transport.pollOutbound();
  }

  /** The next event, or {@code null}. */
  public DtlsEvent pollEvent() {
    sync();
    return events.poll();
  }

  /**
   * When {@link #handleTimeout} must be called next: the handshake deadline while handshaking or
   * while a server waits for proof that the remote finished, otherwise {@link Long#MAX_VALUE} (a
   * connected DTLS 1.2 association has no timers of its own: retransmissions of the final flight
   * answer the peer's retransmissions).
   */
  public long pollTimeoutNanos() {
    sync();
    return state == State.HANDSHAKING || state == State.CONNECTED && !remoteFinished
        ? deadlineNanos
        : Long.MAX_VALUE;
  }

  /**
   * Encrypts {@code data[off, off+len)} as one application_data record and queues it for {@link
   * #pollTransmit}.
   *
   * @throws IllegalStateException if the endpoint is not {@link State#CONNECTED}
   * @throws IllegalArgumentException if the range is bad or longer than {@link
   *     #maxApplicationDataBytes()}
   */
  public void sendApplicationData(byte[] data, int off, int len) {
    sync();
    if (state != State.CONNECTED) {
      throw new IllegalStateException(
          "application data can be sent only when CONNECTED (wait for HandshakeComplete); is "
              + state);
    }
    if (data == null || off < 0 || len < 0 || off > data.length - len) {
      throw new IllegalArgumentException("data[off, off+len) must lie within the array");
    }
    int limit = maxApplicationDataBytes();
    if (len > limit) {
      throw new IllegalArgumentException(
          "application data of " + len + " bytes exceeds the record limit of " + limit);
    }
    if (len == 0) {
      return;
    }
    try {
      dtls.send(data, off, len);
    } catch (IOException | RuntimeException e) {
      fail(DtlsFailure.OTHER, "DTLS send failed: " + describe(e));
    }
  }

  /**
   * The largest application data one record carries with the configured datagram size, or 0 if not
   * connected.
   */
  public int maxApplicationDataBytes() {
    if (state != State.CONNECTED) {
      return 0;
    }
    try {
      return dtls.getSendLimit();
    } catch (IOException e) {
      return 0;
    }
  }

  /**
   * Closes the association: sends close_notify if connected, stops the handshake thread if still
   * handshaking, reports {@link DtlsEvent.Closed} with {@code byRemote = false}. The close_notify
   * record is left for {@link #pollTransmit}. Idempotent.
   */
  public void close() {
    sync();
    switch (state) {
      case CONNECTED -> {
        try {
          dtls.close();
        } catch (IOException | RuntimeException e) {
          log.log(Level.DEBUG, "error while sending close_notify: {0}", describe(e));
        }
        finish(State.CLOSED, new DtlsEvent.Closed(false));
      }
      case NEW, HANDSHAKING -> {
        stopHandshakeThread();
        finish(State.CLOSED, new DtlsEvent.Closed(false));
      }
      default -> {
        // Already ended: nothing to do.
      }
    }
  }

  /** Where the endpoint is in its life. */
  public State state() {
    sync();
    return state;
  }

  /** Our role. */
  public DtlsRole role() {
    return config.role();
  }

  /**
   * Datagrams dropped because they are not a sequence of well-formed DTLS record headers. The
   * caller demultiplexes (RFC 7983, peer-stun's {@code PacketDemux}); anything else that reaches
   * this endpoint, RTP or STUN included, is counted here.
   */
  public long malformedDatagrams() {
    return malformedDatagrams;
  }

  /**
   * Records BouncyCastle dropped after the handshake: replays, and with a ChaCha20-Poly1305 suite
   * those that failed authentication (AES-GCM forgeries are caught before, in {@link
   * #forgedRecords()}); handshake records are counted in {@link #lateHandshakeRecords()} instead.
   */
  public long rejectedRecords() {
    return rejectedRecords;
  }

  /**
   * Records dropped after the handshake, before BouncyCastle, because their AES-GCM tag is wrong
   * (forged or corrupted) or their epoch cannot exist; checked without allocating (see {@code
   * RecordScreen}). With a ChaCha20-Poly1305 suite such records count in {@link #rejectedRecords()}
   * instead.
   */
  public long forgedRecords() {
    return forgedRecords;
  }

  /**
   * Handshake and ChangeCipherSpec records (and encrypted ones the length of the peer's Finished)
   * that arrived after the handshake and were dropped: the peer's retransmitted flight, usually
   * because its timer fired before our last flight arrived. Harmless; counted apart from {@link
   * #rejectedRecords()}.
   */
  public long lateHandshakeRecords() {
    return lateHandshakeRecords;
  }

  /**
   * Records held back during the handshake until BouncyCastle could use them (a ChangeCipherSpec
   * before the whole CertificateVerify, an epoch-1 record before the ChangeCipherSpec); see {@link
   * HandshakeRecordGate}. Not a drop: a sign of reordering or of a peer that fragments.
   */
  public long heldBackRecords() {
    return gate.heldRecords();
  }

  /** Why the endpoint failed, or null if it has not. */
  public DtlsFailure failure() {
    return failure;
  }

  /** The human-readable reason of the failure, or null if it has not failed. */
  public String failureReason() {
    return failureReason;
  }

  /** Datagrams dropped because more than 256 were waiting for the handshake thread. */
  public long overflowDatagrams() {
    return overflowDatagrams;
  }

  /**
   * Counts the DTLS 1.0/1.2 records in a datagram, or -1 if it is not a clean sequence of them.
   *
   * <pre>
   * struct {                          (RFC 6347 section 4.1)
   *   ContentType type;               1 byte: 20..24
   *   ProtocolVersion version;        2 bytes: 254.255 (DTLS 1.0) or 254.253 (DTLS 1.2)
   *   uint16 epoch;                   2 bytes
   *   uint48 sequence_number;         6 bytes
   *   uint16 length;                  2 bytes
   *   opaque fragment[length];
   * } DTLSPlaintext;
   * </pre>
   */
  static int countRecords(byte[] data, int off, int len) {
    int pos = off;
    int end = off + len;
    int records = 0;
    while (pos < end) {
      if (end - pos < RECORD_HEADER_BYTES) {
        return -1;
      }
      int type = data[pos] & 0xFF;
      int major = data[pos + 1] & 0xFF;
      int minor = data[pos + 2] & 0xFF;
      // Connection ids (type 25) are never negotiated here, so their records cannot be ours.
      if (type < 20 || type > 24 || major != 254 || (minor != 255 && minor != 253)) {
        return -1;
      }
      pos = DtlsRecords.end(data, pos);
      records++;
    }
    return pos == end ? records : -1;
  }

  /** BouncyCastle's own wall-clock handshake timeout: a backstop at twice ours. */
  static int wallClockBackstopMillis(DtlsConfig config) {
    long millis = config.handshakeTimeoutNanos() / 1_000_000L * 2;
    return (int) Math.min(Integer.MAX_VALUE, Math.max(1, millis));
  }

  private void runHandshake() {
    Outcome result;
    try {
      DTLSTransport established =
          config.role() == DtlsRole.CLIENT
              ? new DTLSClientProtocol().connect(new DtlsClientPeer(session), transport)
              : new DTLSServerProtocol().accept(new DtlsServerPeer(session), transport);
      result = new Outcome(established, null, null);
    } catch (Exception | LinkageError | AssertionError e) {
      String detail = session.failureDetail();
      result =
          detail != null
              ? new Outcome(null, session.failureKind(), detail)
              : new Outcome(null, DtlsFailure.OTHER, "DTLS handshake failed: " + describe(e));
    }
    transport.flushFlight(); // the final flight, or the alert a failure sent
    outcome.set(result);
    try {
      config.wakeup().run();
    } catch (RuntimeException e) {
      // The hook is the caller's; its failure must not hide the outcome, which is already set.
    }
  }

  /** Adopts the handshake thread's outcome on the caller's thread, once. */
  private void sync() {
    // Called several times per wake of every connection: a plain read first, since an atomic
    // exchange is a full fence even when there is nothing to take.
    if (outcome.get() == null) {
      return;
    }
    Outcome done = outcome.getAndSet(null);
    if (done == null) {
      return;
    }
    if (state != State.HANDSHAKING) {
      // Closed or timed out meanwhile: a late success must not leak a live association.
      if (done.transport != null) {
        try {
          done.transport.close();
        } catch (IOException | RuntimeException e) {
          log.log(Level.DEBUG, "error closing a late DTLS association: {0}", describe(e));
        }
      }
      return;
    }
    if (done.transport == null) {
      recordFailure(done.kind, done.failure);
      return;
    }
    dtls = done.transport;
    transport.switchToNonBlocking();
    state = State.CONNECTED;
    screen = session.recordScreen();
    // A client finishes last: the server's Finished reached it. A server waits for proof.
    remoteFinished |= config.role() == DtlsRole.CLIENT;
    // Plaintext is never longer than the largest datagram accepted (the transport's receive limit
    // follows the queue once connected, so it cannot size this buffer).
    receiveBuffer = new byte[QueueDatagramTransport.RECEIVE_LIMIT_BYTES];
    events.add(
        new DtlsEvent.HandshakeComplete(
            session.profile(), session.keys(), session.remoteFingerprint(), session.cipherSuite()));
    // Datagrams that arrived after the handshake thread's last read are still queued.
    drainConnected(0, 0);
  }

  /**
   * Decrypts every queued datagram on the caller's thread. Each call into BouncyCastle consumes one
   * record or ends with the transport's "would block" signal, so the loop ends without waiting.
   */
  private void drainConnected(int expectedRecords, int handshakeRecords) {
    recordCounter.accepted = 0;
    while (state == State.CONNECTED) {
      int received;
      try {
        received = dtls.receive(receiveBuffer, 0, receiveBuffer.length, 1, recordCounter);
      } catch (QueueDatagramTransport.WouldBlock e) {
        break;
      } catch (TlsFatalAlertReceived e) {
        String detail = session.failureDetail();
        fail(
            DtlsFailure.ALERT_RECEIVED,
            detail != null
                ? detail
                : "remote sent fatal alert " + AlertDescription.getText(e.getAlertDescription()));
        return;
      } catch (TlsFatalAlert e) {
        fail(
            DtlsFailure.ALERT_SENT,
            "DTLS error: " + AlertDescription.getText(e.getAlertDescription()));
        return;
      } catch (IOException | RuntimeException e) {
        fail(DtlsFailure.OTHER, "DTLS error: " + describe(e));
        return;
      }
      if (received >= 0) {
        // Authenticated data from the peer proves it finished the handshake.
        remoteFinished = true;
        byte[] plaintext = new byte[received];
        System.arraycopy(receiveBuffer, 0, plaintext, 0, received);
        events.add(new DtlsEvent.ApplicationData(plaintext));
      }
    }
    totalAccepted += recordCounter.accepted;
    if (expectedRecords > recordCounter.accepted) {
      // The peer's flight sent again after the handshake (it answers a retransmission of ours,
      // RFC 6347 4.2.4): dropped, but no sign of an attack.
      int dropped = expectedRecords - recordCounter.accepted;
      int late = Math.min(dropped, handshakeRecords);
      lateHandshakeRecords += late;
      rejectedRecords += dropped - late;
    }
    if (state == State.CONNECTED && transport.closedByProtocol()) {
      // BouncyCastle closes its transport after a close_notify from the remote (and answers it).
      finish(State.CLOSED, new DtlsEvent.Closed(true));
    }
  }

  private void fail(DtlsFailure kind, String reason) {
    stopHandshakeThread();
    recordFailure(kind, reason);
  }

  private void recordFailure(DtlsFailure kind, String reason) {
    if (state == State.CLOSED || state == State.FAILED) {
      return;
    }
    log.log(Level.DEBUG, "DTLS endpoint failed ({0}): {1}", kind, reason);
    failure = kind;
    failureReason = reason;
    finish(State.FAILED, new DtlsEvent.Failed(kind, reason));
  }

  /** Waits, bounded, for a stopped handshake thread to end (it queues its alert on the way). */
  private void joinHandshakeThread() {
    Thread thread = handshakeThread;
    if (thread == null || thread == Thread.currentThread()) {
      return;
    }
    try {
      thread.join(ALERT_JOIN_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void finish(State end, DtlsEvent event) {
    if (state == State.CLOSED || state == State.FAILED) {
      return;
    }
    state = end;
    events.add(event);
  }

  private void stopHandshakeThread() {
    transport.shutdown();
    Thread thread = handshakeThread;
    if (thread != null && thread.isAlive()) {
      // Wakes the thread out of its queue wait; BouncyCastle then aborts the handshake.
      thread.interrupt();
    }
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  /** Counts records BouncyCastle authenticated, to tell how many it silently dropped. */
  private static final class RecordCounter implements org.bouncycastle.tls.DTLSRecordCallback {
    int accepted;

    @Override
    public void recordAccepted(int flags) {
      accepted++;
    }
  }

  private record Outcome(DTLSTransport transport, DtlsFailure kind, String failure) {}
}
