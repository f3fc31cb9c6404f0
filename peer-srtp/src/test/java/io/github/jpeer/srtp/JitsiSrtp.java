package io.github.jpeer.srtp;

import java.util.Arrays;
import org.jitsi.srtp.SrtcpCryptoContext;
import org.jitsi.srtp.SrtpContextFactory;
import org.jitsi.srtp.SrtpCryptoContext;
import org.jitsi.srtp.SrtpErrorStatus;
import org.jitsi.srtp.SrtpPolicy;
import org.jitsi.utils.ByteArrayBuffer;
import org.jitsi.utils.logging2.LoggerImpl;

/**
 * Test-only adapter over {@code org.jitsi:jitsi-srtp}, an independent SRTP implementation, so that
 * jpeer's packets can be checked against packets someone else's code produced and accepted.
 */
final class JitsiSrtp {
  private final SrtpContextFactory factory;
  private final SrtpCryptoContext rtp;
  private final SrtcpCryptoContext rtcp;

  JitsiSrtp(SrtpProfile profile, boolean sender, byte[] masterKey, byte[] masterSalt, int ssrc) {
    try {
      factory =
          new SrtpContextFactory(
              sender,
              masterKey,
              masterSalt,
              policy(profile, profile.rtpAuthTagLength()),
              policy(profile, profile.rtcpAuthTagLength()),
              new LoggerImpl("jitsi-srtp-test"));
      rtp = factory.deriveContext(ssrc, 0);
      rtcp = factory.deriveControlContext(ssrc);
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static SrtpPolicy policy(SrtpProfile profile, int tagLength) {
    if (profile.isAead()) {
      return new SrtpPolicy(
          SrtpPolicy.AESGCM_ENCRYPTION,
          profile.masterKeyLength(),
          SrtpPolicy.NULL_AUTHENTICATION,
          0,
          tagLength,
          profile.masterSaltLength());
    }
    return new SrtpPolicy(
        SrtpPolicy.AESCM_ENCRYPTION,
        profile.masterKeyLength(),
        SrtpPolicy.HMACSHA1_AUTHENTICATION,
        20,
        tagLength,
        profile.masterSaltLength());
  }

  byte[] protectRtp(byte[] packet) {
    return run(packet, 0);
  }

  byte[] unprotectRtp(byte[] packet) {
    return run(packet, 1);
  }

  byte[] protectRtcp(byte[] packet) {
    return run(packet, 2);
  }

  byte[] unprotectRtcp(byte[] packet) {
    return run(packet, 3);
  }

  /** Runs one transform; returns the resulting bytes, or null if jitsi-srtp rejected the packet. */
  private byte[] run(byte[] packet, int op) {
    Buffer b = new Buffer(packet);
    try {
      SrtpErrorStatus status;
      switch (op) {
        case 0:
          status = rtp.transformPacket(b);
          break;
        case 1:
          status = rtp.reverseTransformPacket(b, false);
          break;
        case 2:
          status = rtcp.transformPacket(b);
          break;
        default:
          status = rtcp.reverseTransformPacket(b);
          break;
      }
      return status == SrtpErrorStatus.OK
          ? Arrays.copyOfRange(b.data, b.offset, b.offset + b.length)
          : null;
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Protects the RTP packet in {@code b} in place, without the copies {@link #protectRtp} makes, so
   * that an allocation measurement sees only jitsi-srtp's own.
   */
  boolean protectRtpInPlace(Buffer b) {
    try {
      return rtp.transformPacket(b) == SrtpErrorStatus.OK;
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Verifies and decrypts the SRTP packet in {@code b} in place, as {@link #protectRtpInPlace}. */
  boolean unprotectRtpInPlace(Buffer b) {
    try {
      return rtp.reverseTransformPacket(b, false) == SrtpErrorStatus.OK;
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  void close() {
    factory.close();
  }

  /** A growable {@link ByteArrayBuffer}, as jitsi-srtp appends its tag through {@code grow}. */
  static final class Buffer implements ByteArrayBuffer {
    byte[] data;
    int offset;
    int length;

    Buffer(byte[] packet) {
      data = Arrays.copyOf(packet, packet.length + 64);
      length = packet.length;
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
        data = Arrays.copyOf(data, offset + length + howMuch);
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
}
