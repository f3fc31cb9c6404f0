package io.github.jpeer.rtp;

import java.util.Arrays;

/**
 * Reassembles H.264 access units from RTP packets in packetization-mode 1 (RFC 6184): single NAL
 * unit packets, STAP-A and FU-A. Output is Annex-B: each NAL unit preceded by {@code 00 00 00 01}.
 *
 * <pre>{@code
 * H264Depacketizer.Result result = depacketizer.push(rtpView);
 * while (depacketizer.pollAccessUnit()) {
 *   decode(depacketizer.accessUnit(), 0, depacketizer.accessUnitLength());
 * }
 * if (depacketizer.keyframeNeeded()) { send a PLI (rate-limited) }
 * }</pre>
 *
 * <p>An access unit ends at its marker bit, or when a packet with another timestamp arrives.
 * <b>Input is expected in sequence order</b> (put a jitter buffer in front on networks that
 * reorder): a packet older than the newest one seen is dropped as {@link Result#DUPLICATE_OR_OLD},
 * and any gap in sequence numbers counts as loss. On loss the access units that may have lost
 * packets (the one in progress, and the one the next packet belongs to unless that packet starts
 * with an SPS or access unit delimiter, as keyframes do) are dropped whole, never delivered
 * half-built, and {@link #keyframeNeeded()} turns true until an access unit with an IDR slice is
 * delivered. A malformed payload (bad STAP-A sizes, FU-A without its start, unsupported
 * STAP-B/MTAP/FU-B) drops its access unit the same way.
 *
 * <p>Untrusted input never throws. Buffers grow to the largest access unit seen (bounded by the
 * limit given to the constructor), then nothing is allocated. Not thread-safe.
 */
public final class H264Depacketizer {

  /** The outcome of {@link #push}. */
  public enum Result {
    /** The packet was taken in. */
    ACCEPTED,
    /** A sequence gap was seen before this packet; the affected access units are dropped. */
    LOSS_DETECTED,
    /** The packet repeats or precedes one already seen and was ignored. */
    DUPLICATE_OR_OLD,
    /** The RTP packet or its H.264 payload is malformed; its access unit is dropped. */
    MALFORMED
  }

  /** The default limit on an access unit's size, 4 MiB. */
  public static final int DEFAULT_MAX_ACCESS_UNIT_BYTES = 4 << 20;

  private static final byte[] START_CODE = {0, 0, 0, 1};
  private static final int IDR_SLICE = 5;

  private final int maxAccessUnitBytes;

  private boolean started;
  private int lastSequenceNumber;
  private int lastSsrc;

  // The access unit being assembled.
  private byte[] assembly = new byte[2048];
  private int assemblyLength;
  private long assemblyTimestamp;
  private boolean assemblyActive;
  private boolean assemblyCorrupt;
  private boolean assemblyKeyframe;
  // Start of the FU-A NAL unit in progress within 'assembly', or -1.
  private int fragmentStart = -1;
  private int fragmentType;

  // Access units completed by the last push (at most two: one ended by a timestamp change and
  // one by the marker of the same packet).
  private final byte[][] ready = {new byte[2048], new byte[2048]};
  private final int[] readyLengths = new int[2];
  private final long[] readyTimestamps = new long[2];
  private final boolean[] readyKeyframes = new boolean[2];
  private int readyCount;
  private int readIndex;
  private int current = -1;

  private boolean keyframeNeeded;
  private long lostAccessUnits;
  private long deliveredAccessUnits;

  /** Creates a depacketizer with the default access unit limit. */
  public H264Depacketizer() {
    this(DEFAULT_MAX_ACCESS_UNIT_BYTES);
  }

  /**
   * Creates a depacketizer.
   *
   * @param maxAccessUnitBytes larger access units are dropped as malformed (memory bound)
   */
  public H264Depacketizer(int maxAccessUnitBytes) {
    if (maxAccessUnitBytes < 1024) {
      throw new IllegalArgumentException(
          "maxAccessUnitBytes must be at least 1024, got " + maxAccessUnitBytes);
    }
    this.maxAccessUnitBytes = maxAccessUnitBytes;
  }

  /**
   * Takes in one RTP packet. Access units it completes are then available from {@link
   * #pollAccessUnit()}; those of the previous push that were not polled are discarded.
   *
   * @param packet a view; packets for which {@link RtpPacket#isValid()} is false are MALFORMED
   * @return what happened to the packet
   */
  public Result push(RtpPacket packet) {
    readyCount = 0;
    readIndex = 0;
    current = -1;
    if (!packet.isValid()) {
      return Result.MALFORMED;
    }
    int sequenceNumber = packet.sequenceNumber();
    long timestamp = packet.timestamp();
    boolean gap = false;
    if (started && packet.ssrc() != lastSsrc) {
      // A new source (e.g. the sender restarted): nothing carries over.
      discardAssembly();
      started = false;
    }
    if (started) {
      int delta = (sequenceNumber - lastSequenceNumber) & 0xFFFF;
      if (delta == 0 || delta >= 0x8000) {
        return Result.DUPLICATE_OR_OLD;
      }
      gap = delta > 1;
    }
    started = true;
    lastSequenceNumber = sequenceNumber;
    lastSsrc = packet.ssrc();
    if (gap) {
      // The lost packets may be the tail of the access unit in progress.
      assemblyCorrupt = true;
      keyframeNeeded = true;
    }
    if (assemblyActive && timestamp != assemblyTimestamp) {
      finishAssembly();
    }
    if (!assemblyActive) {
      assemblyActive = true;
      assemblyTimestamp = timestamp;
      assemblyLength = 0;
      // After a gap the lost packets may also be the head of this new access unit, unless it
      // visibly starts one (SPS or access unit delimiter first, as keyframes are sent).
      assemblyCorrupt =
          gap && !startsAccessUnit(packet.buffer(), packet.payloadOffset(), packet.payloadLength());
      assemblyKeyframe = false;
      fragmentStart = -1;
    }
    Result result = gap ? Result.LOSS_DETECTED : Result.ACCEPTED;
    if (!assemblyCorrupt
        && !appendPayload(packet.buffer(), packet.payloadOffset(), packet.payloadLength())) {
      assemblyCorrupt = true;
      result = Result.MALFORMED;
    }
    if (packet.marker()) {
      finishAssembly();
    }
    return result;
  }

  /**
   * Moves to the next access unit completed by the last {@link #push}.
   *
   * @return {@code false} when there is none left
   */
  public boolean pollAccessUnit() {
    if (readIndex >= readyCount) {
      current = -1;
      return false;
    }
    current = readIndex++;
    return true;
  }

  /**
   * Returns the array holding the current access unit from offset 0 (valid until the next push;
   * longer than the access unit).
   */
  public byte[] accessUnit() {
    checkCurrent();
    return ready[current];
  }

  /** Returns the current access unit's length in bytes. */
  public int accessUnitLength() {
    checkCurrent();
    return readyLengths[current];
  }

  /** Returns the current access unit's RTP timestamp (90 kHz, unsigned 32 bits). */
  public long accessUnitTimestamp() {
    checkCurrent();
    return readyTimestamps[current];
  }

  /** Returns whether the current access unit holds an IDR slice. */
  public boolean accessUnitIsKeyframe() {
    checkCurrent();
    return readyKeyframes[current];
  }

  /**
   * Returns whether loss broke the decoding chain: true from a dropped access unit until an access
   * unit with an IDR slice is delivered. Send a PLI while it is true (rate-limited).
   */
  public boolean keyframeNeeded() {
    return keyframeNeeded;
  }

  /** Returns how many access units were dropped because of loss or malformed payloads. */
  public long lostAccessUnits() {
    return lostAccessUnits;
  }

  /** Returns how many access units were delivered. */
  public long deliveredAccessUnits() {
    return deliveredAccessUnits;
  }

  // Whether the payload's first NAL unit is one that only ever opens an access unit.
  private static boolean startsAccessUnit(byte[] b, int offset, int length) {
    if (length < 1) {
      return false;
    }
    int type = b[offset] & 0x1F;
    int nalType;
    if (type >= 1 && type <= 23) {
      nalType = type;
    } else if (type == 24 && length >= 4) {
      nalType = b[offset + 3] & 0x1F;
    } else if (type == 28 && length >= 2 && (b[offset + 1] & 0x80) != 0) {
      nalType = b[offset + 1] & 0x1F;
    } else {
      return false;
    }
    return nalType == 7 || nalType == 9;
  }

  private void checkCurrent() {
    if (current < 0) {
      throw new IllegalStateException("no current access unit: call pollAccessUnit() first");
    }
  }

  private void discardAssembly() {
    assemblyActive = false;
    assemblyLength = 0;
    fragmentStart = -1;
  }

  private void finishAssembly() {
    if (fragmentStart >= 0) {
      // An FU-A without its end fragment.
      assemblyCorrupt = true;
    }
    if (assemblyCorrupt) {
      lostAccessUnits++;
      keyframeNeeded = true;
    } else if (assemblyLength > 0) {
      // Hand the assembled bytes over by swapping arrays rather than copying.
      byte[] out = ready[readyCount];
      ready[readyCount] = assembly;
      assembly = out;
      readyLengths[readyCount] = assemblyLength;
      readyTimestamps[readyCount] = assemblyTimestamp;
      readyKeyframes[readyCount] = assemblyKeyframe;
      readyCount++;
      deliveredAccessUnits++;
      if (assemblyKeyframe) {
        keyframeNeeded = false;
      }
    }
    assemblyCorrupt = false;
    discardAssembly();
  }

  /*
   * RFC 6184 5.2 payload structures, told apart by the type of the first byte:
   *   +---------------+
   *   |0|1|2|3|4|5|6|7|
   *   +-+-+-+-+-+-+-+-+
   *   |F|NRI|  Type   |   1-23 single NAL unit, 24 STAP-A, 28 FU-A
   *   +---------------+
   *
   * STAP-A (5.7.1):  [STAP-A NAL HDR] { [NALU size (16 bits)] [NALU] }+
   * FU-A (5.8):      [FU indicator: F NRI 28] [FU header: S E R Type] [fragment]
   */
  private boolean appendPayload(byte[] b, int offset, int length) {
    if (length == 0) {
      // Nothing to add (e.g. a padding-only probe).
      return true;
    }
    int indicator = b[offset] & 0xFF;
    int type = indicator & 0x1F;
    if (fragmentStart >= 0 && type != 28) {
      // A fragmented NAL unit was cut short.
      return false;
    }
    if (type >= 1 && type <= 23) {
      return appendNal(b, offset, length);
    }
    if (type == 24) {
      int end = offset + length;
      int pos = offset + 1;
      if (pos >= end) {
        return false;
      }
      while (pos < end) {
        if (end - pos < 2) {
          return false;
        }
        int size = ((b[pos] & 0xFF) << 8) | (b[pos + 1] & 0xFF);
        pos += 2;
        if (size == 0 || size > end - pos || !appendNal(b, pos, size)) {
          return false;
        }
        pos += size;
      }
      return true;
    }
    if (type == 28) {
      return appendFragment(b, offset, length, indicator);
    }
    // 0 and 30-31 are undefined; STAP-B, MTAP16/24 and FU-B are not allowed in mode 1.
    return false;
  }

  private boolean appendFragment(byte[] b, int offset, int length, int indicator) {
    if (length < 2) {
      return false;
    }
    int fuHeader = b[offset + 1] & 0xFF;
    boolean startBit = (fuHeader & 0x80) != 0;
    boolean endBit = (fuHeader & 0x40) != 0;
    int nalType = fuHeader & 0x1F;
    if (startBit) {
      // RFC 6184 5.8: S and E must not both be set; a new start while one is open is a loss.
      if (endBit || fragmentStart >= 0) {
        return false;
      }
      if (!ensureCapacity(START_CODE.length + 1 + length - 2)) {
        return false;
      }
      fragmentStart = assemblyLength;
      fragmentType = nalType;
      System.arraycopy(START_CODE, 0, assembly, assemblyLength, START_CODE.length);
      assemblyLength += START_CODE.length;
      // Rebuild the NAL header from the indicator's F and NRI and the FU header's type.
      assembly[assemblyLength++] = (byte) ((indicator & 0xE0) | nalType);
      if (nalType == IDR_SLICE) {
        assemblyKeyframe = true;
      }
    } else if (fragmentStart < 0 || nalType != fragmentType) {
      // A middle or end fragment whose start was lost.
      return false;
    } else if (!ensureCapacity(length - 2)) {
      return false;
    }
    System.arraycopy(b, offset + 2, assembly, assemblyLength, length - 2);
    assemblyLength += length - 2;
    if (endBit) {
      fragmentStart = -1;
    }
    return true;
  }

  private boolean appendNal(byte[] b, int offset, int length) {
    if (!ensureCapacity(START_CODE.length + length)) {
      return false;
    }
    System.arraycopy(START_CODE, 0, assembly, assemblyLength, START_CODE.length);
    System.arraycopy(b, offset, assembly, assemblyLength + START_CODE.length, length);
    assemblyLength += START_CODE.length + length;
    if ((b[offset] & 0x1F) == IDR_SLICE) {
      assemblyKeyframe = true;
    }
    return true;
  }

  private boolean ensureCapacity(int extra) {
    long needed = (long) assemblyLength + extra;
    if (needed > maxAccessUnitBytes) {
      return false;
    }
    if (needed > assembly.length) {
      int grown = (int) Math.min(maxAccessUnitBytes, Math.max(needed, 2L * assembly.length));
      assembly = Arrays.copyOf(assembly, grown);
    }
    return true;
  }
}
