package io.github.jpeer.sctp;

import java.util.List;

/**
 * RE-CONFIG (RFC 6525 section 3.1): one or two re-configuration parameters, see {@link
 * OutgoingSsnResetRequest} and {@link ReconfigResponse}.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Type = 130    |  Chunk Flags  |      Chunk Length             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * \                                                               \
 * /                  Re-configuration Parameter                   /
 * \                                                               \
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * \                                                               \
 * /             Re-configuration Parameter (optional)             /
 * \                                                               \
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * @param parameters the re-configuration parameters
 */
public record ReconfigChunk(List<Parameter> parameters) implements Chunk {
  /** Copies the list. */
  public ReconfigChunk {
    parameters = List.copyOf(parameters);
  }

  @Override
  public int type() {
    return RECONFIG;
  }

  @Override
  public int flags() {
    return 0;
  }

  @Override
  public int valueLength() {
    return Wire.tlvsLength(parameters);
  }

  @Override
  public void writeValue(byte[] b, int off) {
    Wire.writeTlvs(parameters, b, off);
  }

  static ReconfigChunk parse(byte[] b, int off, int len) throws SctpParseException {
    List<Parameter> p = Wire.readTlvs(b, off, len, "RE-CONFIG parameter");
    if (p.isEmpty()) {
      throw new SctpParseException("RE-CONFIG without parameters");
    }
    return new ReconfigChunk(p);
  }
}
