package io.github.jpeer.media.eval;

import io.github.jpeer.media.JitterBuffer;
import io.github.jpeer.media.OpusDecoder;
import io.github.jpeer.media.PcmFormat;
import java.util.HashMap;
import java.util.Map;

/**
 * The baseline receiver, jpeer's behaviour before its jitter buffer: "drop late, conceal at once".
 * A packet is taken when it arrives if it is the next frame to play or a newer one; an older one is
 * dropped. At each tick of the playout clock the next frame plays: decoded if its packet is here,
 * else concealed at once with {@link OpusDecoder#decodeLost} (no FEC, no waiting), and the frame
 * after it is next.
 *
 * <p>Its schedule is the fairest such a receiver can have: the first packet starts it at the first
 * tick after it arrives (in the evaluation that packet is never delayed, so every frame is due at
 * the first tick after it was sent: the least delay possible). Packets that come early, or
 * reordered but before their tick, are held and decoded at their tick, in order (decoding them on
 * arrival would give the decoder frames out of order): the baseline is given the best outcome its
 * rules allow.
 *
 * <p>Mono, 48 kHz, 20 ms frames. Not thread-safe.
 */
public final class DropLateReceiver {
  /** Samples per frame and block: 20 ms at 48 kHz. */
  public static final int FRAME_SAMPLES = 960;

  private final OpusDecoder decoder = new OpusDecoder(new PcmFormat(48_000, 1));
  private final Map<Integer, byte[]> held = new HashMap<>();
  private boolean started;
  private int next; // the frame the next tick plays
  private int lastFrame = -1;
  private long late;

  /**
   * Takes packet {@code frame} (its index in the stream) as it arrives.
   *
   * @return false if it came after its frame was played (dropped)
   */
  public boolean push(int frame, byte[] payload) {
    if (!started) {
      started = true;
      next = frame;
    } else if (frame < next) {
      late++;
      return false;
    }
    held.put(frame, payload);
    return true;
  }

  /** Plays the next 20 ms into {@code pcm} from {@code offset}: the next frame, or silence. */
  public JitterBuffer.Source pull(short[] pcm, int offset) {
    if (!started) {
      java.util.Arrays.fill(pcm, offset, offset + FRAME_SAMPLES, (short) 0);
      lastFrame = -1;
      return JitterBuffer.Source.SILENCE;
    }
    lastFrame = next;
    byte[] p = held.remove(next++);
    if (p != null && decoder.decode(p, 0, p.length, pcm, offset, FRAME_SAMPLES) == FRAME_SAMPLES) {
      return JitterBuffer.Source.PACKET;
    }
    decoder.decodeLost(pcm, offset, FRAME_SAMPLES);
    return JitterBuffer.Source.CONCEALED;
  }

  /** The frame the last {@link #pull} played (decoded or concealed), -1 before the first packet. */
  public int lastFrame() {
    return lastFrame;
  }

  /** Packets dropped because they came after their frame was played. */
  public long late() {
    return late;
  }
}
