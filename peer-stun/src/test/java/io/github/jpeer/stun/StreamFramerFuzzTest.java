package io.github.jpeer.stun;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.jpeer.stun.StreamFramer.Framing;
import java.util.Arrays;

/**
 * Arbitrary bytes as a stream, cut into arbitrary pieces: no exception escapes, every packet that
 * comes out is whole (framing it again gives back the bytes it was cut from), and the same stream
 * in other pieces gives the same packets. Under RFC 4571 nothing can break a stream; under TURN
 * framing a broken stream yields nothing more.
 */
class StreamFramerFuzzTest {

  @FuzzTest(maxDuration = "60s")
  void anyStreamInAnyPieces(FuzzedDataProvider in) {
    Framing framing = in.consumeBoolean() ? Framing.RFC_4571 : Framing.TURN;
    int piece = in.consumeInt(1, 4096);
    byte[] stream = in.consumeRemainingAsBytes();
    byte[] once = feed(new StreamFramer(framing), stream, stream.length);
    byte[] pieces = feed(new StreamFramer(framing), stream, piece);
    assertArrayEquals(once, pieces, "the same stream in other pieces gave other packets");
    assertTrue(once.length <= stream.length + 4 * (stream.length / 2 + 1));
  }

  /**
   * Feeds {@code stream} in pieces of {@code piece} bytes; returns the packets taken out, each
   * re-framed, one after the other (what the stream held, minus an unfinished tail and padding).
   */
  private static byte[] feed(StreamFramer framer, byte[] stream, int piece) {
    byte[] out = new byte[0];
    for (int pos = 0; pos <= stream.length; pos += piece) {
      int n = Math.min(piece, stream.length - pos);
      framer.receive(stream, pos, n);
      while (framer.next()) {
        int len = framer.frameLength();
        byte[] packet =
            Arrays.copyOfRange(
                framer.frameArray(), framer.frameOffset(), framer.frameOffset() + len);
        byte[] framed = new byte[framer.framedLength(len)];
        assertEquals(framed.length, framer.frame(packet, 0, len, framed, 0));
        if (framer.framing() == Framing.RFC_4571) {
          assertEquals(len, ((framed[0] & 0xFF) << 8) | (framed[1] & 0xFF));
        }
        int at = out.length;
        out = Arrays.copyOf(out, at + framed.length);
        System.arraycopy(framed, 0, out, at, framed.length);
      }
      if (n == 0) {
        break;
      }
    }
    if (framer.isBroken()) {
      assertTrue(framer.framing() == Framing.TURN, "RFC 4571 cannot lose its framing");
      assertEquals(0, framer.pendingBytes());
    }
    return out;
  }
}
