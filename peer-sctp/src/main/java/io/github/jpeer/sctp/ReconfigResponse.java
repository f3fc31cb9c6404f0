package io.github.jpeer.sctp;

/**
 * Re-configuration Response Parameter (RFC 6525 section 4.4), without the optional TSN fields (they
 * only matter for SSN/TSN reset requests, which this module never sends; parsing skips them).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Parameter Type = 16       |      Parameter Length         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Re-configuration Response Sequence Number             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                            Result                             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                   Sender's Next TSN (optional)                |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  Receiver's Next TSN (optional)               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * @param responseSeq the request sequence number this answers
 * @param result 0 success nothing to do, 1 success performed, 2 denied, 6 in progress, ...
 */
public record ReconfigResponse(int responseSeq, int result) {
  /** Success - Nothing to do. */
  public static final int SUCCESS_NOTHING_TO_DO = 0;

  /** Success - Performed. */
  public static final int SUCCESS_PERFORMED = 1;

  /** Denied. */
  public static final int DENIED = 2;

  /** Error - Bad Sequence Number. */
  public static final int ERROR_BAD_SEQUENCE_NUMBER = 5;

  /** In progress. */
  public static final int IN_PROGRESS = 6;

  /** This response as a RE-CONFIG parameter. */
  public Parameter toParameter() {
    byte[] v = new byte[8];
    Wire.put32(v, 0, responseSeq);
    Wire.put32(v, 4, result);
    return new Parameter(Parameter.RECONFIG_RESPONSE, v);
  }

  /** Reads the response out of a parameter of type 16. */
  public static ReconfigResponse parse(Parameter p) throws SctpParseException {
    byte[] v = p.value();
    if (p.type() != Parameter.RECONFIG_RESPONSE || (v.length != 8 && v.length != 16)) {
      throw new SctpParseException(
          "Re-configuration Response: type " + p.type() + " with " + v.length + " bytes");
    }
    return new ReconfigResponse(Wire.i32(v, 0), Wire.i32(v, 4));
  }
}
