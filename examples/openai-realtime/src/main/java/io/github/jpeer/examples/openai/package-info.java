/**
 * Talks to the OpenAI Realtime API over WebRTC: voice in, voice out, and the oai-events channel.
 *
 * <p>{@link io.github.jpeer.examples.openai.OpenAiRealtimeExample} is the program (its command line
 * is {@link io.github.jpeer.examples.openai.Options}); {@link
 * io.github.jpeer.examples.openai.DemoCall} is one run from signaling to summary, on
 * peer-realtime's {@code RealtimeSession}, which does the ephemeral-key flow ({@code POST
 * /v1/realtime/client_secrets} with the standard key and the session configuration, then {@code
 * POST /v1/realtime/calls} with the SDP offer), the call (one Opus track each way, the {@code
 * oai-events} data channel) and the typed events. This package picks the audio (WAV files, the
 * microphone and speaker, a generated speech-like signal), prints what happens and writes the
 * summary.
 *
 * <p>{@code --local} swaps the service for peer-realtime's {@code LocalRealtimeServer} and {@code
 * StandInAnswerer} (the same HTTP API on 127.0.0.1 and a jpeer peer that echoes the audio and plays
 * the model), so the very same client code runs without a key or the internet.
 */
package io.github.jpeer.examples.openai;
