package io.github.jpeer.benchmarks.srtp;

import org.jitsi.utils.ByteArrayBuffer;

/**
 * A reusable {@link ByteArrayBuffer} for jitsi-srtp, sized once so that refilling it per packet
 * allocates nothing on the benchmark's side (whatever jitsi-srtp allocates is its own).
 */
final class JitsiBuffer implements ByteArrayBuffer {
  private final byte[] data;
  private int offset;
  private int length;

  JitsiBuffer(int capacity) {
    data = new byte[capacity];
  }

  /** Replaces the content with {@code packet[0, packetLength)}. */
  void fill(byte[] packet, int packetLength) {
    System.arraycopy(packet, 0, data, 0, packetLength);
    offset = 0;
    length = packetLength;
  }

  @Override
  public byte[] getBuffer() {
    return data;
  }

  @Override
  public int getOffset() {
    return offset;
  }

  @Override
  public int getLength() {
    return length;
  }

  @Override
  public void setLength(int len) {
    length = len;
  }

  @Override
  public void setOffset(int off) {
    offset = off;
  }

  @Override
  public boolean isInvalid() {
    return false;
  }

  @Override
  public void readRegionToBuff(int off, int len, byte[] out) {
    System.arraycopy(data, offset + off, out, 0, len);
  }

  @Override
  public void grow(int howMuch) {
    if (offset + length + howMuch > data.length) {
      throw new IllegalStateException("benchmark buffer too small by " + howMuch);
    }
  }

  @Override
  public void append(byte[] in, int len) {
    grow(len);
    System.arraycopy(in, 0, data, offset + length, len);
    length += len;
  }

  @Override
  public void shrink(int len) {
    length = Math.max(0, length - len);
  }
}
