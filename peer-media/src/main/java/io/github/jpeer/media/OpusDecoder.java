package io.github.jpeer.media;

import io.github.jaredmdobson.concentus.OpusException;
import io.github.jaredmdobson.concentus.OpusPacketInfo;
import java.util.Arrays;
import java.util.Objects;

/**
 * Decodes Opus packets (RFC 6716) to 16-bit PCM with Concentus, conceals lost packets and recovers
 * a lost packet from the in-band FEC carried by the next one.
 *
 * <p>Packets come from the network, so {@link #decode} and {@link #decodeFec} never throw for their
 * content: a packet Concentus rejects (or trips over) gives {@link #CORRUPT_PACKET}, one longer
 * than the room given gives {@link #PACKET_TOO_LONG}; both are counted in {@link
 * #rejectedPackets()} and the caller fills the gap with {@link #decodeLost}. Only misuse (bad
 * offsets, too small buffers) throws {@link IllegalArgumentException}.
 *
 * <p>Typical receive loop, with {@code n} the samples per channel of one frame:
 *
 * <pre>{@code
 * if (packet arrived)            got = decoder.decode(p, 0, len, pcm, 0, n);
 * else if (next packet arrived)  got = decoder.decodeFec(next, 0, nextLen, pcm, 0, n);
 * else                           got = decoder.decodeLost(pcm, 0, n);
 * if (got < 0)                   got = decoder.decodeLost(pcm, 0, n);
 * }</pre>
 *
 * <p>The wrapper allocates nothing per call; Concentus allocates about 25 KB of short-lived scratch
 * per 20 ms frame at 48 kHz internally. Not thread-safe: one decoder per stream, used from one
 * thread at a time.
 */
public final class OpusDecoder {

  /** Status: the packet is not a valid Opus packet (or Concentus failed on it). */
  public static final int CORRUPT_PACKET = -1;

  /** Status: the packet holds more samples per channel than the room the caller gave. */
  public static final int PACKET_TOO_LONG = -2;

  /** The longest Opus packet lasts 120 ms (RFC 6716 section 3.2.5). */
  public static final int MAX_PACKET_DURATION_MILLIS = 120;

  private final PcmFormat format;
  private final io.github.jaredmdobson.concentus.OpusDecoder decoder;
  private final int maxSamplesPerPacket;
  private final int samplesPer2500Micros;
  private long rejectedPackets;

  /**
   * Creates a decoder producing PCM in {@code format}; the rate need not match the encoder's (Opus
   * decodes any packet at any of its rates).
   *
   * @throws IllegalArgumentException if the rate is not 8000, 12000, 16000, 24000 or 48000 Hz
   */
  public OpusDecoder(PcmFormat format) {
    this.format = Objects.requireNonNull(format, "format");
    if (Arrays.stream(OpusConfig.SAMPLE_RATES).noneMatch(r -> r == format.sampleRate())) {
      throw new IllegalArgumentException(
          "sampleRate "
              + format.sampleRate()
              + " Hz is not an Opus rate; use one of "
              + Arrays.toString(OpusConfig.SAMPLE_RATES));
    }
    try {
      decoder =
          new io.github.jaredmdobson.concentus.OpusDecoder(format.sampleRate(), format.channels());
    } catch (OpusException e) {
      throw new IllegalStateException("Concentus refused to create a decoder for " + format, e);
    }
    maxSamplesPerPacket = format.sampleRate() / 1000 * MAX_PACKET_DURATION_MILLIS;
    samplesPer2500Micros = format.sampleRate() / 400;
  }

  /** Creates a decoder for the format an encoder with {@code config} takes. */
  public OpusDecoder(OpusConfig config) {
    this(config.pcmFormat());
  }

  /** The PCM format this decoder produces. */
  public PcmFormat format() {
    return format;
  }

  /** Samples per channel of the longest possible packet (120 ms): room that never runs short. */
  public int maxSamplesPerPacket() {
    return maxSamplesPerPacket;
  }

  /**
   * Decodes one packet.
   *
   * @param packet bytes holding the packet (e.g. an RTP payload)
   * @param offset where the packet starts
   * @param length packet length; 0 is treated as corrupt (call {@link #decodeLost} for a gap)
   * @param pcm receives interleaved samples
   * @param pcmOffset where to write the first sample
   * @param maxSamplesPerChannel room in {@code pcm} per channel; {@link #maxSamplesPerPacket()}
   *     always suffices
   * @return samples per channel decoded, or {@link #CORRUPT_PACKET} or {@link #PACKET_TOO_LONG}; on
   *     a negative status {@code pcm} holds unspecified values
   * @throws IllegalArgumentException if the offsets or room do not fit the arrays
   */
  public int decode(
      byte[] packet, int offset, int length, short[] pcm, int pcmOffset, int maxSamplesPerChannel) {
    Checks.range("packet", offset, length, packet.length);
    checkPcmRoom(pcm, pcmOffset, maxSamplesPerChannel);
    return decodeChecked(packet, offset, length, pcm, pcmOffset, maxSamplesPerChannel, false);
  }

  /**
   * Conceals a lost packet (packet loss concealment): extrapolates {@code samplesPerChannel}
   * samples from the decoder's history, fading to silence over a longer gap. Pass the lost packet's
   * duration, normally the frame size, e.g. 960 for 20 ms at 48 kHz. Never fails on account of
   * earlier packets: should Concentus trip over its state, this writes silence and resets the
   * decoder.
   *
   * @return {@code samplesPerChannel}
   * @throws IllegalArgumentException if {@code samplesPerChannel} is not a multiple of 2.5 ms up to
   *     120 ms, or the room does not fit {@code pcm}
   */
  public int decodeLost(short[] pcm, int pcmOffset, int samplesPerChannel) {
    checkConcealLength(samplesPerChannel);
    checkPcmRoom(pcm, pcmOffset, samplesPerChannel);
    try {
      return decoder.decode(null, 0, 0, pcm, pcmOffset, samplesPerChannel, false);
    } catch (OpusException | RuntimeException | AssertionError e) {
      // Concealment extrapolates from state that earlier (untrusted) packets shaped; if
      // Concentus trips over it, conceal with silence from a fresh state rather than throw.
      decoder.resetState();
      Arrays.fill(pcm, pcmOffset, pcmOffset + samplesPerChannel * format.channels(), (short) 0);
      return samplesPerChannel;
    }
  }

  /**
   * Recovers a lost packet from the in-band FEC (a low-bitrate copy, LBRR in RFC 6716 section
   * 4.2.4) that the packet after it carries. Call it in place of {@link #decodeLost} when the lost
   * packet's successor has arrived, then decode that successor normally with {@link #decode}. If
   * the successor carries no FEC, Opus conceals instead, so this is never worse than {@link
   * #decodeLost}.
   *
   * @param nextPacket the packet following the lost one
   * @param samplesPerChannel the lost packet's duration in samples per channel (a multiple of 2.5
   *     ms), normally the frame size
   * @return {@code samplesPerChannel}, or {@link #CORRUPT_PACKET} if {@code nextPacket} is not
   *     valid Opus
   * @throws IllegalArgumentException if the offsets, duration or room are wrong
   */
  public int decodeFec(
      byte[] nextPacket,
      int offset,
      int length,
      short[] pcm,
      int pcmOffset,
      int samplesPerChannel) {
    Checks.range("nextPacket", offset, length, nextPacket.length);
    checkConcealLength(samplesPerChannel);
    checkPcmRoom(pcm, pcmOffset, samplesPerChannel);
    return decodeChecked(nextPacket, offset, length, pcm, pcmOffset, samplesPerChannel, true);
  }

  /** Packets refused with a negative status since this decoder was created. */
  public long rejectedPackets() {
    return rejectedPackets;
  }

  /** Duration of the last decoded or concealed packet, in samples per channel. */
  public int lastPacketSamples() {
    return decoder.getLastPacketDuration();
  }

  /** Forgets all history, as a new decoder (e.g. when the remote's SSRC changes). */
  public void reset() {
    decoder.resetState();
  }

  private int decodeChecked(
      byte[] packet, int offset, int length, short[] pcm, int pcmOffset, int room, boolean fec) {
    if (length == 0) {
      // Concentus would conceal on an empty packet; an empty payload from the network is an
      // error to count, and concealment is the caller's explicit choice.
      rejectedPackets++;
      return CORRUPT_PACKET;
    }
    if (!fec) {
      int samples = OpusPacketInfo.getNumSamples(packet, offset, length, format.sampleRate());
      if (samples < 0) {
        rejectedPackets++;
        return CORRUPT_PACKET;
      }
      if (samples > room) {
        rejectedPackets++;
        return PACKET_TOO_LONG;
      }
    }
    try {
      int decoded = decoder.decode(packet, offset, length, pcm, pcmOffset, room, fec);
      if (decoded < 0) {
        rejectedPackets++;
        return CORRUPT_PACKET;
      }
      return decoded;
    } catch (OpusException | RuntimeException | AssertionError e) {
      // Untrusted bytes: Concentus reports invalid packets with OpusException, may trip over
      // hostile ones with a runtime exception, and its internal range checks
      // (Inlines.OpusAssert, debug-only asserts in libopus) throw AssertionError even without
      // -ea. Either way its state may be half-updated, so start afresh.
      rejectedPackets++;
      decoder.resetState();
      return CORRUPT_PACKET;
    }
  }

  private void checkConcealLength(int samplesPerChannel) {
    if (samplesPerChannel <= 0
        || samplesPerChannel > maxSamplesPerPacket
        || samplesPerChannel % samplesPer2500Micros != 0) {
      throw new IllegalArgumentException(
          "samplesPerChannel "
              + samplesPerChannel
              + " is not a multiple of 2.5 ms ("
              + samplesPer2500Micros
              + " samples at "
              + format.sampleRate()
              + " Hz) up to 120 ms; pass the lost packet's duration, e.g. "
              + format.samplesPerFrame(20)
              + " for 20 ms");
    }
  }

  private void checkPcmRoom(short[] pcm, int pcmOffset, int samplesPerChannel) {
    if (samplesPerChannel <= 0) {
      throw new IllegalArgumentException(
          "room of " + samplesPerChannel + " samples per channel must be positive");
    }
    Checks.range("pcm", pcmOffset, samplesPerChannel * format.channels(), pcm.length);
  }
}
