package io.github.jpeer.sctp;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Our State Cookie (RFC 9260 section 5.1.3): what we need to build the association from a COOKIE
 * ECHO without keeping state for the INIT, signed with HMAC-SHA256 under a per-association secret
 * and stamped with the creation time so stale cookies can be refused.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                   Local (our) Verification Tag                |
 * |                   Peer Verification Tag                       |
 * |                   Local Initial TSN                           |
 * |                   Peer Initial TSN                            |
 * |                   Peer a_rwnd                                 |
 * |      Peer Outbound Streams    |     Peer Inbound Streams      |
 * |  Peer features |   reserved (3 bytes)                         |
 * |                   Timestamp (nowNanos, 64 bits)               |
 * |                   HMAC-SHA256 over the above (32 bytes)       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
record StateCookie(
    int localTag,
    int peerTag,
    int localInitialTsn,
    int peerInitialTsn,
    int peerRwnd,
    int peerOutboundStreams,
    int peerInboundStreams,
    int peerFeatures,
    long timestampNanos) {
  static final int FEATURE_FORWARD_TSN = 1;
  static final int FEATURE_RECONFIG = 2;
  static final int FEATURE_ZERO_CHECKSUM = 4;
  private static final int BODY = 36;
  static final int LENGTH = BODY + 32;

  byte[] sign(byte[] secret) {
    byte[] out = new byte[LENGTH];
    Wire.put32(out, 0, localTag);
    Wire.put32(out, 4, peerTag);
    Wire.put32(out, 8, localInitialTsn);
    Wire.put32(out, 12, peerInitialTsn);
    Wire.put32(out, 16, peerRwnd);
    Wire.put16(out, 20, peerOutboundStreams);
    Wire.put16(out, 22, peerInboundStreams);
    out[24] = (byte) peerFeatures;
    Wire.put32(out, 28, (int) (timestampNanos >>> 32));
    Wire.put32(out, 32, (int) timestampNanos);
    System.arraycopy(mac(secret, out), 0, out, BODY, 32);
    return out;
  }

  /** The cookie if {@code bytes} carries a valid signature, else null. */
  static StateCookie verify(byte[] secret, byte[] bytes) {
    if (bytes.length != LENGTH) {
      return null;
    }
    byte[] expected = mac(secret, bytes);
    if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(bytes, BODY, LENGTH))) {
      return null;
    }
    long ts = ((long) Wire.i32(bytes, 28) << 32) | (Wire.i32(bytes, 32) & 0xFFFF_FFFFL);
    return new StateCookie(
        Wire.i32(bytes, 0),
        Wire.i32(bytes, 4),
        Wire.i32(bytes, 8),
        Wire.i32(bytes, 12),
        Wire.i32(bytes, 16),
        Wire.u16(bytes, 20),
        Wire.u16(bytes, 22),
        bytes[24] & 0xFF,
        ts);
  }

  private static byte[] mac(byte[] secret, byte[] cookie) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      mac.update(cookie, 0, BODY);
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      // every JDK ships HmacSHA256; its absence is a broken runtime
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }
}
