package io.github.jpeer.srtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;

/** Fuzzes the SRTP/SRTCP parsers: network bytes only ever produce a status, never an exception. */
class SrtpSessionFuzzTest {
  private static final SrtpProfile[] PROFILES = SrtpProfile.values();
  // Receivers that never accept a packet keep no state, so one per profile serves every input.
  private static final SrtpSession[] RECEIVERS =
      Arrays.stream(PROFILES).map(Packets::session).toArray(SrtpSession[]::new);

  /**
   * Arbitrary bytes into unprotect of every kind: the result is a status code or a length no larger
   * than the input, and an authentic-looking forgery never verifies.
   */
  @FuzzTest(maxDuration = "60s")
  void unprotectArbitraryBytes(byte[] data) {
    for (SrtpSession rx : RECEIVERS) {
      byte[] a = data.clone();
      int r = rx.unprotectRtp(a, 0, a.length);
      assertTrue(r < 0, "random bytes must not authenticate");
      SrtpStatus.of(r);
      byte[] b = data.clone();
      int c = rx.unprotectRtcp(b, 0, b.length);
      assertTrue(c < 0, "random bytes must not authenticate");
      SrtpStatus.of(c);
    }
  }

  /**
   * Round trip: whatever the fuzzer builds as an RTP or RTCP packet, protect then unprotect gives
   * the same bytes back, or protect refuses it as INVALID and unprotect of the refusal is moot.
   */
  @FuzzTest(maxDuration = "60s")
  void protectUnprotectRoundTrip(FuzzedDataProvider data) {
    SrtpProfile profile = PROFILES[data.consumeInt(0, PROFILES.length - 1)];
    boolean rtcp = data.consumeBoolean();
    byte[] packet = data.consumeRemainingAsBytes();
    SrtpSession tx = Packets.session(profile);
    SrtpSession rx = Packets.session(profile);
    byte[] buf = Arrays.copyOf(packet, packet.length + 20);
    int n = rtcp ? tx.protectRtcp(buf, 0, packet.length) : tx.protectRtp(buf, 0, packet.length);
    if (n < 0) {
      assertEquals(SrtpStatus.INVALID, SrtpStatus.of(n));
      return;
    }
    int m = rtcp ? rx.unprotectRtcp(buf, 0, n) : rx.unprotectRtp(buf, 0, n);
    assertEquals(packet.length, m, SrtpStatus.of(m).toString());
    assertArrayEquals(packet, Arrays.copyOf(buf, m));
    // Parse again: the same packet once more is now a replay.
    byte[] again = Arrays.copyOf(packet, packet.length + 20);
    int n2 =
        rtcp ? tx.protectRtcp(again, 0, packet.length) : tx.protectRtp(again, 0, packet.length);
    if (!rtcp) {
      assertEquals(SrtpStatus.REPLAY_DUPLICATE, SrtpStatus.of(rx.unprotectRtp(again, 0, n2)));
    } else {
      assertEquals(packet.length, rx.unprotectRtcp(again, 0, n2));
    }
  }
}
