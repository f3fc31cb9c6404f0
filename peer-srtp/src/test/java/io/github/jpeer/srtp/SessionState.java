package io.github.jpeer.srtp;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * Makes sessions, and puts them into states, that no test can reach through the public API: keyed
 * directly with session keys (RFC 7714's vectors give those), with another payload size from which
 * AES-GCM goes through JCE (to test both paths), or near a key-usage limit (2^48 packets, a 31-bit
 * SRTCP index near its end, a ROC of 2^32 - 1). It calls the private constructor and writes private
 * fields by reflection, so that main code carries no test hooks; the tests are patched into the
 * module, so they may.
 */
final class SessionState {
  private SessionState() {}

  /**
   * A session keyed from a master key and salt (RFC 3711 section 4.3) whose GCM payloads from
   * {@code jceGcmMinPayload} bytes up go through JCE ({@code 0}: always, {@link Integer#MAX_VALUE}:
   * never).
   */
  static SrtpSession derived(
      SrtpProfile profile, byte[] masterKey, byte[] masterSalt, SrtpConfig config, int jceGcmMin) {
    SrtpSession s = SrtpSession.create(profile, masterKey, masterSalt, config);
    // read at every packet only, never cached at construction
    setInt(s, "jceGcmMinPayload", jceGcmMin);
    return s;
  }

  private static void setInt(SrtpSession s, String name, int value) {
    try {
      Field f = SrtpSession.class.getDeclaredField(name);
      f.setAccessible(true);
      f.setInt(s, value);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError("SrtpSession." + name + " is gone; update this helper", e);
    }
  }

  /** A session keyed directly with session keys, the same for SRTP and SRTCP. */
  static SrtpSession withSessionKeys(
      SrtpProfile profile, byte[] key, byte[] salt, byte[] authKey, SrtpConfig config) {
    return withSessionKeys(profile, key, salt, authKey, config, SrtpSession.JCE_GCM_MIN_PAYLOAD);
  }

  /** As above, with a JCE GCM threshold (see {@link #derived}). */
  static SrtpSession withSessionKeys(
      SrtpProfile profile,
      byte[] key,
      byte[] salt,
      byte[] authKey,
      SrtpConfig config,
      int jceGcmMin) {
    return construct(profile, config, key, salt, authKey, key, salt, authKey, jceGcmMin);
  }

  private static SrtpSession construct(
      SrtpProfile profile,
      SrtpConfig config,
      byte[] rtpKey,
      byte[] rtpSalt,
      byte[] rtpAuthKey,
      byte[] rtcpKey,
      byte[] rtcpSalt,
      byte[] rtcpAuthKey,
      int jceGcmMin) {
    try {
      Constructor<SrtpSession> c =
          SrtpSession.class.getDeclaredConstructor(
              SrtpProfile.class,
              SrtpConfig.class,
              byte[].class,
              byte[].class,
              byte[].class,
              byte[].class,
              byte[].class,
              byte[].class,
              int.class);
      c.setAccessible(true);
      return c.newInstance(
          profile, config, rtpKey, rtpSalt, rtpAuthKey, rtcpKey, rtcpSalt, rtcpAuthKey, jceGcmMin);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r; // what the constructor refused, as a caller of create would see it
      }
      throw new AssertionError(e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new AssertionError("SrtpSession's constructor changed; update this helper", e);
    }
  }

  static void packetCounts(SrtpSession s, long srtp, long srtcp) {
    set(s, "srtpPackets", srtp);
    set(s, "srtcpPackets", srtcp);
  }

  static void rtcpIndex(SrtpSession s, int ssrc, long nextIndex) {
    stream(s, ssrc).rtcpNextIndex = nextIndex;
  }

  static void roc(SrtpSession s, int ssrc, long roc, int highestSeq) {
    SsrcState state = stream(s, ssrc);
    state.roc = roc;
    state.highestSeq = highestSeq;
    state.rtpSeen = true;
  }

  private static SsrcState stream(SrtpSession s, int ssrc) {
    SsrcState state = (SsrcState) call(s, "lookup", ssrc);
    return state != null ? state : (SsrcState) call(s, "insert", ssrc);
  }

  private static void set(SrtpSession s, String name, long value) {
    try {
      Field f = SrtpSession.class.getDeclaredField(name);
      f.setAccessible(true);
      f.setLong(s, value);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError("SrtpSession." + name + " is gone; update this helper", e);
    }
  }

  private static Object call(SrtpSession s, String name, int ssrc) {
    try {
      Method m = SrtpSession.class.getDeclaredMethod(name, int.class);
      m.setAccessible(true);
      return m.invoke(s, ssrc);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError("SrtpSession." + name + "(int) is gone; update this helper", e);
    }
  }
}
