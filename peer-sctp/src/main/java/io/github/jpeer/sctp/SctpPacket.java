package io.github.jpeer.sctp;

import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * An SCTP packet (RFC 9260 section 3.1): the common header and its chunks. Over DTLS (RFC 8261) a
 * packet is exactly one DTLS record's payload, so there is no IP header around it.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Source Port Number        |     Destination Port Number   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                      Verification Tag                         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                           Checksum                            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                            Chunks...                          |
 * </pre>
 *
 * <p>The checksum is CRC32c (RFC 9260 appendix A) over the whole packet with the checksum field
 * zeroed; the CRC value goes on the wire least significant byte first, which is the byte order of
 * RFC 3720's CRC examples.
 *
 * @param sourcePort the sender's SCTP port
 * @param destinationPort the receiver's SCTP port
 * @param verificationTag the receiver's tag (0 only on INIT)
 * @param chunks the chunks in wire order
 */
public record SctpPacket(
    int sourcePort, int destinationPort, int verificationTag, List<Chunk> chunks) {
  /** Bytes of the common header. */
  public static final int HEADER_LENGTH = 12;

  /** Checks the ports and copies the chunk list. */
  public SctpPacket {
    if (sourcePort < 0 || sourcePort > 0xFFFF || destinationPort < 0 || destinationPort > 0xFFFF) {
      throw new IllegalArgumentException("ports must fit 16 bits");
    }
    chunks = List.copyOf(chunks);
  }

  /**
   * Parses the header and every chunk of {@code [off, off+len)}. Does not look at the checksum (see
   * {@link #checksumMatches}).
   *
   * @throws SctpParseException if the packet is shorter than the header, has no chunk, or any chunk
   *     is malformed
   */
  public static SctpPacket parse(byte[] b, int off, int len) throws SctpParseException {
    if (off < 0 || len < 0 || off > b.length - len) {
      throw new IllegalArgumentException("range [" + off + ", +" + len + ") outside the array");
    }
    if (len < HEADER_LENGTH + 4) {
      throw new SctpParseException("SCTP packet of " + len + " bytes is too short for a chunk");
    }
    List<Chunk> chunks = new ArrayList<>();
    int p = off + HEADER_LENGTH;
    int end = off + len;
    while (p < end) {
      if (end - p < 4) {
        throw new SctpParseException((end - p) + " trailing bytes after the last chunk");
      }
      int chunkLen = Wire.u16(b, p + 2);
      chunks.add(Chunk.decode(b, p, end - p));
      // the last chunk may omit its padding
      p += Math.min(Wire.pad4(chunkLen), end - p);
    }
    return new SctpPacket(Wire.u16(b, off), Wire.u16(b, off + 2), Wire.i32(b, off + 4), chunks);
  }

  /** Bytes this packet takes on the wire. */
  public int encodedLength() {
    int n = HEADER_LENGTH;
    for (Chunk c : chunks) {
      n += c.paddedLength();
    }
    return n;
  }

  /** The packet with a correct CRC32c checksum. */
  public byte[] encode() {
    byte[] out = new byte[encodedLength()];
    Wire.put16(out, 0, sourcePort);
    Wire.put16(out, 2, destinationPort);
    Wire.put32(out, 4, verificationTag);
    int p = HEADER_LENGTH;
    for (Chunk c : chunks) {
      p += c.writeTo(out, p);
    }
    writeChecksum(out, 0, out.length);
    return out;
  }

  /** CRC32c of the packet in {@code [off, off+len)} taking the checksum field as zero. */
  public static int checksum(byte[] b, int off, int len) {
    CRC32C crc = new CRC32C();
    crc.update(b, off, 8);
    crc.update(ZEROS, 0, 4);
    crc.update(b, off + HEADER_LENGTH, len - HEADER_LENGTH);
    return (int) crc.getValue();
  }

  /** Computes the checksum and stores it, least significant byte first, at {@code off + 8}. */
  public static void writeChecksum(byte[] b, int off, int len) {
    int crc = checksum(b, off, len);
    b[off + 8] = (byte) crc;
    b[off + 9] = (byte) (crc >>> 8);
    b[off + 10] = (byte) (crc >>> 16);
    b[off + 11] = (byte) (crc >>> 24);
  }

  /** The checksum field as stored, read least significant byte first. */
  static int storedChecksum(byte[] b, int off) {
    return (b[off + 8] & 0xFF)
        | ((b[off + 9] & 0xFF) << 8)
        | ((b[off + 10] & 0xFF) << 16)
        | ((b[off + 11] & 0xFF) << 24);
  }

  /** True if the packet (at least {@value #HEADER_LENGTH} bytes) carries a correct CRC32c. */
  public static boolean checksumMatches(byte[] b, int off, int len) {
    return len >= HEADER_LENGTH && storedChecksum(b, off) == checksum(b, off, len);
  }

  private static final byte[] ZEROS = new byte[4];
}
