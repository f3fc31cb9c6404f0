package io.github.jpeer.rtp;

/**
 * One FCI entry of a Full Intra Request (RFC 5104 section 4.3.1.1).
 *
 * <pre>
 * |                              SSRC                             |
 * | Seq nr.       |    Reserved                                   |
 * </pre>
 *
 * @param ssrc the media sender asked for a decoder refresh
 * @param sequenceNumber 0-255, incremented by the requester for each new request
 */
public record FirEntry(int ssrc, int sequenceNumber) {

  /** Validates the sequence number range. */
  public FirEntry {
    if (sequenceNumber < 0 || sequenceNumber > 255) {
      throw new IllegalArgumentException(
          "FIR sequence number must be 0-255, got " + sequenceNumber);
    }
  }
}
