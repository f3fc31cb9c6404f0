package io.github.jpeer.media;

import io.github.jaredmdobson.concentus.OpusApplication;
import io.github.jaredmdobson.concentus.OpusException;
import java.util.Objects;

/**
 * Encodes 16-bit PCM frames to Opus packets (RFC 6716) with Concentus, the pure-Java port of
 * libopus.
 *
 * <p>One call encodes exactly one frame of {@link OpusConfig#shortsPerFrame()} interleaved samples
 * into a caller-supplied buffer. The wrapper keeps no per-call state and allocates nothing of its
 * own. Concentus itself allocates scratch arrays inside every encode: about 105 KB (complexity 0)
 * to 155 KB (complexity 10) per 20 ms mono frame at 48 kHz, i.e. 5 to 8 MB/s per stream,
 * short-lived garbage that the young generation absorbs (measured by OpusCodecTest and the
 * benchmarks' {@code -prof gc}).
 *
 * <p>Not thread-safe: use one encoder per stream, from one thread at a time.
 */
public final class OpusEncoder {

  /**
   * An output buffer of this many bytes holds any packet this encoder can produce (libopus's
   * recommended 4000 bytes: 60 ms at the highest bitrate fits).
   */
  public static final int MAX_PACKET_BYTES = 4000;

  private final OpusConfig config;
  private final io.github.jaredmdobson.concentus.OpusEncoder encoder;
  private final int samplesPerFrame;
  private final int shortsPerFrame;

  /**
   * Creates an encoder with every setting of {@code config} applied.
   *
   * @throws IllegalStateException if Concentus refuses the settings (it should not for a valid
   *     {@link OpusConfig})
   */
  public OpusEncoder(OpusConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    this.samplesPerFrame = config.samplesPerFrame();
    this.shortsPerFrame = config.shortsPerFrame();
    try {
      encoder =
          new io.github.jaredmdobson.concentus.OpusEncoder(
              config.sampleRate(), config.channels(), toConcentus(config.application()));
    } catch (OpusException e) {
      throw new IllegalStateException("Concentus refused to create an encoder for " + config, e);
    }
    encoder.setBitrate(config.bitrateBps());
    encoder.setComplexity(config.complexity());
    encoder.setUseDTX(config.dtx());
    encoder.setUseInbandFEC(config.inbandFec());
    encoder.setPacketLossPercent(config.packetLossPercent());
  }

  /** The configuration this encoder was created with. */
  public OpusConfig config() {
    return config;
  }

  /**
   * Encodes one frame.
   *
   * @param pcm interleaved 16-bit samples
   * @param pcmOffset index of the frame's first sample; {@link OpusConfig#shortsPerFrame()} samples
   *     are read from there
   * @param out the packet buffer
   * @param outOffset where the packet starts in {@code out}
   * @param maxBytes room for the packet; {@link #MAX_PACKET_BYTES} always suffices, and a smaller
   *     value also caps the packet size (e.g. to fit an RTP MTU)
   * @return the packet length in bytes; with DTX on, a packet of 2 bytes or less carries silence
   *     and need not be sent
   * @throws IllegalArgumentException if the buffers are too small or the offsets wrong
   * @throws IllegalStateException if Concentus fails; the message includes its reason
   */
  public int encode(short[] pcm, int pcmOffset, byte[] out, int outOffset, int maxBytes) {
    Checks.range("pcm", pcmOffset, shortsPerFrame, pcm.length);
    Checks.range("out", outOffset, maxBytes, out.length);
    if (maxBytes < 2) {
      // Opus needs a TOC byte plus at least one byte of frame data (RFC 6716 section 3.1).
      throw new IllegalArgumentException(
          "maxBytes " + maxBytes + " is too small; give at least 2, or " + MAX_PACKET_BYTES);
    }
    try {
      return encoder.encode(pcm, pcmOffset, samplesPerFrame, out, outOffset, maxBytes);
    } catch (OpusException | RuntimeException | AssertionError e) {
      // Concentus reports bad arguments and internal trouble the same way; with the checks
      // above, what is left is a state problem, so say what was asked for.
      throw new IllegalStateException(
          "Opus encode of "
              + samplesPerFrame
              + " samples per channel into "
              + maxBytes
              + " bytes failed ("
              + e.getMessage()
              + "); try maxBytes = OpusEncoder.MAX_PACKET_BYTES",
          e);
    }
  }

  /**
   * Changes the target bitrate for the next frames, e.g. in reaction to congestion feedback.
   *
   * @throws IllegalArgumentException if outside 6000 to 510000 bit/s
   */
  public void setBitrateBps(int bitrateBps) {
    if (bitrateBps < OpusConfig.MIN_BITRATE_BPS || bitrateBps > OpusConfig.MAX_BITRATE_BPS) {
      throw new IllegalArgumentException(
          "bitrateBps " + bitrateBps + " is out of range; use 6000 to 510000 bit/s");
    }
    encoder.setBitrate(bitrateBps);
  }

  /** The current target bitrate in bit/s. */
  public int bitrateBps() {
    return encoder.getBitrate();
  }

  /**
   * Changes the expected packet loss (0 to 100 percent), e.g. from RTCP receiver reports; with
   * in-band FEC on, the encoder spends more bits on redundancy as this rises.
   *
   * @throws IllegalArgumentException if outside 0 to 100
   */
  public void setPacketLossPercent(int packetLossPercent) {
    if (packetLossPercent < 0 || packetLossPercent > 100) {
      throw new IllegalArgumentException(
          "packetLossPercent " + packetLossPercent + " is out of range; use 0 to 100");
    }
    encoder.setPacketLossPercent(packetLossPercent);
  }

  /**
   * The encoder's look-ahead in samples per channel: how far the decoded signal lags the input
   * (plus the decoder's own small delay).
   */
  public int lookaheadSamples() {
    return encoder.getLookahead();
  }

  /** Forgets all history, as a new encoder with the same settings (e.g. after a long pause). */
  public void reset() {
    encoder.resetState();
  }

  static OpusApplication toConcentus(OpusConfig.Application application) {
    return switch (application) {
      case VOIP -> OpusApplication.OPUS_APPLICATION_VOIP;
      case AUDIO -> OpusApplication.OPUS_APPLICATION_AUDIO;
      case LOW_DELAY -> OpusApplication.OPUS_APPLICATION_RESTRICTED_LOWDELAY;
    };
  }
}
