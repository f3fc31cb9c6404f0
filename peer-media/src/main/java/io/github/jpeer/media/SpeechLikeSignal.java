package io.github.jpeer.media;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * A synthetic test signal with the traits of speech that matter to a voice codec: voiced syllables
 * built from harmonics of a pitch that glides between 100 and 250 Hz, shaped by three vowel
 * formants, an amplitude envelope at a syllable rate of about 4 per second, short pauses between
 * syllables and longer ones between phrases, and occasional noisy (fricative) bursts.
 *
 * <p>It is not intelligible speech, but it exercises Opus's SILK and CELT layers the way speech
 * does (unlike a sine or silence) and is reproducible from a seed, so tests and benchmarks need no
 * recorded audio. Levels are those of a close microphone: -15 to -30 dBFS RMS per voiced 20 ms
 * frame, peaks around -8 dBFS, about half of the frames silent. Mono; not thread-safe.
 */
public final class SpeechLikeSignal {

  // Vowel formants F1, F2, F3 in Hz (adult averages for /a/, /e/, /i/, /o/, /u/).
  private static final double[][] VOWELS = {
    {730, 1090, 2440}, {530, 1840, 2480}, {270, 2290, 3010}, {570, 840, 2410}, {300, 870, 2240}
  };
  private static final double[] FORMANT_BANDWIDTHS_HZ = {80, 100, 120};
  private static final double OUTPUT_GAIN = 4500;

  private final int sampleRate;
  private final RandomGenerator random;
  private final double highestHarmonicHz;

  // Current segment.
  private int segmentSamples;
  private int segmentPosition;
  private int kind; // 0 pause, 1 voiced, 2 fricative
  private double amplitude;
  private double startPitchHz;
  private double endPitchHz;
  private int attackSamples;
  private int releaseSamples;
  private int syllablesLeftInPhrase;
  // Source and filter state.
  private double phase;
  private final double[] a1 = new double[3];
  private final double[] a2 = new double[3];
  private final double[] gain = new double[3];
  private final double[] y1 = new double[3];
  private final double[] y2 = new double[3];
  private double previousNoise;

  /**
   * Creates a generator at {@code sampleRate} drawing its variations from {@code random}.
   *
   * @throws IllegalArgumentException if the rate is below 8000 Hz
   */
  public SpeechLikeSignal(int sampleRate, RandomGenerator random) {
    if (sampleRate < 8_000) {
      throw new IllegalArgumentException("sampleRate " + sampleRate + " Hz is below 8000 Hz");
    }
    this.sampleRate = sampleRate;
    this.random = random;
    // Harmonics stay below 7 kHz (speech energy above is small) and clear of Nyquist.
    this.highestHarmonicHz = Math.min(7_000, 0.45 * sampleRate);
    this.syllablesLeftInPhrase = 0;
    startPause(0.2, 0.3);
  }

  /** {@code frames} samples of the signal at {@code sampleRate}, reproducible from {@code seed}. */
  public static short[] generate(int sampleRate, int frames, long seed) {
    short[] pcm = new short[frames];
    new SpeechLikeSignal(sampleRate, new SplittableRandom(seed)).fill(pcm, 0, frames);
    return pcm;
  }

  /** The sample rate in Hz. */
  public int sampleRate() {
    return sampleRate;
  }

  /** Writes the next {@code count} samples. */
  public void fill(short[] pcm, int offset, int count) {
    Checks.range("pcm", offset, count, pcm.length);
    for (int i = 0; i < count; i++) {
      if (segmentPosition >= segmentSamples) {
        nextSegment();
      }
      pcm[offset + i] = Pcm.saturate((int) Math.round(nextSample() * OUTPUT_GAIN));
      segmentPosition++;
    }
  }

  private double nextSample() {
    if (kind == 0) {
      return 0.3 * (random.nextDouble() - 0.5) * 0.01; // faint room noise
    }
    double envelope = envelope();
    if (kind == 2) {
      // Fricative: white noise with a first difference (a crude high-pass, like /s/).
      double noise = random.nextDouble() - 0.5;
      double hissy = noise - previousNoise;
      previousNoise = noise;
      return amplitude * envelope * hissy * 3.0;
    }
    double progress = (double) segmentPosition / segmentSamples;
    double pitchHz = startPitchHz + (endPitchHz - startPitchHz) * progress;
    double step = 2 * Math.PI * pitchHz / sampleRate;
    phase += step;
    if (phase > 2 * Math.PI) {
      phase -= 2 * Math.PI;
    }
    // Sum of harmonics k = 1..n with 1/k amplitudes (a glottal-like, sawtooth spectrum), by
    // the recurrence sin(k x) = 2 cos(x) sin((k-1) x) - sin((k-2) x).
    int harmonics = Math.max(1, (int) (highestHarmonicHz / pitchHz));
    double twoCos = 2 * Math.cos(phase);
    double previous = 0;
    double current = Math.sin(phase);
    double source = 0;
    for (int k = 1; k <= harmonics; k++) {
      source += current / k;
      double next = twoCos * current - previous;
      previous = current;
      current = next;
    }
    source += 0.05 * (random.nextDouble() - 0.5); // breath
    // Three formant resonators in parallel, weighted like a vowel's falling spectrum.
    double voiced = 0;
    for (int f = 0; f < 3; f++) {
      double y = gain[f] * source - a1[f] * y1[f] - a2[f] * y2[f];
      y2[f] = y1[f];
      y1[f] = y;
      voiced += y / (1 + f);
    }
    return amplitude * envelope * voiced;
  }

  private double envelope() {
    if (segmentPosition < attackSamples) {
      return 0.5 - 0.5 * Math.cos(Math.PI * segmentPosition / attackSamples);
    }
    int fromEnd = segmentSamples - segmentPosition;
    if (fromEnd < releaseSamples) {
      return 0.5 - 0.5 * Math.cos(Math.PI * fromEnd / releaseSamples);
    }
    return 1;
  }

  private void nextSegment() {
    if (kind != 0) {
      // A short gap between syllables, a longer one after the last syllable of a phrase.
      if (syllablesLeftInPhrase == 0) {
        startPause(0.25, 0.5);
      } else {
        startPause(0.02, 0.08);
      }
      return;
    }
    if (syllablesLeftInPhrase == 0) {
      syllablesLeftInPhrase = 3 + random.nextInt(5);
    }
    syllablesLeftInPhrase--;
    segmentPosition = 0;
    previousNoise = 0;
    amplitude = 0.5 + 0.5 * random.nextDouble();
    if (random.nextInt(6) == 0) {
      kind = 2;
      segmentSamples = seconds(0.06, 0.14);
      attackSamples = segmentSamples / 4;
      releaseSamples = segmentSamples / 3;
      return;
    }
    kind = 1;
    segmentSamples = seconds(0.12, 0.28);
    attackSamples = seconds(0.02, 0.04);
    releaseSamples = seconds(0.04, 0.06);
    startPitchHz = 110 + 130 * random.nextDouble();
    endPitchHz = Math.max(100, Math.min(250, startPitchHz + 60 * (random.nextDouble() - 0.6)));
    double[] vowel = VOWELS[random.nextInt(VOWELS.length)];
    for (int f = 0; f < 3; f++) {
      double formantHz = Math.min(vowel[f], 0.45 * sampleRate);
      double r = Math.exp(-Math.PI * FORMANT_BANDWIDTHS_HZ[f] / sampleRate);
      double theta = 2 * Math.PI * formantHz / sampleRate;
      a1[f] = -2 * r * Math.cos(theta);
      a2[f] = r * r;
      // Unit gain at the resonance: divide by |1 + a1 e^-jw + a2 e^-2jw| at w = theta.
      double re = 1 + a1[f] * Math.cos(theta) + a2[f] * Math.cos(2 * theta);
      double im = -a1[f] * Math.sin(theta) - a2[f] * Math.sin(2 * theta);
      gain[f] = Math.hypot(re, im);
    }
  }

  private void startPause(double minSeconds, double maxSeconds) {
    kind = 0;
    segmentPosition = 0;
    segmentSamples = seconds(minSeconds, maxSeconds);
  }

  private int seconds(double min, double max) {
    return Math.max(1, (int) ((min + (max - min) * random.nextDouble()) * sampleRate));
  }
}
