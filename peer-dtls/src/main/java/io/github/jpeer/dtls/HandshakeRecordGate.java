package io.github.jpeer.dtls;

import static io.github.jpeer.dtls.DtlsRecords.CHANGE_CIPHER_SPEC;
import static io.github.jpeer.dtls.DtlsRecords.HANDSHAKE;
import static io.github.jpeer.dtls.DtlsRecords.HANDSHAKE_HEADER_BYTES;
import static io.github.jpeer.dtls.DtlsRecords.HEADER_BYTES;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * During the handshake, hands BouncyCastle the peer's records in the order its record layer can use
 * them, whatever order and fragmentation they arrived in.
 *
 * <p>BouncyCastle 1.84 reassembles fragmented handshake messages itself, but its record layer
 * switches the read epoch at the first ChangeCipherSpec it sees once keys are pending, and drops
 * every record of the other epoch from then on; records of the next epoch that come before the
 * ChangeCipherSpec are dropped too. Two layouts that are legal on the wire therefore stall or slow
 * the handshake:
 *
 * <ul>
 *   <li>As server: a client ChangeCipherSpec that arrives before the whole CertificateVerify
 *       (because a fragment of it was lost or reordered, or because the client's MTU split it over
 *       several records, as OpenSSL does at small MTUs) makes the rest of the CertificateVerify
 *       unreadable for good, and the handshake times out.
 *   <li>Either role: an epoch-1 record (the Finished) that overtakes the ChangeCipherSpec is lost,
 *       which costs a whole retransmission round.
 * </ul>
 *
 * <p>The gate holds such records back, in arrival order, and releases them right after the record
 * that makes them usable: the ChangeCipherSpec once every byte of the CertificateVerify has been
 * passed on (tracked over the reassembled message, at any fragment layout, duplicates and overlaps
 * included), and epoch-1 records once a ChangeCipherSpec has been passed on. A CertificateVerify is
 * always part of the client's final flight, because DTLS-SRTP requires a client certificate (RFC
 * 5763 section 5). At most {@link #MAX_HELD_RECORDS} records are held; the oldest give way (a
 * peer's retransmission brings them again).
 *
 * <p>Not thread-safe: the endpoint's caller thread only.
 */
final class HandshakeRecordGate {
  static final int MAX_HELD_RECORDS = 16;

  /** RFC 5246 section 7.4: HandshakeType certificate_verify. */
  private static final int CERTIFICATE_VERIFY = 15;

  /** A CertificateVerify body larger than this is not tracked (it would be no signature). */
  private static final int MAX_TRACKED_BODY_BYTES = 16_384;

  /**
   * Distinct (message_seq, length) candidates tracked, so a forged fragment cannot mask the real.
   */
  private static final int MAX_CANDIDATES = 4;

  private final boolean server;
  private final List<Candidate> candidates = new ArrayList<>(MAX_CANDIDATES);
  private final ArrayDeque<byte[]> held = new ArrayDeque<>();
  private boolean certificateVerifyComplete;
  private boolean changeCipherSpecPassed;
  private long heldRecords;

  /**
   * @param server true for the DTLS server, which must see the client's CertificateVerify before
   *     its ChangeCipherSpec
   */
  HandshakeRecordGate(boolean server) {
    this.server = server;
  }

  /**
   * The datagram to hand to BouncyCastle now: {@code datagram} itself if nothing is held back or
   * released, otherwise a new one with held records left out and released ones appended; null if
   * nothing is left. {@code datagram} must be a well-framed sequence of records.
   */
  byte[] filter(byte[] datagram) {
    List<byte[]> pass = null;
    int pos = 0;
    while (DtlsRecords.hasHeader(pos, datagram.length)) {
      int end = DtlsRecords.end(datagram, pos);
      int type = DtlsRecords.type(datagram, pos);
      int epoch = DtlsRecords.epoch(datagram, pos);
      if (type == HANDSHAKE && epoch == 0 && server && !certificateVerifyComplete) {
        track(datagram, pos + HEADER_BYTES, end);
      }
      boolean hold = !passable(type, epoch);
      if (hold || pass != null) {
        if (pass == null) {
          pass = new ArrayList<>();
          if (pos > 0) {
            pass.add(java.util.Arrays.copyOfRange(datagram, 0, pos));
          }
        }
        byte[] record = java.util.Arrays.copyOfRange(datagram, pos, end);
        if (hold) {
          hold(record);
        } else {
          pass.add(record);
          notePassed(type);
        }
      } else {
        notePassed(type);
      }
      pos = end;
    }
    if (pass == null && held.isEmpty()) {
      return datagram;
    }
    // Release what the records passed so far made usable, in arrival order.
    List<byte[]> released = release();
    if (pass == null && released.isEmpty()) {
      return datagram;
    }
    if (pass == null) {
      pass = new ArrayList<>();
      pass.add(datagram);
    }
    pass.addAll(released);
    return concat(pass);
  }

  /** How many records were held back so far (each counted once, when first held). */
  long heldRecords() {
    return heldRecords;
  }

  /** How many records are held right now. */
  int heldNow() {
    return held.size();
  }

  /** True once every byte of the client's CertificateVerify has been passed on (server only). */
  boolean certificateVerifyComplete() {
    return certificateVerifyComplete;
  }

  private boolean passable(int type, int epoch) {
    if (type == CHANGE_CIPHER_SPEC) {
      return !server || certificateVerifyComplete;
    }
    return epoch == 0 || changeCipherSpecPassed;
  }

  private void notePassed(int type) {
    if (type == CHANGE_CIPHER_SPEC) {
      changeCipherSpecPassed = true;
    }
  }

  private void hold(byte[] record) {
    if (held.size() == MAX_HELD_RECORDS) {
      held.pollFirst();
    }
    held.addLast(record);
    heldRecords++;
  }

  private List<byte[]> release() {
    List<byte[]> out = new ArrayList<>();
    boolean progress = true;
    while (progress) {
      progress = false;
      for (java.util.Iterator<byte[]> it = held.iterator(); it.hasNext(); ) {
        byte[] record = it.next();
        int type = DtlsRecords.type(record, 0);
        if (passable(type, DtlsRecords.epoch(record, 0))) {
          it.remove();
          out.add(record);
          notePassed(type);
          progress = true;
        }
      }
    }
    return out;
  }

  /** Notes the CertificateVerify fragments in one epoch-0 handshake record body. */
  private void track(byte[] d, int off, int end) {
    while (off + HANDSHAKE_HEADER_BYTES <= end) {
      int type = d[off] & 0xFF;
      int length = DtlsRecords.uint24(d, off + 1);
      int seq = ((d[off + 4] & 0xFF) << 8) | (d[off + 5] & 0xFF);
      int fragmentOffset = DtlsRecords.uint24(d, off + 6);
      int fragmentLength = DtlsRecords.uint24(d, off + 9);
      int next = off + HANDSHAKE_HEADER_BYTES + fragmentLength;
      if (next > end || fragmentOffset + fragmentLength > length) {
        return; // truncated or malformed: BouncyCastle ignores the rest of the record as well
      }
      if (type == CERTIFICATE_VERIFY && length <= MAX_TRACKED_BODY_BYTES) {
        Candidate c = candidate(seq, length);
        if (c != null && c.cover(fragmentOffset, fragmentLength)) {
          certificateVerifyComplete = true;
          return;
        }
      }
      off = next;
    }
  }

  private Candidate candidate(int seq, int length) {
    for (Candidate c : candidates) {
      if (c.seq == seq && c.length == length) {
        return c;
      }
    }
    if (candidates.size() == MAX_CANDIDATES) {
      return null;
    }
    Candidate c = new Candidate(seq, length);
    candidates.add(c);
    return c;
  }

  private static byte[] concat(List<byte[]> parts) {
    int total = 0;
    for (byte[] p : parts) {
      total += p.length;
    }
    if (total == 0) {
      return null;
    }
    byte[] out = new byte[total];
    int pos = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, pos, p.length);
      pos += p.length;
    }
    return out;
  }

  /** One CertificateVerify being reassembled: which body bytes have been seen. */
  private static final class Candidate {
    final int seq;
    final int length;
    final BitSet seen = new BitSet();

    Candidate(int seq, int length) {
      this.seq = seq;
      this.length = length;
    }

    /** Marks a fragment; true once the whole body has been seen. */
    boolean cover(int offset, int fragmentLength) {
      seen.set(offset, offset + fragmentLength);
      return seen.nextClearBit(0) >= length;
    }
  }
}
