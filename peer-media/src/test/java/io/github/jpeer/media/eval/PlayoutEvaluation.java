package io.github.jpeer.media.eval;

import io.github.jpeer.media.JitterBuffer;
import io.github.jpeer.media.JitterBuffer.Source;
import io.github.jpeer.media.OpusConfig;
import io.github.jpeer.media.OpusDecoder;
import io.github.jpeer.media.OpusEncoder;
import io.github.jpeer.media.eval.NetworkTrace.Condition;
import io.github.jpeer.media.eval.NetworkTrace.LossModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Audio quality through a simulated network, in virtual time: speech is Opus-encoded (48 kHz mono,
 * 20 ms frames, 32 kbit/s, in-band FEC on with the condition's loss as the expected loss, as RTCP
 * would tell the sender), sent every 20 ms over a {@link NetworkTrace}, and played by two receivers
 * on the same trace: jpeer's {@link JitterBuffer} and the {@link DropLateReceiver} baseline. A
 * playout clock pulls 20 ms from each every 20 ms from a fixed start, 10 ms after the first send
 * (half a frame: the mean phase of an audio device's clock against the sender's); packets that have
 * arrived by a tick are pushed before its pull.
 *
 * <p><b>Measures</b>, over the {@code frames} blocks each receiver plays from its first sound on
 * (the silence before it is delay, counted as such):
 *
 * <ul>
 *   <li><b>Delay</b>: for each block decoded from a packet or its FEC, its play time minus the send
 *       time of its packet (the time of its first sample), in ms, averaged. The fixed path delay is
 *       0, so this is what jitter and the receiver add. Which frame the jitter buffer played is
 *       read from its stats after each pull: the next sample to play is the newest packet's end
 *       minus {@code currentDelayMillis}.
 *   <li><b>Where the output came from</b>: shares of the blocks from packets, FEC, concealment
 *       (PLC) and silence.
 *   <li><b>Late within the target</b>: packets dropped for coming after their time that arrived
 *       with an extra delay no larger than the jitter buffer's target delay at their arrival (for
 *       the baseline too: the jitter buffer's target on the same trace).
 *   <li><b>FEC on isolated losses</b>: of the packets lost alone (both neighbours delivered), how
 *       many played from the next packet's FEC.
 *   <li><b>Segmental SNR</b> (dB) between what was sent and what was played, over 20 ms segments,
 *       each clamped to [-10, 35] dB, averaged over the segments whose reference is speech (above
 *       -40 dBFS RMS). Each segment's lag is found by cross-correlation: the normalised correlation
 *       of the played segment with the sent signal at every lag the playout can produce (the codec
 *       delay, found once by cross-correlating a loss-free decode with the input over 0 to 20 ms,
 *       plus a whole number of frames, up to 300 ms: both receivers play whole frames), the best
 *       one kept if it reaches 0.5, else the previous segment's lag (concealment and silence say
 *       nothing about where the stream is). Why segmental SNR rather than a log-spectral distance:
 *       it compares waveforms, so concealment that only resembles the lost speech's spectrum, a
 *       frame played at the wrong place, and a dropped frame are all penalised, and the per-segment
 *       lag keeps it fair to a buffer that changes its delay; the clamp keeps a few silent or
 *       garbled segments from dominating the mean. Its limits: a segment of silence scores 0 dB and
 *       wrong concealment below it, and Opus at 32 kbit/s is not waveform-exact, so a perfect
 *       network scores about the codec's own SNR, not 35 dB.
 * </ul>
 *
 * <p>This class, {@link NetworkTrace} and {@link DropLateReceiver} exist twice: in peer-media's
 * tests ({@code JitterBufferQualityTest}) and in the benchmarks ({@code JitterBufferEvaluation}),
 * which cannot see peer-media's test classes. Keep the copies equal but for their package and
 * import lines. Not thread-safe; deterministic for a seed.
 */
public final class PlayoutEvaluation {
  /** 48 kHz mono. */
  public static final int RATE = 48_000;

  /** Samples per frame and per pulled block: 20 ms. */
  public static final int FRAME = 960;

  /** The playout clock's phase against the sender's: its first tick is this long after a send. */
  public static final long TICK_PHASE_NANOS = 10_000_000L;

  private static final long START_NANOS = 1_000_000_000L;
  private static final long TS0 = 3_000_000L; // RTP timestamp of frame 0
  private static final int SEQ0 = 1_000;
  private static final int TAIL_TICKS = 20; // pulls after the last send: 400 ms, past any delay
  private static final int MAX_LAG_FRAMES = 15; // 300 ms
  private static final double MIN_CORRELATION = 0.5;
  private static final double ACTIVE_ENERGY = FRAME * Math.pow(32768 * Math.pow(10, -40 / 20.0), 2);

  private final short[] speech;
  private final int frames;
  private final Map<Integer, byte[][]> packetsByLoss = new HashMap<>();
  private final Map<Integer, Integer> codecDelayByLoss = new HashMap<>();

  /**
   * An evaluation of {@code frames} frames of {@code speech48k} (48 kHz mono), looped if shorter.
   */
  public PlayoutEvaluation(short[] speech48k, int frames) {
    this.frames = frames;
    this.speech = new short[frames * FRAME];
    for (int i = 0; i < speech.length; i++) {
      speech[i] = speech48k[i % speech48k.length];
    }
  }

  /**
   * The evaluated conditions, 5% reordering in each: jitter 0, 20 and 60 ms, each with no loss and
   * with 5, 10 and 20% random and bursty loss (21 in all: no loss is the same in both models).
   */
  public static List<Condition> conditions() {
    List<Condition> all = new ArrayList<>();
    for (int jitter : new int[] {0, 20, 60}) {
      all.add(new Condition(LossModel.RANDOM, 0, jitter, 5));
      for (LossModel model : LossModel.values()) {
        for (int loss : new int[] {5, 10, 20}) {
          all.add(new Condition(model, loss, jitter, 5));
        }
      }
    }
    return all;
  }

  /** A seed for {@code condition}, the same in every JVM (enum hash codes are not). */
  public static long seedFor(Condition condition, long baseSeed) {
    return baseSeed
        + 1_000_003L * condition.lossModel().ordinal()
        + 10_007L * condition.lossPercent()
        + 101L * condition.jitterMillis()
        + condition.reorderPercent();
  }

  /**
   * One receiver's results under one condition.
   *
   * @param receiver "jitterbuf" or "baseline"
   * @param meanDelayMillis mean send-to-play delay of the blocks from packets and FEC
   * @param packetShare share of the blocks decoded from their packet
   * @param fecShare share recovered from FEC
   * @param concealedShare share concealed
   * @param silenceShare share of silence
   * @param late packets dropped for coming after their time
   * @param lateWithinTarget of those, the ones whose extra delay was within the target delay
   * @param isolatedLosses packets lost alone, among the frames played
   * @param isolatedFromFec of those, the ones played from FEC
   * @param segmentalSnrDb the mean clamped segmental SNR over speech segments
   * @param snrSegments how many segments that mean is over
   * @param unattributed blocks decoded from a packet whose frame could not be told (should be 0)
   * @param targetDelayMillis the jitter buffer's target delay at the end (NaN for the baseline)
   * @param grownMillis concealment the jitter buffer inserted to grow its delay, over the blocks
   *     measured
   * @param shrunkMillis decoded audio it dropped to shrink its delay, over the blocks measured
   */
  public record Metrics(
      String receiver,
      double meanDelayMillis,
      double packetShare,
      double fecShare,
      double concealedShare,
      double silenceShare,
      int late,
      int lateWithinTarget,
      int isolatedLosses,
      int isolatedFromFec,
      double segmentalSnrDb,
      int snrSegments,
      int unattributed,
      double targetDelayMillis,
      double grownMillis,
      double shrunkMillis) {}

  /**
   * Both receivers under one condition.
   *
   * @param condition the network condition
   * @param lostPackets packets the network lost
   * @param jitterP95Millis the trace's 95th percentile of extra delay ({@link
   *     NetworkTrace#extraDelayP95Millis})
   * @param jitterBuffer jpeer's jitter buffer
   * @param baseline the drop-late receiver
   */
  public record Comparison(
      Condition condition,
      int lostPackets,
      double jitterP95Millis,
      Metrics jitterBuffer,
      Metrics baseline) {}

  /** Runs both receivers on one trace of {@code condition}. */
  public Comparison run(Condition condition, long seed) {
    byte[][] packets = packets(condition.lossPercent());
    int codecDelay = codecDelayByLoss.get(condition.lossPercent());
    NetworkTrace trace = NetworkTrace.generate(condition, frames, START_NANOS, seed);
    double[] targetAtArrival = new double[frames];
    JitterBufferPlayer jb = new JitterBufferPlayer(targetAtArrival);
    Metrics jbMetrics = play(jb, trace, packets, codecDelay, targetAtArrival, "jitterbuf");
    Metrics baseMetrics =
        play(new BaselinePlayer(), trace, packets, codecDelay, targetAtArrival, "baseline");
    return new Comparison(
        condition, trace.lostCount(), trace.extraDelayP95Millis(), jbMetrics, baseMetrics);
  }

  // ------------------------------------------------------------------ playing

  private interface Player {
    /** Pushes a packet as it arrives; true if it was dropped as late. */
    boolean push(int frame, long arrivalNanos, byte[] payload);

    Source pull(long nowNanos, short[] pcm, int offset);

    /** The frame the last pull played (decoded, recovered or concealed), -1 if none. */
    int lastFrame();

    /** Packets dropped as late inside pulls (not attributable to one packet). */
    default int lateInPulls() {
      return 0;
    }

    default double targetDelayMillis() {
      return Double.NaN;
    }

    /** Inserted and removed samples so far, for a buffer that changes its delay. */
    default long[] insertedRemovedSamples() {
      return new long[2];
    }
  }

  private Metrics play(
      Player player,
      NetworkTrace trace,
      byte[][] packets,
      int codecDelay,
      double[] targetAtArrival,
      String name) {
    int ticks = frames + TAIL_TICKS;
    short[] out = new short[ticks * FRAME];
    Source[] sources = new Source[ticks];
    int[] frameOf = new int[ticks];
    long[] inserted = new long[ticks];
    long[] removed = new long[ticks];
    boolean[] late = new boolean[frames];
    int[] order = trace.arrivalOrder();
    int nextArrival = 0;
    for (int k = 0; k < ticks; k++) {
      long now = tickNanos(k);
      while (nextArrival < order.length && trace.arrivalNanos(order[nextArrival]) <= now) {
        int f = order[nextArrival++];
        late[f] = player.push(f, trace.arrivalNanos(f), packets[f]);
      }
      sources[k] = player.pull(now, out, k * FRAME);
      frameOf[k] = player.lastFrame();
      long[] changed = player.insertedRemovedSamples();
      inserted[k] = changed[0];
      removed[k] = changed[1];
    }
    int from = 0;
    while (from < ticks && sources[from] == Source.SILENCE) {
      from++;
    }
    int to = Math.min(ticks, from + frames);
    int[] count = new int[Source.values().length];
    double delaySum = 0;
    int delayed = 0;
    int unattributed = 0;
    int lastFrame = -1;
    for (int k = from; k < to; k++) {
      count[sources[k].ordinal()]++;
      int f = frameOf[k];
      lastFrame = Math.max(lastFrame, f);
      boolean decoded = sources[k] == Source.PACKET || sources[k] == Source.FEC;
      if (sources[k] == Source.PACKET && (f < 0 || f >= frames || trace.lost(f))) {
        unattributed++;
      } else if (decoded && f >= 0) {
        delaySum += (tickNanos(k) - trace.sendNanos(f)) / 1e6;
        delayed++;
      }
    }
    int isolated = 0;
    for (int f = 1; f <= Math.min(lastFrame, frames - 2); f++) {
      isolated += trace.isolatedLoss(f) ? 1 : 0;
    }
    int isolatedFromFec = 0;
    for (int k = from; k < to; k++) {
      if (sources[k] == Source.FEC && frameOf[k] >= 0 && trace.isolatedLoss(frameOf[k])) {
        isolatedFromFec++;
      }
    }
    int lateCount = player.lateInPulls();
    int lateWithin = player.lateInPulls(); // arrived in time, dropped later: counted as within
    for (int f = 0; f < frames; f++) {
      if (late[f]) {
        lateCount++;
        double extraMillis = (trace.arrivalNanos(f) - trace.sendNanos(f)) / 1e6;
        lateWithin += extraMillis <= targetAtArrival[f] ? 1 : 0;
      }
    }
    double[] snr = segmentalSnr(speech, out, from, to, codecDelay);
    int n = Math.max(1, to - from);
    return new Metrics(
        name,
        delayed == 0 ? Double.NaN : delaySum / delayed,
        count[Source.PACKET.ordinal()] / (double) n,
        count[Source.FEC.ordinal()] / (double) n,
        count[Source.CONCEALED.ordinal()] / (double) n,
        count[Source.SILENCE.ordinal()] / (double) n,
        lateCount,
        lateWithin,
        isolated,
        isolatedFromFec,
        snr[0],
        (int) snr[1],
        unattributed,
        player.targetDelayMillis(),
        to == 0 ? 0 : inserted[to - 1] * 1000.0 / RATE,
        to == 0 ? 0 : removed[to - 1] * 1000.0 / RATE);
  }

  private static long tickNanos(int k) {
    return START_NANOS + TICK_PHASE_NANOS + k * NetworkTrace.PACKET_NANOS;
  }

  /** jpeer's buffer, and which frame each block was, read back from its stats. */
  private static final class JitterBufferPlayer implements Player {
    private final JitterBuffer jb = new JitterBuffer();
    private final double[] targetAtArrival;
    private long newestEnd = -1;
    private int previousFrame = Integer.MIN_VALUE;
    private int lastFrame = -1;
    private int lateInPulls;

    JitterBufferPlayer(double[] targetAtArrival) {
      this.targetAtArrival = targetAtArrival;
    }

    @Override
    public boolean push(int frame, long arrivalNanos, byte[] payload) {
      JitterBuffer.Stats before = jb.stats();
      targetAtArrival[frame] = before.targetDelayMillis();
      long ts = TS0 + (long) frame * FRAME;
      boolean kept = jb.push(ts, SEQ0 + frame, arrivalNanos, payload, 0, payload.length);
      if (kept) {
        newestEnd = Math.max(newestEnd, ts + FRAME);
      }
      return !kept && jb.stats().packetsLate() > before.packetsLate();
    }

    @Override
    public Source pull(long nowNanos, short[] pcm, int offset) {
      long lateBefore = jb.stats().packetsLate();
      Source s = jb.pull(nowNanos, pcm, offset);
      JitterBuffer.Stats st = jb.stats();
      lateInPulls += (int) (st.packetsLate() - lateBefore);
      lastFrame = -1;
      if (newestEnd >= 0) {
        // The next sample to play is the newest packet's end minus what is held.
        long nextTs = newestEnd - Math.round(st.currentDelayMillis() * RATE / 1000);
        long fromStart = nextTs - FRAME - TS0;
        if (fromStart >= 0 && fromStart % FRAME == 0) {
          int f = (int) (fromStart / FRAME);
          // the same frame again: concealment inserted while a late packet is waited for
          lastFrame = f == previousFrame ? -1 : f;
          previousFrame = f;
        }
      }
      return s;
    }

    @Override
    public int lastFrame() {
      return lastFrame;
    }

    @Override
    public int lateInPulls() {
      return lateInPulls;
    }

    @Override
    public double targetDelayMillis() {
      return jb.stats().targetDelayMillis();
    }

    @Override
    public long[] insertedRemovedSamples() {
      JitterBuffer.Stats st = jb.stats();
      return new long[] {st.insertedSamplesForDeceleration(), st.removedSamplesForAcceleration()};
    }
  }

  private static final class BaselinePlayer implements Player {
    private final DropLateReceiver receiver = new DropLateReceiver();

    @Override
    public boolean push(int frame, long arrivalNanos, byte[] payload) {
      return !receiver.push(frame, payload);
    }

    @Override
    public Source pull(long nowNanos, short[] pcm, int offset) {
      return receiver.pull(pcm, offset);
    }

    @Override
    public int lastFrame() {
      return receiver.lastFrame();
    }
  }

  // ------------------------------------------------------------------ signals

  private byte[][] packets(int lossPercent) {
    return packetsByLoss.computeIfAbsent(
        lossPercent,
        loss -> {
          OpusConfig config =
              OpusConfig.builder().inbandFec(true).packetLossPercent(lossPercent).build();
          OpusEncoder encoder = new OpusEncoder(config);
          byte[] buf = new byte[OpusEncoder.MAX_PACKET_BYTES];
          byte[][] p = new byte[frames][];
          for (int i = 0; i < frames; i++) {
            int n = encoder.encode(speech, i * FRAME, buf, 0, buf.length);
            p[i] = Arrays.copyOf(buf, n);
          }
          codecDelayByLoss.put(lossPercent, codecDelay(p, config));
          return p;
        });
  }

  /** The decoder output's lag behind the input, by cross-correlation of a loss-free decode. */
  private int codecDelay(byte[][] p, OpusConfig config) {
    int n = Math.min(frames, 150);
    OpusDecoder decoder = new OpusDecoder(config);
    short[] decoded = new short[n * FRAME];
    for (int i = 0; i < n; i++) {
      decoder.decode(p[i], 0, p[i].length, decoded, i * FRAME, FRAME);
    }
    int best = 0;
    double bestDot = Double.NEGATIVE_INFINITY;
    for (int lag = 0; lag <= FRAME; lag++) {
      double dot = 0;
      for (int i = lag; i < decoded.length; i++) {
        dot += (double) decoded[i] * speech[i - lag];
      }
      if (dot > bestDot) {
        bestDot = dot;
        best = lag;
      }
    }
    return best;
  }

  /**
   * Mean clamped segmental SNR of {@code out}'s blocks {@code from} to {@code to} against {@code
   * ref}, and the number of segments: see the class comment.
   */
  static double[] segmentalSnr(short[] ref, short[] out, int from, int to, int codecDelay) {
    double sum = 0;
    int segments = 0;
    int lag = -1; // in frames
    for (int k = from; k < to; k++) {
      int o = k * FRAME;
      double outEnergy = dot(out, o, out, o);
      int best = -1;
      double bestCorrelation = MIN_CORRELATION;
      if (outEnergy > 0) {
        for (int m = 0; m <= MAX_LAG_FRAMES; m++) {
          int r = (k - m) * FRAME - codecDelay;
          if (r < 0 || r + FRAME > ref.length) {
            continue;
          }
          double refEnergy = dot(ref, r, ref, r);
          if (refEnergy == 0) {
            continue;
          }
          double c = dot(out, o, ref, r) / Math.sqrt(outEnergy * refEnergy);
          if (c > bestCorrelation) {
            bestCorrelation = c;
            best = m;
          }
        }
      }
      if (best >= 0) {
        lag = best;
      }
      if (lag < 0) {
        continue;
      }
      int r = (k - lag) * FRAME - codecDelay;
      if (r < 0 || r + FRAME > ref.length) {
        continue;
      }
      double refEnergy = dot(ref, r, ref, r);
      if (refEnergy < ACTIVE_ENERGY) {
        continue; // the sent signal is a pause here
      }
      double error = 0;
      for (int i = 0; i < FRAME; i++) {
        double d = ref[r + i] - out[o + i];
        error += d * d;
      }
      double snr = 10 * Math.log10(refEnergy / Math.max(error, 1e-9));
      sum += Math.max(-10, Math.min(35, snr));
      segments++;
    }
    return new double[] {segments == 0 ? Double.NaN : sum / segments, segments};
  }

  private static double dot(short[] a, int ao, short[] b, int bo) {
    double s = 0;
    for (int i = 0; i < FRAME; i++) {
      s += (double) a[ao + i] * b[bo + i];
    }
    return s;
  }

  // ------------------------------------------------------------------ table

  /** The table's header line. */
  public static String header() {
    return String.format(
        Locale.ROOT,
        "%-18s %6s %5s  %-9s %7s %6s %5s %5s %5s %8s %8s %7s %6s %11s",
        "condition",
        "p95ms",
        "lost",
        "receiver",
        "delayms",
        "pkt%",
        "fec%",
        "plc%",
        "sil%",
        "lateInT",
        "fecIso",
        "segSNR",
        "target",
        "grow/shrink");
  }

  /** The table's two lines for one comparison. */
  public static String rows(Comparison c) {
    return row(c, c.jitterBuffer()) + "\n" + row(c, c.baseline());
  }

  private static String row(Comparison c, Metrics m) {
    return String.format(
        Locale.ROOT,
        "%-18s %6.1f %5d  %-9s %7.1f %6.1f %5.1f %5.1f %5.1f %8s %8s %7.2f %6s %11s",
        c.condition().label(),
        c.jitterP95Millis(),
        c.lostPackets(),
        m.receiver(),
        m.meanDelayMillis(),
        100 * m.packetShare(),
        100 * m.fecShare(),
        100 * m.concealedShare(),
        100 * m.silenceShare(),
        m.lateWithinTarget() + "/" + m.late(),
        m.isolatedFromFec() + "/" + m.isolatedLosses(),
        m.segmentalSnrDb(),
        Double.isNaN(m.targetDelayMillis())
            ? "-"
            : String.format(Locale.ROOT, "%.0f", m.targetDelayMillis()),
        Double.isNaN(m.targetDelayMillis())
            ? "-"
            : String.format(Locale.ROOT, "%.0f/%.0f", m.grownMillis(), m.shrunkMillis()));
  }
}
