package io.github.jpeer.rtp;

import static io.github.jpeer.rtp.RtpHeaderWriter.put16;
import static io.github.jpeer.rtp.RtpHeaderWriter.put32;

import java.util.List;
import java.util.Objects;

/**
 * Writes RTCP packets and compound datagrams into caller buffers: SR, RR, SDES, BYE, APP (RFC
 * 3550), generic NACK and PLI (RFC 4585), FIR (RFC 5104). Each packet starts with the common header
 * {@code V=2, P=0, RC/FMT, PT, length} and is a multiple of 4 bytes; no padding is written.
 *
 * <p>An RTCP compound datagram for RTP/SAVPF should start with an SR or RR (RFC 3550 6.1), then an
 * SDES with CNAME; {@link #writeCompound} writes whatever list it is given, in order.
 */
public final class RtcpWriter {

  private RtcpWriter() {}

  /**
   * Returns the encoded size of a packet in bytes.
   *
   * @throws IllegalArgumentException for an {@link UnsupportedRtcpPacket}
   */
  public static int length(RtcpPacket packet) {
    if (packet instanceof SenderReport sr) {
      return 4 + 24 + ReportBlock.LENGTH * sr.reportBlocks().size();
    } else if (packet instanceof ReceiverReport rr) {
      return 4 + 4 + ReportBlock.LENGTH * rr.reportBlocks().size();
    } else if (packet instanceof SourceDescription sdes) {
      int total = 4;
      for (SdesChunk chunk : sdes.chunks()) {
        total += chunkLength(chunk);
      }
      return total;
    } else if (packet instanceof Goodbye bye) {
      int total = 4 + 4 * bye.ssrcs().size();
      if (bye.reasonLength() > 0) {
        total += (1 + bye.reasonLength() + 3) & ~3;
      }
      return total;
    } else if (packet instanceof ApplicationDefined app) {
      return 4 + 8 + app.dataLength();
    } else if (packet instanceof GenericNack nack) {
      return 4 + 8 + 4 * nackItemCount(nack.lostSequenceNumbers());
    } else if (packet instanceof PictureLossIndication) {
      return 12;
    } else if (packet instanceof FullIntraRequest fir) {
      return 4 + 8 + 8 * fir.entries().size();
    }
    throw new IllegalArgumentException("cannot write " + packet + ": only parsed and skipped");
  }

  /**
   * Writes one packet.
   *
   * @param packet the packet
   * @param dst destination array
   * @param offset where to write
   * @return the number of bytes written ({@link #length(RtcpPacket)})
   * @throws IllegalArgumentException if the packet does not fit, or cannot be written
   */
  public static int write(RtcpPacket packet, byte[] dst, int offset) {
    int total = length(packet);
    if (total > 4 * 65536) {
      throw new IllegalArgumentException("RTCP packet too long: " + total + " bytes; split it");
    }
    Objects.checkFromIndexSize(offset, 0, dst.length);
    if (dst.length - offset < total) {
      throw new IllegalArgumentException(
          "buffer too small: need "
              + total
              + " bytes at "
              + offset
              + ", have "
              + (dst.length - offset));
    }
    if (packet instanceof SenderReport sr) {
      header(dst, offset, sr.reportBlocks().size(), RtcpPacket.TYPE_SR, total);
      put32(dst, offset + 4, sr.senderSsrc());
      put32(dst, offset + 8, (int) (sr.ntpTimestamp() >>> 32));
      put32(dst, offset + 12, (int) sr.ntpTimestamp());
      put32(dst, offset + 16, (int) sr.rtpTimestamp());
      put32(dst, offset + 20, (int) sr.packetCount());
      put32(dst, offset + 24, (int) sr.octetCount());
      writeBlocks(sr.reportBlocks(), dst, offset + 28);
    } else if (packet instanceof ReceiverReport rr) {
      header(dst, offset, rr.reportBlocks().size(), RtcpPacket.TYPE_RR, total);
      put32(dst, offset + 4, rr.senderSsrc());
      writeBlocks(rr.reportBlocks(), dst, offset + 8);
    } else if (packet instanceof SourceDescription sdes) {
      header(dst, offset, sdes.chunks().size(), RtcpPacket.TYPE_SDES, total);
      int pos = offset + 4;
      for (SdesChunk chunk : sdes.chunks()) {
        int chunkEnd = pos + chunkLength(chunk);
        put32(dst, pos, chunk.ssrc());
        pos += 4;
        for (SdesItem item : chunk.items()) {
          dst[pos] = (byte) item.type();
          dst[pos + 1] = (byte) item.length();
          item.copyTo(dst, pos + 2);
          pos += 2 + item.length();
        }
        // The null item terminator and the padding to 32 bits are both zero octets.
        zero(dst, pos, chunkEnd);
        pos = chunkEnd;
      }
    } else if (packet instanceof Goodbye bye) {
      header(dst, offset, bye.ssrcs().size(), RtcpPacket.TYPE_BYE, total);
      int pos = offset + 4;
      for (int ssrc : bye.ssrcs()) {
        put32(dst, pos, ssrc);
        pos += 4;
      }
      if (bye.reasonLength() > 0) {
        dst[pos] = (byte) bye.reasonLength();
        bye.copyReasonTo(dst, pos + 1);
        zero(dst, pos + 1 + bye.reasonLength(), offset + total);
      }
    } else if (packet instanceof ApplicationDefined app) {
      header(dst, offset, app.subtype(), RtcpPacket.TYPE_APP, total);
      put32(dst, offset + 4, app.ssrc());
      for (int i = 0; i < 4; i++) {
        dst[offset + 8 + i] = (byte) app.name().charAt(i);
      }
      app.copyDataTo(dst, offset + 12);
    } else if (packet instanceof GenericNack nack) {
      header(dst, offset, GenericNack.FORMAT, RtcpPacket.TYPE_RTPFB, total);
      put32(dst, offset + 4, nack.senderSsrc());
      put32(dst, offset + 8, nack.mediaSsrc());
      writeNackItems(nack.lostSequenceNumbers(), dst, offset + 12);
    } else if (packet instanceof PictureLossIndication pli) {
      writePictureLossIndication(dst, offset, pli.senderSsrc(), pli.mediaSsrc());
    } else if (packet instanceof FullIntraRequest fir) {
      header(dst, offset, FullIntraRequest.FORMAT, RtcpPacket.TYPE_PSFB, total);
      put32(dst, offset + 4, fir.senderSsrc());
      put32(dst, offset + 8, fir.mediaSsrc());
      int pos = offset + 12;
      for (FirEntry entry : fir.entries()) {
        put32(dst, pos, entry.ssrc());
        put32(dst, pos + 4, entry.sequenceNumber() << 24);
        pos += 8;
      }
    }
    return total;
  }

  /**
   * Writes a PLI without building a record (allocation-free).
   *
   * @return 12, the bytes written
   */
  public static int writePictureLossIndication(
      byte[] dst, int offset, int senderSsrc, int mediaSsrc) {
    Objects.checkFromIndexSize(offset, 12, dst.length);
    header(dst, offset, PictureLossIndication.FORMAT, RtcpPacket.TYPE_PSFB, 12);
    put32(dst, offset + 4, senderSsrc);
    put32(dst, offset + 8, mediaSsrc);
    return 12;
  }

  /**
   * Writes packets back to back as one compound datagram.
   *
   * @param packets the packets in order (RFC 3550: SR or RR first, then SDES)
   * @param dst destination array
   * @param offset where to write
   * @return the total length written
   * @throws IllegalArgumentException if they do not fit
   */
  public static int writeCompound(List<? extends RtcpPacket> packets, byte[] dst, int offset) {
    int total = 0;
    for (RtcpPacket packet : packets) {
      total += length(packet);
    }
    if (dst.length - offset < total) {
      throw new IllegalArgumentException(
          "buffer too small for the compound packet: need " + total + " bytes");
    }
    int pos = offset;
    for (RtcpPacket packet : packets) {
      pos += write(packet, dst, pos);
    }
    return pos - offset;
  }

  private static void header(byte[] dst, int offset, int countOrFormat, int packetType, int total) {
    dst[offset] = (byte) (0x80 | countOrFormat);
    dst[offset + 1] = (byte) packetType;
    put16(dst, offset + 2, total / 4 - 1);
  }

  private static void writeBlocks(List<ReportBlock> blocks, byte[] dst, int pos) {
    for (ReportBlock block : blocks) {
      put32(dst, pos, block.ssrc());
      put32(dst, pos + 4, (block.fractionLost() << 24) | (block.cumulativeLost() & 0xFFFFFF));
      put32(dst, pos + 8, (int) block.extendedHighestSequence());
      put32(dst, pos + 12, (int) block.jitter());
      put32(dst, pos + 16, (int) block.lastSenderReport());
      put32(dst, pos + 20, (int) block.delaySinceLastSenderReport());
      pos += ReportBlock.LENGTH;
    }
  }

  private static int chunkLength(SdesChunk chunk) {
    int length = 4;
    for (SdesItem item : chunk.items()) {
      length += 2 + item.length();
    }
    // At least one null octet ends the item list, then pad to 32 bits.
    return (length + 1 + 3) & ~3;
  }

  // Groups the list greedily into PID/BLP pairs: a number joins the current pair when it lies
  // 1-16 after PID and after the pair's last bit, so parsing gives back the same list and order.
  private static int nackItemCount(List<Integer> lost) {
    return writeNackItems(lost, null, 0);
  }

  private static int writeNackItems(List<Integer> lost, byte[] dst, int pos) {
    int items = 0;
    int pid = -1;
    int blp = 0;
    int lastBit = -1;
    for (int seq : lost) {
      int distance = pid < 0 ? -1 : ((seq - pid) & 0xFFFF) - 1;
      if (pid >= 0 && distance >= 0 && distance < 16 && distance > lastBit) {
        blp |= 1 << distance;
        lastBit = distance;
        continue;
      }
      if (pid >= 0) {
        emitNack(dst, pos + 4 * items++, pid, blp);
      }
      pid = seq;
      blp = 0;
      lastBit = -1;
    }
    if (pid >= 0) {
      emitNack(dst, pos + 4 * items++, pid, blp);
    }
    return items;
  }

  private static void emitNack(byte[] dst, int at, int pid, int blp) {
    if (dst != null) {
      put16(dst, at, pid);
      put16(dst, at + 2, blp);
    }
  }

  private static void zero(byte[] dst, int from, int to) {
    for (int i = from; i < to; i++) {
      dst[i] = 0;
    }
  }
}
