package io.github.jpeer.sctp;

import java.util.ArrayList;
import java.util.List;

/**
 * SACK (RFC 9260 section 3.3.4): cumulative ack, receiver window, gap ack blocks (offsets from the
 * cumulative TSN) and duplicate TSNs.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Type = 3    |Chunk  Flags   |         Chunk Length          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                      Cumulative TSN Ack                       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Advertised Receiver Window Credit (a_rwnd)           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Number of Gap Ack Blocks = N  |  Number of Duplicate TSNs = M |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |    Gap Ack Block #1 Start     |      Gap Ack Block #1 End     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * /                              ...                              /
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                        Duplicate TSN 1                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * /                              ...                              /
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * @param cumulativeTsnAck the last TSN received in sequence
 * @param aRwnd the receiver window in bytes (unsigned 32 bits)
 * @param gapAckBlocks blocks received beyond the cumulative ack
 * @param duplicateTsns TSNs received more than once since the last SACK
 */
public record SelectiveAckChunk(
    int cumulativeTsnAck, int aRwnd, List<GapAckBlock> gapAckBlocks, List<Integer> duplicateTsns)
    implements Chunk {
  /**
   * One gap ack block: TSNs {@code cumulativeTsnAck + start} to {@code cumulativeTsnAck + end} were
   * received.
   *
   * @param start offset of the first TSN (1 to 65535)
   * @param end offset of the last TSN
   */
  public record GapAckBlock(int start, int end) {
    /** Checks both offsets fit 16 bits. */
    public GapAckBlock {
      if (start < 0 || start > 0xFFFF || end < 0 || end > 0xFFFF) {
        throw new IllegalArgumentException("gap ack block offsets must fit 16 bits");
      }
    }
  }

  /** Copies the lists. */
  public SelectiveAckChunk {
    gapAckBlocks = List.copyOf(gapAckBlocks);
    duplicateTsns = List.copyOf(duplicateTsns);
  }

  @Override
  public int type() {
    return SACK;
  }

  @Override
  public int flags() {
    return 0;
  }

  @Override
  public int valueLength() {
    return 12 + 4 * gapAckBlocks.size() + 4 * duplicateTsns.size();
  }

  @Override
  public void writeValue(byte[] b, int off) {
    Wire.put32(b, off, cumulativeTsnAck);
    Wire.put32(b, off + 4, aRwnd);
    Wire.put16(b, off + 8, gapAckBlocks.size());
    Wire.put16(b, off + 10, duplicateTsns.size());
    int p = off + 12;
    for (GapAckBlock g : gapAckBlocks) {
      Wire.put16(b, p, g.start());
      Wire.put16(b, p + 2, g.end());
      p += 4;
    }
    for (int d : duplicateTsns) {
      Wire.put32(b, p, d);
      p += 4;
    }
  }

  static SelectiveAckChunk parse(byte[] b, int off, int len) throws SctpParseException {
    if (len < 12) {
      throw new SctpParseException("SACK value needs 12 bytes, has " + len);
    }
    int gaps = Wire.u16(b, off + 8);
    int dups = Wire.u16(b, off + 10);
    if (len != 12 + 4 * gaps + 4 * dups) {
      throw new SctpParseException(
          "SACK of " + len + " bytes does not hold " + gaps + " gaps and " + dups + " dups");
    }
    List<GapAckBlock> blocks = new ArrayList<>(gaps);
    int p = off + 12;
    for (int i = 0; i < gaps; i++, p += 4) {
      blocks.add(new GapAckBlock(Wire.u16(b, p), Wire.u16(b, p + 2)));
    }
    List<Integer> d = new ArrayList<>(dups);
    for (int i = 0; i < dups; i++, p += 4) {
      d.add(Wire.i32(b, p));
    }
    return new SelectiveAckChunk(Wire.i32(b, off), Wire.i32(b, off + 4), blocks, d);
  }
}
