package io.github.jpeer.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

class OpusDecoderFuzzTest {

  private static final int[] RATES = {8_000, 12_000, 16_000, 24_000, 48_000};

  /**
   * Regression input regression-silk-opus-assert: a SILK packet that made Concentus's
   * Inlines.OpusAssert throw AssertionError out of decode (caught now, status CORRUPT_PACKET).
   *
   * <p>Random packets, as a hostile peer would send: decode and decodeFec never throw, return a
   * sample count within the room or a documented status, and the decoder keeps concealing.
   */
  @FuzzTest(maxDuration = "60s")
  void decode(FuzzedDataProvider data) {
    int rate = RATES[data.consumeInt(0, RATES.length - 1)];
    int channels = data.consumeBoolean() ? 2 : 1;
    OpusDecoder decoder = new OpusDecoder(new PcmFormat(rate, channels));
    int frame = rate / 50;
    short[] pcm = new short[decoder.maxSamplesPerPacket() * channels];
    int rejected = 0;
    for (int i = 0; i < 4 && data.remainingBytes() > 0; i++) {
      boolean fec = data.consumeBoolean();
      byte[] packet = data.consumeBytes(data.consumeInt(0, 1500));
      int room = data.consumeBoolean() ? frame : decoder.maxSamplesPerPacket();
      int got =
          fec
              ? decoder.decodeFec(packet, 0, packet.length, pcm, 0, frame)
              : decoder.decode(packet, 0, packet.length, pcm, 0, room);
      if (got < 0) {
        assertTrue(got == OpusDecoder.CORRUPT_PACKET || got == OpusDecoder.PACKET_TOO_LONG);
        rejected++;
        assertEquals(frame, decoder.decodeLost(pcm, 0, frame));
      } else {
        assertTrue(got <= (fec ? frame : room), "decoded " + got + " > room");
      }
    }
    assertEquals(rejected, decoder.rejectedPackets());
  }
}
