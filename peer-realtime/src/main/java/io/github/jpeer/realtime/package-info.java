/**
 * A voice-agent API for the OpenAI Realtime API (GA interface): the events of its {@code
 * oai-events} data channel (or WebSocket) as typed records, both ways.
 *
 * <ul>
 *   <li>From the server: {@link io.github.jpeer.realtime.RealtimeEvents#parse(String)} turns one
 *       JSON message into a {@link io.github.jpeer.realtime.RealtimeEvent}; it never throws, so an
 *       event type this version does not know ({@link
 *       io.github.jpeer.realtime.RealtimeEvent.Unknown}) or text that is not an event ({@link
 *       io.github.jpeer.realtime.RealtimeEvent.Malformed}) never breaks a client. {@link
 *       io.github.jpeer.realtime.RealtimeEvents#dispatch} hands an event to a {@link
 *       io.github.jpeer.realtime.RealtimeListener}.
 *   <li>To the server: the records of {@link io.github.jpeer.realtime.RealtimeClientEvent}, each
 *       with {@code toJson()}; {@code session.update} carries a typed {@link
 *       io.github.jpeer.realtime.SessionConfig}.
 * </ul>
 *
 * <p>The wire names follow OpenAI's GA Realtime reference (the "server events" and "client events"
 * pages of developers.openai.com, 2025): {@code response.output_audio_transcript.delta}, not the
 * beta's {@code response.audio_transcript.delta}; the session's audio settings nested under {@code
 * audio.input} and {@code audio.output}. Beta event names parse as {@code Unknown}.
 *
 * <p>No class here does I/O or keeps state: the records are immutable values, and the static
 * methods are safe to call from any thread.
 */
package io.github.jpeer.realtime;
