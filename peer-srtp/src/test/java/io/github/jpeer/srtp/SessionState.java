package io.github.jpeer.srtp;

import java.lang.reflect.Field;
import java.lang.reflect.Method;

/**
 * Puts a session into states no test can reach by sending packets (2^48 packets, a 31-bit SRTCP
 * index near its end, a ROC of 2^32 - 1). It writes the session's private fields by reflection, so
 * that main code carries no test hooks; the tests are patched into the module, so they may.
 */
final class SessionState {
  private SessionState() {}

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
