package io.github.jpeer.sctp;

import java.util.List;

/**
 * ABORT (RFC 9260 section 3.3.7): ends the association at once, with optional error causes.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Type = 6    |  Reserved   |T|            Length             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * \                                                               \
 * /                   zero or more Error Causes                   /
 * \                                                               \
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * @param tagReflected the T bit: the verification tag is the receiver's own, reflected
 * @param causes error causes (code and information), see {@link ErrorChunk}
 */
public record AbortChunk(boolean tagReflected, List<Parameter> causes) implements Chunk {
  /** Copies the causes. */
  public AbortChunk {
    causes = List.copyOf(causes);
  }

  @Override
  public int type() {
    return ABORT;
  }

  @Override
  public int flags() {
    return tagReflected ? 1 : 0;
  }

  @Override
  public int valueLength() {
    return Wire.tlvsLength(causes);
  }

  @Override
  public void writeValue(byte[] b, int off) {
    Wire.writeTlvs(causes, b, off);
  }

  static AbortChunk parse(int flags, byte[] b, int off, int len) throws SctpParseException {
    return new AbortChunk((flags & 1) != 0, Wire.readTlvs(b, off, len, "ABORT cause"));
  }
}
