package io.github.jpeer.sctp;

import java.util.List;

/**
 * ERROR (RFC 9260 section 3.3.10): reports conditions that do not end the association. Each cause
 * is a TLV whose type is the cause code.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Type = 9    | Chunk  Flags  |           Length              |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * \                                                               \
 * /                    one or more Error Causes                   /
 * \                                                               \
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * @param causes the error causes
 */
public record ErrorChunk(List<Parameter> causes) implements Chunk {
  /** Stale Cookie Error cause code. */
  public static final int STALE_COOKIE = 3;

  /** Unrecognized Chunk Type cause code. */
  public static final int UNRECOGNIZED_CHUNK_TYPE = 6;

  /** Protocol Violation cause code. */
  public static final int PROTOCOL_VIOLATION = 13;

  /** User-Initiated Abort cause code. */
  public static final int USER_INITIATED_ABORT = 12;

  /** Copies the causes. */
  public ErrorChunk {
    causes = List.copyOf(causes);
  }

  @Override
  public int type() {
    return ERROR;
  }

  @Override
  public int flags() {
    return 0;
  }

  @Override
  public int valueLength() {
    return Wire.tlvsLength(causes);
  }

  @Override
  public void writeValue(byte[] b, int off) {
    Wire.writeTlvs(causes, b, off);
  }

  static ErrorChunk parse(byte[] b, int off, int len) throws SctpParseException {
    return new ErrorChunk(Wire.readTlvs(b, off, len, "ERROR cause"));
  }
}
