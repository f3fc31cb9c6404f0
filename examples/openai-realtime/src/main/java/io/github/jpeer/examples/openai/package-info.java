/**
 * Talks to the OpenAI Realtime API over WebRTC: voice in, voice out, and the oai-events channel.
 *
 * <p>{@link io.github.jpeer.examples.openai.OpenAiRealtimeExample} is the program (its command line
 * is {@link io.github.jpeer.examples.openai.Options}); {@link
 * io.github.jpeer.examples.openai.RealtimeSession} is one call from signaling to summary. The
 * signaling is the ephemeral-key flow: {@code POST /v1/realtime/client_secrets} with the standard
 * key and the session configuration, then {@code POST /v1/realtime/calls} with the SDP offer
 * ({@code application/sdp}) authorised by the ephemeral key; the 201 answer carries the SDP answer
 * and {@code Location: /v1/realtime/calls/rtc_...}. The call carries one Opus track each way (48
 * kHz mono, 20 ms frames, RFC 7587) and the {@code oai-events} data channel (RFC 8831), which the
 * client opens and on which JSON events travel.
 *
 * <p>{@code --local} swaps the service for {@link
 * io.github.jpeer.examples.openai.LocalRealtimeServer} (the same HTTP API on 127.0.0.1, with both
 * the SDP and the unified multipart form of {@code /calls}) and {@link
 * io.github.jpeer.examples.openai.EchoAnswerer} (a jpeer peer that echoes the audio and answers
 * {@code session.update} and {@code response.create} as the model would), so the very same client
 * code runs without a key or the internet.
 */
package io.github.jpeer.examples.openai;
