package io.github.jpeer.sctp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The receive side alone: TSN tracking, reassembly, ordered delivery, FORWARD TSN skipping. */
class ReassemblyQueueTest {
  private static final int INITIAL_TSN = 1000;
  private static final int STREAM = 1;

  private final List<String> delivered = new ArrayList<>();
  private final ReassemblyQueue queue =
      new ReassemblyQueue(
          SctpConfig.defaults(),
          (streamId, ppid, message) ->
              delivered.add(streamId + ":" + new String(message, StandardCharsets.UTF_8)));

  ReassemblyQueueTest() {
    queue.start(INITIAL_TSN);
  }

  private static DataChunk chunk(
      int tsn, int ssn, boolean unordered, boolean begin, boolean end, String text) {
    return new DataChunk(
        tsn,
        STREAM,
        ssn,
        SctpAssociation.PPID_STRING,
        false,
        unordered,
        begin,
        end,
        text.getBytes(StandardCharsets.UTF_8));
  }

  private static DataChunk whole(int tsn, int ssn, String text) {
    return chunk(tsn, ssn, false, true, true, text);
  }

  // RFC 9260 6.6: ordered messages are delivered in SSN order whatever order they arrive in
  @Test
  void orderedMessagesWaitForTheMissingSsn() {
    assertTrue(queue.receive(whole(INITIAL_TSN + 1, 1, "b")), "a gap wants an immediate SACK");
    assertEquals(List.of(), delivered);
    assertFalse(queue.receive(whole(INITIAL_TSN, 0, "a")), "gap closed: the SACK may wait");
    assertEquals(List.of("1:a", "1:b"), delivered);
    assertEquals(Integer.toUnsignedLong(INITIAL_TSN) + 1, queue.cumulativeTsn());
  }

  // RFC 9260 6.6: an unordered message (U bit) is delivered as soon as it is complete
  @Test
  void unorderedMessagePassesAGap() {
    queue.receive(chunk(INITIAL_TSN + 1, 0, true, true, true, "u"));
    assertEquals(List.of("1:u"), delivered);
    assertEquals(Integer.toUnsignedLong(INITIAL_TSN) - 1, queue.cumulativeTsn());
  }

  // RFC 9260 6.9: fragments (B, middle, E) with consecutive TSNs make one message
  @Test
  void fragmentsReassembleInAnyOrder() {
    queue.receive(chunk(INITIAL_TSN + 2, 0, false, false, true, "c"));
    queue.receive(chunk(INITIAL_TSN, 0, false, true, false, "a"));
    assertEquals(List.of(), delivered);
    queue.receive(chunk(INITIAL_TSN + 1, 0, false, false, false, "b"));
    assertEquals(List.of("1:abc"), delivered);
  }

  // RFC 9260 3.3.4: gap ack blocks are offsets from the cumulative TSN; duplicates reported once
  @Test
  void sackReportsGapsAndDuplicates() {
    queue.receive(whole(INITIAL_TSN, 0, "a"));
    queue.receive(whole(INITIAL_TSN + 2, 2, "c"));
    queue.receive(whole(INITIAL_TSN + 3, 3, "d"));
    queue.receive(whole(INITIAL_TSN + 5, 5, "f"));
    assertTrue(queue.receive(whole(INITIAL_TSN, 0, "a")), "a duplicate wants an immediate SACK");
    SelectiveAckChunk sack = queue.buildSack(1200);
    assertEquals(INITIAL_TSN, sack.cumulativeTsnAck());
    assertEquals(
        List.of(new SelectiveAckChunk.GapAckBlock(2, 3), new SelectiveAckChunk.GapAckBlock(5, 5)),
        sack.gapAckBlocks());
    assertEquals(List.of(INITIAL_TSN), sack.duplicateTsns());
    assertEquals(List.of(), queue.buildSack(1200).duplicateTsns());
    assertEquals(1, queue.duplicateDataChunks());
  }

  // RFC 3758 3.6: FORWARD TSN drops a partial message it skips, delivers complete ones up to the
  // skipped SSN, and ordered delivery continues after it
  @Test
  void forwardTsnSkipsAbandonedMessage() {
    // SSN 0 lost entirely (TSN 1000), SSN 1 partial (TSN 1001 begin only), SSN 2 complete
    queue.receive(chunk(INITIAL_TSN + 1, 1, false, true, false, "partial"));
    queue.receive(whole(INITIAL_TSN + 3, 2, "kept"));
    assertEquals(List.of(), delivered);
    queue.skip(
        new ForwardTsnChunk(
            INITIAL_TSN + 2, List.of(new ForwardTsnChunk.StreamSequence(STREAM, 1))));
    assertEquals(List.of("1:kept"), delivered);
    assertEquals(Integer.toUnsignedLong(INITIAL_TSN) + 3, queue.cumulativeTsn());
    assertTrue(queue.hasAllUpTo(INITIAL_TSN + 3));
    assertFalse(queue.hasAllUpTo(INITIAL_TSN + 4));
    queue.receive(whole(INITIAL_TSN + 4, 3, "next"));
    assertEquals(List.of("1:kept", "1:next"), delivered);
  }

  // RFC 3758 3.6: a FORWARD TSN behind the cumulative TSN is stale and changes nothing
  @Test
  void staleForwardTsnIsIgnored() {
    queue.receive(whole(INITIAL_TSN, 0, "a"));
    queue.skip(new ForwardTsnChunk(INITIAL_TSN - 5, List.of()));
    assertEquals(Integer.toUnsignedLong(INITIAL_TSN), queue.cumulativeTsn());
  }

  // RFC 6525 5.2.2: after an incoming stream reset the peer's SSNs restart at 0
  @Test
  void resetStreamRestartsSsnAtZero() {
    queue.receive(whole(INITIAL_TSN, 0, "a"));
    queue.resetStream(STREAM);
    queue.receive(whole(INITIAL_TSN + 1, 0, "again"));
    assertEquals(List.of("1:a", "1:again"), delivered);
  }

  // RFC 6525 5.2.2: the messages a reset of every stream drops give their room back to the window
  @Test
  void resetOfAllStreamsGivesTheDroppedMessagesRoomBack() {
    long full = queue.buildSack(1200).aRwnd() & 0xffffffffL;
    queue.receive(whole(INITIAL_TSN + 1, 1, "waits for ssn 0"));
    long holding = queue.buildSack(1200).aRwnd() & 0xffffffffL;
    assertEquals(full - "waits for ssn 0".length(), holding);
    queue.resetAllStreams();
    assertEquals(full, queue.buildSack(1200).aRwnd() & 0xffffffffL);
    assertEquals(List.of(), delivered);
  }

  // TSNs unwrap around 2^32 (RFC 9260 1.6, serial number arithmetic)
  @Test
  void tsnWrapsAround() {
    ReassemblyQueue wrapping =
        new ReassemblyQueue(
            SctpConfig.defaults(),
            (streamId, ppid, message) ->
                delivered.add(new String(message, StandardCharsets.UTF_8)));
    wrapping.start(-1);
    wrapping.receive(chunk(0, 1, false, true, true, "second"));
    wrapping.receive(chunk(-1, 0, false, true, true, "first"));
    assertEquals(List.of("first", "second"), delivered);
    assertEquals(0, wrapping.buildSack(1200).cumulativeTsnAck(), "wrapped to 0");
  }
}
