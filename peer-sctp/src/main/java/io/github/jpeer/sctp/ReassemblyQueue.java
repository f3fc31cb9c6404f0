package io.github.jpeer.sctp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The receive side of an association: which of the peer's TSNs arrived, the reassembly of
 * fragmented user messages and their delivery, in SSN order per stream or at once if unordered.
 *
 * <p>It owns the cumulative TSN and the gap ack blocks and duplicate TSNs a SACK reports (RFC 9260
 * sections 6.2 and 3.3.4), the receive window it advertises (6.2), reassembly (6.9), ordered and
 * unordered delivery (6.6), the skipping of abandoned messages on FORWARD TSN (RFC 3758 section
 * 3.6) and the per-stream sequence reset of an incoming stream reset (RFC 6525 section 5.2.2). When
 * to send a SACK is the association's decision; what goes into it is decided here. Complete
 * messages go to a {@link Sink}, which reads the PPIDs (RFC 8831).
 *
 * <p>TSNs are unwrapped to {@code long} around the cumulative TSN, so comparisons never wrap.
 *
 * <p>Not thread-safe: the association's thread owns it.
 */
final class ReassemblyQueue {
  /** Receives each complete message, in delivery order. */
  @FunctionalInterface
  interface Sink {
    /** One reassembled message of at most the configured max-message-size. */
    void deliver(int streamId, int ppid, byte[] message);
  }

  private static final int MAX_DUPLICATES_REPORTED = 16;
  private static final int MAX_GAP_BLOCKS = 64;

  private final SctpConfig config;
  private final Sink sink;

  private long cumulativeTsn;
  private final TreeSet<Long> receivedAbove = new TreeSet<>();
  private final TreeMap<Long, DataChunk> fragments = new TreeMap<>();
  private final Map<Integer, InStream> inStreams = new HashMap<>();
  private final List<Integer> duplicates = new ArrayList<>();
  private long bufferedBytes;

  // counters
  private long dataChunksReceived;
  private long duplicateDataChunks;
  private long beyondGapRange;
  private long droppedMessages;

  /**
   * An empty queue; call {@link #start} once the peer's initial TSN is known.
   *
   * @param config the receive window and max-message-size we advertised
   * @param sink where complete messages go
   */
  ReassemblyQueue(SctpConfig config, Sink sink) {
    this.config = config;
    this.sink = sink;
  }

  /** Starts at the peer's initial TSN (from its INIT or INIT ACK). */
  void start(int peerInitialTsn) {
    cumulativeTsn = Integer.toUnsignedLong(peerInitialTsn) - 1;
  }

  /** The cumulative TSN: every TSN up to it has arrived (or was skipped). */
  long cumulativeTsn() {
    return cumulativeTsn;
  }

  /** True if every TSN up to the peer's {@code tsn} has arrived or was skipped. */
  boolean hasAllUpTo(int tsn) {
    return unwrap(tsn) <= cumulativeTsn;
  }

  /**
   * Takes one DATA chunk and delivers what it completes.
   *
   * @return true if a SACK should go out at once (a duplicate, a gap, a chunk refused)
   */
  boolean receive(DataChunk d) {
    dataChunksReceived++;
    long tsn = unwrap(d.tsn());
    if (tsn <= cumulativeTsn || receivedAbove.contains(tsn)) {
      duplicateDataChunks++;
      if (duplicates.size() < MAX_DUPLICATES_REPORTED) {
        duplicates.add(d.tsn());
      }
      return true;
    }
    if (tsn - cumulativeTsn > 0xFFFF) {
      // beyond what a gap ack block can describe; the sender will retransmit
      beyondGapRange++;
      return true;
    }
    int len = d.userDataUnsafe().length;
    long highest = receivedAbove.isEmpty() ? cumulativeTsn : receivedAbove.last();
    if (bufferedBytes + len > config.receiveWindowBytes() && tsn > highest) {
      // RFC 9260 6.2: no room; drop without acking, the sender retransmits
      return true;
    }
    boolean inOrder = tsn == cumulativeTsn + 1;
    receivedAbove.add(tsn);
    advanceCumulativeTsn();
    fragments.put(tsn, d);
    bufferedBytes += len;
    tryAssemble(tsn, d);
    return !inOrder || !receivedAbove.isEmpty();
  }

  /**
   * RFC 3758 3.6: moves the cumulative TSN to the FORWARD TSN's, drops what it skips (partial
   * messages included) and delivers, per stream, the complete messages up to the skipped SSN.
   */
  void skip(ForwardTsnChunk f) {
    long newCum = unwrap(f.newCumulativeTsn());
    if (newCum <= cumulativeTsn) {
      return;
    }
    var skipped = fragments.headMap(newCum, true);
    for (DataChunk d : skipped.values()) {
      bufferedBytes -= d.userDataUnsafe().length;
    }
    skipped.clear();
    receivedAbove.headSet(newCum, true).clear();
    cumulativeTsn = newCum;
    advanceCumulativeTsn();
    for (ForwardTsnChunk.StreamSequence ss : f.streams()) {
      InStream s = inStreams.computeIfAbsent(ss.streamId(), k -> new InStream());
      int ahead = (ss.ssn() - s.nextSsn) & 0xFFFF;
      if (ahead >= 0x8000) {
        continue;
      }
      // complete messages up to the skipped SSN were not abandoned: deliver them in order
      for (int i = 0; i <= ahead; i++) {
        InMessage m = s.pending.remove((s.nextSsn + i) & 0xFFFF);
        if (m != null) {
          bufferedBytes -= m.size();
          deliver(m);
        }
      }
      s.nextSsn = (ss.ssn() + 1) & 0xFFFF;
      drain(s);
    }
  }

  /**
   * RFC 6525 5.2.2: the peer reset its outgoing stream {@code streamId}, so its SSNs restart at 0;
   * ordered messages still waiting on it are dropped.
   */
  void resetStream(int streamId) {
    InStream s = inStreams.remove(streamId);
    if (s != null) {
      for (InMessage m : s.pending.values()) {
        bufferedBytes -= m.size();
      }
    }
  }

  /** RFC 6525 5.2.2 with an empty stream list: every incoming stream restarts at SSN 0. */
  void resetAllStreams() {
    for (InStream s : inStreams.values()) {
      for (InMessage m : s.pending.values()) {
        bufferedBytes -= m.size(); // dropped, so no longer held against the advertised window
      }
    }
    inStreams.clear();
  }

  /**
   * The SACK for what arrived so far (RFC 9260 3.3.4), as many gap ack blocks as fit {@code
   * maxBytes}, and the duplicate TSNs seen since the last one, which it clears.
   */
  SelectiveAckChunk buildSack(int maxBytes) {
    int maxBlocks =
        Math.max(0, Math.min(MAX_GAP_BLOCKS, (maxBytes - 16 - 4 * duplicates.size()) / 4));
    List<SelectiveAckChunk.GapAckBlock> blocks = new ArrayList<>();
    long runStart = -1;
    long runEnd = -1;
    for (long t : receivedAbove) {
      if (runStart >= 0 && t == runEnd + 1) {
        runEnd = t;
        continue;
      }
      if (runStart >= 0) {
        if (blocks.size() == maxBlocks) {
          runStart = -1;
          break;
        }
        blocks.add(gap(runStart, runEnd));
      }
      runStart = t;
      runEnd = t;
    }
    if (runStart >= 0 && blocks.size() < maxBlocks) {
      blocks.add(gap(runStart, runEnd));
    }
    long rwnd = Math.max(0, config.receiveWindowBytes() - bufferedBytes);
    SelectiveAckChunk sack =
        new SelectiveAckChunk((int) cumulativeTsn, (int) rwnd, blocks, List.copyOf(duplicates));
    duplicates.clear();
    return sack;
  }

  /** Forgets everything (the association ended). */
  void clear() {
    fragments.clear();
    receivedAbove.clear();
    inStreams.clear();
  }

  /** DATA chunks received, duplicates included. */
  long dataChunksReceived() {
    return dataChunksReceived;
  }

  /** DATA chunks received a second time. */
  long duplicateDataChunks() {
    return duplicateDataChunks;
  }

  /** DATA chunks dropped because their TSN was too far ahead for a gap ack block. */
  long beyondGapRange() {
    return beyondGapRange;
  }

  /** Messages dropped here: too big, or a stale duplicate behind the expected SSN. */
  long droppedMessages() {
    return droppedMessages;
  }

  private long unwrap(int tsn) {
    return cumulativeTsn + (int) (tsn - (int) cumulativeTsn);
  }

  private void advanceCumulativeTsn() {
    while (!receivedAbove.isEmpty() && receivedAbove.first() == cumulativeTsn + 1) {
      receivedAbove.pollFirst();
      cumulativeTsn++;
    }
  }

  private SelectiveAckChunk.GapAckBlock gap(long start, long end) {
    return new SelectiveAckChunk.GapAckBlock(
        (int) (start - cumulativeTsn), (int) (end - cumulativeTsn));
  }

  private static boolean sameMessage(DataChunk a, DataChunk b) {
    return a.streamId() == b.streamId()
        && a.unordered() == b.unordered()
        && (a.unordered() || a.ssn() == b.ssn())
        && a.ppid() == b.ppid();
  }

  /** Delivers the message {@code d} belongs to if all its fragments (consecutive TSNs) are in. */
  private void tryAssemble(long tsn, DataChunk d) {
    long first = tsn;
    DataChunk c = d;
    while (!c.beginning()) {
      DataChunk prev = fragments.get(first - 1);
      if (prev == null || prev.ending() || !sameMessage(prev, d)) {
        return;
      }
      first--;
      c = prev;
    }
    long last = tsn;
    c = d;
    while (!c.ending()) {
      DataChunk next = fragments.get(last + 1);
      if (next == null || next.beginning() || !sameMessage(next, d)) {
        return;
      }
      last++;
      c = next;
    }
    long total = 0;
    for (long t = first; t <= last; t++) {
      total += fragments.get(t).userDataUnsafe().length;
    }
    byte[] message = null;
    if (total <= config.maxMessageSize()) {
      message = new byte[(int) total];
    }
    int pos = 0;
    for (long t = first; t <= last; t++) {
      byte[] part = fragments.remove(t).userDataUnsafe();
      if (message != null) {
        System.arraycopy(part, 0, message, pos, part.length);
      }
      pos += part.length;
    }
    bufferedBytes -= total;
    InMessage m = new InMessage(d.streamId(), d.ssn(), d.ppid(), message);
    if (d.unordered()) {
      deliver(m);
      return;
    }
    InStream s = inStreams.computeIfAbsent(d.streamId(), k -> new InStream());
    int ahead = (m.ssn - s.nextSsn) & 0xFFFF;
    if (ahead == 0) {
      deliver(m);
      s.nextSsn = (s.nextSsn + 1) & 0xFFFF;
      drain(s);
    } else if (ahead < 0x8000) {
      s.pending.put(m.ssn, m);
      bufferedBytes += m.size();
    } else {
      // behind the expected SSN: a stale duplicate
      droppedMessages++;
    }
  }

  private void drain(InStream s) {
    for (InMessage next; (next = s.pending.remove(s.nextSsn)) != null; ) {
      bufferedBytes -= next.size();
      deliver(next);
      s.nextSsn = (s.nextSsn + 1) & 0xFFFF;
    }
  }

  private void deliver(InMessage m) {
    if (m.data == null) {
      // larger than the max-message-size we advertised
      droppedMessages++;
      return;
    }
    sink.deliver(m.streamId, m.ppid, m.data);
  }

  /** A reassembled message waiting for delivery; {@code data} null if it was too big. */
  private record InMessage(int streamId, int ssn, int ppid, byte[] data) {
    int size() {
      return data == null ? 0 : data.length;
    }
  }

  /** Ordered delivery state of one incoming stream. */
  private static final class InStream {
    int nextSsn;
    final Map<Integer, InMessage> pending = new HashMap<>();
  }
}
