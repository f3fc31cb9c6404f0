package io.github.jpeer.benchmarks.media;

import io.github.jpeer.media.Resampler;
import io.github.jpeer.media.WavAudio;
import io.github.jpeer.media.WavReader;
import io.github.jpeer.media.eval.NetworkTrace;
import io.github.jpeer.media.eval.NetworkTrace.Condition;
import io.github.jpeer.media.eval.PlayoutEvaluation;
import io.github.jpeer.media.eval.PlayoutEvaluation.Comparison;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/**
 * Audio quality of jpeer's {@link io.github.jpeer.media.JitterBuffer} against the old drop-late
 * receiver ({@link io.github.jpeer.media.eval.DropLateReceiver}), per network condition (issue
 * #17): espeak-ng speech ({@code espeak-speech-24k.wav}, 3 s, looped; resampled to 48 kHz), Opus
 * with in-band FEC, a simulated network in virtual time ({@link NetworkTrace}: random or
 * Gilbert-Elliott loss of 0 to 20%, exponential jitter with a 95th percentile of 0, 20 or 60 ms, 5%
 * reordering) and a 20 ms playout clock. For every condition it prints one line per receiver: the
 * trace's 95th percentile of extra delay and lost packets, the mean send-to-play delay, where the
 * output came from, packets dropped as late that arrived within the target delay (of all late
 * ones), isolated losses recovered from FEC, the segmental SNR against the sent speech, the jitter
 * buffer's final target delay, and the concealment it inserted to grow its delay and the audio it
 * dropped to shrink it (ms); see {@link PlayoutEvaluation} for the definitions. Then the issue's
 * goals, each with its verdict.
 *
 * <p>Not a JMH benchmark: nothing is timed, everything runs in virtual time and the output is the
 * same on every machine for a seed. Run (seconds of speech per condition, default 30; seed, default
 * 17):
 *
 * <pre>
 * mvn -B -q -pl benchmarks -am package -DskipTests
 * java -cp benchmarks/target/benchmarks.jar io.github.jpeer.benchmarks.media.JitterBufferEvaluation 30 17
 * </pre>
 *
 * <p>{@code JitterBufferQualityTest} in peer-media asserts the same goals on 10 s with its own copy
 * of the evaluation code.
 */
public final class JitterBufferEvaluation {
  private JitterBufferEvaluation() {}

  /** Arguments: seconds of speech per condition (default 30), seed (default 17). */
  public static void main(String[] args) throws IOException {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    long seed = args.length > 1 ? Long.parseLong(args[1]) : 17;
    WavAudio clip;
    try (InputStream in =
        JitterBufferEvaluation.class.getResourceAsStream("espeak-speech-24k.wav")) {
      if (in == null) {
        throw new IllegalStateException("espeak-speech-24k.wav missing from the benchmark jar");
      }
      clip = WavReader.read(in);
    }
    short[] speech =
        Resampler.resample(clip.samples(), clip.format().sampleRate(), PlayoutEvaluation.RATE, 1);
    PlayoutEvaluation evaluation = new PlayoutEvaluation(speech, seconds * 50);
    System.out.printf(
        Locale.ROOT, "%d s of espeak-ng speech per condition, seed %d%n%n", seconds, seed);
    System.out.println(PlayoutEvaluation.header());
    boolean noLateWithinTarget = true;
    boolean fecHalf = true;
    boolean delayBound = true;
    boolean beatsBaseline = true;
    StringBuilder notes = new StringBuilder();
    for (Condition c : PlayoutEvaluation.conditions()) {
      Comparison r = evaluation.run(c, PlayoutEvaluation.seedFor(c, seed));
      System.out.println(PlayoutEvaluation.rows(r));
      var jb = r.jitterBuffer();
      if (c.lossPercent() == 20
          && c.jitterMillis() == 60
          && c.lossModel() == NetworkTrace.LossModel.RANDOM) {
        noLateWithinTarget = jb.lateWithinTarget() == 0;
      }
      if (jb.isolatedLosses() > 0 && 2 * jb.isolatedFromFec() < jb.isolatedLosses()) {
        fecHalf = false;
        notes.append("  FEC under half: ").append(c.label()).append('\n');
      }
      if (c.jitterMillis() > 0 && !(jb.meanDelayMillis() <= 1.5 * r.jitterP95Millis())) {
        delayBound = false;
        notes.append(
            String.format(
                Locale.ROOT,
                "  delay %.1f ms > 1.5 x p95 %.1f ms: %s%n",
                jb.meanDelayMillis(),
                r.jitterP95Millis(),
                c.label()));
      }
      if (c.jitterMillis() == 60 && !(jb.segmentalSnrDb() > r.baseline().segmentalSnrDb())) {
        beatsBaseline = false;
        notes.append("  not above the baseline's segmental SNR: ").append(c.label()).append('\n');
      }
    }
    System.out.println();
    System.out.println("Goals (jitter buffer):");
    System.out.println(
        "  no frame within the target lost to lateness at random 20% / 60 ms: "
            + verdict(noLateWithinTarget));
    System.out.println("  FEC recovers at least half of the isolated losses: " + verdict(fecHalf));
    System.out.println(
        "  mean delay <= 1.5 x the trace's p95 extra delay (where jitter > 0): "
            + verdict(delayBound));
    System.out.println(
        "  segmental SNR above the baseline's at 60 ms jitter: " + verdict(beatsBaseline));
    System.out.print(notes);
  }

  private static String verdict(boolean met) {
    return met ? "met" : "NOT MET";
  }
}
