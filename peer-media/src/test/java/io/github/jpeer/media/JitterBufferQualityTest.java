package io.github.jpeer.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jpeer.media.eval.NetworkTrace.Condition;
import io.github.jpeer.media.eval.NetworkTrace.LossModel;
import io.github.jpeer.media.eval.PlayoutEvaluation;
import io.github.jpeer.media.eval.PlayoutEvaluation.Comparison;
import io.github.jpeer.media.eval.PlayoutEvaluation.Metrics;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue #17's goals for the jitter buffer, measured with {@link PlayoutEvaluation}: espeak-ng
 * speech (the benchmarks' clip, looped to 10 s) Opus-encoded with FEC, sent over a simulated
 * network in virtual time (random and Gilbert-Elliott loss, exponential jitter, 5% reordering; see
 * {@link io.github.jpeer.media.eval.NetworkTrace}), played by the jitter buffer and by the old
 * drop-late receiver on the same trace. Fixed seeds: the numbers are the same on every run. Not a
 * timed test; all 21 conditions take a few seconds.
 */
class JitterBufferQualityTest {
  private static final int FRAMES = 500; // 10 s
  private static final long SEED = 17;

  private static final Map<Condition, Comparison> RESULTS = new LinkedHashMap<>();
  private static String table;

  @BeforeAll
  static void evaluate() {
    short[] speech = loadSpeech();
    PlayoutEvaluation evaluation = new PlayoutEvaluation(speech, FRAMES);
    StringBuilder sb = new StringBuilder(PlayoutEvaluation.header()).append('\n');
    for (Condition c : PlayoutEvaluation.conditions()) {
      Comparison r = evaluation.run(c, PlayoutEvaluation.seedFor(c, SEED));
      RESULTS.put(c, r);
      sb.append(PlayoutEvaluation.rows(r)).append('\n');
    }
    table = sb.toString();
  }

  private static short[] loadSpeech() {
    try (InputStream in =
        JitterBufferQualityTest.class.getResourceAsStream("espeak-speech-24k.wav")) {
      if (in == null) {
        throw new IllegalStateException("espeak-speech-24k.wav missing from test resources");
      }
      WavAudio clip = WavReader.read(in);
      return Resampler.resample(clip.samples(), clip.format().sampleRate(), 48_000, 1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Comparison at(LossModel model, int loss, int jitter) {
    return RESULTS.get(new Condition(model, loss, jitter, 5));
  }

  @Test
  void theHarnessKnowsWhichFrameEveryDecodedBlockWas() {
    for (Comparison c : RESULTS.values()) {
      assertEquals(0, c.jitterBuffer().unattributed(), c.condition() + "\n" + table);
      assertEquals(0, c.baseline().unattributed(), c.condition() + "\n" + table);
    }
  }

  @Test
  void at20PercentRandomLossAnd60MsJitterNoFrameWithinTheTargetIsLostToLateness() {
    Metrics jb = at(LossModel.RANDOM, 20, 60).jitterBuffer();
    assertEquals(
        0,
        jb.lateWithinTarget(),
        "packets dropped as late although they arrived within the target delay ("
            + jb.late()
            + " late in all)\n"
            + table);
  }

  @Test
  void fecRecoversAtLeastHalfOfTheIsolatedSingleLosses() {
    List<String> failures = new ArrayList<>();
    for (Comparison c : RESULTS.values()) {
      Metrics jb = c.jitterBuffer();
      if (jb.isolatedLosses() > 0 && 2 * jb.isolatedFromFec() < jb.isolatedLosses()) {
        failures.add(
            c.condition().label() + ": " + jb.isolatedFromFec() + "/" + jb.isolatedLosses());
      }
    }
    assertTrue(failures.isEmpty(), "FEC recovered under half: " + failures + "\n" + table);
  }

  /**
   * The bound is 1.5 times the trace's own 95th percentile of extra delay (nearest rank over the
   * delivered packets, reordering holds included). Checked wherever there is jitter: without it the
   * percentile is 0 and no receiver on a 20 ms clock could meet it.
   */
  @Test
  void meanAddedDelayStaysWithinOneAndAHalfTimesThe95thPercentileOfTheJitter() {
    List<String> failures = new ArrayList<>();
    for (Comparison c : RESULTS.values()) {
      if (c.condition().jitterMillis() == 0) {
        continue;
      }
      double bound = 1.5 * c.jitterP95Millis();
      if (!(c.jitterBuffer().meanDelayMillis() <= bound)) {
        failures.add(
            String.format(
                java.util.Locale.ROOT,
                "%s: %.1f ms > 1.5 x %.1f ms (target %.0f ms, grown %.0f ms, shrunk %.0f ms)",
                c.condition().label(),
                c.jitterBuffer().meanDelayMillis(),
                c.jitterP95Millis(),
                c.jitterBuffer().targetDelayMillis(),
                c.jitterBuffer().grownMillis(),
                c.jitterBuffer().shrunkMillis()));
      }
    }
    assertTrue(failures.isEmpty(), "mean delay above the bound: " + failures + "\n" + table);
  }

  @Test
  void at60MsJitterTheJitterBufferBeatsTheBaselineOnSegmentalSnr() {
    List<String> failures = new ArrayList<>();
    for (Comparison c : RESULTS.values()) {
      if (c.condition().jitterMillis() == 60
          && !(c.jitterBuffer().segmentalSnrDb() > c.baseline().segmentalSnrDb())) {
        failures.add(
            String.format(
                java.util.Locale.ROOT,
                "%s: %.2f dB vs %.2f dB",
                c.condition().label(),
                c.jitterBuffer().segmentalSnrDb(),
                c.baseline().segmentalSnrDb()));
      }
    }
    assertTrue(failures.isEmpty(), "not better than the baseline: " + failures + "\n" + table);
  }
}
