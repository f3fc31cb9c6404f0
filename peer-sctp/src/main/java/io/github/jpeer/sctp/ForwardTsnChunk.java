package io.github.jpeer.sctp;

import java.util.ArrayList;
import java.util.List;

/**
 * FORWARD TSN (RFC 3758 section 3.2): tells the receiver to move its cumulative TSN past abandoned
 * messages and, for ordered streams, past their stream sequence numbers.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Type = 192  |  Flags = 0x00 |        Length = Variable      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                      New Cumulative TSN                       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Stream-1              |       Stream Sequence-1       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * \                                                               /
 * /                                                               \
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * @param newCumulativeTsn the TSN the receiver treats as received in sequence
 * @param streams the largest skipped SSN per ordered stream
 */
public record ForwardTsnChunk(int newCumulativeTsn, List<StreamSequence> streams) implements Chunk {
  /**
   * One stream and the largest SSN skipped on it.
   *
   * @param streamId the stream
   * @param ssn the stream sequence number
   */
  public record StreamSequence(int streamId, int ssn) {
    /** Checks both fit 16 bits. */
    public StreamSequence {
      if (streamId < 0 || streamId > 0xFFFF || ssn < 0 || ssn > 0xFFFF) {
        throw new IllegalArgumentException("stream id and ssn must fit 16 bits");
      }
    }
  }

  /** Copies the list. */
  public ForwardTsnChunk {
    streams = List.copyOf(streams);
  }

  @Override
  public int type() {
    return FORWARD_TSN;
  }

  @Override
  public int flags() {
    return 0;
  }

  @Override
  public int valueLength() {
    return 4 + 4 * streams.size();
  }

  @Override
  public void writeValue(byte[] b, int off) {
    Wire.put32(b, off, newCumulativeTsn);
    int p = off + 4;
    for (StreamSequence s : streams) {
      Wire.put16(b, p, s.streamId());
      Wire.put16(b, p + 2, s.ssn());
      p += 4;
    }
  }

  static ForwardTsnChunk parse(byte[] b, int off, int len) throws SctpParseException {
    if (len < 4 || len % 4 != 0) {
      throw new SctpParseException("FORWARD TSN value must be 4 + 4n bytes, is " + len);
    }
    List<StreamSequence> s = new ArrayList<>((len - 4) / 4);
    for (int p = off + 4; p < off + len; p += 4) {
      s.add(new StreamSequence(Wire.u16(b, p), Wire.u16(b, p + 2)));
    }
    return new ForwardTsnChunk(Wire.i32(b, off), s);
  }
}
