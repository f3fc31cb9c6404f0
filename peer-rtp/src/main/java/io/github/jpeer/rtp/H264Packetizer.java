package io.github.jpeer.rtp;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * H.264 over RTP in packetization-mode 1 (RFC 6184, non-interleaved): single NAL unit packets,
 * STAP-A aggregation and FU-A fragmentation.
 *
 * <p>Usage, one access unit (all NAL units of one picture) at a time:
 *
 * <pre>{@code
 * packetizer.beginAccessUnit(annexB, 0, annexB.length, mediaTicks90kHz);
 * while (packetizer.hasNextPacket()) {
 *   int length = packetizer.nextPacket(buffer, 0);
 *   send(buffer, 0, length);
 * }
 * }</pre>
 *
 * <p>Packing rules: consecutive NAL units that fit together in one packet (typically SPS and PPS)
 * go into a STAP-A (section 5.7.1); a NAL unit that fits alone goes in a single NAL unit packet
 * (5.6); a NAL unit larger than the MTU is cut into FU-A fragments of nearly equal size (5.8). The
 * marker bit is set on the last packet of the access unit (5.1). The MTU here is the largest RTP
 * packet written (header included): leave room for SRTP's authentication tag and the UDP/IP headers
 * when choosing it.
 *
 * <p>The access unit's bytes are read by reference until its last packet is written, so the caller
 * must not change them meanwhile. Steady state allocates nothing. Not thread-safe.
 */
public final class H264Packetizer {

  /** The RTP clock rate of video, 90000 Hz (RFC 6184 section 5.1). */
  public static final int CLOCK_RATE = 90_000;

  private static final int STAP_A = 24;
  private static final int FU_A = 28;

  private final RtpPacketizer stream;
  private final int mtu;

  // The NAL units of the current access unit, by reference.
  private byte[][] nalBuffers = new byte[16][];
  private int[] nalOffsets = new int[16];
  private int[] nalLengths = new int[16];
  private int nalCount;
  private int nalIndex;
  // Position inside the NAL being fragmented (0 = not fragmenting) and fragment size.
  private int fragmentPosition;
  private int fragmentSize;
  private long timestamp;

  /**
   * Creates an H.264 stream.
   *
   * @param payloadType the dynamic payload type negotiated for H264 with packetization-mode=1
   * @param ssrc the SSRC
   * @param mtu the largest RTP packet to write, header included (at least 100)
   * @param random source of the initial sequence number and timestamp
   */
  public H264Packetizer(int payloadType, int ssrc, int mtu, RandomGenerator random) {
    if (mtu < 100) {
      throw new IllegalArgumentException("mtu must be at least 100 bytes, got " + mtu);
    }
    this.stream = new RtpPacketizer(payloadType, ssrc, CLOCK_RATE, random);
    this.mtu = mtu;
  }

  /** Returns the underlying stream state. */
  public RtpPacketizer stream() {
    return stream;
  }

  /** Returns the MTU the packets are cut to. */
  public int mtu() {
    return mtu;
  }

  /**
   * Starts an access unit given in Annex-B byte stream format (NAL units each preceded by a {@code
   * 00 00 01} or {@code 00 00 00 01} start code).
   *
   * @param annexB the access unit
   * @param offset where it starts
   * @param length its length
   * @param mediaTicks90kHz the picture's capture time in 90 kHz ticks since the stream started
   * @throws IllegalArgumentException if the bytes do not start with a start code or hold no NAL
   * @throws IllegalStateException if the previous access unit has packets left
   */
  public void beginAccessUnit(byte[] annexB, int offset, int length, long mediaTicks90kHz) {
    Objects.checkFromIndexSize(offset, length, annexB.length);
    checkIdle();
    nalCount = 0;
    int end = offset + length;
    int pos = offset;
    // leading_zero_8bits may precede the first start code.
    while (pos < end && annexB[pos] == 0) {
      pos++;
    }
    if (pos - offset < 2 || pos >= end || annexB[pos] != 1) {
      throw new IllegalArgumentException(
          "access unit is not Annex-B: it must start with a 00 00 01 or 00 00 00 01 start code");
    }
    int nalStart = pos + 1;
    while (nalStart < end) {
      int next = findStartCode(annexB, nalStart, end);
      int nalEnd = next < 0 ? end : next;
      // Zero bytes before a start code are trailing_zero_8bits or the 4-byte code's first byte;
      // a NAL unit never ends in a zero byte (rbsp_trailing_bits), so they can be cut.
      while (nalEnd > nalStart && annexB[nalEnd - 1] == 0) {
        nalEnd--;
      }
      if (nalEnd > nalStart) {
        addNal(annexB, nalStart, nalEnd - nalStart);
      }
      nalStart = next < 0 ? end : next + 3;
    }
    start(mediaTicks90kHz);
  }

  /**
   * Starts an access unit given as NAL units without start codes.
   *
   * @param nalUnits the NAL units, each starting with its one-byte header
   * @param mediaTicks90kHz the picture's capture time in 90 kHz ticks since the stream started
   * @throws IllegalArgumentException if the list is empty or holds an empty NAL unit
   * @throws IllegalStateException if the previous access unit has packets left
   */
  public void beginAccessUnit(List<byte[]> nalUnits, long mediaTicks90kHz) {
    checkIdle();
    nalCount = 0;
    for (byte[] nal : nalUnits) {
      if (nal.length == 0) {
        nalCount = 0;
        throw new IllegalArgumentException("empty NAL unit in the access unit");
      }
      addNal(nal, 0, nal.length);
    }
    start(mediaTicks90kHz);
  }

  private void checkIdle() {
    if (hasNextPacket()) {
      throw new IllegalStateException(
          "the previous access unit still has packets: call nextPacket() until hasNextPacket() is false");
    }
  }

  private void start(long mediaTicks90kHz) {
    if (nalCount == 0) {
      throw new IllegalArgumentException("access unit holds no NAL unit");
    }
    nalIndex = 0;
    fragmentPosition = 0;
    timestamp = stream.timestampFor(mediaTicks90kHz);
  }

  private void addNal(byte[] buffer, int offset, int length) {
    if (nalCount == nalBuffers.length) {
      nalBuffers = Arrays.copyOf(nalBuffers, nalCount * 2);
      nalOffsets = Arrays.copyOf(nalOffsets, nalCount * 2);
      nalLengths = Arrays.copyOf(nalLengths, nalCount * 2);
    }
    nalBuffers[nalCount] = buffer;
    nalOffsets[nalCount] = offset;
    nalLengths[nalCount] = length;
    nalCount++;
  }

  private static int findStartCode(byte[] b, int from, int end) {
    for (int i = from; i + 2 < end; i++) {
      if ((b[i + 2] & 0xFF) > 1) {
        // Neither b[i+2] nor anything before it can complete a start code here: skip ahead.
        i += 2;
      } else if (b[i] == 0 && b[i + 1] == 0 && b[i + 2] == 1) {
        return i;
      }
    }
    return -1;
  }

  /** Returns whether the current access unit has packets left to write. */
  public boolean hasNextPacket() {
    return nalIndex < nalCount;
  }

  /**
   * Writes the next packet of the current access unit.
   *
   * @param dst destination with room for {@link #mtu()} bytes
   * @param dstOffset where to write
   * @return the packet length (at most the MTU)
   * @throws IllegalStateException if no packet is left
   */
  public int nextPacket(byte[] dst, int dstOffset) {
    if (!hasNextPacket()) {
      throw new IllegalStateException("no packet left: call beginAccessUnit() first");
    }
    int maxPayload = mtu - RtpPacket.FIXED_HEADER_LENGTH;
    Objects.checkFromIndexSize(dstOffset, 0, dst.length);
    if (fragmentPosition > 0 || nalLengths[nalIndex] > maxPayload) {
      return nextFragment(dst, dstOffset, maxPayload);
    }
    // How many of the following NAL units fit in one STAP-A (1-byte header, 2-byte sizes)?
    int stapLength = 1;
    int last = nalIndex;
    while (last < nalCount && stapLength + 2 + nalLengths[last] <= maxPayload) {
      stapLength += 2 + nalLengths[last];
      last++;
    }
    if (last - nalIndex >= 2) {
      return writeStapA(dst, dstOffset, last, stapLength);
    }
    byte[] nal = nalBuffers[nalIndex];
    int length = nalLengths[nalIndex];
    Objects.checkFromIndexSize(dstOffset, RtpPacket.FIXED_HEADER_LENGTH + length, dst.length);
    int header = stream.writeHeader(nalIndex == nalCount - 1, timestamp, dst, dstOffset);
    System.arraycopy(nal, nalOffsets[nalIndex], dst, dstOffset + header, length);
    nalIndex++;
    return header + length;
  }

  // RFC 6184 5.7.1: STAP-A header, then (size, NAL unit) pairs.
  private int writeStapA(byte[] dst, int dstOffset, int last, int stapLength) {
    Objects.checkFromIndexSize(dstOffset, RtpPacket.FIXED_HEADER_LENGTH + stapLength, dst.length);
    int header = stream.writeHeader(last == nalCount, timestamp, dst, dstOffset);
    int pos = dstOffset + header + 1;
    int forbidden = 0;
    int nri = 0;
    for (int i = nalIndex; i < last; i++) {
      int nalHeader = nalBuffers[i][nalOffsets[i]] & 0xFF;
      // The aggregate's F is the OR of the F bits and its NRI the maximum NRI (5.7.1).
      forbidden |= nalHeader & 0x80;
      nri = Math.max(nri, nalHeader & 0x60);
      RtpHeaderWriter.put16(dst, pos, nalLengths[i]);
      System.arraycopy(nalBuffers[i], nalOffsets[i], dst, pos + 2, nalLengths[i]);
      pos += 2 + nalLengths[i];
    }
    dst[dstOffset + header] = (byte) (forbidden | nri | STAP_A);
    nalIndex = last;
    return header + stapLength;
  }

  // RFC 6184 5.8: FU indicator (F, NRI, type 28), FU header (S, E, R, NAL type), fragment.
  private int nextFragment(byte[] dst, int dstOffset, int maxPayload) {
    byte[] nal = nalBuffers[nalIndex];
    int nalOffset = nalOffsets[nalIndex];
    int nalLength = nalLengths[nalIndex];
    int nalHeader = nal[nalOffset] & 0xFF;
    boolean first = fragmentPosition == 0;
    if (first) {
      // The NAL header travels in the FU headers, so fragments carry the bytes after it; split
      // them into equal pieces rather than full ones plus a small tail.
      int body = nalLength - 1;
      int perPacket = maxPayload - 2;
      int count = (body + perPacket - 1) / perPacket;
      fragmentSize = (body + count - 1) / count;
      fragmentPosition = 1;
    }
    int size = Math.min(fragmentSize, nalLength - fragmentPosition);
    boolean lastFragment = fragmentPosition + size == nalLength;
    Objects.checkFromIndexSize(dstOffset, RtpPacket.FIXED_HEADER_LENGTH + 2 + size, dst.length);
    boolean marker = lastFragment && nalIndex == nalCount - 1;
    int header = stream.writeHeader(marker, timestamp, dst, dstOffset);
    int pos = dstOffset + header;
    dst[pos] = (byte) ((nalHeader & 0xE0) | FU_A);
    dst[pos + 1] = (byte) ((first ? 0x80 : 0) | (lastFragment ? 0x40 : 0) | (nalHeader & 0x1F));
    System.arraycopy(nal, nalOffset + fragmentPosition, dst, pos + 2, size);
    if (lastFragment) {
      fragmentPosition = 0;
      nalIndex++;
    } else {
      fragmentPosition += size;
    }
    return header + 2 + size;
  }
}
