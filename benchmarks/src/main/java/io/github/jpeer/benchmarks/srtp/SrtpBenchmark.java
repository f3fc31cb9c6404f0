package io.github.jpeer.benchmarks.srtp;

import io.github.jpeer.srtp.SrtpConfig;
import io.github.jpeer.srtp.SrtpProfile;
import io.github.jpeer.srtp.SrtpSession;
import io.github.jpeer.srtp.SrtpStatus;
import java.security.GeneralSecurityException;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jitsi.srtp.SrtpContextFactory;
import org.jitsi.srtp.SrtpCryptoContext;
import org.jitsi.srtp.SrtpErrorStatus;
import org.jitsi.srtp.SrtpPolicy;
import org.jitsi.srtp.crypto.Aes;
import org.jitsi.srtp.crypto.HmacSha1;
import org.jitsi.utils.logging2.LoggerImpl;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * SRTP protect and unprotect per profile and packet size, jpeer beside jitsi-srtp in its pure-Java
 * mode (the shaded jar drops its OpenSSL library and the SunJCE factory is selected) in the same
 * run, so the ratio is what to read.
 *
 * <p>Protect sends a new sequence number each call (the ROC wraps every 65536 calls, as on the
 * wire). Unprotect verifies and decrypts the same packet each call, so both receivers run with
 * replay protection off (jpeer's {@link SrtpConfig#withReplayProtection}, jitsi's {@code
 * setReceiveReplayEnabled(false)}); everything else on the receive path runs. Each call first
 * copies the packet into the work buffer, on both sides.
 *
 * <p>In the GCM profiles jpeer seals and opens payloads under 512 bytes with its own table GHASH
 * (allocation-free) and larger ones with JCE's AES/GCM (PCLMULQDQ GHASH, about 900 B of garbage per
 * packet from the per-packet {@code Cipher.init}); 172 and 1212 bytes exercise one path each.
 *
 * <p>{@code jceHmacSha1} is the JDK's {@code Mac} over the same bytes an HMAC profile
 * authenticates, for reference: jpeer runs the same six SHA-1 compressions through the JDK's {@code
 * MessageDigest} into reused arrays where SHA-1 is a CPU intrinsic (this machine has SHA-NI), and
 * its own SHA-1 with precomputed pads (four compressions) elsewhere.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SrtpBenchmark {
  private static final int SSRC = 0x2a2b2c2d;

  @Param({
    "AES128_CM_HMAC_SHA1_80",
    "AES128_CM_HMAC_SHA1_32",
    "AEAD_AES_128_GCM",
    "AEAD_AES_256_GCM"
  })
  public String profile;

  /** RTP packet size before protection: 12-byte header plus payload (172 = 20 ms of Opus). */
  @Param({"172", "1212"})
  public int packetSize;

  private byte[] plain;
  private byte[] work;
  private int seq;

  private SrtpSession jpeerSender;
  private SrtpSession jpeerReceiver;
  private byte[] jpeerProtected;
  private int jpeerProtectedLength;

  private SrtpCryptoContext jitsiSender;
  private SrtpCryptoContext jitsiReceiver;
  private JitsiBuffer jitsiBuffer;
  private byte[] jitsiProtected;
  private int jitsiProtectedLength;

  private Mac jceMac;

  @Setup
  public void setUp() throws GeneralSecurityException {
    SrtpProfile p = SrtpProfile.valueOf(profile);
    Random random = new Random(1);
    byte[] key = new byte[p.masterKeyLength()];
    byte[] salt = new byte[p.masterSaltLength()];
    random.nextBytes(key);
    random.nextBytes(salt);
    plain = new byte[packetSize];
    random.nextBytes(plain);
    plain[0] = (byte) 0x80;
    plain[1] = 111;
    plain[8] = (byte) (SSRC >>> 24);
    plain[9] = (byte) (SSRC >>> 16);
    plain[10] = (byte) (SSRC >>> 8);
    plain[11] = (byte) SSRC;
    work = new byte[packetSize + 64];

    jpeerSender = SrtpSession.create(p, key, salt);
    jpeerReceiver =
        SrtpSession.create(p, key, salt, SrtpConfig.DEFAULT.withReplayProtection(false));
    jpeerProtected = new byte[packetSize + 64];
    System.arraycopy(plain, 0, jpeerProtected, 0, packetSize);
    jpeerProtectedLength = jpeerSender.protectRtp(jpeerProtected, 0, packetSize);

    // jitsi-srtp in pure Java: its OpenSSL library is not in the shaded jar, and SunJCE is chosen.
    Aes.setFactoryClassName("SunJCE");
    LoggerImpl logger = new LoggerImpl("jitsi-srtp-benchmark");
    SrtpPolicy rtpPolicy = jitsiPolicy(p, p.rtpAuthTagLength());
    SrtpPolicy rtcpPolicy = jitsiPolicy(p, p.rtcpAuthTagLength());
    SrtpPolicy receivePolicy = jitsiPolicy(p, p.rtpAuthTagLength());
    receivePolicy.setReceiveReplayEnabled(false);
    jitsiSender =
        new SrtpContextFactory(true, key, salt, rtpPolicy, rtcpPolicy, logger)
            .deriveContext(SSRC, 0);
    jitsiReceiver =
        new SrtpContextFactory(false, key, salt, receivePolicy, rtcpPolicy, logger)
            .deriveContext(SSRC, 0);
    jitsiBuffer = new JitsiBuffer(packetSize + 64);
    jitsiBuffer.fill(plain, packetSize);
    check(jitsiSender.transformPacket(jitsiBuffer), "jitsi protect");
    jitsiProtectedLength = jitsiBuffer.getLength();
    jitsiProtected = new byte[jitsiProtectedLength];
    System.arraycopy(jitsiBuffer.getBuffer(), 0, jitsiProtected, 0, jitsiProtectedLength);

    jceMac = Mac.getInstance("HmacSHA1");
    jceMac.init(new SecretKeySpec(new byte[20], "HmacSHA1"));

    // Both unprotect paths must succeed, or the benchmark would time the failure path.
    for (int i = 0; i < 3; i++) {
      int n = jpeerUnprotect();
      if (n != packetSize) {
        throw new IllegalStateException("jpeer unprotect failed: " + SrtpStatus.of(n));
      }
      if (jitsiUnprotect() != packetSize) {
        throw new IllegalStateException("jitsi unprotect failed");
      }
    }
    // jpeer and jitsi must agree on the bytes, or the comparison is void.
    if (jpeerProtectedLength != jitsiProtectedLength) {
      throw new IllegalStateException(
          "lengths differ: " + jpeerProtectedLength + " vs " + jitsiProtectedLength);
    }
    System.out.println(
        "# providers for "
            + profile
            + ": jitsi AES/CTR="
            + Aes.createCipher("AES/CTR/NoPadding").getProvider().getName()
            + " AES/ECB="
            + Aes.createCipher("AES/ECB/NoPadding").getProvider().getName()
            + " AES/GCM="
            + Aes.createCipher("AES/GCM/NoPadding").getProvider().getName()
            + " HmacSHA1="
            + HmacSha1.createMac(logger).getProvider().getName()
            + "; jpeer AES/ECB="
            + javax.crypto.Cipher.getInstance("AES/ECB/NoPadding").getProvider().getName()
            + " + own GHASH below 512 payload bytes, AES/GCM="
            + javax.crypto.Cipher.getInstance("AES/GCM/NoPadding").getProvider().getName()
            + " from 512; HMAC on the JDK's SHA-1 when HotSpot intrinsifies it, else own SHA-1");
  }

  private static SrtpPolicy jitsiPolicy(SrtpProfile p, int tagLength) {
    return p.isAead()
        ? new SrtpPolicy(
            SrtpPolicy.AESGCM_ENCRYPTION,
            p.masterKeyLength(),
            SrtpPolicy.NULL_AUTHENTICATION,
            0,
            tagLength,
            p.masterSaltLength())
        : new SrtpPolicy(
            SrtpPolicy.AESCM_ENCRYPTION,
            p.masterKeyLength(),
            SrtpPolicy.HMACSHA1_AUTHENTICATION,
            20,
            tagLength,
            p.masterSaltLength());
  }

  private static void check(SrtpErrorStatus status, String what) {
    if (status != SrtpErrorStatus.OK) {
      throw new IllegalStateException(what + ": " + status);
    }
  }

  private void nextSequenceNumber(byte[] packet) {
    int s = ++seq;
    packet[2] = (byte) (s >>> 8);
    packet[3] = (byte) s;
  }

  /** jpeer: protect one new RTP packet in place. */
  @Benchmark
  public int jpeerProtect() {
    System.arraycopy(plain, 0, work, 0, packetSize);
    nextSequenceNumber(work);
    return jpeerSender.protectRtp(work, 0, packetSize);
  }

  /** jpeer: verify and decrypt one SRTP packet in place. */
  @Benchmark
  public int jpeerUnprotect() {
    System.arraycopy(jpeerProtected, 0, work, 0, jpeerProtectedLength);
    return jpeerReceiver.unprotectRtp(work, 0, jpeerProtectedLength);
  }

  /** jitsi-srtp: protect one new RTP packet. */
  @Benchmark
  public int jitsiProtect() throws GeneralSecurityException {
    jitsiBuffer.fill(plain, packetSize);
    nextSequenceNumber(jitsiBuffer.getBuffer());
    jitsiSender.transformPacket(jitsiBuffer);
    return jitsiBuffer.getLength();
  }

  /** jitsi-srtp: verify and decrypt one SRTP packet. */
  @Benchmark
  public int jitsiUnprotect() throws GeneralSecurityException {
    jitsiBuffer.fill(jitsiProtected, jitsiProtectedLength);
    SrtpErrorStatus status = jitsiReceiver.reverseTransformPacket(jitsiBuffer, false);
    return status == SrtpErrorStatus.OK ? jitsiBuffer.getLength() : -1;
  }

  /** Reference: the JDK's HmacSHA1 over the packet plus ROC, what an HMAC profile must compute. */
  @Benchmark
  public byte[] jceHmacSha1() {
    jceMac.update(plain, 0, packetSize);
    jceMac.update(plain, 0, 4);
    return jceMac.doFinal();
  }
}
