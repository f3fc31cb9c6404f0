package io.github.jpeer.stun;

import java.util.Arrays;
import java.util.Objects;

/**
 * Cuts a byte stream (a TCP connection, or TLS over one) back into the packets sent over it, for
 * the two framings WebRTC puts on a stream: RFC 4571 (ICE-TCP, RFC 6544 section 3: a 16-bit length
 * before every STUN, DTLS, RTP and RTCP packet) and TURN over TCP or TLS (RFC 8656 section 12.5:
 * STUN messages delimited by their own length field, ChannelData by its length and padded to a
 * multiple of four).
 *
 * <p>Sans-IO: the driver hands in whatever a read returned ({@link #receive}), in any pieces, down
 * to one byte at a time, and takes out complete packets ({@link #next}); a partial packet waits in
 * the buffer until the rest arrives, so a short read never spins. {@link #frame(byte[], int, int,
 * byte[], int)} writes what goes out. The buffer grows to the largest packet seen (at most 64 KiB
 * plus a header) and is then reused: no allocation per packet in the steady state.
 *
 * <p>RFC 4571 cannot lose its place in a stream, but TURN framing can: bytes that start neither a
 * STUN message nor ChannelData of a valid channel mean the stream is not what it should be, and RFC
 * 8656 leaves nothing to do but close the connection. Then {@link #isBroken()} is true, the
 * stream's bytes are dropped from there on, and the driver closes it.
 *
 * <p>Not thread-safe: the connection's thread owns it.
 */
public final class StreamFramer {
  /** The framing of a stream. */
  public enum Framing {
    /** RFC 4571: a 16-bit big-endian length, then the packet (ICE-TCP, RFC 6544). */
    RFC_4571,
    /**
     * TURN over TCP or TLS (RFC 8656 section 12.5): STUN messages as they are, ChannelData padded
     * to a multiple of four bytes.
     */
    TURN
  }

  private static final int STUN_HEADER = 20;
  private static final int INITIAL_CAPACITY = 2048;
  // a 16-bit length plus its prefix, or a STUN message's 20-byte header plus its 16-bit length
  private static final int MAX_FRAMED = STUN_HEADER + 0xFFFF;

  private final Framing framing;
  private byte[] buffer = new byte[INITIAL_CAPACITY];
  private int start;
  private int end;
  private int frameOffset;
  private int frameLength;
  private boolean broken;
  private long packets;
  private long discardedBytes;

  /** A framer for one stream of {@code framing}. */
  public StreamFramer(Framing framing) {
    this.framing = Objects.requireNonNull(framing, "framing");
  }

  /** The framing this stream uses. */
  public Framing framing() {
    return framing;
  }

  /**
   * Takes bytes read from the stream. The bytes are copied; once the stream is broken they are
   * counted and dropped.
   */
  public void receive(byte[] data, int off, int len) {
    Objects.checkFromIndexSize(off, len, data.length);
    if (broken) {
      discardedBytes += len;
      return;
    }
    if (buffer.length - end < len) {
      makeRoom(len);
    }
    System.arraycopy(data, off, buffer, end, len);
    end += len;
  }

  private void makeRoom(int len) {
    int held = end - start;
    if (start > 0) {
      System.arraycopy(buffer, start, buffer, 0, held);
      end = held;
      start = 0;
    }
    if (buffer.length - end < len) {
      // the largest packet plus what the caller hands in at once, never less than doubling
      buffer = Arrays.copyOf(buffer, Math.max(held + len, Math.min(2 * buffer.length, MAX_FRAMED)));
    }
  }

  /**
   * Moves to the next complete packet, if one has arrived: then {@link #frameArray()}, {@link
   * #frameOffset()} and {@link #frameLength()} describe it until the next call to this method or to
   * {@link #receive}.
   *
   * @return false if no complete packet is waiting (or the stream is broken)
   */
  public boolean next() {
    if (broken) {
      return false;
    }
    int held = end - start;
    if (held < 2 || (framing == Framing.TURN && held < 4)) {
      return compactIfEmpty();
    }
    int b0 = buffer[start] & 0xFF;
    if (framing == Framing.RFC_4571) {
      int packet = (b0 << 8) | (buffer[start + 1] & 0xFF);
      if (held < 2 + packet) {
        return false;
      }
      return take(start + 2, packet, 2 + packet);
    }
    int length16 = ((buffer[start + 2] & 0xFF) << 8) | (buffer[start + 3] & 0xFF);
    if (b0 < 0x40) {
      // STUN: the top two bits 0; the length counts what follows the 20-byte header, in words
      if ((length16 & 3) != 0) {
        return breakStream();
      }
      int packet = STUN_HEADER + length16;
      if (held < packet) {
        return false;
      }
      return take(start, packet, packet);
    }
    int channel = (b0 << 8) | (buffer[start + 1] & 0xFF);
    if (!ChannelData.isValidChannelNumber(channel)) {
      return breakStream();
    }
    int packet = ChannelData.HEADER_LENGTH + length16;
    int consumed = (packet + 3) & ~3;
    if (held < consumed) {
      return false;
    }
    return take(start, packet, consumed);
  }

  private boolean take(int offset, int length, int consumed) {
    frameOffset = offset;
    frameLength = length;
    start += consumed;
    packets++;
    return true;
  }

  private boolean compactIfEmpty() {
    if (start == end) {
      start = 0;
      end = 0;
    }
    return false;
  }

  private boolean breakStream() {
    broken = true;
    discardedBytes += end - start;
    start = 0;
    end = 0;
    return false;
  }

  /** The array holding the current packet (valid as {@link #next} says). */
  public byte[] frameArray() {
    return buffer;
  }

  /** Where the current packet starts in {@link #frameArray()}. */
  public int frameOffset() {
    return frameOffset;
  }

  /** The current packet's length. */
  public int frameLength() {
    return frameLength;
  }

  /** Bytes received that do not yet make a complete packet. */
  public int pendingBytes() {
    return end - start;
  }

  /**
   * Whether the stream lost its framing (TURN only: bytes that start neither STUN nor ChannelData
   * of a valid channel, or a STUN length that is not a multiple of four). The connection must be
   * closed; nothing more comes out.
   */
  public boolean isBroken() {
    return broken;
  }

  /** Complete packets taken out so far. */
  public long packets() {
    return packets;
  }

  /** Bytes dropped because the stream was broken. */
  public long discardedBytes() {
    return discardedBytes;
  }

  /**
   * How many bytes {@link #frame(byte[], int, int, byte[], int)} writes for a packet of {@code
   * length} bytes.
   */
  public int framedLength(int length) {
    return framing == Framing.RFC_4571 ? 2 + length : (length + 3) & ~3;
  }

  /**
   * Writes {@code data[off, off+len)} to {@code out} as it goes on the stream: with RFC 4571 its
   * length first; with TURN framing a STUN message unchanged and ChannelData padded with zeros to a
   * multiple of four (RFC 8656 section 12.5).
   *
   * @return the bytes written, {@link #framedLength}
   * @throws IllegalArgumentException if the packet is longer than 65535 bytes (RFC 4571), or if for
   *     TURN framing it is neither STUN nor ChannelData whose length field matches
   */
  public int frame(byte[] data, int off, int len, byte[] out, int outOff) {
    Objects.checkFromIndexSize(off, len, data.length);
    int n = framedLength(len);
    Objects.checkFromIndexSize(outOff, n, out.length);
    if (framing == Framing.RFC_4571) {
      if (len > 0xFFFF) {
        throw new IllegalArgumentException(
            "RFC 4571 frames at most 65535 bytes, got a packet of " + len);
      }
      out[outOff] = (byte) (len >>> 8);
      out[outOff + 1] = (byte) len;
      System.arraycopy(data, off, out, outOff + 2, len);
      return n;
    }
    if (len < 4 || !selfDelimited(data, off, len)) {
      throw new IllegalArgumentException(
          "TURN over a stream carries STUN messages and ChannelData only, each whole; got "
              + len
              + " bytes that are neither");
    }
    System.arraycopy(data, off, out, outOff, len);
    Arrays.fill(out, outOff + len, outOff + n, (byte) 0);
    return n;
  }

  private static boolean selfDelimited(byte[] data, int off, int len) {
    int b0 = data[off] & 0xFF;
    int length16 = ((data[off + 2] & 0xFF) << 8) | (data[off + 3] & 0xFF);
    if (b0 < 0x40) {
      return STUN_HEADER + length16 == len;
    }
    return ChannelData.isValidChannelNumber((b0 << 8) | (data[off + 1] & 0xFF))
        && ChannelData.HEADER_LENGTH + length16 == len;
  }

  @Override
  public String toString() {
    return "StreamFramer[" + framing + ", pending " + pendingBytes() + (broken ? ", broken]" : "]");
  }
}
