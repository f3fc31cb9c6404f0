package io.github.jpeer.sctp;

import java.util.Arrays;

/**
 * DATA (RFC 9260 section 3.3.1): one user message or one fragment of it.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Type = 0    |  Res  |I|U|B|E|            Length             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                              TSN                              |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |      Stream Identifier S      |   Stream Sequence Number n    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  Payload Protocol Identifier                  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * \                                                               \
 * /                 User Data (seq n of Stream S)                 /
 * \                                                               \
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * @param tsn transmission sequence number
 * @param streamId stream identifier
 * @param ssn stream sequence number (ignored by the receiver when unordered)
 * @param ppid payload protocol identifier
 * @param immediate the I bit (RFC 7053): the sender asks for an immediate SACK
 * @param unordered the U bit
 * @param beginning the B bit: first fragment
 * @param ending the E bit: last fragment
 * @param userData the payload; copied in and out
 */
public record DataChunk(
    int tsn,
    int streamId,
    int ssn,
    int ppid,
    boolean immediate,
    boolean unordered,
    boolean beginning,
    boolean ending,
    byte[] userData)
    implements Chunk {
  /** Bytes before the user data in the value. */
  static final int HEADER_VALUE_LENGTH = 12;

  /** Validates field ranges and copies the payload. */
  public DataChunk {
    if (streamId < 0 || streamId > 0xFFFF || ssn < 0 || ssn > 0xFFFF) {
      throw new IllegalArgumentException("stream id and ssn must fit 16 bits");
    }
    if (userData.length == 0 || userData.length > 0xFFFF - 16) {
      throw new IllegalArgumentException(
          "DATA needs 1 to " + (0xFFFF - 16) + " bytes of user data, got " + userData.length);
    }
    userData = userData.clone();
  }

  /** A copy of the payload. */
  @Override
  public byte[] userData() {
    return userData.clone();
  }

  byte[] userDataUnsafe() {
    return userData;
  }

  @Override
  public int type() {
    return DATA;
  }

  @Override
  public int flags() {
    return flags(immediate, unordered, beginning, ending);
  }

  static int flags(boolean immediate, boolean unordered, boolean beginning, boolean ending) {
    return (immediate ? 8 : 0) | (unordered ? 4 : 0) | (beginning ? 2 : 0) | (ending ? 1 : 0);
  }

  @Override
  public int valueLength() {
    return HEADER_VALUE_LENGTH + userData.length;
  }

  @Override
  public void writeValue(byte[] buf, int off) {
    writeHeaderValue(buf, off, tsn, streamId, ssn, ppid);
    System.arraycopy(userData, 0, buf, off + HEADER_VALUE_LENGTH, userData.length);
  }

  /** Writes TSN, stream, SSN and PPID; the sender uses it to write fragments without copies. */
  static void writeHeaderValue(byte[] buf, int off, int tsn, int streamId, int ssn, int ppid) {
    Wire.put32(buf, off, tsn);
    Wire.put16(buf, off + 4, streamId);
    Wire.put16(buf, off + 6, ssn);
    Wire.put32(buf, off + 8, ppid);
  }

  static DataChunk parse(int flags, byte[] b, int off, int len) throws SctpParseException {
    // RFC 9260 6.2: a DATA chunk without user data is a protocol error
    if (len <= HEADER_VALUE_LENGTH) {
      throw new SctpParseException("DATA value of " + len + " bytes has no user data");
    }
    byte[] data = Arrays.copyOfRange(b, off + HEADER_VALUE_LENGTH, off + len);
    return new DataChunk(
        Wire.i32(b, off),
        Wire.u16(b, off + 4),
        Wire.u16(b, off + 6),
        Wire.i32(b, off + 8),
        (flags & 8) != 0,
        (flags & 4) != 0,
        (flags & 2) != 0,
        (flags & 1) != 0,
        data);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DataChunk d
        && d.tsn == tsn
        && d.streamId == streamId
        && d.ssn == ssn
        && d.ppid == ppid
        && d.flags() == flags()
        && Arrays.equals(d.userData, userData);
  }

  @Override
  public int hashCode() {
    return tsn * 31 + Arrays.hashCode(userData);
  }

  @Override
  public String toString() {
    return "DataChunk[tsn="
        + Integer.toUnsignedString(tsn)
        + ", stream="
        + streamId
        + ", ssn="
        + ssn
        + ", ppid="
        + ppid
        + ", flags="
        + flags()
        + ", bytes="
        + userData.length
        + "]";
  }
}
