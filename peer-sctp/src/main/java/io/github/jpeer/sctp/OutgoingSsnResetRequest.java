package io.github.jpeer.sctp;

import java.util.ArrayList;
import java.util.List;

/**
 * Outgoing SSN Reset Request Parameter (RFC 6525 section 4.1): the sender resets the listed
 * outgoing streams (all if none listed) once the receiver has every TSN up to the sender's last
 * assigned one. WebRTC closes a data channel with it (RFC 8831 section 6.7).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Parameter Type = 13       | Parameter Length = 16 + 2 * N |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           Re-configuration Request Sequence Number            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           Re-configuration Response Sequence Number           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                Sender's Last Assigned TSN                     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Stream Number 1 (optional)   |    Stream Number 2 (optional) |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * @param requestSeq this request's sequence number
 * @param responseSeq the last response sequence number the sender sent
 * @param senderLastTsn the last TSN the sender assigned
 * @param streams the streams to reset
 */
public record OutgoingSsnResetRequest(
    int requestSeq, int responseSeq, int senderLastTsn, List<Integer> streams) {
  /** Copies the list. */
  public OutgoingSsnResetRequest {
    streams = List.copyOf(streams);
  }

  /** This request as a RE-CONFIG parameter. */
  public Parameter toParameter() {
    byte[] v = new byte[12 + 2 * streams.size()];
    Wire.put32(v, 0, requestSeq);
    Wire.put32(v, 4, responseSeq);
    Wire.put32(v, 8, senderLastTsn);
    for (int i = 0; i < streams.size(); i++) {
      Wire.put16(v, 12 + 2 * i, streams.get(i));
    }
    return new Parameter(Parameter.OUTGOING_SSN_RESET_REQUEST, v);
  }

  /** Reads the request out of a parameter of type 13. */
  public static OutgoingSsnResetRequest parse(Parameter p) throws SctpParseException {
    byte[] v = p.value();
    if (p.type() != Parameter.OUTGOING_SSN_RESET_REQUEST || v.length < 12 || v.length % 2 != 0) {
      throw new SctpParseException(
          "Outgoing SSN Reset Request: type " + p.type() + " with " + v.length + " bytes");
    }
    List<Integer> s = new ArrayList<>();
    for (int i = 12; i < v.length; i += 2) {
      s.add(Wire.u16(v, i));
    }
    return new OutgoingSsnResetRequest(Wire.i32(v, 0), Wire.i32(v, 4), Wire.i32(v, 8), s);
  }
}
