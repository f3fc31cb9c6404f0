package io.github.jpeer.dtls;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.tls.DatagramTransport;

/**
 * The {@link DatagramTransport} BouncyCastle reads and writes: datagrams the caller fed in wait in
 * an inbound queue, datagrams BouncyCastle writes wait in an outbound queue the caller drains.
 *
 * <p>It has two modes. While the handshake thread owns it, {@link #receive} blocks on the inbound
 * queue for BouncyCastle's {@code waitMillis} (never spinning). Once the handshake is handed to the
 * caller's thread, {@link #receive} never blocks: with nothing queued it throws {@link
 * #WOULD_BLOCK}, an {@link InterruptedIOException} that BouncyCastle's {@code DTLSTransport} passes
 * through without failing the connection, which ends the caller's drain loop at once.
 */
final class QueueDatagramTransport implements DatagramTransport {
  /** Inbound datagrams beyond this many are dropped (a flood during the handshake). */
  static final int INBOUND_CAPACITY = 256;

  /**
   * The largest datagram accepted: a full 2^14-byte record plus AEAD/CBC expansion and header. An
   * implementation that ignores our MTU (OpenSSL on loopback) may send records this large.
   */
  static final int RECEIVE_LIMIT_BYTES = 16_384 + 2_048 + 13;

  private final LinkedBlockingQueue<byte[]> inbound = new LinkedBlockingQueue<>(INBOUND_CAPACITY);
  private final ConcurrentLinkedQueue<byte[]> outbound = new ConcurrentLinkedQueue<>();
  private final int sendLimitBytes;
  private final Runnable wakeup;
  private final WouldBlock wouldBlock = new WouldBlock();

  /** Records the handshake thread wrote and has not flushed yet; that thread only. */
  private final java.util.List<byte[]> pendingFlight = new java.util.ArrayList<>();

  private volatile boolean nonBlocking;
  private volatile boolean shutdown;
  private volatile boolean closedByProtocol;

  /** The handshake thread's datagrams from its last ChangeCipherSpec on: its final flight. */
  private volatile java.util.List<byte[]> finalFlight = java.util.List.of();

  QueueDatagramTransport(int sendLimitBytes, Runnable wakeup) {
    this.sendLimitBytes = sendLimitBytes;
    this.wakeup = wakeup;
  }

  /** Queues a datagram the caller received; false if the queue is full (the datagram is lost). */
  boolean offerInbound(byte[] datagram) {
    return inbound.offer(datagram);
  }

  /** The next datagram BouncyCastle wrote, or null. */
  byte[] pollOutbound() {
    return outbound.poll();
  }

  /** From now on {@link #receive} never blocks (called on the caller's thread after handoff). */
  void switchToNonBlocking() {
    nonBlocking = true;
  }

  /** Makes the handshake thread's blocking receive fail, so that the handshake ends. */
  void shutdown() {
    shutdown = true;
  }

  /** True once BouncyCastle closed us: after close_notify either way, or a failure. */
  boolean closedByProtocol() {
    return closedByProtocol;
  }

  /**
   * {@link #RECEIVE_LIMIT_BYTES} while handshaking; afterwards the size of the next queued datagram
   * (at least a record header), because BouncyCastle's record layer allocates a buffer of this size
   * on every receive call: 18 KiB per record turned a flood of forged records into a flood of
   * garbage for the collector.
   */
  @Override
  public int getReceiveLimit() {
    if (!nonBlocking) {
      return RECEIVE_LIMIT_BYTES;
    }
    byte[] next = inbound.peek();
    return next == null
        ? DtlsRecords.HEADER_BYTES
        : Math.max(DtlsRecords.HEADER_BYTES, next.length);
  }

  @Override
  public int getSendLimit() {
    return sendLimitBytes;
  }

  @Override
  public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
    byte[] datagram;
    if (nonBlocking) {
      datagram = inbound.poll();
      if (datagram == null) {
        throw wouldBlock;
      }
    } else {
      flushFlight(); // BouncyCastle waits for the peer now: what it wrote is a whole flight
      if (shutdown) {
        throw new IOException("DTLS endpoint closed or timed out");
      }
      try {
        // BouncyCastle passes at least 1 ms while handshaking; 0 would mean "no limit".
        datagram =
            waitMillis > 0 ? inbound.poll(waitMillis, TimeUnit.MILLISECONDS) : inbound.take();
      } catch (InterruptedException e) {
        // The endpoint interrupts us to stop the handshake: end it, keep the flag for the runner.
        Thread.currentThread().interrupt();
        throw new IOException("DTLS handshake stopped", e);
      }
      if (datagram == null) {
        return -1;
      }
    }
    if (datagram.length > len) {
      // Bigger than BouncyCastle's buffer: cannot be a record it would accept.
      return -1;
    }
    System.arraycopy(datagram, 0, buf, off, datagram.length);
    return datagram.length;
  }

  @Override
  public void send(byte[] buf, int off, int len) {
    byte[] copy = new byte[len];
    System.arraycopy(buf, off, copy, 0, len);
    if (!nonBlocking) {
      // The handshake thread: the record joins the flight being written (see flushFlight).
      captureFinalFlight(copy);
      pendingFlight.add(copy);
      return;
    }
    outbound.add(copy);
    wake();
  }

  /**
   * Hands the records the handshake thread wrote since its last flush to the caller, packed:
   * consecutive records of one epoch share a datagram as long as it stays within the send limit.
   * BouncyCastle writes one record per datagram, which would make a five-message flight five
   * chances to be lost. Called by the handshake thread when it is about to wait for the peer (its
   * flight is complete) and when the handshake ends; the caller is woken once per flight.
   */
  void flushFlight() {
    if (pendingFlight.isEmpty()) {
      return;
    }
    byte[] out = null;
    for (byte[] record : pendingFlight) {
      if (out != null
          && DtlsRecords.epoch(out, 0) == DtlsRecords.epoch(record, 0)
          && out.length + record.length <= sendLimitBytes) {
        byte[] joined = java.util.Arrays.copyOf(out, out.length + record.length);
        System.arraycopy(record, 0, joined, out.length, record.length);
        out = joined;
      } else {
        if (out != null) {
          outbound.add(out);
        }
        out = record;
      }
    }
    outbound.add(out);
    pendingFlight.clear();
    wake();
  }

  private void wake() {
    try {
      wakeup.run();
    } catch (RuntimeException e) {
      // A faulty wakeup hook must not break the handshake; the caller polls anyway.
    }
  }

  /** Copies of the handshake's final flight (ChangeCipherSpec and Finished), for resending. */
  java.util.List<byte[]> finalFlight() {
    return finalFlight;
  }

  private void captureFinalFlight(byte[] datagram) {
    // Only the handshake thread writes while blocking; a datagram with a ChangeCipherSpec
    // record (content type 20) starts a flight and everything after it belongs to that flight.
    boolean startsFlight = false;
    for (int pos = 0;
        DtlsRecords.hasHeader(pos, datagram.length);
        pos = DtlsRecords.end(datagram, pos)) {
      if (DtlsRecords.type(datagram, pos) == DtlsRecords.CHANGE_CIPHER_SPEC) {
        startsFlight = true;
      }
    }
    java.util.List<byte[]> flight =
        startsFlight ? new java.util.ArrayList<>() : new java.util.ArrayList<>(finalFlight);
    if (startsFlight || !flight.isEmpty()) {
      flight.add(datagram.clone());
      finalFlight = java.util.List.copyOf(flight);
    }
  }

  @Override
  public void close() {
    closedByProtocol = true;
  }

  /**
   * "Nothing queued" on the caller's thread: an InterruptedIOException so that BouncyCastle's
   * DTLSTransport rethrows it without failing the connection; one preallocated instance without a
   * stack trace, since it is thrown once per drained datagram.
   */
  static final class WouldBlock extends InterruptedIOException {
    private static final long serialVersionUID = 1L;

    WouldBlock() {
      super("no datagram queued");
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
      return this;
    }
  }
}
