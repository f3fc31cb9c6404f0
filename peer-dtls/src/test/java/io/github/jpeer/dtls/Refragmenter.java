package io.github.jpeer.dtls;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;

/**
 * Rewrites one direction's handshake traffic into another legal record layout, as a peer with a
 * different MTU or record packing would send it: every epoch-0 handshake fragment is cut at random
 * offsets, the pieces are packed several to a record, records are shuffled within the burst, some
 * are sent twice, and records are packed several to a datagram. Epoch-0 records get fresh sequence
 * numbers from this direction's own counter (the original ones are all replaced, so none repeats);
 * encrypted records (epoch 1 and up) are moved but never changed. Seeded: the same seed gives the
 * same layout for the same input.
 */
final class Refragmenter implements UnaryOperator<List<byte[]>> {
  /** Where the layout's choices come from: a seeded Random, or a fuzzer's input. */
  interface Choices {
    /** A choice in [0, bound); bound is at least 1. */
    int nextInt(int bound);

    /** A value in [0, 1). */
    double nextDouble();

    static Choices of(Random random) {
      return new Choices() {
        @Override
        public int nextInt(int bound) {
          return random.nextInt(bound);
        }

        @Override
        public double nextDouble() {
          return random.nextDouble();
        }
      };
    }
  }

  private final Choices random;
  private final double duplicateRate;
  private long nextSequence;
  long piecesWritten;

  Refragmenter(long seed, double duplicateRate) {
    this(seed, duplicateRate, 0);
  }

  Refragmenter(long seed, double duplicateRate, long firstSequence) {
    this(Choices.of(new Random(seed)), duplicateRate, firstSequence);
  }

  Refragmenter(Choices choices, double duplicateRate, long firstSequence) {
    this.random = choices;
    this.duplicateRate = duplicateRate;
    this.nextSequence = firstSequence;
  }

  @Override
  public List<byte[]> apply(List<byte[]> burst) {
    // Units: whole records to move as they are, and handshake pieces to pack into records.
    List<byte[]> records = new ArrayList<>();
    List<byte[]> pieces = new ArrayList<>();
    for (byte[] d : burst) {
      for (int pos = 0; DtlsRecords.hasHeader(pos, d.length); pos = DtlsRecords.end(d, pos)) {
        int end = DtlsRecords.end(d, pos);
        if (DtlsRecords.type(d, pos) == DtlsRecords.HANDSHAKE && DtlsRecords.epoch(d, pos) == 0) {
          cut(d, pos + DtlsRecords.HEADER_BYTES, end, pieces);
        } else {
          records.add(java.util.Arrays.copyOfRange(d, pos, end));
        }
      }
    }
    for (int i = 0; i < pieces.size(); ) {
      int n = 1 + random.nextInt(3);
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      for (int k = 0; k < n && i < pieces.size(); k++, i++) {
        body.writeBytes(pieces.get(i));
      }
      records.add(record(DtlsRecords.HANDSHAKE, body.toByteArray()));
    }
    List<byte[]> shuffled = new ArrayList<>();
    for (byte[] r : records) {
      shuffled.add(r);
      if (random.nextDouble() < duplicateRate) {
        shuffled.add(r.clone());
      }
    }
    for (int i = shuffled.size() - 1; i > 0; i--) {
      Collections.swap(shuffled, i, random.nextInt(i + 1)); // Fisher-Yates
    }
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < shuffled.size(); ) {
      int n = 1 + random.nextInt(3);
      ByteArrayOutputStream datagram = new ByteArrayOutputStream();
      for (int k = 0; k < n && i < shuffled.size(); k++, i++) {
        datagram.writeBytes(renumbered(shuffled.get(i)));
      }
      out.add(datagram.toByteArray());
    }
    return out;
  }

  /** Cuts every handshake fragment in a record body into 1 to 4 pieces at random offsets. */
  private void cut(byte[] d, int off, int end, List<byte[]> pieces) {
    while (off + DtlsRecords.HANDSHAKE_HEADER_BYTES <= end) {
      int fragmentOffset = DtlsRecords.uint24(d, off + 6);
      int fragmentLength = DtlsRecords.uint24(d, off + 9);
      int body = off + DtlsRecords.HANDSHAKE_HEADER_BYTES;
      int cuts = fragmentLength < 2 ? 0 : random.nextInt(4);
      List<Integer> at = new ArrayList<>();
      at.add(0);
      for (int c = 0; c < cuts; c++) {
        at.add(1 + random.nextInt(fragmentLength - 1));
      }
      at.add(fragmentLength);
      Collections.sort(at);
      for (int p = 0; p + 1 < at.size(); p++) {
        int from = at.get(p);
        int to = at.get(p + 1);
        if (to == from && fragmentLength > 0) {
          continue;
        }
        byte[] piece = new byte[DtlsRecords.HANDSHAKE_HEADER_BYTES + to - from];
        System.arraycopy(d, off, piece, 0, 6); // type, length, message_seq
        writeUint24(piece, 6, fragmentOffset + from);
        writeUint24(piece, 9, to - from);
        System.arraycopy(d, body + from, piece, DtlsRecords.HANDSHAKE_HEADER_BYTES, to - from);
        pieces.add(piece);
        piecesWritten++;
      }
      off = body + fragmentLength;
    }
  }

  private static byte[] record(int type, byte[] body) {
    byte[] r = new byte[DtlsRecords.HEADER_BYTES + body.length];
    r[0] = (byte) type;
    r[1] = (byte) 0xFE;
    r[2] = (byte) 0xFD;
    r[11] = (byte) (body.length >> 8);
    r[12] = (byte) body.length;
    System.arraycopy(body, 0, r, DtlsRecords.HEADER_BYTES, body.length);
    return r;
  }

  /** An epoch-0 record with this direction's next sequence number; others unchanged. */
  byte[] renumbered(byte[] record) {
    if (DtlsRecords.epoch(record, 0) != 0) {
      return record;
    }
    byte[] r = record.clone();
    long seq = nextSequence++;
    for (int i = 0; i < 6; i++) {
      r[10 - i] = (byte) (seq >>> (8 * i));
    }
    return r;
  }

  private static void writeUint24(byte[] b, int off, int v) {
    b[off] = (byte) (v >> 16);
    b[off + 1] = (byte) (v >> 8);
    b[off + 2] = (byte) v;
  }
}
