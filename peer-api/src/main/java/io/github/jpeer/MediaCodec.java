package io.github.jpeer;

/**
 * The codecs a {@link PeerConfiguration} can ask for, as in libpeer's {@code MediaCodec}.
 *
 * <p>jpeer moves encoded frames; encoding and decoding PCM is the job of {@code peer-media} (or of
 * the application).
 */
public enum MediaCodec {
  /** No track of this kind. */
  NONE(null, -1, 0, 0),
  /** Opus (RFC 7587): payload type 111 in our offers, 48 kHz RTP clock, 2 channels in SDP. */
  OPUS("opus", 111, 48_000, 2),
  /** G.711 A-law (RFC 3551): static payload type 8, 8 kHz. */
  PCMA("PCMA", 8, 8_000, 1),
  /** G.711 mu-law (RFC 3551): static payload type 0, 8 kHz. */
  PCMU("PCMU", 0, 8_000, 1),
  /** H.264 (RFC 6184) in packetization-mode 1: payload type 96 in our offers, 90 kHz clock. */
  H264("H264", 96, 90_000, 0);

  private final String encodingName;
  private final int defaultPayloadType;
  private final int clockRate;
  private final int channels;

  MediaCodec(String encodingName, int defaultPayloadType, int clockRate, int channels) {
    this.encodingName = encodingName;
    this.defaultPayloadType = defaultPayloadType;
    this.clockRate = clockRate;
    this.channels = channels;
  }

  /** The encoding name of the SDP {@code a=rtpmap} line (compared case-insensitively). */
  public String encodingName() {
    return encodingName;
  }

  /** The payload type jpeer offers; an answer uses whatever the remote's offer chose. */
  public int defaultPayloadType() {
    return defaultPayloadType;
  }

  /** The RTP clock rate in Hz. */
  public int clockRate() {
    return clockRate;
  }

  /** The channel count written in {@code a=rtpmap} (0: none written). */
  public int channels() {
    return channels;
  }

  /** True for the audio codecs. */
  public boolean isAudio() {
    return this == OPUS || this == PCMA || this == PCMU;
  }

  /** True for the video codecs. */
  public boolean isVideo() {
    return this == H264;
  }
}
