package io.github.jpeer.media;

import java.util.Arrays;

/**
 * Settings of an Opus encoder (RFC 6716): sample rate, channels, frame duration, application,
 * bitrate, complexity, DTX and in-band FEC. Immutable; build one with {@link #builder()}, whose
 * defaults suit a WebRTC voice call (48 kHz mono, 20 ms, VOIP, 32 kbit/s, complexity 5, FEC on with
 * 10% expected loss, DTX off).
 *
 * <p>Complexity defaults to 5 rather than libopus's 10 because Concentus is pure Java and about 2.5
 * to 3 times slower than libopus in C: 5 keeps most of the quality at about 60% of the CPU of 10
 * (see the benchmarks module for the figures).
 *
 * @param sampleRate 8000, 12000, 16000, 24000 or 48000 Hz
 * @param channels 1 or 2
 * @param frameDurationMillis 10, 20, 40 or 60 ms
 * @param application what the encoder tunes for
 * @param bitrateBps target bitrate, 6000 to 510000 bit/s
 * @param complexity 0 (fastest) to 10 (best)
 * @param dtx discontinuous transmission: during silence the encoder emits packets of at most 2
 *     bytes, which need not be sent
 * @param inbandFec embed a low-bitrate copy of each frame in the next packet, so a decoder can
 *     recover a single lost packet ({@link OpusDecoder#decodeFec})
 * @param packetLossPercent expected packet loss, 0 to 100; Opus spends FEC bits only if this is
 *     above 0
 */
public record OpusConfig(
    int sampleRate,
    int channels,
    int frameDurationMillis,
    Application application,
    int bitrateBps,
    int complexity,
    boolean dtx,
    boolean inbandFec,
    int packetLossPercent) {

  /** The sample rates Opus can encode and decode at, in Hz. */
  static final int[] SAMPLE_RATES = {8_000, 12_000, 16_000, 24_000, 48_000};

  /** The frame durations this wrapper accepts, in milliseconds (Opus also has 2.5 and 5 ms). */
  static final int[] FRAME_DURATIONS_MILLIS = {10, 20, 40, 60};

  /** Lowest bitrate the Opus encoder accepts, in bit/s. */
  public static final int MIN_BITRATE_BPS = 6_000;

  /** Highest bitrate the Opus encoder accepts, in bit/s. */
  public static final int MAX_BITRATE_BPS = 510_000;

  /** What the encoder optimises for (libopus's {@code OPUS_APPLICATION_*}). */
  public enum Application {
    /** Speech intelligibility: best for voice calls; enables SILK and its in-band FEC. */
    VOIP,
    /** Faithfulness to the input, for music or mixed content. */
    AUDIO,
    /** Lowest algorithmic delay (CELT only, no SILK, hence no in-band FEC). */
    LOW_DELAY
  }

  /** Validates every field and says which values are allowed. */
  public OpusConfig {
    if (!contains(SAMPLE_RATES, sampleRate)) {
      throw new IllegalArgumentException(
          "sampleRate "
              + sampleRate
              + " Hz is not an Opus rate; use one of "
              + Arrays.toString(SAMPLE_RATES)
              + " (resample other rates with Resampler)");
    }
    if (channels != 1 && channels != 2) {
      throw new IllegalArgumentException(
          "channels " + channels + " is not supported; use 1 (mono) or 2 (stereo)");
    }
    if (!contains(FRAME_DURATIONS_MILLIS, frameDurationMillis)) {
      throw new IllegalArgumentException(
          "frameDurationMillis "
              + frameDurationMillis
              + " is not supported; use one of "
              + Arrays.toString(FRAME_DURATIONS_MILLIS)
              + " (20 is usual for voice)");
    }
    if (application == null) {
      throw new IllegalArgumentException("application is null; use one of VOIP, AUDIO, LOW_DELAY");
    }
    if (bitrateBps < MIN_BITRATE_BPS || bitrateBps > MAX_BITRATE_BPS) {
      throw new IllegalArgumentException(
          "bitrateBps "
              + bitrateBps
              + " is out of range; use "
              + MIN_BITRATE_BPS
              + " to "
              + MAX_BITRATE_BPS
              + " bit/s (voice: 16000 to 40000)");
    }
    if (complexity < 0 || complexity > 10) {
      throw new IllegalArgumentException(
          "complexity " + complexity + " is out of range; use 0 (fastest) to 10 (best quality)");
    }
    if (packetLossPercent < 0 || packetLossPercent > 100) {
      throw new IllegalArgumentException(
          "packetLossPercent " + packetLossPercent + " is out of range; use 0 to 100");
    }
  }

  /** A builder starting from the voice-call defaults listed in the class comment. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this configuration's values. */
  public Builder toBuilder() {
    return new Builder()
        .sampleRate(sampleRate)
        .channels(channels)
        .frameDurationMillis(frameDurationMillis)
        .application(application)
        .bitrateBps(bitrateBps)
        .complexity(complexity)
        .dtx(dtx)
        .inbandFec(inbandFec)
        .packetLossPercent(packetLossPercent);
  }

  /** The PCM format the encoder takes and the decoder produces. */
  public PcmFormat pcmFormat() {
    return new PcmFormat(sampleRate, channels);
  }

  /** Samples per channel in one frame, e.g. 960 for 20 ms at 48 kHz. */
  public int samplesPerFrame() {
    return sampleRate / 1000 * frameDurationMillis;
  }

  /** Interleaved {@code short}s in one frame: {@link #samplesPerFrame()} times channels. */
  public int shortsPerFrame() {
    return samplesPerFrame() * channels;
  }

  private static boolean contains(int[] values, int value) {
    for (int v : values) {
      if (v == value) {
        return true;
      }
    }
    return false;
  }

  /** Mutable builder of an {@link OpusConfig}; {@link #build()} validates. Not thread-safe. */
  public static final class Builder {
    private int sampleRate = 48_000;
    private int channels = 1;
    private int frameDurationMillis = 20;
    private Application application = Application.VOIP;
    private int bitrateBps = 32_000;
    private int complexity = 5;
    private boolean dtx;
    private boolean inbandFec = true;
    private int packetLossPercent = 10;

    private Builder() {}

    /** Sample rate in Hz: 8000, 12000, 16000, 24000 or 48000 (default 48000). */
    public Builder sampleRate(int sampleRate) {
      this.sampleRate = sampleRate;
      return this;
    }

    /** 1 (mono, default) or 2 (stereo). */
    public Builder channels(int channels) {
      this.channels = channels;
      return this;
    }

    /** Frame duration: 10, 20 (default), 40 or 60 ms. */
    public Builder frameDurationMillis(int frameDurationMillis) {
      this.frameDurationMillis = frameDurationMillis;
      return this;
    }

    /** VOIP (default), AUDIO or LOW_DELAY. */
    public Builder application(Application application) {
      this.application = application;
      return this;
    }

    /** Target bitrate, 6000 to 510000 bit/s (default 32000). */
    public Builder bitrateBps(int bitrateBps) {
      this.bitrateBps = bitrateBps;
      return this;
    }

    /** Complexity 0 to 10 (default 5). */
    public Builder complexity(int complexity) {
      this.complexity = complexity;
      return this;
    }

    /** Discontinuous transmission during silence (default off). */
    public Builder dtx(boolean dtx) {
      this.dtx = dtx;
      return this;
    }

    /** In-band forward error correction (default on). */
    public Builder inbandFec(boolean inbandFec) {
      this.inbandFec = inbandFec;
      return this;
    }

    /** Expected packet loss 0 to 100 percent (default 10); FEC is only spent if above 0. */
    public Builder packetLossPercent(int packetLossPercent) {
      this.packetLossPercent = packetLossPercent;
      return this;
    }

    /**
     * Builds the configuration.
     *
     * @throws IllegalArgumentException naming the first invalid setting and its allowed values
     */
    public OpusConfig build() {
      return new OpusConfig(
          sampleRate,
          channels,
          frameDurationMillis,
          application,
          bitrateBps,
          complexity,
          dtx,
          inbandFec,
          packetLossPercent);
    }
  }
}
