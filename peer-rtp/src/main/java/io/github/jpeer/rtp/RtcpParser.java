package io.github.jpeer.rtp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Decodes RTCP compound datagrams into {@link RtcpPacket} records: SR, RR, SDES, BYE, APP (RFC
 * 3550), generic NACK and PLI (RFC 4585), FIR (RFC 5104). REMB, transport-wide CC, other feedback
 * and unknown types are skipped by their length and reported as {@link UnsupportedRtcpPacket}.
 *
 * <p>Untrusted input never throws: the result is a {@link RtcpStatus}. A compound datagram is taken
 * or dropped as a whole (RFC 3550 A.2): if any packet is malformed, nothing is added.
 */
public final class RtcpParser {

  private RtcpParser() {}

  /**
   * Parses a compound datagram.
   *
   * @param data the datagram bytes (not kept)
   * @param offset where it starts
   * @param length its length
   * @param out receives the packets in wire order; unchanged unless the result is OK
   * @return {@link RtcpStatus#OK} or what was wrong
   */
  public static RtcpStatus parse(byte[] data, int offset, int length, List<RtcpPacket> out) {
    RtcpCompoundPacket view = new RtcpCompoundPacket();
    if (!view.wrap(data, offset, length)) {
      return view.status();
    }
    List<RtcpPacket> parsed = new ArrayList<>();
    while (view.next()) {
      RtcpPacket packet = decode(view);
      if (packet == null) {
        return RtcpStatus.MALFORMED_BODY;
      }
      parsed.add(packet);
    }
    out.addAll(parsed);
    return RtcpStatus.OK;
  }

  /**
   * Decodes the packet the view is currently on.
   *
   * @param view a valid view positioned by {@link RtcpCompoundPacket#next()}
   * @return the record, or {@code null} when the body is malformed
   */
  public static RtcpPacket decode(RtcpCompoundPacket view) {
    byte[] b = view.buffer();
    int body = view.bodyOffset();
    int bodyLength = view.bodyLength();
    int count = view.countOrFormat();
    return switch (view.packetType()) {
      case RtcpPacket.TYPE_SR -> decodeSenderReport(b, body, bodyLength, count);
      case RtcpPacket.TYPE_RR -> decodeReceiverReport(b, body, bodyLength, count);
      case RtcpPacket.TYPE_SDES -> decodeSourceDescription(b, body, bodyLength, count);
      case RtcpPacket.TYPE_BYE -> decodeGoodbye(b, body, bodyLength, count);
      case RtcpPacket.TYPE_APP -> decodeApplication(b, body, bodyLength, count);
      case RtcpPacket.TYPE_RTPFB -> decodeTransportFeedback(b, body, bodyLength, count);
      case RtcpPacket.TYPE_PSFB -> decodePayloadFeedback(b, body, bodyLength, count);
      default ->
          new UnsupportedRtcpPacket(view.packetType(), count, UnsupportedRtcpPacket.Kind.UNKNOWN);
    };
  }

  // RFC 3550 6.4.1: 24 bytes of sender info then RC report blocks; anything after them is a
  // profile-specific extension, ignored.
  private static RtcpPacket decodeSenderReport(byte[] b, int at, int length, int count) {
    if (length < 24 + ReportBlock.LENGTH * count) {
      return null;
    }
    return new SenderReport(
        i32(b, at),
        i64(b, at + 4),
        u32(b, at + 12),
        u32(b, at + 16),
        u32(b, at + 20),
        reportBlocks(b, at + 24, count));
  }

  // RFC 3550 6.4.2
  private static RtcpPacket decodeReceiverReport(byte[] b, int at, int length, int count) {
    if (length < 4 + ReportBlock.LENGTH * count) {
      return null;
    }
    return new ReceiverReport(i32(b, at), reportBlocks(b, at + 4, count));
  }

  private static List<ReportBlock> reportBlocks(byte[] b, int at, int count) {
    List<ReportBlock> blocks = new ArrayList<>(count);
    for (int i = 0; i < count; i++, at += ReportBlock.LENGTH) {
      // Cumulative lost is a signed 24-bit value: shift up and back down to extend the sign.
      int cumulativeLost = (i32(b, at + 4) << 8) >> 8;
      blocks.add(
          new ReportBlock(
              i32(b, at),
              b[at + 4] & 0xFF,
              cumulativeLost,
              u32(b, at + 8),
              u32(b, at + 12),
              u32(b, at + 16),
              u32(b, at + 20)));
    }
    return blocks;
  }

  // RFC 3550 6.5: each chunk is an SSRC, items (type, length, text) ended by a zero type octet,
  // then zero octets up to the next 32-bit boundary.
  private static RtcpPacket decodeSourceDescription(byte[] b, int at, int length, int count) {
    int end = at + length;
    int pos = at;
    List<SdesChunk> chunks = new ArrayList<>(count);
    for (int c = 0; c < count; c++) {
      if (end - pos < 4) {
        return null;
      }
      int ssrc = i32(b, pos);
      pos += 4;
      List<SdesItem> items = new ArrayList<>();
      while (true) {
        if (pos >= end) {
          return null;
        }
        int type = b[pos] & 0xFF;
        if (type == 0) {
          pos++;
          break;
        }
        if (end - pos < 2) {
          return null;
        }
        int textLength = b[pos + 1] & 0xFF;
        if (end - pos - 2 < textLength) {
          return null;
        }
        items.add(new SdesItem(type, Arrays.copyOfRange(b, pos + 2, pos + 2 + textLength)));
        pos += 2 + textLength;
      }
      // Alignment is relative to the packet start, which is itself 32-bit aligned to 'at'.
      pos = at + ((pos - at + 3) & ~3);
      if (pos > end) {
        return null;
      }
      chunks.add(new SdesChunk(ssrc, items));
    }
    return new SourceDescription(chunks);
  }

  // RFC 3550 6.6
  private static RtcpPacket decodeGoodbye(byte[] b, int at, int length, int count) {
    if (length < 4 * count) {
      return null;
    }
    List<Integer> ssrcs = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      ssrcs.add(i32(b, at + 4 * i));
    }
    int pos = at + 4 * count;
    byte[] reason = new byte[0];
    if (pos < at + length) {
      int reasonLength = b[pos] & 0xFF;
      if (at + length - pos - 1 < reasonLength) {
        return null;
      }
      reason = Arrays.copyOfRange(b, pos + 1, pos + 1 + reasonLength);
    }
    return new Goodbye(ssrcs, reason);
  }

  // RFC 3550 6.7
  private static RtcpPacket decodeApplication(byte[] b, int at, int length, int subtype) {
    if (length < 8) {
      return null;
    }
    String name = new String(b, at + 4, 4, StandardCharsets.ISO_8859_1);
    // The data is a whole number of 32-bit words; a stray tail can only come from padding.
    int dataLength = (length - 8) & ~3;
    return new ApplicationDefined(
        subtype, i32(b, at), name, Arrays.copyOfRange(b, at + 8, at + 8 + dataLength));
  }

  // RFC 4585 6.2: common feedback header (sender SSRC, media SSRC), then FCI.
  private static RtcpPacket decodeTransportFeedback(byte[] b, int at, int length, int format) {
    if (length < 8) {
      return null;
    }
    if (format == GenericNack.FORMAT) {
      List<Integer> lost = new ArrayList<>();
      for (int pos = at + 8; pos + 4 <= at + length; pos += 4) {
        int pid = u16(b, pos);
        int blp = u16(b, pos + 2);
        lost.add(pid);
        for (int bit = 0; bit < 16; bit++) {
          if ((blp & (1 << bit)) != 0) {
            lost.add((pid + bit + 1) & 0xFFFF);
          }
        }
      }
      return new GenericNack(i32(b, at), i32(b, at + 4), lost);
    }
    UnsupportedRtcpPacket.Kind kind =
        format == 15
            ? UnsupportedRtcpPacket.Kind.TRANSPORT_WIDE_CC
            : UnsupportedRtcpPacket.Kind.UNKNOWN;
    return new UnsupportedRtcpPacket(RtcpPacket.TYPE_RTPFB, format, kind);
  }

  // RFC 4585 6.3 / RFC 5104 4.3.1
  private static RtcpPacket decodePayloadFeedback(byte[] b, int at, int length, int format) {
    if (length < 8) {
      return null;
    }
    if (format == PictureLossIndication.FORMAT) {
      return new PictureLossIndication(i32(b, at), i32(b, at + 4));
    }
    if (format == FullIntraRequest.FORMAT) {
      List<FirEntry> entries = new ArrayList<>();
      for (int pos = at + 8; pos + 8 <= at + length; pos += 8) {
        entries.add(new FirEntry(i32(b, pos), b[pos + 4] & 0xFF));
      }
      return new FullIntraRequest(i32(b, at), i32(b, at + 4), entries);
    }
    // Application layer feedback (FMT 15); REMB is identified by its "REMB" tag.
    boolean remb =
        format == 15
            && length >= 12
            && b[at + 8] == 'R'
            && b[at + 9] == 'E'
            && b[at + 10] == 'M'
            && b[at + 11] == 'B';
    return new UnsupportedRtcpPacket(
        RtcpPacket.TYPE_PSFB,
        format,
        remb ? UnsupportedRtcpPacket.Kind.REMB : UnsupportedRtcpPacket.Kind.UNKNOWN);
  }

  static int u16(byte[] b, int at) {
    return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
  }

  static int i32(byte[] b, int at) {
    return ((b[at] & 0xFF) << 24)
        | ((b[at + 1] & 0xFF) << 16)
        | ((b[at + 2] & 0xFF) << 8)
        | (b[at + 3] & 0xFF);
  }

  static long u32(byte[] b, int at) {
    return Integer.toUnsignedLong(i32(b, at));
  }

  static long i64(byte[] b, int at) {
    return ((long) i32(b, at) << 32) | u32(b, at + 4);
  }
}
