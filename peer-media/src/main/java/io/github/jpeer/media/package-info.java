/**
 * Audio for voice apps: Opus over Concentus (RFC 6716), G.711 (ITU-T G.711), PCM frames,
 * resampling, WAV files and javax.sound capture and playback.
 *
 * <ul>
 *   <li>{@link io.github.jpeer.media.OpusEncoder} / {@link io.github.jpeer.media.OpusDecoder},
 *       configured by {@link io.github.jpeer.media.OpusConfig}: one frame per call into caller
 *       buffers; the decoder conceals lost packets (PLC) and recovers them from in-band FEC (RFC
 *       6716 section 2.1.7, LBRR). Packets carried in RTP per RFC 7587 (peer-rtp).
 *   <li>{@link io.github.jpeer.media.G711}: A-law (PCMA) and mu-law (PCMU) tables (ITU-T G.711, RFC
 *       3551 section 4.5.14).
 *   <li>{@link io.github.jpeer.media.PcmFormat}, {@link io.github.jpeer.media.Pcm}, {@link
 *       io.github.jpeer.media.Resampler}, {@link io.github.jpeer.media.LevelMeter}: 16-bit PCM
 *       frames, channel conversion, polyphase resampling, dBFS levels.
 *   <li>{@link io.github.jpeer.media.WavReader} / {@link io.github.jpeer.media.WavWriter}: RIFF
 *       WAVE files of 16-bit PCM.
 *   <li>{@link io.github.jpeer.media.AudioCapture} / {@link io.github.jpeer.media.AudioPlayback}:
 *       microphone and speaker through {@code javax.sound.sampled}, blocking, for the application's
 *       own audio thread; {@link io.github.jpeer.media.AudioDeviceException} where there is no
 *       device.
 *   <li>{@link io.github.jpeer.media.SpeechLikeSignal}: a seeded synthetic speech-like signal for
 *       tests, demos and benchmarks.
 * </ul>
 *
 * <p>Errors follow the project's tiers: bytes from the network (Opus packets, G.711 payloads) never
 * throw, they give a status and are counted; files handed in (WAV) give {@link
 * io.github.jpeer.media.WavFormatException} naming what was found; misuse gives {@link
 * IllegalArgumentException} saying what to pass instead. Codec objects are not thread-safe.
 */
package io.github.jpeer.media;
