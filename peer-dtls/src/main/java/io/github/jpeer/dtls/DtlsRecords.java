package io.github.jpeer.dtls;

/**
 * Reads the header fields of DTLS records and handshake fragments in a datagram, without copying:
 * the one place that knows where each field sits.
 *
 * <pre>
 * struct {                          (RFC 6347 section 4.1)
 *   ContentType type;               1 byte: 20 change_cipher_spec, 21 alert, 22 handshake, 23 data
 *   ProtocolVersion version;        2 bytes
 *   uint16 epoch;                   2 bytes
 *   uint48 sequence_number;         6 bytes
 *   uint16 length;                  2 bytes
 *   opaque fragment[length];
 * } DTLSPlaintext;
 *
 * struct {                          (RFC 6347 section 4.2.2), inside a handshake record
 *   HandshakeType msg_type;         1 byte
 *   uint24 length;                  the whole message's body length
 *   uint16 message_seq;
 *   uint24 fragment_offset;
 *   uint24 fragment_length;
 *   opaque body[fragment_length];
 * } Handshake;
 * </pre>
 *
 * <p>Every method takes the offset of a record (or handshake fragment) header and trusts the caller
 * to have checked that the header lies within the array.
 */
final class DtlsRecords {
  /** Bytes of a DTLS record header. */
  static final int HEADER_BYTES = 13;

  /** Bytes of a DTLS handshake fragment header. */
  static final int HANDSHAKE_HEADER_BYTES = 12;

  static final int CHANGE_CIPHER_SPEC = 20;
  static final int ALERT = 21;
  static final int HANDSHAKE = 22;
  static final int APPLICATION_DATA = 23;

  private DtlsRecords() {}

  static int type(byte[] d, int record) {
    return d[record] & 0xFF;
  }

  static int epoch(byte[] d, int record) {
    return ((d[record + 3] & 0xFF) << 8) | (d[record + 4] & 0xFF);
  }

  /** The length of the record's fragment (its body). */
  static int length(byte[] d, int record) {
    return ((d[record + 11] & 0xFF) << 8) | (d[record + 12] & 0xFF);
  }

  /** The offset just past the record (its header plus body). */
  static int end(byte[] d, int record) {
    return record + HEADER_BYTES + length(d, record);
  }

  /** True if a whole record header starts at {@code record} within {@code limit}. */
  static boolean hasHeader(int record, int limit) {
    return record + HEADER_BYTES <= limit;
  }

  static int uint24(byte[] d, int off) {
    return ((d[off] & 0xFF) << 16) | ((d[off + 1] & 0xFF) << 8) | (d[off + 2] & 0xFF);
  }
}
